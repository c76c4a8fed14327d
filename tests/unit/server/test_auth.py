from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from server.auth import AuthError, JwtKeys, bearer_token, mint_token, verify_token

HS = JwtKeys("HS256", "s3cret-for-tests-0123456789abcdefghij", "s3cret-for-tests-0123456789abcdefghij")


def test_minted_token_verifies_to_the_same_user_and_role():
    claims = verify_token(mint_token("trader_aruna", "trader", HS), HS)
    assert (claims.user_id, claims.role) == ("trader_aruna", "trader")
    assert claims.expires_at > datetime.now(UTC)


def test_expired_token_is_rejected_with_a_clear_reason():
    token = mint_token("trader_aruna", "trader", HS, ttl=timedelta(minutes=5),
                       now=datetime.now(UTC) - timedelta(hours=1))
    with pytest.raises(AuthError, match="expired"):
        verify_token(token, HS)


def test_token_signed_with_another_secret_is_rejected():
    other = JwtKeys("HS256", "another-secret-0123456789abcdefghijklmn", "another-secret-0123456789abcdefghijklmn")
    with pytest.raises(AuthError, match="signature"):
        verify_token(mint_token("trader_aruna", "trader", other), HS)


def test_token_without_exp_is_rejected():
    token = jwt.encode({"sub": "trader_aruna", "role": "trader", "iss": "fxdesk"}, HS.signing, algorithm="HS256")
    with pytest.raises(AuthError, match="exp"):
        verify_token(token, HS)


def test_alg_none_token_is_rejected():
    token = jwt.encode({"sub": "x", "role": "trader", "iss": "fxdesk", "exp": 4102444800}, None, algorithm="none")
    with pytest.raises(AuthError):
        verify_token(token, HS)


def test_rs256_public_key_verifies_tokens_from_the_private_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    keys = JwtKeys.from_env({"FXDESK_JWT_PUBLIC_KEY": public, "FXDESK_JWT_PRIVATE_KEY": private})
    assert keys.algorithm == "RS256"
    assert verify_token(mint_token("compliance_omar", "compliance", keys), keys).user_id == "compliance_omar"
    verify_only = JwtKeys.from_env({"FXDESK_JWT_PUBLIC_KEY": public})
    with pytest.raises(AuthError, match="signing key"):
        mint_token("x", "trader", verify_only)


def test_dev_secret_is_created_once_and_reused(tmp_path):
    first = JwtKeys.from_env({}, home=tmp_path)
    second = JwtKeys.from_env({}, home=tmp_path)
    assert first.signing == second.signing and len(first.signing) > 40
    assert (tmp_path / "jwt-dev-secret").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer ", "token-only"])
def test_malformed_authorization_headers_are_rejected(header):
    with pytest.raises(AuthError):
        bearer_token(header)


def test_bearer_token_is_extracted():
    assert bearer_token("Bearer abc.def.ghi") == "abc.def.ghi"

"""JWT bearer tokens: minting development tokens and verifying the ones callers present.

A token says who the caller is (``sub``) and their ``role``; it never carries entitlements. Books
and customers come from the user store, and a request may only narrow them (`tools.context`).
HS256 with a shared secret, or RS256 with a public key for verification; ``exp`` is required.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import jwt
from pydantic import BaseModel

if TYPE_CHECKING:
    from server.settings import Settings

ISSUER = "fxdesk"


class AuthError(Exception):
    """The caller could not be authenticated; ``detail`` is safe to show them."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class TokenClaims(BaseModel):
    """What a verified token tells us."""

    user_id: str
    role: str
    expires_at: datetime


@dataclass(frozen=True)
class JwtKeys:
    """Keys for one algorithm: ``signing`` mints (absent for verify-only RS256), ``verifying`` checks."""

    algorithm: str
    verifying: str
    signing: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, home: Path | None = None) -> JwtKeys:
        """Read FXDESK_JWT_PUBLIC_KEY (+ FXDESK_JWT_PRIVATE_KEY) for RS256, else FXDESK_JWT_SECRET for HS256.

        Without either, a development secret is created once under FXDESK_HOME so that
        `fxdesk token` and `fxdesk serve` on one machine agree.
        """
        env = dict(os.environ if env is None else env)
        home = home or Path(env.get("FXDESK_HOME", Path.home() / ".fxdesk"))
        return cls.from_values(secret=env.get("FXDESK_JWT_SECRET"), public_key=env.get("FXDESK_JWT_PUBLIC_KEY"),
                               private_key=env.get("FXDESK_JWT_PRIVATE_KEY"), home=home)

    @classmethod
    def from_settings(cls, settings: Settings) -> JwtKeys:
        """Return the keys `Settings` configures (the development secret under ``settings.home`` if none)."""
        secret, private = settings.jwt_secret, settings.jwt_private_key
        return cls.from_values(secret=secret.get_secret_value() if secret else None,
                               public_key=settings.jwt_public_key,
                               private_key=private.get_secret_value() if private else None, home=settings.home)

    @classmethod
    def from_values(cls, *, secret: str | None, public_key: str | None, private_key: str | None,
                    home: Path) -> JwtKeys:
        """Return RS256 keys when a public key is given, else HS256 with ``secret`` or the development secret."""
        if public_key:
            return cls("RS256", _pem(public_key), _pem(private_key) if private_key else None)
        if secret:
            return cls("HS256", secret, secret)
        dev = _dev_secret(home)
        return cls("HS256", dev, dev)


def mint_token(user_id: str, role: str, keys: JwtKeys, *, ttl: timedelta = timedelta(hours=8),
               now: datetime | None = None) -> str:
    """Return a signed token for ``user_id`` valid for ``ttl``."""
    if keys.signing is None:
        raise AuthError("No signing key configured: set FXDESK_JWT_SECRET or FXDESK_JWT_PRIVATE_KEY.")
    now = now or datetime.now(UTC)
    claims = {"sub": user_id, "role": role, "iss": ISSUER, "iat": int(now.timestamp()),
              "exp": int((now + ttl).timestamp())}
    return jwt.encode(claims, keys.signing, algorithm=keys.algorithm)


def verify_token(token: str, keys: JwtKeys) -> TokenClaims:
    """Check signature, issuer and expiry; return the claims or raise `AuthError` with a clear reason."""
    try:
        claims = jwt.decode(token, keys.verifying, algorithms=[keys.algorithm], issuer=ISSUER,
                            options={"require": ["exp", "sub", "iss"]})
    except jwt.ExpiredSignatureError:
        raise AuthError("The token has expired; get a new one (fxdesk token --user USER).") from None
    except jwt.MissingRequiredClaimError as exc:
        raise AuthError(f"The token lacks the required claim {exc.claim!r}.") from None
    except jwt.InvalidSignatureError:
        raise AuthError("The token's signature is not valid for this server.") from None
    except jwt.InvalidTokenError as exc:
        raise AuthError(f"The token is not valid: {exc}.") from None
    role = claims.get("role")
    if not isinstance(role, str):
        raise AuthError("The token has no role claim.")
    try:
        expires_at = datetime.fromtimestamp(claims["exp"], UTC)
    except (OverflowError, ValueError, OSError):  # e.g. exp = 2**40, beyond the calendar (issue 12)
        raise AuthError("The token's exp claim is not a time this server can read.") from None
    return TokenClaims(user_id=claims["sub"], role=role, expires_at=expires_at)


def bearer_token(authorization: str | None) -> str:
    """Extract the token from an ``Authorization: Bearer ...`` header or raise `AuthError`."""
    if not authorization:
        raise AuthError("Missing Authorization header: send 'Authorization: Bearer <token>'.")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("The Authorization header must be 'Bearer <token>'.")
    return token.strip()


def _pem(value: str) -> str:
    # Accept the PEM itself or a path to it.
    return value if "-----BEGIN" in value else Path(value).read_text()


def dev_secret_path(home: Path) -> Path:
    """Return where the generated development secret lives under ``home``."""
    return home / "jwt-dev-secret"


def _dev_secret(home: Path) -> str:
    path = dev_secret_path(home)
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        # Created 0600 (O_EXCL): the secret is never readable by others, not even between write and chmod.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first: use theirs
            return path.read_text().strip()
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return path.read_text().strip()

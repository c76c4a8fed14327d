import stat

from server.auth import JwtKeys, dev_secret_path


def test_development_secret_file_is_created_owner_only(tmp_path, monkeypatch):
    """Issue 12, finding 6: the secret file is 0600 from creation, not chmod-ed after being written."""
    monkeypatch.setattr("os.umask", lambda mask: 0)  # a permissive umask must not widen it
    keys = JwtKeys.from_values(secret=None, public_key=None, private_key=None, home=tmp_path)
    mode = stat.S_IMODE(dev_secret_path(tmp_path).stat().st_mode)
    assert mode == 0o600
    assert keys.algorithm == "HS256" and keys.verifying == dev_secret_path(tmp_path).read_text().strip()


def test_development_secret_is_reused_across_processes(tmp_path):
    first = JwtKeys.from_values(secret=None, public_key=None, private_key=None, home=tmp_path)
    second = JwtKeys.from_values(secret=None, public_key=None, private_key=None, home=tmp_path)
    assert first == second


def test_configured_secret_wins_over_the_development_secret(tmp_path):
    keys = JwtKeys.from_values(secret="configured", public_key=None, private_key=None, home=tmp_path)
    assert keys.verifying == "configured" and not dev_secret_path(tmp_path).exists()

from collections import Counter

from llm.keys import KeyRing, fingerprint, keys_from_env


def test_keys_from_env_reads_base_and_numbered_keys_in_order_skipping_gaps():
    env = {"GROQ_API_KEY": "a", "GROQ_API_KEY_3": "c", "GROQ_API_KEY_2": " b ", "GROQ_API_KEY_4": "",
           "GROQ_API_KEY_10": "ignored", "OPENAI_API_KEY": "other"}
    assert keys_from_env("GROQ", env) == ["a", "b", "c"]


def test_keys_from_env_reads_up_to_nine():
    env = {"X_API_KEY": "k1", **{f"X_API_KEY_{n}": f"k{n}" for n in range(2, 11)}}
    assert keys_from_env("X", env) == [f"k{n}" for n in range(1, 10)]


def test_ring_rotates_round_robin_evenly():
    ring = KeyRing(["a", "b", "c"])
    seen = Counter(ring.acquire().key for _ in range(30))
    assert seen == {"a": 10, "b": 10, "c": 10}


def test_ring_skips_a_cooling_key_until_it_recovers():
    now = [0.0]
    ring = KeyRing(["a", "b", "c"], clock=lambda: now[0])
    ring.cool(1, 5.0)
    assert [ring.acquire().key for _ in range(4)] == ["a", "c", "a", "c"]
    assert ring.cooling() == [fingerprint("b")]
    now[0] = 5.0
    assert {ring.acquire().key for _ in range(3)} == {"a", "b", "c"}


def test_ring_with_every_key_cooling_reports_when_one_returns():
    now = [0.0]
    ring = KeyRing(["a", "b"], clock=lambda: now[0])
    ring.cool(0, 3.0)
    ring.cool(1, 1.5)
    assert ring.acquire() is None
    assert ring.ready_in() == 1.5


def test_ring_without_keys_has_one_sdk_managed_slot():
    ring = KeyRing([])
    assert len(ring) == 1 and ring.acquire().key is None


def test_fingerprint_does_not_reveal_the_key():
    assert "secret" not in fingerprint("sk-secret-123") and fingerprint("a") != fingerprint("b")

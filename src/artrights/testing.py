"""Small helpers shared by tests across apps (kept importable, unlike conftest.py)."""

from __future__ import annotations


def bearer(raw_token: str) -> dict[str, str]:
    """Test-client keyword arguments that send a bearer token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}


# The password every test user gets (long enough for the password policy).
TEST_PASSWORD = "correct-horse-battery-staple-42"

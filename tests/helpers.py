"""Constants and small helpers shared by tests (fixtures live in conftest.py)."""

from actui.api.retry import RetryPolicy

TENANT = "11111111-2222-3333-4444-555555555555"


def fast_retry(retries: int = 4) -> RetryPolicy:
    """Real back-off, scaled down so tests stay quick."""
    return RetryPolicy(retries=retries, base=0.01, cap=0.05)

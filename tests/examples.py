"""How many inputs each hypothesis test tries.

The full counts in CI (`.ci/run` sets CI=true; or HYPOTHESIS_PROFILE=ci), a tenth of them in a
quick local run, the default (HYPOTHESIS_PROFILE=quick). tests/conftest.py loads the profile, for
tests that do not name a count; tests that do name theirs through `examples()`.
"""

import os

PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "quick")
QUICK_SHARE = 10


def examples(full: int) -> int:
    """`full` in CI; a tenth of it, and never fewer than 10, in a quick local run."""
    return full if PROFILE == "ci" else max(10, full // QUICK_SHARE)

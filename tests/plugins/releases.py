"""The SDK releases that plugin scripts are written for, and the Python that runs each: this one for
imerit-ango 1.4.10, the legacy suites' environments (made on first use) for the older two."""
import sys

from tests.legacy_suites import runner

CURRENT = "imerit-ango==1.4.10"
LEGACY = ("imerit-ango==1.3.14", "ango==0.1.18")
PACKAGE = {CURRENT: "imerit_ango", "imerit-ango==1.3.14": "imerit_ango", "ango==0.1.18": "ango"}


def python_of(release):
    """The interpreter that has `release` installed (never mockhub itself, for the older ones)."""
    return sys.executable if release == CURRENT else str(runner.environment(release))

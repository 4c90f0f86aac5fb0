"""The security harnesses' counts, repeated as one summary block at the end of the run."""

from __future__ import annotations

import sys

from tests.security.kit import COUNTS


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not COUNTS:
        return
    terminalreporter.section("security counts")
    for name, line in COUNTS.items():
        terminalreporter.write_line(f"{name}: {line}")
    # One line on stderr too, for logs that drop the terminal summary.
    print("security counts: " + "; ".join(f"{k}: {v}" for k, v in COUNTS.items()),
          file=sys.stderr)

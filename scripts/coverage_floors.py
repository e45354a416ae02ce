"""Hold each package to its coverage floor, after scripts/check's test run.

Reads the ``.coverage`` data file pytest-cov wrote (branch coverage, the
sources in pyproject's ``[tool.coverage.run]``), prints one line per package
(statements and branches together, as ``coverage report`` counts them) and
exits 1 if any is under its floor.  The floors sit a little below what the
suite reached when they were set: raise them as tests are added, never lower
them to let a change through.  ``.venv/bin/coverage report`` lists the files.
"""

from __future__ import annotations

import io
import sys

import coverage

#: Package -> (the files it covers, its floor in percent).
FLOORS: dict[str, tuple[str, float]] = {
    "common": ("*/libs/common/src/*", 0.0),
    "gateway": ("*/services/gateway/src/*", 0.0),
    "sessions": ("*/services/sessions/src/*", 0.0),
    "commands": ("*/services/commands/src/*", 0.0),
    "billing": ("*/services/billing/src/*", 0.0),
    "cli": ("*/src/chargebus/cli/*", 0.0),
}


def main() -> int:
    measured = coverage.Coverage()
    measured.load()
    failed = []
    print(f"{'package':<10} {'coverage':>9} {'floor':>7}")
    for package, (files, floor) in FLOORS.items():
        try:
            percent = measured.report(include=[files], file=io.StringIO())
        except coverage.exceptions.NoDataError:
            percent = 0.0
        verdict = "" if percent >= floor else "  BELOW THE FLOOR"
        print(f"{package:<10} {percent:>8.1f}% {floor:>6.1f}%{verdict}")
        if verdict:
            failed.append(package)
    if failed:
        print(f"coverage under its floor: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

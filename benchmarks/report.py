"""The one report format of `make bench`: each figure, its target, their ratio and PASS or FAIL; exit 1 when
one is missed."""

from __future__ import annotations


def report(title: str, rows: list[tuple[str, float, float | None]], *, width: int = 70, digits: int = 2) -> int:
    """rows: (label, measured, target). A figure passes when measured <= target; a target of None is shown
    and not judged. Prints the table and the verdict; returns the exit status."""
    failed = False
    print(f"{title:<{width}} {'measured':>9} {'target':>7} {'ratio':>6}")
    for label, value, target in rows:
        ratio = f"{value / target:.2f}" if target else "-"
        shown = "-" if target is None else f"{target:g}"
        missed = target is not None and value > target
        verdict = "" if target is None else ("FAIL" if missed else "PASS")
        print(f"{label:<{width}} {value:>9.{digits}f} {shown:>7} {ratio:>6} {verdict}".rstrip())
        failed |= missed
    print("FAILED: a target was missed" if failed else "all targets met")
    return 1 if failed else 0

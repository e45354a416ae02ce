"""Summarise py-spy's collapsed stacks (``--format raw``): the functions with
the largest share of samples, inclusive (on the stack) and self (on top).

Usage: .venv/bin/python bench/stacks.py FILE [--top 30] [--match TEXT]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--match", help="only stacks with a frame containing this")
    args = parser.parse_args()
    inclusive: Counter[str] = Counter()
    top: Counter[str] = Counter()
    total = 0
    for line in args.file.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or (args.match and args.match not in stack):
            continue
        n = int(count)
        frames = stack.split(";")
        total += n
        for frame in set(frames):
            inclusive[frame] += n
        top[frames[-1]] += n
    print(f"{total} samples")
    for title, counter in (("inclusive", inclusive), ("self", top)):
        print(f"-- {title}")
        for frame, n in counter.most_common(args.top):
            print(f"{100 * n / max(total, 1):6.1f}%  {frame[:150]}")


if __name__ == "__main__":
    main()

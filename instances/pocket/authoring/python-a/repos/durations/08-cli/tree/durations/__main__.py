"""Command line: python3 -m durations [--iso] [--largest N] [--total] DURATION..."""

import argparse
import sys

from .duration import Duration
from .format import format_duration


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="durations", description="Normalise durations such as 1h30m or PT90M."
    )
    parser.add_argument("durations", nargs="+", metavar="DURATION")
    parser.add_argument("--iso", action="store_true", help="print ISO-8601 instead of 1h30m")
    parser.add_argument("--largest", type=int, metavar="N", help="show at most N units")
    parser.add_argument("--total", action="store_true", help="print the sum of the durations")
    args = parser.parse_args(argv)
    try:
        values = [Duration.parse(text) for text in args.durations]
    except ValueError as error:
        parser.error(str(error))
    if args.total:
        values = [sum(values, Duration())]
    for value in values:
        print(value.isoformat() if args.iso else format_duration(value, largest=args.largest))
    return 0


if __name__ == "__main__":
    sys.exit(main())

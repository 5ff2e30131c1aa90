"""python3 -m semver RANGE VERSION...: print the versions that satisfy RANGE, in ascending order."""

import sys

from . import InvalidRange, InvalidVersion, Range, Version


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        range_ = Range(argv[0])
        versions = sorted(Version.parse(text) for text in argv[1:])
    except (InvalidRange, InvalidVersion) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    matching = [v for v in versions if range_.test(v)]
    for version in matching:
        print(version)
    return 0 if matching else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

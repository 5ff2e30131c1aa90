"""Split INI text into sections of raw string values."""

import re

from .errors import DuplicateOptionError, DuplicateSectionError, ParseError

COMMENT_PREFIXES = ("#", ";")
_SECTION = re.compile(r"\[(?P<name>[^\[\]]+)\]")
_OPTION = re.compile(r"(?P<key>[^=:\s][^=:]*?)\s*[=:]\s*(?P<value>.*)")


def parse(text, source="<string>", optionxform=str.lower):
    """Return ``{section: {option: value}}`` in file order.

    Lines starting with "#" or ";" are comments. There are no inline comments, so a
    value may contain either character. An indented line continues the value above it
    (the lines are joined with newlines) and a blank line ends it. Option names go
    through ``optionxform``.
    """
    sections = {}
    current = None
    section = None
    last = None
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            last = None
            continue
        if stripped.startswith(COMMENT_PREFIXES):
            continue
        if line[0].isspace() and last is not None:
            current[last] += "\n" + stripped
            continue
        match = _SECTION.fullmatch(stripped)
        if match:
            section = match["name"].strip()
            if section in sections:
                raise DuplicateSectionError(f"section {section!r} already exists", source, lineno)
            current = sections[section] = {}
            last = None
            continue
        match = _OPTION.fullmatch(stripped)
        if match is None:
            raise ParseError(f"expected 'option = value', got {stripped!r}", source, lineno)
        if current is None:
            raise ParseError("option before the first section header", source, lineno)
        key = optionxform(match["key"])
        if key in current:
            raise DuplicateOptionError(
                f"option {key!r} already set in section {section!r}", source, lineno
            )
        current[key] = match["value"].strip()
        last = key
    return sections

"""Expand ${option} and ${section:option} references in option values.

A reference without a section names an option of the section being read (or of the
defaults). "$$" stands for a literal "$".
"""

import re

from .errors import (
    InterpolationDepthError,
    InterpolationMissingError,
    InterpolationSyntaxError,
    NoOptionError,
    NoSectionError,
)

MAX_DEPTH = 10
# "$$", "${...}", or a "$" followed by anything else, which is an error.
_TOKEN = re.compile(r"\$(\$|\{[^{}$]*\}|)")


def expand(config, section, option, value):
    """``value`` with its references replaced, round after round, until none are left."""
    for _ in range(MAX_DEPTH):
        value, replaced = _substitute(config, section, option, value)
        if not replaced:
            return value.replace("$$", "$")
    raise InterpolationDepthError(f"references nest deeper than {MAX_DEPTH} levels", section, option)


def _substitute(config, section, option, value):
    """Replace each reference in ``value`` once by the raw value it names."""
    replaced = False

    def replace(match):
        nonlocal replaced
        token = match[1]
        if token == "$":
            # Kept escaped until every reference is gone, so that "$${x}" stays literal.
            return "$$"
        if not token:
            raise InterpolationSyntaxError("'$' must be followed by '$' or '{'", section, option)
        ref_section, _, ref_option = token[1:-1].rpartition(":")
        ref_section = ref_section or section
        try:
            raw = config.get(ref_section, ref_option, raw=True)
        except (NoSectionError, NoOptionError):
            raise InterpolationMissingError(
                f"no option {ref_option!r} in section {ref_section!r}", section, option
            ) from None
        replaced = True
        return raw

    return _TOKEN.sub(replace, value), replaced

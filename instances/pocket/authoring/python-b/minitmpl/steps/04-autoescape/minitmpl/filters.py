"""Built-in filters: `{{ value | name(arg, ...) }}` calls FILTERS[name](value, arg, ...)."""

from __future__ import annotations

from .markup import Markup, escape
from .runtime import Undefined


def default(value, fallback="", boolean=False):
    """`fallback` for an undefined value; with `boolean`, for any false value too."""
    if isinstance(value, Undefined) or (boolean and not value):
        return fallback
    return value


def join(value, separator=""):
    return str(separator).join(str(item) for item in value)


def replace(value, old, new):
    return str(value).replace(str(old), str(new))


def truncate(value, length=80, end="..."):
    """At most `length` characters, `end` included."""
    text = str(value)
    if len(text) <= length:
        return text
    return text[: max(length - len(end), 0)] + end


def first(value):
    return next(iter(value), Undefined("first"))


def last(value):
    items = list(value)
    return items[-1] if items else Undefined("last")


FILTERS = {
    "capitalize": lambda value: str(value).capitalize(),
    "default": default,
    "e": escape,
    "escape": escape,
    "first": first,
    "join": join,
    "last": last,
    "length": len,
    "lower": lambda value: str(value).lower(),
    "replace": replace,
    "safe": Markup,
    "title": lambda value: str(value).title(),
    "trim": lambda value: str(value).strip(),
    "truncate": truncate,
    "upper": lambda value: str(value).upper(),
}

"""HTML escaping, and Markup: a string that is already safe to emit as HTML."""

from __future__ import annotations


class Markup(str):
    """Text that autoescaping leaves alone. Objects with an `__html__` method convert to it."""

    __slots__ = ()

    def __new__(cls, value: object = "") -> Markup:
        if hasattr(value, "__html__"):
            value = value.__html__()
        return super().__new__(cls, value)

    def __html__(self) -> Markup:
        return self

    def __repr__(self) -> str:
        return f"Markup({str.__repr__(self)})"


def escape(value: object) -> Markup:
    """Escape the HTML special characters of `str(value)`; Markup and `__html__` objects pass through."""
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    text = str(value)
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;"))

"""Variable lookup while rendering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

_MISSING = object()


class Undefined:
    """A missing variable: renders as "" and is false, unless the template is strict."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __str__(self) -> str:
        return ""

    def __bool__(self) -> bool:
        return False

    def __iter__(self):
        return iter(())

    def __repr__(self) -> str:
        return f"Undefined({self.name!r})"


class Loop:
    """The `loop` variable inside a for block."""

    __slots__ = ("index0", "length")

    def __init__(self, index0: int, length: int):
        self.index0 = index0
        self.length = length

    @property
    def index(self) -> int:
        return self.index0 + 1

    @property
    def first(self) -> bool:
        return self.index0 == 0

    @property
    def last(self) -> bool:
        return self.index0 == self.length - 1


def get_attribute(value, name: str):
    """`value.name` in a template: a mapping key, then a sequence index, then a public attribute."""
    if isinstance(value, Mapping) and name in value:
        return value[name]
    if isinstance(value, Sequence) and not isinstance(value, str) and name.isdigit():
        index = int(name)
        return value[index] if index < len(value) else _MISSING
    if name.startswith("_"):
        return _MISSING
    return getattr(value, name, _MISSING)


class Context:
    """The variables of one render, as a stack of scopes."""

    def __init__(self, variables: Mapping):
        self._scopes = [dict(variables)]

    def push(self, scope: dict) -> None:
        self._scopes.append(scope)

    def pop(self) -> None:
        self._scopes.pop()

    def lookup(self, path: tuple[str, ...]):
        for scope in reversed(self._scopes):
            if path[0] in scope:
                value = scope[path[0]]
                break
        else:
            return Undefined(path[0])
        for depth, part in enumerate(path[1:], start=2):
            value = _MISSING if isinstance(value, Undefined) else get_attribute(value, part)
            if value is _MISSING:
                return Undefined(".".join(path[:depth]))
        return value

"""Exceptions raised by inikit."""


class Error(Exception):
    """Base class of every inikit error."""


class ParseError(Error):
    """The text is not valid INI; ``source`` and ``lineno`` say where."""

    def __init__(self, message, source="<string>", lineno=None):
        self.message = message
        self.source = source
        self.lineno = lineno
        where = source if lineno is None else f"{source}, line {lineno}"
        super().__init__(f"{where}: {message}")


class DuplicateSectionError(ParseError):
    """A section appears twice in one file, or is added twice."""


class DuplicateOptionError(ParseError):
    """An option appears twice in one section of one file."""

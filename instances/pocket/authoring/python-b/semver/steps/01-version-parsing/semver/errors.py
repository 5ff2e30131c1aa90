class SemverError(ValueError):
    """Base class of the errors raised by this package."""


class InvalidVersion(SemverError):
    """A string is not a valid semantic version."""

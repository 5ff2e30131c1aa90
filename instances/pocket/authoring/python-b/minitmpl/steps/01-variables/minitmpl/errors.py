class TemplateError(Exception):
    """Base class of the errors raised by this package."""


class TemplateSyntaxError(TemplateError):
    """The template source is malformed."""


class UndefinedError(TemplateError):
    """A strict template printed a variable that is not defined."""

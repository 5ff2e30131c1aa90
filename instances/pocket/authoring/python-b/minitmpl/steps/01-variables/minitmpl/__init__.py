"""A tiny text template engine."""

from .errors import TemplateError, TemplateSyntaxError, UndefinedError
from .template import Template, render

__all__ = ["Template", "TemplateError", "TemplateSyntaxError", "UndefinedError", "render"]
__version__ = "0.1.0"

"""A tiny text template engine."""

from .errors import TemplateError, TemplateSyntaxError, UndefinedError
from .markup import Markup, escape
from .template import Template, render

__all__ = ["Markup", "Template", "TemplateError", "TemplateSyntaxError", "UndefinedError", "escape", "render"]
__version__ = "0.1.0"

"""The Config object: named sections of string options."""

from .convert import to_bool, to_float, to_int, to_list
from .errors import DuplicateSectionError, NoOptionError, NoSectionError
from .parser import parse
from .writer import dump

DEFAULT = "DEFAULT"
_UNSET = object()


class Config:
    """Sections of options read from INI text.

    Option names are case-insensitive (they are stored lower-case); section names are
    case-sensitive. Values are strings. Options of the DEFAULT section, and those given
    as ``defaults``, apply to every section that does not set them. ``to_string()``
    writes the configuration back as INI text.
    """

    def __init__(self, defaults=None):
        self._defaults = {}
        self._sections = {}
        for option, value in (defaults or {}).items():
            self._defaults[self.optionxform(option)] = str(value)

    def optionxform(self, option):
        return option.lower()

    def read_string(self, text, source="<string>"):
        """Add the sections of ``text``; options read later replace earlier ones."""
        for name, options in parse(text, source, self.optionxform).items():
            target = self._defaults if name == DEFAULT else self._sections.setdefault(name, {})
            target.update(options)

    def read(self, path, encoding="utf-8"):
        with open(path, encoding=encoding) as handle:
            self.read_string(handle.read(), source=str(path))

    def to_string(self):
        return dump(self._defaults, self._sections)

    def write(self, handle):
        handle.write(self.to_string())

    def sections(self):
        """Section names in order, without DEFAULT."""
        return list(self._sections)

    def defaults(self):
        return dict(self._defaults)

    def has_section(self, section):
        return section in self._sections

    def add_section(self, section):
        if not isinstance(section, str) or not section.strip() or any(c in section for c in "[]\n"):
            raise ValueError(f"invalid section name: {section!r}")
        if section == DEFAULT:
            raise ValueError("DEFAULT always exists and cannot be added")
        if section in self._sections:
            raise DuplicateSectionError(f"section {section!r} already exists")
        self._sections[section] = {}

    def remove_section(self, section):
        return self._sections.pop(section, None) is not None

    def options(self, section):
        return list(self._options(section))

    def has_option(self, section, option):
        return section in self._sections and self.optionxform(option) in self._sections[section]

    def get(self, section, option, *, fallback=_UNSET):
        """The value of ``option`` in ``section``, else in the defaults.

        When neither has it, ``fallback`` is returned if given.
        """
        options = self._options(section)
        key = self.optionxform(option)
        if key in options:
            return options[key]
        if key in self._defaults:
            return self._defaults[key]
        if fallback is _UNSET:
            raise NoOptionError(option, section)
        return fallback

    def getint(self, section, option, *, fallback=_UNSET):
        return self._get_converted(section, option, to_int, fallback)

    def getfloat(self, section, option, *, fallback=_UNSET):
        return self._get_converted(section, option, to_float, fallback)

    def getboolean(self, section, option, *, fallback=_UNSET):
        return self._get_converted(section, option, to_bool, fallback)

    def getlist(self, section, option, *, sep=",", fallback=_UNSET):
        """Items separated by ``sep`` or newlines: "a, b" and "a\\n b" both give ["a", "b"]."""
        return self._get_converted(section, option, lambda value: to_list(value, sep), fallback)

    def set(self, section, option, value):
        if not isinstance(value, str):
            raise TypeError(f"option values must be strings, got {type(value).__name__}")
        self._options(section)[self.optionxform(option)] = value

    def remove_option(self, section, option):
        return self._options(section).pop(self.optionxform(option), None) is not None

    def items(self, section):
        return [(key, self.get(section, key)) for key in self._options(section)]

    def _get_converted(self, section, option, convert, fallback):
        return convert(self.get(section, option, fallback=fallback))

    def _options(self, section):
        if section == DEFAULT:
            return self._defaults
        try:
            return self._sections[section]
        except KeyError:
            raise NoSectionError(section) from None

"""The Config object: named sections of string options."""

from .errors import DuplicateSectionError, NoOptionError, NoSectionError
from .parser import parse


class Config:
    """Sections of options read from INI text.

    Option names are case-insensitive (they are stored lower-case); section names are
    case-sensitive. Values are strings.
    """

    def __init__(self):
        self._sections = {}

    def optionxform(self, option):
        return option.lower()

    def read_string(self, text, source="<string>"):
        """Add the sections of ``text``; options read later replace earlier ones."""
        for name, options in parse(text, source, self.optionxform).items():
            self._sections.setdefault(name, {}).update(options)

    def read(self, path, encoding="utf-8"):
        with open(path, encoding=encoding) as handle:
            self.read_string(handle.read(), source=str(path))

    def sections(self):
        return list(self._sections)

    def has_section(self, section):
        return section in self._sections

    def add_section(self, section):
        if not isinstance(section, str) or not section.strip() or any(c in section for c in "[]\n"):
            raise ValueError(f"invalid section name: {section!r}")
        if section in self._sections:
            raise DuplicateSectionError(f"section {section!r} already exists")
        self._sections[section] = {}

    def remove_section(self, section):
        return self._sections.pop(section, None) is not None

    def options(self, section):
        return list(self._options(section))

    def has_option(self, section, option):
        return section in self._sections and self.optionxform(option) in self._sections[section]

    def get(self, section, option):
        options = self._options(section)
        key = self.optionxform(option)
        if key not in options:
            raise NoOptionError(option, section)
        return options[key]

    def set(self, section, option, value):
        if not isinstance(value, str):
            raise TypeError(f"option values must be strings, got {type(value).__name__}")
        self._options(section)[self.optionxform(option)] = value

    def remove_option(self, section, option):
        return self._options(section).pop(self.optionxform(option), None) is not None

    def items(self, section):
        return [(key, self.get(section, key)) for key in self._options(section)]

    def _options(self, section):
        try:
            return self._sections[section]
        except KeyError:
            raise NoSectionError(section) from None

"""The Config object: named sections of string options."""

from .convert import to_bool, to_float, to_int, to_list
from .errors import DuplicateSectionError, NoOptionError, NoSectionError
from .interpolation import expand
from .parser import parse
from .section import SectionProxy
from .writer import dump

DEFAULT = "DEFAULT"
_UNSET = object()


class Config:
    """Sections of options read from INI text.

    Option names are case-insensitive (they are stored lower-case); section names are
    case-sensitive. Values are strings. Options of the DEFAULT section, and those given
    as ``defaults``, apply to every section that does not set them. Values may refer
    to other options as ${option} or ${section:option}. ``to_string()`` writes the
    configuration back as INI text, references unexpanded.
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

    def read_dict(self, data):
        """Add sections from ``{section: {option: value}}``; values go through str()."""
        for name, options in data.items():
            target = self._defaults if name == DEFAULT else self._sections.setdefault(name, {})
            for option, value in options.items():
                target[self.optionxform(option)] = str(value)

    def read(self, path, encoding="utf-8"):
        with open(path, encoding=encoding) as handle:
            self.read_string(handle.read(), source=str(path))

    def __getitem__(self, section):
        if section != DEFAULT and section not in self._sections:
            raise KeyError(section)
        return SectionProxy(self, section)

    def __contains__(self, section):
        return section in self._sections

    def __iter__(self):
        return iter(self._sections)

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

    def get(self, section, option, *, raw=False, fallback=_UNSET):
        """The value of ``option`` in ``section``, else in the defaults.

        References are expanded unless ``raw``. When neither the section nor the
        defaults have the option, ``fallback`` is returned if given.
        """
        try:
            value = self._lookup(section, option)
        except KeyError:
            if fallback is _UNSET:
                raise NoOptionError(option, section) from None
            return fallback
        return value if raw else expand(self, section, option, value)

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

    def items(self, section, *, raw=False):
        return [(key, self.get(section, key, raw=raw)) for key in self._options(section)]

    def _lookup(self, section, option):
        """The raw value of ``option`` in ``section``, else in the defaults.

        Raises NoSectionError for a missing section and KeyError when neither the section
        nor the defaults have the option.
        """
        options = self._options(section)
        if option in options:
            return options[option]
        return self._defaults[option]

    def _get_converted(self, section, option, convert, fallback):
        return convert(self.get(section, option, fallback=fallback))

    def _options(self, section):
        if section == DEFAULT:
            return self._defaults
        try:
            return self._sections[section]
        except KeyError:
            raise NoSectionError(section) from None

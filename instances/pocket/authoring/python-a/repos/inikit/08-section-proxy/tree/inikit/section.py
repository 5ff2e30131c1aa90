"""Mapping-style access to one section: cfg["server"]["port"]."""

from collections.abc import MutableMapping

from .errors import NoOptionError


class SectionProxy(MutableMapping):
    """A live view of one section of a Config; reads include the defaults."""

    def __init__(self, config, name):
        self._config = config
        self._name = name

    @property
    def name(self):
        return self._name

    def __repr__(self):
        return f"<Section: {self._name}>"

    def __getitem__(self, option):
        try:
            return self._config.get(self._name, option)
        except NoOptionError:
            raise KeyError(option) from None

    def __setitem__(self, option, value):
        self._config.set(self._name, option, value)

    def __delitem__(self, option):
        if not self._config.remove_option(self._name, option):
            raise KeyError(option)

    def __iter__(self):
        return iter(self._config.options(self._name))

    def __len__(self):
        return len(self._config.options(self._name))

    def getint(self, option, fallback=None):
        return self._config.getint(self._name, option, fallback=fallback)

    def getfloat(self, option, fallback=None):
        return self._config.getfloat(self._name, option, fallback=fallback)

    def getboolean(self, option, fallback=None):
        return self._config.getboolean(self._name, option, fallback=fallback)

"""Turn option strings into Python values."""

_BOOLEANS = {
    "1": True, "yes": True, "true": True, "on": True,
    "0": False, "no": False, "false": False, "off": False,
}


def to_bool(value):
    """"yes"/"no", "true"/"false", "on"/"off" or "1"/"0", in any case."""
    if isinstance(value, bool):
        return value
    try:
        return _BOOLEANS[str(value).strip().lower()]
    except KeyError:
        raise ValueError(f"not a boolean: {value!r}") from None


def to_int(value):
    return int(value)


def to_float(value):
    return float(value)


def to_list(value, sep=","):
    """Items separated by ``sep`` or by newlines, stripped; empty items are dropped."""
    if isinstance(value, list):
        return value
    items = []
    for line in value.splitlines():
        items.extend(item.strip() for item in line.split(sep))
    return [item for item in items if item]

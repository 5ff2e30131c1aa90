"""Serialise sections back to INI text."""


def dump(defaults, sections):
    """INI text for ``defaults`` (as [DEFAULT], when there are any) and ``sections``.

    Multi-line values are written with indented continuation lines, so that reading the
    text back gives the same values.
    """
    blocks = []
    if defaults:
        blocks.append(_block("DEFAULT", defaults))
    blocks.extend(_block(name, options) for name, options in sections.items())
    return "\n".join(blocks)


def _block(name, options):
    lines = [f"[{name}]"]
    for key, value in options.items():
        first, *rest = value.split("\n")
        lines.append(f"{key} = {first}".rstrip())
        lines.extend(f"    {line}" for line in rest)
    return "\n".join(lines) + "\n"

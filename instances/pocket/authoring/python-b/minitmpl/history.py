"""Commits of pocket/minitmpl: (step directory, date, message, tag or None), oldest first."""

AUTHOR = ("Tobias Lind", "tobias.lind@pocket.invalid")

STEPS = [
    (
        "01-variables",
        "2024-05-06T20:15:00+02:00",
        "Initial template engine: text, {{ variables }} with dotted lookup, comments",
        None,
    ),
    (
        "02-filters",
        "2024-05-09T21:03:00+02:00",
        "Add filters with arguments: default, join, replace, truncate, ...",
        None,
    ),
    (
        "03-blocks",
        "2024-05-18T10:47:00+02:00",
        "Add if/elif/else and for/else blocks",
        "v0.1.0",
    ),
    (
        "04-autoescape",
        "2024-06-01T15:22:00+02:00",
        "Add HTML autoescaping, Markup and the safe/escape filters",
        None,
    ),
    (
        "05-whitespace",
        "2024-06-08T09:30:00+02:00",
        "Whitespace control with {%- -%}, {{- -}} and {#- -#}",
        "v0.2.0",
    ),
    (
        "06-loop-variable",
        "2024-06-21T19:12:00+02:00",
        "Expose loop.index, loop.index0, loop.length, loop.first and loop.last in for blocks",
        None,
    ),
]

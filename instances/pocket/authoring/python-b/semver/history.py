"""Commits of pocket/semver: (step directory, date, message, tag or None), oldest first."""

AUTHOR = ("Mira Castell", "mira.castell@pocket.invalid")

STEPS = [
    (
        "01-version-parsing",
        "2024-03-04T10:12:00+01:00",
        "Parse, compare and format semantic versions\n\n"
        "Version.parse() follows SemVer 2.0.0: pre-release identifiers compare numerically or\n"
        "lexically, releases sort after their pre-releases, build metadata is ignored.",
        "v0.1.0",
    ),
    (
        "02-bump",
        "2024-03-07T18:40:00+01:00",
        "Add Version.bump_major/minor/patch/prerelease",
        None,
    ),
    (
        "03-ranges",
        "2024-03-15T09:05:00+01:00",
        "Add npm-style ranges: comparators, X-ranges, hyphen ranges and ||",
        "v0.2.0",
    ),
    (
        "04-caret-tilde",
        "2024-03-22T14:31:00+01:00",
        "Support caret (^) and tilde (~) ranges",
        None,
    ),
    (
        "05-satisfying",
        "2024-04-02T11:20:00+02:00",
        "Add satisfies, max_satisfying, min_satisfying and a small CLI",
        "v0.3.0",
    ),
    (
        "06-string-identifiers",
        "2024-04-20T16:02:00+02:00",
        "Keep pre-release identifiers as strings\n\n"
        "Version.prerelease mixed ints and strings, so '-'.join(v.prerelease) raised TypeError and\n"
        "Version(1, 0, 0, ('rc', 1)) was not equal to Version.parse('1.0.0-rc.1') once formatted.\n"
        "Identifiers are now always strings; numeric ones are recognised when comparing.",
        None,
    ),
]

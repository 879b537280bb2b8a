"""England only: a knowledge file must not cite Welsh, Scottish or Northern Irish material.

The assistant answers for England. Wales, Scotland and Northern Ireland have their own systems (see the
`outside-england` article), so a source address that names one of them, such as IPSEA's old
"transport-wales" page or a gov.wales, gov.scot or nidirect page, is almost always the wrong source for an
England answer. `foreign_source_problem` says why such a source is refused; the knowledge check reports it
with the file and line. Only the `outside-england` article may cite these sources.

Pure functions, no imports from the rest of the bot, so any loader can call them.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from urllib.parse import urlparse

# The one file allowed to cite the other UK nations' material (by file name, without the extension).
EXEMPT_FILES = frozenset({"outside-england"})

# Whole words in an address (host or path) that name another UK nation.
_NATION_WORDS: dict[str, str] = {
    "wales": "Wales",
    "welsh": "Wales",
    "cymru": "Wales",
    "scotland": "Scotland",
    "scottish": "Scotland",
    "scot": "Scotland",
    "northernireland": "Northern Ireland",
    "nidirect": "Northern Ireland",
}
# Web addresses run by another UK nation's government.
_NATION_HOSTS: dict[str, str] = {
    "gov.wales": "Wales",
    "gov.scot": "Scotland",
    "nidirect.gov.uk": "Northern Ireland",
    "education-ni.gov.uk": "Northern Ireland",
}
# legislation.gov.uk document types made by the devolved legislatures (the first part of the path).
_LEGISLATION_TYPES: dict[str, str] = {
    "anaw": "Wales",  # Act of the National Assembly for Wales
    "asc": "Wales",  # Act of Senedd Cymru
    "mwa": "Wales",  # Measure of the National Assembly for Wales
    "wsi": "Wales",  # Wales Statutory Instrument
    "asp": "Scotland",  # Act of the Scottish Parliament
    "ssi": "Scotland",  # Scottish Statutory Instrument
    "nia": "Northern Ireland",  # Act of the Northern Ireland Assembly
    "nisi": "Northern Ireland",  # Northern Ireland Order in Council
    "nisr": "Northern Ireland",  # Northern Ireland Statutory Rule
    "apni": "Northern Ireland",  # Act of the Northern Ireland Parliament
}
# Phrases that name Wales together with England: law for both is still England's law.
_ENGLAND_AND_WALES = re.compile(r"england[-_ ]?(and[-_ ]?)?wales", re.IGNORECASE)


def foreign_nation(url: str) -> str | None:
    """The UK nation other than England that a source address names ("Wales", ...), or None."""
    parsed = urlparse(url.strip())
    host = (parsed.hostname or "").lower()
    for suffix, nation in _NATION_HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return nation
    path = parsed.path.lower()
    if host.endswith("legislation.gov.uk"):
        parts = [part for part in path.split("/") if part]
        if parts and parts[0] in ("id", "cy"):  # /id/asp/... and the Welsh-language view /cy/asp/...
            parts = parts[1:]
        if parts and parts[0] in _LEGISLATION_TYPES:
            return _LEGISLATION_TYPES[parts[0]]
    text = _ENGLAND_AND_WALES.sub(" ", f"{host} {path} {parsed.query}")
    words = re.split(r"[^a-z0-9]+", text.lower())
    joined = [a + b for a, b in zip(words, words[1:], strict=False)]  # "northern-ireland" -> "northernireland"
    for word in (*words, *joined):
        if word in _NATION_WORDS:
            return _NATION_WORDS[word]
    return None


def foreign_source_problem(url: str, path: str | PurePath) -> str | None:
    """Why a source in the knowledge file at `path` is refused, or None if it is fine.

    Every knowledge file answers for England, except the `outside-england` article, which may cite the
    other nations' material.
    """
    if PurePath(path).stem in EXEMPT_FILES:
        return None
    nation = foreign_nation(url)
    if nation is None:
        return None
    return (
        f"url '{url.strip()}' is about {nation}, but this file answers for England: cite an England "
        "source instead (only the outside-england article may cite Wales, Scotland or Northern Ireland)"
    )

"""Search text: folding, query terms, highlighting and snippets, the same on every database.

`fold` (core.spelling) is the spelling-forgiving form both sides of a
comparison are reduced to: accents dropped, lower case, ß as ss, and the
umlauts' transcriptions ae, oe, ue read as a, o, u, so that "Mueller",
"Muller" and "Müller" all become "muller". The SQL function kam_fold is the
same in the database: PostgreSQL's unaccent, lower and the same replacements
(search/migrations/0001), and this function itself on SQLite (search.apps).
For Latin letters both agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.spelling import fold

__all__ = ["MAX_LENGTH", "MIN_LENGTH", "Query", "fold", "highlight", "matches", "snippet", "stem"]

MIN_LENGTH = 2
MAX_LENGTH = 100
MAX_TERMS = 6
# Terms this long or longer also find names like them (a small typo: pg_trgm's
# word similarity); a shorter one is like too many.
SIMILAR_LENGTH = 4
# Letters and digits only: whatever else is typed (tsquery operators, quotes,
# SQL, NUL) separates words and never reaches the database as syntax.
_WORD = re.compile(r"[^\W_]+")
# Endings the fallback (SQLite) strips from a longer word, so that
# "contracts" finds "contract" and "Verträgen" finds "Vertrag".
_ENDINGS = ("ungen", "ung", "en", "er", "es", "e", "s", "n")
_VARIANTS = {"a": "a|ä|ae|à|á|â|å", "o": "o|ö|oe|ò|ó|ô|ø", "u": "u|ü|ue|ù|ú|û"}


def stem(term: str) -> str:
    """A crude German and English stem of a folded word, for the SQLite fallback."""
    for ending in _ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= 4:
            return term[: -len(ending)]
    return term


@dataclass(frozen=True)
class Query:
    """What was typed, bounded and split into folded terms."""

    text: str

    @cached_property
    def terms(self) -> tuple[str, ...]:
        found: list[str] = []
        for word in _WORD.findall(fold(self.text) or ""):
            if word not in found:
                found.append(word)
        return tuple(found[:MAX_TERMS])

    def name_args(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[bool, ...], str, str]:
        """What a name search compares with (search.expressions.NameArgs): each
        term as %term%, each term, whether it is long enough for word
        similarity, and the first term as a name's and as a later word's start.

        Made here, before the query is built: a kept query's parameters must
        be its arguments (core.prepared).
        """
        first = self.terms[0]
        return (
            tuple(f"%{term}%" for term in self.terms),
            self.terms,
            tuple(len(term) >= SIMILAR_LENGTH for term in self.terms),
            f"{first}%",
            f"% {first}%",
        )

    def text_args(self) -> tuple[str, tuple[str, ...]]:
        """What a text search compares with (search.expressions.text_filter): every
        term as a prefix in a tsquery (PostgreSQL), each term's stem as %stem% (SQLite)."""
        tsquery = " & ".join(f"{term}:*" for term in self.terms)
        return tsquery, tuple(f"%{stem(term)}%" for term in self.terms)

    @property
    def is_searchable(self) -> bool:
        return bool(self.terms) and len(self.text.strip()) >= MIN_LENGTH

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """Finds the terms (or their stems) in original text, whatever its spelling."""
        if not self.terms:
            return None
        words = sorted({stem(t) for t in self.terms} | set(self.terms), key=len, reverse=True)
        return re.compile("|".join(_spelled(word) for word in words), re.IGNORECASE)


def _spelled(word: str) -> str:
    """A regular expression for `word` (folded) in any of its spellings."""
    parts = []
    i = 0
    while i < len(word):
        if word.startswith("ss", i):
            parts.append("(?:ss|ß)")
            i += 2
            continue
        char = word[i]
        parts.append(f"(?:{_VARIANTS[char]})" if char in _VARIANTS else re.escape(char))
        i += 1
    return "".join(parts)


def highlight(text: str, query: Query) -> SafeString:
    """`text` escaped, with every match of the query's terms in <mark>."""
    pattern = query.pattern
    if pattern is None or not text:
        return escape(text)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        if match.end() == match.start():
            continue
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(text: str, query: Query, *, width: int = 60) -> SafeString:
    """The part of a long `text` around its first match, highlighted."""
    text = " ".join(text.split())
    pattern = query.pattern
    match = pattern.search(text) if pattern else None
    first, last = (match.start(), match.end()) if match else (0, 0)
    start = max(0, first - width)
    end = min(len(text), last + width * 2)
    # Whole words only: a cut inside a word ("… anuary 2026") moves to the
    # space next to it, unless that leaves no context on that side (a long
    # address or compound beside the match): then the word stays cut.
    if start > 0 and not text[start - 1].isspace():
        space = text.find(" ", start, first)
        if space != -1 and space < first - 1:
            start = space + 1
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", last, end)
        if space > last:
            end = space
    piece = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(escape(prefix) + highlight(piece, query) + escape(suffix))


def matches(text: str, query: Query) -> bool:
    return bool(text and query.pattern and query.pattern.search(text))

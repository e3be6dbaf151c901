"""The people pickers' type-ahead: who matches what a person types, and in what order.

`suggest` is the one matching rule of `people_pick` (accounts/views/pickers.py)
and of the pickers' fields (users/pickers.py): every typed word starts a word
of the first name, surname or user name, in any of its spellings
(core.spelling.spellings: "mue" and "mu" both find Müller, "mue" does not
find Mustermann). The database narrows by spelling; the exact rule decides
in Python. Suggestions come in the search's name order: surnames starting
with the first word, then first names, then every other hit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models import Func, Q, QuerySet, Value
from django.db.models.functions import Collate, Concat, Lower

from core.spelling import spellings
from users.models import User

QUERY_MAX = 60  # longer than any name we hold; more is not a search
SUGGESTION_LIMIT = 20
_CANDIDATES = 2 * SUGGESTION_LIMIT  # the database's filter is nearly exact: a margin is enough
_VARIANTS_MAX = 8  # spellings tried in the database per word
_WORDS_MAX = 4

# How a typed word may be spelled in the database: "mue" also as "mü".
_EXPAND = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"), ("ss", "ß"), ("a", "ä"), ("o", "ö"), ("u", "ü"))


# "first last username", as users/migrations/0004 indexes it.
PICKER_NAMES = Concat("first_name", Value(" "), "last_name", Value(" "), "username")
# The orders of tiers 0 and 1, those of the btrees of users/migrations/0005.
_LAST_FIRST = ("picker_last", "picker_first", "username", "pk")
_FIRST_LAST = ("picker_first", "picker_last", "username", "pk")
# Letters a name is sorted and ranged under as their base letter, as a phone
# book has it ("Ä" as "A"), in both cases: PostgreSQL's lower() may know only
# ASCII. users/migrations/0005 indexes exactly this translate().
_ACCENTED_LOWER = "äöüáàâãåéèêëíìîïóòôõúùûýÿçñ"
_PLAIN_LOWER = "aouaaaaaeeeeiiiioooouuuyycn"
ACCENTED = _ACCENTED_LOWER + _ACCENTED_LOWER.upper()
PLAIN = _PLAIN_LOWER * 2
_TO_PLAIN = str.maketrans(ACCENTED, PLAIN)


def name_key(field: str) -> Func:
    """The name as the first tiers range and sort it: lower case, base letters,
    compared byte by byte (COLLATE "C", whatever the database's collation).
    SQLite, which has no translate(), compares the lower-cased name."""
    if connection.vendor != "postgresql":
        return Lower(field)
    plain = Func(Lower(field), Value(ACCENTED), Value(PLAIN), function="translate")
    return Collate(plain, "C")


def plain_key(word: str) -> str:
    """name_key of a typed `word`, as PostgreSQL's lower() in any locale writes it."""
    return word.lower().translate(_TO_PLAIN)


def key_ranges(spelled: Sequence[str]) -> dict[str, list[str]]:
    """The spellings of a word by the range of name_key (PostgreSQL) they lie in:
    "bau", "bäu", "baü" and "bäü" all in "bau"; "mue" in "mue" and "mü" in "mu".

    Each spelling is lowered twice, as a database whose lower() knows every
    letter and as one that knows only ASCII (its C locale) would: "Łukasz"
    lies in one range or two.
    """
    ranges: dict[str, list[str]] = {}
    for word in spelled:
        ascii_lowered = "".join(c.lower() if c.isascii() else c for c in word)
        for key in dict.fromkeys([plain_key(word), ascii_lowered.translate(_TO_PLAIN)]):
            ranges.setdefault(key, []).append(word)
    return ranges


def words(query: str) -> list[str]:
    # Brackets too: a label pasted back, "Jürgen Müller (jmueller)", still finds him.
    return [w for w in re.split(r"[\s,()]+", query.casefold()[:QUERY_MAX]) if w]


def _spellings(word: str) -> list[str]:
    """How `word` may be written in the database: "mue" as "mue" or "mü"."""
    found = {word}
    for plain, umlaut in _EXPAND:
        found |= {s.replace(plain, umlaut) for s in found}
        if len(found) >= _VARIANTS_MAX:
            break
    spelled = sorted(found)[:_VARIANTS_MAX]
    # PostgreSQL's ~* folds case as the database's locale says, which may know
    # only ASCII: "über" also tries "Über".
    return [*spelled, *(s[:1].upper() + s[1:] for s in spelled if not s[:1].isascii())]


def _matches(person: Any, query_words: Sequence[str]) -> bool:
    written = (person.first_name, person.last_name, person.username)
    names = [f for n in written for f in spellings(n)]
    names += [part for n in names for part in re.split(r"[\s\-]+", n)[1:]]  # "Anna-Lena"
    return all(any(n.startswith(f) for n in names for f in spellings(w)) for w in query_words)


def _word_pattern(word: str) -> str:
    """A word of the names starting with `word` in one of its spellings.

    One regular expression over all three names: PostgreSQL scans 3,257 people
    in a quarter of the time three LIKEs per spelling take.
    """
    spellings = "|".join(re.escape(s) for s in _spellings(word))
    return rf"(^|[ -])({spellings})"


def suggest(queryset: QuerySet[User], query: str) -> list[Any]:
    """Up to SUGGESTION_LIMIT people of `queryset` whose names start with each word
    of `query`, in any of its spellings; one to three queries whatever the data size.

    In the order of the search's names (search.expressions.by_name): surnames
    starting with the first word, then first names, then every other hit
    (a user name, a second surname or the second half of "Anna-Lena"), tier by
    tier and only while the earlier ones fall short.
    """
    query_words = words(query)[:_WORDS_MAX]
    if not query_words:
        return []
    found: dict[int, Any] = {}  # a person in two ranges of a tier is suggested once
    for tier in _tiers(queryset, query_words):
        # The database narrows by spelling; the exact rule (spellings) decides here.
        found |= {p.pk: p for p in tier if _matches(p, query_words)}
        if len(found) >= SUGGESTION_LIMIT:
            break
    return list(found.values())[:SUGGESTION_LIMIT]


def _tiers(queryset: QuerySet[User], query_words: Sequence[str]) -> Iterator[list[Any]]:
    """The candidates of each tier in turn, up to _CANDIDATES each.

    Tiers 0 and 1: the surname, then the first name, starts with a spelling
    of the first word. On PostgreSQL each is a range of a btree of
    users/migrations/0005 (name_key), read in the tier's order and only as
    deep as the suggestions go, even when thousands of names share the
    prefix ("bau": 5,557 of 50,000 people in `make bench SCALE=5000`); the
    spellings are checked on the rows of the range. Tier 2 is every other hit
    (a user name, a second surname, "Lena" of "Anna-Lena"), through the
    trigram index (_candidates), sorted whole: few people have one.
    """
    word, spelled = query_words[0], _spellings(query_words[0])
    people = (
        queryset.annotate(picker_last=name_key("last_name"), picker_first=name_key("first_name"))
        .alias(
            picker_names=PICKER_NAMES,
            picker_last_low=Lower("last_name"),
            picker_first_low=Lower("first_name"),
        )
        .only("pk", "first_name", "last_name", "username")
    )
    # The other words: anywhere in the names, as in tier 2.
    people = people.filter(*(Q(picker_names__iregex=_word_pattern(w)) for w in query_words[1:]))
    by_last, by_first = _starts("last", spelled), _starts("first", spelled)
    yield _in_order(_ranges(people, "last", word, spelled), _LAST_FIRST)
    yield _in_order(_ranges(people.exclude(by_last), "first", word, spelled), _FIRST_LAST)
    rest = _candidates(people, [word]).exclude(by_last | by_first)
    yield list(rest.order_by("last_name", "first_name", "username", "pk")[:_CANDIDATES])


def _ranges(
    people: QuerySet[User], name: str, word: str, spelled: Sequence[str]
) -> list[QuerySet[User]]:
    """`people` whose surname (`name` "last") or first name starts with a spelling
    of `word`, as one queryset per range of its btree (PostgreSQL).

    A word typed in plain letters ("bau") holds every umlaut in its spellings:
    its range is what they find, give or take an accent that the exact rule
    ignores too, and is read as it is. Any other range is checked against the
    spellings in it: that of a word typed with an umlaut ("müller" does not
    find "Muller"), and that of a spelling shorter than the word ("mü" of
    "mue" lies in "mu", where "Mustermann" would crowd out "Müller").
    """
    if connection.vendor != "postgresql":  # no index to range over: the spellings
        return [people.filter(_starts(name, spelled))]
    own = plain_key(word)
    found = []
    for key, spellings_in_range in key_ranges(spelled).items():
        in_range = people.filter(**{f"picker_{name}__startswith": key})
        if key != own or word != own:
            in_range = in_range.filter(_starts(name, spellings_in_range))
        found.append(in_range)
    return found


def _starts(name: str, spelled: Sequence[str]) -> Q:
    """The lower-cased surname (`name` "last") or first name starts with one of `spelled`."""
    return Q(*(Q(**{f"picker_{name}_low__startswith": s}) for s in spelled), _connector=Q.OR)


def _in_order(ranges: list[QuerySet[User]], order: tuple[str, ...]) -> list[Any]:
    """The first _CANDIDATES people of all `ranges` together, in `order`.

    Several ranges (PostgreSQL only, _ranges) are each read in the order of
    their index and stop at _CANDIDATES: a UNION ALL of them, sorted again (at
    most a few hundred rows), where an OR would be a bitmap of all their
    rows, sorted whole.
    """
    first, *more = (r.order_by(*order)[:_CANDIDATES] for r in ranges)
    return list(first.union(*more, all=True).order_by(*order)[:_CANDIDATES] if more else first)


def _candidates(queryset: QuerySet[User], query_words: Sequence[str]) -> QuerySet[User]:
    """People whose names hold a word starting with each of `query_words`, in any spelling.

    On PostgreSQL the trigram index of users/migrations/0004 answers this: it
    indexes exactly the expression Concat writes here.
    """
    found = Q(*(Q(picker_names__iregex=_word_pattern(w)) for w in query_words))
    return (
        queryset.alias(picker_names=PICKER_NAMES)
        .filter(found)
        .only("pk", "first_name", "last_name", "username")
    )

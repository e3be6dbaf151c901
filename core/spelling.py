"""How names and words are spelled: umlauts, ß and accents, in one place.

German writes "Müller" also as "Mueller" (a keyboard without umlauts) and
sometimes as "Muller". Two readings serve the two kinds of matching:

- `fold`, for search (search.text, and kam_fold in the database): one form
  for every spelling: accents dropped, lower case, ß as ss, and the
  transcriptions ae, oe, ue read as a, o, u: "Mueller", "Muller" and "Müller"
  all become "muller".
- `spellings`, for the people pickers' prefix match (users.pickers): the two
  forms a name is written in, "mueller" and "muller", so that a prefix typed
  either way ("mue", "mu") finds it, but "mue" does not find "Mustermann".
"""

from __future__ import annotations

import unicodedata

# Letters NFKD does not take apart but PostgreSQL's unaccent does.
_UNACCENT = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "æ": "ae", "Æ": "AE"}
    | {"œ": "oe", "Œ": "OE", "ß": "ss", "ẞ": "SS"}
)
# The umlauts' transcriptions, as a German keyboard without them writes.
_TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})


def strip_accents(text: str) -> str:
    """`text` without accents or umlaut dots, ß as ss: "Müller" -> "Muller"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNACCENT))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str | None) -> str | None:
    """The spelling-forgiving form of `text` for search (None stays None, as in SQL)."""
    if text is None:
        return None
    plain = strip_accents(str(text)).lower()
    return plain.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def spellings(text: str) -> tuple[str, str]:
    """The two spellings a name is matched in: "Müller" as "mueller" and "muller"."""
    low = text.casefold()
    return strip_accents(low.translate(_TRANSLITERATE)), strip_accents(low)

"""The address (slug) of a new key account, derived from its name."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.text import slugify

from accounts.models import KeyAccount

SLUG_MAX = KeyAccount._meta.get_field("slug").max_length
# Room kept for a suffix such as "-12345": plenty for accounts sharing a name.
SUFFIX_ROOM = 6


def free_slug(name: str, *, reserved: Collection[str] = ()) -> str:
    """Derive "nordwind" from "Nordwind", else the first free of "nordwind-2", "nordwind-3", ...

    Accounts may share a name (a subsidiary, a restart), so a taken address
    is no reason to refuse the account. '' when the name has no letter or
    digit an address can use. Two queries at most, however many are taken.
    """
    base = slugify(name)[:SLUG_MAX].strip("-")
    if not base:
        return ""
    if base not in reserved and not KeyAccount.objects.filter(slug=base).exists():
        return base
    stem = base[: SLUG_MAX - SUFFIX_ROOM].strip("-")
    taken = set(KeyAccount.objects.filter(slug__startswith=stem).values_list("slug", flat=True))
    n = 2
    while f"{stem}-{n}" in taken or f"{stem}-{n}" in reserved:
        n += 1
    return f"{stem}-{n}"

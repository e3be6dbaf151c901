"""Cached page fragments that are never stale: keys carry change counters.

The heaviest pages (account overview, RACI matrix, touchpoint plan, my roles,
my touchpoints, portfolio) spend most of their time rendering the same HTML
again. Their main block is cached per viewer, and the key holds everything
the HTML depends on:

- the viewer (what they may see and do differs per person) and a digest of
  their CSRF secret (the fragments hold forms), the language and today's
  date (overdue marks, the current quarter), the page's own parameters;
- the counters (CacheGeneration) of the data shown: ``account:<pk>`` and
  ``shared`` for an account's pages, ``all`` for pages across accounts.

Every save, delete and many-to-many change of the project's models moves
those counters once its transaction commits (`connect_signals`), so the next
request builds a new key and renders afresh; old entries are never read
again and age out. Reading the counters first and the data after is what
makes this safe: a fragment rendered from older data is stored under the
older counters only.

Writes that bypass model signals (QuerySet.update, bulk_create) must sit
next to a regular save of the same scope or call `bump` themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

# Entries age out after this long even if nothing changed: a bound on memory
# and on how long a lost counter update (the database gone right after a
# commit) could show old data.
TIMEOUT_SECONDS = 10 * 60

# The apps whose data the cached fragments show.
WATCHED_APPS = ("accounts", "profiles", "raci", "touchpoints", "portfolio", "coaching", "auth")


def _after_commit(func: Callable[[], None]) -> None:
    # robust: the data is committed by now; a failed counter update is logged
    # (and bounded by TIMEOUT_SECONDS) rather than turned into an error page.
    # A seam for the test suite, whose transactions never commit.
    transaction.on_commit(func, robust=True)


def bump(scopes: Iterable[str]) -> None:
    """Move the counters of `scopes` by one, after the current transaction commits."""
    ordered = sorted(set(scopes))  # one lock order for all writers: no deadlocks

    def run() -> None:
        table = connection.ops.quote_name(_generation_model()._meta.db_table)
        rows = ", ".join(["(%s, 1)"] * len(ordered))
        # The table name is ours and the scopes are bound parameters.
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (scope, value) VALUES {rows} "
                f"ON CONFLICT (scope) DO UPDATE SET value = {table}.value + 1",
                ordered,
            )

    _after_commit(run)


def _generation_model() -> type[models.Model]:
    return apps.get_model("accounts", "CacheGeneration")


def account_scope(account_id: int) -> str:
    return f"account:{account_id}"


def account_scopes(account_id: int) -> list[str]:
    """What an account's pages show: its own data and the shared people and catalogues."""
    return [account_scope(account_id), "shared"]


ALL = ["all"]  # pages across accounts


def _account_id_of(instance: models.Model) -> int | None:
    """The key account `instance` belongs to, if any (directly or one step away)."""
    if instance._meta.label == "accounts.KeyAccount":
        return instance.pk
    account_id = getattr(instance, "account_id", None)
    if account_id is not None:
        return account_id
    # One step away: a plan's targets, a task's letters, a self-check's answers.
    for field in instance._meta.concrete_fields:
        if not field.many_to_one or not field.related_model:
            continue
        if not any(f.name == "account" for f in field.related_model._meta.concrete_fields):
            continue
        if field.is_cached(instance):
            parent = getattr(instance, field.name)
            return getattr(parent, "account_id", None)
        parent_id = getattr(instance, field.attname)
        try:
            return field.related_model._default_manager.values_list("account_id", flat=True).get(
                pk=parent_id
            )
        except ObjectDoesNotExist:
            return None  # the parent went first (a cascade): fall back to "shared"
    return None


def scopes_of(instance: models.Model) -> list[str]:
    """The counters a change of `instance` moves; "shared" when no one account owns it."""
    account_id = _account_id_of(instance)
    if account_id is None:
        return ["all", "shared"]
    if instance._meta.label in VISIBILITY_MODELS or getattr(instance, _STATUS_MOVED, False):
        return ["all", "shared", account_scope(account_id)]
    return ["all", account_scope(account_id)]


# Changes that alter what a viewer may see of a colleague on *every* account's
# pages, not only on this account's: whether two people share an active team
# decides who sees whose colours (profiles.access). They move "shared" as
# well, which every account page's key holds: a team change anywhere, a share,
# and an account's status (archiving ends its team's shares).
VISIBILITY_MODELS = frozenset({"accounts.AccountTeamMember", "profiles.ProfileShare"})
_STATUS_MOVED = "_fragments_status_moved"


def _note_status_change(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if instance.pk is None or (update_fields is not None and "status" not in update_fields):
        return
    old = sender._default_manager.filter(pk=instance.pk).values_list("status", flat=True).first()
    setattr(instance, _STATUS_MOVED, old is not None and old != instance.status)


def _on_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # logging in changes nothing any page shows
    bump(scopes_of(instance))


def _on_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    bump(scopes_of(instance))


def _on_m2m(sender: type[models.Model], instance: models.Model, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        bump(scopes_of(instance))


def connect_signals() -> None:
    """Watch every model of WATCHED_APPS (history tables excepted: they follow their model)."""
    pre_save.connect(
        _note_status_change,
        sender=apps.get_model("accounts", "KeyAccount"),
        dispatch_uid="fragments:status",
    )
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            if hasattr(model, "instance_type"):  # a django-simple-history table
                continue
            uid = f"fragments:{model._meta.label}"
            post_save.connect(_on_save, sender=model, dispatch_uid=uid)
            post_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _on_m2m, sender=field.remote_field.through, dispatch_uid=f"{uid}.{field.name}"
                )


# Fetched with every page's first key, so the page and its navigation bar
# share one query.
ALWAYS = ("all", "shared")


def _versions(request: HttpRequest, scopes: list[str]) -> list[str]:
    known: dict[str, int] | None = getattr(request, "_fragment_versions", None)
    if known is None or any(scope not in known for scope in scopes):
        wanted = sorted({*ALWAYS, *scopes, *(known or {})})
        # Plain SQL: this runs on every cached page, and building it through
        # the ORM costs more than the query itself.
        table = connection.ops.quote_name(_generation_model()._meta.db_table)
        marks = ", ".join(["%s"] * len(wanted))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT scope, value FROM {table} WHERE scope IN ({marks})", wanted)
            known = dict.fromkeys(wanted, 0) | dict(cursor.fetchall())
        request._fragment_versions = known  # type: ignore[attr-defined]
    return [f"{scope}={known[scope]}" for scope in scopes]


def key(request: HttpRequest, name: str, scopes: list[str], *parts: object) -> str:
    """The cache key of fragment `name` for this viewer at the current counters."""
    if "CSRF_COOKIE" not in request.META:
        get_token(request)  # a first visit: make the secret the fragment's forms will use
    secret = request.META["CSRF_COOKIE"]
    raw = "|".join(
        [
            name,
            str(request.user.pk),
            hashlib.sha256(secret.encode()).hexdigest()[:16],
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            *_versions(request, scopes),
            *(str(p) for p in parts),
        ]
    )
    return "fragment:" + hashlib.sha256(raw.encode()).hexdigest()


def render_cached(
    request: HttpRequest,
    template_name: str,
    build_context: Callable[[], dict[str, Any]],
    *,
    scopes: list[str],
    parts: Iterable[object] = (),
) -> SafeString:
    """Render `template_name` with `build_context()`, or reuse the HTML from the cache.

    `build_context` runs only on a miss, so the queries behind the fragment
    are skipped on a hit.
    """
    cache_key = key(request, template_name, scopes, *parts)
    html = cache.get(cache_key)
    if html is None:
        html = render_to_string(template_name, build_context(), request)
        cache.set(cache_key, html, TIMEOUT_SECONDS)
    # Our own template rendered it, escaping what it had to.
    return mark_safe(html)

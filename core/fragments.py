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

Every save, delete and many-to-many change of a *declared* model moves those
counters once its transaction commits, so the next request builds a new key
and renders afresh; old entries are never read again and age out. Reading the
counters first and the data after is what makes this safe: a fragment
rendered from older data is stored under the older counters only.

Declaring a model
-----------------
Every model whose data a page shows is declared with `watch`, in its app's
``AppConfig.ready()`` (this module knows no app of ours)::

    fragments.watch(KeyAccount, account="self", visibility_fields=("status",))
    fragments.watch(Touchpoint, account="account")  # a foreign key to the account
    fragments.watch(PlanObjective, account="plan__account")  # one step further
    fragments.watch(TeamRole, BuyingCentreRole)  # shared data: no account

A path that does not end at the account model is refused at start-up, and
tests/test_fragments.py fails for any model of ours that is not declared.
History tables (django-simple-history) are not declared: they follow their
model.

Writes that bypass model signals (QuerySet.update, bulk_create, bulk_update,
raw SQL) move no counter: they must call `bump` themselves with the scopes of
what they changed (`scopes_of` of a row, `account_scopes`), or sit in the
same transaction as a regular save of the same scopes.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ObjectDoesNotExist
from django.db import connection, models, transaction
from django.db.models import Field, Model
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


def _after_commit(func: Callable[[], None]) -> None:
    # robust: the data is committed by now; a failed counter update is logged
    # (and bounded by TIMEOUT_SECONDS) rather than turned into an error page.
    # A seam for the test suite, whose transactions never commit.
    transaction.on_commit(func, robust=True)


# Scopes waiting for the commit: the first callback moves them all in one statement
# (four rows written, one counter update). A rollback's scopes move with the next
# commit: one more cache miss, never a stale page.
_pending = threading.local()


def bump(scopes: Iterable[str]) -> None:
    """Move the counters of `scopes` by one, after the current transaction commits."""
    waiting: set[str] = getattr(_pending, "scopes", None) or set()
    waiting.update(scopes)
    _pending.scopes = waiting
    _after_commit(_move_pending)


def _move_pending() -> None:
    ordered = sorted(getattr(_pending, "scopes", None) or ())  # one lock order: no deadlocks
    _pending.scopes = set()
    if not ordered:
        return
    table = connection.ops.quote_name(_generation_model()._meta.db_table)
    rows = ", ".join(["(%s, 1)"] * len(ordered))
    # The table name is ours and the scopes are bound parameters.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, value) VALUES {rows} "
            f"ON CONFLICT (scope) DO UPDATE SET value = {table}.value + 1",
            ordered,
        )


def _generation_model() -> type[models.Model]:
    return apps.get_model("core", "CacheGeneration")


def account_scope(account_id: int) -> str:
    return f"account:{account_id}"


def account_scopes(account_id: int) -> list[str]:
    """What an account's pages show: its own data and the shared people and catalogues."""
    return [account_scope(account_id), "shared"]


ALL = ["all"]  # pages across accounts


# Declarations ----------------------------------------------------------------

# `watch(..., account=ACCOUNT_ITSELF)`: the row *is* a key account.
ACCOUNT_ITSELF = "self"


@dataclass(frozen=True)
class Watched:
    """How changes of one declared model move the counters (made by `watch`)."""

    model: type[Model]
    # None (shared data), "self", "<fk>" or "<fk>__<fk>": see `watch`.
    account: str | None
    visibility: bool
    visibility_fields: tuple[str, ...]
    # The foreign keys `account` walks, resolved and checked at registration.
    path: tuple[Field, ...] = field(repr=False, compare=False)

    def account_id_of(self, instance: Model) -> int | None:
        """The key account `instance` belongs to; None for shared data."""
        if self.account is None:
            return None
        if self.account == ACCOUNT_ITSELF:
            return instance.pk
        if len(self.path) == 1:
            return getattr(instance, self.path[0].attname)
        link, parent_account = self.path
        if link.is_cached(instance):
            parent = getattr(instance, link.name)
            return None if parent is None else getattr(parent, parent_account.attname)
        parent_id = getattr(instance, link.attname)
        if parent_id is None:
            return None
        try:
            return (
                link.related_model._base_manager.values_list(parent_account.attname, flat=True)
                # A foreign key may point at a unique field other than the pk.
                .get(**{link.target_field.attname: parent_id})
            )
        except ObjectDoesNotExist:
            return None  # the parent went first (a cascade): fall back to "shared"


_watched: dict[type[Model], Watched] = {}
# The model every "account" path ends at (the one declared "self") and the
# declaration to cite when another one disagrees.
_account_model: tuple[type[Model], str] | None = None


def watch(
    *model_classes: type[Model],
    account: str | None = None,
    visibility: bool = False,
    visibility_fields: tuple[str, ...] = (),
) -> None:
    """Declare that changes of `model_classes` must reach the cached fragments.

    Call it from the app's ``AppConfig.ready()`` for every model the app
    defines. The declaration, not a guess, says which counters a save, delete
    or many-to-many change moves, so no model is left out or attributed to the
    wrong account silently: a bad path is refused here, at start-up.

    `account` says how a row reaches the key account it belongs to:

    - ``None``: shared data (people, profiles, catalogues) that many
      accounts' pages show; a change moves "all" and "shared".
    - ``"self"`` (`ACCOUNT_ITSELF`): the row is the key account, its pk the id.
    - ``"account"``: a foreign key whose ``<name>_id`` is the account id.
    - ``"plan__account"``: a foreign key (``plan``) to a row whose own
      foreign key (``account``) holds the account id; the parent is read
      from the instance if loaded, else with one query, and a parent that is
      gone already (a cascade) counts as shared.

    Such a change moves "all" and ``account:<id>``. Every path must end at
    the model declared "self"; anything else raises ImproperlyConfigured.

    `visibility=True`: any change of the model also moves "shared": it
    decides what a viewer may see of colleagues on *every* account's pages
    (team seats, profile shares). `visibility_fields`: the same, but only
    when one of these fields of an existing row changes (an account's status:
    archiving ends its team's shares).
    """
    global _account_model
    apps.check_models_ready()
    if account is None and (visibility or visibility_fields):
        raise ImproperlyConfigured(
            "fragments.watch(): visibility needs an account path; shared data "
            "(account=None) moves the shared counter on every change anyway."
        )
    declarations: list[Watched] = []
    settled = _account_model
    for model in model_classes:
        if model in _watched or any(d.model is model for d in declarations):
            raise ImproperlyConfigured(f"fragments.watch(): {model._meta.label} is declared twice.")
        for name in visibility_fields:
            _concrete_field(model, name, f"visibility_fields={visibility_fields!r}")
        path, settled = _resolve(model, account, settled)
        declarations.append(Watched(model, account, visibility, tuple(visibility_fields), path))
    _account_model = settled
    for declaration in declarations:
        _watched[declaration.model] = declaration
        _connect(declaration)


def watched() -> Mapping[type[Model], Watched]:
    """Every declared model and its declaration (read-only)."""
    return MappingProxyType(_watched)


def _resolve(
    model: type[Model], account: str | None, settled: tuple[type[Model], str] | None
) -> tuple[tuple[Field, ...], tuple[type[Model], str] | None]:
    """The foreign keys of `account`, checked to end at the account model (`settled`)."""
    if account is None:
        return (), settled
    declared = f"{model._meta.label} account={account!r}"
    source = f"fragments.watch(): {declared}"
    names = [] if account == ACCOUNT_ITSELF else account.split("__")
    if len(names) > 2 or not all(names):
        raise ImproperlyConfigured(
            f'{source}: use "self", a foreign key ("account") or two ("plan__account").'
        )
    path: list[Field] = []
    target = model
    for name in names:
        link = _concrete_field(target, name, f"account={account!r}")
        if not (link.many_to_one or link.one_to_one) or link.related_model is None:
            raise ImproperlyConfigured(f"{source}: {target._meta.label}.{name} is no foreign key.")
        path.append(link)
        target = link.related_model
    if settled is not None and target is not settled[0]:
        raise ImproperlyConfigured(
            f"{source} leads to {target._meta.label}, but the key account is "
            f"{settled[0]._meta.label} (declared by {settled[1]}). Shared data: account=None."
        )
    if settled is None or account == ACCOUNT_ITSELF:
        settled = (target, declared)  # the account's own declaration is the one to cite
    return tuple(path), settled


def _concrete_field(model: type[Model], name: str, what: str) -> Field:
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        found = None
    if found is None or not found.concrete or found.many_to_many:
        raise ImproperlyConfigured(
            f"fragments.watch(): {what}: {model._meta.label} has no column {name!r}."
        )
    return found


def _connect(declaration: Watched) -> None:
    model = declaration.model
    uid = f"fragments:{model._meta.label}"
    post_save.connect(_on_save, sender=model, dispatch_uid=uid)
    post_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
    if declaration.visibility_fields:
        pre_save.connect(_note_visibility_change, sender=model, dispatch_uid=uid)
    for m2m in model._meta.local_many_to_many:
        m2m_changed.connect(
            _on_m2m, sender=m2m.remote_field.through, dispatch_uid=f"{uid}.{m2m.name}"
        )


def scopes_of(instance: Model) -> list[str]:
    """The counters a change of `instance` moves; "shared" when no one account owns it."""
    declaration = _watched.get(type(instance))
    if declaration is None:
        raise ImproperlyConfigured(f"{instance._meta.label} is not declared: fragments.watch()")
    account_id = declaration.account_id_of(instance)
    if account_id is None:
        return ["all", "shared"]
    if declaration.visibility or instance.__dict__.get(_VISIBILITY_MOVED, False):
        return ["all", "shared", account_scope(account_id)]
    return ["all", account_scope(account_id)]


# Set on the instance between pre_save and post_save: one of its
# visibility_fields changed.
_VISIBILITY_MOVED = "_fragments_visibility_moved"


def _note_visibility_change(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    fields = [sender._meta.get_field(name) for name in _watched[sender].visibility_fields]
    update_fields = kwargs.get("update_fields")
    moved = False
    if instance.pk is not None and (
        update_fields is None
        or any(f.name in update_fields or f.attname in update_fields for f in fields)
    ):
        attnames = [f.attname for f in fields]
        old = sender._base_manager.filter(pk=instance.pk).values_list(*attnames).first()
        moved = old is not None and old != tuple(getattr(instance, a) for a in attnames)
    instance.__dict__[_VISIBILITY_MOVED] = moved


def _on_save(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # logging in changes nothing any page shows
    bump(scopes_of(instance))
    instance.__dict__.pop(_VISIBILITY_MOVED, None)  # this save's, not a later delete's


def _on_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    bump(scopes_of(instance))


def _on_m2m(sender: type[Model], instance: Model, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        bump(scopes_of(instance))


# Fetched with every page's first key, so the page and its navigation bar
# share one query.
ALWAYS = ("all", "shared")


def _versions(request: HttpRequest, scopes: list[str]) -> list[str]:
    known: dict[str, int] | None = getattr(request, "_fragment_versions", None)
    if known is None or any(scope not in known for scope in scopes):
        known = read_counters({*ALWAYS, *scopes, *(known or {})})
        request._fragment_versions = known  # type: ignore[attr-defined]
    return [f"{scope}={known[scope]}" for scope in scopes]


def read_counters(scopes: Iterable[str]) -> dict[str, int]:
    """The current counters of `scopes` (0 for one never moved), in one query."""
    wanted = sorted(set(scopes))
    # Plain SQL: this runs on every cached page, and building it through
    # the ORM costs more than the query itself.
    table = connection.ops.quote_name(_generation_model()._meta.db_table)
    marks = ", ".join(["%s"] * len(wanted))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT scope, value FROM {table} WHERE scope IN ({marks})", wanted)
        return dict.fromkeys(wanted, 0) | dict(cursor.fetchall())


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
    # "fragment2": the counters moved to core_cachegeneration and start again at
    # zero, so keys made under the old table must never be read again.
    return "fragment2:" + hashlib.sha256(raw.encode()).hexdigest()


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

"""Building blocks of every app's models: versioned rows and the change counters."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, router
from simple_history import utils as simple_history_utils
from simple_history.models import HistoricalRecords
from simple_history.signals import (
    post_create_historical_m2m_records,
    pre_create_historical_m2m_records,
)

from core.concurrency import VersionConflict
from core.validation import check_in_python, held_foreign_keys

# Where a Versioned instance keeps the field names and values it was read with
# (core.history_guard compares a save against them).
LOADED_FROM_DB = "_loaded_from_db"
# Where save_at_version puts the version the row must still be at.
EXPECTED_VERSION = "_expected_version"


class Versioned(models.Model):
    """A row that is saved with an optimistic version check.

    See core.concurrency.save_versioned: a save from a form that was
    loaded at an older version is refused instead of overwriting the newer
    data silently.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        # The values as read, for core.history_guard: a save that changed one
        # of them is a change without asking the history. Kept as the tuple
        # Django hands over (no copy): most rows read are never saved.
        instance.__dict__[LOADED_FROM_DB] = (field_names, values)
        return instance

    def save_at_version(self, expected_version: int) -> None:
        """Save as the next version if the row is still at `expected_version`,
        else raise VersionConflict (core.concurrency.save_versioned).

        One UPDATE ... WHERE id = %s AND version = %s: the check and the write
        are one statement, which takes the row lock, so of two concurrent saves
        from the same version exactly one matches a row. Signals and history
        run as for any save; a refused one writes nothing and records nothing.
        """
        before = self.version
        self.version = expected_version + 1
        self.__dict__[EXPECTED_VERSION] = expected_version
        try:
            self.save(force_update=True)
        except VersionConflict:
            self.version = before
            raise
        finally:
            self.__dict__.pop(EXPECTED_VERSION, None)

    def _do_update(
        self,
        base_qs: Any,
        using: Any,
        pk_val: Any,
        values: Any,
        update_fields: Any,
        forced_update: Any,
    ) -> bool:
        # Django's UPDATE of a save; save_at_version narrows it to the version
        # the editor loaded. No matching row: someone saved first (or deleted it).
        expected = self.__dict__.get(EXPECTED_VERSION)
        if expected is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        base_qs = base_qs.filter(version=expected)
        if not super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update):
            raise VersionConflict
        return True

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        # Partly re-read: what was loaded no longer says what the row holds.
        self.__dict__.pop(LOADED_FROM_DB, None)

    def clean_fields(self, exclude: Any = None) -> None:
        # A foreign key whose object this row holds was just read (a form's
        # choice): no second query to see that it exists (core.validation).
        super().clean_fields(exclude=set(exclude or ()) | held_foreign_keys(self))

    def validate_constraints(self, exclude: Any = None) -> None:
        """Django's loop, but a check constraint of plain literals that Python
        finds satisfied costs no query (core.validation). Any other, and any
        that Python finds violated, is validated by Django as before: its
        message comes from there."""
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, Any] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                if (
                    isinstance(constraint, models.CheckConstraint)
                    and check_in_python(constraint, self, exclude or ()) is True
                ):
                    continue
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as e:
                    if getattr(e, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(e)
                    else:
                        errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class KeptHistoricalRecords(HistoricalRecords):
    """django-simple-history's HistoricalRecords, kept reachable from its model
    (`history_records(Model)`), so that a service can write one entry by hand:
    a new row whose many-to-many fields are filled right after its insert gets
    one "created" entry with them, not one per field (activities.services).
    A save inside `links_known` copies the link rows its caller already read
    into the entry instead of reading them again (touchpoints.services)."""

    def finalize(self, sender: type[models.Model], **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            sender._kept_history_records = self  # type: ignore[attr-defined]

    def post_save(self, instance: models.Model, created: bool, **kwargs: Any) -> None:
        # A row just inserted has nothing in its link tables yet (they are
        # filled after the insert): its "created" entry needs no query to see so.
        if not created or NEW_ROW in instance.__dict__:
            super().post_save(instance, created, **kwargs)
            return
        with links_known(instance, NO_LINKS_YET):
            super().post_save(instance, created, **kwargs)

    def create_historical_record_m2ms(self, history_instance: Any, instance: Any) -> None:
        """simple-history reads each link table to copy it into the entry; rows
        a caller holds (`links_known`, `create_with_links`), or none for a new
        row, are copied without reading them again."""
        known: dict[str, list[models.Model]] | None = instance.__dict__.get(NEW_ROW)
        if known is None:
            super().create_historical_record_m2ms(history_instance, instance)
            return
        for field in history_instance._history_m2m_fields:
            m2m_history_model = self.m2m_models[field]
            through = getattr(instance, field.name).through
            names = [f.attname for f in through._meta.fields]  # ids: no related row read
            rows = [
                m2m_history_model(history=history_instance, **{n: getattr(r, n) for n in names})
                for r in self._links_of(instance, field, known, through)
            ]
            pre_create_historical_m2m_records.send(
                sender=m2m_history_model, rows=rows, history_instance=history_instance,
                instance=instance, field=field,
            )  # fmt: skip
            created = m2m_history_model.objects.bulk_create(rows) if rows else []
            post_create_historical_m2m_records.send(
                sender=m2m_history_model, created_rows=created, history_instance=history_instance,
                instance=instance, field=field,
            )  # fmt: skip

    @staticmethod
    def _links_of(
        instance: Any, field: Any, known: dict[str, list[Any]], through: type[models.Model]
    ) -> list[Any]:
        rows = known.get(field.name)
        if rows is not None:
            return rows
        if known is NO_LINKS_YET:
            return []
        # Not named by the caller: read as simple-history reads it.
        name = simple_history_utils.get_m2m_field_name(field)
        return list(through.objects.filter(**{name: instance}))

    def create_with_links(
        self, instance: models.Model, links: dict[str, list[models.Model]]
    ) -> None:
        """The "created" entry of `instance`, whose link tables hold exactly the
        through rows in `links` ({field name: rows}, just written by the caller)."""
        with links_known(instance, links):
            self.create_historical_record(instance, "+")


# On an instance while it is saved or its "created" entry is written: the through
# rows its link tables hold ({} for a row just inserted), so that they are not
# read back.
NEW_ROW = "_history_links_known"
# What a row just inserted holds in every link table: nothing.
NO_LINKS_YET: dict[str, list[Any]] = {}


@contextmanager
def links_known(instance: models.Model, links: dict[str, list[models.Model]]) -> Iterator[None]:
    """While inside, `instance`'s link tables hold exactly the through rows in
    `links` ({field name: rows}): its history entry and anyone who asks
    `known_links` take them instead of a query. The caller vouches for it: the
    rows were read in this transaction, just written, or read with the row
    whose version the save checks against every change of the links
    (touchpoints.services.touchpoint_done), and nothing else changes the
    links before the block ends."""
    outer = instance.__dict__.get(NEW_ROW)
    instance.__dict__[NEW_ROW] = links
    try:
        yield
    finally:
        if outer is None:
            del instance.__dict__[NEW_ROW]
        else:
            instance.__dict__[NEW_ROW] = outer


def known_links(instance: models.Model, field_name: str) -> list[Any] | None:
    """The through rows of `field_name` a caller holds (`links_known`), else None."""
    links: dict[str, list[Any]] | None = instance.__dict__.get(NEW_ROW)
    if links is None or field_name not in links:
        return None
    return links[field_name]


def history_records(model: type[models.Model]) -> KeptHistoricalRecords:
    return model._kept_history_records  # type: ignore[attr-defined]


class CacheGeneration(models.Model):
    """A counter that moves on every committed change within its scope.

    Cached page fragments put the counters they depend on into their cache
    key (core.fragments), so a change makes the old fragments unreachable
    instead of having to find and delete them. Scopes: ``account:<pk>`` for
    what belongs to one account, ``shared`` for what many accounts show
    (people, profiles, catalogues), ``all`` for any change at all.
    """

    scope = models.CharField(max_length=40, unique=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}: {self.value}"


class ScheduledRun(models.Model):
    """A scheduled job (core.schedule) was started for one period: it starts once per period.

    `manage.py run_scheduled` inserts the row and enqueues the job in one
    transaction; the unique constraint makes a second call, or a call on
    another server at the same moment, find the period taken and skip it.
    """

    job = models.CharField(max_length=100)
    # The occurrence the run is for, ISO 8601 with its offset: "2026-03-02T06:00+01:00".
    period = models.CharField(max_length=40)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="core_scheduledrun_once"),
        ]

    def __str__(self) -> str:
        return f"{self.job} for {self.period}"

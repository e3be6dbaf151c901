"""Database constraints that only PostgreSQL can hold.

Production and CI run on PostgreSQL; SQLite (development, the quick test run)
has no exclusion constraints. There the form's own check is the only guard,
which is enough for one developer clicking.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import IntegerRangeField
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Func, Value


class YearRange(Func):
    """The closed range [start, end] of two year columns: int4range(start, end, '[]')."""

    function = "INT4RANGE"
    output_field = IntegerRangeField()

    def __init__(self, start: str, end: str, **extra: Any) -> None:
        super().__init__(start, end, Value("[]"), **extra)


class PostgresExclusionConstraint(ExclusionConstraint):
    """An ExclusionConstraint that is left out on every database but PostgreSQL.

    SQLite rebuilds a table from its model's constraints on many schema
    changes, so the constraint must produce no SQL there, not only not be added.
    """

    @staticmethod
    def _applies(schema_editor: Any) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model: Any, schema_editor: Any) -> Any:
        return (
            super().constraint_sql(model, schema_editor) if self._applies(schema_editor) else None
        )

    def create_sql(self, model: Any, schema_editor: Any) -> Any:
        return super().create_sql(model, schema_editor) if self._applies(schema_editor) else None

    def remove_sql(self, model: Any, schema_editor: Any) -> Any:
        return super().remove_sql(model, schema_editor) if self._applies(schema_editor) else None

    def validate(
        self, model: Any, instance: Any, exclude: Any = None, using: str = DEFAULT_DB_ALIAS
    ) -> None:
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)

"""What every kind of import's preview is made of: its rows and its problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol


@dataclass
class Problem:
    row: int | None  # None: the file as a whole
    column: str  # the column's name in the reader's language, or ""
    message: str


class PlannedRow(Protocol):
    number: int
    name: str
    action: str  # create, update, unchanged
    changes: list[str]


@dataclass
class Preview:
    rows: list = field(default_factory=list)  # a kind's row plans (PlannedRow)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return self.counts[action]

    @cached_property
    def counts(self) -> dict[str, int]:
        """How many rows create, update and leave unchanged a record (read once the
        preview is complete)."""
        return {
            action: sum(1 for row in self.rows if row.action == action)
            for action in ("create", "update", "unchanged")
        }

    @property
    def ok(self) -> bool:
        return not self.problems

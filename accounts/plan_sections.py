"""Sections that apps above `accounts` add to the plan page, without accounts importing them.

An app registers a `PlanSection` in its `AppConfig.ready()`; the plan view
asks `sections_for` for the rendered list and the template includes each
section's template at its `slot` with the section's own context as `section`.
Slots: "after_revenue" (below the revenue table), "end" (the foot of the page).
A section's `context` must run a fixed number of queries whatever the plan's size.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accounts.access import AccountAccess
    from accounts.models import KeyAccountPlan
    from accounts.revenue import RevenueYear

SLOTS = ("after_revenue", "end")


@dataclass(frozen=True)
class PlanPage:
    """What a section may use: who looks, which plan, its years' revenue, today."""

    access: AccountAccess
    plan: KeyAccountPlan
    revenue: list[RevenueYear]  # the year before the plan, then each plan year
    today: datetime.date


@dataclass(frozen=True)
class PlanSection:
    key: str  # unique, e.g. "opportunities.pipeline"
    template: str
    context: Callable[[PlanPage], dict[str, Any] | None]  # None: nothing to show
    slot: str = "after_revenue"
    order: int = 100


@dataclass(frozen=True)
class RenderedSection:
    key: str
    template: str
    slot: str
    context: dict[str, Any]


_SECTIONS: dict[str, PlanSection] = {}


def register(section: PlanSection) -> PlanSection:
    if section.slot not in SLOTS:
        raise ValueError(f"unknown plan page slot {section.slot!r}; known: {SLOTS}")
    if section.key in _SECTIONS and _SECTIONS[section.key] != section:
        raise ValueError(f"two plan sections with the key {section.key!r}")
    _SECTIONS[section.key] = section
    return section


def sections_for(page: PlanPage) -> dict[str, list[RenderedSection]]:
    """The sections to show on `page`, per slot, in their order."""
    by_slot: dict[str, list[RenderedSection]] = {slot: [] for slot in SLOTS}
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(page)
        if context is not None:
            by_slot[section.slot].append(
                RenderedSection(section.key, section.template, section.slot, context)
            )
    return by_slot

"""The search providers of the domain apps below search, registered at start-up."""

from __future__ import annotations

from search.providers.names import AccountProvider, ColleagueProvider, ContactProvider
from search.providers.plans import PlanTextProvider
from search.providers.work import DocumentProvider, RaciTaskProvider, TouchpointProvider
from search.registry import register


def register_all() -> None:
    for provider in (
        AccountProvider(),
        ContactProvider(),
        ColleagueProvider(),
        RaciTaskProvider(),
        TouchpointProvider(),
        PlanTextProvider(),
        DocumentProvider(),
    ):
        register(provider)

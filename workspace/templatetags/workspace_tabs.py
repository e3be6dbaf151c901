"""The account's sections, once for the tabs and once for the phone's section menu."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext, pgettext

from accounts.access import AccountAccess

register = template.Library()


@dataclass(frozen=True)
class Tab:
    key: str  # the page's `tab`
    label: str
    url: str


@register.simple_tag
def workspace_tabs(access: AccountAccess) -> list[Tab]:
    """Every section `access` may open, in the tabs' order."""
    slug = access.account.slug
    sections = [
        ("overview", gettext("Overview"), "accounts:detail"),
        ("plan", gettext("Plan"), "accounts:plan"),
        ("team", gettext("Team"), "accounts:team"),
        ("raci", "RACI", "raci:matrix"),
        ("touchpoints", gettext("Touchpoints"), "touchpoints:grid"),
        ("whitespace", gettext("Whitespace"), "whitespace:map"),
        ("opportunities", pgettext("sales", "Opportunities"), "opportunities:list"),
        ("news", gettext("News"), "news:list"),
        ("documents", gettext("Documents"), "documents:list"),
        ("activities", gettext("Activities"), "activities:list"),
        ("contacts", gettext("Contacts"), "accounts:contacts"),
    ]
    if access.can_view_coaching:
        sections.append(("coaching", gettext("Coaching"), "coaching:page"))
    if access.can_view_history:
        sections.append(("history", gettext("History"), "accounts:history"))
    return [Tab(key, label, reverse(name, args=[slug])) for key, label, name in sections]


@register.filter
def current_tab(tabs: list[Tab], key: str) -> Tab | None:
    return next((tab for tab in tabs if tab.key == key), None)

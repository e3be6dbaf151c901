"""The action rules (actions.access) for templates: offer only what the view allows."""

from __future__ import annotations

from django import template

from accounts.access import AccountAccess
from actions.access import can_set_status
from actions.models import PlanAction

register = template.Library()


@register.filter
def may_set_status(action: PlanAction, access: AccountAccess | None) -> bool:
    """`{% if action|may_set_status:access %}`: the viewer may mark it done or open again."""
    return access is not None and can_set_status(access, action)

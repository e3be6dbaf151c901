"""The touchpoint rules (touchpoints.access) for templates: offer only what the view allows."""

from __future__ import annotations

from django import template

from accounts.access import AccountAccess
from touchpoints.access import can_mark_done
from touchpoints.models import Touchpoint

register = template.Library()


@register.filter
def may_mark_done(touchpoint: Touchpoint, access: AccountAccess | None) -> bool:
    """`{% if tp|may_mark_done:access %}`: planned, and the viewer may mark it done."""
    if access is None:
        return False
    return touchpoint.status == Touchpoint.Status.PLANNED and can_mark_done(access, touchpoint)

"""`{% tp_rows rows show_profiles %}`: the touchpoint grid's body rows, and `{% tp_cell
contact quarter touchpoints %}`: one of its cells (touchpoints.cells).

The writer is made once per render (its URLs reversed and labels translated
once) from the context's `access` and `year`, as the grid and the redrawn
cell both have them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString

from accounts.models import CustomerContact
from touchpoints.cells import CellWriter
from touchpoints.models import Touchpoint
from touchpoints.selectors import GridRow

register = template.Library()


def _writer(context: Any) -> CellWriter:
    key = (CellWriter, id(context["access"]), context["year"])
    writer = context.render_context.get(key)
    if writer is None:
        writer = context.render_context[key] = CellWriter(context["access"], context["year"])
    return writer


@register.simple_tag(takes_context=True)
def tp_rows(context: Any, rows: Iterable[GridRow], show_profiles: bool) -> SafeString:
    return _writer(context).rows(rows, show_profiles=bool(show_profiles))


@register.simple_tag(takes_context=True)
def tp_cell(
    context: Any, contact: CustomerContact, quarter: int, touchpoints: Iterable[Touchpoint]
) -> SafeString:
    return _writer(context).cell(contact, quarter, touchpoints or ())

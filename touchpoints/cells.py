"""The touchpoint grid's cells as HTML strings: the grid's hot path.

An account's plan has a hundred touchpoints a year, each with three links,
a badge and its labels. Through the template engine (an include per cell
and per touchpoint, a `{% url %}` and a `{% translate %}` per link) the
first render after a change cost 75 ms, nine tenths of the page. A
`CellWriter` reverses each URL once and translates each label once per
page, then writes each cell as one string, every value escaped with the
standard library's `html.escape` as Django's own `escape` does (without its
check for lazy strings, which cost more than the rest): a fraction of the
time. The markup is the one the templates wrote; `{% tp_cell %}`
(templatetags/touchpoint_cells.py) puts a cell into the grid and into the
cell htmx redraws after a save.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.access import AccountAccess
from accounts.models import CustomerContact
from core.i18n import date
from profiles.templatetags.colour_badges import colour_badges
from touchpoints.access import can_mark_done
from touchpoints.models import Touchpoint

if TYPE_CHECKING:
    from touchpoints.selectors import GridRow

# A number no primary key of ours reaches: reversed once, replaced per touchpoint.
_PK = 987654321


class CellWriter:
    """Writes the cells of one account's grid for one viewer, in one language."""

    def __init__(self, access: AccountAccess, year: int) -> None:
        slug = access.account.slug
        self.access = access
        self.year = year
        self.can_edit = access.can_edit
        self.create = reverse("touchpoints:create", args=[slug])  # escaped with its query
        self.edit, self.delete, self.done, self.contact = (
            escape(reverse(name, args=[slug, _PK])).split(str(_PK))
            for name in (
                "touchpoints:edit",
                "touchpoints:delete",
                "touchpoints:done",
                "accounts:contact_detail",
            )
        )
        # Translated and escaped once per page.
        self.words = {
            "add": escape(_("Add")),
            "edit": escape(_("Edit")),
            "delete": escape(_("Delete")),
            "done": escape(_("Mark done")),
            "overdue": escape(_("overdue")),
        }
        self.kinds = {value: escape(str(label)) for value, label in Touchpoint.Kind.choices}
        self.statuses = {value: escape(str(label)) for value, label in Touchpoint.Status.choices}

    def rows(self, rows: Iterable[GridRow], *, show_profiles: bool) -> SafeString:
        """The grid's body rows: per contact its name, colours and position, then its
        four quarters' cells (the markup of the template loop it replaced)."""
        out = []
        for row in rows:
            contact = row.contact
            badges = f" {self._badges(contact)}" if show_profiles else ""
            out.append(
                f'<tr><th scope="row"><a href="{self.contact[0]}{contact.pk}{self.contact[1]}">'
                f"{escape(contact.full_name)}</a>{badges}"
                '<span class="d-block small fw-normal text-body-secondary">'
                f"{escape(contact.position)}</span></th>\n      "
                + "".join(self.cell(contact, q, cell) for q, cell in enumerate(row.quarters, 1))
                + "</tr>"
            )
        return mark_safe("\n  ".join(out))  # every value escaped above

    @staticmethod
    def _badges(contact: CustomerContact) -> str:
        try:
            return colour_badges(contact.profile)
        except ObjectDoesNotExist:
            return ""

    def cell(
        self, contact: CustomerContact, quarter: int, touchpoints: Iterable[Touchpoint]
    ) -> SafeString:
        items = "".join(self.item(tp) for tp in touchpoints)
        listed = f'<ul class="list-unstyled mb-1">{items}</ul>' if items else ""
        add = ""
        if self.can_edit:
            url = escape(f"{self.create}?contact={contact.pk}&quarter={quarter}&year={self.year}")
            add = (
                f'<a class="btn btn-sm btn-link px-0" href="{url}"\n     data-hx-get="{url}" '
                f'data-hx-target="#cell-{contact.pk}-{quarter}" data-hx-swap="innerHTML">'
                f'<i class="bi bi-plus" aria-hidden="true"></i> {self.words["add"]}'
                f'<span class="visually-hidden"> {escape(contact.full_name)}, Q{quarter}</span></a>'
            )
        return mark_safe(  # every value escaped above
            f'<td id="cell-{contact.pk}-{quarter}" class="tp-cell">\n  {listed}\n  {add}\n</td>'
        )

    def item(self, tp: Touchpoint) -> str:
        """One touchpoint's <li>, every value escaped."""
        overdue = tp.is_overdue
        status = tp.status
        if overdue:
            badge, css = self.words["overdue"], "text-bg-danger"
        else:
            badge = self.statuses.get(status, escape(status))
            css = {
                Touchpoint.Status.DONE: "text-bg-success",
                Touchpoint.Status.CANCELLED: "text-bg-secondary",
            }.get(status, "text-bg-light border")
        when = f" · {escape(date(tp.date, 'SHORT_DATE_FORMAT'))}" if tp.date else ""
        outcome = ""
        if status == Touchpoint.Status.DONE and tp.outcome:
            outcome = f'<span class="d-block small">{escape(tp.outcome)}</span>'
        title = escape(tp.title)
        return (
            f'<li class="tp tp-{escape(status)}{" tp-overdue" if overdue else ""}">\n'
            f'  <span class="fw-semibold tp-title">{title}</span>\n'
            f'  <span class="d-block small text-body-secondary">'
            f"{self.kinds.get(tp.kind, escape(tp.kind))}{when} · "
            f"{escape(tp.owner.user.display_name)}</span>\n"
            f'  <span class="badge {css}">{badge}</span>\n  {outcome}{self._links(tp, title)}</li>'
        )

    def _links(self, tp: Touchpoint, title: str) -> str:
        links = []
        if self.can_edit:
            links.append(self._link("small tp-link", self.edit, tp.pk, "edit", title))
            danger = "small tp-link text-danger"
            links.append(self._link(danger, self.delete, tp.pk, "delete", title))
        if tp.status == Touchpoint.Status.PLANNED and can_mark_done(self.access, tp):
            links.append(self._link("small tp-link", self.done, tp.pk, "done", title))
        if not links:
            return "\n"
        # One row of their own, apart on a phone (kamteam.css, .tp-links).
        return '\n  <div class="tp-links">' + " ".join(links) + "</div>\n"

    def _link(self, css: str, url: list[str], pk: int, word: str, title: str) -> str:
        return (
            f'<a class="{css}" href="{url[0]}{pk}{url[1]}">{self.words[word]}'
            f'<span class="visually-hidden"> {title}</span></a>'
        )

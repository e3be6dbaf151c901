"""Fields that pick a colleague: a plain <select> that static/js/people-picker.js
turns into a type-ahead.

Up to LIST_MAX people, the <select> holds every person who may be chosen, so
without JavaScript it is the whole picker. `PersonSelect` reads its options
with one `values_list` query and writes them in one string instead of one
template render per option. Above LIST_MAX (a company directory: 50,000
<option>s are 3 MB in every form) the <select> holds only the chosen person,
the type-ahead finds the others, and without JavaScript a text field in
<noscript> takes a user name or an e-mail address instead. The script asks
`people_pick` (accounts/views/pickers.py) for suggestions as the person
types; `suggest` (users/suggestions.py) is the one matching rule both use.

The server validates the chosen id against the field's queryset as any
ModelChoiceField does: a crafted id of a deactivated colleague is a field
error.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.cached import cached_value
from core.collation import by_name
from core.params import ID_DIGITS, int_param
from core.spelling import strip_accents
from users.models import User
from users.suggestions import QUERY_MAX

LIST_MAX = 500  # people in a picker's <select>; more are found by typing
TYPED_SUFFIX = "__typed"  # the <noscript> text field's name: the field's name and this


def active_people() -> QuerySet[User]:
    people = User.objects.filter(is_active=True)
    return people.order_by(*by_name("last_name", "first_name"), "username")


def person_label(*, first_name: str, last_name: str, username: str) -> str:
    full = f"{first_name} {last_name}".strip()
    return f"{full} ({username})" if full else username


class PersonSelect(forms.Select):
    """A <select> of people, cheap with thousands of options, ready for the type-ahead.

    Reads the field's queryset once with `values_list`; a disabled field (a
    seat's person cannot change) writes only the chosen person.
    """

    def __init__(self, attrs: dict[str, Any] | None = None, *, suggest_url: str = "") -> None:
        super().__init__(attrs)
        self.suggest_url = suggest_url
        # Names the field's queryset in the options' cache key, for a form that
        # sets the same queryset every time: compiling its SQL for the key cost
        # some 0.7 ms a render. Empty: the SQL is the key.
        self.options_key = ""

    def _options(self, value: str, disabled: bool) -> tuple[str, bool]:
        """The <option>s, the chosen one marked, and whether the list is cut to it.

        Read from the cache when possible.
        """
        queryset = self.choices.queryset  # the field's ModelChoiceIterator
        pk = int_param(value, max_digits=ID_DIGITS)

        def chosen() -> str:  # nobody chosen: nothing to read
            return _options_html(queryset.filter(pk=pk)) if pk is not None else ""

        if disabled:
            options = chosen()
            cut = False
        else:
            # People are shared data: their counter ("shared") moves with every
            # change of a user, so the cached list is never stale. The query's
            # SQL (or the name a form gives it) is in the key: two fields with
            # different querysets never share.
            key = ("key", self.options_key) if self.options_key else queryset.query
            listed = cached_value("people-options2", ["shared"], lambda: _listed(queryset), key)
            cut = listed is None and bool(self.suggest_url)
            if listed is not None:
                options = listed
            elif cut:
                options = chosen()
            else:  # nothing to ask as one types: the whole list, however long
                options = _options_html(queryset)
        if pk is not None:
            mark = f'<option value="{pk}">'
            options = options.replace(mark, f'<option value="{pk}" selected>', 1)
        return options, cut

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        # Typed without JavaScript (a long list: see _typed_field) wins over the <select>.
        return typed_value(data, name) or super().value_from_datadict(data, files, name)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        value = "" if value is None else str(value[0] if isinstance(value, list | tuple) else value)
        picker = picker_attrs(str(self.suggest_url))
        empty = getattr(self.choices, "field", None)
        empty_label = getattr(empty, "empty_label", None)
        head = format_html('<option value="">{}</option>', empty_label) if empty_label else ""
        options, cut = self._options(value, "disabled" in final)
        return format_html(
            "<select{}>{}{}</select>{}",
            flatatt({"name": name, **final, **picker}),
            head,
            # Every label is escaped in _options_html; the ids are numbers.
            mark_safe(options),
            _typed_field(name, final.get("id", "")) if cut else "",
        )


def typed_value(data: Any, name: str) -> str:
    """What was typed into a long list's text field without JavaScript, or ""."""
    return str(data.get(name + TYPED_SUFFIX, "")).strip()[:QUERY_MAX]


def _typed_field(name: str, id_: str) -> SafeString:
    """Without JavaScript, a list cut to the chosen person takes a typed name instead."""
    typed_id = f"{id_ or name}{TYPED_SUFFIX}"
    return format_html(
        '<noscript><label class="form-label small mt-1" for="{}">{}</label>'
        '<input type="text" class="form-control" id="{}" name="{}" maxlength="{}" '
        'autocomplete="off"></noscript>',
        typed_id,
        _("Or type a user name or an e-mail address"),
        typed_id,
        name + TYPED_SUFFIX,
        QUERY_MAX,
    )


def _listed(queryset: QuerySet[User]) -> str | None:
    """Every person's <option>, or None when there are more than LIST_MAX.

    One query that costs the same for 500 people as for 50,000: any LIST_MAX + 1
    of them, unordered, so the database stops at the 501st instead of sorting
    the whole directory first (13 ms at 50,000 people, 0.2 ms this way).
    An index on the names would spare that sort too, but PostgreSQL then walks
    it for the type-ahead as well, row by row, instead of asking the trigram
    index (56 ms instead of 2 for a rare name). A list short enough to show is
    sorted here, by the name as a reader sorts it (people_order).
    """
    fields = ("pk", "first_name", "last_name", "username")
    rows = list(queryset.order_by().values_list(*fields)[: LIST_MAX + 1])
    if len(rows) > LIST_MAX:
        return None
    return _options_of(sorted(rows, key=lambda r: people_order(*r)))


def people_order(pk: int, first_name: str, last_name: str, username: str) -> tuple:  # type: ignore[type-arg]
    """Last name, first name, user name: "Ähler" between "Adler" and "Bauer", as a
    phone book has it, whatever the database's collation; exact spelling and id
    break ties, so the order is the same on every read."""
    return (
        strip_accents(last_name).casefold(),
        strip_accents(first_name).casefold(),
        username.casefold(),
        last_name,
        first_name,
        pk,
    )


def _options_html(queryset: QuerySet[User]) -> str:
    """One <option> per person, in one string.

    The standard library's escape, as Django's own calls it, without the check
    for lazy strings that doubled the time of 3,257 options.
    """
    return _options_of(queryset.values_list("pk", "first_name", "last_name", "username"))


def _options_of(rows: Iterable[tuple[int, str, str, str]]) -> str:
    return "".join(
        f'<option value="{pk}">'
        f"{escape(person_label(first_name=first, last_name=last, username=username))}</option>"
        for pk, first, last, username in rows
    )


def picker_attrs(suggest_url: str = "", *, multiple: bool = False) -> dict[str, str]:
    """The data attributes people-picker.js reads: where to ask, and its words.

    The words come from the server so that they are translated like the page.
    """
    attrs = {
        "data-people-picker": "multiple" if multiple else "single",
        "data-picker-placeholder": str(_("Type a name…")),
        "data-picker-empty": str(_("Nobody found.")),
        "data-picker-remove": str(_("Remove %(name)s")),
        "data-picker-results": str(_("Found: %(count)s.")),
        "data-picker-hint": str(_("Type two letters of a first name, surname or user name.")),
    }
    if suggest_url:
        attrs["data-picker-url"] = suggest_url
    return attrs


class PersonChoiceField(forms.ModelChoiceField):
    """One active colleague; the label names the person and their user name."""

    widget = PersonSelect

    def __init__(self, *, suggest_url: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("queryset", active_people())
        super().__init__(**kwargs)
        self.widget.suggest_url = suggest_url

    def label_from_instance(self, obj: User) -> str:
        return person_label(
            first_name=obj.first_name, last_name=obj.last_name, username=obj.username
        )

    def to_python(self, value: Any) -> User | None:
        """An id from the <select>, or a user name or e-mail address typed without JavaScript."""
        text = str(value or "").strip()
        if not text or int_param(text, max_digits=ID_DIGITS) is not None:
            return super().to_python(value)
        # No user name or address holds a NUL (PostgreSQL refuses the query
        # outright: a server error) or is longer than an e-mail address may be.
        readable = "\x00" not in text and len(text) <= 254
        found = (
            list(self.queryset.filter(Q(username__iexact=text) | Q(email__iexact=text))[:2])
            if readable
            else []
        )
        if len(found) != 1:
            raise forms.ValidationError(
                _("Nobody who can be chosen here has the user name or e-mail address “%(text)s”."),
                code="invalid_choice",
                params={"text": text.replace("\x00", "")[:254]},
            )
        return found[0]


class PeopleSelect(forms.Select):
    """One person out of a short list (an account's team), filtered in the page."""

    def build_attrs(self, base_attrs: dict[str, Any], extra_attrs: Any = None) -> dict[str, Any]:
        # At render time, so the words are in the language of the request.
        return {**super().build_attrs(base_attrs, extra_attrs), **picker_attrs()}


class PeopleSelectMultiple(forms.SelectMultiple):
    """Several people out of a short list (an account's team), filtered in the page."""

    def build_attrs(self, base_attrs: dict[str, Any], extra_attrs: Any = None) -> dict[str, Any]:
        return {**super().build_attrs(base_attrs, extra_attrs), **picker_attrs(multiple=True)}

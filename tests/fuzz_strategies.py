"""Hypothesis strategies and HTML form discovery for tests/test_fuzz.py.

The fuzzer learns each form's real field names from the rendered page (so
dynamic fields such as `revenue_2027`, `motive_power` or `q12` are covered
too), starts from a plausible valid submission, and then breaks some or all
of the fields with adversarial values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import strategies as st

# Values ---------------------------------------------------------------------

# Numbers that are valid integers but far outside any field's range: code that
# computes with them before the field refuses them (a range of years up to
# end_year) grows the worker's memory, which test_fuzz measures per request.
HUGE_NUMBERS = [
    "9" * 30,
    "8000000",
    "-8000000",
    "-1e30",
    "1e30",
    "2101",
    "1999",
    "2147483648",  # the first version no PositiveIntegerField column holds
]
NASTY_NUMBERS = [
    *HUGE_NUMBERS,
    "-1",
    "0",
    "-0",
    "1e309",
    "-1e309",
    "1e-400",
    "99999999999999999999",
    "-99999999999999999999",
    "2147483648",
    "9223372036854775808",
    "32768",
    "65536",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "1.5",
    "0.05",
    "١٢٣",  # Arabic-Indic digits
    "１２",  # full-width digits
    "²",
    " 7 ",
    "0x10",
    "1_000",
    "+5",
    "1" * 5000,  # beyond Python's int() digit limit
]
NASTY_DATES = [
    "2026-02-30",
    "0000-01-01",
    "99999-01-01",
    "10000-01-01",
    "9999-12-31",
    "0001-01-01",
    "2026-13-01",
    "2026-00-10",
    "2026-02-29",
    "2024-02-29",
    "1-1-1",
    "2026/03/01",
    "01.03.2026",
    "2026-03-01T10:00",
    "2099-01-01",
    "  ",
]
NASTY_TEXT = [
    "",
    "\x00",
    "a\x00b",
    "\u202e",
    "\u200f\u200e",
    "\u202egnp.exe",
    "😀" * 10,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "{{ 7*7 }}",
    "../../etc/passwd",
    "\r\n",
    "\ufeff",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "=cmd|' /C calc'!A0",
]

# Arbitrary unicode: every code point except surrogates (which cannot be encoded).
unicode_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
big_text = st.sampled_from(["A", "\x00", "ü", "😀", "\u202e", "9"]).map(lambda c: c * 100_000)


def id_values(ids: list[int]) -> st.SearchStrategy[str]:
    """Primary keys: ours, another account's, and ones that cannot exist."""
    return st.one_of(
        st.sampled_from(sorted(set(ids)) or [1]).map(str),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


def nasty_value(ids: list[int]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY_NUMBERS),
        st.sampled_from(NASTY_DATES),
        st.sampled_from(NASTY_TEXT),
        unicode_text,
        big_text,
        id_values(ids),
    )


# Form discovery ---------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, number, date, hidden, checkbox, select, email, ...
    values: list[str] = field(default_factory=list)  # as rendered (checked, selected)
    options: list[str] = field(default_factory=list)  # choices of selects and checkboxes
    multiple: bool = False


@dataclass
class Form:
    action: str | None
    method: str
    fields: dict[str, Field] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._textarea: Field | None = None

    def _add(self, f: Field) -> Field:
        assert self._form is not None
        existing = self._form.fields.get(f.name)
        if existing is None:
            self._form.fields[f.name] = f
            return f
        existing.multiple = True
        existing.options += f.options
        existing.values += f.values
        return existing

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._form = Form(action=a.get("action"), method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                value = a.get("value") or "on"
                f = Field(name, kind, options=[value])
                if "checked" in a:
                    f.values.append(value)
                self._add(f)
            else:
                self._add(Field(name, kind, values=[a.get("value") or ""]))
        elif tag == "select" and name:
            self._select = self._add(Field(name, "select", multiple="multiple" in a))
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a)
            self._option_text = ""
        elif tag == "textarea" and name:
            self._textarea = self._add(Field(name, "textarea", values=[""]))

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option_text += data
        if self._textarea is not None:
            self._textarea.values[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._close_option()
            self._select = None
        elif tag == "option":
            self._close_option()
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.values[-1].startswith("\n"):
                self._textarea.values[-1] = self._textarea.values[-1][1:]
            self._textarea = None

    def _close_option(self) -> None:
        if self._option is None or self._select is None:
            return
        value, selected = self._option
        value = self._option_text.strip() if value is None else value
        self._select.options.append(value)
        if selected:
            self._select.values.append(value)
        self._option = None


IGNORED_ACTIONS = ("/logout/", "/i18n/setlang/")
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}


def discover_fields(html: str, path: str) -> dict[str, Field]:
    """The fields of the page's POST form that submits to `path` (or to itself)."""
    parser = _FormParser()
    parser.feed(html)
    posts = [
        f
        for f in parser.forms
        if f.method == "post" and not (f.action or "").startswith(IGNORED_ACTIONS)
    ]
    own = [f for f in posts if (f.action or "").split("?")[0] in ("", path)]
    fields: dict[str, Field] = {}
    for form in own or posts:
        for name, f in form.fields.items():
            if name not in SKIPPED_FIELDS:
                fields.setdefault(name, f)
    return fields


NUMBER_NAMES = ("version", "year", "quarter")


def is_number(f: Field) -> bool:
    """A field that takes a number: a number input, or a hidden year or version."""
    return f.kind == "number" or f.name in NUMBER_NAMES or f.name.endswith("_year")


def plausible(f: Field) -> list[str]:
    """A value the form would probably accept, so broken fields reach deep code."""
    if f.kind in ("checkbox", "radio"):
        return f.values or f.options[:1]
    if f.kind == "select":
        if f.values and any(f.values):
            return f.values
        choices = [o for o in f.options if o]
        return choices[:1]
    current = [v for v in f.values if v]
    if current:
        return current
    name = f.name.lower()
    if f.kind == "date" or name.endswith(("_date", "_on")) or name == "date":
        return ["2026-01-15"]
    if "year" in name:
        return ["2026"]
    if name == "quarter":
        return ["2"]
    if f.kind == "email" or name == "email":
        return ["fuzz@example.com"]
    if f.kind == "number":
        return ["1"]
    if name == "slug":
        return ["fuzz-account"]
    if "password" in name:
        return ["Fuzz-Pass-4711!"]
    return ["Fuzz value"]


@st.composite
def form_data(draw: st.DrawFn, fields: dict[str, Field], ids: list[int]) -> dict[str, list[str]]:
    """A submission: plausible values, with some or all fields broken, missing or doubled."""
    data = {name: plausible(f) for name, f in fields.items()}
    names = sorted(fields)
    if names:
        if draw(st.booleans()):
            broken = draw(st.lists(st.sampled_from(names), max_size=3, unique=True))
        else:
            broken = names
        for name in broken:
            f = fields[name]
            candidates = [o for o in f.options if o]
            value = st.one_of(nasty_value(ids), st.sampled_from(candidates or [""]), id_values(ids))
            if is_number(f):
                value = st.one_of(st.sampled_from(HUGE_NUMBERS), value)
            how = draw(st.sampled_from(["one", "one", "missing", "list"]))
            if how == "missing":
                data.pop(name, None)
            elif how == "list":
                data[name] = draw(st.lists(value, min_size=2, max_size=3))
            else:
                data[name] = [draw(value)]
    # Fields nobody rendered: unknown motives, questions, versions, typos.
    extra = draw(
        st.lists(
            st.sampled_from(
                ["motive_power", "motive_nonsense", "q999999", "version", "id", "pk", "account"]
            )
            | st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=12),
            max_size=2,
        )
    )
    for name in extra:
        data[name] = [draw(nasty_value(ids))]
    return data


QUERY_PARAMS = [
    "q",
    "year",
    "page",
    "sort",
    "status",
    "classification",
    "country",
    "kam",
    "health",
    "contact",
    "quarter",
    "member",
    "next",
]
NASTY_SORTS = ["name", "-name", "--name", "-", "revenue", "-health", "pk", "?", "name,-pk"]
NASTY_PAGES = ["1", "2", "last", "0", "-1", "99999999999999999999", "1e309", "NaN", "1.5"]
NUMBER_PARAMS = {"year", "page", "kam", "contact", "quarter", "member"}


@st.composite
def query_params(draw: st.DrawFn, ids: list[int]) -> dict[str, list[str]]:
    names = draw(
        st.lists(
            st.sampled_from(QUERY_PARAMS) | st.text(alphabet="abcxyz_", min_size=1, max_size=6),
            max_size=5,
            unique=True,
        )
    )
    value = st.one_of(
        nasty_value(ids),
        st.sampled_from(NASTY_SORTS + NASTY_PAGES + ["A", "B", "C", "DE", "de", "red", "2026"]),
        st.sampled_from(["https://evil.example/", "//evil.example", "/accounts/", "javascript:1"]),
    )
    huge = st.one_of(st.sampled_from(HUGE_NUMBERS), value)
    return {
        n: draw(st.lists(huge if n in NUMBER_PARAMS else value, min_size=1, max_size=2))
        for n in names
    }

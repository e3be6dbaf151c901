"""core.validation: check constraints decided in Python agree with the database."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import CheckConstraint, F, Q

from core.models import Versioned
from core.validation import UNDECIDED, check_in_python, held_foreign_keys
from tests.factories import role
from tests.fixtures import World
from touchpoints.forms import TouchpointForm
from touchpoints.models import Touchpoint

PROBES = [
    None,
    -1,
    0,
    1,
    4,
    5,
    2**31,
    Decimal("1.5"),
    1.5,
    True,
    "",
    "planned",
    "done",
    "x",
    datetime.date(2026, 1, 1),
    datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
]


def _constraints():
    for model in apps.get_models():
        if not issubclass(model, Versioned):
            continue
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                yield model, constraint


def _names(q: Q) -> set[str]:
    found = set()
    for child in q.children:
        if isinstance(child, Q):
            found |= _names(child)
        else:
            found.add(child[0].split("__")[0])
    return found


@pytest.mark.django_db
def test_python_never_passes_what_the_database_refuses() -> None:
    """Every check constraint of every versioned model, with probe values of many
    types in each field it names: where Python decides, the database agrees."""
    decided = checked = 0
    for model, constraint in _constraints():
        names = sorted(_names(constraint.condition))
        fields = [model._meta.get_field(n) for n in names]
        for values in itertools.islice(itertools.product(PROBES, repeat=len(fields)), 400):
            instance = model()
            for field, value in zip(fields, values, strict=True):
                setattr(instance, field.attname, value)
            python = check_in_python(constraint, instance)
            if python is UNDECIDED:
                continue
            against = instance._get_field_expression_map(meta=model._meta)
            try:
                database = Q(constraint.condition).check(against)
            except Exception:  # a value the column's type refuses: nothing to compare
                continue
            checked += 1
            decided += python is True
            assert python == database, (
                model,
                constraint.name,
                dict(zip(names, values, strict=True)),
            )
    assert checked > 500 and decided > 100  # the probes reached both answers


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        (Q(quarter__gte=1, quarter__lte=4), {"quarter": 4}, True),
        (Q(quarter__gte=1, quarter__lte=4), {"quarter": 5}, False),
        (Q(quarter__gte=1, quarter__lte=4), {"quarter": None}, True),  # NULL passes
        (Q(status__in=["planned", "done"]), {"status": "x"}, False),
        (Q(status__in=["planned", "done"]), {"status": Touchpoint.Status.DONE}, True),
        (Q(date__isnull=False) | Q(status="planned"), {"date": None, "status": "done"}, False),
        (~Q(status="done"), {"status": "done"}, False),
        (Q(quarter__gte=F("year")), {"quarter": 1, "year": 2026}, UNDECIDED),
        (Q(quarter="1"), {"quarter": 1}, UNDECIDED),  # a string against a number: the database
        (Q(contact__account=1), {}, UNDECIDED),  # across a relation: the database
        (Q(title__lower="x"), {"title": "X"}, UNDECIDED),  # a transform: the database
    ],
)
def test_check_in_python_decides_plain_literals_only(condition, values, expected) -> None:
    touchpoint = Touchpoint(**values)
    assert check_in_python(CheckConstraint(condition=condition, name="c"), touchpoint) == expected


def test_an_excluded_field_is_left_to_django() -> None:
    constraint = CheckConstraint(condition=Q(quarter__lte=4), name="c")
    assert check_in_python(constraint, Touchpoint(quarter=9), exclude=["quarter"]) is UNDECIDED


@pytest.mark.django_db
def test_a_held_foreign_key_needs_no_query(world: World, django_assert_num_queries) -> None:
    touchpoint = Touchpoint(account=world.account, contact=world.contact, quarter=1, year=2026)
    assert {"account", "contact"} <= held_foreign_keys(touchpoint)
    touchpoint.contact_id = world.contact.pk + 1000  # no longer the object it holds
    assert "contact" not in held_foreign_keys(touchpoint)


@pytest.mark.django_db
def test_the_touchpoint_form_validates_without_repeating_reads(
    world: World, django_assert_num_queries
) -> None:
    """The form reads its contact and owner from its querysets; the model's
    checks of them and of quarter, status and kind cost nothing more."""
    owner = world.account.team_members.get(role=role("gkam"))
    data = {
        "contact": world.contact.pk,
        "quarter": 2,
        "year": 2026,
        "kind": "call",
        "title": "Call",
        "owner": owner.pk,
        "status": "planned",
        "date": "",
    }
    form = TouchpointForm(data, account=world.account)
    with django_assert_num_queries(2):  # the contact and the owner, from the form's querysets
        assert form.is_valid(), form.errors
    bad = TouchpointForm({**data, "quarter": 5}, account=world.account)
    assert not bad.is_valid() and "quarter" in bad.errors

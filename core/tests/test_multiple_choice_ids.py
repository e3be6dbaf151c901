"""Every checkbox list of a model's rows refuses ids beyond 64 bits at the field.

Django's ModelMultipleChoiceField fetches the chosen rows with `pk__in`, which
SQLite cannot bind beyond 64 bits: an OverflowError, a server error, on the
embedded database. core.forms.ModelMultipleIdsField refuses such ids first.
The news form lacked it (found by a hostile tester: any team member could
cause a 500); this test finds every form class that does.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator

import pytest
from django import forms
from django.apps import apps
from django.conf import settings

from core.forms import ModelMultipleIdsField
from tests.snapshot import kamteam_app_labels


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _form_classes() -> list[type[forms.BaseForm]]:
    """Every form class of kamteam's apps, wherever it is defined: the URLconf
    imports the views and the forms they use, and each app's `forms` module
    (or package) is imported too. A form module that fails to import fails here.

    Left out: fields a form adds in __init__ (not in base_fields), and the
    admin's forms (staff only; Django builds them when a page asks).
    """
    importlib.import_module(settings.ROOT_URLCONF)
    packages = [apps.get_app_config(label).name for label in kamteam_app_labels()]
    for package in packages:
        if importlib.util.find_spec(f"{package}.forms") is not None:
            importlib.import_module(f"{package}.forms")
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in packages and ".tests" not in cls.__module__
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_the_walk_finds_the_forms_with_checkbox_lists() -> None:
    names = {form.__name__ for form in _form_classes()}
    assert {"NewsItemForm", "TouchpointForm", "NationalPlanForm"} <= names


@pytest.mark.parametrize(
    "form_class", _form_classes(), ids=lambda form: f"{form.__module__}.{form.__qualname__}"
)
def test_model_checkbox_lists_refuse_ids_beyond_64_bits(form_class: type[forms.BaseForm]) -> None:
    plain = [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.ModelMultipleChoiceField)
        and not isinstance(field, ModelMultipleIdsField)
    ]
    assert not plain, f"use core.forms.ModelMultipleIdsField for {plain}"

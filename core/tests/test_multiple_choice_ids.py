"""Every checkbox list of a model's rows refuses ids beyond 64 bits at the field.

Django's ModelMultipleChoiceField fetches the chosen rows with `pk__in`, which
SQLite cannot bind beyond 64 bits: an OverflowError, a server error, on the
embedded database. core.forms.ModelMultipleIdsField refuses such ids first.
The news form lacked it (found by a hostile tester: any team member could
cause a 500); this test finds every form class that does.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator

import pytest
from django import forms
from django.apps import apps

from core.forms import ModelMultipleIdsField
from tests.snapshot import kamteam_app_labels


def _form_classes() -> Iterator[type[forms.BaseForm]]:
    """Every form class defined in a `forms` module (or package) of kamteam's apps."""
    for label in kamteam_app_labels():
        name = f"{apps.get_app_config(label).name}.forms"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        modules = [module]
        if hasattr(module, "__path__"):  # a package of form modules
            modules += [
                importlib.import_module(f"{name}.{info.name}")
                for info in pkgutil.iter_modules(module.__path__)
            ]
        for each in modules:
            for _name, value in inspect.getmembers(each, inspect.isclass):
                if issubclass(value, forms.BaseForm) and value.__module__ == each.__name__:
                    yield value


def test_the_walk_finds_the_forms_with_checkbox_lists() -> None:
    names = {form.__name__ for form in _form_classes()}
    assert {"NewsItemForm", "TouchpointForm"} <= names


@pytest.mark.parametrize("form_class", list(_form_classes()), ids=lambda form: form.__qualname__)
def test_model_checkbox_lists_refuse_ids_beyond_64_bits(form_class: type[forms.BaseForm]) -> None:
    plain = [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.ModelMultipleChoiceField)
        and not isinstance(field, ModelMultipleIdsField)
    ]
    assert not plain, f"use core.forms.ModelMultipleIdsField for {plain}"

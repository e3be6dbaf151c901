from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from search.text import MAX_LENGTH


class SearchForm(forms.Form):
    """?q= of the search page and the suggestions; kind and page only on the page."""

    q = forms.CharField(
        label=_("Search"),
        max_length=MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": _(
                "Search for at most %(limit_value)d characters (you typed %(show_value)d)."
            ),
        },
    )
    kind = forms.CharField(required=False, max_length=40)
    page = forms.IntegerField(required=False, min_value=1, max_value=50)

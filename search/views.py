"""The search page (/search/?q=, works without JavaScript) and the type-ahead's suggestions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from search import selectors
from search.forms import SearchForm
from search.registry import provider
from search.text import MIN_LENGTH, Query


def _read(request: HttpRequest) -> tuple[SearchForm, Query]:
    """The form (its errors explain a bad ?q=) and the query; a bad kind or page is ignored."""
    form = SearchForm(request.GET)
    form.is_valid()
    return form, Query(form.cleaned_data.get("q") or "")


def search(request: HttpRequest) -> HttpResponse:
    form, query = _read(request)
    kind = form.cleaned_data.get("kind") or ""
    page = form.cleaned_data.get("page") or 1
    context = {
        "form": form,
        "query": query,
        "min_length": MIN_LENGTH,
        "too_short": "q" not in form.errors and not query.is_searchable,
        "kind": "",
        "page": 1,
    }
    if kind and provider(kind):
        group = selectors.search_kind(user=request.user, query=query, kind=kind, page=page)
        hits = group is not None and (group.found.hits or page > 1)
        context.update(groups=[group] if hits else [], kind=kind, page=page)
    else:
        limit = selectors.OVERVIEW_LIMIT
        context["groups"] = selectors.search_groups(user=request.user, query=query, limit=limit)
    return render(request, "search/search.html", context)


def suggest(request: HttpRequest) -> HttpResponse:
    """The type-ahead's list under the search box (an htmx swap); empty below two characters."""
    _form, query = _read(request)
    limit = selectors.SUGGEST_LIMIT
    groups = selectors.search_groups(user=request.user, query=query, limit=limit, suggestions=True)
    return render(request, "search/_suggestions.html", {"query": query, "groups": groups})

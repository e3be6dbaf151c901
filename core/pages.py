"""The account workspace's page helpers, shared by every app that adds a tab.

A workspace page shows one key account: its head (name, badges, what the
viewer may do) and its tabs, then the tab's own content. The templates of
the shell live in ``templates/workspace/``; the helpers here only fill their
context, so any app renders its tab without importing the app that shows the
others. `access` is the viewer's AccountAccess (or anything with `.account`).

Two flows recur in every app's tab and live here once: a form that saves and
goes on (`save_form_page`), and a step asked for first and then taken
(`confirm_action_page`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import fragments
from core.concurrency import is_conflict, save_or_form_error

T = TypeVar("T")


class AccountScoped(Protocol):
    """What the shell needs of the viewer's access: the account it is about."""

    @property
    def account(self) -> Model: ...


def form_status(form: Any, conflict: bool = False) -> int:
    """200 for a fresh form, 409 for a lost race, 400 for invalid input."""
    if conflict or is_conflict(form):
        return 409
    return 400 if form.is_bound else 200


def workspace_page(
    request: HttpRequest,
    access: AccountScoped,
    template: str,
    tab: str,
    *,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    """A page of the account workspace: `template` extends workspace/workspace.html."""
    context.update(access=access, account=access.account, tab=tab)
    return render(request, template, context, status=status)


def cached_workspace_page(
    request: HttpRequest,
    access: AccountScoped,
    template: str,
    tab: str,
    body_template: str,
    build_context: Callable[[], dict[str, Any]],
    *parts: object,
) -> HttpResponse:
    """A workspace page whose whole block, tabs included, comes from the fragment cache.

    `build_context` runs only when the block is rendered afresh (core.fragments).
    """
    body = fragments.render_cached(
        request,
        body_template,
        lambda: {**build_context(), "access": access, "account": access.account, "tab": tab},
        scopes=fragments.account_scopes(access.account.pk),
        parts=parts,
    )
    return workspace_page(request, access, template, tab, body=body)


def form_page(
    request: HttpRequest,
    access: AccountScoped,
    form: Any,
    *,
    title: str,
    cancel_url: str,
    tab: str,
    submit: str | None = None,
    status: int | None = None,
    cache_fresh: bool = False,
) -> HttpResponse:
    """One form in the workspace; the status follows the form (see form_status).

    `cache_fresh`: the page's block (the workspace head and the unbound form)
    comes from the fragment cache, for forms whose fresh state depends only on
    the account's data and the shared catalogues (their counters are in the
    key, with the viewer, the address and the form's class). A bound form is
    always rendered afresh.
    """
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "submit_label": submit or _("Save"),
    }
    if cache_fresh and not form.is_bound:
        context["body"] = fragments.render_cached(
            request,
            "workspace/_form_page_cached.html",
            lambda: {**context, "access": access, "account": access.account, "tab": tab},
            scopes=fragments.account_scopes(access.account.pk),
            parts=[type(form).__qualname__, request.get_full_path()],
        )
    status = form_status(form) if status is None else status
    return workspace_page(
        request, access, "workspace/form_page.html", tab, status=status, **context
    )


def confirm_page(
    request: HttpRequest,
    access: AccountScoped,
    *,
    title: str,
    message: str,
    submit: str,
    cancel_url: str,
    tab: str,
    blockers: list[str] | None = None,
    danger: bool = True,
    status: int = 200,
) -> HttpResponse:
    """Ask before a destructive step; `blockers` say why it cannot be done yet."""
    return workspace_page(
        request,
        access,
        "workspace/confirm.html",
        tab,
        title=title,
        message=message,
        submit_label=submit,
        cancel_url=cancel_url,
        blockers=blockers or [],
        danger=danger,
        status=status,
    )


def save_form_page(
    request: HttpRequest,
    access: AccountScoped,
    form: Any,
    *,
    saved: str | Callable[[T], str],
    next_url: str | Callable[[T], str],
    title: str,
    cancel_url: str,
    tab: str,
    save: Callable[[], T] | None = None,
    submit: str | None = None,
    cache_fresh: bool = False,
) -> HttpResponse:
    """A form page whose valid POST saves, says so and goes on to `next_url`.

    `save` (the form's `save_checked` unless given) runs through
    core.concurrency.save_or_form_error, so a refused save shows at the form.
    `saved` (the success message) and `next_url` may be functions of what
    `save` returned; they are read after the save. Anything else (a GET,
    invalid input, a refused save) answers with `form_page`, its status
    following the form: 200, 400 or 409; `cache_fresh` as there.
    """
    if request.method == "POST" and form.is_valid():
        obj = save_or_form_error(form, save or form.save_checked)
        if obj is not None:
            messages.success(request, saved(obj) if callable(saved) else saved)
            return HttpResponseRedirect(next_url(obj) if callable(next_url) else next_url)
    return form_page(
        request,
        access,
        form,
        title=title,
        cancel_url=cancel_url,
        tab=tab,
        submit=submit,
        cache_fresh=cache_fresh,
    )


def confirm_action_page(
    request: HttpRequest,
    access: AccountScoped,
    *,
    action: Callable[[], Any],
    done: str | Callable[[Any], str],
    next_url: str,
    title: str,
    message: str,
    submit: str,
    cancel_url: str,
    tab: str,
    blockers: list[str] | None = None,
    danger: bool = True,
) -> HttpResponse:
    """Ask before a step (`confirm_page`); a POST takes it with `action`.

    Once taken, the success message `done` (or `done` of what `action`
    returned) is added and the browser goes to `next_url`. A step that can be
    refused passes the `blockers` known beforehand (a list, empty when none);
    its `action` then returns the blockers it finds under its lock, empty when
    the step went through. A blocked POST answers 409 with the reasons.
    """
    posted = request.method == "POST"
    if posted and not blockers:
        outcome = action()
        if blockers is not None:
            blockers = outcome
        if not blockers:
            messages.success(request, done(outcome) if callable(done) else done)
            return HttpResponseRedirect(next_url)
    return confirm_page(
        request,
        access,
        title=title,
        message=message,
        submit=submit,
        cancel_url=cancel_url,
        tab=tab,
        blockers=blockers,
        danger=danger,
        status=409 if posted and blockers else 200,
    )

"""The News tab: customer news for the right colleagues, posted, read, edited and deleted."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import AccountAccess, account_access
from core.pages import confirm_action_page, save_form_page, workspace_page
from news import access as rules
from news import selectors, services
from news.forms import NewsItemForm
from news.models import NewsItem

TAB = "news"
PAGE_SIZE = 20


def _list_url(slug: str) -> str:
    return reverse("news:list", args=[slug])


def _item(access: AccountAccess, pk: int) -> NewsItem:
    """An item of the account the viewer may read; another's, or one not for them, is a 404."""
    return get_object_or_404(selectors.readable_news(access), pk=pk)


@require_safe
def news_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    page = Paginator(selectors.readable_news(access), PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.can_change = rules.can_change(access, item)
        item.addressed = rules.is_addressed(access, item)
    return workspace_page(
        request,
        access,
        "news/list.html",
        TAB,
        page=page,
        can_post=rules.can_post(access),
    )


@require_safe
def news_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    item = _item(access, pk)
    sees_readers = rules.sees_readers(access, item)
    return workspace_page(
        request,
        access,
        "news/detail.html",
        TAB,
        item=item,
        can_change=rules.can_change(access, item),
        addressed=rules.is_addressed(access, item) and item.author_id != request.user.pk,
        readers=selectors.readers(item) if sees_readers else None,
        addressee_count=len(selectors.addressee_ids(item)) if sees_readers else None,
    )


def news_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    access = account_access(request.user, slug)
    if pk is None:
        rules.require_post(access)
        item = None
    else:
        item = _item(access, pk)
        rules.require_change(access, item)
    form = NewsItemForm(request.POST or None, instance=item, account=access.account)
    return save_form_page(
        request,
        access,
        form,
        save=lambda: services.news_save(
            item=form.save(commit=False),
            expected_version=form.expected_version,
            contacts=form.cleaned_data["contacts"],
            roles=form.cleaned_data["roles"],
            actor=request.user,
        ),
        saved=_("News saved.") if item else _("News posted: its addressees have been told."),
        next_url=lambda saved: saved.get_absolute_url(),
        title=_("Edit news") if item else _("Post customer news"),
        cancel_url=item.get_absolute_url() if item else _list_url(slug),
        tab=TAB,
        submit=None if item else _("Post"),
    )


def news_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    item = _item(access, pk)
    rules.require_change(access, item)
    return confirm_action_page(
        request,
        access,
        action=item.delete,
        done=_("News deleted. The history keeps a record of it."),
        next_url=_list_url(slug),
        title=_("Delete “%(title)s”?") % {"title": item.title},
        message=_(
            "The news leaves the account for everyone it was sent to; the history keeps a "
            "record of it."
        ),
        submit=_("Delete"),
        cancel_url=item.get_absolute_url(),
        tab=TAB,
    )


@require_POST
def news_read(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An addressee marks the item read; back to where they clicked (list, page or home)."""
    access = account_access(request.user, slug)
    item = _item(access, pk)
    if not rules.is_addressed(access, item) or item.author_id == request.user.pk:
        raise Http404  # leads read every item; only its addressees are counted as readers
    services.mark_read(item=item, user=request.user)
    messages.success(request, _("Marked read."))
    back = request.POST.get("next", "")
    if back not in (_list_url(slug), reverse("home")):
        back = item.get_absolute_url()
    return HttpResponseRedirect(back)

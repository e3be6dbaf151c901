"""A thread's page (read it, add to it), and editing or removing one comment."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import account_access
from comments import access as rules
from comments import selectors, services
from comments.forms import CommentForm
from core.concurrency import save_or_form_error
from core.pages import confirm_action_page, form_status, save_form_page, workspace_page

PAGE_SIZE = 50


def _tab(target: str) -> str:
    return "raci" if target == "task" else "plan"


@require_http_methods(["GET", "HEAD", "POST"])
def thread(request: HttpRequest, slug: str, target: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    found = selectors.thread_for(access, target, pk)
    can_write = rules.can_write(access, found.target)
    form = None
    if request.method == "POST":
        rules.require_write(access, found.target)
        form = CommentForm(request.POST, account=access.account)
        if form.is_valid():
            added = save_or_form_error(
                form,
                lambda: services.comment_add(
                    thread=found,
                    body=form.cleaned_data["body"],
                    mentioned=form.mentioned,
                    actor=request.user,
                ),
            )
            if added is not None:
                messages.success(request, _("Comment added."))
                back = request.POST.get("next", "")
                where = back if back == found.back_url.split("#")[0] else found.url
                return HttpResponseRedirect(f"{where}#comment-{added.pk}")
    elif can_write:
        form = CommentForm(account=access.account)
    comments = found.comments()
    paginator = Paginator(comments, PAGE_SIZE)
    # A conversation is read to its end: the newest page unless another is asked for.
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    shown = rules.with_permissions(access, selectors.with_earlier_versions(list(page.object_list)))
    return workspace_page(
        request,
        access,
        "comments/thread.html",
        _tab(found.target),
        status=form_status(form) if form is not None and request.method == "POST" else 200,
        thread=found,
        page=page,
        comments=shown,
        form=form,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    comment = selectors.comment_of(access, pk)
    rules.require_edit(access, comment)
    found = selectors.thread_of(comment)
    form = CommentForm(request.POST or None, instance=comment, account=access.account)
    return save_form_page(
        request,
        access,
        form,
        save=lambda: services.comment_edit(
            thread=found,
            comment=form.instance,
            mentioned=form.mentioned,
            expected_version=form.expected_version,
            actor=request.user,
        ),
        saved=_("Comment saved. Its earlier wording stays in its history."),
        next_url=lambda saved: f"{found.url}#comment-{saved.pk}",
        title=_("Edit your comment on %(thing)s") % {"thing": found.label},
        cancel_url=f"{found.url}#comment-{comment.pk}",
        tab=_tab(found.target),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def comment_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    comment = selectors.comment_of(access, pk)
    rules.require_remove(access, comment)
    found = selectors.thread_of(comment)
    return confirm_action_page(
        request,
        access,
        action=lambda: services.comment_remove(comment=comment, actor=request.user),
        done=_("Comment removed. The thread says so; the history keeps its words."),
        next_url=f"{found.url}#comment-{comment.pk}",
        title=_("Remove this comment?"),
        message=_(
            "The thread will show “comment removed” in its place. Its words stay in the "
            "account's history, which the leads can read."
        ),
        submit=_("Remove"),
        cancel_url=f"{found.url}#comment-{comment.pk}",
        tab=_tab(found.target),
    )

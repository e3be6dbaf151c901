"""Importing customer contacts or team seats into an account: upload, preview, confirm.

Leads only (accounts.access: write); outsiders get 404 as everywhere. A
pending upload is its uploader's: another lead finds nothing (404). Each
view serves every kind of import (imports.kinds); the URL says which.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import account_access
from core.pages import workspace_page
from core.uploads import announced_too_large, refuse_unread
from imports import progress, services, tasks
from imports.forms import UploadForm, too_large_message
from imports.kinds import KINDS
from imports.models import ImportBatch
from imports.readers import FileRefused
from imports.template_files import template_workbook

# The rows a preview lists of each action; all are counted, and all problems listed.
SHOWN_ROWS = 100
RECENT = 10


@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    form, status = upload_form(request)
    if status == 400 and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.upload(
                account=access.account,
                kind=kind,
                name=upload.name,
                data=upload.read(),
                actor=request.user,
            )
        except FileRefused as refused:
            form.add_error("file", str(refused))
        else:
            return HttpResponseRedirect(reverse(_preview_url(kind), args=[slug, batch.pk]))
    recent = (
        access.account.imports.filter(kind=kind, imported_at__isnull=False)
        .select_related("uploaded_by")
        .order_by("-imported_at")[:RECENT]
    )
    running = (
        access.account.imports.filter(
            kind=kind, uploaded_by=request.user, imported_at__isnull=True, queued_at__isnull=False
        )
        .only("pk", "file_name")
        .first()
    )
    return workspace_page(
        request,
        access,
        "imports/upload.html",
        KINDS[kind].tab,
        status=status,
        kind=kind,
        list_url=reverse(KINDS[kind].list_url, args=[slug]),
        template_url=reverse(f"imports:{kind}_template", args=[slug]),
        form=form,
        recent=recent,
        running=running,
        running_url=running and reverse(f"imports:{kind}_progress", args=[slug, running.pk]),
        max_rows=settings.IMPORT_MAX_ROWS,
    )


def upload_form(request: HttpRequest) -> tuple[UploadForm, int]:
    """The upload form as posted, with the status its page answers with (400 until the
    upload is taken); 413 with the form's message when the announced size is too large,
    checked first, since request.POST would read the body."""
    if announced_too_large(request, settings.IMPORT_MAX_BYTES):
        form = UploadForm()
        refuse_unread(form, "file", too_large_message())
        return form, 413
    form = UploadForm(request.POST or None, request.FILES or None)
    return form, 400 if request.method == "POST" else 200


def _preview_url(kind: str) -> str:
    return "imports:preview" if kind == ImportBatch.Kind.CONTACTS else f"imports:{kind}_preview"


def template_file(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    # Access first, so that a stranger learns nothing from a 405 either.
    account_access(request.user, slug, write=True)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return template_download(request, kind, KINDS[kind].template_name)


def template_download(request: HttpRequest, kind: str, names: dict[str, str]) -> HttpResponse:
    """A kind's template workbook, in the language ?lang= asks for (English else), under
    its name in that language."""
    language = "de" if request.GET.get("lang") == "de" else "en"
    response = HttpResponse(
        template_workbook(kind, language),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{names[language]}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def import_preview(request: HttpRequest, slug: str, pk: int, kind: str) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    batch = get_object_or_404(
        access.account.imports.filter(
            kind=kind, uploaded_by=request.user, imported_at__isnull=True
        ),
        pk=pk,
    )
    batch.account = access.account
    progress_url = reverse(f"imports:{kind}_progress", args=[slug, batch.pk])
    if batch.queued_at is not None:  # the worker has it: its page shows how far it is
        return HttpResponseRedirect(progress_url)
    status = 200
    if request.method == "POST" and services.in_background(batch):
        # Too large to keep the request waiting: the worker imports it, the same
        # way; the page shows the progress (a second click finds it queued).
        tasks.queue_import(batch, request.user)
        return HttpResponseRedirect(progress_url)
    if request.method == "POST":
        result = services.confirm(batch=batch, actor=request.user, access=access)
        list_url = reverse(KINDS[kind].list_url, args=[slug])
        if result is None:
            messages.info(request, _("This file was imported already."))
            return HttpResponseRedirect(list_url)
        if result.ok:
            say_imported(request, batch.file_name, result.counts)
            return HttpResponseRedirect(list_url)
        status = 409  # a problem appeared since the preview; nothing was written
    else:
        result = services.preview(batch, access)
    problems = Paginator(result.problems, 100).get_page(request.GET.get("page"))
    return workspace_page(
        request,
        access,
        "imports/preview.html",
        KINDS[kind].tab,
        status=status,
        kind=kind,
        list_url=reverse(KINDS[kind].list_url, args=[slug]),
        upload_url=reverse(f"imports:{kind}", args=[slug]),
        batch=batch,
        result=result,
        problems=problems,
        changing=[row for row in result.rows if row.action != "unchanged"][:SHOWN_ROWS],
        changing_total=result.counts["create"] + result.counts["update"],
        new_count=result.counts["create"],
        update_count=result.counts["update"],
        unchanged_count=result.counts["unchanged"],
        stale=status == 409,
        refusal=batch.get_refusal_display() if batch.refusal else "",
        in_background=services.in_background(batch),
    )


def say_imported(request: HttpRequest, file_name: str, counts: dict[str, int]) -> None:
    """The message after an import: its file and what it created, updated, left."""
    messages.success(
        request,
        _("Imported %(file)s: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "file": file_name,
            "created": counts["create"],
            "updated": counts["update"],
            "unchanged": counts["unchanged"],
        },
    )


def import_progress(request: HttpRequest, slug: str, pk: int, kind: str) -> HttpResponse:
    """The page that waits for a background import (imports.tasks). htmx asks for its
    bar every second; once the batch is imported (or refused) the page moves on: to
    the imported records, or back to the preview, which says why nothing was written."""
    access = account_access(request.user, slug, write=True)
    batch = get_object_or_404(
        access.account.imports.filter(kind=kind, uploaded_by=request.user), pk=pk
    )
    # Only now: a stranger learns nothing from a 405 either.
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if batch.imported_at is not None:
        # Said once: the poll that finds it done, and the one right after it (before the
        # browser has left), both send the page on.
        if ImportBatch.objects.filter(pk=batch.pk, queued_at__isnull=False).update(queued_at=None):
            counts = {"create": batch.created, "update": batch.updated}
            say_imported(request, batch.file_name, counts | {"unchanged": batch.unchanged})
        return progress.move_on(request, reverse(KINDS[kind].list_url, args=[slug]))
    if batch.queued_at is not None and tasks.stopped(batch):
        batch.queued_at = None
    if batch.queued_at is None:  # refused (or never queued): the preview says why
        return progress.move_on(request, reverse(_preview_url(kind), args=[slug, batch.pk]))
    state = progress.state(progress.key_of(batch.pk))
    context = {
        "kind": kind,
        "batch": batch,
        "state": state,
        "rows": len(batch.rows),
        "progress_url": request.path,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "imports/progress_bar.html", context)
    return workspace_page(
        request,
        access,
        "imports/progress.html",
        KINDS[kind].tab,
        list_url=reverse(KINDS[kind].list_url, args=[slug]),
        **context,
    )

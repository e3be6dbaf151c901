"""Key accounts from a spreadsheet, for managers: template, upload, preview, confirm.

Managers create key accounts (accounts.views.accounts.account_create), so
they bring many in at once from a sheet too. A row that would change an
account its importer may not edit is a problem in the preview, never a
write (imports.key_accounts). A pending upload is its uploader's: another
manager finds nothing (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from imports import services
from imports.key_accounts import MAX_ROWS
from imports.models import ImportBatch
from imports.readers import FileRefused
from imports.views import say_imported, template_download, upload_form

KIND = ImportBatch.Kind.ACCOUNTS
SHOWN_ROWS = 100
RECENT = 10
TEMPLATE_NAME = {"en": "key-accounts-template.xlsx", "de": "key-accounts-vorlage.xlsx"}


def _managers_only(request: HttpRequest) -> None:
    if not request.user.is_manager:
        raise PermissionDenied(_("Only managers can create key accounts."))


@require_http_methods(["GET", "HEAD", "POST"])
def accounts_upload(request: HttpRequest) -> HttpResponse:
    _managers_only(request)
    form, status = upload_form(request)
    if status == 400 and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.upload(
                account=None, kind=KIND, name=upload.name, data=upload.read(), actor=request.user
            )
        except FileRefused as refused:
            form.add_error("file", str(refused))
        else:
            return HttpResponseRedirect(reverse("imports:accounts_preview", args=[batch.pk]))
    recent = (
        ImportBatch.objects.filter(kind=KIND, imported_at__isnull=False)
        .select_related("uploaded_by")
        .order_by("-imported_at")[:RECENT]
    )
    return render(
        request,
        "imports/accounts_upload.html",
        {"form": form, "recent": recent, "max_rows": MAX_ROWS},
        status=status,
    )


def accounts_template(request: HttpRequest) -> HttpResponse:
    _managers_only(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return template_download(request, KIND, TEMPLATE_NAME)


@require_http_methods(["GET", "HEAD", "POST"])
def accounts_preview(request: HttpRequest, pk: int) -> HttpResponse:
    _managers_only(request)
    batch = get_object_or_404(
        ImportBatch.objects.filter(kind=KIND, uploaded_by=request.user, imported_at__isnull=True),
        pk=pk,
    )
    status = 200
    if request.method == "POST":
        result, created = services.confirm_accounts(batch=batch, actor=request.user)
        list_url = reverse("accounts:list")
        if result is None:
            messages.info(request, _("This file was imported already."))
            return HttpResponseRedirect(list_url)
        if result.ok:
            say_imported(request, batch.file_name, result.counts)
            # One new account: its page; several: the list, where they now are.
            return HttpResponseRedirect(
                created[0].get_absolute_url() if len(created) == 1 else list_url
            )
        status = 409  # a problem appeared since the preview; nothing was written
    else:
        result = services.preview_accounts(batch, request.user)
    changing = [row for row in result.rows if row.action != "unchanged"]
    return render(
        request,
        "imports/accounts_preview.html",
        {
            "batch": batch,
            "result": result,
            "problems": Paginator(result.problems, 100).get_page(request.GET.get("page")),
            "changing": changing[:SHOWN_ROWS],
            "changing_total": len(changing),
            "new_count": result.counts["create"],
            "update_count": result.counts["update"],
            "unchanged_count": result.counts["unchanged"],
            "stale": status == 409,
        },
        status=status,
    )

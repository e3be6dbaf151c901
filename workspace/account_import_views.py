"""A key account from its JSON export, for managers: upload, preview, confirm.

Managers create key accounts, so they bring one in from an export too
(another installation's, or this one's from before). The upload is read and
kept (workspace.models.AccountUpload); the preview runs the whole import in a
transaction that is rolled back (workspace.moving_in.account), so what it
shows is what the confirmation writes, or the problems that stop it.
"""

from __future__ import annotations

from dataclasses import replace

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.uploads import announced_too_large, refuse_unread
from imports import progress
from workspace import tasks
from workspace.exports.account import SECTIONS
from workspace.models import AccountUpload
from workspace.moving_in.account import AccountImport, ExportUnreadable, import_account, read_export

PROBLEMS_PER_PAGE = 100


def _too_large() -> str:
    return _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_MB}


class ExportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Export file (.json)"),
        help_text=gettext_lazy(
            "The .json file that a key account's Export gives (Overview → Export → JSON)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_too_large())
        try:
            self.cleaned_data["export"] = read_export(upload.read())
        except ExportUnreadable as refused:
            raise forms.ValidationError(str(refused)) from None
        return upload


def _managers_only(request: HttpRequest) -> None:
    if not request.user.is_manager:
        raise PermissionDenied(_("Only managers can create key accounts."))


@require_http_methods(["GET", "HEAD", "POST"])
def account_import(request: HttpRequest) -> HttpResponse:
    """The upload form; after an upload (or with one pending) its preview."""
    _managers_only(request)
    status = 200
    if announced_too_large(request, settings.IMPORT_MAX_BYTES):
        form, status = ExportUploadForm(), 413
        refuse_unread(form, "file", _too_large())
    else:
        form = ExportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and status == 200:
        running = AccountUpload.objects.filter(
            uploaded_by=request.user, queued_at__isnull=False, imported_account__isnull=True
        ).first()
        if running is not None and form.is_valid():
            # The worker may hold it right now: it is not replaced.
            form.add_error(
                "file",
                _("%(file)s is still being imported. Upload the next file once it is done.")
                % {"file": running.file_name},
            )
        if form.is_valid():
            AccountUpload.objects.update_or_create(
                uploaded_by=request.user,
                defaults={
                    "file_name": form.cleaned_data["file"].name[:255],
                    "data": form.cleaned_data["export"],
                    "queued_at": None,
                    "refusal": "",
                    "imported_account": None,
                },
            )
            return HttpResponseRedirect(reverse("accounts:account_import"))
        status = 400
    upload = _pending(request)
    if upload is not None and upload.queued_at is not None and request.method != "POST":
        return HttpResponseRedirect(reverse("accounts:account_import_progress"))
    if upload is None or request.method == "POST":
        return render(request, "workspace/account_import.html", {"form": form}, status=status)
    result = import_account(upload.data, by=request.user, commit=False)
    return _preview(request, upload, result, status)


def _pending(request: HttpRequest) -> AccountUpload | None:
    """The person's upload awaiting confirmation (or the worker). One the worker has
    imported, whose page was never opened again, is done with: it goes."""
    upload = AccountUpload.objects.filter(uploaded_by=request.user).first()
    if upload is not None and upload.imported_account_id is not None:
        upload.delete()
        return None
    return upload


def _preview(
    request: HttpRequest, upload: AccountUpload, result: AccountImport, status: int
) -> HttpResponse:
    labels = {s.name: capfirst(s.model._meta.verbose_name_plural) for s in SECTIONS}
    problems = [replace(p, section=labels.get(p.section, p.section)) for p in result.problems]
    context = {
        "upload": upload,
        "result": result,
        "rows": [(labels[name], count) for name, count in result.counts.items() if count],
        "problems": Paginator(problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page")),
        "stale": status == 409,
        "refusal": upload.get_refusal_display() if upload.refusal else "",
        "in_background": tasks.in_background(upload),
    }
    return render(request, "workspace/account_import_preview.html", context, status=status)


@require_POST
def account_import_confirm(request: HttpRequest) -> HttpResponse:
    """Writes the pending upload as a new key account, or shows why it cannot (409)."""
    _managers_only(request)
    upload = _pending(request)
    if upload is None:
        messages.info(request, _("There is no uploaded export to import: upload one."))
        return HttpResponseRedirect(reverse("accounts:account_import"))
    progress_url = reverse("accounts:account_import_progress")
    if upload.queued_at is not None:  # the worker has it (a second click)
        return HttpResponseRedirect(progress_url)
    if tasks.in_background(upload):
        # Too large to keep the request waiting: the worker imports it, the same way.
        tasks.queue_account_import(upload, request.user)
        return HttpResponseRedirect(progress_url)
    result = import_account(upload.data, by=request.user, commit=True)
    if result.account is None:
        return _preview(request, upload, result, 409)
    upload.delete()
    messages.success(
        request,
        _("Key account %(name)s imported: %(rows)s records.")
        % {"name": result.account, "rows": result.total},
    )
    return HttpResponseRedirect(result.account.get_absolute_url())


@require_POST
def account_import_discard(request: HttpRequest) -> HttpResponse:
    _managers_only(request)
    if AccountUpload.objects.filter(uploaded_by=request.user, queued_at__isnull=False).exists():
        messages.info(request, _("The export is being imported and can no longer be discarded."))
        return HttpResponseRedirect(reverse("accounts:account_import_progress"))
    AccountUpload.objects.filter(uploaded_by=request.user).delete()
    messages.info(request, _("The uploaded export was discarded; nothing was imported."))
    return HttpResponseRedirect(reverse("accounts:account_import"))


def account_import_progress(request: HttpRequest) -> HttpResponse:
    """The page that waits for a large export's import by the worker (workspace.tasks).
    htmx asks for its bar every second; once imported (or refused) the page moves on:
    to the new account, or back to the preview, which says why nothing was written."""
    _managers_only(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    upload = AccountUpload.objects.filter(uploaded_by=request.user).first()
    if upload is not None and upload.imported_account is not None:
        # Said once: the poll that finds it done, and the one right after it (before
        # the browser has left), both send the page on; the upload goes with the next.
        account = upload.imported_account
        if AccountUpload.objects.filter(pk=upload.pk, queued_at__isnull=False).update(
            queued_at=None
        ):
            messages.success(request, _("Key account %(name)s imported.") % {"name": account})
        return progress.move_on(request, account.get_absolute_url())
    if upload is not None and upload.queued_at is not None and tasks.account_import_stopped(upload):
        upload.queued_at = None
    if upload is None or upload.queued_at is None:  # refused: the preview says why
        return progress.move_on(request, reverse("accounts:account_import"))
    context = {
        "upload": upload,
        "state": progress.state(tasks.progress_key(upload)),
        "rows": tasks.row_count(upload.data),
        "progress_url": request.path,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "imports/progress_bar.html", context)
    return render(request, "workspace/account_import_progress.html", context)

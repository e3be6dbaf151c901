from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount
from core.forms import VersionedForm
from documents.files import ALLOWED, check_upload, too_large_message
from documents.models import Document, DocumentCategory, Visibility

ACCEPT = ",".join(f".{extension}" for extension in ALLOWED)


class UploadField(forms.FileField):
    """A file checked by its content (documents.files): empty, too large, a wrong type."""

    widget = forms.ClearableFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", None)
        super().__init__(**kwargs)
        # The browser offers the allowed types first and checks the size before
        # sending (static/js/kamteam.js reads data-max-bytes); the server decides.
        self.widget.attrs.update(
            {"accept": ACCEPT, "data-max-bytes": str(settings.DOCUMENTS_MAX_BYTES)}
        )

    def describe(self) -> None:
        """The limits in the request's language (a form's __init__ calls it)."""
        limit = filesizeformat(settings.DOCUMENTS_MAX_BYTES)
        self.help_text = gettext(
            "At most %(max)s: PDF, Office and OpenDocument files, images, text and CSV."
        ) % {"max": limit}
        self.widget.attrs["data-too-large"] = too_large_message(settings.DOCUMENTS_MAX_BYTES)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload:
            try:
                upload.clean_name, upload.file_type = check_upload(
                    upload, max_bytes=settings.DOCUMENTS_MAX_BYTES
                )
            except ValueError as error:
                raise forms.ValidationError(str(error), code="invalid_file") from error
        return upload


class DocumentForm(VersionedForm):
    """Add a file or a link (a new document), or change what is said of one."""

    file = UploadField(
        label=_("File"),
        required=False,
        error_messages={"empty": _("This file is empty.")},
    )

    url = forms.URLField(
        label=_("Link"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("For a link: where the document is (an intranet page, a shared folder)."),
    )

    class Meta:
        model = Document
        fields = ["kind", "file", "url", "title", "category", "visibility", "description"]
        widgets = {
            "kind": forms.RadioSelect,
            "visibility": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("Leave empty to use the file's name."),
            "visibility": _(
                "Core team only: leads, the core team and managers see it, extended members do not."
            ),
        }

    def __init__(self, *args: Any, account: KeyAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        kept = self.instance.category_id if self.instance.pk else None
        self.fields["category"].queryset = DocumentCategory.objects.filter(
            Q(is_active=True) | Q(pk=kept)
        )
        self.fields["category"].empty_label = None
        self.fields["visibility"].choices = Visibility.choices
        self.fields["title"].required = False
        if self.instance.pk:
            # A document stays a file or a link; a file gets new versions on its own page.
            del self.fields["kind"]
            del self.fields["file"]
            self.fields["title"].required = True
            if self.instance.kind == Document.Kind.FILE:
                del self.fields["url"]
        else:
            self.fields["kind"].choices = Document.Kind.choices
            self.fields["kind"].label = _("Add")
            self.fields["file"].describe()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = self.instance.kind if self.instance.pk else data.get("kind")
        upload = data.get("file")
        if kind == Document.Kind.FILE and not self.instance.pk:
            if not upload and "file" not in self.errors:
                self.add_error("file", _("Choose the file to upload."))
            data["url"] = ""
            if upload and not data.get("title"):
                data["title"] = upload.clean_name.rsplit(".", 1)[0][:200]
        elif kind == Document.Kind.LINK:
            if not data.get("url") and "url" not in self.errors:
                self.add_error("url", _("Enter the link's address."))
            if upload:
                self.add_error("file", _("A link has no file: choose “File” to upload one."))
        if not data.get("title") and "title" not in self.errors:
            self.add_error("title", _("Give the document a title."))
        return data


class VersionUploadForm(forms.Form):
    """A new version of a file document; the earlier ones stay."""

    file = UploadField(label=_("New version"), error_messages={"empty": _("This file is empty.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].describe()

"""A manager brings a key account in from its JSON export: upload, preview, confirm."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import CustomerContact, KeyAccount
from core.uploads import FORM_OVERHEAD
from tests.factories import ContactFactory, UserFactory
from tests.fixtures import World
from tests.queries import page_queries
from users.models import MANAGERS_GROUP
from workspace.exports.account import account_export
from workspace.exports.common import json_text
from workspace.models import AccountUpload

pytestmark = pytest.mark.django_db
URL = reverse("accounts:account_import")
CONFIRM = reverse("accounts:account_import_confirm")
DISCARD = reverse("accounts:account_import_discard")


def _file(world: World, change=None, name: str = "nordwind.json") -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    data = json.loads(json_text(account_export(world.account, None)))
    if change:
        change(data)
    return SimpleUploadedFile(name, json.dumps(data).encode(), "application/json")


def test_a_manager_uploads_previews_and_confirms_a_new_account(world: World) -> None:
    client = world.client_for("manager")
    assert "Import from an export" in client.get(reverse("accounts:list")).content.decode()
    response = client.post(URL, {"file": _file(world)})
    assert response.status_code == 302 and response["Location"] == URL
    assert KeyAccount.objects.count() == 1  # the preview writes nothing
    page = client.get(URL).content.decode()
    assert "Preview of the key account import" in page
    assert "/accounts/nordwind-ag/" in page  # the address nordwind is taken here
    assert "Customer contacts" in page and "Import Nordwind AG" in page
    contacts = world.account.contacts.count()
    response = client.post(CONFIRM)
    new = KeyAccount.objects.exclude(pk=world.account.pk).get()
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.slug == "nordwind-ag" and new.contacts.count() == contacts
    assert not AccountUpload.objects.exists()
    overview = client.get(new.get_absolute_url()).content.decode()
    assert "Key account Nordwind AG imported" in overview


def test_problems_are_shown_and_stop_the_confirmation(world: World) -> None:
    client = world.client_for("manager")

    def ghost(data: dict) -> None:
        data["sections"]["team"][0]["user"] = "ghost"
        data["sections"]["contacts"][0]["influence"] = 99

    client.post(URL, {"file": _file(world, ghost)})
    page = client.get(URL).content.decode()
    assert "Colleagues not found here" in page and "ghost</span>" in page
    assert "Customer contacts" in page and "less than or equal to 5" in page
    assert "Import Nordwind AG" not in page  # no confirm button
    response = client.post(CONFIRM)
    assert response.status_code == 409
    assert "Nothing was imported" in response.content.decode()
    assert KeyAccount.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name;email\nMax;max@example.com\n", "This is not a JSON file"),
        (b'{"format": "kamteam-installation-export"}', "not a key account export"),
    ],
)
def test_a_file_that_is_no_export_gets_a_message_at_the_field(
    world: World, content: bytes, message: str
) -> None:
    client = world.client_for("manager")
    response = client.post(URL, {"file": SimpleUploadedFile("x.json", content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AccountUpload.objects.exists()


def test_an_announced_oversized_upload_is_refused_unread(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_MAX_BYTES, settings.IMPORT_MAX_MB = 1000, 0
    client = world.client_for("manager")
    big = SimpleUploadedFile("big.json", b" " * (1000 + FORM_OVERHEAD + 1))
    response = client.post(URL, {"file": big})
    assert response.status_code == 413
    assert "larger than" in response.content.decode()


def test_a_new_upload_replaces_the_pending_one_and_discard_removes_it(world: World) -> None:
    client = world.client_for("manager")
    client.post(URL, {"file": _file(world, name="first.json")})
    client.post(URL, {"file": _file(world, name="second.json")})
    assert list(AccountUpload.objects.values_list("file_name", flat=True)) == ["second.json"]
    response = client.post(DISCARD, follow=True)
    assert "discarded" in response.content.decode()
    assert not AccountUpload.objects.exists()
    assert client.post(CONFIRM, follow=True).status_code == 200  # nothing pending: back to upload
    assert KeyAccount.objects.count() == 1


@pytest.mark.parametrize("who", ["lead", "member", "outsider"])
def test_only_managers_import_accounts(world: World, who: str) -> None:
    client = world.client_for(who)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": _file(world)}).status_code == 403
    assert client.post(CONFIRM).status_code == 403
    assert not AccountUpload.objects.exists() and KeyAccount.objects.count() == 1


def test_another_managers_upload_is_not_yours_to_confirm(world: World) -> None:
    world.client_for("manager").post(URL, {"file": _file(world)})
    other = UserFactory()
    other.groups.add(Group.objects.get_or_create(name=MANAGERS_GROUP)[0])
    client = world.client_for(None)
    client.force_login(other)
    assert "Upload and preview" in client.get(URL).content.decode()  # their own, empty
    client.post(CONFIRM)
    assert KeyAccount.objects.count() == 1 and AccountUpload.objects.count() == 1


def test_the_pages_queries(world: World) -> None:
    client = world.client_for("manager")
    empty = page_queries(client, URL)
    assert empty <= 8
    client.post(URL, {"file": _file(world)})
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    small = sum("core_cachegeneration" not in q["sql"] for q in captured.captured_queries)
    for n in range(20):
        ContactFactory(account=world.account, last_name=f"More {n}")
    client.post(URL, {"file": _file(world)})
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    # The preview runs the import and rolls it back: one INSERT per record it
    # would write (20 more contacts, 20 more), nothing else grows. The page
    # cache's counters are left out: they move after a commit, which a preview
    # never makes (the test suite runs them at once: core.fragments._after_commit).
    queries = [q for q in captured.captured_queries if "core_cachegeneration" not in q["sql"]]
    inserts = [q for q in queries if q["sql"].startswith("INSERT")]
    assert len(queries) - small == 20
    assert sum('"accounts_customercontact"' in q["sql"] for q in inserts) == (
        CustomerContact.objects.filter(account=world.account).count()
    )

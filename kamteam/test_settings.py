"""Settings for the test suite: production settings with test-only values.

The suite runs with DEBUG off, as production does; only what cannot work in
a test process (HTTPS redirects, a real secret) is set here.
"""

import atexit
import os
import secrets
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from kamteam.settings import *  # noqa: F403


def _run_folder(prefix: str) -> str:
    """A folder of this test run's own, removed when the run ends."""
    folder = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


# SQLite's test database in memory, named so: pytest-xdist gives each worker
# its own database by a suffix on the name, and pytest-django knows SQLite's
# in-memory one only under Django's engine, not django-prometheus's wrapper
# ("test_/.../db.sqlite3_gw0" cannot be opened). Each worker has its memory.
if DATABASES["default"]["ENGINE"].endswith(".sqlite3"):  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"  # noqa: F405
# Hashing with the real hasher costs ~0.3 s a user; the suite creates many.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tests serve static files through the finders (live_server does); there is
# no collected STATIC_ROOT to look at.
STATIC_ROOT = None
# Each test process's own memory, even with REDIS_URL in the environment: a
# shared Redis would hand one run's entries to the next. Tests of Redis name
# their own (core/tests/test_cache.py, tests/test_two_app_servers.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kamteam",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    # Files in a folder of this run's own (or the one a test hands to the worker
    # it starts: PROGRESS_DIR), removed at the end of the run.
    "progress": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("PROGRESS_DIR") or _run_folder("kamteam-test-progress-"),
    },
}
# Tasks run at once, in the test's own process (mails land in mail.outbox):
# a test needs no worker unless it starts one itself (core/tests/test_tasks.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Uploaded documents in a folder of this run's own, removed at its end.
_MEDIA = _run_folder("kamteam-test-media-")
MEDIA_ROOT = Path(_MEDIA)
STORAGES["documents"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(MEDIA_ROOT / "documents")},
}
# Every run of a kept query (core.prepared) is compared with a fresh compile,
# and a query whose SQL cannot be kept fails instead of quietly being rebuilt.
PREPARED_QUERIES_CHECK = True

import shutil
from pathlib import Path

import pytest
from django.core.files.storage import storages


@pytest.fixture(autouse=True)
def _empty_documents_storage() -> None:
    """Each test starts with no stored file (the folder is this test run's own:
    kamteam/test_settings.py), so "nothing left behind" is checked on disk."""
    root = Path(storages["documents"].location)
    shutil.rmtree(root, ignore_errors=True)

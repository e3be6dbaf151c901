"""A second connection to a SQLite file, configured as `make run` configures it
(kamteam.database_settings), for tests of the embedded database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from django.db import connections

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def embedded_database(path: Path, alias: str, **options: Any) -> Iterator[str]:
    """The alias of a connection to the SQLite file `path`, with `options` over the
    settings' OPTIONS; closed and forgotten afterwards."""
    from kamteam.database_settings import database_settings

    with mock.patch.dict(os.environ, {"DATABASE_URL": f"sqlite:///{path}"}):
        settings = database_settings(ROOT)
    settings["OPTIONS"].update(options)
    configured = connections.configure_settings({"default": settings, alias: settings})
    connections.settings[alias] = configured[alias]
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections.settings[alias]

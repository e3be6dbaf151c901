"""Settings of the worker processes that core/tests/test_tasks.py starts.

The test settings, with a real task backend instead of the immediate one:
the database (KAMTEAM_TASKS=database, DATABASE_URL = the test database) or
RQ on Redis (KAMTEAM_TASKS=redis) with the queue of the test as well, so
parallel test runs on one Redis never take each other's jobs.
"""

import os

from kamteam.test_settings import *  # noqa: F403

_QUEUES = ["default", os.environ.get("KAMTEAM_TEST_QUEUE", "default")]

if KAMTEAM_TASKS == "redis":  # noqa: F405
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": _QUEUES}}
    RQ_QUEUES = {name: {"URL": REDIS_URL} for name in _QUEUES}  # noqa: F405
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": _QUEUES}}

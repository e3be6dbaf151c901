"""Where account documents are kept and how they are served (README, "Documents").

- DOCUMENTS_MAX_MB: the largest file, in MB (default 25). A larger upload is
  refused by its Content-Length before its body is read (documents.views).
- MEDIA_ROOT/documents holds the files by default. With DOCUMENTS_S3_BUCKET
  they go to S3-compatible object storage through django-storages (the `s3`
  extra), with DOCUMENTS_S3_ENDPOINT_URL, DOCUMENTS_S3_REGION and the usual
  AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment.
- DOCUMENTS_X_ACCEL_REDIRECT=1 behind the kit's nginx: kamteam checks access and
  answers with X-Accel-Redirect: /protected/documents/<path>; nginx sends the
  file (deploy/nginx/kamteam.conf), so no Python worker streams it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from kamteam.env import env_bool, env_int, env_str

MB = 1024 * 1024


def documents_settings(*, MEDIA_ROOT: Path) -> dict[str, Any]:
    max_mb = env_int("DOCUMENTS_MAX_MB", 25)
    if not 1 <= max_mb <= 2048:
        raise ImproperlyConfigured(f"DOCUMENTS_MAX_MB must be 1 to 2048; got {max_mb}")
    bucket = env_str("DOCUMENTS_S3_BUCKET").strip()
    accel = env_bool("DOCUMENTS_X_ACCEL_REDIRECT", False)
    if bucket and accel:
        raise ImproperlyConfigured(
            "DOCUMENTS_X_ACCEL_REDIRECT serves files from MEDIA_ROOT: it cannot be used "
            "with DOCUMENTS_S3_BUCKET"
        )
    if bucket:
        storage: dict[str, Any] = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": env_str("DOCUMENTS_S3_ENDPOINT_URL").strip() or None,
                "region_name": env_str("DOCUMENTS_S3_REGION").strip() or None,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
    else:
        storage = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            # No base_url: the files have no public address (documents.views.download).
            "OPTIONS": {"location": str(MEDIA_ROOT / "documents")},
        }
    return {
        "DOCUMENTS_MAX_BYTES": max_mb * MB,
        "DOCUMENTS_STORAGE": storage,
        # The internal nginx location for MEDIA_ROOT, "" when Python sends the files.
        "DOCUMENTS_X_ACCEL_REDIRECT": "/protected/documents/" if accel else "",
    }

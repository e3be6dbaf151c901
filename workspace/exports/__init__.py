"""What kamteam holds about a person or a customer contact, as JSON-ready data.

`personal_data_export` is the colleague's own download (/me/profile/export/):
every record that refers to them, directly or through one of their seats on
an account team. `SOURCES` names, per model, the sections that hold its rows;
workspace/tests/test_personal_export.py walks every model with a reference to a person
and fails for one that is missing here.

`contact_data_export` is everything held about one customer contact, for a
data-protection request handled by the account's leads or staff.

The modules: `common` (value conversion, version history, profiles, the JSON
download), `history` (the generic search of historical rows linked to a
person), `personal` and `contact` (the two exports).
"""

from __future__ import annotations

from workspace.exports.common import ADMIN_ACTIONS, CHANGE_TYPES, json_download
from workspace.exports.contact import contact_data_export
from workspace.exports.history import PERSON_MODELS, is_historical, person_fields
from workspace.exports.personal import HISTORY_SECTION, SOURCES, personal_data_export

__all__ = [
    "ADMIN_ACTIONS",
    "CHANGE_TYPES",
    "HISTORY_SECTION",
    "PERSON_MODELS",
    "SOURCES",
    "contact_data_export",
    "is_historical",
    "json_download",
    "person_fields",
    "personal_data_export",
]

"""What every kind of seed data shares: bulk inserts and the name pools."""

from __future__ import annotations

BATCH = 2000
COUNTRIES = ["DE", "FR", "US", "CN", "IT", "ES", "GB", "JP", "NL", "SE"]
FIRST = ["Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hans", "Ida", "Jan"]
LAST = ["Albers", "Bauer", "Cramer", "Dietrich", "Engel", "Fischer", "Graf", "Hahn", "Iske"]


def bulk(model, rows):  # type: ignore[no-untyped-def]
    return model.objects.bulk_create(rows, batch_size=BATCH)

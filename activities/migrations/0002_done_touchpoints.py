"""Every touchpoint done before the activities app gets its activity."""

import datetime

from django.db import migrations


def done_touchpoints_become_activities(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Touchpoints done before this app: each gets its activity (activities.services),
    in batches: an installation may have tens of thousands."""
    Touchpoint = apps.get_model("touchpoints", "Touchpoint")
    Activity = apps.get_model("activities", "Activity")
    kinds = {"call": "call", "meeting": "meeting", "event": "event"}
    today = datetime.date.today()
    done = (
        Touchpoint.objects.filter(status="done")
        .order_by("pk")
        .values_list(
            "pk", "account_id", "kind", "date", "year", "quarter", "title", "outcome",
            "contact_id", "owner__user_id",
        )
    )
    batch: list[tuple] = []
    for row in done.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            _create(Activity, batch, kinds, today)
            batch = []
    if batch:
        _create(Activity, batch, kinds, today)


BATCH = 2000


def _create(Activity, rows, kinds, today) -> None:  # type: ignore[no-untyped-def]
    made = Activity.objects.bulk_create(
        Activity(
            account_id=account_id,
            touchpoint_id=pk,
            kind=kinds.get(kind, "other"),
            happened_on=date or min(today, _quarter_end(year, quarter)),
            subject=title[:200],
            note=outcome,
            logged_by_id=user_id,
        )
        for pk, account_id, kind, date, year, quarter, title, outcome, _c, user_id in rows
    )
    by_touchpoint = {activity.touchpoint_id: activity.pk for activity in made}
    if None in by_touchpoint.values():  # a database that returns no ids from a bulk insert
        by_touchpoint = dict(
            Activity.objects.filter(touchpoint_id__in=list(by_touchpoint)).values_list(
                "touchpoint_id", "pk"
            )
        )
    Activity.contacts.through.objects.bulk_create(
        Activity.contacts.through(activity_id=by_touchpoint[row[0]], customercontact_id=row[8])
        for row in rows
    )
    Activity.participants.through.objects.bulk_create(
        Activity.participants.through(activity_id=by_touchpoint[row[0]], user_id=row[9])
        for row in rows
    )


def _quarter_end(year: int, quarter: int) -> datetime.date:
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, quarter * 3 + 1, 1) - datetime.timedelta(days=1)


class Migration(migrations.Migration):
    # Its own migration, after the tables exist: 0001's foreign keys hold locks that
    # block writes to the touchpoints, contacts and people until its transaction ends,
    # so the rows are written here, where only the new tables are written.
    dependencies = [("activities", "0001_initial")]

    operations = [
        migrations.RunPython(done_touchpoints_become_activities, migrations.RunPython.noop)
    ]

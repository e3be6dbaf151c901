"""The account's undated revenue fields become dated rows, before 0008 drops them.

What happens to the values, as decided for issue 13:

- `revenue_last_year` becomes the account's actual of the year *before the
  year this migration runs in* (run in 2026: the actual of 2025), since that
  is what the field said on the day of the upgrade. A value of 0 was the
  field's default, not a figure anyone entered: no actual is made of it.
- `revenue_target` (undated) becomes the target for *this* year of the plan
  covering this year, if that plan has no target for this year yet. A plan
  keeps targets only inside its period, so without a plan covering this year,
  or when the plan has its own target for the year, the undated value is
  dropped: the plan's figure is the one the overview already showed.

Each row made here gets a history entry saying where it came from. Going back
(0008, then this one, reversed) writes the values back to the two fields:
the actual of the year before the migration's year, and this year's target
of the plan covering it.
"""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone

ACTUAL_REASON = "from the account's former 'revenue last year'"
TARGET_REASON = "from the account's former undated 'revenue target'"


def fields_to_rows(apps, schema_editor) -> None:
    KeyAccount = apps.get_model("accounts", "KeyAccount")
    Plan = apps.get_model("accounts", "KeyAccountPlan")
    Actual = apps.get_model("accounts", "RevenueActual")
    HistoricalActual = apps.get_model("accounts", "HistoricalRevenueActual")
    Target = apps.get_model("accounts", "PlanRevenueTarget")
    HistoricalTarget = apps.get_model("accounts", "HistoricalPlanRevenueTarget")
    now = timezone.now()
    year = timezone.localdate().year
    for account in KeyAccount.objects.order_by("pk"):
        if account.revenue_last_year and account.revenue_last_year > 0:
            actual, created = Actual.objects.get_or_create(
                account=account, year=year - 1, defaults={"amount": account.revenue_last_year}
            )
            if created:
                HistoricalActual.objects.create(
                    id=actual.pk,
                    account_id=account.pk,
                    version=actual.version,
                    year=actual.year,
                    amount=actual.amount,
                    updated_at=actual.updated_at,
                    history_date=now,
                    history_type="+",
                    history_change_reason=ACTUAL_REASON,
                )
        if not account.revenue_target or account.revenue_target <= 0:
            continue
        plan = Plan.objects.filter(
            account=account, start_year__lte=year, end_year__gte=year
        ).first()
        if plan is None or Target.objects.filter(plan=plan, year=year).exists():
            continue
        target = Target.objects.create(plan=plan, year=year, amount=account.revenue_target)
        HistoricalTarget.objects.create(
            id=target.pk,
            plan_id=plan.pk,
            year=target.year,
            amount=target.amount,
            history_date=now,
            history_type="+",
            history_change_reason=TARGET_REASON,
        )


def rows_to_fields(apps, schema_editor) -> None:
    KeyAccount = apps.get_model("accounts", "KeyAccount")
    Actual = apps.get_model("accounts", "RevenueActual")
    Target = apps.get_model("accounts", "PlanRevenueTarget")
    year = timezone.localdate().year
    for account in KeyAccount.objects.order_by("pk"):
        actual = Actual.objects.filter(account=account, year=year - 1).first()
        target = Target.objects.filter(
            plan__account=account, plan__start_year__lte=year, plan__end_year__gte=year, year=year
        ).first()
        account.revenue_last_year = actual.amount if actual else 0
        account.revenue_target = target.amount if target else 0
        account.save(update_fields=["revenue_last_year", "revenue_target"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_revenue_actuals_per_year"),
    ]

    operations = [migrations.RunPython(fields_to_rows, rows_to_fields)]

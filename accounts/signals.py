"""What the accounts app announces, for the apps above it to act on.

An app on a lower floor cannot import the ones above (tests/test_architecture.py);
they connect to these signals in their AppConfig.ready() instead.
"""

from __future__ import annotations

from django.dispatch import Signal

# A person opened a plan's page (accounts.views.plans). Sent with `plan` (the
# KeyAccountPlan) and `access` (the viewer's accounts.access.AccountAccess).
# The portfolio marks the plan's reviews read for its leads.
plan_opened = Signal()

# A person's place on a team changed (accounts.services), sent inside the
# change's transaction once it is saved, with `member` (the
# AccountTeamMember), `actor` (who made it; None outside a request) and
# `change`, one of the three below. The notifications app tells the person.
MEMBER_ADDED, MEMBER_REMOVED, MEMBER_MADE_LEAD = "added", "removed", "made_lead"
team_member_changed = Signal()

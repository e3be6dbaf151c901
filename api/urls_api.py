"""The API's routes under /api/ (kamteam/urls.py).

django-ninja answers anonymous calls itself (401), so its views are exempt
from the login redirect of LoginRequiredMiddleware, which is for pages. The
docs page and the schema stay behind the login like any page (a program gets
the schema from `manage.py export_openapi_schema --api api.urls_api.api`).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required

from api.routes import accounts, contacts, people, revenue, team, touchpoints, work
from api.service import api

api.add_router("/accounts/", accounts.router)
api.add_router("/accounts/", team.router)
api.add_router("/accounts/", contacts.router)
api.add_router("/accounts/", work.router)
api.add_router("/accounts/", revenue.router)
api.add_router("/accounts/", touchpoints.router)
api.add_router("/", people.router)

patterns, app_name, namespace = api.urls
DOCS = {"openapi-json", "openapi-view"}
for pattern in patterns:
    if pattern.name not in DOCS:
        pattern.callback = login_not_required(pattern.callback)
urls = (patterns, app_name, namespace)

"""One lead of the soak's write phase, as a thread: GET a form, POST it back as a
browser would (FormParser reads the fields)."""

from __future__ import annotations

import http.client
import threading
import time
from html.parser import HTMLParser
from urllib.parse import urlencode


class FormParser(HTMLParser):
    """The fields of every <form method=post> of a page, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self._form["fields"].append(
                [name, a.get("value") or ("on" if kind == "checkbox" else "")]
            )
        elif tag == "textarea" and name:
            self._textarea = name
            self._form["fields"].append([name, ""])
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self._form["fields"].append([self._select, a.get("value") or ""])

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form:
            self._form["fields"][-1][1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


class Writer(threading.Thread):
    """One lead: marks their share of touchpoints done and saves their account's plan."""

    def __init__(self, n: int, port: int, cookie: str, slug: str, plan_id: int, tps: list[int],
                 edits: int, deadline: float) -> None:  # fmt: skip
        super().__init__(daemon=True)
        self.n, self.port, self.slug = n, port, slug
        self.plan_id, self.tps, self.edits, self.deadline = plan_id, tps, edits, deadline
        # `cookie` is "sessionid=...; csrftoken=...", as probe.py's sessions gives it.
        jar = dict(part.strip().split("=", 1) for part in cookie.split(";"))
        self.session, self.csrf = jar["sessionid"], jar.get("csrftoken", "")
        self.statuses: dict[str, dict[int, int]] = {"done": {}, "plan": {}, "get": {}}
        self.done_accepted: list[tuple[int, str]] = []
        self.plan_accepted: list[tuple[int, int, str]] = []  # (plan, expected version, marker)
        self.conflicts = 0
        self.errors: list[str] = []

    def _request(self, method: str, path: str, body: str = "") -> tuple[int, str]:
        cookie = f"sessionid={self.session}" + (f"; csrftoken={self.csrf}" if self.csrf else "")
        headers = {"Cookie": cookie}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                    self.csrf = value.split(";", 1)[0].split("=", 1)[1]
            return response.status, text
        finally:
            conn.close()

    def _form(self, path: str, must_have: str) -> list[list[str]] | None:
        status, html = self._request("GET", path)
        self.statuses["get"][status] = self.statuses["get"].get(status, 0) + 1
        if status != 200:
            self.errors.append(f"GET {path}: {status}")
            return None
        parser = FormParser()
        parser.feed(html)
        for form in parser.forms:
            if any(name == must_have for name, _ in form["fields"]):
                return form["fields"]
        self.errors.append(f"GET {path}: no form with {must_have}")
        return None

    def mark_done(self, tp: int) -> None:
        path = f"/accounts/{self.slug}/touchpoints/{tp}/done/"
        fields = self._form(path, "outcome")
        if fields is None:
            return
        marker = f"soak-done-{self.n}-{tp}-{time.monotonic_ns()}"
        data = [(k, v) for k, v in fields if k != "outcome"] + [("outcome", marker)]
        status, _ = self._request("POST", path, urlencode(data))
        self.statuses["done"][status] = self.statuses["done"].get(status, 0) + 1
        if status == 302:
            self.done_accepted.append((tp, marker))
        else:
            self.errors.append(f"POST {path}: {status}")

    def edit_plan(self, attempt: int) -> None:
        path = f"/accounts/{self.slug}/plans/{self.plan_id}/edit/"
        fields = self._form(path, "version")
        if fields is None:
            return
        version = int(next(v for k, v in fields if k == "version"))
        marker = f"soak-plan-{self.n}-{attempt}-{time.monotonic_ns()}"
        data = [(k, v) for k, v in fields if k != "strategy"] + [("strategy", marker)]
        status, _ = self._request("POST", path, urlencode(data))
        self.statuses["plan"][status] = self.statuses["plan"].get(status, 0) + 1
        if status == 302:
            self.plan_accepted.append((self.plan_id, version, marker))
        elif status == 409:
            self.conflicts += 1
        else:
            self.errors.append(f"POST {path}: {status}")

    def run(self) -> None:
        jobs = [("done", tp) for tp in self.tps] + [("plan", i) for i in range(self.edits)]
        # Interleave: done, plan, done, plan, ...
        jobs.sort(key=lambda job: job[1] if job[0] == "plan" else self.tps.index(job[1]))
        for kind, arg in jobs:
            if time.monotonic() > self.deadline:
                break
            try:
                if kind == "done":
                    self.mark_done(arg)
                else:
                    self.edit_plan(arg)
            except OSError as exc:
                self.errors.append(f"{kind} {arg}: {exc}")

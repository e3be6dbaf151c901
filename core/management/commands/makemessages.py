"""Django's makemessages, reading the Jinja2 partials (``*.jinja``) too.

Django extracts messages from its own templates and from Python; the few hot
partials written for Jinja2 (kamteam/jinja2.py) would otherwise lose their
messages from the catalogue at the next ``make makemessages``. Their messages
are read with Jinja2's own extractor and added to the template catalogue
(``django.pot``) before Django merges it into each language's ``django.po``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from django.core.management.commands import makemessages
from django.core.management.utils import popen_wrapper
from django.template import engines


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def pot_entries(path: Path, reference: str) -> Iterator[str]:
    """The messages of the Jinja2 template `path` as entries of a .pot file."""
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    source = path.read_text(encoding="utf-8")
    for lineno, function, message in env.extract_translations(source):
        parts = message if isinstance(message, tuple) else (message,)
        context = None
        if function in ("pgettext", "npgettext"):
            context, parts = parts[0], parts[1:]
        singular = parts[0]
        plural = parts[1] if function in ("ngettext", "npgettext") else None
        lines = [f"#: {reference}:{lineno}"]
        if "%(" in singular:
            lines.append("#, python-format")
        if context is not None:
            lines.append(f"msgctxt {_quoted(context)}")
        lines.append(f"msgid {_quoted(singular)}")
        if plural is not None:
            lines += [f"msgid_plural {_quoted(plural)}", 'msgstr[0] ""', 'msgstr[1] ""']
        else:
            lines.append('msgstr ""')
        yield "\n".join(lines) + "\n"


class Command(makemessages.Command):
    def jinja_templates(self) -> list[Path]:
        """The .jinja files under the current folder, as makemessages finds its
        files (--ignore and the default ignores apply)."""
        extensions = self.extensions
        self.extensions = {".jinja"}
        try:
            return [Path(found.path) for found in self.find_files(".")]
        finally:
            self.extensions = extensions

    def build_potfiles(self) -> list[str]:
        potfiles = super().build_potfiles()
        if self.domain != "django":
            return potfiles
        entries = [
            entry
            for template in self.jinja_templates()
            for entry in pot_entries(template, os.path.normpath(template))
        ]
        if not entries:
            return potfiles
        for potfile in potfiles:
            with open(potfile, "a", encoding="utf-8") as pot:
                pot.write("\n" + "\n".join(entries))
            # msguniq again: a message in a Django template too is one entry.
            msgs, errors, status = popen_wrapper(["msguniq", *self.msguniq_options, potfile])
            if status:
                raise makemessages.CommandError(f"msguniq failed on {potfile}: {errors}")
            Path(potfile).write_text(makemessages.normalize_eols(msgs), encoding="utf-8")
        return potfiles

"""Vietnamese by default, English on a switch (Flask-Babel).

The catalogs are kept as ``.po`` text in the repository and compiled to
``.mo`` when the app starts, into ``instance/translations``: a fresh clone
works without a build step, nothing generated lands in the source tree, and
an edited ``.po`` takes effect at the next start.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, Flask, Response, redirect, session, url_for
from flask_babel import Babel

from gateway.console.forms import LanguageForm

SOURCES = Path(__file__).with_name("translations")
LANGUAGES = ("vi", "en")
DEFAULT = "vi"

bp = Blueprint("language", __name__)


def compile_catalogs(source: Path, target: Path) -> None:
    """Compile each ``.po`` under ``source`` whose ``.mo`` is missing or older.

    Written to a temporary file and renamed, so two processes starting at once
    never read half a catalog.
    """
    for po_path in source.glob("*/LC_MESSAGES/*.po"):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(temporary, mo_path)


def select_locale() -> str:
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT


def init_app(app: Flask) -> None:
    target = Path(app.instance_path) / "translations"
    compile_catalogs(SOURCES, target)
    Babel(
        app,
        locale_selector=select_locale,
        default_locale=DEFAULT,
        default_translation_directories=str(target),
    )


@bp.post("/language")
def switch() -> Response:
    """Remember the language in the session; works before login too."""
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in LANGUAGES:
        session["lang"] = form.lang.data
    target = form.next.data or ""
    if not target.startswith("/console/"):
        target = url_for("console.home.index")
    return redirect(target)

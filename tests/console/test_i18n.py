"""Vietnamese by default, English on a switch; catalogs compiled from the .po at start."""

from __future__ import annotations

import os

from babel.messages.pofile import read_po

from gateway.console.i18n import SOURCES, compile_catalogs
from tests.console.conftest import csrf_token


def _switch(client, lang: str, next_page: str = "/console/c/AB/cases/"):
    return client.post(
        "/console/language",
        data={"csrf_token": csrf_token(client), "lang": lang, "next": next_page},
    )


def test_the_switch_sets_english_and_back(admin, world):
    assert "Ca báo" in admin.get("/console/c/AB/cases/").get_data(as_text=True)
    response = _switch(admin, "en")
    assert response.location == "/console/c/AB/cases/"
    page = admin.get("/console/c/AB/cases/").get_data(as_text=True)
    assert "Not resolved" in page and '<html lang="en">' in page
    _switch(admin, "vi")
    assert "Chưa xử lý xong" in admin.get("/console/c/AB/cases/").get_data(as_text=True)


def test_the_language_survives_login(client, world):
    _switch(client, "en", "/console/login")
    assert "Log in" in client.get("/console/login").get_data(as_text=True)
    token = csrf_token(client)
    client.post(
        "/console/login",
        data={"csrf_token": token, "username": "admin", "password": "correct-horse-1"},
    )
    assert "Declarations by team" in client.get("/console/c/AB/today/").get_data(as_text=True)


def test_an_unknown_language_or_an_outside_target_is_ignored(admin, world):
    response = _switch(admin, "fr", "https://evil.example/")
    assert response.location == "/console/"
    assert "Hôm nay" in admin.get("/console/c/AB/today/").get_data(as_text=True)


def test_every_message_has_a_vietnamese_translation():
    with (SOURCES / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == []
    assert not [m.id for m in catalog if m.fuzzy and m.id]


def test_catalogs_are_compiled_when_missing_or_stale(tmp_path):
    compile_catalogs(SOURCES, tmp_path)
    compiled = tmp_path / "vi" / "LC_MESSAGES" / "messages.mo"
    assert compiled.stat().st_size > 1000
    os.utime(compiled, (1, 1))
    compile_catalogs(SOURCES, tmp_path)
    assert compiled.stat().st_mtime > 1
    before = compiled.stat().st_mtime_ns
    compile_catalogs(SOURCES, tmp_path)
    assert compiled.stat().st_mtime_ns == before

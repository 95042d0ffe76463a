"""Every console page, and every form's errors, read in Vietnamese with no English left.

The walk takes the console's own routes, so a page added later is walked too
(or the test names it as not covered). A visible word is English when it is a
word of the console's English source strings (the catalog's ``msgid``s) that
no Vietnamese translation uses; a stored code (``not_declared``,
``UserInBlackList``) shown raw fails as well. Staff-written content (SMS texts,
templates) is marked ``translate="no"`` in the templates and skipped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from db.models import (
    Commune,
    Household,
    Member,
    OutboundMessage,
    ReminderSchedule,
    StaffUser,
    Team,
)
from gateway.console.i18n import SOURCES
from tests.console.conftest import PASSWORD, csrf_token, open_case, post

ALLOWED = {"sms", "ussd", "csv", "xlsx", "gsm", "ucs", "utf", "ok", "id", "email"}
"""Words that read the same in Vietnamese: protocols, formats, codes."""
CODES = {"commune_code", "household_code", "head_name", "phone_kind", "member_phone"}
"""The import file's column headers (SPEC §3): typed as they are in any language."""

SKIPPED_TAGS = {"script", "style", "textarea", "code"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
WORD = re.compile(r"[A-Za-z][A-Za-z'_]*")
CODE = re.compile(r"\b(?:[a-z]+_[a-z_]+|[A-Z][a-z]+(?:[A-Z][a-z]+)+)\b")


PLACEHOLDER = r"%\(\w+\)\w"
"""``%(field)s``: a name in the code, in both languages, not a word of either."""


def _vocabulary() -> set[str]:
    with (SOURCES / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    english: set[str] = set()
    vietnamese: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            english.update(w.lower() for w in WORD.findall(re.sub(PLACEHOLDER, " ", text)))
        for text in strings:
            vietnamese.update(w.lower() for w in WORD.findall(re.sub(PLACEHOLDER, " ", text)))
    return {w for w in english - vietnamese - ALLOWED if len(w) >= 3}


ENGLISH = _vocabulary()


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and the attributes read aloud."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = tag in SKIPPED_TAGS or values.get("translate") == "no"
        if not hidden and not self._hidden():
            for name in ("placeholder", "title", "aria-label", "alt"):
                if values.get(name):
                    self.parts.append(values[name] or "")
            if tag == "input" and values.get("type") in {"submit", "button"}:
                self.parts.append(values.get("value") or "")
        if tag not in VOID_TAGS:
            self._stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._hidden():
            self.parts.append(data)


def english_words(html: str, names: frozenset[str] = frozenset()) -> set[str]:
    """English words and raw codes in the visible text; ``names`` (people, teams,
    staff usernames of the test's data) are data, not UI."""
    parser = VisibleText()
    parser.feed(html)
    found: set[str] = set()
    for part in parser.parts:
        found.update(set(CODE.findall(part)) - CODES)
        found.update(
            w for w in WORD.findall(part) if w.lower() in ENGLISH and w.lower() not in names
        )
    return found


def _names() -> frozenset[str]:
    texts = [h.head_name for h in Household.select()] + [m.name for m in Member.select()]
    texts += [t.name for t in Team.select()] + [c.name for c in Commune.select()]
    texts += [s.username for s in StaffUser.select()]
    return frozenset(w.lower() for text in texts for w in WORD.findall(text))


def test_the_detector_sees_english_and_raw_codes():
    assert english_words("<p>This field is required.</p>") >= {"field", "required"}
    assert english_words("<td>UserInBlackList</td><td>not_declared</td>") == {
        "UserInBlackList",
        "not_declared",
    }
    assert english_words('<p>SMS <button title="Required">OK</button></p>') == {"Required"}
    assert not english_words('<p>Xin điền mục này. SMS <span translate="no">Required</span></p>')
    assert not english_words("<p>Head AB001</p>", frozenset({"head"}))


@pytest.fixture
def walked(app: Flask, world):
    """Rows behind every page: a case, a schedule, a failed message."""
    case = open_case(world.household)
    post_client = app.test_client()
    post_client.post(
        "/console/login",
        data={"csrf_token": csrf_token(post_client), "username": "admin", "password": PASSWORD},
    )
    ReminderSchedule.create(
        commune=world.ab,
        name="Nhac khai bao",
        audience="not_declared",
        times="07:30",
        weekdays="12345",
        template="Xin khai bao truoc {deadline}\nen: Please declare before {deadline}",
    )
    OutboundMessage.create(
        phone=world.member.phone, text="Ca 1", state="failed", failure_reason="DeliveryFailure"
    )
    OutboundMessage.create(phone=world.member.phone, text="Ca 2", state="queued")
    return {
        "commune": "AB",
        "case_id": case.id,
        "household_id": world.household.id,
        "schedule_id": ReminderSchedule.get().id,
        "team_id": world.team.id,
        "token": UNKNOWN_TOKEN,
    }


UNKNOWN_TOKEN = "0" * 32
"""An import that does not exist: its page must answer in Vietnamese too."""

EXTRA = (
    "/console/c/AB/messages/?box=in",
    "/console/c/AB/cases/?state=all",
    "/console/c/AB/households/?q=AB",
)


def _pages(app: Flask, values: dict[str, object]) -> list[str]:
    pages = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/console") or "GET" not in (rule.methods or ()):
            continue
        if rule.endpoint == "console.static" or "fmt" in rule.arguments:
            continue
        missing = rule.arguments - set(values)
        assert not missing, f"the walk does not know how to open {rule.rule}"
        pages.append(rule.build({k: values[k] for k in rule.arguments})[1])
    return [*pages, *EXTRA]


@pytest.mark.parametrize("username", ["admin", "viewer", "district"])
def test_every_page_reads_vietnamese(app, as_user, walked, username):
    client = as_user(username)
    english = {}
    for path in _pages(app, walked):
        response = client.get(path, follow_redirects=True)
        expected = (200, 403, 404) if UNKNOWN_TOKEN in path else (200, 403)
        assert response.status_code in expected, (path, response.status_code)
        found = english_words(response.get_data(as_text=True), _names())
        if found:
            english[path] = sorted(found)
    assert english == {}, "\n".join(f"{k}: {v}" for k, v in english.items())


def test_the_login_page_and_its_errors_read_vietnamese(client, world):
    assert english_words(client.get("/console/login").get_data(as_text=True), _names()) == set()
    response = client.post("/console/login", data={"csrf_token": csrf_token(client)})
    page = response.get_data(as_text=True)
    assert "Xin điền mục này." in page
    assert english_words(page, _names()) == set()


def _form_errors(client: FlaskClient, path: str, data: dict) -> str:
    response = post(client, path, data, page=path)
    assert response.status_code in (200, 400), (path, response.status_code, data)
    return response.get_data(as_text=True)


def test_every_form_error_reads_vietnamese(admin, walked, world):
    household = f"/console/c/AB/households/{walked['household_id']}"
    schedule = f"/console/c/AB/schedules/{walked['schedule_id']}"
    forms = {
        household: [
            {"head_name": "", "people": ""},
            {"head_name": "x" * 200, "people": "nhiều", "phone_kind": "fax"},
        ],
        "/console/c/AB/schedules/new": [
            {},
            {"name": "x", "times": "25:99", "weekdays": ["9"], "template": "{nope}"},
        ],
        schedule: [{"audience": "team", "team": "999", "quiet_start": "7h"}],
        "/console/c/AB/budget/": [{"segments": "-3"}],
    }
    english = {}
    for path, attempts in forms.items():
        for data in attempts:
            page = _form_errors(admin, path, data)
            assert 'class="field invalid"' in page or "error" in page, (path, data)
            if found := english_words(page, _names()):
                english[(path, str(data))] = sorted(found)
    assert english == {}
    assert "Xin điền mục này." in _form_errors(admin, "/console/c/AB/schedules/new", {})


def test_household_form_errors_are_the_translated_wtforms_messages(admin, world):
    path = f"/console/c/AB/households/{world.household.id}"
    page = _form_errors(admin, path, {"head_name": "x" * 200, "people": "150"})
    assert "Mục này dài tối đa 100 ký tự." in page
    assert "Số phải từ 1 đến 99." in page


PHONE = re.compile(r"\+84\d{9,10}")
TEL_LINK = re.compile(r'<a class="tel" href="tel:(\+84\d{9,10})">\1</a>')


def test_every_phone_shown_is_a_link_a_phone_can_call(app, as_user, walked):
    client = as_user("admin")
    bare = {}
    linked = 0
    for path in _pages(app, walked):
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        linked += len(TEL_LINK.findall(html))
        parser = VisibleText()
        parser.feed(re.sub(r"<select.*?</select>", "", TEL_LINK.sub("", html), flags=re.S))
        if found := PHONE.findall(" ".join(parser.parts)):
            bare[path] = found
    assert bare == {}
    assert linked >= 5

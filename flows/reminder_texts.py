"""What reminders, digests and roll-ups say: templates, placeholders, the seeds' routine.

Texts are Vietnamese without diacritics by default, and English for ``en``
households: GSM-7, so a household reminder is one 160-character segment and a
whole commune's round costs one SMS a household. Staff write templates in the
console; this module fills them and never raises on what they typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from flows.encoding import GSM7_BASIC, is_gsm7, measure, strip_diacritics

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_VARIANT = re.compile(r"^(en|vi-accents):\s*(.*)$")

PLACEHOLDERS = frozenset(
    {
        "deadline", "date", "commune", "team", "group", "household", "head",
        "team_leader_phone", "member_phone", "health_station_phone", "count", "codes",
        "households", "declared", "on_time", "symptoms", "open_cases", "monitoring",
        "monitoring_day",
    }
)  # fmt: skip
"""What a template may name; each audience fills the ones that mean something to it."""
MORE = {"vi": "va {n} ho khac", "en": "and {n} more"}
CALL = "goi"
"""In a member's list, before a landline: the household gets no SMS, call it."""
VISIT = "den nha"
"""In a member's list, for a household with no phone at all: go to the house."""


def variants(template: str) -> dict[str, str]:
    """A template is the Vietnamese text, then optional lines ``en: ...`` or
    ``vi-accents: ...`` for households that read another language."""
    texts: dict[str, list[str]] = {"vi": []}
    current = "vi"
    for line in template.splitlines():
        match = _VARIANT.match(line)
        if match:
            current = match[1]
            texts[current] = [match[2]]
        else:
            texts[current].append(line)
    return {lang: "\n".join(lines).strip() for lang, lines in texts.items() if any(lines)}


def unknown_placeholders(template: str) -> list[str]:
    """Names in braces that no audience fills, for the console to point out."""
    return sorted({name for name in _PLACEHOLDER.findall(template) if name not in PLACEHOLDERS})


def render(
    template: str,
    language: str,
    values: Mapping[str, object],
    max_segments: int = 1,
) -> str:
    """The text for one recipient. Never raises: an unknown placeholder stays as typed.

    ``values["codes"]`` is a list; items are dropped from its end (and counted
    as "and N more") until the text fits ``max_segments``. Values are cleaned to
    the template's alphabet, so a name with diacritics does not turn a GSM-7
    reminder into a UCS-2 one that costs twice as much.
    """
    texts = variants(template)
    text = texts.get(language) or texts.get("vi") or ""
    english = language == "en" and "en" in texts
    gsm = is_gsm7(text)
    cleaned = {
        name: _clean(value, gsm) for name, value in values.items() if not isinstance(value, list)
    }
    listed = values.get("codes")
    codes = [_clean(code, gsm) for code in listed] if isinstance(listed, list) else None
    for keep in range(len(codes or ()), -1, -1):
        if codes is not None:
            cleaned["codes"] = _listing(codes, keep, "en" if english else "vi")
        filled = _PLACEHOLDER.sub(partial(_fill, cleaned), text)
        if measure(filled).segments <= max_segments:
            break
    return filled


def local_phone(e164: str) -> str:
    """``+84912345678`` as people in Vietnam write it, ``0912345678``: shorter, familiar."""
    return "0" + e164[3:] if e164.startswith("+84") else e164


def _listing(codes: list[str], keep: int, language: str) -> str:
    listed = ", ".join(codes[:keep])
    if keep == len(codes):
        return listed
    more = MORE[language].format(n=len(codes) - keep)
    return f"{listed} {more}" if listed else more


def _fill(values: Mapping[str, str], match: re.Match[str]) -> str:
    return values.get(match[1], match[0])


def with_samples(text: str, samples: Mapping[str, tuple[str, str]]) -> str:
    """``text`` with each known placeholder replaced by its sample, the GSM-7 or the
    UCS-2 form as :func:`render` would pick: what the console counts segments on."""
    index = 0 if is_gsm7(text) else 1
    return _PLACEHOLDER.sub(
        lambda found: samples[found[1]][index] if found[1] in samples else found[0], text
    )


def as_filled(value: object, gsm: bool) -> str:
    """A value as :func:`render` writes it into a GSM-7 (``gsm``) or a UCS-2 template."""
    return _clean(value, gsm)


def _clean(value: object, gsm: bool) -> str:
    text = str(value)
    if gsm:
        text = "".join(char if char in GSM7_BASIC else " " for char in strip_diacritics(text))
    else:
        text = "".join(char for char in text if ord(char) <= 0xFFFF)
    return " ".join(text.split())


@dataclass(frozen=True)
class Seed:
    """One schedule of the routine a new commune starts with (SPEC §7)."""

    name: str
    audience: str
    times: str
    deadline: str
    template: str
    quiet_start: str = "21:00"
    quiet_end: str = "06:00"


DEFAULT_ROUTINE: Sequence[Seed] = (
    Seed(
        "Nhac khai bao buoi sang", "all", "07:30", "14:00",
        "Chao buoi sang! Xin ca nha khai bao y te hom nay truoc {deadline}: nhan 1 neu ca nha"
        " khoe, HD de xem cach bao. To truong: {team_leader_phone}\n"
        "en: Good morning! Please send your health declaration before {deadline}: reply 1 if"
        " all are well, HD for help. Team leader: {team_leader_phone}",
    ),
    Seed(
        "Kiem tra nguoi dang theo doi", "monitoring", "09:00", "14:00",
        "Ngay {monitoring_day}/14 theo doi suc khoe. Xin nhan 1 neu ca nha khoe, 2 neu co sot,"
        " ho, kho tho. Kho tho: goi 115. To vien: {member_phone}\n"
        "en: Day {monitoring_day} of 14 of health monitoring. Reply 1 if all are well, 2 for"
        " fever, cough or short breath. Hard to breathe: call 115.",
    ),
    Seed(
        "Nhac ho chua khai bao", "not_declared", "12:30", "14:00",
        "Gia dinh chua khai bao y te hom nay. Xin nhan 1 neu ca nha khoe truoc {deadline}, HD"
        " de xem cach bao. Cam on! To truong: {team_leader_phone}\n"
        "en: We have no health declaration from you today. Please reply 1 if all are well"
        " before {deadline}, HD for help. Thank you!",
    ),
    Seed(
        "Danh sach ho can den", "members", "14:15", "16:00",
        "{count} ho chua khai bao hom nay: {codes}. Xin den tung nha, bao nhom truong truoc"
        " {deadline}.",
    ),
    Seed(
        "Tong hop nhom", "group_leaders", "16:00", "17:00",
        "{group} {date}: {declared}/{households} ho da khai bao ({on_time} truoc 14h), {count}"
        " chua: {codes}. Xin bao to truong truoc {deadline}.",
    ),
    Seed(
        "Tong hop to", "team_leaders", "17:00", "20:00",
        "{team} {date}: {declared}/{households} ho khai bao ({on_time} truoc 14h), {count}"
        " chua. {symptoms} nguoi co trieu chung, {open_cases} ca mo, {monitoring} dang theo doi."
        " Bao tram y te.",
    ),
)  # fmt: skip

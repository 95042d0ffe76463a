"""Every SMS the gateway sends back to a household or a member.

Households read every word on a small screen, so the texts are short, polite
and plain. ``vi`` (Vietnamese without diacritics, the default) and ``en`` are
GSM-7 and one 160-character segment even with a 30-character name, a
16-character phone and a 9-digit case number: one segment is what a commune
pays per text. ``vi-accents`` is UCS-2, 70 characters a segment: the fixed
texts fit one segment, while the ones that carry a name or list all the forms
(``HD``) take two (at most 134 characters). The reply to a text not understood
is one segment in every language, UCS-2 included: it is the reply a household
gets most often while learning the forms. The tests hold all of this.

Names and codes come from commune spreadsheets, so anything put into a text is
cleaned and cut first: diacritics are stripped for the GSM-7 languages, and
control characters and characters outside the basic plane (emoji) are dropped
everywhere.
"""

from __future__ import annotations

import unicodedata

from flows.encoding import GSM7_BASIC, strip_diacritics
from flows.report import LANGUAGES

DEFAULT_LANGUAGE = "vi"
NAME_LENGTH = 30
PHONE_LENGTH = 16  # "+" and the 15 digits E.164 allows
CODE_LENGTH = 20

_TEXTS: dict[str, dict[str, str]] = {
    "vi": {
        "well": "Cam on! Da ghi: ca nha deu khoe. Hay khai bao lai ngay mai truoc 14h.",
        "urgent": "Da nhan bao cao, ca #{case}. {who} se goi cho gia dinh som.",
        "red_flag": " Neu kho tho hoac nang hon: goi 115 ngay.",
        "station": "Tram y te xa",
        "member": "To vien",
        "declared_for": "Da ghi khai bao cho ho {code}. Cam on!",
        "coming": "Ca #{case}: {who} dang den giup gia dinh.",
        "help": (
            "1 ca nha khoe. 2 trieu chung: 1 sot 2 ho 3 kho tho 4 dau hong 5 mat vi giac"
            " 6 met, vd 2 13 2 385 (2 nguoi, 38,5 do). 3 <so nguoi> moi ve. 4 F0, 4 F1."
            " 5 can giup"
        ),
        "not_understood": (
            "Chua hieu tin nhan. Nhan: 1 neu ca nha khoe; 2 13 neu sot, kho tho; 3 2 neu"
            " 2 nguoi moi ve; 4 neu F0; 5 neu can giup. HD: huong dan."
        ),
        "case_missing": "Xin ghi so ca: OK 12 de nhan ca 12, XONG 12 khi da xong.",
        "stopped": (
            "Da tat tin nhac khai bao. Bao benh, khan cap van nhan tin nhu cu. Nhan BAT de bat lai."
        ),
        "started": "Da bat lai tin nhac khai bao hang ngay. Nhan DUNG de tat.",
        "acknowledged": (
            "Da nhan ca #{case}. Ho se duoc bao ban dang den. Xong viec, nhan: XONG {case}"
        ),
        "resolved": "Da dong ca #{case}. Cam on!",
        "unknown_case": "Khong co ca #{case} dang mo cho ban. Xin kiem tra lai so ca.",
        "not_a_member": "So nay khong phai so cua to vien. Xin lien he tram y te xa.",
        "unknown_household": "Khong co ho ma {code}. Xin kiem tra ma ho roi gui lai.",
        "throttled": "Ban gui qua nhieu tin. Xin doi vai phut. Khan cap: goi 115.",
        "unassigned": (
            "Da nhan, ca #{case}. Chua ro xa cua ban: can bo huyen se goi lai."
            " Lan sau: XA <ma xa> 2 13"
        ),
        "unassigned_well": (
            "Cam on! Da ghi. Chua ro xa cua ban: lan sau nhan ma xa truoc, vd XA RL01 1"
        ),
    },
    "vi-accents": {
        "well": "Cảm ơn! Đã ghi: cả nhà đều khỏe. Mai khai báo lại trước 14h.",
        "urgent": "Đã nhận, ca #{case}. {who} sẽ gọi cho gia đình.",
        "red_flag": " Khó thở, nặng hơn: gọi 115 ngay.",
        "station": "Trạm y tế xã",
        "member": "Tổ viên",
        "declared_for": "Đã ghi khai báo cho hộ {code}.",
        "coming": "Ca #{case}: {who} đang đến giúp gia đình.",
        "help": (
            "1 khỏe. 2 triệu chứng: 1 sốt 2 ho 3 khó thở 4 đau họng 5 mất vị giác 6 mệt,"
            " vd 2 13 2 385. 3 <số người> mới về. 4 F0, 4 F1. 5 cần giúp"
        ),
        "not_understood": "Chưa hiểu. Nhắn 1 khỏe; 2 sốt, ho; 3 có người về; 4 F0; 5 cần giúp; HD",
        "case_missing": "Xin ghi số ca: OK 12 để nhận, XONG 12 khi xong.",
        "stopped": "Đã tắt tin nhắc. Báo bệnh vẫn nhắn như cũ. Nhắn BAT để bật lại.",
        "started": "Đã bật lại tin nhắc khai báo. Nhắn DUNG để tắt.",
        "acknowledged": "Đã nhận ca #{case}. Hộ sẽ được báo. Xong, nhắn XONG {case}",
        "resolved": "Đã đóng ca #{case}. Cảm ơn!",
        "unknown_case": "Không có ca #{case} đang mở cho bạn. Xin xem lại số ca.",
        "not_a_member": "Số này không phải của tổ viên. Xin liên hệ trạm y tế xã.",
        "unknown_household": "Không có hộ mã {code}. Xin kiểm tra mã rồi gửi lại.",
        "throttled": "Bạn gửi quá nhiều tin. Xin đợi vài phút. Khẩn cấp: gọi 115.",
        "unassigned": "Đã nhận, ca #{case}. Chưa rõ xã: cán bộ huyện sẽ gọi lại.",
        "unassigned_well": "Đã ghi. Chưa rõ xã: lần sau nhắn mã xã trước, vd XA RL01 1",
    },
    "en": {
        "well": (
            "Thank you! Recorded: everyone is well. Please declare again tomorrow before 14:00."
        ),
        "urgent": "Report received, case #{case}. {who} will call you soon.",
        "red_flag": " If breathing is hard or it gets worse, call 115 now.",
        "station": "The commune health station",
        "member": "A team member",
        "declared_for": "Recorded for household {code}. Thank you!",
        "coming": "Case #{case}: {who} is coming to help you.",
        "help": (
            "1 all well. 2 symptoms: 1 fever 2 cough 3 short of breath 4 sore throat 5 lost"
            " taste/smell 6 tired, e.g. 2 13 2 385. 3 <people> arrived. 4 F0, 4 F1. 5 help"
        ),
        "not_understood": (
            "Sorry, not understood. Send 1 if all are well; 2 13 for fever, short of breath;"
            " 3 2 if 2 people arrived; 4 if F0; 5 for help. HD: guide."
        ),
        "case_missing": "Please add the case number: OK 12 to take case 12, XONG 12 when done.",
        "stopped": (
            "Reminders are off. You can still report illness by SMS as before."
            " Send BAT to turn them on."
        ),
        "started": "Daily reminders are on again. Send DUNG to turn them off.",
        "acknowledged": (
            "Case #{case} is yours. The household will be told you are coming."
            " When done, send: XONG {case}"
        ),
        "resolved": "Case #{case} closed. Thank you!",
        "unknown_case": "No open case #{case} for you. Please check the case number.",
        "not_a_member": (
            "This number is not a team member's. Please contact the commune health station."
        ),
        "unknown_household": "No household with code {code}. Please check the code and resend.",
        "throttled": "Too many messages. Please wait a few minutes. Emergency: call 115.",
        "unassigned": (
            "Received, case #{case}. Commune not known: district staff will call."
            " Next time: XA <code> 2 13"
        ),
        "unassigned_well": (
            "Thank you, recorded. Your commune is not known: next time start with its code,"
            " e.g. XA RL01 1"
        ),
    },
}


def declared_well(lang: str) -> str:
    """To a household that declared everyone well."""
    return _texts(lang)["well"]


def declared_urgent(
    lang: str,
    member_name: str | None,
    member_phone: str | None,
    red_flag: bool,
    case_number: int,
) -> str:
    """To a household whose urgent report opened a case: who calls, and 115 on a red flag.

    Without an assigned member the case goes to the commune health station,
    and the text says so rather than promising a person who does not exist.
    """
    texts = _texts(lang)
    who = _who(lang, member_name, member_phone)
    text = texts["urgent"].format(case=case_number, who=who)
    return text + texts["red_flag"] if red_flag else text


def declared_unassigned(lang: str, case_number: int | None, red_flag: bool) -> str:
    """To a sender whose commune is not known: stored for district staff, and how
    to name the commune next time (``XA <code>``)."""
    texts = _texts(lang)
    if case_number is None:
        return texts["unassigned_well"]
    text = texts["unassigned"].format(case=case_number)
    return text + texts["red_flag"] if red_flag else text


def declared_for(lang: str, household_code: str) -> str:
    """To a member who declared for one of their households (``KB``)."""
    return _texts(lang)["declared_for"].format(code=_clean(lang, household_code, CODE_LENGTH))


def member_coming(
    lang: str, member_name: str | None, member_phone: str | None, case_number: int
) -> str:
    """To the household once a member takes its case (SPEC §6): who, and their phone."""
    who = _who(lang, member_name, member_phone)
    return _texts(lang)["coming"].format(case=case_number, who=who)


def help_text(lang: str) -> str:
    """The household forms, all in one SMS."""
    return _texts(lang)["help"]


def not_understood(lang: str) -> str:
    """For any text not read: the common forms, so a reply is never a dead end."""
    return _texts(lang)["not_understood"]


def ask_case_number(lang: str) -> str:
    """For a member's ``OK`` or ``XONG`` without a case number."""
    return _texts(lang)["case_missing"]


def stopped(lang: str) -> str:
    """After ``DUNG``: reminders stop, urgent reports still work."""
    return _texts(lang)["stopped"]


def started(lang: str) -> str:
    return _texts(lang)["started"]


def acknowledged(lang: str, case_number: int) -> str:
    """To the member who took a case, with how to close it."""
    return _texts(lang)["acknowledged"].format(case=case_number)


def resolved(lang: str, case_number: int) -> str:
    return _texts(lang)["resolved"].format(case=case_number)


def unknown_case(lang: str, case_number: int) -> str:
    """A case that does not exist, is closed, or is not this member's: one answer for all,
    so a text cannot probe which case numbers exist."""
    return _texts(lang)["unknown_case"].format(case=case_number)


def not_a_member(lang: str) -> str:
    """For ``OK``, ``XONG`` or ``KB`` from a phone that is not a team member's."""
    return _texts(lang)["not_a_member"]


def unknown_household(lang: str, code: str) -> str:
    """``KB`` with a code that is not one of the member's households, echoed to spot typos."""
    return _texts(lang)["unknown_household"].format(code=_clean(lang, code, CODE_LENGTH))


def throttled(lang: str) -> str:
    """Once, to a phone over the SPEC §5 limit; 115 because it may be an emergency."""
    return _texts(lang)["throttled"]


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _texts(lang: str) -> dict[str, str]:
    return _TEXTS[_language(lang)]


def _who(lang: str, name: str | None, phone: str | None) -> str:
    texts = _texts(lang)
    name = _clean(lang, name, NAME_LENGTH)
    phone = _clean(lang, phone, PHONE_LENGTH)
    if name and phone:
        return f"{name} ({phone})"
    if phone:
        return f"{texts['member']} ({phone})"
    return name or texts["station"]


def _clean(lang: str, text: str | None, limit: int) -> str:
    """One line of at most ``limit`` characters that keeps the text's encoding.

    For ``vi`` and ``en`` only the basic GSM-7 alphabet survives (an extension
    character costs two septets); for ``vi-accents`` only the basic plane, where
    every character is one UCS-2 unit.
    """
    if not text:
        return ""
    text = text[: limit * 4]
    if _language(lang) != "vi-accents":
        text = strip_diacritics(text)
        kept = (char if char in GSM7_BASIC else " " for char in text)
    else:
        text = unicodedata.normalize("NFC", text)
        kept = (
            char if ord(char) <= 0xFFFF and unicodedata.category(char)[0] != "C" else " "
            for char in text
        )
    return " ".join("".join(kept).split())[:limit].rstrip()

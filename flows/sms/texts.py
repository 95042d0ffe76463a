"""Every word the gateway sends by SMS, with each message's languages side by side.

One entry per message holds ``vi`` (Vietnamese without diacritics, the
default), ``vi_accents`` and ``en`` together, so a writer changes one message
in every language at once and cannot leave a language out: :class:`Said`
has no defaults. ``{case}``, ``{who}`` and ``{code}`` are ``str.format``
fields that :mod:`flows.sms.replies` fills with cleaned values; the lengths
each language must keep are described and tested there.

Alerts to team members (:mod:`flows.notices`) are Vietnamese without
diacritics only: members are volunteers on basic phones and one GSM-7
segment is what buzzes; their words are the last part of this module.
Reminder and digest templates are not here: staff write them in the console,
and :mod:`flows.reminder_texts` keeps only the defaults they start from.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.report import Kind, Need, Symptom


@dataclass(frozen=True)
class Said:
    """One message in every language a household can choose."""

    vi: str
    vi_accents: str
    en: str

    def in_language(self, language: str) -> str:
        """The message in ``language`` (``vi``, ``vi-accents`` or ``en``)."""
        return {"vi": self.vi, "vi-accents": self.vi_accents, "en": self.en}[language]


REPLIES: dict[str, Said] = {
    "well": Said(
        vi="Cam on! Da ghi: ca nha deu khoe. Hay khai bao lai ngay mai truoc 14h.",
        vi_accents="Cảm ơn! Đã ghi: cả nhà đều khỏe. Mai khai báo lại trước 14h.",
        en="Thank you! Recorded: everyone is well. Please declare again tomorrow before 14:00.",
    ),
    "urgent": Said(
        vi="Da nhan bao cao, ca #{case}. {who} se goi cho gia dinh som.",
        vi_accents="Đã nhận, ca #{case}. {who} sẽ gọi cho gia đình.",
        en="Report received, case #{case}. {who} will call you soon.",
    ),
    "red_flag": Said(
        vi=" Neu kho tho hoac nang hon: goi 115 ngay.",
        vi_accents=" Khó thở, nặng hơn: gọi 115 ngay.",
        en=" If breathing is hard or it gets worse, call 115 now.",
    ),
    "station": Said(
        vi="Tram y te xa",
        vi_accents="Trạm y tế xã",
        en="The commune health station",
    ),
    "member": Said(
        vi="To vien",
        vi_accents="Tổ viên",
        en="A team member",
    ),
    "declared_for": Said(
        vi="Da ghi khai bao cho ho {code}. Cam on!",
        vi_accents="Đã ghi khai báo cho hộ {code}.",
        en="Recorded for household {code}. Thank you!",
    ),
    "coming": Said(
        vi="Ca #{case}: {who} dang den giup gia dinh.",
        vi_accents="Ca #{case}: {who} đang đến giúp gia đình.",
        en="Case #{case}: {who} is coming to help you.",
    ),
    "help": Said(
        vi=(
            "1 ca nha khoe. 2 trieu chung: 1 sot 2 ho 3 kho tho 4 dau hong 5 mat vi giac"
            " 6 met, vd 2 13 2 385 (2 nguoi, 38,5 do). 3 <so nguoi> moi ve. 4 F0, 4 F1."
            " 5 can giup"
        ),
        vi_accents=(
            "1 khỏe. 2 triệu chứng: 1 sốt 2 ho 3 khó thở 4 đau họng 5 mất vị giác 6 mệt,"
            " vd 2 13 2 385. 3 <số người> mới về. 4 F0, 4 F1. 5 cần giúp"
        ),
        en=(
            "1 all well. 2 symptoms: 1 fever 2 cough 3 short of breath 4 sore throat 5 lost"
            " taste/smell 6 tired, e.g. 2 13 2 385. 3 <people> arrived. 4 F0, 4 F1. 5 help"
        ),
    ),
    "not_understood": Said(
        vi=(
            "Chua hieu tin nhan. Nhan: 1 neu ca nha khoe; 2 13 neu sot, kho tho; 3 2 neu"
            " 2 nguoi moi ve; 4 neu F0; 5 neu can giup. HD: huong dan."
        ),
        vi_accents="Chưa hiểu. Nhắn 1 khỏe; 2 sốt, ho; 3 có người về; 4 F0; 5 cần giúp; HD",
        en=(
            "Sorry, not understood. Send 1 if all are well; 2 13 for fever, short of breath;"
            " 3 2 if 2 people arrived; 4 if F0; 5 for help. HD: guide."
        ),
    ),
    "case_missing": Said(
        vi="Xin ghi so ca: OK 12 de nhan ca 12, XONG 12 khi da xong.",
        vi_accents="Xin ghi số ca: OK 12 để nhận, XONG 12 khi xong.",
        en="Please add the case number: OK 12 to take case 12, XONG 12 when done.",
    ),
    "stopped": Said(
        vi=(
            "Da tat tin nhac khai bao. Bao benh, khan cap van nhan tin nhu cu. Nhan BAT de bat lai."
        ),
        vi_accents="Đã tắt tin nhắc. Báo bệnh vẫn nhắn như cũ. Nhắn BAT để bật lại.",
        en=(
            "Reminders are off. You can still report illness by SMS as before."
            " Send BAT to turn them on."
        ),
    ),
    "started": Said(
        vi="Da bat lai tin nhac khai bao hang ngay. Nhan DUNG de tat.",
        vi_accents="Đã bật lại tin nhắc khai báo. Nhắn DUNG để tắt.",
        en="Daily reminders are on again. Send DUNG to turn them off.",
    ),
    "acknowledged": Said(
        vi="Da nhan ca #{case}. Ho se duoc bao ban dang den. Xong viec, nhan: XONG {case}",
        vi_accents="Đã nhận ca #{case}. Hộ sẽ được báo. Xong, nhắn XONG {case}",
        en=(
            "Case #{case} is yours. The household will be told you are coming."
            " When done, send: XONG {case}"
        ),
    ),
    "resolved": Said(
        vi="Da dong ca #{case}. Cam on!",
        vi_accents="Đã đóng ca #{case}. Cảm ơn!",
        en="Case #{case} closed. Thank you!",
    ),
    "unknown_case": Said(
        vi="Khong co ca #{case} dang mo cho ban. Xin kiem tra lai so ca.",
        vi_accents="Không có ca #{case} đang mở cho bạn. Xin xem lại số ca.",
        en="No open case #{case} for you. Please check the case number.",
    ),
    "not_a_member": Said(
        vi="So nay khong phai so cua to vien. Xin lien he tram y te xa.",
        vi_accents="Số này không phải của tổ viên. Xin liên hệ trạm y tế xã.",
        en="This number is not a team member's. Please contact the commune health station.",
    ),
    "unknown_household": Said(
        vi="Khong co ho ma {code}. Xin kiem tra ma ho roi gui lai.",
        vi_accents="Không có hộ mã {code}. Xin kiểm tra mã rồi gửi lại.",
        en="No household with code {code}. Please check the code and resend.",
    ),
    "throttled": Said(
        vi="Ban gui qua nhieu tin. Xin doi vai phut. Khan cap: goi 115.",
        vi_accents="Bạn gửi quá nhiều tin. Xin đợi vài phút. Khẩn cấp: gọi 115.",
        en="Too many messages. Please wait a few minutes. Emergency: call 115.",
    ),
    "unassigned": Said(
        vi=(
            "Da nhan, ca #{case}. Chua ro xa cua ban: can bo huyen se goi lai."
            " Lan sau: XA <ma xa> 2 13"
        ),
        vi_accents="Đã nhận, ca #{case}. Chưa rõ xã: cán bộ huyện sẽ gọi lại.",
        en=(
            "Received, case #{case}. Commune not known: district staff will call."
            " Next time: XA <code> 2 13"
        ),
    ),
    "unassigned_well": Said(
        vi="Cam on! Da ghi. Chua ro xa cua ban: lan sau nhan ma xa truoc, vd XA RL01 1",
        vi_accents="Đã ghi. Chưa rõ xã: lần sau nhắn mã xã trước, vd XA RL01 1",
        en=(
            "Thank you, recorded. Your commune is not known: next time start with its code,"
            " e.g. XA RL01 1"
        ),
    ),
}
"""Replies to households and members, by the name :mod:`flows.sms.replies` uses."""

# Alerts to team members: Vietnamese without diacritics only (see the module docstring).

SYMPTOM_WORDS = {
    Symptom.FEVER: "sot",
    Symptom.COUGH: "ho",
    Symptom.SHORT_OF_BREATH: "kho tho",
    Symptom.SORE_THROAT: "dau hong",
    Symptom.LOST_TASTE_SMELL: "mat vi/khu giac",
    Symptom.TIRED_ACHING: "met moi",
}
NEED_WORDS = {Need.FOOD: "luong thuc", Need.MEDICINE: "thuoc", Need.OTHER: "khac"}
KIND_WORDS = {
    Kind.SYMPTOMS: "trieu chung",
    Kind.ARRIVAL: "nguoi moi ve",
    Kind.POSITIVE: "F0 duong tinh",
    Kind.CONTACT: "tiep xuc",
    Kind.HELP: "can ho tro",
    Kind.WELL: "binh thuong",
}
RUNG_WORDS = {
    "member": "to vien",
    "group_leader": "nhom truong",
    "team_leader": "to truong",
    "health_station": "tram y te",
}
"""Who was alerted before and did not answer, as the next rung reads it."""

ALERT = "Ca {case}: {where} {phone}: {what}."
ALERT_RED_FLAG = "KHAN! "
ALERT_UNANSWERED = "Chua ai nhan ({rung}). "
ALERT_ANSWER = " Tra loi: OK {case}"
ALERT_CONTACT = "tiep xuc {contact}"
ALERT_NEEDS = "can {needs}"
ALERT_FROM = "tu {place}"
ALERT_PEOPLE = "{people} nguoi"

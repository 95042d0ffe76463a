"""Every word the USSD menus show, each with its Vietnamese and English side by side.

Kept apart from the menu logic so the wording can be reviewed by someone who
reads only Vietnamese, and written one :class:`Wording` per text holding both
languages, so a writer changes both at once and cannot leave one out. Telcos
do not show diacritics reliably on USSD (SPEC §4), so ``vi-accents``
households get plain ``vi`` here. Each screen must fit 156 characters (160
minus "CON ") together with a one-line hint; the tests walk every screen to
hold that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T", str, tuple[str, ...])


@dataclass(frozen=True)
class Texts:
    """One language's wording, as the menus read it; fields with ``{}`` are
    ``str.format`` templates. Built from :data:`WORDING`, never written by hand."""

    choose: str
    back_footer: str
    menu_footer: str
    more: str
    resume: str
    language_menu: str
    language_set: str
    # Household main menu; the first five also serve the member's declare menus.
    greeting: str
    report_options: tuple[str, ...]
    team_phones_option: str
    language_option: str
    # The recording paths.
    symptoms: str
    symptoms_hint: str
    symptom_people: str
    people_hint: str
    temperature: str
    temperature_hint: str
    arrival_people: str
    arrived_from: str
    other_province: str
    abroad: str
    arrived_when: str
    days_ago: str
    days_hint: str
    contact: str
    contact_people: str
    needs: str
    needs_hint: str
    # Confirmations.
    well_done: str
    recorded: str
    monitoring: str
    member_will_call: str
    station_will_call: str
    red_flag: str
    proxy_recorded: str
    team_phones: str
    more_phones: str
    no_team_phones: str
    # Unknown callers.
    unknown_greeting: str
    unknown_options: tuple[str, ...]
    pick_team: str
    household_size: str
    registered: str
    no_teams: str
    pick_district: str
    pick_commune: str
    other_district: str
    not_listed: str
    district_will_call: str
    not_recorded: str
    # Members.
    member_greeting: str
    member_options: tuple[str, ...]
    own_household_option: str
    household_code: str
    code_hint: str
    no_households: str
    proxy_title: str
    own_title: str
    open_cases: str
    no_open_cases: str
    case_menu: str
    acknowledged: str
    resolved: str
    not_declared: str
    all_declared: str
    and_more: str


@dataclass(frozen=True)
class Wording(Generic[T]):
    """One text of the menus in both languages a USSD screen shows."""

    vi: T
    en: T


WORDING: dict[str, Wording] = {
    "choose": Wording(
        vi="Chon {}-{}.",
        en="Choose {}-{}.",
    ),
    "back_footer": Wording(
        vi="0 Lui 00 Menu",
        en="0 Back 00 Menu",
    ),
    "menu_footer": Wording(
        vi="00 Menu",
        en="00 Menu",
    ),
    "more": Wording(
        vi="Them",
        en="More",
    ),
    "resume": Wording(
        vi="Lan truoc ban chua xong.\n1 Tiep tuc cho dang do\n2 Lam lai tu dau",
        en="You did not finish last time.\n1 Continue where you stopped\n2 Start again",
    ),
    "language_menu": Wording(
        vi="Ngon ngu/Language:\n1 Tieng Viet\n2 English",
        en="Ngon ngu/Language:\n1 Tieng Viet\n2 English",
    ),
    "language_set": Wording(
        vi="Da chon Tieng Viet. Cam on!",
        en="Language set to English. Thank you!",
    ),
    # Household main menu; the first five also serve the member's declare menus.
    "greeting": Wording(
        vi="Chao ho {}",
        en="Hello, {}",
    ),
    "report_options": Wording(
        vi=(
            "Ca nha khoe",
            "Co nguoi co trieu chung",
            "Nguoi tu noi khac ve",
            "Duong tinh/F1/F2",
            "Can giup do",
        ),
        en=(
            "Everyone is well",
            "Someone has symptoms",
            "Arrived from away",
            "Positive/F1/F2",
            "We need help",
        ),
    ),
    "team_phones_option": Wording(
        vi="SDT cua to",
        en="Team phones",
    ),
    "language_option": Wording(
        vi="Ngon ngu/Language",
        en="Language/Ngon ngu",
    ),
    # The recording paths.
    "symptoms": Wording(
        vi=(
            "Trieu chung? Go cac so, vd 13\n1 Sot\n2 Ho\n3 Kho tho\n4 Dau hong\n"
            "5 Mat vi giac, khu giac\n6 Met moi, dau nguoi"
        ),
        en=(
            "Symptoms? Type all, e.g. 13\n1 Fever\n2 Cough\n3 Short of breath\n4 Sore throat\n"
            "5 Lost taste or smell\n6 Tired, body ache"
        ),
    ),
    "symptoms_hint": Wording(
        vi="Go so 1-6, vd 13.",
        en="Type 1-6, e.g. 13.",
    ),
    "symptom_people": Wording(
        vi="Bao nhieu nguoi co trieu chung?",
        en="How many people have symptoms?",
    ),
    "people_hint": Wording(
        vi="Go so nguoi, vd 1.",
        en="Type a number, e.g. 1.",
    ),
    "temperature": Wording(
        vi="Nhiet do cao nhat? Vd 385 la 38,5 do.\n0 Chua do",
        en="Highest temperature? E.g. 385 for 38.5 C.\n0 Not measured",
    ),
    "temperature_hint": Wording(
        vi="Go 340-429, hoac 0.",
        en="Type 340-429, or 0.",
    ),
    "arrival_people": Wording(
        vi="Bao nhieu nguoi moi ve?",
        en="How many people arrived?",
    ),
    "arrived_from": Wording(
        vi="Ve tu dau?",
        en="Arrived from where?",
    ),
    "other_province": Wording(
        vi="Tinh khac",
        en="Other province",
    ),
    "abroad": Wording(
        vi="Nuoc ngoai",
        en="Abroad",
    ),
    "arrived_when": Wording(
        vi="Ve khi nao?\n1 Hom nay\n2 Hom qua\n3 2-14 ngay truoc",
        en="When did they arrive?\n1 Today\n2 Yesterday\n3 2-14 days ago",
    ),
    "days_ago": Wording(
        vi="Ve cach day may ngay? Go 2-14",
        en="How many days ago? Type 2-14",
    ),
    "days_hint": Wording(
        vi="Go so ngay 2-14.",
        en="Type 2-14.",
    ),
    "contact": Wording(
        vi="Loai nao?\n1 F0: xet nghiem duong tinh\n2 F1: tiep xuc gan F0\n3 F2: tiep xuc F1",
        en="Which one?\n1 F0: positive test\n2 F1: close contact of F0\n3 F2: contact of F1",
    ),
    "contact_people": Wording(
        vi="Bao nhieu nguoi?",
        en="How many people?",
    ),
    "needs": Wording(
        vi="Can giup gi? Go cac so, vd 12\n1 Luong thuc\n2 Thuoc\n3 Viec khac",
        en="What help? Type all, e.g. 12\n1 Food\n2 Medicine\n3 Other",
    ),
    "needs_hint": Wording(
        vi="Go so 1-3, vd 12.",
        en="Type 1-3, e.g. 12.",
    ),
    # Confirmations.
    "well_done": Wording(
        vi="Cam on! Da ghi: ca nha deu khoe. Hay khai bao lai ngay mai truoc 14h.",
        en="Thank you! Recorded: everyone is well. Please declare again tomorrow before 14:00.",
    ),
    "recorded": Wording(
        vi="Da ghi.",
        en="Recorded.",
    ),
    "monitoring": Wording(
        vi="Se theo doi suc khoe 14 ngay.",
        en="Health is followed for 14 days.",
    ),
    "member_will_call": Wording(
        vi="{} ({}) se lien lac voi ban.",
        en="{} ({}) will contact you.",
    ),
    "station_will_call": Wording(
        vi="Tram y te xa se goi cho ban.",
        en="The commune health station will call you.",
    ),
    "red_flag": Wording(
        vi="Dau hieu nang: neu kho tho, goi 115 ngay.",
        en="Warning sign: if breathing is hard, call 115 now.",
    ),
    "proxy_recorded": Wording(
        vi="Da ghi cho ho {}.",
        en="Recorded for household {}.",
    ),
    "team_phones": Wording(
        vi="SDT cua to:",
        en="Team phones:",
    ),
    "more_phones": Wording(
        vi="+{} so khac",
        en="+{} more",
    ),
    "no_team_phones": Wording(
        vi="Chua co so cua to. Xin lien he tram y te xa.",
        en="No team numbers yet. Please contact the commune health station.",
    ),
    # Unknown callers.
    "unknown_greeting": Wording(
        vi="So nay chua dang ky.",
        en="This number is not registered.",
    ),
    "unknown_options": Wording(
        vi=(
            "Bao trieu chung",
            "Dang ky ho gia dinh",
        ),
        en=(
            "Report symptoms",
            "Register my household",
        ),
    ),
    "pick_team": Wording(
        vi="Ho thuoc thon/to nao?",
        en="Which village/team?",
    ),
    "household_size": Wording(
        vi="Ho co bao nhieu nguoi?",
        en="How many people in the household?",
    ),
    "registered": Wording(
        vi="Cam on! Da gui dang ky: {}, {} nguoi. Can bo xa se xac nhan.",
        en="Thank you! Registration sent: {}, {} people. Commune staff will confirm.",
    ),
    "no_teams": Wording(
        vi="Chua dang ky qua dien thoai duoc. Xin lien he tram y te xa.",
        en="Registration by phone is not open. Please contact the commune health station.",
    ),
    "pick_district": Wording(
        vi="Ban o huyen nao?",
        en="Which district are you in?",
    ),
    "pick_commune": Wording(
        vi="Ban o xa/phuong nao?",
        en="Which commune are you in?",
    ),
    "other_district": Wording(
        vi="Huyen khac",
        en="Other district",
    ),
    "not_listed": Wording(
        vi="Khong co trong danh sach",
        en="Not on this list",
    ),
    "district_will_call": Wording(
        vi="Chua ro xa cua ban: can bo huyen se xem va goi lai.",
        en="Your commune is not known yet: district staff will see it and call you.",
    ),
    "not_recorded": Wording(
        vi="Xin loi, chua ghi duoc. Xin goi lai sau it phut. Neu kho tho, goi 115 ngay.",
        en=(
            "Sorry, this was not recorded. Please try again in a few minutes."
            " If breathing is hard, call 115 now."
        ),
    ),
    # Members.
    "member_greeting": Wording(
        vi="Menu to vien",
        en="Team member menu",
    ),
    "member_options": Wording(
        vi=(
            "Khai bao cho ho",
            "Ca dang mo",
            "Ho chua khai bao",
        ),
        en=(
            "Declare for a household",
            "My open cases",
            "Not declared today",
        ),
    ),
    "own_household_option": Wording(
        vi="Ho cua toi",
        en="My own household",
    ),
    "household_code": Wording(
        vi="Nhap ma ho, vd {}:",
        en="Household code, e.g. {}:",
    ),
    "code_hint": Wording(
        vi="Khong co ma ho nay.",
        en="No such household code.",
    ),
    "no_households": Wording(
        vi="Ban chua duoc giao ho nao. Xin lien he to truong.",
        en="No households are assigned to you. Please ask your team leader.",
    ),
    "proxy_title": Wording(
        vi="Ho {}:",
        en="Household {}:",
    ),
    "own_title": Wording(
        vi="Ho cua toi:",
        en="My household:",
    ),
    "open_cases": Wording(
        vi="Ca dang mo:",
        en="Open cases:",
    ),
    "no_open_cases": Wording(
        vi="Khong co ca nao dang mo.",
        en="You have no open cases.",
    ),
    "case_menu": Wording(
        vi="Ca #{} {} {}\n1 Nhan ca, toi se den\n2 Da xong, dong ca",
        en="Case #{} {} {}\n1 Take it, I am going\n2 Done, close it",
    ),
    "acknowledged": Wording(
        vi="Da nhan ca #{}. Ho se nhan SMS bao ban se den.",
        en="Case #{} is yours. The household gets an SMS that you are coming.",
    ),
    "resolved": Wording(
        vi="Da dong ca #{}. Cam on!",
        en="Case #{} closed. Thank you!",
    ),
    "not_declared": Wording(
        vi="Chua khai bao hom nay ({}):",
        en="Not declared today ({}):",
    ),
    "all_declared": Wording(
        vi="Tat ca ho da khai bao hom nay. Cam on!",
        en="All your households have declared today. Thank you!",
    ),
    "and_more": Wording(
        vi="+{} ho khac",
        en="+{} more",
    ),
}
"""Every text of the menus, by the name of its :class:`Texts` field."""

UNKNOWN_NUMBER = "Xin loi, khong nhan ra so may cua ban. Sorry, we cannot read your number."
"""For a call whose number cannot be read: no caller, so no language, so both in one screen."""

VI = Texts(**{name: wording.vi for name, wording in WORDING.items()})
EN = Texts(**{name: wording.en for name, wording in WORDING.items()})


def texts_for(language: str) -> Texts:
    """USSD shows ``vi`` for both Vietnamese settings, and for anything unknown."""
    return EN if language == "en" else VI

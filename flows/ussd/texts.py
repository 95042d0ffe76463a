"""Every word the USSD menus show, in Vietnamese without diacritics and English.

Kept apart from the menu logic so the wording can be reviewed by someone who
reads only Vietnamese. Telcos do not show diacritics reliably on USSD (SPEC §4),
so ``vi-accents`` households get plain ``vi`` here. Each screen must fit 156
characters (160 minus "CON ") together with a one-line hint; the tests walk
every screen to hold that.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Texts:
    """One language's wording; fields with ``{}`` are ``str.format`` templates."""

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


VI = Texts(
    choose="Chon {}-{}.",
    back_footer="0 Lui 00 Menu",
    menu_footer="00 Menu",
    more="Them",
    resume="Lan truoc ban chua xong.\n1 Tiep tuc cho dang do\n2 Lam lai tu dau",
    language_menu="Ngon ngu/Language:\n1 Tieng Viet\n2 English",
    language_set="Da chon Tieng Viet. Cam on!",
    greeting="Chao ho {}",
    report_options=(
        "Ca nha khoe",
        "Co nguoi co trieu chung",
        "Nguoi tu noi khac ve",
        "Duong tinh/F1/F2",
        "Can giup do",
    ),
    team_phones_option="SDT cua to",
    language_option="Ngon ngu/Language",
    symptoms=(
        "Trieu chung? Go cac so, vd 13\n1 Sot\n2 Ho\n3 Kho tho\n4 Dau hong\n"
        "5 Mat vi giac, khu giac\n6 Met moi, dau nguoi"
    ),
    symptoms_hint="Go so 1-6, vd 13.",
    symptom_people="Bao nhieu nguoi co trieu chung?",
    people_hint="Go so nguoi, vd 1.",
    temperature="Nhiet do cao nhat? Vd 385 la 38,5 do.\n0 Chua do",
    temperature_hint="Go 340-429, hoac 0.",
    arrival_people="Bao nhieu nguoi moi ve?",
    arrived_from="Ve tu dau?",
    other_province="Tinh khac",
    abroad="Nuoc ngoai",
    arrived_when="Ve khi nao?\n1 Hom nay\n2 Hom qua\n3 2-14 ngay truoc",
    days_ago="Ve cach day may ngay? Go 2-14",
    days_hint="Go so ngay 2-14.",
    contact="Loai nao?\n1 F0: xet nghiem duong tinh\n2 F1: tiep xuc gan F0\n3 F2: tiep xuc F1",
    contact_people="Bao nhieu nguoi?",
    needs="Can giup gi? Go cac so, vd 12\n1 Luong thuc\n2 Thuoc\n3 Viec khac",
    needs_hint="Go so 1-3, vd 12.",
    well_done="Cam on! Da ghi: ca nha deu khoe. Hay khai bao lai ngay mai truoc 14h.",
    recorded="Da ghi.",
    monitoring="Se theo doi suc khoe 14 ngay.",
    member_will_call="{} ({}) se lien lac voi ban.",
    station_will_call="Tram y te xa se goi cho ban.",
    red_flag="Dau hieu nang: neu kho tho, goi 115 ngay.",
    proxy_recorded="Da ghi cho ho {}.",
    team_phones="SDT cua to:",
    more_phones="+{} so khac",
    no_team_phones="Chua co so cua to. Xin lien he tram y te xa.",
    unknown_greeting="So nay chua dang ky.",
    unknown_options=("Bao trieu chung", "Dang ky ho gia dinh"),
    pick_team="Ho thuoc thon/to nao?",
    household_size="Ho co bao nhieu nguoi?",
    registered="Cam on! Da gui dang ky: {}, {} nguoi. Can bo xa se xac nhan.",
    no_teams="Chua dang ky qua dien thoai duoc. Xin lien he tram y te xa.",
    pick_district="Ban o huyen nao?",
    pick_commune="Ban o xa/phuong nao?",
    other_district="Huyen khac",
    not_listed="Khong co trong danh sach",
    district_will_call="Chua ro xa cua ban: can bo huyen se xem va goi lai.",
    not_recorded="Xin loi, chua ghi duoc. Xin goi lai sau it phut. Neu kho tho, goi 115 ngay.",
    member_greeting="Menu to vien",
    member_options=("Khai bao cho ho", "Ca dang mo", "Ho chua khai bao"),
    own_household_option="Ho cua toi",
    household_code="Nhap ma ho, vd {}:",
    code_hint="Khong co ma ho nay.",
    no_households="Ban chua duoc giao ho nao. Xin lien he to truong.",
    proxy_title="Ho {}:",
    own_title="Ho cua toi:",
    open_cases="Ca dang mo:",
    no_open_cases="Khong co ca nao dang mo.",
    case_menu="Ca #{} {} {}\n1 Nhan ca, toi se den\n2 Da xong, dong ca",
    acknowledged="Da nhan ca #{}. Ho se nhan SMS bao ban se den.",
    resolved="Da dong ca #{}. Cam on!",
    not_declared="Chua khai bao hom nay ({}):",
    all_declared="Tat ca ho da khai bao hom nay. Cam on!",
    and_more="+{} ho khac",
)

EN = Texts(
    choose="Choose {}-{}.",
    back_footer="0 Back 00 Menu",
    menu_footer="00 Menu",
    more="More",
    resume="You did not finish last time.\n1 Continue where you stopped\n2 Start again",
    language_menu=VI.language_menu,
    language_set="Language set to English. Thank you!",
    greeting="Hello, {}",
    report_options=(
        "Everyone is well",
        "Someone has symptoms",
        "Arrived from away",
        "Positive/F1/F2",
        "We need help",
    ),
    team_phones_option="Team phones",
    language_option="Language/Ngon ngu",
    symptoms=(
        "Symptoms? Type all, e.g. 13\n1 Fever\n2 Cough\n3 Short of breath\n4 Sore throat\n"
        "5 Lost taste or smell\n6 Tired, body ache"
    ),
    symptoms_hint="Type 1-6, e.g. 13.",
    symptom_people="How many people have symptoms?",
    people_hint="Type a number, e.g. 1.",
    temperature="Highest temperature? E.g. 385 for 38.5 C.\n0 Not measured",
    temperature_hint="Type 340-429, or 0.",
    arrival_people="How many people arrived?",
    arrived_from="Arrived from where?",
    other_province="Other province",
    abroad="Abroad",
    arrived_when="When did they arrive?\n1 Today\n2 Yesterday\n3 2-14 days ago",
    days_ago="How many days ago? Type 2-14",
    days_hint="Type 2-14.",
    contact="Which one?\n1 F0: positive test\n2 F1: close contact of F0\n3 F2: contact of F1",
    contact_people="How many people?",
    needs="What help? Type all, e.g. 12\n1 Food\n2 Medicine\n3 Other",
    needs_hint="Type 1-3, e.g. 12.",
    well_done="Thank you! Recorded: everyone is well. Please declare again tomorrow before 14:00.",
    recorded="Recorded.",
    monitoring="Health is followed for 14 days.",
    member_will_call="{} ({}) will contact you.",
    station_will_call="The commune health station will call you.",
    red_flag="Warning sign: if breathing is hard, call 115 now.",
    proxy_recorded="Recorded for household {}.",
    team_phones="Team phones:",
    more_phones="+{} more",
    no_team_phones="No team numbers yet. Please contact the commune health station.",
    unknown_greeting="This number is not registered.",
    unknown_options=("Report symptoms", "Register my household"),
    pick_team="Which village/team?",
    household_size="How many people in the household?",
    registered="Thank you! Registration sent: {}, {} people. Commune staff will confirm.",
    no_teams="Registration by phone is not open. Please contact the commune health station.",
    pick_district="Which district are you in?",
    pick_commune="Which commune are you in?",
    other_district="Other district",
    not_listed="Not on this list",
    district_will_call="Your commune is not known yet: district staff will see it and call you.",
    not_recorded="Sorry, this was not recorded. Please try again in a few minutes. "
    "If breathing is hard, call 115 now.",
    member_greeting="Team member menu",
    member_options=("Declare for a household", "My open cases", "Not declared today"),
    own_household_option="My own household",
    household_code="Household code, e.g. {}:",
    code_hint="No such household code.",
    no_households="No households are assigned to you. Please ask your team leader.",
    proxy_title="Household {}:",
    own_title="My household:",
    open_cases="Open cases:",
    no_open_cases="You have no open cases.",
    case_menu="Case #{} {} {}\n1 Take it, I am going\n2 Done, close it",
    acknowledged="Case #{} is yours. The household gets an SMS that you are coming.",
    resolved="Case #{} closed. Thank you!",
    not_declared="Not declared today ({}):",
    all_declared="All your households have declared today. Thank you!",
    and_more="+{} more",
)


def texts_for(language: str) -> Texts:
    """USSD shows ``vi`` for both Vietnamese settings, and for anything unknown."""
    return EN if language == "en" else VI

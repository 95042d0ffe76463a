"""SPEC §5 as a table: every household and member form, and the ways people type them."""

import pytest

from flows.effects import Acknowledge, Declare, OptIn, OptOut, ProxyDeclare, Resolve
from flows.report import Contact, Kind, Need, Report, Symptom
from flows.sms.grammar import HelpRequest, Reason, Unknown, parse

FEVER, COUGH, BREATH, THROAT, TASTE, TIRED = Symptom


def symptoms(*which: Symptom, people: int | None = None, tenths: int | None = None) -> Report:
    return Report(
        Kind.SYMPTOMS, people=people, symptoms=frozenset(which), temperature_tenths=tenths
    )


WELL = Report(Kind.WELL)
POSITIVE = Report(Kind.POSITIVE, contact=Contact.F0)


def contact(level: Contact, people: int | None = None) -> Report:
    return Report(Kind.CONTACT, people=people, contact=level)


def arrival(people: int | None = None, place: str | None = None, days: int | None = None) -> Report:
    return Report(Kind.ARRIVAL, people=people, arrived_from=place, arrived_days_ago=days)


def help_(*needs: Need, people: int | None = None) -> Report:
    return Report(Kind.HELP, people=people, needs=frozenset(needs))


DECLARATIONS = [
    # 1: everyone well.
    ("1", WELL),
    (" 1 ", WELL),
    ("1.", WELL),
    ("１", WELL),
    ("1️⃣", WELL),
    ("1 4", Report(Kind.WELL, people=4)),
    ("1 4 nguoi", Report(Kind.WELL, people=4)),
    ("1 ca nha khoe", WELL),
    ("khai bao 1", WELL),
    ("khoe", WELL),
    ("Khỏe", WELL),
    ("KHOE", WELL),
    ("binh thuong", WELL),
    ("Bình thường", WELL),
    ("ca nha deu khoe", WELL),
    ("Mọi người đều khỏe", WELL),
    ("ok, ca nha khoe", WELL),
    ("all well", WELL),
    # 2: symptoms, all the spellings of SPEC §5.
    ("2", symptoms()),
    ("2 13", symptoms(FEVER, BREATH)),
    ("2 1 3", symptoms(FEVER, BREATH)),
    ("2 1,3", symptoms(FEVER, BREATH)),
    ("2 1, 3", symptoms(FEVER, BREATH)),
    ("2-13", symptoms(FEVER, BREATH)),
    ("2.13", symptoms(FEVER, BREATH)),
    ("2,13", symptoms(FEVER, BREATH)),
    ("2_13", symptoms(FEVER, BREATH)),
    ("2/13", symptoms(FEVER, BREATH)),
    ("2;1;3", symptoms(FEVER, BREATH)),
    ("2*13", symptoms(FEVER, BREATH)),
    ("2   13  ", symptoms(FEVER, BREATH)),
    ("2\n13", symptoms(FEVER, BREATH)),
    ("2\t1\t3", symptoms(FEVER, BREATH)),
    ("２　１３", symptoms(FEVER, BREATH)),
    ("٢ ١٣", symptoms(FEVER, BREATH)),
    ("2 123456", symptoms(*Symptom)),
    ("2 113", symptoms(FEVER, BREATH)),
    ("2 6", symptoms(TIRED)),
    # People and temperature.
    ("2 13 2 385", symptoms(FEVER, BREATH, people=2, tenths=385)),
    ("2 13 2 38,5", symptoms(FEVER, BREATH, people=2, tenths=385)),
    ("2 13 2 38.5", symptoms(FEVER, BREATH, people=2, tenths=385)),
    ("2,13,2,385", symptoms(FEVER, BREATH, people=2, tenths=385)),
    ("2-13-2-385", symptoms(FEVER, BREATH, people=2, tenths=385)),
    ("2 13 2 39", symptoms(FEVER, BREATH, people=2, tenths=390)),
    ("2 13 2 36", symptoms(FEVER, BREATH, people=2, tenths=360)),
    ("2 13 2 0", symptoms(FEVER, BREATH, people=2)),
    ("2 13 0", symptoms(FEVER, BREATH)),
    ("2 13 2", symptoms(FEVER, BREATH, people=2)),
    ("2 13 385", symptoms(FEVER, BREATH, tenths=385)),
    ("2 13 39,5", symptoms(FEVER, BREATH, tenths=395)),
    ("2 13 385 2", symptoms(FEVER, BREATH, people=2, tenths=385)),
    ("2 1 3 3", symptoms(FEVER, BREATH, people=3)),
    ("2 1 3 8 385", symptoms(FEVER, BREATH, people=8, tenths=385)),
    ("2 1 3 2 385", symptoms(FEVER, BREATH, people=2, tenths=385)),
    ("2 1 2 385", symptoms(FEVER, people=2, tenths=385)),
    ("2 1 2 38,5", symptoms(FEVER, people=2, tenths=385)),
    ("2 1 2 0", symptoms(FEVER, people=2)),
    ("2 1 2", symptoms(FEVER, COUGH)),
    ("2 1 2 nguoi", symptoms(FEVER, people=2)),
    ("2 1 385", symptoms(FEVER, tenths=385)),
    ("2 1 2 3 4 385", symptoms(FEVER, COUGH, BREATH, people=4, tenths=385)),
    ("2 1 3 2 nguoi 385", symptoms(FEVER, BREATH, people=2, tenths=385)),
    ("2 1 3 2ng 38,5do", symptoms(FEVER, BREATH, people=2, tenths=385)),
    ("2 13 2 38 do", symptoms(FEVER, BREATH, people=2, tenths=380)),
    ("2 13 2 38.5°C", symptoms(FEVER, BREATH, people=2, tenths=385)),
    ("2 13 2 38,5℃", symptoms(FEVER, BREATH, people=2, tenths=385)),
    ("2 13 nhiet do 39", symptoms(FEVER, BREATH, tenths=390)),
    ("2 385", symptoms(tenths=385)),
    ("2 7", symptoms(people=7)),
    ("2 13 2 ngay", symptoms(FEVER, BREATH)),
    # Symptom words instead of digits.
    ("sot", symptoms(FEVER)),
    ("Sốt", symptoms(FEVER)),
    ("SỐT", symptoms(FEVER)),
    ("so\u0302\u0301t", symptoms(FEVER)),
    ("sot ho", symptoms(FEVER, COUGH)),
    ("2 sot ho", symptoms(FEVER, COUGH)),
    ("ho", symptoms(COUGH)),
    ("kho tho", symptoms(BREATH)),
    ("Khó thở", symptoms(BREATH)),
    ("khó  thở!!", symptoms(BREATH)),
    ("dau hong", symptoms(THROAT)),
    ("Đau họng", symptoms(THROAT)),
    ("ĐAU HỌNG", symptoms(THROAT)),
    ("Ðau họng", symptoms(THROAT)),
    ("mat vi giac", symptoms(TASTE)),
    ("mất vị giác", symptoms(TASTE)),
    ("mat khu giac", symptoms(TASTE)),
    ("mất vị giác và khứu giác", symptoms(TASTE)),
    ("met", symptoms(TIRED)),
    ("mệt mỏi", symptoms(TIRED)),
    ("dau nguoi", symptoms(TIRED)),
    ("đau mỏi người", symptoms(TIRED)),
    ("sốt, ho, khó thở", symptoms(FEVER, COUGH, BREATH)),
    ("con toi bi sot", symptoms(FEVER)),
    ("sot 2 nguoi", symptoms(FEVER, people=2)),
    ("sot 2", symptoms(FEVER, people=2)),
    ("sot 39", symptoms(FEVER, tenths=390)),
    ("Sốt 39,5 độ", symptoms(FEVER, tenths=395)),
    ("sot 2 385", symptoms(FEVER, people=2, tenths=385)),
    ("2 sot 39 do", symptoms(FEVER, tenths=390)),
    ("2 1 ho", symptoms(FEVER, COUGH)),
    ("sot ho 3 ngay", symptoms(FEVER, COUGH)),
    ("hom nay sot", symptoms(FEVER)),
    ("fever, cough", symptoms(FEVER, COUGH)),
    ("shortness of breath", symptoms(BREATH)),
    ("sore throat", symptoms(THROAT)),
    ("lost taste and smell", symptoms(TASTE)),
    ("khoe, chi ho nhe", symptoms(COUGH)),
    ("chị tôi bị sốt và ho", symptoms(FEVER, COUGH)),
    ("khoe, hoi ho", symptoms(COUGH)),
    ("khoe nhung ho", symptoms(COUGH)),
    ("ok sot", symptoms(FEVER)),
    # 3: arrivals.
    ("3", arrival()),
    ("3 2", arrival(2)),
    ("3-2", arrival(2)),
    ("3 2 nguoi", arrival(2)),
    ("3 2 nguoi tu Ha Noi", arrival(2, "Ha Noi")),
    ("3 1 người vừa về từ Hà Nội hôm qua", arrival(1, "Ha Noi", 1)),
    ("3 2 Bac Ninh 3 ngay", arrival(2, "Bac Ninh", 3)),
    ("3 2 hom nay", arrival(2, days=0)),
    ("3 2 sot", Report(Kind.ARRIVAL, people=2, symptoms=frozenset({FEVER}))),
    # 4: positive test or contact.
    ("4", POSITIVE),
    ("4 F0", POSITIVE),
    ("4 f0", POSITIVE),
    ("4 FO", POSITIVE),
    ("4F0", POSITIVE),
    ("4 1", POSITIVE),
    ("4 F1", contact(Contact.F1)),
    ("4 f1", contact(Contact.F1)),
    ("4-F1", contact(Contact.F1)),
    ("4 F 1", contact(Contact.F1)),
    ("4 2", contact(Contact.F1)),
    ("4 F2", contact(Contact.F2)),
    ("4 3", contact(Contact.F2)),
    ("4 F1 3", contact(Contact.F1, people=3)),
    ("4 2 3", contact(Contact.F1, people=3)),
    ("4 5", Report(Kind.POSITIVE, people=5, contact=Contact.F0)),
    ("F1", contact(Contact.F1)),
    ("f2", contact(Contact.F2)),
    ("F0", POSITIVE),
    ("duong tinh", POSITIVE),
    ("Dương tính", POSITIVE),
    ("positive", POSITIVE),
    (
        "4 sot kho tho",
        Report(Kind.POSITIVE, contact=Contact.F0, symptoms=frozenset({FEVER, BREATH})),
    ),
    ("F1 sot", Report(Kind.CONTACT, contact=Contact.F1, symptoms=frozenset({FEVER}))),
    # 5: help.
    ("5", help_()),
    ("5 food", help_(Need.FOOD)),
    ("5 thuoc", help_(Need.MEDICINE)),
    ("5 thuốc", help_(Need.MEDICINE)),
    ("5 gao", help_(Need.FOOD)),
    ("5 gạo và thuốc", help_(Need.FOOD, Need.MEDICINE)),
    ("5 1", help_(Need.FOOD)),
    ("5 12", help_(Need.FOOD, Need.MEDICINE)),
    ("5 1 2 3", help_(*Need)),
    ("5 khac", help_(Need.OTHER)),
    ("5 can nuoc uong", help_(Need.OTHER)),
    ("5 het gao", help_(Need.FOOD)),
    ("5 khong co gao", help_(Need.FOOD)),
    ("5 4", help_(people=4)),
    ("can thuoc", help_(Need.MEDICINE)),
    ("cần gạo", help_(Need.FOOD)),
    (
        "sot, can thuoc",
        Report(Kind.SYMPTOMS, symptoms=frozenset({FEVER}), needs=frozenset({Need.MEDICINE})),
    ),
]


@pytest.mark.parametrize(("text", "report"), DECLARATIONS)
def test_household_forms(text: str, report: Report) -> None:
    assert parse(text) == Declare(report)


SHORTHAND = [
    # "Khong sao" (no problem) in every spelling of "khong": well.
    ("ko sao", WELL),
    ("k sao ca", WELL),
    ("hok sao", WELL),
    ("khong sao", WELL),
    ("Không sao cả", WELL),
    ("KO SAO", WELL),
    ("kg sao", WELL),
    ("ca nha ko sao", WELL),
    ("nha minh k sao ca nhe", WELL),
    ("ko co gi", WELL),
    ("ca nha ok", WELL),
    ("ca nha khoe dc", WELL),
    ("1 ko sao", WELL),
    ("ko sao, 4 nguoi", Report(Kind.WELL, people=4)),
    # Number words: before a head count or day marker, or as the head count of 1 and 3.
    ("3 hai nguoi", arrival(2)),
    ("3 hai", arrival(2)),
    ("3 ba nguoi", arrival(3)),
    ("3 mot nguoi tu Ha Noi", arrival(1, "Ha Noi")),
    ("3 hai nguoi tu Ha Nam", arrival(2, "Ha Nam")),
    ("3 2 tu Ha Nam", arrival(2, "Ha Nam")),
    ("3 bon nguoi ve tu Bac Ninh ba ngay truoc", arrival(4, "Bac Ninh", 3)),
    ("1 bon", Report(Kind.WELL, people=4)),
    ("1 muoi nguoi", Report(Kind.WELL, people=10)),
    ("2 13 hai nguoi 385", symptoms(FEVER, BREATH, people=2, tenths=385)),
    ("sot hai nguoi", symptoms(FEVER, people=2)),
    ("sot ba ngay", symptoms(FEVER)),
    ("2 1 muoi lam nguoi", symptoms(FEVER, people=15)),
    ("2 1 hai muoi mot nguoi", symptoms(FEVER, people=21)),
    ("2 1 hai muoi nguoi", symptoms(FEVER, people=20)),
    ("5 nam nguoi", help_(people=5)),
    ("4 F1 sau nguoi", contact(Contact.F1, people=6)),
    # Help without the digit.
    ("giup", help_()),
    ("giúp", help_()),
    ("giup do", help_()),
    ("can giup do", help_()),
    ("Cần giúp đỡ", help_()),
    ("can ho tro", help_()),
    ("cuu voi", help_()),
    ("can gao", help_(Need.FOOD)),
    ("het thuoc", help_(Need.MEDICINE)),
    ("hết thuốc", help_(Need.MEDICINE)),
    ("het gao, can giup", help_(Need.FOOD)),
    ("nha minh can giup do, het gao", help_(Need.FOOD)),
    ("ko sao, chi can giup", help_()),
    # Arrivals in words.
    ("moi ve", arrival()),
    ("Mới về", arrival()),
    ("ve tu HN", arrival(place="Ha Noi")),
    ("co nguoi ve tu HN", arrival(place="Ha Noi")),
    ("có người về từ Hà Nội", arrival(place="Ha Noi")),
    ("con toi moi ve tu Sai Gon hom qua", arrival(place="Sai Gon", days=1)),
    ("hai nguoi moi ve tu Bac Giang", arrival(2, "Bac Giang")),
    ("vua ve tu tphcm", arrival(place="TP HCM")),
    (
        "moi ve tu HN, bi sot",
        Report(Kind.ARRIVAL, arrived_from="Ha Noi", symptoms=frozenset({FEVER})),
    ),
    ("3 moi ve tu Bac Ninh", arrival(place="Bac Ninh")),
]


@pytest.mark.parametrize(("text", "report"), SHORTHAND)
def test_the_way_people_text(text: str, report: Report) -> None:
    assert parse(text) == Declare(report)


SHORTHAND_NOT_READ = [
    # A negation still cancels: these are not reports.
    ("ko sot", Reason.UNKNOWN_WORD),
    ("hok sot", Reason.UNKNOWN_WORD),
    ("k can giup", Reason.UNKNOWN_WORD),
    ("khong can giup do", Reason.UNKNOWN_WORD),
    # A number word where it is also a word stays a word.
    ("ba bi sot", Reason.UNKNOWN_WORD),
    ("2 ba", Reason.UNKNOWN_WORD),
    # Forms that contradict each other.
    ("1 moi ve", Reason.MIXED_FORMS),
    ("2 13 moi ve", Reason.MIXED_FORMS),
    ("dc", Reason.NO_FORM),
]


@pytest.mark.parametrize(("text", "reason"), SHORTHAND_NOT_READ)
def test_shorthand_that_is_not_a_report(text: str, reason: Reason) -> None:
    assert parse(text) == Unknown(reason)


UNKNOWN = [
    ("", Reason.EMPTY),
    ("   ", Reason.EMPTY),
    ("\x00\x01", Reason.EMPTY),
    ("🙂", Reason.EMPTY),
    ("x" * 481, Reason.TOO_LONG),
    ("1" * 481, Reason.TOO_LONG),
    ("xin chao", Reason.UNKNOWN_WORD),
    ("khong sot", Reason.UNKNOWN_WORD),
    ("ko sot", Reason.UNKNOWN_WORD),
    ("không cần thuốc", Reason.UNKNOWN_WORD),
    ("no fever", Reason.UNKNOWN_WORD),
    ("sot xyz", Reason.UNKNOWN_WORD),
    ("2 13 xyz", Reason.UNKNOWN_WORD),
    ("привет", Reason.UNKNOWN_WORD),
    ("đúng", Reason.UNKNOWN_WORD),
    ("dùng", Reason.UNKNOWN_WORD),
    ("bắt", Reason.UNKNOWN_WORD),
    ("6", Reason.UNKNOWN_FORM),
    ("0", Reason.UNKNOWN_FORM),
    ("13", Reason.UNKNOWN_FORM),
    ("213", Reason.UNKNOWN_FORM),
    ("0912345678", Reason.UNKNOWN_FORM),
    ("38,5", Reason.NO_FORM),
    ("khai bao", Reason.NO_FORM),
    ("1 sot", Reason.MIXED_FORMS),
    ("1 can gao", Reason.MIXED_FORMS),
    ("2 13 F1", Reason.MIXED_FORMS),
    ("3 2 38,5", Reason.MIXED_FORMS),
    ("4 F1 F2", Reason.MIXED_FORMS),
    ("1 0", Reason.BAD_PEOPLE),
    ("1 31", Reason.BAD_PEOPLE),
    ("3 40", Reason.BAD_PEOPLE),
    ("2 13 31", Reason.BAD_PEOPLE),
    ("2 13 " + "9" * 40, Reason.BAD_PEOPLE),
    ("2 13 2 33", Reason.BAD_TEMPERATURE),
    ("2 13 2 500", Reason.BAD_TEMPERATURE),
    ("2 13 45 do", Reason.BAD_TEMPERATURE),
    ("3 2 20 ngay", Reason.BAD_DAYS),
    ("1 2 3", Reason.EXTRA_NUMBER),
    ("2 13 2 385 1", Reason.EXTRA_NUMBER),
    ("2 13 385 39", Reason.EXTRA_NUMBER),
    ("2 13 2 nguoi 3 nguoi", Reason.EXTRA_NUMBER),
    ("3 2 hom nay hom qua", Reason.EXTRA_NUMBER),
    ("OK", Reason.CASE_MISSING),
    ("ok.", Reason.CASE_MISSING),
    ("OK ca", Reason.CASE_MISSING),
    ("OK 0", Reason.BAD_CASE),
    ("OK 1234567890", Reason.BAD_CASE),
    ("OK 12 13", Reason.EXTRA_NUMBER),
    ("XONG", Reason.CASE_MISSING),
    ("xong roi", Reason.CASE_MISSING),
    ("XONG 0", Reason.BAD_CASE),
    ("KB", Reason.HOUSEHOLD_MISSING),
    ("KB ???", Reason.HOUSEHOLD_MISSING),
    ("KB " + "A" * 21 + " 1", Reason.HOUSEHOLD_MISSING),
    ("KB HG-012", Reason.FORM_MISSING),
    ("KB HG-012 ...", Reason.FORM_MISSING),
    ("KB HG-012 9", Reason.UNKNOWN_FORM),
    ("KB HG-012 khong sot", Reason.UNKNOWN_WORD),
]


@pytest.mark.parametrize(("text", "reason"), UNKNOWN)
def test_unread_texts_say_why(text: str, reason: Reason) -> None:
    assert parse(text) == Unknown(reason)


KEYWORDS = [
    ("HD", HelpRequest()),
    ("hd", HelpRequest()),
    ("HD?", HelpRequest()),
    ("?", HelpRequest()),
    (" ?? ", HelpRequest()),
    ("help", HelpRequest()),
    ("Help!", HelpRequest()),
    ("huong dan", HelpRequest()),
    ("Hướng dẫn", HelpRequest()),
    ("tro giup", HelpRequest()),
    ("DUNG", OptOut()),
    ("dung", OptOut()),
    ("DỪNG", OptOut()),
    ("Dừng.", OptOut()),
    ("dưng", OptOut()),
    ("D\u01b0\u0300ng", OptOut()),
    ("ngừng", OptOut()),
    ("STOP", OptOut()),
    ("Stop", OptOut()),
    ("ＳＴＯＰ", OptOut()),
    ("BAT", OptIn()),
    ("bat", OptIn()),
    ("BẬT", OptIn()),
    ("Bật!", OptIn()),
    ("bắt đầu", OptIn()),
    ("START", OptIn()),
]


@pytest.mark.parametrize(("text", "command"), KEYWORDS)
def test_keywords(text: str, command: object) -> None:
    assert parse(text) == command


MEMBER_COMMANDS = [
    ("OK 12", Acknowledge(12)),
    ("ok 12", Acknowledge(12)),
    ("Ok12", Acknowledge(12)),
    ("OK #12", Acknowledge(12)),
    ("OK ca 12", Acknowledge(12)),
    ("OK  12 ", Acknowledge(12)),
    ("OK 12 dang den", Acknowledge(12)),
    ("ＯＫ １２", Acknowledge(12)),
    ("OK 1", Acknowledge(1)),
    ("OK 007", Acknowledge(7)),
    ("OK 999999999", Acknowledge(999_999_999)),
    ("XONG 12", Resolve(12, "")),
    ("xong 12", Resolve(12, "")),
    ("Xong12", Resolve(12, "")),
    ("XONG #12", Resolve(12, "")),
    ("XONG ca 12", Resolve(12, "")),
    ("XONG 12 da cach ly", Resolve(12, "da cach ly")),
    ("XONG 12: Đã cách ly tại nhà", Resolve(12, "Đã cách ly tại nhà")),
    ("XONG 12 - đưa đi test, âm tính", Resolve(12, "đưa đi test, âm tính")),
    ("XONG 12 ghi chu\nhai dong", Resolve(12, "ghi chu hai dong")),
    ("KB HG-012 1", ProxyDeclare("HG-012", WELL)),
    ("kb hg-012 1", ProxyDeclare("HG-012", WELL)),
    ("KB 012 1", ProxyDeclare("012", WELL)),
    ("KB12 1", ProxyDeclare("12", WELL)),
    ("KB A12, 1", ProxyDeclare("A12", WELL)),
    ("KB TH1/23 1", ProxyDeclare("TH1/23", WELL)),
    ("KB HG_7 khoe", ProxyDeclare("HG_7", WELL)),
    ("KB Đ12 1", ProxyDeclare("D12", WELL)),
    ("KB HG-012 2 13", ProxyDeclare("HG-012", symptoms(FEVER, BREATH))),
    (
        "KB HG-012 2 13 2 385",
        ProxyDeclare("HG-012", symptoms(FEVER, BREATH, people=2, tenths=385)),
    ),
    ("KB HG-012 sot ho", ProxyDeclare("HG-012", symptoms(FEVER, COUGH))),
    ("KB 7 3 2", ProxyDeclare("7", arrival(2))),
    ("KB 7 4 F1", ProxyDeclare("7", contact(Contact.F1))),
    ("KB 7 5 thuoc", ProxyDeclare("7", help_(Need.MEDICINE))),
]


@pytest.mark.parametrize(("text", "command"), MEMBER_COMMANDS)
def test_member_commands(text: str, command: object) -> None:
    assert parse(text) == command


NAMED_COMMUNE = [
    ("XA RL01 2 13", Declare(symptoms(FEVER, BREATH), commune="RL01")),
    ("xa rl01 2 13", Declare(symptoms(FEVER, BREATH), commune="RL01")),
    ("Xã RL01, 2 13 2 385", Declare(symptoms(FEVER, BREATH, people=2, tenths=385), "RL01")),
    ("XA RL-01 sot ho", Declare(symptoms(FEVER, COUGH), commune="RL-01")),
    ("XA 27001 1", Declare(WELL, commune="27001")),
    ("XA BG7 3 2", Declare(arrival(2), commune="BG7")),
    ("XA BG7 4 F1", Declare(contact(Contact.F1), commune="BG7")),
    ("XA BG7 5 thuoc", Declare(help_(Need.MEDICINE), commune="BG7")),
]


@pytest.mark.parametrize(("text", "command"), NAMED_COMMUNE)
def test_a_stranger_names_the_commune(text: str, command: object) -> None:
    assert parse(text) == command


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("XA RL01 9", Reason.UNKNOWN_FORM),
        ("XA RL01 2 13 abc", Reason.UNKNOWN_WORD),
        ("XA " + "A" * 21 + " 1", Reason.HOUSEHOLD_MISSING),
        ("XA RL01", Reason.FORM_MISSING),
    ],
)
def test_a_named_commune_needs_a_code_and_a_form(text: str, reason: Reason) -> None:
    assert parse(text) == Unknown(reason)


@pytest.mark.parametrize(
    "text",
    ["2 13", "4", "F0", "khó thở", "2 1 39,5", "2 13 2 390"],
)
def test_red_flags_survive_parsing(text: str) -> None:
    command = parse(text)
    assert isinstance(command, Declare)
    assert command.report.red_flag


@pytest.mark.parametrize("text", ["1", "2 12 2 385", "3 2", "4 F1", "5 12"])
def test_only_red_flags_are_red(text: str) -> None:
    command = parse(text)
    assert isinstance(command, Declare)
    assert not command.report.red_flag


@pytest.mark.parametrize(
    ("text", "effect"),
    [
        ("2 13 2 385", Declare(symptoms(FEVER, BREATH, people=2, tenths=385))),
        ("KB 7 1", ProxyDeclare("7", WELL)),
        ("OK 3", Acknowledge(3)),
        ("XONG 3 xong", Resolve(3, "xong")),
        ("DUNG", OptOut()),
        ("BAT", OptIn()),
        ("HD", HelpRequest()),
        ("???!!", HelpRequest()),
    ],
)
def test_a_text_reads_as_the_effect_it_asks_for(text: str, effect: object) -> None:
    assert parse(text) == effect

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.encoding import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    Measure,
    is_gsm7,
    measure,
    strip_diacritics,
)

VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # huyền sắc hỏi ngã nặng
VIETNAMESE_LETTERS = sorted(
    {
        unicodedata.normalize("NFC", letter)
        for base in VOWELS + VOWELS.upper()
        for tone in TONES
        for letter in [base + tone]
    }
    | set("bcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVX")
)


def test_tables_are_gsm_03_38():
    assert len(GSM7_BASIC) == 127  # 128 minus the escape
    assert "\x1b" not in GSM7_BASIC
    assert len(GSM7_EXTENSION) == 10
    assert not GSM7_BASIC & GSM7_EXTENSION


def test_vietnamese_alphabet_is_complete():
    assert len(VIETNAMESE_LETTERS) == 2 * (12 * 6 + 17)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Measure("GSM-7", 0, 1)),
        ("1 ca nha khoe", Measure("GSM-7", 13, 1)),
        ("a" * 160, Measure("GSM-7", 160, 1)),
        ("a" * 161, Measure("GSM-7", 161, 2)),
        ("a" * 306, Measure("GSM-7", 306, 2)),
        ("a" * 307, Measure("GSM-7", 307, 3)),
        ("€", Measure("GSM-7", 2, 1)),
        ("^{}\\[~]|€", Measure("GSM-7", 18, 1)),
        ("a" * 158 + "€", Measure("GSM-7", 160, 1)),
        ("a" * 159 + "€", Measure("GSM-7", 161, 2)),
        # an escaped character is not split: it moves to the next segment
        ("a" * 152 + "€" + "a" * 152, Measure("GSM-7", 306, 3)),
        ("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà", Measure("GSM-7", 42, 1)),
        ("line\nbreak\r", Measure("GSM-7", 11, 1)),
        ("Sốt", Measure("UCS-2", 3, 1)),
        ("ç", Measure("UCS-2", 1, 1)),
        ("á" * 70, Measure("UCS-2", 70, 1)),
        ("á" * 71, Measure("UCS-2", 71, 2)),
        ("á" * 134, Measure("UCS-2", 134, 2)),
        ("á" * 135, Measure("UCS-2", 135, 3)),
        # a character outside the BMP is a surrogate pair: 2 code units, never split
        ("😷", Measure("UCS-2", 2, 1)),
        ("á" * 66 + "😷" + "á" * 66, Measure("UCS-2", 134, 3)),
        # an extension character inside a UCS-2 text costs 1 like any other
        ("€ đ", Measure("UCS-2", 3, 1)),
    ],
)
def test_measure(text, expected):
    assert measure(text) == expected


def test_one_diacritic_costs_segments():
    plain = "Nha ban co nguoi sot? Nhan 2 va so trieu chung. Kho tho, sot tren 39 do: goi 115. "
    text = plain * 2
    assert measure(text) == Measure("GSM-7", len(text), 2)
    assert measure(text + "đ").encoding == "UCS-2"
    assert measure(text + "đ").segments == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", True),
        ("Hello 123", True),
        ("{€}", True),
        ("è é ù ì ò à", True),
        ("Sốt", False),
        ("đ", False),
        ("ç", False),
        ("\x1b", False),
        ("\t", False),
        ("“quoted”", False),
    ],
)
def test_is_gsm7(text, expected):
    assert is_gsm7(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sốt, khó thở", "Sot, kho tho"),
        ("Đà Nẵng", "Da Nang"),
        ("đường", "duong"),
        ("Nguyễn Thị Hằng", "Nguyen Thi Hang"),
        ("ằ ẳ ẵ ặ ắ", "a a a a a"),
        ("ƯỚC TÍNH", "UOC TINH"),
        ("Trạm y tế xã", "Tram y te xa"),
        ("mất vị giác", "mat vi giac"),
        # combining marks, as some keyboards send them
        ("So\u0302\u0301t", "Sot"),
        ("already plain 0912 {x}", "already plain 0912 {x}"),
        ("", ""),
    ],
)
def test_strip_diacritics(text, expected):
    assert strip_diacritics(text) == expected


def test_every_vietnamese_letter_strips_to_ascii():
    for letter in VIETNAMESE_LETTERS:
        plain = strip_diacritics(letter)
        assert len(plain) == 1 and plain.isascii() and plain.isalpha(), letter


@given(st.text())
def test_measure_never_raises(text):
    result = measure(text)
    assert result.encoding in {"GSM-7", "UCS-2"}
    assert result.segments >= 1
    assert result.length >= len(text)
    assert result.encoding == ("GSM-7" if is_gsm7(text) else "UCS-2")


@given(st.text(alphabet=st.sampled_from(sorted(GSM7_BASIC | GSM7_EXTENSION))))
def test_gsm7_segments_hold_their_septets(text):
    result = measure(text)
    single, part = 160, 153
    if result.length <= single:
        assert result.segments == 1
    else:
        # every full segment holds at least part - 1 septets (an escape may move on)
        assert (result.segments - 1) * (part - 1) < result.length <= result.segments * part


vietnamese_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE_LETTERS + list(" 0123456789.,?!-:")),
)


@given(vietnamese_text, st.sampled_from(["NFC", "NFD"]))
def test_stripped_vietnamese_is_gsm7(text, form):
    stripped = strip_diacritics(unicodedata.normalize(form, text))
    assert is_gsm7(stripped)
    assert stripped.isascii()
    assert len(stripped) == len(text)
    assert measure(stripped).encoding == "GSM-7"


@given(st.text())
def test_strip_diacritics_is_idempotent(text):
    once = strip_diacritics(text)
    assert strip_diacritics(once) == once

"""Case alerts name the rung that did not answer in Vietnamese words, within one segment."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from db.models import RUNGS
from flows.encoding import measure
from flows.notices import RUNG_WORDS, case_alert
from flows.report import Kind, Report, Symptom

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợ"
    "úùủũụứừửữựýỳỷỹỵĐƯƠ '-"
)


def test_every_rung_has_vietnamese_words():
    assert set(RUNG_WORDS) == set(RUNGS)


@given(
    rung=st.sampled_from(RUNGS),
    name=st.text(alphabet=VIETNAMESE, max_size=120),
    village=st.text(alphabet=VIETNAMESE, max_size=80),
    case_number=st.integers(1, 10**9),
)
def test_an_escalated_alert_reads_vietnamese_and_fits_one_gsm7_segment(
    rung, name, village, case_number
):
    report = Report(Kind.SYMPTOMS, symptoms=frozenset({Symptom.FEVER, Symptom.COUGH}))
    text = case_alert(case_number, report, name, village, "+84912000001", rung)
    assert text.startswith(f"Chua ai nhan ({RUNG_WORDS[rung]}). Ca {case_number}:")
    measured = measure(text)
    assert (measured.encoding, measured.segments) == ("GSM-7", 1)

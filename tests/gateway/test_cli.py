import csv
import datetime as dt
import io

from openpyxl import load_workbook

from db.models import Declaration, Household, OutboundMessage, StaffUser
from gateway.services.staff import verify_password


def test_demo_loads_once_and_prints_a_login(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "households: 60 created" in first.output
    password = first.output.split("console login: admin / ")[1].strip()
    assert verify_password(StaffUser.get(StaffUser.username == "admin"), password)
    second = runner.invoke(args=["demo", "--password", "another-one"])
    assert "households: 0 created, 0 updated, 60 unchanged" in second.output
    assert Household.select().count() == 60


def test_staff_create(runner):
    runner.invoke(args=["demo"])
    result = runner.invoke(
        args=["staff", "create", "lan", "--commune", "DEMO", "--role", "viewer"],
        input="long-password\nlong-password\n",
    )
    assert result.exit_code == 0, result.output
    user = StaffUser.get(StaffUser.username == "lan")
    assert user.role == "viewer"
    assert verify_password(user, "long-password")
    assert [c.commune.code for c in user.communes] == ["DEMO"]
    bad = runner.invoke(
        args=["staff", "create", "x", "--commune", "NOPE", "--password", "12345678"]
    )
    assert bad.exit_code == 1
    assert "no such commune: NOPE" in bad.output


def test_report_daily_csv_counts_the_declarations_of_the_day(runner):
    runner.invoke(args=["demo"])
    day = dt.date(2026, 11, 23)
    households = list(Household.select().where(Household.code.in_(["AB001", "AB002", "AB021"])))
    for household, kind in zip(households, ["well", "symptoms", "symptoms"], strict=True):
        Declaration.create(
            commune=household.commune, household=household, local_date=day, kind=kind,
            people=2, channel="sms",
        )  # fmt: skip
    Declaration.create(
        commune=households[0].commune, household=households[0], local_date=day - dt.timedelta(1),
        kind="well", channel="sms",
    )  # fmt: skip
    result = runner.invoke(args=["report", "daily", "--date", "2026-11-23", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = {row["team"]: row for row in csv.DictReader(io.StringIO(result.output))}
    assert set(rows) == {"Thon Dong", "Thon Doai", "Thon Trung"}
    dong = rows["Thon Dong"]
    assert (dong["commune"], dong["households"], dong["declared"], dong["not_declared"]) == (
        "DEMO", "20", "2", "18",
    )  # fmt: skip
    assert dong["people_with_symptoms"] == "2"
    assert rows["Thon Doai"]["declared"] == "1"
    assert rows["Thon Trung"]["declared"] == "0"


def test_report_daily_xlsx(runner, tmp_path):
    runner.invoke(args=["demo"])
    out = tmp_path / "r.xlsx"
    result = runner.invoke(args=["report", "daily", "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("commune", "team", "households")
    assert sum(row[2] for row in rows[1:]) == 60


def test_messages_csv(runner):
    OutboundMessage.create(phone="+84912000001", text="Xin chao", segments=1)
    OutboundMessage.create(phone="+84912000002", text="Other", segments=1)
    result = runner.invoke(args=["messages", "--phone", "0912 000 001", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["direction"], r["phone"], r["text"], r["status"]) for r in rows] == [
        ("out", "+84912000001", "Xin chao", "queued")
    ]
    assert {"direction", "phone", "text", "status", "segments", "created_at"} <= set(rows[0])

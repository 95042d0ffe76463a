"""The audit trail: one line for every staff action that changes something or reads
health data in bulk, and each commune's trail seen only by those who answer for it."""

from __future__ import annotations

from db.models import AuditEntry, ReminderSchedule
from gateway.services.audit import ACTIONS
from tests.console.conftest import log_in, open_case, post
from tests.console.test_households import _edit
from tests.console.test_import import _confirm, _previewed
from tests.console.test_schedules import FORM


def entries(username: str) -> list[tuple[str, str | None]]:
    rows = AuditEntry.select().where(AuditEntry.username == username).order_by(AuditEntry.id)
    return [(row.action, row.commune.code if row.commune_id else None) for row in rows]


def test_every_audited_action_leaves_one_line_with_who_when_where_and_what(
    app, as_user, world, work
):
    assert log_in(app.test_client(), "admin", "wrong password").status_code == 401
    admin = as_user("admin")
    case = open_case(world.household)
    ab = "/console/c/AB"

    assert _edit(admin, world.quiet, head_name="Do Van Moi").status_code == 302
    csv_body = "commune_code,team,household_code,head_name\nAB,Thon Dong,AB050,Vu Thi Lan\n"
    _, address = _previewed(admin, work, csv_body.encode())
    assert "1 mới" in _confirm(admin, work, address)
    assert admin.get(f"{ab}/households/export.csv").status_code == 200
    assigned = {"member": world.leader.id, "households": [world.household.id]}
    assert post(admin, f"{ab}/teams/{world.team.id}/assign", assigned).status_code == 302
    assert admin.get(f"{ab}/cases/").status_code == 200
    assert post(admin, f"{ab}/cases/{case.id}/acknowledge").status_code == 302
    reassign = {"member": world.leader.id, "household_too": "y"}
    assert post(admin, f"{ab}/cases/{case.id}/reassign", reassign).status_code == 302
    assert post(admin, f"{ab}/cases/{case.id}/resolve", {"note": "ok"}).status_code == 302
    assert post(admin, f"{ab}/schedules/new", FORM).status_code == 302
    schedule = ReminderSchedule.get()
    assert post(admin, f"{ab}/schedules/{schedule.id}", FORM).status_code == 302
    assert post(admin, f"{ab}/budget/", {"segments": "5000"}).status_code == 302
    assert admin.get(f"{ab}/reports/").status_code == 200
    assert admin.get(f"{ab}/reports/daily.csv").status_code == 200
    assert admin.get(f"{ab}/messages/").status_code == 200

    in_ab = [
        "household_edit", "household_import", "household_export", "households_assign",
        "cases_list", "case_acknowledge", "case_reassign", "case_resolve", "schedule_create",
        "schedule_edit", "budget_edit", "report_view", "report_export", "messages_view",
    ]  # fmt: skip
    assert entries("admin") == [("login_failed", None), ("login", None)] + [
        (action, "AB") for action in in_ab
    ]
    assert {"login_failed", "login", *in_ab} == set(ACTIONS)
    edit = AuditEntry.get(AuditEntry.action == "household_edit")
    assert edit.detail == "AB002" and edit.staff.username == "admin" and edit.at is not None
    assert edit.address == "127.0.0.1"
    refused = AuditEntry.get(AuditEntry.action == "login_failed")
    assert (refused.username, refused.staff_id, refused.commune) == ("admin", edit.staff_id, None)
    assert "Đăng nhập bị từ chối" in trail(admin, "AB")
    assert AuditEntry.get(AuditEntry.action == "case_reassign").detail.startswith(f"case {case.id}")
    assert AuditEntry.get(AuditEntry.action == "budget_edit").detail == "5000"


def test_a_refused_change_is_not_recorded(as_user, world):
    viewer = as_user("viewer")
    case = open_case(world.household)
    assert post(viewer, f"/console/c/AB/cases/{case.id}/acknowledge").status_code == 403
    assert [a for a, _c in entries("viewer")] == ["login"]


def trail(client, code: str) -> str:
    """The rows of a commune's trail page (not its filter's options)."""
    page = client.get(f"/console/c/{code}/audit/").get_data(as_text=True)
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_each_trail_is_scoped_like_everything_else(app, as_user, world):
    admin, admin_cd, district = as_user("admin"), as_user("admin_cd"), as_user("district")
    admin.get("/console/c/AB/messages/")
    admin_cd.get("/console/c/CD/messages/?page=7")
    district.get("/console/c/CD/reports/")

    assert log_in(app.test_client(), "nobody", "guess").status_code == 401
    assert log_in(app.test_client(), "admin_cd", "guess").status_code == 401
    ab = trail(admin, "AB")
    assert "admin_cd" not in ab and "page 7" not in ab and "nobody" not in ab
    assert "<td>admin</td>" in ab and "<td>district</td>" in ab  # logins of those who reach AB
    assert "Đọc báo cáo ngày" not in ab  # the district user read CD's report, not AB's

    cd = trail(admin_cd, "CD")
    assert "out page 7" in cd and "Đọc báo cáo ngày" in cd and "Đọc nhật ký tin nhắn" in cd
    assert "<td>admin</td>" not in cd and "<td>district</td>" in cd
    assert "Đăng nhập bị từ chối" in cd and "nobody" not in cd

    assert admin_cd.get("/console/c/AB/audit/").status_code == 403
    assert district.get("/console/c/AB/audit/").status_code == 200
    assert "page 7" in trail(district, "CD")
    assert as_user("viewer").get("/console/c/AB/audit/").status_code == 403

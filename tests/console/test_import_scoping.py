"""An import stays inside the commune it was started from (issue 15), driven as the
attacker did: commune AB's admin imports files carrying commune CD's phones."""

from __future__ import annotations

from db.models import Household, HouseholdPhone, Member
from tests.console.test_households import _edit
from tests.console.test_i18n import _switch
from tests.console.test_import import _confirm, _previewed
from tests.gateway.test_import import write_csv

MEMBERS = "commune_code,team,name,phone,role,group,group_leader"
HOUSEHOLDS = "commune_code,team,household_code,head_name,phones,member_phone"
ELSEWHERE_VI = "số điện thoại này đã đăng ký ở nơi khác; hãy hỏi huyện"


def _file(header: str, *lines: str) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def _admin_cd_sees_nothing_moved(world) -> None:
    member = Member.get_by_id(world.foreign_member.id)
    assert (member.team_id, member.name) == (world.foreign_team.id, "Pham Van Xa")
    phone = HouseholdPhone.get(HouseholdPhone.phone == "+84912000101")
    assert phone.household_id == world.foreign_household.id


def test_a_members_file_cannot_take_another_communes_member(admin, world, work):
    body = _file(MEMBERS, "AB,Thon Dong,Hijacked,0988 000 101,member,1,no")
    page, address = _previewed(admin, work, body)
    assert ELSEWHERE_VI in page and "thêm mới 0" in page
    assert "Pham Van Xa" not in page and "+84988000101" not in page
    result = _confirm(admin, work, address)  # the commit runs the same rules
    assert ELSEWHERE_VI in result
    _admin_cd_sees_nothing_moved(world)


def test_a_households_file_with_another_communes_phone_names_nothing_of_it(admin, world, work):
    body = _file(HOUSEHOLDS, "AB,Thon Dong,AB050,Nguyen Van Moi,0912 000 101,")
    page, _ = _previewed(admin, work, body)
    assert f"<td>2</td><td>{ELSEWHERE_VI}</td>" in page
    assert "CD001" not in page and "+84912000101" not in page
    _admin_cd_sees_nothing_moved(world)


def test_a_member_of_another_commune_cannot_be_assigned(admin, world, work):
    body = _file(HOUSEHOLDS, "AB,Thon Dong,AB051,Nguyen Van Moi,,0988 000 101")
    page, _ = _previewed(admin, work, body)
    assert "member_phone +84988000101 không phải thành viên của xã này" in page
    assert "Pham Van Xa" not in page


def test_the_english_message_names_nothing_either(admin, world, work):
    _switch(admin, "en")
    page, _ = _previewed(admin, work, _file(HOUSEHOLDS, "AB,Thon Dong,AB050,Moi,0912000101,"))
    assert "this phone is registered elsewhere; ask the district" in page
    assert "CD001" not in page


def test_editing_a_household_with_another_communes_phone(admin, world):
    response = _edit(admin, world.quiet, phones="0912000101")
    text = response.get_data(as_text=True)
    assert ELSEWHERE_VI in text and "CD001" not in text
    _admin_cd_sees_nothing_moved(world)


def test_the_operator_cli_refuses_to_move_rows_across_communes_and_says_where(app, world, tmp_path):
    """The operator sees every commune, so the message names the other row; the
    row is still refused: a move across communes is done in the commune it leaves."""
    runner = app.test_cli_runner()
    members = write_csv(tmp_path / "m.csv", [
        MEMBERS.split(","), ["AB", "Thon Dong", "Hijacked", "0988 000 101", "member", "1", "no"],
    ])  # fmt: skip
    with app.app_context():
        result = runner.invoke(args=["import", str(members)])
    assert result.exit_code == 1
    assert "phone +84988000101 belongs to Pham Van Xa in commune CD" in result.output
    households = write_csv(tmp_path / "h.csv", [
        HOUSEHOLDS.split(","), ["AB", "Thon Dong", "AB050", "Moi", "0912 000 101", ""],
    ])  # fmt: skip
    with app.app_context():
        result = runner.invoke(args=["import", str(households)])
    assert "phone +84912000101 belongs to household CD001 in commune CD" in result.output
    _admin_cd_sees_nothing_moved(world)
    assert not Household.select().where(Household.code == "AB050").exists()

"""Teams and members, and assigning households to a member in bulk."""

from __future__ import annotations

from db.models import Household
from tests import factories
from tests.console.conftest import post


def test_teams_list_members_with_roles(admin, world):
    page = admin.get("/console/c/AB/teams/").get_data(as_text=True)
    assert "Thon Dong" in page and "Thon Doai" in page
    assert "Tran Van Truong" in page and "Tổ trưởng" in page
    assert page.index("Tran Van Truong") < page.index("Le Thi Hoa")  # the leader first


def test_bulk_assign_gives_ticked_households_to_the_member(admin, world):
    extra = [factories.household(world.team, f"AB1{n}") for n in range(3)]
    response = post(
        admin,
        f"/console/c/AB/teams/{world.team.id}/assign",
        {"member": world.leader.id, "households": [extra[0].id, extra[2].id]},
    )
    assert response.status_code == 302
    assert [Household.get_by_id(h.id).member_id for h in extra] == [
        world.leader.id,
        None,
        world.leader.id,
    ]
    page = admin.get(response.location).get_data(as_text=True)
    assert "Đã giao 2 hộ cho Tran Van Truong" in page


def test_bulk_assign_refuses_households_and_members_of_other_teams(admin, world):
    response = post(
        admin,
        f"/console/c/AB/teams/{world.team.id}/assign",
        {"member": world.leader.id, "households": [world.quiet.id, world.foreign_household.id]},
    )
    assert response.status_code == 302
    assert Household.get_by_id(world.quiet.id).member_id is None
    assert Household.get_by_id(world.foreign_household.id).member_id == world.foreign_member.id
    other_member = factories.member(world.other_team, "+84988000055", "Other")
    post(
        admin,
        f"/console/c/AB/teams/{world.team.id}/assign",
        {"member": other_member.id, "households": [world.household.id]},
    )
    assert Household.get_by_id(world.household.id).member_id == world.member.id


def test_viewer_sees_the_team_without_the_assign_button(as_user, world):
    page = as_user("viewer").get(f"/console/c/AB/teams/{world.team.id}").get_data(as_text=True)
    assert "AB001" in page
    assert 'name="households"' not in page

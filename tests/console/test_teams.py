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


def test_the_team_page_for_5000_households_stays_small_and_pages(admin, world):
    Household.insert_many(
        [
            {
                "commune": world.ab.id,
                "team": world.team.id,
                "code": f"AB9{n:04d}",
                "head_name": f"Nguyễn Văn Phương {n}",
                "village": "Thôn Đông",
            }
            for n in range(5000)
        ]
    ).execute()
    path = f"/console/c/AB/teams/{world.team.id}"
    first = admin.get(path)
    assert len(first.data) < 100_000, len(first.data)
    page = first.get_data(as_text=True)
    assert "5001 hộ" in page and "AB001" in page and "AB90098" in page
    assert "AB90099" not in page and "page=2" in page
    last = admin.get(f"{path}?page=51").get_data(as_text=True)
    assert "AB94999" in last and "AB001" not in last
    found = admin.get(f"{path}?q=phuong+4321").get_data(as_text=True)
    assert "AB94321" in found and "AB90001" not in found


def test_a_household_on_a_later_page_can_be_assigned(admin, world):
    extra = [factories.household(world.team, f"AB2{n:03d}") for n in range(120)]
    response = post(
        admin,
        f"/console/c/AB/teams/{world.team.id}/assign",
        {"member": world.leader.id, "households": [extra[-1].id]},
        page=f"/console/c/AB/teams/{world.team.id}?page=2",
    )
    assert response.status_code == 302
    assert Household.get_by_id(extra[-1].id).member_id == world.leader.id

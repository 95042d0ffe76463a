"""The console says who no SMS can reach, and lets an admin name the station's duty mobile."""

from __future__ import annotations

from db.models import Commune, HouseholdPhone
from tests import factories
from tests.console.conftest import post

STATION_PAGE = "/console/c/AB/station/"


def _landline_only(world):
    return factories.household(world.team, "AB003", ("+842043123456",), world.member)


def test_today_warns_when_the_station_has_no_duty_mobile(admin, world):
    page = admin.get("/console/c/AB/today/").get_data(as_text=True)
    assert 'id="no-duty-mobile"' in page and STATION_PAGE in page
    Commune.update(health_station_mobile="+84977000115").where(Commune.code == "AB").execute()
    page = admin.get("/console/c/AB/today/").get_data(as_text=True)
    assert 'id="no-duty-mobile"' not in page


def test_today_lists_the_households_no_sms_can_reach(admin, world):
    _landline_only(world)
    HouseholdPhone.delete().where(HouseholdPhone.phone == "+84912000002").execute()
    page = admin.get("/console/c/AB/today/").get_data(as_text=True)
    unreachable = page.split('id="no-sms"')[1].split("</section>")[0]
    assert "AB003" in unreachable and "AB002" in unreachable and "AB001" not in unreachable
    assert "CD001" not in unreachable


def test_the_household_page_shows_each_phones_kind_and_who_gets_sms(admin, world):
    household = _landline_only(world)
    HouseholdPhone.create(household=world.household, phone="+842043123457", kind="landline")
    mixed = admin.get(f"/console/c/AB/households/{world.household.id}").get_data(as_text=True)
    phones = mixed.split('id="phones"')[1].split("</section>")[0]
    assert "+84912000001" in phones and "Di động" in phones and "có" in phones
    assert "+842043123457" in phones and "không: gọi điện, không nhắn tin" in phones
    landline = admin.get(f"/console/c/AB/households/{household.id}").get_data(as_text=True)
    assert "Hộ này không nhận được tin nhắn" in landline
    listing = admin.get("/console/c/AB/households/?q=AB003").get_data(as_text=True)
    assert "không nhận tin" in listing and "máy bàn" in listing


def test_an_admin_sets_and_clears_the_duty_mobile(admin, world):
    response = post(admin, STATION_PAGE, {"duty_mobile": "0977 000 115"}, page=STATION_PAGE)
    assert response.status_code == 302
    assert Commune.get(Commune.code == "AB").health_station_mobile == "+84977000115"
    assert Commune.get(Commune.code == "CD").health_station_mobile is None
    post(admin, STATION_PAGE, {"duty_mobile": ""}, page=STATION_PAGE)
    assert Commune.get(Commune.code == "AB").health_station_mobile is None


def test_a_landline_or_a_bad_number_is_refused_with_the_reason(admin, world):
    for typed, reason in (("0204 3878 115", "landline"), ("0977", "too short")):
        response = post(admin, STATION_PAGE, {"duty_mobile": typed}, page=STATION_PAGE)
        assert response.status_code == 200
        assert reason in response.get_data(as_text=True)
    assert Commune.get(Commune.code == "AB").health_station_mobile is None


def test_only_a_commune_admin_may_set_it(as_user, world):
    viewer = as_user("viewer")
    assert viewer.get(STATION_PAGE).status_code == 403
    assert post(viewer, STATION_PAGE, {"duty_mobile": "0977 000 115"}).status_code == 403
    district = as_user("district")
    assert post(district, STATION_PAGE, {"duty_mobile": "0977 000 115"}).status_code == 403
    other = as_user("admin_cd")
    assert other.get(STATION_PAGE).status_code == 403
    assert Commune.get(Commune.code == "AB").health_station_mobile is None

"""Who can be reached by SMS: households without a mobile, and the station's duty mobile.

Only a mobile reads an SMS (``HouseholdPhone.kind``, from ``phonenumbers``).
A household with a landline only or no phone at all is never texted: its
member calls or visits it, and staff need to see which households those are.
The health station's alerts go to the commune's duty mobile
(:func:`gateway.services.ladder.station_mobile`); without one, the ladder's
top rung is skipped, so the console warns about it.
"""

from __future__ import annotations

from peewee import ModelSelect

from db.models import Commune, Household, HouseholdPhone
from flows.phones import MOBILE, InvalidPhone, number_kind, to_e164


def households_with_a_mobile(commune_id: int) -> ModelSelect:
    """Ids of the commune's households that have at least one mobile, as a subquery."""
    return (
        HouseholdPhone.select(HouseholdPhone.household)
        .join(Household)
        .where(Household.commune == commune_id, HouseholdPhone.kind == MOBILE)
    )


def unreachable(commune_id: int) -> ModelSelect:
    """Confirmed households of the commune that no SMS can reach."""
    return Household.select().where(
        Household.commune == commune_id,
        Household.state == "confirmed",
        Household.id.not_in(households_with_a_mobile(commune_id)),
    )


def set_duty_mobile(commune: Commune, raw: str, region: str) -> str | None:
    """Name (or, with an empty ``raw``, clear) the station's duty mobile.

    Raises:
        InvalidPhone: the number cannot be read, or is not a mobile.
    """
    phone = to_e164(raw, region) if raw.strip() else None
    if phone is not None and number_kind(phone) != MOBILE:
        raise InvalidPhone("not a mobile number: a landline cannot receive SMS")
    Commune.update(health_station_mobile=phone).where(Commune.id == commune.id).execute()
    return phone

"""What a household can tell its team, shared by the USSD menu and the SMS grammar.

One vocabulary for both channels keeps a declaration made by text and one made
by USSD indistinguishable once stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Symptom(IntEnum):
    """Numbered as on the USSD screen and in the SMS grammar (SPEC §4)."""

    FEVER = 1
    COUGH = 2
    SHORT_OF_BREATH = 3
    SORE_THROAT = 4
    LOST_TASTE_SMELL = 5
    TIRED_ACHING = 6


class Kind(StrEnum):
    """The main menu's choices that record something."""

    WELL = "well"
    SYMPTOMS = "symptoms"
    ARRIVAL = "arrival"
    POSITIVE = "positive"
    CONTACT = "contact"
    HELP = "help"


class Contact(StrEnum):
    F0 = "F0"
    F1 = "F1"
    F2 = "F2"


class Need(StrEnum):
    FOOD = "food"
    MEDICINE = "medicine"
    OTHER = "other"


RED_FLAG_TEMPERATURE_TENTHS = 390


@dataclass(frozen=True)
class Report:
    """One declaration as the household gave it.

    Temperature is kept in tenths of a degree (``385`` = 38.5 °C) because that
    is how it is typed on a keypad and it avoids floats in comparisons.
    """

    kind: Kind
    people: int | None = None
    symptoms: frozenset[Symptom] = field(default_factory=frozenset)
    temperature_tenths: int | None = None
    contact: Contact | None = None
    arrived_from: str | None = None
    arrived_days_ago: int | None = None
    needs: frozenset[Need] = field(default_factory=frozenset)

    @property
    def urgent(self) -> bool:
        """Everything but "all well" opens a case (SPEC §6)."""
        return self.kind is not Kind.WELL

    @property
    def red_flag(self) -> bool:
        """Shortness of breath, a positive test, or 39 °C and above (SPEC §4)."""
        return (
            Symptom.SHORT_OF_BREATH in self.symptoms
            or self.contact is Contact.F0
            or self.kind is Kind.POSITIVE
            or (
                self.temperature_tenths is not None
                and self.temperature_tenths >= RED_FLAG_TEMPERATURE_TENTHS
            )
        )

    @property
    def monitoring_days(self) -> int:
        """Arrivals and contacts are watched for 14 days (DOMAIN.md, seed 004)."""
        return 14 if self.kind in (Kind.ARRIVAL, Kind.CONTACT) else 0


LANGUAGES = ("vi", "vi-accents", "en")
"""Household languages. ``vi`` is Vietnamese without diacritics: it fits GSM-7,
so a text stays one 160-character segment and USSD screens show it reliably."""

"""Words for the codes stored in the database, in the reader's language.

The database keeps stable English codes (``smartphone_group``, ``team_leader``);
staff read them here, translated. A code with no label is shown as it is, so a
new code added elsewhere is visible rather than blank.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from flows.report import Symptom

PHONE_KINDS: dict[str, LazyString] = {
    "smartphone_group": _l("Smartphone in the team's group"),
    "smartphone": _l("Smartphone, not in the group"),
    "basic": _l("Basic phone"),
    "landline": _l("Landline only"),
    "none": _l("No phone"),
}
LANGUAGES = {
    "vi": _l("Vietnamese without diacritics"),
    "vi-accents": _l("Vietnamese with diacritics"),
    "en": _l("English"),
}
AUDIENCES = {
    "all": _l("All households"),
    "not_declared": _l("Households not declared today"),
    "monitoring": _l("Households under monitoring"),
    "team": _l("One team's households"),
    "members": _l("Every member (their households not declared)"),
    "group_leaders": _l("Group leaders (roll-up)"),
    "team_leaders": _l("Team leaders (roll-up)"),
}
RUNGS = {
    "member": _l("Member"),
    "group_leader": _l("Group leader"),
    "team_leader": _l("Team leader"),
    "health_station": _l("Health station"),
}
CASE_STATES = {
    "open": _l("Open"),
    "acknowledged": _l("Acknowledged"),
    "resolved": _l("Resolved"),
}
KINDS = {
    "well": _l("Everyone well"),
    "symptoms": _l("Symptoms"),
    "arrival": _l("Arrival from elsewhere"),
    "positive": _l("Positive test"),
    "contact": _l("Close contact"),
    "help": _l("Needs help"),
}
SYMPTOMS = {
    Symptom.FEVER: _l("fever"),
    Symptom.COUGH: _l("cough"),
    Symptom.SHORT_OF_BREATH: _l("shortness of breath"),
    Symptom.SORE_THROAT: _l("sore throat"),
    Symptom.LOST_TASTE_SMELL: _l("loss of taste or smell"),
    Symptom.TIRED_ACHING: _l("tiredness, body ache"),
}
MEMBER_ROLES = {
    "leader": _l("Team leader"),
    "deputy": _l("Deputy"),
    "health": _l("Health worker"),
    "police": _l("Village police"),
    "member": _l("Member"),
}
EVENTS = {
    "opened": _l("opened"),
    "notified": _l("alert sent"),
    "escalated": _l("escalated"),
    "acknowledged": _l("acknowledged"),
    "resolved": _l("resolved"),
    "reassigned": _l("reassigned"),
    "assigned": _l("placed in a commune"),
    "skipped": _l("not texted: no mobile"),
}
STAFF_ROLES = {
    "admin": _l("Commune admin"),
    "viewer": _l("Viewer"),
    "district": _l("District"),
}
WEEKDAYS = {
    "1": _l("Mon"),
    "2": _l("Tue"),
    "3": _l("Wed"),
    "4": _l("Thu"),
    "5": _l("Fri"),
    "6": _l("Sat"),
    "7": _l("Sun"),
}
REPORT_COLUMNS = {
    "commune": _l("Commune"),
    "team": _l("Team"),
    "households": _l("Households"),
    "declared": _l("Declared"),
    "declared_on_time": _l("Declared by 14:00"),
    "not_declared": _l("Not declared"),
    "people_with_symptoms": _l("People with symptoms"),
    "open_cases": _l("Open cases"),
    "phone_smartphone_group": _l("Smartphone in group"),
    "phone_smartphone": _l("Smartphone"),
    "phone_basic": _l("Basic phone"),
    "phone_landline": _l("Landline"),
    "phone_none": _l("No phone"),
}
HOUSEHOLD_STATES = {"pending": _l("Pending confirmation"), "confirmed": _l("Confirmed")}


def choices(labels: dict[str, LazyString], codes: tuple[str, ...]) -> list[SelectChoice]:
    """Select options for ``codes`` in their stored order, labelled."""
    return [SelectChoice(code, labels.get(code, code)) for code in codes]


def symptoms(stored: str) -> str:
    """``"1,3"`` as words."""
    words = []
    for part in stored.split(","):
        if part.isdigit() and int(part) in Symptom._value2member_map_:
            words.append(str(SYMPTOMS[Symptom(int(part))]))
    return ", ".join(words)


IMPORT_KINDS = {"households": _l("households"), "members": _l("members")}

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
    "cases_today": _l("Cases opened today"),
    "cases_symptoms": _l("Cases: symptoms"),
    "cases_arrival": _l("Cases: arrivals"),
    "cases_positive": _l("Cases: positive tests"),
    "cases_contact": _l("Cases: close contacts"),
    "cases_help": _l("Cases: needs help"),
    "cases_open": _l("Today's cases still open"),
    "cases_acknowledged": _l("Today's cases acknowledged"),
    "cases_resolved": _l("Today's cases resolved"),
    "arrivals": _l("Arrivals"),
    "arrivals_within_24h": _l("Arrivals declared within 24 h"),
    "under_monitoring": _l("Under monitoring"),
    "median_ack_minutes": _l("Median minutes to acknowledge"),
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


DELIVERY_STATES = {
    "queued": _l("queued"),
    "sending": _l("sending"),
    "sent": _l("sent"),
    "submitted": _l("handed to the network"),
    "buffered": _l("waiting on the network"),
    "success": _l("delivered"),
    "failed": _l("failed"),
    "rejected": _l("rejected"),
    "expired": _l("expired"),
}
FAILURE_REASONS = {
    # Africa's Talking's delivery report reasons.
    "InsufficientCredit": _l("the account is out of credit"),
    "InvalidLinkId": _l("the reply link had expired"),
    "UserIsInactive": _l("the subscriber is inactive"),
    "UserInBlackList": _l("the subscriber blocks promotional messages"),
    "UserAccountSuspended": _l("the subscriber's line is suspended"),
    "NotNetworkSubcriber": _l("the number is not on this network"),
    "UserNotSubscribedToProduct": _l("the subscriber is not subscribed"),
    "UserDoesNotExist": _l("the number does not exist"),
    "DeliveryFailure": _l("the network could not deliver it"),
    "RejectedByGateway": _l("rejected by the gateway"),
    # Written by the workers themselves.
    "expired before it could be sent": _l("expired before it could be sent"),
    "unknown after worker death": _l("unknown: the sending worker stopped"),
    "rejected": _l("rejected by the provider"),
}
INBOUND_OUTCOMES = {
    "received": _l("received"),
    "ignored": _l("ignored"),
    "handled": _l("handled"),
    "duplicate": _l("duplicate, already handled"),
    "throttled": _l("too many messages, not handled"),
    "no_commune": _l("no commune for this number"),
    "unknown_household": _l("unknown household"),
    "not_a_member": _l("sender is not a team member"),
    "unknown_case": _l("unknown case"),
    "unknown_team": _l("unknown team"),
}

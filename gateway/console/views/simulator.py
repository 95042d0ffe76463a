"""A USSD phone for training, driving the real webhook.

The page's keypad posts each answer here, and this view posts it, as Africa's
Talking would, to ``/webhooks/africastalking/ussd`` inside the same app: the
menus, the records and the SMS are the real ones, and a trainee sees exactly
what a household sees. Relaying through the console rather than letting the
browser call the webhook keeps the webhook token on the server and lets the
console check that the phone belongs to this commune: a trainer cannot
declare for another commune's household. Only admins may press keys here,
because a simulated declaration is a real one.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.test import Client
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from db.models import Household, HouseholdPhone, Member, Team
from gateway.console.forms import SimulatorForm
from gateway.console.household_query import matches
from gateway.console.scoping import commune, scoped

bp = Blueprint("simulator", __name__, url_prefix="/simulator")

WEBHOOK = "/webhooks/africastalking/ussd"
TRAINING_CODE = "*384*123#"
NETWORK = "45204"


PICKER_SIZE = 50
"""Household phones offered at once: a commune of 5,000 households is searched, not listed."""


def _phones(q: str) -> list[tuple[str, str]]:
    """The household phones matching ``q`` (the first ones without it) and every member's:
    the only phones the simulator dials from."""
    households = (
        scoped(HouseholdPhone.select(HouseholdPhone, Household), HouseholdPhone)
        .join(Household)
        .order_by(Household.code)
    )
    if q:
        households = households.where(matches(q))
    members = scoped(Member.select(Member, Team), Member).join(Team).order_by(Member.name)
    return [
        (row.phone, f"{_('Household')} {row.household.code} · {row.household.head_name}")
        for row in households.limit(PICKER_SIZE)
    ] + [(m.phone, f"{_('Member')} {m.name} · {m.team.name}") for m in members]


def _in_commune(phone: str) -> bool:
    """Whether ``phone`` is a household's or a member's of this commune."""
    return (
        scoped(HouseholdPhone.select(), HouseholdPhone)
        .where(HouseholdPhone.phone == phone)
        .exists()
        or scoped(Member.select(), Member).where(Member.phone == phone).exists()
    )


@bp.get("/")
def index() -> str:
    q = request.args.get("q", "").strip()[:100]
    form = SimulatorForm()
    form.phone.choices = [SelectChoice(phone, f"{phone} — {label}") for phone, label in _phones(q)]
    return render_template(
        "console/simulator.html", form=form, q=q, code=commune().ussd_code or TRAINING_CODE
    )


def _post(path: str, fields: dict[str, str]) -> Response:
    """One request through the whole app, token check included, as the provider sends it."""
    token = current_app.config["SETTINGS"].webhook_token
    client = Client(current_app._get_current_object())  # type: ignore[attr-defined]
    return client.post(path, data=fields, query_string={"token": token} if token else None)


@bp.post("/ussd")
def ussd() -> Response | tuple[Response, int]:
    """Relay one step of the session; ``{"end": bool, "text": str}`` for the screen."""
    form = SimulatorForm()
    submitted = request.form.get("phone", "")
    form.phone.choices = [SelectChoice(submitted, submitted)] if _in_commune(submitted) else []
    if not form.validate_on_submit():
        return jsonify(error=_("This phone is not in the commune.")), 400
    fields = {
        "sessionId": form.session_id.data,
        "serviceCode": commune().ussd_code or TRAINING_CODE,
        "phoneNumber": form.phone.data,
        "text": (form.text.data or "").replace(" ", ""),
        "networkCode": NETWORK,
    }
    answer = _post(WEBHOOK, fields)
    body = answer.get_data(as_text=True)
    if answer.status_code != 200 or body[:4] not in ("CON ", "END "):
        abort(502)
    end = body.startswith("END ")
    if end:
        # What Africa's Talking sends when a session ends normally.
        _post(
            WEBHOOK + "/events",
            {
                "sessionId": fields["sessionId"],
                "phoneNumber": fields["phoneNumber"],
                "status": "Success",
            },
        )
    return jsonify(end=end, text=body[4:])

"""The health station's duty mobile: where its red-flag alerts are texted.

A station's own number is often a landline, and a landline never gets an SMS,
so a commune admin names the mobile the station's duty officer carries.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from flows.phones import InvalidPhone
from gateway.console.forms import DutyMobileForm
from gateway.console.scoping import admin_required, commune
from gateway.services import ladder, sms_reach

bp = Blueprint("station", __name__, url_prefix="/station")


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index() -> str | Response:
    form = DutyMobileForm(data={"duty_mobile": commune().health_station_mobile or ""})
    if form.validate_on_submit():
        region = current_app.config["SETTINGS"].default_region
        try:
            sms_reach.set_duty_mobile(commune(), form.duty_mobile.data or "", region)
        except InvalidPhone as exc:
            message = _("Not a mobile number we can text (%(reason)s).", reason=exc.reason)
            form.duty_mobile.errors = [*form.duty_mobile.errors, message]
        else:
            flash(_("The health station's duty mobile is saved."), "success")
            return redirect(url_for("console.commune.today.index"))
    return render_template(
        "console/station.html", form=form, texted=ladder.station_mobile(commune())
    )

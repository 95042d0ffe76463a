"""Every console form, with Flask-WTF: each one carries and checks a CSRF token.

Choices that depend on the commune (teams, members) are filled by the view
from scoped queries, so a form can never offer, or accept, another commune's rows.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from db.models import AUDIENCES, PHONE_KINDS
from flows.reminder_texts import unknown_placeholders
from flows.reminders import ScheduleError, parse_time, parse_times
from flows.report import LANGUAGES
from gateway.console import labels
from gateway.console.form_messages import TRANSLATIONS


class ConsoleForm(FlaskForm):
    """Every console form: its validation messages come from the console's catalog."""

    class Meta:
        def get_translations(self, form: FlaskForm) -> object:
            return TRANSLATIONS


class ActionForm(ConsoleForm):
    """A button that changes something: nothing to fill in but the CSRF token."""


class LoginForm(ConsoleForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class LanguageForm(ConsoleForm):
    lang = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class HouseholdForm(ConsoleForm):
    head_name = StringField(_l("Head of household"), validators=[DataRequired(), Length(max=100)])
    village = StringField(_l("Village"), validators=[Optional(), Length(max=100)])
    people = IntegerField(_l("People"), validators=[DataRequired(), NumberRange(1, 99)])
    phones = StringField(
        _l("Phones (separated by ;)"), validators=[Optional(), Length(max=200)], filters=[str.strip]
    )
    phone_kind = SelectField(
        _l("Phone kind"), choices=labels.choices(labels.PHONE_KINDS, PHONE_KINDS)
    )
    language = SelectField(_l("Language"), choices=labels.choices(labels.LANGUAGES, LANGUAGES))
    team = SelectField(_l("Team"), coerce=int)
    member = SelectField(_l("Assigned member"), coerce=int)
    confirmed = BooleanField(_l("Confirmed by staff"))
    opted_out = BooleanField(_l("No reminders (opted out)"))


class DutyMobileForm(ConsoleForm):
    duty_mobile = StringField(
        _l("Duty mobile of the health station"), validators=[Optional(), Length(max=40)]
    )


class ImportForm(ConsoleForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[FileRequired(), FileAllowed(["csv", "xlsx"], _l("Only .csv or .xlsx files."))],
    )


class ConfirmImportForm(ConsoleForm):
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AssignForm(ConsoleForm):
    member = SelectField(_l("Assign to member"), coerce=int)
    households = MultiCheckboxField(_l("Households"), coerce=int, validators=[DataRequired()])


# Times are read by the dispatcher's own parser (flows.reminders), so what the
# console accepts is exactly what the dispatcher can run, stored as HH:MM.


def _times(form: FlaskForm, field: StringField) -> None:
    try:
        times = parse_times(field.data or "")
    except ScheduleError as exc:
        raise ValidationError(_l("Times are HH:MM, separated by commas (07:30, 12:30).")) from exc
    field.data = ",".join(time.strftime("%H:%M") for time in times)


def _hhmm(form: FlaskForm, field: StringField) -> None:
    try:
        time = parse_time(field.data)
    except ScheduleError as exc:
        raise ValidationError(_l("Use HH:MM, for example 21:00.")) from exc
    field.data = time.strftime("%H:%M") if time else ""


def _placeholders(form: FlaskForm, field: TextAreaField) -> None:
    unknown = unknown_placeholders(field.data or "")
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        raise ValidationError(_l("Unknown placeholder: %(names)s", names=names))


class ScheduleForm(ConsoleForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    audience = SelectField(_l("Who gets it"), choices=labels.choices(labels.AUDIENCES, AUDIENCES))
    team = SelectField(_l("Team (when the audience is one team)"), coerce=int)
    times = StringField(_l("Times (HH:MM, commas between)"), validators=[_times])
    weekdays = MultiCheckboxField(
        _l("Weekdays"),
        choices=labels.choices(labels.WEEKDAYS, tuple(labels.WEEKDAYS)),
        validators=[DataRequired()],
    )
    template = TextAreaField(
        _l("Message"), validators=[DataRequired(), Length(max=480), _placeholders]
    )
    quiet_start = StringField(_l("Quiet hours from"), validators=[Optional(), _hhmm])
    quiet_end = StringField(_l("Quiet hours until"), validators=[Optional(), _hhmm])
    deadline = StringField(_l("Not worth sending after"), validators=[Optional(), _hhmm])
    active = BooleanField(_l("Active"), default=True)

    def validate_team(self, field: SelectField) -> None:
        if self.audience.data == "team" and not field.data:
            raise ValidationError(_l("Choose the team."))

    def validate(self, extra_validators: dict | None = None) -> bool:
        # Across two fields, and one of them may be empty, which stops its own validators.
        valid = super().validate(extra_validators)
        if bool(self.quiet_start.data) != bool(self.quiet_end.data):
            self.quiet_end.errors = [
                *self.quiet_end.errors,
                _l("Give both ends of the quiet hours, or neither."),
            ]
            return False
        return valid


class ResolveForm(ConsoleForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])


class ReassignForm(ConsoleForm):
    member = SelectField(_l("New member"), coerce=int)
    household_too = BooleanField(_l("Also make them the household's member"), default=True)


class SimulatorForm(ConsoleForm):
    """One keypress of the simulated phone; the browser keeps the session's answers."""

    phone = SelectField(_l("Phone"))
    session_id = StringField(validators=[DataRequired(), Regexp(r"^sim-[A-Za-z0-9]{8,40}$")])
    text = StringField(validators=[Optional(), Length(max=200), Regexp(r"^[0-9*# ]*$")])

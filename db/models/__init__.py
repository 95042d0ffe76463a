"""Every model of the domain, importable from one place."""

from db.models.audit import AuditEntry
from db.models.cases import CASE_STATES, RUNGS, Case, CaseEvent
from db.models.declarations import Declaration, MonitoringPeriod
from db.models.geography import MEMBER_ROLES, Commune, Group, Member, Team
from db.models.households import HOUSEHOLD_STATES, PHONE_KINDS, Household, HouseholdPhone
from db.models.imports import IMPORT_STATES, ImportRun
from db.models.messages import InboundMessage, OutboundMessage
from db.models.retention import DailyTeamCount
from db.models.schedules import AUDIENCES, ReminderSchedule, ScheduleRun
from db.models.staff import STAFF_ROLES, StaffCommune, StaffUser

MODELS = [
    Commune,
    Team,
    Group,
    Member,
    Household,
    HouseholdPhone,
    Declaration,
    MonitoringPeriod,
    Case,
    CaseEvent,
    InboundMessage,
    OutboundMessage,
    ReminderSchedule,
    ScheduleRun,
    StaffUser,
    StaffCommune,
    AuditEntry,
    DailyTeamCount,
    ImportRun,
]

__all__ = [
    "AUDIENCES",
    "CASE_STATES",
    "HOUSEHOLD_STATES",
    "IMPORT_STATES",
    "MEMBER_ROLES",
    "MODELS",
    "PHONE_KINDS",
    "RUNGS",
    "STAFF_ROLES",
    "AuditEntry",
    "Case",
    "CaseEvent",
    "Commune",
    "DailyTeamCount",
    "Declaration",
    "Group",
    "Household",
    "HouseholdPhone",
    "ImportRun",
    "InboundMessage",
    "Member",
    "MonitoringPeriod",
    "OutboundMessage",
    "ReminderSchedule",
    "ScheduleRun",
    "StaffCommune",
    "StaffUser",
    "Team",
]

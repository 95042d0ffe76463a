"""USSD menus for households, team members and unknown numbers (SPEC §4).

The web layer calls :func:`step` with Africa's Talking's ``text`` and a
:class:`Context` it loaded, carries out ``Screen.effects``, answers
``CON``/``END`` + ``Screen.text`` (an END screen's text rebuilt by
:func:`after_store` from what was stored) and saves ``Screen.answers`` for a resume.
"""

from flows.ussd.confirm import Stored, after_store
from flows.ussd.context import Context
from flows.ussd.engine import Screen
from flows.ussd.menu import step
from flows.ussd.recording import ABROAD, OTHER_PROVINCE

__all__ = [
    "ABROAD",
    "OTHER_PROVINCE",
    "Context",
    "Screen",
    "Stored",
    "after_store",
    "step",
]

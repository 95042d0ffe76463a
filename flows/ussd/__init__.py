"""USSD menus for households, team members and unknown numbers (SPEC §4).

The web layer calls :func:`step` with Africa's Talking's ``text`` and a
:class:`Context` it loaded, answers ``CON``/``END`` + ``Screen.text``, carries
out ``Screen.effects`` and saves ``Screen.answers`` for a resume.
"""

from flows.ussd.context import Context
from flows.ussd.engine import Screen
from flows.ussd.menu import step
from flows.ussd.recording import ABROAD, OTHER_PROVINCE

__all__ = ["ABROAD", "OTHER_PROVINCE", "Context", "Screen", "step"]

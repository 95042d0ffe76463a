"""WTForms' own messages ("This field is required.") in the reader's language.

WTForms ships no Vietnamese catalog, so its messages are looked up in the
console's catalog instead, through Flask-Babel's locale for the request. The
lookup returns the unformatted text: WTForms fills ``%(max)d`` itself.
"""

from __future__ import annotations

from flask import has_request_context
from flask_babel import get_translations


class ConsoleTranslations:
    """The ``gettext``/``ngettext`` pair WTForms asks a form's ``Meta`` for."""

    def gettext(self, string: str) -> str:
        if not has_request_context():
            return string
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if not has_request_context():
            return singular if n == 1 else plural
        return get_translations().ungettext(singular, plural, n)


TRANSLATIONS = ConsoleTranslations()

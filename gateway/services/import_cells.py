"""Reading one cell of an import row: each reader returns a value or raises RowError.

The messages are message ids (translated for the console, see
:mod:`gateway.services.import_report`); their English is what the CLI prints.
"""

from __future__ import annotations

import unicodedata

from flows.phones import InvalidPhone, phone_and_kind
from gateway.services.import_report import RowError

YES = {"yes", "y", "true", "1", "x", "co", "có"}
NO = {"", "no", "n", "false", "0", "khong", "không"}


def phone(raw: str, column: str, region: str) -> str:
    return phone_with_kind(raw, column, region)[0]


def phone_with_kind(raw: str, column: str, region: str) -> tuple[str, str]:
    """The phone in E.164 and whether it is a mobile or a landline."""
    try:
        return phone_and_kind(raw, region)
    except InvalidPhone as exc:
        raise RowError(
            "%(column)s '%(value)s': %(reason)s", column=column, value=raw, reason=exc.reason
        ) from exc


def phones(raw: str, column: str, region: str) -> dict[str, str]:
    """Several phones separated by ``;``, each once, in the order written, with their kinds."""
    return dict(
        phone_with_kind(part.strip(), column, region) for part in raw.split(";") if part.strip()
    )


def people(raw: str) -> int:
    if not raw:
        return 1
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 99:
        raise RowError("people '%(value)s' must be a whole number from 1 to 99", value=raw)
    return int(raw)


def choice(raw: str, allowed: tuple[str, ...], column: str) -> str:
    value = raw.strip().lower()
    if value not in allowed:
        raise RowError(
            "%(column)s '%(value)s' is not one of %(allowed)s",
            column=column,
            value=raw,
            allowed=", ".join(allowed),
        )
    return value


def yes_no(raw: str, column: str) -> bool:
    value = raw.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError("%(column)s '%(value)s' must be yes or no", column=column, value=raw)


def required(row: dict[str, str], *columns: str) -> None:
    missing = [column for column in columns if not row.get(column)]
    if missing:
        raise RowError("%(columns)s must not be empty", columns=", ".join(missing))


def plain(name: str) -> str:
    """A name without accents or case, to tell "Thôn Đông" and "thon dong" are one team."""
    decomposed = unicodedata.normalize("NFD", name.casefold().replace("đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())

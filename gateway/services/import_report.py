"""What an import did, row by row, in words that can be shown in any language.

A problem is kept as an English message id with its values, not as a finished
sentence: the console renders it in the reader's language (the ``.po`` holds
the Vietnamese), the CLI prints the English, and a report stored between a
preview and its commit keeps the ids, so a user who switches language sees the
same report in the other language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

Translate = Callable[..., str]
"""``gettext(message, **values)``: Flask-Babel's, or :func:`english`."""

TRANSLATED_VALUES = ("reason",)
"""Values that are message ids themselves (a phone's parse reason), translated too."""


def english(message: str, **values: Any) -> str:
    return message % values if values else message


@dataclass(frozen=True)
class Problem:
    """One row's error or warning; ``row`` 0 is about the whole file."""

    row: int
    message: str
    values: dict[str, Any] = field(default_factory=dict)

    def render(self, translate: Translate = english) -> str:
        values = {
            name: translate(value) if name in TRANSLATED_VALUES else value
            for name, value in self.values.items()
        }
        return translate(self.message, **values)

    def __str__(self) -> str:
        return self.render()


class RowError(ValueError):
    """Why a row was not imported: a message id and its values (see :class:`Problem`)."""

    def __init__(self, message: str, **values: Any) -> None:
        super().__init__(english(message, **values))
        self.message = message
        self.values = values

    def at(self, row: int) -> Problem:
        return Problem(row, self.message, self.values)


@dataclass
class Unreachable:
    """A household no SMS can reach: only landlines, or no phone at all."""

    row: int
    household_code: str
    why: str
    """``landline`` or ``none``."""


@dataclass
class ImportReport:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unreachable: list[Unreachable] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportReport:
        return cls(
            kind=data["kind"],
            created=data["created"],
            updated=data["updated"],
            unchanged=data["unchanged"],
            errors=[Problem(**p) for p in data["errors"]],
            warnings=[Problem(**p) for p in data["warnings"]],
            unreachable=[Unreachable(**u) for u in data["unreachable"]],
        )

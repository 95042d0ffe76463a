"""Search that ignores Vietnamese diacritics and case, the same on SQLite and PostgreSQL.

Staff type "Phuong" on a phone keyboard for "Phương". Both sides of a comparison
are folded: the typed text in Python with :func:`fold`, the column in SQL with
:func:`folded`: PostgreSQL's built-in ``translate()`` with one table of
characters, SQLite a ``fold()`` function registered on each connection from the
same table. Folding in SQL keeps every writer (imports, USSD registration, the
console) free of a derived column to keep in step.
"""

from __future__ import annotations

import unicodedata

from peewee import DatabaseProxy, Expression, Field, SqliteDatabase, fn


def _base(char: str) -> str:
    if char in "Đđ":
        return "d"
    return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))


def _table() -> tuple[str, str]:
    """Every Latin letter with diacritics Vietnamese uses, and A-Z, to its plain lower case."""
    source, target = [], []
    for code in (*range(ord("A"), ord("Z") + 1), *range(0xC0, 0x250), *range(0x1EA0, 0x1EFA)):
        char = chr(code)
        base = _base(char).lower()
        if len(base) == 1 and base.isascii() and base.isalpha() and char != base:
            source.append(char)
            target.append(base)
    return "".join(source), "".join(target)


FOLD_FROM, FOLD_TO = _table()
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)


def fold(text: str) -> str:
    """``"Phương Đông"`` → ``"phuong dong"``; precomposed or combining input alike."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def folded(column: Field) -> Expression:
    """``column`` folded in SQL as :func:`fold` folds Python text."""
    database = column.model._meta.database
    if isinstance(database, DatabaseProxy):
        database = database.obj
    if isinstance(database, SqliteDatabase):
        return fn.fold(column)
    return fn.translate(column, FOLD_FROM, FOLD_TO)


def register(db: SqliteDatabase) -> None:
    """Give a SQLite database the ``fold()`` function :func:`folded` calls."""
    db.register_function(fold, "fold", 1, deterministic=True)

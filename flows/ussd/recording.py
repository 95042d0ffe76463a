"""The paths that record a report, shared by all three callers' menus.

A household, a member declaring for a household and an unknown number answer
the same screens; only what happens at the end differs, so each menu passes
its own ``finish``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from flows.effects import SetLanguage
from flows.report import Contact, Kind, Need, Report, Symptom
from flows.ussd.confirm import done
from flows.ussd.engine import Ask, Done, choice, number
from flows.ussd.fit import clean, numbered
from flows.ussd.lists import LABEL, pick
from flows.ussd.texts import EN, VI, Texts

OTHER_PROVINCE = "other province"
ABROAD = "abroad"
"""``Report.arrived_from`` for the two entries after ``Context.places``."""

MAX_PEOPLE = 99
MAX_TYPED = 40
"""Longer than anyone types on a keypad for a multi-select: garbage, not a choice."""
SEPARATORS = re.compile(r"[\s,.;+-]")
TEMPERATURE = re.compile(r"([0-9]{2})(?:[.,]([0-9]))?|([0-9]{3})")
LOWEST, HIGHEST = 340, 429
"""Tenths of a degree a thermometer can show on a person; anything else is a typo."""

CONTACTS = {
    1: (Kind.POSITIVE, Contact.F0),
    2: (Kind.CONTACT, Contact.F1),
    3: (Kind.CONTACT, Contact.F2),
}
NEEDS = {1: Need.FOOD, 2: Need.MEDICINE, 3: Need.OTHER}


def several(answer: str, options: int) -> frozenset[int] | None:
    """``13``, ``1 3``, ``1,3``: each digit one option; repeats do not matter."""
    compact = SEPARATORS.sub("", answer) if len(answer) <= MAX_TYPED else ""
    if not compact or any(char not in "123456789"[:options] for char in compact):
        return None
    return frozenset(int(char) for char in compact)


def temperature_tenths(answer: str) -> int | None:
    """``385``, ``38.5``, ``38,5`` or whole degrees ``38``, in tenths of a degree."""
    match = TEMPERATURE.fullmatch(answer)
    if match is None:
        return None
    degrees, tenth, tenths = match.groups()
    value = int(tenths) if tenths else int(degrees) * 10 + int(tenth or 0)
    return value if LOWEST <= value <= HIGHEST else None


def language_menu(texts: Texts, current: str) -> Ask:
    """Shown in both languages, since whoever opens it may not read the current one.

    Choosing Vietnamese keeps ``vi-accents``: diacritics are an SMS choice
    (SPEC §4) that a USSD screen, which cannot show them, should not undo.
    """

    def answer(given: str) -> Done | None:
        picked = choice(given, 2)
        if picked == 1:
            language = "vi-accents" if current == "vi-accents" else "vi"
            return done(SetLanguage(language), VI)
        if picked == 2:
            return done(SetLanguage("en"), EN)
        return None

    return Ask(texts.language_menu, texts.choose.format(1, 2), answer)


@dataclass(frozen=True)
class Recording:
    """The screens after a main-menu choice 1-5, up to the confirmation."""

    texts: Texts
    places: tuple[str, ...]
    finish: Callable[[Report], Done]

    def start(self, option: int) -> Ask | Done:
        """Main-menu choices 1-5, in the order of ``Texts.report_options``."""
        if option == 1:
            return self.finish(Report(Kind.WELL))
        return (self.symptoms, self.arrival, self.contact, self.needs)[option - 2]()

    def menu(self, title: str) -> Ask:
        """The household menu's recording choices, for members declaring."""
        options = self.texts.report_options

        def answer(given: str) -> Ask | Done | None:
            picked = choice(given, len(options))
            return None if picked is None else self.start(picked)

        text = f"{title}\n{numbered(options)}"
        return Ask(text, self.texts.choose.format(1, len(options)), answer)

    def symptoms(self) -> Ask:
        def answer(given: str) -> Ask | None:
            picked = several(given, len(Symptom))
            if picked is None:
                return None
            report = Report(Kind.SYMPTOMS, symptoms=frozenset(Symptom(n) for n in picked))
            return self._people(self.texts.symptom_people, report, self._temperature)

        return Ask(self.texts.symptoms, self.texts.symptoms_hint, answer)

    def _temperature(self, report: Report) -> Ask:
        def answer(given: str) -> Done | None:
            if given == "0":
                return self.finish(report)
            tenths = temperature_tenths(given)
            if tenths is None:
                return None
            return self.finish(replace(report, temperature_tenths=tenths))

        texts = self.texts
        return Ask(texts.temperature, texts.temperature_hint, answer, zero_is_answer=True)

    def arrival(self) -> Ask:
        return self._people(self.texts.arrival_people, Report(Kind.ARRIVAL), self._arrived_from)

    def _arrived_from(self, report: Report) -> Ask:
        texts = self.texts
        values = (*self.places, OTHER_PROVINCE, ABROAD)
        labels = [clean(place, LABEL) for place in self.places]
        labels += [texts.other_province, texts.abroad]

        def chosen(index: int) -> Ask:
            return self._arrived_when(replace(report, arrived_from=values[index]))

        return pick(texts, texts.arrived_from, labels, chosen)

    def _arrived_when(self, report: Report) -> Ask:
        """1 today, 2 yesterday, 3 asks the days; a number of days 4-14 is taken as typed."""

        def answer(given: str) -> Ask | Done | None:
            picked = number(given, 1, 14)
            if picked == 3:
                return self._days_ago(report)
            if picked is None:
                return None
            days = picked - 1 if picked < 3 else picked
            return self.finish(replace(report, arrived_days_ago=days))

        return Ask(self.texts.arrived_when, self.texts.choose.format(1, 3), answer)

    def _days_ago(self, report: Report) -> Ask:
        def answer(given: str) -> Done | None:
            days = number(given, 2, 14)
            return None if days is None else self.finish(replace(report, arrived_days_ago=days))

        return Ask(self.texts.days_ago, self.texts.days_hint, answer)

    def contact(self) -> Ask:
        def answer(given: str) -> Ask | None:
            picked = choice(given, len(CONTACTS))
            if picked is None:
                return None
            kind, contact = CONTACTS[picked]
            report = Report(kind, contact=contact)
            return self._people(self.texts.contact_people, report, self.finish)

        return Ask(self.texts.contact, self.texts.choose.format(1, len(CONTACTS)), answer)

    def needs(self) -> Ask:
        def answer(given: str) -> Done | None:
            picked = several(given, len(NEEDS))
            if picked is None:
                return None
            return self.finish(Report(Kind.HELP, needs=frozenset(NEEDS[n] for n in picked)))

        return Ask(self.texts.needs, self.texts.needs_hint, answer)

    def _people(self, question: str, report: Report, then: Callable[[Report], Ask | Done]) -> Ask:
        def answer(given: str) -> Ask | Done | None:
            people = number(given, 1, MAX_PEOPLE)
            return None if people is None else then(replace(report, people=people))

        return Ask(question, self.texts.people_hint, answer)

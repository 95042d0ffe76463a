"""Callers as the web layer would load them, shared by the USSD tests."""

from __future__ import annotations

from dataclasses import replace

from flows.ussd import Context

PLACES = ("Hà Nội", "Bắc Ninh", "TP Hồ Chí Minh")

HOUSEHOLD = Context(
    caller="household",
    household_name="Nguyễn Văn Anh",
    team_phones=(
        ("Tổ trưởng Nguyễn Văn Hùng", "+84912000001"),
        ("Y tế Lê Thị Hoa", "+84912000002"),
    ),
    member_name="Trần Thị Bình",
    member_phone="+84912345678",
    places=PLACES,
)

MEMBER = Context(
    caller="member",
    member_name="Trần Thị Bình",
    member_phone="+84912345678",
    places=PLACES,
    member_households=(("HD012", "Nguyễn Văn Anh"), ("hd013", "Lê Thị Bé")),
    open_cases=((41, "HD012", "sốt, khó thở"), (42, "hd013", "F1")),
    not_declared=("HD012", "hd013"),
    own_household=True,
)

UNKNOWN = Context(
    caller="unknown",
    teams=("Thôn Đông", "Thôn Tây", "Tổ dân phố 3"),
    places=PLACES,
)

SHARED_CODE = Context(
    caller="unknown",
    places=PLACES,
    communes=(
        ("RL01", "Xã Lục Sơn", "Lục Nam"),
        ("RL02", "Xã Bình Sơn", "Lục Nam"),
    ),
    commune_known=False,
)
NO_COMMUNE = Context(caller="unknown", places=PLACES, commune_known=False)

# Everything at once too long for a screen: long Vietnamese names, emoji,
# newlines, extension characters, lists of every length.
LONG = "Nguyễn Thị Thanh Hương 🌸\nở xóm Đình {Thượng} € — số nhà 12/3 ngõ Văn Chương " * 3
CROWDED = (
    replace(
        HOUSEHOLD,
        household_name=LONG,
        member_name=LONG,
        member_phone="+84 912 345 678 ext 1234567",
        team_phones=tuple((LONG, f"+8491200{n:04}") for n in range(30)),
        places=tuple(f"{LONG} {n}" for n in range(5)),
    ),
    replace(
        MEMBER,
        member_households=tuple((f"HD{n:03}", LONG) for n in range(200)),
        open_cases=tuple((1000 + n, f"HD{n:03}{LONG}", LONG) for n in range(20)),
        not_declared=tuple(f"HD{n:03}" for n in range(200)),
        places=(),
    ),
    replace(UNKNOWN, teams=tuple(f"{LONG} {n}" for n in range(15))),
    replace(
        SHARED_CODE,
        communes=tuple((f"X{n:03}{LONG}", f"{LONG} {n}", f"{LONG} {n % 2}") for n in range(5)),
    ),
    Context(caller="household"),
    Context(caller="member"),
    Context(caller="unknown"),
)

CALLERS = (HOUSEHOLD, MEMBER, UNKNOWN, SHARED_CODE, NO_COMMUNE)
LANGUAGES = ("vi", "en", "vi-accents")

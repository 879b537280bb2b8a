"""Partners: the organisations that offer the assistant on their own website.

Each partner is a YAML file, `knowledge/partners/<id>.yml`: its name and colours, the websites allowed
to embed the chat, its helpline (hours, phone, e-mail, web form) and the national services it points
parents to. `default.yml` is the demo, and is used whenever a message names no partner (for example in
the terminal chat). Problems are reported with file and line, like the article check.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.content.validation import ID_PATTERN, Problem, YamlPathLines, as_date, valid_url
from bot.content.watch import FileWatch
from bot.directory.replies import tel_link
from bot.origins import normalise_origin, origin_problem

DEFAULT_PARTNER = "default"
MIN_CONTRAST = 4.5  # WCAG 2 AA for normal text
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
TIME_RANGE = re.compile(r"^(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ]{4,18}[0-9]$")

TOP_KEYS = (
    "id",
    "display_name",
    "colours",
    "logo_url",
    "welcome",
    "area",
    "allowed_origins",
    "helpline",
    "national_services",
)
REQUIRED_KEYS = ("id", "display_name", "colours", "welcome", "allowed_origins", "helpline", "national_services")
COLOUR_KEYS = ("primary", "on_primary", "accent")
HELPLINE_KEYS = ("phone", "email", "web_form", "time_zone", "hours", "closed_dates")
SERVICE_KEYS = ("service", "what")


@dataclass(frozen=True)
class KnownService:
    name: str
    url: str | None


# The national services a partner may point to. Names and addresses live here, checked once, so a
# partner file cannot misspell or invent them; each partner describes the service in its own words.
KNOWN_SERVICES: dict[str, KnownService] = {
    "ipsea": KnownService("IPSEA", "https://www.ipsea.org.uk"),
    "sendiass": KnownService("Your local SENDIASS", None),
    "contact": KnownService("Contact", "https://contact.org.uk"),
}


@dataclass(frozen=True)
class Colours:
    primary: str
    on_primary: str
    accent: str


@dataclass(frozen=True)
class NationalService:
    key: str
    name: str
    what: str
    url: str | None


@dataclass(frozen=True)
class Helpline:
    time_zone: str
    # Opening times for Monday..Sunday, each a tuple of (start, end) in minutes after midnight.
    hours: tuple[tuple[tuple[int, int], ...], ...]
    phone: str | None = None
    email: str | None = None
    web_form: str | None = None
    closed_dates: frozenset[dt.date] = frozenset()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def has_contact(self) -> bool:
        return bool(self.phone or self.email or self.web_form)


@dataclass(frozen=True)
class Partner:
    id: str
    display_name: str
    colours: Colours
    welcome: str
    helpline: Helpline
    national_services: tuple[NationalService, ...]
    allowed_origins: tuple[str, ...] = ()
    area: tuple[str, ...] = ()  # local authority areas served; empty means all of England
    logo_url: str | None = None
    path: str = ""


@dataclass(frozen=True)
class HelplineStatus:
    open_now: bool
    text: str


# --- colours ------------------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio between two '#rrggbb' colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# --- hours --------------------------------------------------------------------------------------


def _day_index(name: str) -> int | None:
    name = name.strip().lower()
    for index, (key, full) in enumerate(zip(DAY_KEYS, DAY_NAMES, strict=True)):
        if name in (key, full.lower()):
            return index
    return None


def _days(key: str) -> list[int] | None:
    """'mon' -> [0]; 'mon-fri' -> [0, 1, 2, 3, 4]; 'sat-mon' wraps round the week."""
    parts = str(key).split("-")
    if len(parts) == 1:
        index = _day_index(parts[0])
        return None if index is None else [index]
    if len(parts) != 2:
        return None
    first, last = _day_index(parts[0]), _day_index(parts[1])
    if first is None or last is None:
        return None
    return [(first + offset) % 7 for offset in range((last - first) % 7 + 1)]


def _interval(text: str) -> tuple[int, int] | None:
    match = TIME_RANGE.match(text.strip())
    if not match:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if h1 > 23 or m1 > 59 or m2 > 59 or end > 24 * 60 or start >= end:
        return None
    return start, end


def _parse_hours(raw: object, error: Callable[[str], None]) -> tuple[tuple[tuple[int, int], ...], ...]:
    week: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    if not isinstance(raw, dict) or not raw:
        error('hours must list days and times, for example  mon-fri: "09:00-17:00"')
        return tuple(() for _ in range(7))
    seen: set[int] = set()
    for key, value in raw.items():
        days = _days(str(key))
        if days is None:
            error(f"'{key}' is not a day or range of days: use mon, tue, wed, thu, fri, sat, sun or e.g. mon-fri")
            continue
        repeated = [DAY_NAMES[d] for d in days if d in seen]
        if repeated:
            error(f"{', '.join(repeated)} listed more than once in hours")
        seen.update(days)
        if value == "closed":
            continue
        ranges = value if isinstance(value, list) else [value]
        intervals: list[tuple[int, int]] = []
        for item in ranges:
            interval = _interval(item) if isinstance(item, str) else None
            if interval is None:
                error(f"'{item}' for {key} is not a time range: write it like \"09:00-17:00\" (24-hour clock)")
                continue
            intervals.append(interval)
        intervals.sort()
        if any(a[1] > b[0] for a, b in zip(intervals, intervals[1:], strict=False)):
            error(f"the times for {key} overlap")
        for day in days:
            week[day] = intervals
    if not any(week):
        error("hours never open: give at least one day with times")
    return tuple(tuple(day) for day in week)


def _clock(minutes: int) -> str:
    """540 -> '9am', 750 -> '12:30pm', 720 -> 'midday', 0 or 1440 -> 'midnight'."""
    if minutes % 1440 == 0:
        return "midnight"
    if minutes == 720:
        return "midday"
    hour, minute = divmod(minutes, 60)
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def hours_text(helpline: Helpline) -> str:
    """'Monday to Friday, 9am to 5pm' (days with the same times grouped)."""
    groups: list[tuple[int, int, tuple[tuple[int, int], ...]]] = []
    for day, intervals in enumerate(helpline.hours):
        if groups and groups[-1][2] == intervals and groups[-1][1] == day - 1:
            groups[-1] = (groups[-1][0], day, intervals)
        else:
            groups.append((day, day, intervals))
    parts = []
    for first, last, intervals in groups:
        if not intervals:
            continue
        if first == last:
            days = DAY_NAMES[first]
        elif last == first + 1:
            days = f"{DAY_NAMES[first]} and {DAY_NAMES[last]}"
        else:
            days = f"{DAY_NAMES[first]} to {DAY_NAMES[last]}"
        times = " and ".join(f"{_clock(a)} to {_clock(b)}" for a, b in intervals)
        parts.append(f"{days}, {times}")
    return "; ".join(parts)


def _meanwhile(helpline: Helpline) -> str:
    if helpline.email and helpline.web_form:
        return f"email {helpline.email} or use our online form."
    if helpline.email:
        return f"email {helpline.email} and we'll reply when we're back."
    if helpline.web_form:
        return "use our online form and we'll reply when we're back."
    return "I can keep helping you here."


def helpline_status(partner: Partner, now: dt.datetime) -> HelplineStatus:
    """Whether the partner's helpline is open at `now` (naive times are taken as UTC), in words."""
    helpline = partner.helpline
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    local = now.astimezone(helpline.zone)
    minute = local.hour * 60 + local.minute
    today = local.date()
    if today not in helpline.closed_dates:
        for start, end in helpline.hours[today.weekday()]:
            if start <= minute < end:
                return HelplineStatus(True, f"Our helpline is open now until {_clock(end)}.")
    meanwhile = _meanwhile(helpline)
    for offset in range(0, 62):
        day = today + dt.timedelta(days=offset)
        if day in helpline.closed_dates:
            continue
        starts = [start for start, _ in helpline.hours[day.weekday()] if offset > 0 or start > minute]
        if not starts:
            continue
        if offset == 0:
            when = "today"
        elif offset == 1:
            when = "tomorrow"
        elif offset < 7:
            when = DAY_NAMES[day.weekday()]
        else:
            when = f"on {DAY_NAMES[day.weekday()]} {day.day} {day:%B}"
        return HelplineStatus(False, f"We're closed now — back {when} at {_clock(min(starts))}. Meanwhile: {meanwhile}")
    return HelplineStatus(False, f"We're closed now. Meanwhile: {meanwhile}")


# --- what parents are told ---------------------------------------------------------------------


def contact_text(partner: Partner, now: dt.datetime, with_status: bool = True) -> str | None:
    """The partner's helpline, open or closed, with its contact details; None if it has no helpline.

    Without the status ("open now until 5pm"), for text that is kept, such as the saved summary.
    """
    helpline = partner.helpline
    if not helpline.has_contact:
        return None
    lines = [f"**Talk to {partner.display_name}**"]
    if with_status:
        lines.append(helpline_status(partner, now).text)
    # One tap on a phone: the number as a tel: link, the address as a mailto: link.
    if helpline.phone:
        lines.append(f"- Phone: {tel_link(helpline.phone)} ({hours_text(helpline)})")
    if helpline.email:
        lines.append(f"- Email: [{helpline.email}](mailto:{helpline.email})")
    if helpline.web_form:
        lines.append(f"- Online: [our contact form]({helpline.web_form})")
    if partner.area:
        areas = list(partner.area)
        named = areas[0] if len(areas) == 1 else ", ".join(areas[:-1]) + " and " + areas[-1]
        lines.append(f"We support families in {named}. Elsewhere, your local SENDIASS can help.")
    return "\n".join(lines)


def national_services_text(partner: Partner) -> str | None:
    """The national and local services the partner points to, with links where they have one."""
    if not partner.national_services:
        return None
    lines = ["**Free, independent help**"]
    for service in partner.national_services:
        name = f"[{service.name}]({service.url})" if service.url else service.name
        lines.append(f"- {name}: {service.what}")
    return "\n".join(lines)


def privacy_notice(retention_days: int) -> str:
    """What the chat keeps, for how long, and that no names are needed."""
    return (
        "You never need to give your name, your child's name or where you live. "
        "This chat keeps your messages and its answers so the conversation can carry on, and deletes them "
        f"{retention_days} days after your last message. You can delete the conversation yourself at any "
        "time. If you rate an answer, we keep your rating and any reason you give, without your messages, "
        "and we remove e-mail addresses and phone numbers from it."
    )


def public_config(partner: Partner, now: dt.datetime, retention_days: int) -> dict:
    """What the widget needs to show a partner's chat (GET /partner/<id>)."""
    helpline = partner.helpline
    status = helpline_status(partner, now) if helpline.has_contact else HelplineStatus(False, "")
    return {
        "id": partner.id,
        "display_name": partner.display_name,
        "colours": {
            "primary": partner.colours.primary,
            "on_primary": partner.colours.on_primary,
            "accent": partner.colours.accent,
        },
        "logo_url": partner.logo_url,
        "welcome": partner.welcome,
        "privacy_notice": privacy_notice(retention_days),
        "retention_days": retention_days,
        "helpline": {
            "phone": helpline.phone,
            "email": helpline.email,
            "web_form": helpline.web_form,
            "status_text": status.text,
            "open_now": status.open_now,
        },
        "national_services": [{"name": s.name, "what": s.what, "url": s.url} for s in partner.national_services],
    }


# --- loading and validation --------------------------------------------------------------------


def _unknown_keys(data: dict, allowed: tuple[str, ...], where: str, line: Callable[..., int], path: tuple) -> list:
    messages = []
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; the fields are: {', '.join(allowed)}"
            messages.append((line(*path, key), f"unknown field '{key}'{where}{hint}"))
    return messages


def parse_partner(path: Path) -> tuple[Partner | None, list[Problem]]:
    """Parse and validate one partner file. Returns (partner or None, problems)."""
    problems: list[Problem] = []

    def error(line: int, message: str) -> None:
        problems.append(Problem(str(path), line, "error", message))

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        error(1, f"cannot read the file as UTF-8 text: {exc}")
        return None, problems
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        error(mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', None) or exc}")
        return None, problems
    if not isinstance(data, dict):
        error(1, "a partner file must be a list of 'field: value' lines")
        return None, problems
    line = YamlPathLines(text)

    for where, message in _unknown_keys(data, TOP_KEYS, "", line, ()):
        error(where, message)
    for key in REQUIRED_KEYS:
        if data.get(key) in (None, ""):
            error(line(key) if key in data else 1, f"missing required field '{key}'")

    partner_id = str(data.get("id") or "")
    if partner_id and not ID_PATTERN.match(partner_id):
        error(line("id"), f"id '{partner_id}' must be lowercase words joined by hyphens")
    elif partner_id and partner_id != path.stem:
        error(line("id"), f"id '{partner_id}' must match the file name '{path.stem}.yml'")

    display_name = data.get("display_name")
    if display_name is not None and (not isinstance(display_name, str) or len(display_name) > 80):
        error(line("display_name"), "display_name must be text of 80 characters or fewer")
    welcome = data.get("welcome")
    if welcome is not None and (not isinstance(welcome, str) or len(welcome) > 400):
        error(line("welcome"), "welcome must be text of 400 characters or fewer")
    logo_url = data.get("logo_url")
    if logo_url is not None and not valid_url(logo_url):
        error(line("logo_url"), f"logo_url '{logo_url}' must be an https address (or leave it out)")

    colours = data.get("colours")
    if colours is not None and not isinstance(colours, dict):
        error(line("colours"), "colours must have primary, on_primary and accent, each like '#1d4f91'")
        colours = None
    if isinstance(colours, dict):
        for where, message in _unknown_keys(colours, COLOUR_KEYS, " in colours", line, ("colours",)):
            error(where, message)
        for key in COLOUR_KEYS:
            value = colours.get(key)
            if not isinstance(value, str) or not COLOUR.match(value):
                error(line("colours", key), f"colours.{key} must be a colour written '#rrggbb', such as '#1d4f91'")
        primary, on_primary = colours.get("primary"), colours.get("on_primary")
        if all(isinstance(c, str) and COLOUR.match(c) for c in (primary, on_primary)):
            ratio = contrast_ratio(primary, on_primary)  # type: ignore[arg-type]
            if ratio < MIN_CONTRAST:
                error(
                    line("colours", "on_primary"),
                    f"text colour {on_primary} on {primary} has contrast {ratio:.2f}:1; it must be at least "
                    f"{MIN_CONTRAST}:1 so everyone can read it (try a darker primary or white/black text)",
                )

    area = data.get("area") or []
    if not isinstance(area, list) or not all(isinstance(a, str) and a.strip() for a in area):
        error(line("area"), "area must be a list of council areas, or [] for all of England")
        area = []

    origins = data.get("allowed_origins")
    normalised_origins: list[str] = []
    if origins is not None and not isinstance(origins, list):
        error(line("allowed_origins"), "allowed_origins must be a list, such as [https://www.example.org]")
    elif isinstance(origins, list):
        for index, origin in enumerate(origins):
            problem = origin_problem(origin)
            if problem:
                error(line("allowed_origins", index), problem)
            else:
                normalised_origins.append(normalise_origin(origin) or "")

    helpline_data = data.get("helpline")
    helpline: Helpline | None = None
    if helpline_data is not None and not isinstance(helpline_data, dict):
        error(line("helpline"), "helpline must have time_zone and hours (and phone, email or web_form)")
    elif isinstance(helpline_data, dict):
        helpline = _parse_helpline(helpline_data, line, error)

    services: list[NationalService] = []
    raw_services = data.get("national_services")
    if raw_services is not None and not isinstance(raw_services, list):
        error(line("national_services"), "national_services must be a list of {service: ..., what: ...}")
    elif isinstance(raw_services, list):
        for index, entry in enumerate(raw_services):
            where = line("national_services", index)
            if not isinstance(entry, dict):
                error(where, "each national service needs 'service' and 'what'")
                continue
            for at, message in _unknown_keys(entry, SERVICE_KEYS, "", line, ("national_services", index)):
                error(at, message)
            key, what = entry.get("service"), entry.get("what")
            if key not in KNOWN_SERVICES:
                error(where, f"unknown national service '{key}'; known services: {', '.join(KNOWN_SERVICES)}")
                continue
            if any(s.key == key for s in services):
                error(where, f"national service '{key}' is listed twice")
            if not isinstance(what, str) or not what.strip() or len(what) > 300:
                error(where, f"say in 'what' (300 characters or fewer) what {KNOWN_SERVICES[key].name} offers")
                continue
            known = KNOWN_SERVICES[key]
            services.append(NationalService(key, known.name, " ".join(what.split()), known.url))

    if problems or helpline is None:
        return None, problems
    return (
        Partner(
            id=partner_id,
            display_name=str(display_name).strip(),
            colours=Colours(colours["primary"].lower(), colours["on_primary"].lower(), colours["accent"].lower()),  # type: ignore[index]
            welcome=" ".join(str(welcome).split()),
            helpline=helpline,
            national_services=tuple(services),
            allowed_origins=tuple(normalised_origins),
            area=tuple(a.strip() for a in area),
            logo_url=logo_url,
            path=str(path),
        ),
        problems,
    )


def _parse_helpline(data: dict, line: Callable[..., int], error: Callable[[int, str], None]) -> Helpline | None:
    count = 0

    def fail(where: int, message: str) -> None:
        nonlocal count
        count += 1
        error(where, message)

    for where, message in _unknown_keys(data, HELPLINE_KEYS, " in helpline", line, ("helpline",)):
        fail(where, message)
    zone_name = data.get("time_zone")
    try:
        if not isinstance(zone_name, str) or not zone_name:
            raise ValueError
        ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        fail(line("helpline", "time_zone"), f"time_zone '{zone_name}' is not a known time zone, such as Europe/London")
    hours = _parse_hours(data.get("hours"), lambda message: fail(line("helpline", "hours"), message))
    phone, email, web_form = data.get("phone"), data.get("email"), data.get("web_form")
    if phone is not None and not (isinstance(phone, str) and PHONE.match(phone)):
        fail(line("helpline", "phone"), f"phone '{phone}' must be digits and spaces, such as '01632 960000'")
    if email is not None and not (isinstance(email, str) and EMAIL.match(email)):
        fail(line("helpline", "email"), f"email '{email}' is not an e-mail address")
    if web_form is not None and not valid_url(web_form):
        fail(line("helpline", "web_form"), f"web_form '{web_form}' must be an https address")
    closed: set[dt.date] = set()
    raw_closed = data.get("closed_dates") or []
    if not isinstance(raw_closed, list):
        fail(line("helpline", "closed_dates"), "closed_dates must be a list of dates written YYYY-MM-DD")
        raw_closed = []
    for value in raw_closed:
        day = as_date(value)
        if day is None:
            fail(line("helpline", "closed_dates"), f"closed date '{value}' must be written YYYY-MM-DD")
        else:
            closed.add(day)
    if count:
        return None
    return Helpline(
        time_zone=str(zone_name),
        hours=hours,
        phone=phone,
        email=email,
        web_form=web_form,
        closed_dates=frozenset(closed),
    )


def partner_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yml"))


def load_partners(folder: Path) -> tuple[dict[str, Partner], list[Problem]]:
    """Every valid partner in the folder by id, and the problems found. No folder: no partners."""
    partners: dict[str, Partner] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return partners, problems
    for path in partner_paths(folder):
        partner, found = parse_partner(path)
        problems.extend(found)
        if partner is not None:
            partners[partner.id] = partner
    if not (folder / f"{DEFAULT_PARTNER}.yml").exists():
        problems.append(
            Problem(
                str(folder),
                0,
                "error",
                f"there is no {DEFAULT_PARTNER}.yml: the demo page and the terminal chat need a default partner",
            )
        )
    return partners, problems


class PartnerBook:
    """The partners of a running process, re-read when a file changes (checked at most every few seconds).

    A file that stops being valid keeps its last valid version, as articles do.
    """

    def __init__(self, folder: Path, refresh_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic):
        self.folder = folder
        self._watch = FileWatch(lambda: partner_paths(folder) if folder.is_dir() else [], refresh_seconds, clock)
        self._partners: dict[str, Partner] = {}
        self.problems: list[Problem] = []

    def _refresh(self) -> None:
        with self._watch.lock:
            if not self._watch.look():
                return  # not time to look yet, or nothing changed
            partners, problems = load_partners(self.folder)
            broken = {Path(p.path).stem for p in problems if p.severity == "error"}
            for partner_id, old in self._partners.items():
                if partner_id not in partners and partner_id in broken and Path(old.path).exists():
                    partners[partner_id] = old
            self._partners, self.problems = partners, problems

    def all(self) -> dict[str, Partner]:
        self._refresh()
        return dict(self._partners)

    def get(self, partner_id: object) -> Partner | None:
        """The partner with this id, or None."""
        self._refresh()
        return self._partners.get(partner_id) if isinstance(partner_id, str) else None

    def get_or_default(self, partner_id: object) -> Partner | None:
        """The partner with this id, else the default partner (None only if there is none)."""
        return self.get(partner_id) or self.get(DEFAULT_PARTNER)

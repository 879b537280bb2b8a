"""Load and validate the help directory: every council in England with SEND duties, and the national
services, each contact with the public page it was read on and the date.

Problems are reported with file and line, like the article check (`python -m bot knowledge check`).
A contact without a source or a check date is an error: the directory never shows a detail nobody
can trace.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.content.validation import ID_PATTERN, Problem, YamlPathLines, as_date, valid_url
from bot.content.watch import FileWatch
from bot.law.parent_dates import england_today

DIRECTORY_DIRNAME = "directory"
COUNCILS_FILE = "councils.yml"
NATIONAL_FILE = "national.yml"
NATIONS = ("england", "wales", "scotland", "northern-ireland")
TOPICS = ("general", "exclusions", "appeals", "health", "crisis")
CONTACT_KINDS = ("sendiass", "local_offer", "send_team", "parent_carer_forum", "health")
CONTACT_KEYS = ("name", "phone", "email", "website", "url", "hours", "source", "checked", "note")
COUNCIL_KEYS = ("id", "name", "area", "also", "places", "checked", *CONTACT_KINDS)
SERVICE_KEYS = (
    "id",
    "name",
    "what",
    "nations",
    "topics",
    "phone",
    "email",
    "website",
    "hours",
    "source",
    "checked",
    "note",
)
# What a contact is called when its block has no `name`.
DEFAULT_NAMES = {"local_offer": "Local offer (the council's SEND information website)"}
# UK numbers as parents dial them: 11 digits from 0 (spaces allowed), or a short national number such as
# 111 or 116 123. No letters, brackets or +44: the tel: link adds the country code itself.
PHONE = re.compile(r"^(?:0\d{2,4}(?: ?\d{2,4}){2,3}|1\d{2}(?: \d{3})?)$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
# The review date may be at most this far after the last review: contact details go stale quickly.
MAX_REVIEW_DAYS = 183


@dataclass(frozen=True)
class Contact:
    """One published way to reach a service, and where and when it was read."""

    name: str
    source: str
    checked: dt.date
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    hours: str | None = None

    @property
    def reachable(self) -> bool:
        return bool(self.phone or self.email or self.website)


@dataclass(frozen=True)
class Council:
    id: str
    name: str
    area: str
    also: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    contacts: dict[str, Contact] = field(default_factory=dict)

    @property
    def checked(self) -> bool:
        """Whether any of its contacts were read on a public page (else parents get the national finder)."""
        return bool(self.contacts)


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    what: str
    nations: tuple[str, ...]
    topics: tuple[str, ...]
    contact: Contact


@dataclass(eq=False)  # one object per load: hashed by identity, so the place index is cached per load
class Directory:
    councils: dict[str, Council] = field(default_factory=dict)
    shared_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    other_nations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    finder: Contact | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def checked_councils(self) -> list[Council]:
        return [c for c in self.councils.values() if c.checked]


def _text(value: object) -> str | None:
    return " ".join(str(value).split()) if isinstance(value, str | int) and str(value).strip() else None


def _names(value: object) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(" ".join(v.split()) for v in value)
    return None


def _contact(
    data: object, where: str, today: dt.date, error: Callable[[str], None], default_name: str | None = None
) -> Contact | None:
    """One contact block; every detail needs the https page it was read on and the date it was read."""
    if not isinstance(data, dict):
        error(f"{where} must have name, source and checked (and phone, email, website or url)")
        return None
    for key in data:
        if key not in CONTACT_KEYS:
            error(f"{where}: unknown field '{key}'; the fields are: {', '.join(CONTACT_KEYS)}")
    name = _text(data.get("name")) or default_name
    if name is None:
        error(f"{where} needs a name")
    source = data.get("source")
    if not valid_url(source) and not valid_url(str(source).replace("http://", "https://", 1)):
        # A stored page may have been read over http; every address shown as a contact must be https.
        error(f"{where} needs 'source': the web address of the public page the details were read on")
    checked = as_date(data.get("checked"))
    if checked is None:
        error(f"{where} needs 'checked': the date the source was read, written YYYY-MM-DD")
    elif checked > today:
        error(f"{where}: checked date {checked.isoformat()} is in the future")
    phone = _text(data.get("phone"))
    if phone is not None and not PHONE.match(phone):
        error(f"{where}: phone '{phone}' must be a UK number written as dialled, such as '0113 378 5020' or '116 123'")
    email = _text(data.get("email"))
    if email is not None and not EMAIL.match(email):
        error(f"{where}: email '{email}' is not an e-mail address")
    website = data.get("website") or data.get("url")
    for key in ("website", "url"):
        if data.get(key) is not None and not valid_url(data.get(key)):
            error(f"{where}: {key} '{data.get(key)}' must be an https address")
    if name is None or source is None or checked is None:
        return None
    return Contact(
        name=name,
        source=str(source),
        checked=checked,
        phone=phone,
        email=email,
        website=str(website) if valid_url(website) else None,
        hours=_text(data.get("hours")),
    )


def _read(path: Path, problems: list[Problem]) -> tuple[dict, YamlPathLines] | None:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except OSError as exc:
        problems.append(Problem(str(path), 0, "error", f"cannot read the file: {exc}"))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(str(path), mark.line + 1 if mark else 1, "error", f"not valid YAML: {exc}"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(str(path), 1, "error", "the file must be a list of 'field: value' lines"))
        return None
    return data, YamlPathLines(text)


def _review_dates(data: dict, line: YamlPathLines, path: Path, today: dt.date, problems: list[Problem]) -> None:
    reviewed, due = as_date(data.get("last_reviewed")), as_date(data.get("review_by"))
    for key, value in (("last_reviewed", reviewed), ("review_by", due)):
        if value is None:
            problems.append(Problem(str(path), line(key), "error", f"{key} must be a date written YYYY-MM-DD"))
    if not _text(data.get("owner")):
        problems.append(
            Problem(str(path), line("owner"), "error", "owner must name the role responsible (not a person)")
        )
    if reviewed and due:
        if due <= reviewed:
            problems.append(Problem(str(path), line("review_by"), "error", "review_by must be after last_reviewed"))
        elif (due - reviewed).days > MAX_REVIEW_DAYS:
            problems.append(
                Problem(
                    str(path),
                    line("review_by"),
                    "error",
                    f"review_by must be within {MAX_REVIEW_DAYS} days of "
                    "last_reviewed: phone numbers and addresses change",
                )
            )
        if reviewed > today:
            problems.append(Problem(str(path), line("last_reviewed"), "error", "last_reviewed is in the future"))
        if due < today:
            problems.append(
                Problem(
                    str(path),
                    line("review_by"),
                    "warning",
                    f"review was due on {due.isoformat()}: re-check the contacts",
                )
            )


def _load_councils(path: Path, today: dt.date, directory: Directory) -> None:
    problems = directory.problems
    found = _read(path, problems)
    if found is None:
        return
    data, line = found
    _review_dates(data, line, path, today, problems)
    raw = data.get("councils")
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(str(path), line("councils"), "error", "councils must be a list of council entries"))
        return
    phones: dict[str, str] = {}
    for index, entry in enumerate(raw):
        at = line("councils", index)

        def error(message: str, at: int = at) -> None:
            problems.append(Problem(str(path), at, "error", message))

        if not isinstance(entry, dict):
            error("each council needs id, name, area and checked")
            continue
        for key in entry:
            if key not in COUNCIL_KEYS:
                error(f"unknown field '{key}'; the fields are: {', '.join(COUNCIL_KEYS)}")
        council_id, name, area = str(entry.get("id") or ""), _text(entry.get("name")), _text(entry.get("area"))
        if not ID_PATTERN.match(council_id):
            error(f"id '{council_id}' must be lowercase words joined by hyphens")
            continue
        if council_id in directory.councils:
            error(f"council '{council_id}' is listed twice")
            continue
        if name is None or area is None:
            error(f"council '{council_id}' needs a name and an area")
            continue
        also, places = _names(entry.get("also")), _names(entry.get("places"))
        if also is None or places is None:
            error(f"council '{council_id}': also and places must be lists of names")
            continue
        contacts: dict[str, Contact] = {}
        for kind in CONTACT_KINDS:
            if kind in entry:
                contact = _contact(entry[kind], f"{council_id} {kind}", today, error, DEFAULT_NAMES.get(kind))
                if contact is not None:
                    contacts[kind] = contact
        checked = entry.get("checked")
        if contacts and as_date(checked) is None:
            error(f"council '{council_id}' has contacts, so 'checked' must be the date they were read (YYYY-MM-DD)")
        if not contacts and checked is not False:
            error(
                f"council '{council_id}' has no contacts: write 'checked: no' so parents are shown the national finder"
            )
        for kind, contact in contacts.items():
            if contact.phone:
                digits = contact.phone.replace(" ", "")
                other = phones.get(digits)
                if other and not other.startswith(f"{council_id} ") and kind != "health":
                    error(
                        f"phone {contact.phone} of {council_id} {kind} is also given for {other}: check which is right"
                    )
                phones.setdefault(digits, f"{council_id} {kind}")
        directory.councils[council_id] = Council(council_id, name, area, also, places, contacts)
    _check_names(path, line, data, directory)


def _check_names(path: Path, line: YamlPathLines, data: dict, directory: Directory) -> None:
    """A name must lead to one council: the same town under two councils is a mistake staff should see."""
    problems = directory.problems
    owner: dict[str, str] = {}
    from bot.directory.places import key  # here: places builds on the loaded directory

    for council in directory.councils.values():
        for name in (council.area, council.name, *council.also, *council.places):
            k = key(name)
            if k in owner and owner[k] != council.id:
                problems.append(
                    Problem(
                        str(path),
                        line("councils"),
                        "error",
                        f"'{name}' is listed under both {owner[k]} and "
                        f"{council.id}: leave a shared place name out, or add it to shared_names",
                    )
                )
            owner.setdefault(k, council.id)
    shared = data.get("shared_names") or {}
    if not isinstance(shared, dict):
        problems.append(
            Problem(str(path), line("shared_names"), "error", "shared_names must map a name to council ids")
        )
        shared = {}
    for name, ids in shared.items():
        if not isinstance(ids, list) or len(ids) < 2 or any(i not in directory.councils for i in ids):
            problems.append(
                Problem(
                    str(path),
                    line("shared_names", name),
                    "error",
                    f"shared name '{name}' must list two or more council ids from this file",
                )
            )
            continue
        directory.shared_names[str(name)] = tuple(ids)
    nations = data.get("other_nations") or {}
    for nation, names in nations.items() if isinstance(nations, dict) else ():
        listed = _names(names)
        if nation not in NATIONS[1:] or not listed:
            problems.append(
                Problem(
                    str(path),
                    line("other_nations"),
                    "error",
                    f"other_nations: '{nation}' must be "
                    "wales, scotland or northern-ireland, with a list of place names",
                )
            )
            continue
        directory.other_nations[nation] = listed


def _load_national(path: Path, today: dt.date, directory: Directory) -> None:
    problems = directory.problems
    found = _read(path, problems)
    if found is None:
        return
    data, line = found
    _review_dates(data, line, path, today, problems)
    directory.finder = _contact(
        data.get("finder"), "finder", today, lambda m: problems.append(Problem(str(path), line("finder"), "error", m))
    )
    if directory.finder is not None and not directory.finder.website:
        problems.append(Problem(str(path), line("finder"), "error", "finder needs the website parents are sent to"))
    raw = data.get("services")
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(str(path), line("services"), "error", "services must be a list"))
        return
    for index, entry in enumerate(raw):
        at = line("services", index)

        def error(message: str, at: int = at) -> None:
            problems.append(Problem(str(path), at, "error", message))

        if not isinstance(entry, dict):
            error("each service needs id, name, what, nations, topics, source and checked")
            continue
        for key in entry:
            if key not in SERVICE_KEYS:
                error(f"unknown field '{key}'; the fields are: {', '.join(SERVICE_KEYS)}")
        service_id, what = str(entry.get("id") or ""), _text(entry.get("what"))
        if not ID_PATTERN.match(service_id) or service_id in directory.services:
            error(f"service id '{service_id}' must be lowercase words joined by hyphens, used once")
            continue
        nations, topics = _names(entry.get("nations")), _names(entry.get("topics"))
        if not nations or any(n not in NATIONS for n in nations):
            error(f"{service_id}: nations must list some of {', '.join(NATIONS)}")
            continue
        if not topics or any(t not in TOPICS for t in topics):
            error(f"{service_id}: topics must list some of {', '.join(TOPICS)}")
            continue
        if what is None or len(what) > 300:
            error(f"{service_id}: say in 'what' (300 characters or fewer) what the service does")
            continue
        contact = _contact({k: v for k, v in entry.items() if k in CONTACT_KEYS}, service_id, today, error)
        if contact is not None:
            directory.services[service_id] = Service(service_id, contact.name, what, nations, topics, contact)


def load_directory(knowledge_dir: Path, today: dt.date | None = None) -> Directory:
    """The directory in `knowledge_dir/directory`, with every problem found (an empty one if the folder is missing)."""
    today = today or england_today()
    folder = knowledge_dir / DIRECTORY_DIRNAME
    directory = Directory()
    if not folder.is_dir():
        return directory
    _load_councils(folder / COUNCILS_FILE, today, directory)
    _load_national(folder / NATIONAL_FILE, today, directory)
    return directory


@dataclass
class _Served:
    watch: FileWatch
    directory: Directory | None = None
    day: dt.date | None = None


_served: dict[Path, _Served] = {}
_served_lock = threading.Lock()


def served_directory(knowledge_dir: Path, today: dt.date | None = None) -> Directory:
    """The directory for answers: re-read when a file changes, through the one "which staff files
    changed?" check (bot/content/watch.py), or when the day changes (review dates are checked against it)."""
    today = today or england_today()
    folder = knowledge_dir / DIRECTORY_DIRNAME
    with _served_lock:
        served = _served.get(knowledge_dir)
        if served is None:
            # Looked at on every call, as the directory is read only where it is needed.
            files = (folder / COUNCILS_FILE, folder / NATIONAL_FILE)
            served = _served[knowledge_dir] = _Served(FileWatch(lambda: files, refresh_seconds=0))
        changed = served.watch.look()
        if served.directory is None or changed or served.day != today:
            served.directory, served.day = load_directory(knowledge_dir, today), today
        return served.directory

"""The directory's messages: the parent's own council first, then national help that fits the situation.

Every phone number is a `tel:` link, every e-mail a `mailto:` link and every website a link, so a parent
on a phone reaches help in one tap. Each message ends with the pages its details were read on, and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from bot.directory.load import Contact, Council, Directory, Service
from bot.directory.places import Found

# Which national services fit which situation (article ids): the rest get the general ones.
ARTICLE_TOPICS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("informal-exclusion", "suspension", "permanent-exclusion", "off-rolling", "reduced-timetable"), ("exclusions",)
    ),
    **dict.fromkeys(
        (
            "tribunal-appeal",
            "ehc-assessment-refused",
            "ehc-plan-refused",
            "ehc-draft-plan",
            "school-placement",
            "mediation",
            "annual-review",
        ),
        ("appeals",),
    ),
    **dict.fromkeys(("camhs-waiting", "therapy-waiting", "diagnosis-waiting"), ("health",)),
    "crisis": ("crisis",),
    "talk-to-adviser": ("general",),  # the adviser article gives the crisis numbers itself
}
MAX_NATIONAL = 4
# Each national message stays about half a phone screen (bot/content/render.py CHUNK_CHARS).
MESSAGE_CHARS = 600
SENDIASS_WORDS = (
    "the free, impartial special educational needs and disabilities (SEND) information, advice and support service"
)
ASK_AREA = "Tell me your town or council (for example, Leeds) and I'll show you your local service."
NATION_NAMES = {"wales": "Wales", "scotland": "Scotland", "northern-ireland": "Northern Ireland"}


def tel_link(phone: str) -> str:
    """'0113 378 5020' -> '[0113 378 5020](tel:+441133785020)'; short numbers (111, 116 123) stay as dialled."""
    digits = phone.replace(" ", "")
    number = "+44" + digits[1:] if digits.startswith("0") else digits  # "+44..." and 111 stay as they are
    return f"[{phone}](tel:{number})"


def mailto_link(email: str) -> str:
    return f"[{email}](mailto:{email})"


def _site(url: str) -> str:
    """A web address as words a parent recognises: its site name ("ipsea.org.uk")."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _label(text: str) -> str:
    """Link words that can't end the Markdown link early."""
    return text.replace("[", "(").replace("]", ")")


def contact_lines(contact: Contact, label: str | None = None) -> list[str]:
    """How to reach one contact, each way on its own line."""
    lines = [f"**{_label(label or contact.name)}**"]
    if contact.phone:
        hours = f" ({contact.hours})" if contact.hours else ""
        lines.append(f"- Call {tel_link(contact.phone)}{hours}")
    if contact.email:
        lines.append(f"- Email {mailto_link(contact.email)}")
    if contact.website:
        lines.append(f"- Website: [{_site(contact.website)}]({contact.website})")
    return lines


class _Sources:
    """The pages a message's details were read on, numbered, and the oldest check date."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.dates = []

    def add(self, contact: Contact) -> None:
        if contact.source not in self.urls:
            self.urls.append(contact.source)
        self.dates.append(contact.checked)

    def line(self) -> str:
        if not self.urls:
            return ""
        links = " ".join(f"[{n}]({url})" for n, url in enumerate(self.urls, 1))
        return f"Checked {min(self.dates):%-d %B %Y} on these pages:\nSources: {links}"


def _finder_line(directory: Directory, what: str) -> str:
    finder = directory.finder
    if finder is None or not finder.website:
        return f'Search online for your council\'s name and "local offer" to find {what}.'
    return f'Find your council\'s website with [{_label(finder.name)}]({finder.website}), then look on its "local offer" pages for {what}.'


def local_help(directory: Directory, council_id: str | None, ask: bool = False) -> str:
    """The parent's council: its SENDIASS, local offer, SEND team and parent carer forum, as checked.

    A council not checked yet says so and points to the national finder, never a guessed number.
    """
    council = directory.councils.get(council_id or "")
    sources = _Sources()
    if council is None:
        lines = [
            "**Your local SENDIASS**",
            f"Every council has a SENDIASS: {SENDIASS_WORDS}. It is free and confidential.",
            _finder_line(directory, "its SENDIASS"),
        ]
        if ask:
            lines.append(ASK_AREA)
        if directory.finder:
            sources.add(directory.finder)
        return "\n".join([*lines, sources.line()]).strip()
    lines = [f"**Help near you: {council.area} ({council.name})**"]
    if not council.checked:
        lines += [
            f"{council.name} has a SENDIASS: {SENDIASS_WORDS}. I haven't checked its contact details yet, so I "
            "won't guess them.",
            _finder_line(directory, "its SENDIASS"),
        ]
        if directory.finder:
            sources.add(directory.finder)
        return "\n".join([*lines, sources.line()]).strip()
    lines += _council_contacts(council, sources)
    if "sendiass" not in council.contacts or not council.contacts["sendiass"].reachable:
        lines.append(_finder_line(directory, "how to contact its SENDIASS"))
        if directory.finder:
            sources.add(directory.finder)
    return "\n".join([*lines, sources.line()]).strip()


def _council_contacts(council: Council, sources: _Sources) -> list[str]:
    labels = {
        "sendiass": None,
        "local_offer": "Local offer (what your council offers for SEND)",
        "send_team": None,
        "parent_carer_forum": None,
    }
    lines: list[str] = []
    for kind, label in labels.items():
        contact = council.contacts.get(kind)
        if contact is None:
            continue
        sources.add(contact)
        found = contact_lines(contact, label)
        if kind == "sendiass":
            found.insert(1, f"- Your council's SENDIASS: {SENDIASS_WORDS}.")
        if len(found) == 1 and kind != "sendiass":
            continue
        lines += found
    return lines


def health_help(directory: Directory, council_id: str | None) -> list[Contact]:
    """A local NHS contact for the council, where one was checked."""
    council = directory.councils.get(council_id or "")
    contact = council.contacts.get("health") if council else None
    return [contact] if contact else []


def fitting_services(
    directory: Directory, article_id: str | None, nation: str = "england", leave_out: Iterable[str] = ()
) -> list[Service]:
    """National services for the situation: the ones for its topic first, then general ones."""
    topics = ARTICLE_TOPICS.get(article_id or "", ("general",))
    skipped = set(leave_out)
    services = [s for s in directory.services.values() if nation in s.nations and s.id not in skipped]
    chosen = [s for topic in topics for s in services if topic in s.topics]
    if "crisis" not in topics:
        chosen += [s for s in services if "general" in s.topics]
    unique = list(dict.fromkeys(chosen))
    return unique[:MAX_NATIONAL]


def national_help(
    directory: Directory,
    article_id: str | None,
    council_id: str | None = None,
    leave_out: Iterable[str] = (),
) -> list[str]:
    """National help that fits the situation, each with its one-tap contacts, in phone-sized messages that
    each end with the pages their details were read on."""
    services = fitting_services(directory, article_id, leave_out=leave_out)
    groups: list[tuple[list[str], _Sources]] = []
    for service in services:
        sources = _Sources()
        lines = _service_lines(service, sources)
        if groups and sum(len(x) for x in groups[-1][0] + lines) <= MESSAGE_CHARS:
            groups[-1][0].extend(lines)
            groups[-1][1].add(service.contact)
        else:
            groups.append((lines, sources))
    if "health" in ARTICLE_TOPICS.get(article_id or "", ()):
        for contact in health_help(directory, council_id):
            sources = _Sources()
            sources.add(contact)
            groups.append((contact_lines(contact), sources))
    if not groups:
        return []
    groups[0][0].insert(0, "**Free national help**")
    return ["\n".join([*lines, sources.line()]) for lines, sources in groups]


def _service_lines(service: Service, sources: _Sources) -> list[str]:
    sources.add(service.contact)
    found = contact_lines(service.contact)
    found.insert(1, f"- {service.what}")
    return found


def nation_note(found: Found) -> tuple[str, dict[str, str]]:
    """Before an England answer to a message that names a place in Wales, Scotland or Northern Ireland ("im 17
    in wales, do i still get support at college"): what follows is England's law, and a tap to their own help.
    The answer still follows, for a parent who has moved to England ("we moved from Cardiff to Bristol")."""
    place = NATION_NAMES.get(found.nation or "", found.nation or "")
    mentioned = found.said if found.said.casefold() == place.casefold() else f"{found.said}, in {place}"
    text = (
        f"You mentioned {mentioned}. What follows is the law in England. {place} has its own system, so if you "
        "live there this may not apply to you."
    )
    return text, {"title": f"Help in {place}", "payload": "/outside_england"}


def nation_help(directory: Directory, nation: str) -> str:
    """For a parent in Wales, Scotland or Northern Ireland: their own services, signposted, not advised."""
    place = NATION_NAMES.get(nation, nation)
    sources = _Sources()
    lines = [
        f"**Help in {place}**",
        f"It sounds like you're in {place}. I only explain the law in England, and {place} has its own "
        "system. These services can help:",
    ]
    for service in directory.services.values():
        if nation in service.nations and "crisis" not in service.topics:
            lines += _service_lines(service, sources)
    return "\n".join([*lines, sources.line()])


def area_reply(directory: Directory, found: Found) -> str:
    """What we say when the parent tells us where they are."""
    if found.nation:
        return nation_help(directory, found.nation)
    if found.choices:
        names = [directory.councils[c].area for c in found.choices if c in directory.councils]
        if len(names) > 4:
            return (
                f"{found.said} has {len(names)} councils. Which one are you in? Tell me the borough or town, "
                f"for example {names[0]} or {names[1]}."
            )
        listed = ", ".join(names[:-1]) + " or " + names[-1]
        return f"{found.said} is covered by more than one council. Which are you in: {listed}?"
    return local_help(directory, found.council)


def understood(directory: Directory, found: Found) -> str:
    """A short check of what we matched, so a fuzzy match can be corrected ("Did you mean...")."""
    council = directory.councils.get(found.council or "")
    if council is None:
        return ""
    if found.fuzzy or key_differs(found.said, council.area):
        return f"I've taken that as {found.said}, in the {council.name} area. If that's wrong, tell me your town or council."
    return ""


def key_differs(said: str, area: str) -> bool:
    return said.lower() != area.lower()

"""The help directory (knowledge/directory, bot/directory): the knowledge check over every council and
national service, finding the parent's council from what they type, and the one-tap contacts shown."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.directory import find_area, load_directory
from bot.directory import replies as r
from bot.directory.answers import place_answer, who_can_help
from bot.directory.entities import area_entities
from bot.directory.places import is_only_a_place

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
TODAY = dt.date(2026, 12, 4)


@pytest.fixture(scope="module")
def directory():
    return load_directory(KNOWLEDGE, TODAY)


def test_the_real_directory_passes_the_check_and_covers_england(directory) -> None:
    assert directory.problems == []
    assert len(directory.councils) == 153  # every English council with SEND duties
    assert 10 <= len(directory.checked_councils) < 153  # most are honestly "not checked" this time
    # Cumbria split in April 2023; North Yorkshire and Somerset became single councils.
    assert {"cumberland", "westmorland-and-furness", "north-yorkshire", "somerset"} <= set(directory.councils)
    assert "cumbria" not in directory.councils
    for service in (
        "ipsea",
        "contact",
        "child-law-advice",
        "exclusions-hub",
        "sossen",
        "samaritans",
        "childline",
        "nhs-111",
        "snap-cymru",
        "enquire",
        "senac",
    ):
        assert service in directory.services
    assert directory.finder is not None and directory.finder.website == "https://www.gov.uk/find-your-local-council"


def test_every_contact_has_a_source_and_a_check_date(directory) -> None:
    contacts = [c for council in directory.councils.values() for c in council.contacts.values()]
    contacts += [s.contact for s in directory.services.values()]
    assert contacts
    for contact in contacts:
        assert contact.source.startswith(("https://", "http://")) and contact.checked <= TODAY


# (what the parent typed, the council id it should find)
PLACES = [
    # councils as named
    ("Leeds", "leeds"),
    ("Kent", "kent"),
    ("Tower Hamlets", "tower-hamlets"),
    ("Birmingham", "birmingham"),
    ("Manchester", "manchester"),
    ("Bristol", "bristol"),
    ("City of Bristol", "bristol"),
    ("Sheffield", "sheffield"),
    ("Cornwall", "cornwall"),
    ("North Yorkshire", "north-yorkshire"),
    ("Somerset", "somerset"),
    ("Hull", "hull"),
    ("Kingston upon Hull", "hull"),
    ("Stoke", "stoke-on-trent"),
    ("Stoke-on-Trent", "stoke-on-trent"),
    ("St Helens", "st-helens"),
    ("St. Helens", "st-helens"),
    ("Saint Helens", "st-helens"),
    ("York", "york"),
    ("County Durham", "durham"),
    ("Isle of Wight", "isle-of-wight"),
    ("Isles of Scilly", "isles-of-scilly"),
    ("City of London", "city-of-london"),
    ("Westminster", "westminster"),
    ("Hammersmith & Fulham", "hammersmith-and-fulham"),
    ("Brighton and Hove", "brighton-and-hove"),
    ("BCP", "bcp"),
    ("BANES", "bath-and-north-east-somerset"),
    ("Milton Keynes", "milton-keynes"),
    ("Telford & Wrekin", "telford-and-wrekin"),
    ("Cumberland", "cumberland"),
    ("Westmorland and Furness", "westmorland-and-furness"),
    ("Herts", "hertfordshire"),
    ("Notts", "nottinghamshire"),
    ("Kent County Council", "kent"),
    ("Leeds City Council", "leeds"),
    ("Rutland", "rutland"),
    # towns and districts in two-tier areas: the county council has the SEND duties
    ("Ashford", "kent"),
    ("Maidstone", "kent"),
    ("Canterbury", "kent"),
    ("Tunbridge Wells", "kent"),
    ("Cambridge", "cambridgeshire"),
    ("Ely", "cambridgeshire"),
    ("Chesterfield", "derbyshire"),
    ("Buxton", "derbyshire"),
    ("Exeter", "devon"),
    ("Barnstaple", "devon"),
    ("Eastbourne", "east-sussex"),
    ("Hastings", "east-sussex"),
    ("Chelmsford", "essex"),
    ("Colchester", "essex"),
    ("Basildon", "essex"),
    ("Cheltenham", "gloucestershire"),
    ("Gloucester", "gloucestershire"),
    ("Winchester", "hampshire"),
    ("Basingstoke", "hampshire"),
    ("Watford", "hertfordshire"),
    ("Stevenage", "hertfordshire"),
    ("Preston", "lancashire"),
    ("Burnley", "lancashire"),
    ("Loughborough", "leicestershire"),
    ("Lincoln", "lincolnshire"),
    ("Grantham", "lincolnshire"),
    ("Norwich", "norfolk"),
    ("King's Lynn", "norfolk"),
    ("Mansfield", "nottinghamshire"),
    ("Oxford", "oxfordshire"),
    ("Banbury", "oxfordshire"),
    ("Stafford", "staffordshire"),
    ("Tamworth", "staffordshire"),
    ("Ipswich", "suffolk"),
    ("Lowestoft", "suffolk"),
    ("Guildford", "surrey"),
    ("Woking", "surrey"),
    ("Rugby", "warwickshire"),
    ("Nuneaton", "warwickshire"),
    ("Crawley", "west-sussex"),
    ("Worthing", "west-sussex"),
    ("Kidderminster", "worcestershire"),
    ("Redditch", "worcestershire"),
    # towns in unitary and metropolitan areas
    ("Harrogate", "north-yorkshire"),
    ("Scarborough", "north-yorkshire"),
    ("Taunton", "somerset"),
    ("Yeovil", "somerset"),
    ("Carlisle", "cumberland"),
    ("Kendal", "westmorland-and-furness"),
    ("Barrow-in-Furness", "westmorland-and-furness"),
    ("Huddersfield", "kirklees"),
    ("Halifax", "calderdale"),
    ("Southport", "sefton"),
    ("Birkenhead", "wirral"),
    ("Wembley", "brent"),
    ("Romford", "havering"),
    ("Ilford", "redbridge"),
    ("Stratford", "newham"),
    ("Stratford-upon-Avon", "warwickshire"),
    ("Grimsby", "north-east-lincolnshire"),
    ("Scunthorpe", "north-lincolnshire"),
    ("Chatham", "medway"),
    ("Torquay", "torbay"),
    ("Bournemouth", "bcp"),
    ("Poole", "bcp"),
    ("Crewe", "cheshire-east"),
    ("Chester", "cheshire-west-and-chester"),
    ("Widnes", "halton"),
    ("Weston-super-Mare", "north-somerset"),
    ("Grays", "thurrock"),
    ("Newbury", "west-berkshire"),
    ("Northampton", "west-northamptonshire"),
    ("Kettering", "north-northamptonshire"),
    ("Salisbury", "wiltshire"),
    ("Shrewsbury", "shropshire"),
    ("Truro", "cornwall"),
    ("Newcastle", "newcastle-upon-tyne"),
    # in a sentence
    ("we're in Kent", "kent"),
    ("we live in Tower Hamlets", "tower-hamlets"),
    ("We're from Sheffield", "sheffield"),
    ("my son is in year 9 at an academy in Leeds", "leeds"),
    ("we live in Reading", "reading"),
    ("our council is Hampshire", "hampshire"),
    ("Bury council won't answer", "bury"),
    ("leeds please", "leeds"),
    # misspellings
    ("Manchster", "manchester"),
    ("Birmingam", "birmingham"),
    ("Leicestor", "leicester"),
    ("Leads", "leeds"),
    ("Wakefeild", "wakefield"),
    ("Tower Hamlts", "tower-hamlets"),
    ("Scunthorp", "north-lincolnshire"),
    ("Newcastel", "newcastle-upon-tyne"),
    ("Notingham", "nottingham"),
    ("Peterbrough", "peterborough"),
    ("Southamptn", "southampton"),
    ("Hartlepol", "hartlepool"),
    ("Darlingtn", "darlington"),
    ("Glocester", "gloucestershire"),
]


@pytest.mark.parametrize(("typed", "council"), PLACES)
def test_places_and_misspellings_find_the_right_council(directory, typed: str, council: str) -> None:
    found = find_area(directory, typed)
    assert found is not None and found.council == council, found


def test_at_least_100_places_are_tested() -> None:
    assert len(PLACES) >= 100


@pytest.mark.parametrize(
    "typed",
    [
        "my son has been excluded",
        "I am reading the letter",
        "he was excluded in March",
        "he is in year 11",
        "we've had one phone triage from camhs in 9 months",
        "CAMHS",
        "hello",
        "yes",
        "",
        "   ",
        "\u200b\u200b",
        "<script>alert(1)</script>",
        "\U0001f600\U0001f600",
        "Atlantis",
        "Narnia please",
        "x" * 5000,
    ],
)
def test_words_that_are_not_places_find_nothing(directory, typed: str) -> None:
    assert find_area(directory, typed) is None


def test_shared_names_and_other_nations_are_answered_honestly(directory) -> None:
    cumbria = find_area(directory, "Cumbria")
    assert cumbria.council is None and set(cumbria.choices) == {"cumberland", "westmorland-and-furness"}
    assert "Cumberland or Westmorland and Furness" in r.area_reply(directory, cumbria)
    london = find_area(directory, "London")
    assert len(london.choices) == 33 and "33 councils" in r.area_reply(directory, london)
    cardiff = find_area(directory, "we live in Cardiff, the school won't write an IDP for my son")
    assert cardiff.nation == "wales"
    text = r.area_reply(directory, cardiff)
    assert "I only explain the law in England" in text and "SNAP Cymru" in text
    moved = find_area(directory, "We've just moved from Bristol to Swansea for my partner's job")
    assert moved.nation == "wales"  # not Bristol, which they have left


def test_a_checked_council_shows_one_tap_contacts_with_their_source(directory) -> None:
    text = r.local_help(directory, "leeds")
    assert "[0113 378 5020](tel:+441133785020)" in text
    assert "Monday to Friday, 10am to 3pm" in text
    assert "Sources: [1](https://newtoleeds.org/children-with-learning-and-physical-disabilities/)" in text
    assert "Checked 4 December 2026" in text


def test_a_council_not_checked_says_so_and_shows_the_finder(directory) -> None:
    text = r.local_help(directory, "bolton")
    assert "I haven't checked its contact details yet" in text
    assert "(https://www.gov.uk/find-your-local-council)" in text
    assert "tel:" not in text


def test_national_help_fits_the_situation(directory) -> None:
    exclusions = "\n".join(r.national_help(directory, "permanent-exclusion"))
    assert "Child Law Advice" in exclusions and "School Exclusions Hub" in exclusions
    appeals = "\n".join(r.national_help(directory, "tribunal-appeal"))
    assert appeals.index("IPSEA") < appeals.index("Contact")
    health = "\n".join(r.national_help(directory, "camhs-waiting", "stoke-on-trent"))
    assert "Patient Advice and Liaison Service" in health and "[0808 196 8861](tel:+448081968861)" in health
    assert "tel:111" in health
    assert "Child Law Advice" not in health


def test_tel_links_are_dialable() -> None:
    assert r.tel_link("0113 378 5020") == "[0113 378 5020](tel:+441133785020)"
    assert r.tel_link("116 123") == "[116 123](tel:116123)"
    assert r.tel_link("111") == "[111](tel:111)"


def test_who_can_help_asks_for_the_town_once_and_uses_the_partners_area(directory) -> None:
    first = who_can_help(directory, "ehc-delay", None, asked=False)
    assert r.ASK_AREA in first.local[0] and first.slots == {"area_asked": True}
    again = who_can_help(directory, "ehc-delay", None, asked=True)
    assert r.ASK_AREA not in again.local[0] and again.slots == {}
    remembered = who_can_help(directory, "ehc-delay", "leeds", asked=True)
    assert "tel:+441133785020" in remembered.local[0]
    partner = who_can_help(directory, "ehc-delay", None, asked=False, partner_areas=("Peterborough",))
    assert "tel:+443003651020" in partner.local[0] and partner.slots == {}
    own_list = who_can_help(directory, "talk-to-adviser", None, asked=True, partner_services=("ipsea", "contact"))
    assert not any("**IPSEA**" in t or "**Contact**" in t for t in own_list.national)


def test_in_a_crisis_the_emergency_lines_lead(directory) -> None:
    found = who_can_help(directory, "crisis", "leeds", asked=True)
    assert "tel:116123" in found.local[0] and "tel:+448001111" in "\n".join(found.local)
    assert "Help near you: Leeds" in found.national[0]


def test_a_message_that_only_names_a_place_is_answered_with_local_help(directory) -> None:
    texts, slots = place_answer(directory, "Leeds")
    assert slots == {"area": "leeds"} and "tel:+441133785020" in texts[-1]
    texts, slots = place_answer(directory, "Manchster")
    assert texts[0].startswith("I've taken that as Manchester") and slots == {"area": "manchester"}
    assert place_answer(directory, "my son has been excluded from school in Leeds") is None
    assert is_only_a_place(directory, "we're in Kent")


def test_the_area_is_an_entity_over_the_parents_words() -> None:
    text = "we live in Tower Hamlets and he has autism"
    assert area_entities(text) == [{"entity": "area", "value": "tower-hamlets", "start": 11, "end": 24}]
    assert area_entities("we live in Cardiff") == []  # signposted, not remembered
    assert area_entities("Cumbria") == []


def _broken_copy(tmp_path: Path, old: str, new: str, name: str = "councils.yml") -> list[str]:
    shutil.copytree(KNOWLEDGE / "directory", tmp_path / "directory")
    path = tmp_path / "directory" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [p.message for p in load_directory(tmp_path, TODAY).problems if p.severity == "error"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('phone: "0113 378 5020"', 'phone: "call 0113"', "must be a UK number"),
        ('phone: "0113 378 5020"', 'phone: "0113 378 50201 12"', "must be a UK number"),
        (
            ', source: "https://newtoleeds.org/children-with-learning-and-physical-disabilities/"',
            "",
            "needs 'source'",
        ),
        ('hours: "Monday to Friday, 10am to 3pm; answerphone at other times", source', "source", None),
        ("{id: bury, name: Bury Council", "{id: leeds, name: Bury Council", "listed twice"),
        ("places: [Kempston]", "places: [Kempston, Maidstone]", "listed under both"),
        (
            "places: [Whickham, Blaydon, Birtley, Felling, Ryton], checked: no}",
            "places: [Whickham, Blaydon, Birtley, Felling, Ryton]}",
            "write 'checked: no'",
        ),
        ("review_by: 2027-03-04", "review_by: 2028-03-04", "within 183 days"),
    ],
)
def test_the_check_catches_mistakes_in_councils(tmp_path: Path, old: str, new: str, message: str | None) -> None:
    errors = _broken_copy(tmp_path, old, new)
    if message is None:
        assert errors == []
    else:
        assert any(message in e for e in errors), errors


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('phone: "116 123"', 'phone: "116 1234567"', "must be a UK number"),
        ("website: https://www.samaritans.org\n", "website: http://www.samaritans.org\n", "must be an https address"),
        ("    checked: 2026-12-04\n  - id: childline", "    checked: 2027-01-04\n  - id: childline", "in the future"),
        ("  - id: childline\n", "  - id: samaritans\n", "used once"),
        ("topics: [crisis]", "topics: [weather]", "topics must list"),
    ],
)
def test_the_check_catches_mistakes_in_national_services(tmp_path: Path, old: str, new: str, message: str) -> None:
    errors = _broken_copy(tmp_path, old, new, "national.yml")
    assert any(message in e for e in errors), errors


def test_a_passed_review_date_is_a_warning(tmp_path: Path) -> None:
    shutil.copytree(KNOWLEDGE / "directory", tmp_path / "directory")
    late = load_directory(tmp_path, dt.date(2027, 6, 1)).problems
    assert late and all(p.severity == "warning" for p in late)


def test_the_served_directory_is_read_again_only_when_a_file_changes(tmp_path) -> None:
    from bot.directory.load import served_directory

    shutil.copytree(KNOWLEDGE / "directory", tmp_path / "directory")
    first = served_directory(tmp_path, dt.date(2026, 12, 4))
    assert served_directory(tmp_path, dt.date(2026, 12, 4)) is first  # unchanged: not read again
    councils = tmp_path / "directory" / "councils.yml"
    councils.write_text(councils.read_text().replace("name: Leeds City Council", "name: Leeds Council"))
    edited = served_directory(tmp_path, dt.date(2026, 12, 4))
    assert edited is not first and edited.councils["leeds"].name == "Leeds Council"
    assert served_directory(tmp_path, dt.date(2026, 12, 5)) is not edited  # a new day: review dates again

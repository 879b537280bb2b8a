"""Redaction of personal data in parents' messages: what must go, and what the assistant must keep."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.storage.redact import (
    DATE_OF_BIRTH,
    EMAIL,
    NAME,
    NHS_NUMBER,
    NUMBER,
    PHONE,
    POSTCODE,
    PUPIL_NUMBER,
    find_personal_data,
    redact,
    redact_known,
)

ROOT = Path(__file__).resolve().parent.parent

# --- must be redacted --------------------------------------------------------------------------------

REDACTED = [
    # e-mail addresses
    ("Email me at jo.bloggs+sen@example.co.uk please", "Email me at [email] please"),
    ("I emailed sen.team@leeds.gov.uk on 3 March", "I emailed [email] on 3 March"),
    ("my email is o'neill.family@gmail.com.", "my email is [email]."),
    # phone numbers: mobile, landline, +44, brackets, dashes
    ("call 07700 900123 after 3", "call [phone] after 3"),
    ("my mobile is 07700900123", "my mobile is [phone]"),
    ("ring +44 (0)20 7946 0000", "ring [phone]"),
    ("+44 7700 900123 is best", "[phone] is best"),
    ("+447700900123", "[phone]"),
    ("0044 161 496 0000", "[phone]"),
    ("my number is 0161-496-0000.", "my number is [phone]."),
    ("(020) 7946 0000 is the landline", "[phone] is the landline"),
    ("we are on 01234 567890", "we are on [phone]"),
    ("I called the council on 0300 123 4567 and they hung up", "I called the council on [phone] and they hung up"),
    ("call me on 07123456789 or 0161 234 5678", "call me on [phone] or [phone]"),
    # postcodes, any case, with or without the space
    ("We live at 12 High Street, Leeds LS1 4AP", "We live at 12 High Street, Leeds [postcode]"),
    ("postcode m1 1ae", "postcode [postcode]"),
    ("SW1A1AA", "[postcode]"),
    ("their postcode is B15 2TT and ours is B17 8JQ", "their postcode is [postcode] and ours is [postcode]"),
    ("we're in EC1A 1BB", "we're in [postcode]"),
    ("near CR2 6XH.", "near [postcode]."),
    ("the school is at B1 2ND", "the school is at [postcode]"),  # capitals: a postcode, not "2nd"
    # NHS numbers and other identifying numbers
    ("his NHS number is 943 476 5919", "his NHS number is [NHS number]"),
    ("NHS no: 9434765919", "NHS no: [NHS number]"),
    ("nhs number 943-476-5919", "nhs number [NHS number]"),
    ("the number on the letter is 485 777 3456", "the number on the letter is [NHS number]"),
    ("reference 9434765919 on his records", "reference [NHS number] on his records"),
    ("UPN A123456789012", "UPN [pupil number]"),
    ("account 1234567890123", "account [number]"),
    # dates of birth, only when introduced as such
    ("my son was born on 3/4/2015", "my son was born on [date of birth]"),
    ("DOB 03.04.2015", "DOB [date of birth]"),
    ("D.O.B: 3rd April 2015", "D.O.B: [date of birth]"),
    ("dob 2015-04-03", "dob [date of birth]"),
    ("date of birth is 12/12/12", "date of birth is [date of birth]"),
    ("his birthday is 3rd April", "his birthday is [date of birth]"),
    ("his birthday is the 3rd of April", "his birthday is [date of birth]"),
    ("her birthday's on 14 Feb", "her birthday's on [date of birth]"),
    ("she was born in March 2016", "she was born in [date of birth]"),
    ("born prematurely on 12 June 2017", "born prematurely on [date of birth]"),
    (
        "He was born on the 1st of May 2014 and diagnosed in 2019",
        "He was born on [date of birth] and diagnosed in 2019",
    ),
    ("born April 3rd, 2015", "born [date of birth]"),
    ("he is 7 (born 3/4/17)", "he is 7 (born [date of birth])"),
    # names the parent introduces
    ("my son Jack has autism", "my son [name] has autism"),
    ("my daughter, Amelia-Rose, is 7", "my daughter, [name], is 7"),
    ("her name is Priya", "her name is [name]"),
    ("her name is priya and priya is 6", "her name is [name] and [name] is 6"),
    ("I'm Sarah and my son is in Year 6", "I'm [name] and my son is in Year 6"),
    ("Hi, I am Sarah", "Hi, I am [name]"),
    ("this is Emma, I need help with transport", "this is [name], I need help with transport"),
    ("Our son Oliver (Year 4) is on a reduced timetable", "Our son [name] (Year 4) is on a reduced timetable"),
    ("my 7 year old son Tom Smith was excluded", "my 7 year old son [name] was excluded"),
    ("my sons Jack and Tom both have EHCPs", "my sons [name] and [name] both have EHCPs"),
    ("My twins Ava and Isla start Reception in September", "My twins [name] and [name] start Reception in September"),
    ("my eldest, Freddie, is in Year 11", "my eldest, [name], is in Year 11"),
    ("my little one Alfie is 3", "my little one [name] is 3"),
    ("my boy Harvey was excluded for 5 days", "my boy [name] was excluded for 5 days"),
    ("can my daughter Zoë go to a special school?", "can my daughter [name] go to a special school?"),
    ("My child Ángel has Down syndrome", "My child [name] has Down syndrome"),
    ("my son O'Connor-Smith is 9", "my son [name] is 9"),
    ("Hi my name is Kerry and my son is 12", "Hi my name is [name] and my son is 12"),
    ("My name's Dave", "My name's [name]"),
    ("my daughter is called Amelia", "my daughter is called [name]"),
    ("he's called Reuben", "he's called [name]"),
    ("I am Mum to Lily, Rose and Max", "I am Mum to [name], [name] and [name]"),
    ("mum to Leo", "mum to [name]"),
    ("I'm Jack's dad", "I'm [name]'s dad"),
    (
        "this is Emma, I need help with my son Leo's transport",
        "this is [name], I need help with my son [name]'s transport",
    ),
    ("my son Jack is 9. Jack's teacher says he is fine", "my son [name] is 9. [name]'s teacher says he is fine"),
    ("My son Will starts school in September", "My son [name] starts school in September"),
    ("Update: Oliver is still not in school", "Update: [name] is still not in school"),
    ("Question: Will is my son, can he go", "Question: [name] is my son, can he go"),
    ("Thanks, Sarah x", "Thanks, [name] x"),
    ("Thank you so much.\nKind regards,\nPriya Shah", "Thank you so much.\nKind regards,\n[name]"),
    ("Love,\nSarah", "Love,\n[name]"),
    # staff names: the title and role stay, the name goes
    ("Mr Jones the SENCO said no", "Mr [name] the SENCO said no"),
    ("mrs smith the head refused", "mrs [name] the head refused"),
    (
        "My son's SENCO, Mrs Patel, said they can't meet his needs",
        "My son's SENCO, Mrs [name], said they can't meet his needs",
    ),
    ("Dr Smith the paediatrician diagnosed him", "Dr [name] the paediatrician diagnosed him"),
    ("Ms O'Brien, the head of year, won't reply", "Ms [name], the head of year, won't reply"),
    ("I called Ofsted and then called Tom at the council", "I called Ofsted and then called [name] at the council"),
    # several kinds in one message
    (
        "My son Jack Smith-Jones, D.O.B 12/12/2012, NHS 485 777 3456, lives at LS1 4AP",
        "My son [name], D.O.B [date of birth], NHS [NHS number], lives at [postcode]",
    ),
    (
        "Hi I'm Sarah (07700 900123, sarah@example.com). My daughter Mia was born on 3 April 2016.",
        "Hi I'm [name] ([phone], [email]). My daughter [name] was born on [date of birth].",
    ),
]


@pytest.mark.parametrize(("text", "expected"), REDACTED)
def test_personal_data_is_replaced_with_a_tag(text: str, expected: str) -> None:
    assert redact(text) == expected


# --- must be kept ------------------------------------------------------------------------------------

KEPT = [
    # legal citations
    "Section 19 of the Education Act 1996 says the council must arrange education",
    "section 19 applies after 15 school days",
    "s.42 of the Children and Families Act 2014 says the LA must secure the provision",
    "the council missed the deadline in regulation 13(2)",
    "see SEND Code of Practice 9.39 and paragraph 6.15",
    "The SEND Regulations 2014 (SI 2014/1530), reg 10(4), say 6 weeks",
    "Is it legal? Part 3 of the Children and Families Act 2014 says otherwise",
    "The Equality Act 2010, section 20, reasonable adjustments",
    "Under section 36(8) the test is whether he may have SEN",
    # dates of requests, decisions and deadlines
    "we applied on 3 March 2026",
    "we applied on 12/01/2026, it's been 20 weeks",
    "I applied on 4th November 2025 and it's now 22 weeks",
    "Regulation 10(4) says 6 weeks. We asked on 01/09/2025.",
    "the decision letter is dated 2026-01-12",
    "the annual review is on 14 March",
    "the draft plan came on 01.02.2026 and the final on 01.03.2026",
    "He was born early and on 3 March 2026 we applied for an EHCP",
    "his birthday is next week and the review is on 3 May",
    "my son's birthday is next week",
    # years, ages, school years, numbers of days
    "he was born in 2015 so he is in Year 6",
    "My daughter is 14, born 2011, Year 9",
    "he is in Y6 2nd half term",
    "he's in Y9 3rd set",
    "My son is in KS2 3rd year",
    "he has a 2hr session, Y10 2hr a day",
    "the 2025-2026 school year",
    "2024 2025 2026",
    "He gets 15 hours a week of TA time, costing £6000",
    "The EHCP says 25 hours 1:1 support",
    "excluded for 45 days in total this year",
    "my son will be 5 in 2026-2027",
    "the tribunal reference is EH123/45/67890",
    "Childline is 0800 1111 and Samaritans 116 123",
    # ordinary capitalised words, acronyms and organisations
    "My son School refused to assess him",
    "My daughter Has an EHCP but the school ignores it",
    "My son, Who is 9, was excluded",
    "the school said my son ADHD is not bad enough",
    "My son has ADHD and the school won't apply under section 36",
    "my son has been out of school since January. The council says Section 19 doesn't apply",
    "I'm Not sure what to do",
    "I am Autistic myself and my son is too",
    "I'm scared I'm going to hurt my child, I've never felt like this before",
    "It's Monday and I called SENDIASS",
    "I thought they were called EHCPs now, the SENCOs keep saying statements",
    "Background: year 4, autistic. Question: Will the council pay for transport?",
    "Morning 👋 Hope someone can help, the council missed the deadline again",
    "ugh 🙄 Will they ever answer an email",
    "It is Tuesday and still no reply",
    "This is Ridiculous",
    "Can I call Contact or IPSEA?",
    "Dear Sir, my son is being excluded",
    "Thanks for your help",
    "Thank you!",
    "Thanks, that helps",
    "He moved from Leeds",
    "he gets the bus from Manchester",
    "Will the council pay? May they refuse?",
    "We're in Year 6 and the annual review is on 14 March",
    "My son's EHCP names a mainstream school",
    "the named school in Section I",
    "my son is called names at school",
    "he was called stupid by a teacher",
    "my daughter is called amelia",  # lowercase after "called" is not taken as a name: a known gap
    "my daughter is down for a place",
    "his name is not on the list",
    "miss school a lot",
    "I'm a single mum. My son is 8.",
]


@pytest.mark.parametrize("text", KEPT)
def test_what_the_assistant_needs_is_kept(text: str) -> None:
    assert redact(text) == text


def _training_examples() -> list[str]:
    """Every example the NLU data and the held-out tests hold: thousands of realistic parent messages."""
    examples = []
    for path in [*sorted((ROOT / "data" / "nlu").glob("*.yml")), *sorted((ROOT / "tests" / "nlu").glob("*.yml"))]:
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(item.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    examples.append(line.strip()[2:])
    return examples


def test_no_ordinary_message_in_the_training_data_is_changed() -> None:
    # The training data holds no personal data (names are never used), so any change is a false redaction.
    examples = _training_examples()
    assert len(examples) > 1000
    changed = [(text, redact(text)) for text in examples if redact(text) != text]
    assert changed == []


# --- the functions -----------------------------------------------------------------------------------


def test_found_items_carry_position_tag_and_the_original_words() -> None:
    text = "I'm Sarah, call 07700 900123"
    found = find_personal_data(text)
    assert [(f.tag, f.text) for f in found] == [(NAME, "Sarah"), (PHONE, "07700 900123")]
    assert all(text[f.start : f.end] == f.text for f in found)


def test_every_tag_is_used() -> None:
    text = (
        "I'm Sarah, sarah@example.com, 07700 900123, LS1 4AP, NHS 943 476 5919, UPN A123456789012, "
        "ref 1234567890123, born on 3/4/2015"
    )
    tags = {f.tag for f in find_personal_data(text)}
    assert tags == {NAME, EMAIL, PHONE, POSTCODE, NHS_NUMBER, PUPIL_NUMBER, NUMBER, DATE_OF_BIRTH}


def test_one_placeholder_for_everything_when_asked() -> None:
    assert redact("I'm Sarah, call 07700 900123", placeholder="[removed]") == "I'm [removed], call [removed]"


def test_a_birth_date_is_not_also_a_phone_number_or_a_name() -> None:
    assert [f.tag for f in find_personal_data("DOB 03.04.2015")] == [DATE_OF_BIRTH]


def test_redact_known_replaces_whole_words_copied_from_a_message() -> None:
    found = find_personal_data("my son Al was born on 3/4/2015")
    assert redact_known("3/4/2015", found) == "[date of birth]"
    assert redact_known("Al", found) == "[name]"
    assert redact_known("Alternative provision", found) == "Alternative provision"


def test_redaction_is_stable() -> None:
    # Redacting twice changes nothing more: tags are never mistaken for personal data.
    for text, expected in REDACTED:
        assert redact(redact(text)) == expected

"""Things parents are told, answered first (issue 13, point 6).

The claims file is validated like the other knowledge files (file and line on every problem); each claim
is recognised in realistic messages and not in ordinary ones that only mention the topic; the verdict is
one short bubble with numbered source links; the first answer says it before the usual answer; and the
file is served only once signed off.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

import actions.actions as acts
from bot.cli.main import main
from bot.content import claims, review
from bot.content.claims import MAX_BUBBLE_CHARS, ClaimGuide, claim_files, parse_claims, plain_form, verdict_text
from bot.content.render import LINKS_LINE, chunk
from bot.content.validation import CITATION_MARKER
from bot.understanding.intents import situation_intents
from tests.actions_helpers import make_service, run_action, texts, tracker

ROOT = Path(__file__).resolve().parent.parent
CLAIMS_FILE = ROOT / "knowledge" / "claims" / "claims.yml"
CFA_36 = "https://www.legislation.gov.uk/ukpga/2014/6/section/36"


@pytest.fixture(scope="module")
def guide() -> ClaimGuide:
    found, problems = parse_claims(CLAIMS_FILE, situation_intents())
    assert found is not None, "\n".join(str(p) for p in problems)
    return found


# --- recognising what a parent was told -------------------------------------------------------------

# Each claim with the situation it was said in and at least three ways a parent might repeat it.
PHRASINGS: dict[str, tuple[str, list[str]]] = {
    "gap-before-assessment": (
        "request_ehc_assessment",
        [
            "The SENCo says they won't apply for an EHCP until he's two years behind.",
            "school said she has to be at least 2 years behind to get an EHC needs assessment",
            "I was told he isn't far enough behind for an EHCP",
            "the council said he needs to be three years behind before they will assess",
        ],
    ),
    "wait-before-assessment": (
        "request_ehc_assessment",
        [
            "The school says we must wait a year before asking for an EHC needs assessment.",
            "SENCO says we need two more terms of SEN support before requesting an EHC needs assessment",
            "Council letter says she can't be assessed because she hasn't had two cycles of assess, plan, do, review.",
            "School say we have to wait until he's been on SEN support for two years before we can apply for an EHCP",
            "school says wait a year for ehcp",
        ],
    ),
    "only-school-can-ask": (
        "request_ehc_assessment",
        [
            "the school said only they can apply for an EHCP",
            "I was told parents can't apply for an EHC needs assessment, it has to come from the school",
            "The SENCO said the school has to make the request for the assessment.",
            "Only the SENCO can request an EHCNA according to the head.",
        ],
    ),
    "diagnosis-needed": (
        "diagnosis_waiting",
        [
            "School says they can't put SEN support in place without a diagnosis.",
            "they won't put any support in place until he has an autism diagnosis, is that right?",
            "Her school has told me that without a diagnosis they are unable to offer any adjustments.",
            "School say no diagnosis, no help.",
            "SENCO said we need an autism diagnosis before anyone can ask for an EHC assessment.",
        ],
    ),
    "no-help-without-plan": (
        "sen_support",
        [
            "The SENCO said they can't do anything more without an EHCP.",
            "they won't give him a TA unless he has an EHCP",
            "Without an EHC plan there's nothing more the school can do, apparently.",
            "School say he needs an EHCP to get 1:1 support.",
        ],
    ),
    "agreed-exclusion": (
        "informal_exclusion",
        [
            "the head says it isn't an exclusion if I agree to take him home, is that right?",
            "school insists it's not an exclusion, it's just a \u201ccool off\u201d at home",
            "They keep sending him home and the school calls it cooling off",
            "they say it doesn't count as an exclusion because I came and got him",
            "The school says it's fine as long as I agree to pick him up early.",
        ],
    ),
    "meeting-before-return": (
        "suspension",
        [
            "the school are saying he can't come back until I attend, which seems wrong to me",
            "his suspension ended but they say he can't come back until we've had a meeting",
            "She's not allowed back in school until I come in for a meeting with the head.",
            "We were told to keep him at home until a meeting can be arranged.",
        ],
    ),
    "part-time-timetable": (
        "reduced_timetable",
        [
            "the SENCO says a part-time timetable is fine as long as I agree to it",
            "deputy head told me a reduced timetable doesn't count as absence so it doesn't matter how long it lasts",
            "They told me the part time timetable is legal because we agreed to it.",
            "school said reduced hours can go on indefinitely",
        ],
    ),
    "school-full": (
        "school_placement",
        [
            "The admissions team says our catchment school is oversubscribed. She has an EHC plan and it was my first choice.",
            "all the special schools near us are full and the council says they'll name the nearest one with a space",
            "council consulted the special school and they said no places",
            "the LA won't name the school in section I because it's full",
        ],
    ),
    "plan-ends": (
        "post16_transition",
        [
            "the council said his EHCP will end when he leaves school at 16",
            "the SENCO said EHCPs stop at 19 anyway so there's no point updating it",
            "we've been told the ehcp ends at 19 no matter what",
            "college said she'll lose her EHCP at 18",
            "I was told plans only last until 18.",
        ],
    ),
    "transport-distance": (
        "school_transport",
        [
            "the council said he's not eligible for transport because we live 2.8 miles away, but he can't walk it",
            "they still won't give transport because they say the school is within walking distance",
            "my son would have to walk 2.9 miles and the council says that's under the limit",
            "transport was refused because the council say he can walk the 2.5 miles",
            "they said we live too close to the school for a taxi",
        ],
    ),
    "mediation-first": (
        "mediation",
        [
            "council said I have to go through mediation before I can appeal, is that right?",
            "the LA told me mediation is compulsory even though I only want to appeal the school named",
            "someone said I have to do mediation first. is that true?",
            "The council says we can't appeal until we've been to mediation.",
        ],
    ),
    "no-money-for-plan": (
        "ehc_provision_not_delivered",
        [
            "school say they dont have the funding to deliver whats in her plan",
            "council say they can't commission the speech therapy because there's a shortage of therapists",
            "school say they'll deliver the plan once the funding comes through",
            "the head says the SEN budget has run out so his interventions have stopped",
        ],
    ),
    "delay-excuse": (
        "ehc_delay",
        [
            "We're at week 28 and still no draft. The LA is blaming a lack of EP capacity.",
            "caseworker told me they're behind because of staff shortages",
            "The council says they have too many requests so it will take longer than 20 weeks.",
            "they said the delay is due to a shortage of educational psychologists",
        ],
    ),
    "medical-evidence": (
        "school_refusal_anxiety",
        [
            "school wants a doctor's note for every single day she misses because of anxiety",
            "the school say a GP letter isn't enough evidence",
            "they won't accept my word that she's too anxious to come in, they want medical evidence",
            "They won't authorise her absence without a letter from the doctor.",
        ],
    ),
}

# Messages about the same topics that repeat nothing the school or council said: no claim.
ORDINARY: list[tuple[str, str]] = [
    ("mediation", "can you tell me about mediation"),
    ("mediation", "Do I have to go to mediation before I can appeal?"),
    ("mediation", "do i HAVE to do mediation?"),
    ("mediation", "Please could you advise whether mediation is mandatory. My appeal is only about the school."),
    ("mediation", "I have to go to mediation next week, what happens there?"),
    ("tribunal_appeal", "how do I appeal to the tribunal"),
    ("request_ehc_assessment", "How do I ask for an EHC needs assessment?"),
    ("request_ehc_assessment", "Can we ask for an assessment now or do we have to wait until reception?"),
    ("request_ehc_assessment", "he's three years behind in reading and I want to ask for an EHCP"),
    ("request_ehc_assessment", "the school is going to apply for an EHC needs assessment next term"),
    ("ehc_assessment_refused", "the decision was not to assess, do I have to wait 6 months before I can ask again?"),
    ("ehc_assessment_refused", "the school have done four cycles of assess plan do review and still nothing"),
    ("diagnosis_waiting", "Does my son need an autism diagnosis before we request an EHC needs assessment?"),
    ("diagnosis_waiting", "we're still waiting for an autism diagnosis, what can school do?"),
    ("diagnosis_waiting", "Doctor referred my son for an assessment, but they say wait 3 years"),
    ("sen_support", "What support should the school give without an EHCP?"),
    ("informal_exclusion", "The school told me to take him home for a cooling off afternoon. Is that an exclusion?"),
    ("informal_exclusion", "they keep ringing me to collect him early"),
    ("suspension", "he was suspended for 3 days, what happens at the reintegration meeting?"),
    (
        "reduced_timetable",
        "He has been on a part time timetable of 2 hours a day since Easter. How long can they do that?",
    ),
    ("reduced_timetable", "reduced timetable going on forever"),
    ("school_placement", "how do I get a school named in the plan"),
    ("school_placement", "the draft plan is full of mistakes"),
    ("school_placement", "the school is full so they won't take him"),
    ("post16_transition", "does the ehcp stop at 16"),
    ("post16_transition", "my son turns 16 next year, what happens with his plan?"),
    ("school_transport", "what is the statutory walking distance for an 8 year old?"),
    ("school_transport", "transport refused, school 10 miles away"),
    ("ehc_provision_not_delivered", "What is the point of an EHCP if nobody delivers it? Six months with no OT."),
    ("ehc_provision_not_delivered", "no salt in 6 months even though it's in the plan"),
    ("ehc_delay", "it has been 26 weeks and no plan"),
    ("school_refusal_anxiety", "I want a GP letter to back me up"),
]


def test_the_real_claims_file_is_valid(guide: ClaimGuide) -> None:
    assert guide.id == "claims"
    assert len(guide.claims) >= 10
    intents = set(situation_intents())
    assert all(set(claim.intents) <= intents for claim in guide.claims)


def test_every_claim_is_tried_with_at_least_three_phrasings(guide: ClaimGuide) -> None:
    assert set(PHRASINGS) == {claim.id for claim in guide.claims}
    assert all(len(phrasings) >= 3 for _, phrasings in PHRASINGS.values())


@pytest.mark.parametrize(
    ("claim_id", "intent", "message"),
    [(claim_id, intent, message) for claim_id, (intent, messages) in PHRASINGS.items() for message in messages],
)
def test_each_phrasing_is_recognised_as_its_claim(guide: ClaimGuide, claim_id: str, intent: str, message: str) -> None:
    found = guide.claims_in(message, intent)
    assert found, f"no claim recognised in {message!r}"
    assert found[0].id == claim_id


@pytest.mark.parametrize(("intent", "message"), ORDINARY)
def test_ordinary_messages_about_the_topic_match_no_claim(guide: ClaimGuide, intent: str, message: str) -> None:
    assert [claim.id for claim in guide.claims_in(message, intent)] == []


def test_a_claim_belongs_only_to_its_situations(guide: ClaimGuide) -> None:
    told = "council said I have to go through mediation before I can appeal"
    assert [c.id for c in guide.claims_in(told, "tribunal_appeal")] == ["mediation-first"]
    assert guide.claims_in(told, "school_transport") == []
    assert guide.claims_in(told, None) == []
    assert guide.claims_in("", "mediation") == []


def test_messages_are_read_without_apostrophes_hyphens_or_capitals() -> None:
    assert plain_form("It\u2019s NOT an exclusion - it's a part-time\ntimetable!") == (
        "its not an exclusion its a part time\ntimetable!"
    )


@pytest.mark.parametrize("claim_id", sorted(PHRASINGS))
def test_the_verdict_is_one_short_bubble_with_numbered_source_links(guide: ClaimGuide, claim_id: str) -> None:
    claim = next(claim for claim in guide.claims if claim.id == claim_id)
    text = verdict_text(guide, claim)
    body, links = text.rsplit("\n", 1)
    assert body.startswith(f"You said you were told that {claim.told}. {claim.verdict[:-1]}: ")
    assert LINKS_LINE.fullmatch(links)
    assert "[@" not in text and not CITATION_MARKER.search(text)
    assert len(body) <= MAX_BUBBLE_CHARS
    assert chunk(body) == [body]
    cited = {guide.source(key).url for key in CITATION_MARKER.findall(claim.why)}
    assert all(url in links for url in cited)


# --- validation, with the file and line of each problem ---------------------------------------------

VALID = textwrap.dedent(
    """\
    id: claims
    title: Common things parents are told
    sources:
      - key: cfa-s36
        title: Children and Families Act 2014, section 36
        citation: Children and Families Act 2014, s.36(1)
        url: https://www.legislation.gov.uk/ukpga/2014/6/section/36
    claims:
      - id: only-school-can-ask
        intents: [request_ehc_assessment]
        told: only the school can ask for an assessment
        verdict: That isn't right.
        why: You can ask the council yourself [@cfa-s36].
        patterns:
          - 'only (the )?school can (apply|ask)'
        examples:
          - "The head said only the school can apply."
    """
)


def write_claims(tmp_path: Path, text: str, name: str = "claims.yml") -> Path:
    path = tmp_path / "knowledge" / "claims" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


def errors(path: Path) -> list[tuple[int, str]]:
    _, problems = parse_claims(path, situation_intents())
    return [(p.line, p.message) for p in problems if p.severity == "error"]


def test_a_small_valid_file_passes(tmp_path: Path) -> None:
    found, problems = parse_claims(write_claims(tmp_path, VALID), situation_intents())
    assert problems == []
    assert found is not None and [c.id for c in found.claims] == ["only-school-can-ask"]
    assert found.claims_in("Apparently only the school can apply", "request_ehc_assessment")


@pytest.mark.parametrize(
    ("old", "new", "at", "message"),
    [
        ("[request_ehc_assessment]", "[request_ehc_asessment]", "intents:", "did you mean 'request_ehc_assessment'"),
        ("'only (the )?school can (apply|ask)'", "'only (the school can'", "only (the school", "not a valid pattern"),
        ("'only (the )?school can (apply|ask)'", "'only the school can''t apply'", "can''t apply", "apostrophes"),
        ("'only (the )?school can (apply|ask)'", "'(anything)?'", "(anything)?", "matches any message"),
        ("That isn't right.", "Wrong.", "verdict:", "verdict must be one of"),
        ("[@cfa-s36].", "[@cfa-s63].", "why:", "citation [@cfa-s63] does not match any source key"),
        ("yourself [@cfa-s36].", "yourself.", "why:", "add a [@key] citation"),
        ("The head said only the school can apply.", "How do I apply?", "How do I apply?", "example 1 is not"),
        ("ask for an assessment", "ask for an EHC assessment", "told:", "'EHC' is used before it is explained"),
        ("    verdict: That isn't right.\n", "", "- id: only-school", "missing required field 'verdict'"),
        ("    patterns:", "    colour: blue\n    patterns:", "colour:", "unknown field 'colour'"),
        ("url: https://www.legislation", "url: http://www.legislation", "key: cfa-s36", "not a valid https address"),
        ("id: claims\n", "id: claim\n", "id: claim", "must match the file name"),
    ],
)
def test_problems_are_reported_with_their_line(tmp_path: Path, old: str, new: str, at: str, message: str) -> None:
    assert old in VALID
    text = VALID.replace(old, new, 1)
    found = errors(write_claims(tmp_path, text))
    assert any(line == line_of(text, at) and message in problem for line, problem in found), found


def test_a_long_bubble_an_uncited_source_and_a_duplicate_id_are_errors(tmp_path: Path) -> None:
    text = VALID.replace(
        "    url: https://www.legislation.gov.uk/ukpga/2014/6/section/36\n",
        "    url: https://www.legislation.gov.uk/ukpga/2014/6/section/36\n"
        "  - key: cfa-s39\n    title: Section 39\n    citation: CFA 2014 s.39\n"
        "    url: https://www.legislation.gov.uk/ukpga/2014/6/section/39\n",
    ).replace("You can ask the council yourself", "You can ask the council yourself. " * 15)
    claim = text[text.index("  - id: only-school-can-ask") :]
    text += claim
    found = errors(write_claims(tmp_path, text))
    assert any(line == line_of(text, "key: cfa-s39") and "never cited" in p for line, p in found), found
    assert any("the bubble is" in p and f"to {MAX_BUBBLE_CHARS} or fewer" in p for _, p in found), found
    second = len(text.splitlines()) - claim.count("\n") + 1
    assert any(line == second and "duplicate claim id" in p for line, p in found), found


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    text = VALID.replace("    intents: [request_ehc_assessment]", "    intents: [request_ehc_assessment")
    found = errors(write_claims(tmp_path, text))
    assert found and "not valid YAML" in found[0][1] and found[0][0] >= line_of(text, "intents:")


def test_the_check_command_reports_claims_problems(tmp_path: Path, capsys) -> None:
    copy = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", copy)
    broken = copy / "claims" / "claims.yml"
    text = broken.read_text(encoding="utf-8").replace("intents: [school_transport]", "intents: [school_transprot]")
    broken.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["knowledge", "check", "--dir", str(copy)]) == 1
    out = capsys.readouterr().out
    assert f"{broken}:{line_of(text, 'school_transprot')}: error: claim" in out
    assert "0 valid claims file(s), 1 error(s)" in out


# --- signed off before it is served -----------------------------------------------------------------


def test_claims_are_served_only_once_signed_off(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KNOWLEDGE_ALLOW_UNREVIEWED", "0")
    path = write_claims(tmp_path, VALID)
    knowledge_dir = path.parent.parent
    (knowledge_dir / review.REGISTER_NAME).write_text("{}\n", encoding="utf-8")  # sign-off is in use here
    live = claim_files(knowledge_dir, 0)
    assert live.items() == []
    assert review.find_files(knowledge_dir, "claims") == [path]
    review.sign_off(review.status(path), "Legal content reviewer", "First claims")
    assert [guide.id for guide in live.items()] == ["claims"]
    assert (knowledge_dir / "reviewed" / "claims" / "claims.yml").is_file()


# --- the first answer says the verdict first --------------------------------------------------------


@pytest.fixture
def service(knowledge_dir: Path, tmp_path: Path, monkeypatch):
    (knowledge_dir / "claims").mkdir()
    shutil.copy(CLAIMS_FILE, knowledge_dir / "claims" / "claims.yml")
    svc = make_service(knowledge_dir, tmp_path / "kb.db")
    monkeypatch.setattr(acts, "knowledge_service", lambda: svc)
    return svc


async def test_the_first_answer_says_whether_what_the_parent_was_told_is_right(service) -> None:
    told = "The SENCO says we have to wait a year before asking for an EHCP. Is that right?"
    messages, _ = await run_action(acts.ActionAnswerSituation(), tracker("request_ehc_assessment", text=told))
    said = texts(messages)
    assert said[0].startswith("You said you were told that you must wait a set time")
    assert "That isn't right: you can ask the council at any time." in said[0]
    assert said[0].endswith(f"Source: [1]({CFA_36})")
    assert said[1].startswith("You, as a parent, can ask the council for an assessment")


async def test_no_verdict_when_the_message_repeats_nothing(service) -> None:
    messages, _ = await run_action(
        acts.ActionAnswerSituation(), tracker("request_ehc_assessment", text="How do I ask for an EHC assessment?")
    )
    assert texts(messages)[0].startswith("You, as a parent, can ask the council for an assessment")
    assert not any("You said you were told" in text for text in texts(messages))


async def test_a_broken_claims_file_never_takes_the_answer_away(service, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("claims unreadable")

    monkeypatch.setattr(claims, "claim_files", broken)
    told = "The SENCO says we have to wait a year before asking for an EHCP."
    messages, _ = await run_action(acts.ActionAnswerSituation(), tracker("request_ehc_assessment", text=told))
    assert texts(messages)[0].startswith("You, as a parent, can ask the council for an assessment")

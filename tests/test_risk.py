"""The risk decision: patterns, the learned detector, the model's crisis guess and openers, in one place."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.dialogue import clarify
from bot.dialogue.emergency import danger_kinds, fitting_help
from bot.rasa_ext.safety_net import CrisisSafetyNet, training_split
from bot.understanding.openers import is_opener
from bot.understanding.risk_model import (
    CHECK_AT,
    EMERGENCY_AT,
    LINE_CHECK_AT,
    PATTERN_DOUBT_BELOW,
    PATTERN_DOUBT_GUESS_AT,
    LineReading,
    RiskDetector,
    Verdict,
    assess,
    read_examples,
)
from bot.understanding.safety import risk_signals

OPENERS = [
    "my son",
    "My daughter",
    "my son.",
    "help",
    "Help please",
    "hi, my daughter is autistic",
    "my son is 7 and autistic",
    "my son is 7 and has ADHD",
    "I need some advice about my grandson",
    "hello my ds is 12 and has asd",
    "my boy, y6, dyslexic",
    "can you help me with school stuff",
    "my daughter\u2019s autistic",
]
NOT_OPENERS = [
    "my son is missing",
    "my son was excluded",
    "my son has a plan",
    "my son wants to die",
    "my daughter keeps being sent home",
    "my son is 7 and the school won't let him in",
    "",
    "help help help " * 6,
    "hi",
    "hello there",
]


@pytest.mark.parametrize("text", OPENERS)
def test_openers_are_recognised(text: str) -> None:
    assert is_opener(text)


@pytest.mark.parametrize("text", NOT_OPENERS)
def test_a_message_with_anything_more_is_not_an_opener(text: str) -> None:
    assert not is_opener(text)


@pytest.mark.parametrize("text", ["my grandaughter", "my daugther is 7", "my son has autisim", "my stepdaugter"])
def test_one_slip_in_a_long_family_or_needs_word_is_still_an_opener(text: str) -> None:
    assert is_opener(text)


@pytest.mark.parametrize(
    "text",
    [
        "my dad dead",  # a short word is never forgiven: "dead" is one letter from "dad"
        "i could smother my son",  # nor a first letter: "smother" is one letter from "mother"
        "my grandaughter is missing",
        "my son leaning out",
    ],
)
def test_forgiving_a_slip_never_hides_a_word_that_is_not_about_who(text: str) -> None:
    assert not is_opener(text)


def test_patterns_win_over_everything() -> None:
    assert assess("my son wants to die", 0.0, "greet", 0.99) is Verdict.EMERGENCY


def test_an_opener_never_gets_emergency_help_even_when_the_model_says_crisis() -> None:
    assert assess("my son", 0.6, "crisis", 0.85) is Verdict.OPENER


@pytest.mark.parametrize(("text", "guess"), [("stop", "stop"), ("bye", "goodbye"), ("no thanks", "deny")])
def test_a_confident_chat_command_is_not_asked_the_safety_question(text: str, guess: str) -> None:
    assert assess(text, CHECK_AT + 0.05, guess, 0.95) is Verdict.NONE


@pytest.mark.parametrize(
    ("text", "probability", "guess", "confidence", "verdict"),
    [
        ("stop", EMERGENCY_AT, "stop", 0.95, Verdict.EMERGENCY),  # the emergency band still wins
        ("stop", CHECK_AT + 0.05, "stop", 0.5, Verdict.CHECK),  # not confident: asked
        ("please make him stop hurting me", CHECK_AT + 0.05, "stop", 0.95, Verdict.EMERGENCY),  # a pattern
        ("he won't stop fitting", CHECK_AT + 0.05, "stop", 0.95, Verdict.CHECK),  # four words: asked
    ],
)
def test_a_chat_command_gives_way_to_danger(
    text: str, probability: float, guess: str, confidence: float, verdict: Verdict
) -> None:
    assert assess(text, probability, guess, confidence) is verdict


@pytest.mark.parametrize(
    ("probability", "guess", "confidence", "verdict"),
    [
        (EMERGENCY_AT, "informal_exclusion", 0.9, Verdict.EMERGENCY),
        (CHECK_AT, "informal_exclusion", 0.9, Verdict.CHECK),
        (CHECK_AT - 0.01, "informal_exclusion", 0.9, Verdict.NONE),
        # The model alone asks; the model and the detector together decide.
        (0.0, "crisis", 0.9, Verdict.CHECK),
        (CHECK_AT, "crisis", 0.9, Verdict.EMERGENCY),
        (CHECK_AT, "crisis", 0.5, Verdict.CHECK),
    ],
)
def test_the_bands(probability: float, guess: str, confidence: float, verdict: Verdict) -> None:
    assert assess("he's not himself and I'm frightened tonight", probability, guess, confidence) is verdict


def test_the_detector_learns_and_survives_the_model_archive(tmp_path) -> None:
    import joblib

    risk = [f"she sent a goodbye text and now nothing {i}" for i in range(5)] + ["he is fitting and won't stop"] * 3
    ordinary = [f"the school sent him home again {i}" for i in range(5)] + ["the council is late with the plan"] * 3
    joblib.dump(RiskDetector.train(risk, ordinary), tmp_path / CrisisSafetyNet.FILE_NAME)
    loaded = joblib.load(tmp_path / CrisisSafetyNet.FILE_NAME)
    assert loaded.probability("she sent a goodbye text") > 0.5 > loaded.probability("the school sent him home")
    assert loaded.probability("   ") == 0.0


def test_the_detector_needs_both_kinds() -> None:
    with pytest.raises(ValueError):
        RiskDetector.train(["a"], [])


def test_example_files_keep_only_the_message(tmp_path) -> None:
    path = tmp_path / "risk.txt"
    path.write_text("# a comment\nmedical\the is fitting\n\nplain line\n", encoding="utf-8")
    assert read_examples(path) == ["he is fitting", "plain line"]
    assert read_examples(tmp_path / "absent.txt") == []


def test_training_split_uses_crisis_examples_and_the_files(tmp_path) -> None:
    (tmp_path / "risk.txt").write_text("medical\tfitting for ten minutes\n", encoding="utf-8")
    (tmp_path / "ordinary.txt").write_text("dying to know about transport\n", encoding="utf-8")
    examples = [
        Message(data={"text": "he wants to die", "intent": "crisis"}),
        Message(data={"text": "sent home again", "intent": "informal_exclusion"}),
    ]
    risk, ordinary = training_split(examples, tmp_path)
    assert risk == ["fitting for ten minutes", "he wants to die"]
    assert ordinary == ["dying to know about transport", "sent home again"]


def _parsed(text: str, intent: str, confidence: float) -> Message:
    message = Message(data={"text": text})
    ranking = [{"name": intent, "confidence": confidence}, {"name": "suspension", "confidence": 1 - confidence}]
    message.set("intent", ranking[0], add_to_output=True)
    message.set("intent_ranking", ranking, add_to_output=True)
    return message


def test_the_component_turns_my_son_into_an_opener() -> None:
    message = _parsed("my son", "crisis", 0.76)
    CrisisSafetyNet().process([message])
    assert message.get("intent") == {"name": "opener", "confidence": 1.0}


def test_the_component_asks_when_only_the_model_thinks_crisis() -> None:
    message = _parsed("he has not been himself all week", "crisis", 0.7)
    CrisisSafetyNet().process([message])
    assert message.get("intent")["name"] == "safety_check"
    assert [r["name"] for r in message.get("intent_ranking")][:2] == ["safety_check", "crisis"]


def test_a_town_typed_alone_is_where_the_parent_is_not_a_sign_of_danger() -> None:
    # "Hull" alone once got "is anyone in danger right now?": the model's weak crisis guess on a short word.
    for text in ("Hull", "we're in Kent"):
        message = _parsed(text, "crisis", 0.6)
        CrisisSafetyNet().process([message])
        assert message.get("intent") == {"name": "out_of_scope", "confidence": 1.0}, text  # its local help
        assert message.get("risk")["verdict"] == "none"
    # More than a place is still asked about, and danger words still get emergency help first.
    asked = _parsed("Hull, he has not been himself all week", "crisis", 0.7)
    CrisisSafetyNet().process([asked])
    assert asked.get("intent")["name"] == "safety_check"
    urgent = _parsed("Hull, he says he wants to kill himself", "crisis", 0.9)
    CrisisSafetyNet().process([urgent])
    assert urgent.get("intent")["name"] == "crisis"


def test_the_component_keeps_the_patterns_that_matched_only_with_help_or_the_question() -> None:
    urgent = _parsed("the trachy came out and we can't get the spare in", "suspension", 0.9)
    CrisisSafetyNet().process([urgent])
    assert urgent.get("risk")["verdict"] == "emergency"
    assert "medical emergency" in urgent.get("risk")["patterns"]
    calm = _parsed("the school sent him home again", "informal_exclusion", 0.9)
    CrisisSafetyNet().process([calm])
    assert calm.get("risk")["patterns"] is None  # not read: run later if the parent taps "someone is in danger"


def test_the_component_leaves_button_payloads_to_rasa() -> None:
    message = _parsed("/crisis", "crisis", 1.0)
    CrisisSafetyNet().process([message])
    assert message.get("intent") == {"name": "crisis", "confidence": 1.0}


TITLES = {"informal_exclusion": "Sent home", "suspension": "Suspended", "ehc_delay": "Late plan", "crisis": "Not safe"}


def test_a_confident_answer_asks_nothing() -> None:
    assert clarify.check_guess("informal_exclusion", 0.9, [], TITLES) is None


def test_a_middle_band_answer_offers_the_next_two_guesses_and_something_else() -> None:
    ranking = [
        {"name": "informal_exclusion", "confidence": 0.5},
        {"name": "crisis", "confidence": 0.2},
        {"name": "suspension", "confidence": 0.2},
        {"name": "ehc_delay", "confidence": 0.05},
    ]
    reply = clarify.check_guess("informal_exclusion", 0.5, ranking, TITLES)
    assert [b["payload"] for b in reply.buttons] == ["/suspension", "/ehc_delay", "/something_else"]


def test_the_safety_question_offers_danger_carry_on_and_something_else() -> None:
    ranking = [{"name": "safety_check", "confidence": 1.0}, {"name": "suspension", "confidence": 0.4}]
    reply = clarify.safety_question(ranking, TITLES)
    assert reply.text.startswith("Before I answer: is anyone in danger right now?")
    assert [b["payload"] for b in reply.buttons] == ["/crisis", "/suspension", "/something_else"]


def test_the_safety_question_carries_on_with_the_best_two_guesses_above_the_floor() -> None:
    ranking = [
        {"name": "safety_check", "confidence": 1.0},
        {"name": "informal_exclusion", "confidence": 0.4},
        {"name": "suspension", "confidence": 0.2},
        {"name": "ehc_delay", "confidence": 0.1},
    ]
    reply = clarify.safety_question(ranking, TITLES)
    assert [b["payload"] for b in reply.buttons] == ["/crisis", "/informal_exclusion", "/suspension", "/something_else"]
    below_floor = ranking[:2] + [{"name": "suspension", "confidence": clarify.ALTERNATIVE_FLOOR / 2}]
    assert [b["payload"] for b in clarify.safety_question(below_floor, TITLES).buttons] == [
        "/crisis",
        "/informal_exclusion",
        "/something_else",
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("he's been fitting for ten minutes and it won't stop", "medical"),
        ("my partner locked me in and the kids are scared", "domestic_abuse"),
        ("my non-verbal son ran off from school and nobody can find him", "missing"),
        ("we have nowhere to sleep tonight", "homeless"),
        ("someone is threatening to share her nudes unless she pays", "exploitation"),
        # Session 12: no word of the kind, but a risk pattern of one kind fired (bot/dialogue/emergency.py).
        ("the trachy came out and they can't get the spare in", "medical"),
        ("ketones 3.6 and he's being sick", "medical"),
        ("school say she never arrived this morning", "missing"),
        ("he stormed out of the house and isn't answering", "missing"),
        ("they're making her carry drugs for them", "exploitation"),
        # Session 13: a condition's own words and plain words of a child gone (the red teams rt8, tuning).
        ("cluster again, midaz went in at 2 and he's starting again", "medical"),
        ("PEG's come right out and we've got no spare button", "medical"),
        ("she slipped out while I was on the phone", "missing"),
        ("woke at 3am, his bed is empty and the front door is on the latch", "missing"),
    ],
)
def test_the_emergency_help_fits_the_kind_of_danger(text: str, kind: str) -> None:
    assert kind in danger_kinds(text)
    assert fitting_help(text)


def test_no_extra_line_when_the_kind_is_not_clear() -> None:
    assert fitting_help("I can't go on like this") == []


def test_climbing_out_or_a_landlord_not_coming_back_is_not_a_child_missing() -> None:
    assert "missing" not in danger_kinds("he's climbed out of the window onto the garage roof")
    assert "missing" not in danger_kinds("the landlord hasn't come back to me and we're out tonight")


@pytest.mark.parametrize(
    "text",
    [
        "he's had a seizure and it won't stop, it's been going on for ages",
        "she's been fitting for 10 minutes",
        "my son is not breathing properly",
        "she's floppy and not drinking anything since this morning",
        "he hit his head at school and now he's drowsy and vomiting",
        "her throat is swelling after the peanut",
        "we have nowhere to sleep tonight",
        "my partner kicked us out and we're sleeping in the car tonight",
    ],
)
def test_medical_emergencies_and_nowhere_to_sleep_get_emergency_help(text: str) -> None:
    assert risk_signals(text)


@pytest.mark.parametrize(
    "text",
    [
        "the council hit us with a fine for a term time holiday",
        "my son overdosed on screen time all summer",
        "private OT is bleeding us dry",
        "my daughter's support just collapsed when her TA left",
        "she was killing herself laughing at the new sensory room",
        "he goes missing from lessons and hides in the library",
        "the teacher lost her temper with her in class",
        "the council lost her paperwork twice",
        "the council now wants to end it and put her in college",
        "his seizure plan in the EHCP says what to do if a fit doesn't stop",
    ],
)
def test_everyday_idioms_are_not_taken_for_danger(text: str) -> None:
    assert not risk_signals(text)


def test_an_unsure_model_asks_the_safety_question_from_a_lower_reading() -> None:
    from bot.understanding.risk_model import UNSURE_CHECK_AT

    text = "she has barely eaten in a week and fainted at school today"
    assert assess(text, UNSURE_CHECK_AT, "nlu_fallback", 0.3, model_unsure=True) is Verdict.CHECK
    # A confident situation is answered as usual: nothing the model recognises is diverted.
    assert assess(text, UNSURE_CHECK_AT, "school_refusal_anxiety", 0.9, model_unsure=False) is Verdict.NONE
    assert assess(text, UNSURE_CHECK_AT - 0.01, "nlu_fallback", 0.3, model_unsure=True) is Verdict.NONE


def test_an_unsure_model_asks_when_a_sentence_that_says_now_is_sure() -> None:
    from bot.understanding.risk_model import LINE_CHECK_AT, UNSURE_LINE_CHECK_AT, LineReading

    text = "can the school refuse the ot hours in section f. also he's still twitching on one side now"
    sure_now = LineReading(surest=UNSURE_LINE_CHECK_AT, surest_now=UNSURE_LINE_CHECK_AT)
    assert UNSURE_LINE_CHECK_AT < LINE_CHECK_AT
    assert assess(text, 0.05, "sen_support", 0.3, sure_now, model_unsure=True) is Verdict.CHECK
    # A confident situation keeps its answer; a sentence that does not say now is not enough; nor is a lower one.
    assert assess(text, 0.05, "sen_support", 0.9, sure_now, model_unsure=False) is Verdict.NONE
    not_now = LineReading(surest=UNSURE_LINE_CHECK_AT, surest_now=0.0)
    assert assess(text, 0.05, "sen_support", 0.3, not_now, model_unsure=True) is Verdict.NONE
    lower = LineReading(surest=UNSURE_LINE_CHECK_AT - 0.01, surest_now=UNSURE_LINE_CHECK_AT - 0.01)
    assert assess(text, 0.05, "sen_support", 0.3, lower, model_unsure=True) is Verdict.NONE


SCHOOL_RUN = "we cant go on like this with the school run, can the council give us transport?"


def test_now_far_from_the_danger_words_does_not_stop_the_doubt() -> None:
    # Session 14: "now" said of a form, 40 characters or more past the danger words, is not the danger now.
    far = f"{SCHOOL_RUN} The form they sent now has three extra pages to fill in and the deadline is in March."
    assert assess(far, 0.0, "school_transport", 0.9, LineReading()) is Verdict.CHECK
    near = "we cant go on like this now, can I ask the council for transport for the school run?"
    assert assess(near, 0.0, "school_transport", 0.9, LineReading()) is Verdict.EMERGENCY


@pytest.mark.parametrize(
    ("text", "probability", "guess", "confidence", "lines", "verdict"),
    [
        # Session 11: a pattern everything else doubts asks, one tap, when the model is sure or not.
        (SCHOOL_RUN, 0.0, "school_transport", 0.97, LineReading(), Verdict.CHECK),
        (
            SCHOOL_RUN,
            PATTERN_DOUBT_BELOW - 0.01,
            "school_transport",
            PATTERN_DOUBT_GUESS_AT,
            LineReading(),
            Verdict.CHECK,
        ),
        # Any of these and it is emergency help, as before: the detector not doubting it enough...
        (SCHOOL_RUN, PATTERN_DOUBT_BELOW, "school_transport", 0.97, LineReading(), Verdict.EMERGENCY),
        # ...a sentence sure of danger; a weak guess, a crisis guess or a chat command...
        (SCHOOL_RUN, 0.0, "school_transport", 0.97, LineReading(surest=LINE_CHECK_AT), Verdict.EMERGENCY),
        (SCHOOL_RUN, 0.0, "school_transport", PATTERN_DOUBT_GUESS_AT - 0.01, LineReading(), Verdict.EMERGENCY),
        (SCHOOL_RUN, 0.0, "crisis", 0.9, LineReading(), Verdict.EMERGENCY),
        (SCHOOL_RUN, 0.0, "talk_to_adviser", 0.9, LineReading(), Verdict.EMERGENCY),
        # ...or the words of a concrete event, however calmly told (only DOUBTED_KINDS are doubted).
        (
            "there's a group of lads outside our house with knives, can he get a managed move?",
            0.0,
            "off_rolling",
            0.9,
            LineReading(),
            Verdict.EMERGENCY,
        ),
        (
            "the school let her walk out alone and nobody knows where she is, is that a breach?",
            0.0,
            "reduced_timetable",
            0.9,
            LineReading(),
            Verdict.EMERGENCY,
        ),
        (
            "he has eaten a handful of my iron tablets, can I apply for a new school?",
            0.0,
            "school_placement",
            0.9,
            LineReading(),
            Verdict.EMERGENCY,
        ),
        (SCHOOL_RUN, 0.0, "outside_england", 0.9, LineReading(), Verdict.EMERGENCY),
        ("he wants to die", 0.0, "thank", 0.99, LineReading(), Verdict.EMERGENCY),
        # ...or a word that says now, "now" itself included unless the message says it is over.
        (
            SCHOOL_RUN.replace("school run", "school run tonight"),
            0.0,
            "school_transport",
            0.97,
            LineReading(),
            Verdict.EMERGENCY,
        ),
        (
            "my inhaler isnt working rn, can barely talk, can college make me pay for my taxi?",
            0.0,
            "post16_transition",
            0.9,
            LineReading(),
            Verdict.EMERGENCY,
        ),
        (
            "they excluded him and now he says he wants to die",
            0.0,
            "suspension",
            0.97,
            LineReading(),
            Verdict.EMERGENCY,
        ),
        (
            SCHOOL_RUN.replace("run,", "run, he's fine now but"),
            0.0,
            "school_transport",
            0.97,
            LineReading(),
            Verdict.CHECK,
        ),
    ],
)
def test_a_pattern_everything_else_doubts_asks_instead(
    text: str, probability: float, guess: str, confidence: float, lines: LineReading, verdict: Verdict
) -> None:
    assert assess(text, probability, guess, confidence, lines, model_unsure=confidence < 0.65) is verdict


def test_unsure_means_did_you_mean_or_the_middle_band() -> None:
    from bot.dialogue.clarify import CONFIDENT_AT
    from bot.understanding.risk_model import is_unsure

    fell_back = [{"name": "nlu_fallback", "confidence": 0.75}, {"name": "mediation", "confidence": 0.4}]
    assert is_unsure(fell_back, CONFIDENT_AT)
    # The middle band: the assistant answers its best guess and asks "is this about X?".
    assert is_unsure([{"name": "mediation", "confidence": CONFIDENT_AT - 0.01}], CONFIDENT_AT)
    assert not is_unsure([{"name": "mediation", "confidence": CONFIDENT_AT}], CONFIDENT_AT)
    assert not is_unsure([{"name": "mediation", "confidence": 0.9}], CONFIDENT_AT)
    assert not is_unsure([], CONFIDENT_AT)


def test_other_bands_are_tried_on_the_parse_without_changing_the_constants() -> None:
    # scripts/choose_bands.py parses each message once and decides again at other bands (risk_model.reassess):
    # at the bands in use it must decide exactly as the component did, places typed alone included.
    from dataclasses import replace

    from bot.rasa_ext.safety_net import settled
    from bot.understanding.risk_model import BANDS, EMERGENCY_AT, reassess

    for text, intent, confidence in [
        ("he has not been himself all week", "crisis", 0.7),
        ("Hull", "crisis", 0.6),
        ("Hull, he says he wants to kill himself", "crisis", 0.9),
        ("my son", "crisis", 0.76),
        ("the school keeps sending him home early", "informal_exclusion", 0.92),
        ("stop", "stop", 0.95),
    ]:
        message = _parsed(text, intent, confidence)
        CrisisSafetyNet().process([message])
        kept = message.get("risk")
        assert kept["guess"] == intent and kept["guess_confidence"] == confidence, text
        assert settled(text, reassess(text, kept, BANDS)).value == kept["verdict"], text
    # At another band the same reading decides differently, and the constant is untouched.
    reading = {"probability": 0.3, "line": 0.0, "line_now": 0.0, "guess": "suspension", "guess_confidence": 0.9}
    reading["unsure"] = False
    text = "the school keeps sending him home early"
    assert reassess(text, reading, BANDS) is Verdict.CHECK
    assert reassess(text, reading, replace(BANDS, emergency_at=0.3)) is Verdict.EMERGENCY
    assert reassess(text, reading, replace(BANDS, check_at=0.35)) is Verdict.NONE
    assert BANDS.emergency_at == EMERGENCY_AT

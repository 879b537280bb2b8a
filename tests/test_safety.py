"""The deterministic safety net: fires on risk whatever the model says, and not on ordinary worries."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_ext.safety_net import CrisisSafetyNet
from bot.text import normalise_text
from bot.understanding.risk_model import Verdict, assess
from bot.understanding.safety import asks_about_safety, risk_signals, shows_immediate_risk

AT_RISK = [
    "my son said he wants to kill himself",
    "she keeps saying she wants to die",
    "he's been self harming since the exclusion",
    "my daughter is cutting her arms again",
    "found out dd has been selfharming",
    "he took a load of pills last night",
    "I think she's taken an overdose",
    "my 14 year old is suicidal and the school don't care",
    "sucidal thoughts every day since year 9 started",
    "I can't go on like this anymore",
    "honestly I think they'd be better off dead without me",
    "I'm scared I'll hurt him, I'm so exhausted",
    "his dad hits him at home every weekend",
    "I think my son is being abused by his taxi escort",
    "a teacher groomed my daughter",
    "my son has gone missing after school",
    "she ran away from home and we can't find her",
    "he says he wants to jump off the bridge",
    "she has a knife and is threatening to kill herself",
    "we are not safe at home",
    "my child is in danger",
    "he said kms on his phone",
    "I'm in crisis and need help now",
    "she is having a mental health crisis",
    "I can't go on.",
    "she OD'd on her tablets an hour ago",
    "he ODd on his meds again",
]

ORDINARY = [
    "the school rang at 11 and told me to come and get him again",
    "it's been 26 weeks and still no plan",
    "CAMHS bounced the referral",
    "he is missing school because of anxiety",
    "section F is missing his speech therapy",
    "she has been missing lessons for weeks",
    "he is missing out on education",
    "I can't cope with the council anymore, they ignore every email",
    "the school said his behaviour is a danger to the timetable",  # "a danger to" is not "in danger"
    "he gets so anxious he shuts down",
    "he hit another child and got suspended for 3 days",
    "what does the law say",
    "they said she can't go on the residential unless I go with her",
    "he can't go on the school trip because of his wheelchair",
    "the council's SEND team is in crisis mode with staffing",  # about the council, not a person at risk
    "she has the odd wobble at drop-off but the SENCo says it's fine",  # "odd" is not "OD'd"
    "the council says his placement is bleeding their budget dry",
    "",
]


# Written for the sharp-object, car, "favours" and hanging patterns, in words not used in any evaluation set.
AT_RISK_SHARP_CAR_FAVOURS = [
    "He has a shard of glass pressed against his neck and won't put it down",
    "she said she would drive the car into a tree with us in it",
    "my 14 year old is being made to do favours for older men",
    "they make her do “favours” for older lads",
    "he held scissors to his wrists in the bathroom",
    # The means of hanging named.
    "my lad has already got the rope hidden in his wardrobe",
    "found a noose made from his school tie",
    "she had her belt round her neck when I walked in",
    "he has tied a rope to the loft beam",
    # A number of tablets no dose needs.
    "she says she's fine but she took 20 paracetamol",
    "he's swallowed about 12 of my tablets",
    # Written for patterns added in session 6, in words of their own.
    "honestly i've had enough of life, the kids deserve better",
    "he's been fitting on and off all afternoon, four so far",
    "her seizures are coming back to back and she isn't waking in between",
    "his breathing is bad, he can only manage two words between breaths",
    "the after-school club rang, they don't know where she is",
]
ORDINARY_SHARP_CAR_FAVOURS = [
    "the glass in his classroom window is broken and nobody has fixed it",
    "we drive into town every day for his therapy",
    "she does favours for her friends and gets taken advantage of",
    "he needs a knife to cut his food at lunch and the school won't allow it",
    "driving into school is a nightmare because of the roadworks",
    # Ropes, belts and cords that are not the means of hanging.
    "we got the rope ladder for his sensory circuit at home",
    "the OT says he needs a belt with a magnetic buckle for PE",
    "still learning the ropes of the EHCP process",
    "she wears her hearing aid cord round her neck and the school keep taking it off",
    "he got stuck at the top of the climbing rope in PE and panicked",
    "he took 2 paracetamol for his headache before the annual review",
    "school won't let her take her 3 tablets at lunchtime without a care plan",
    "I've had enough of the council's excuses",
    "she has fits on and off, the care plan says what to do",
    "I honestly don't know where he is on the waiting list",
    "the SENCo doesn't know where she is in the reading scheme",
    "he can't get his words out when he's anxious",
]


@pytest.mark.parametrize("text", AT_RISK_SHARP_CAR_FAVOURS)
def test_fires_on_sharp_objects_cars_exploitation_and_hanging(text: str) -> None:
    assert shows_immediate_risk(text)


@pytest.mark.parametrize("text", ORDINARY_SHARP_CAR_FAVOURS)
def test_quiet_on_everyday_glass_driving_favours_and_ropes(text: str) -> None:
    assert not shows_immediate_risk(text)


@pytest.mark.parametrize("text", AT_RISK)
def test_fires_on_risk(text: str) -> None:
    assert shows_immediate_risk(text), text


@pytest.mark.parametrize("text", ORDINARY)
def test_does_not_fire_on_ordinary_worries(text: str) -> None:
    assert risk_signals(text) == [], text


def test_tolerates_odd_input() -> None:
    assert not shows_immediate_risk("<script>alert('x')</script>")
    assert not shows_immediate_risk("🙂" * 1000)
    assert shows_immediate_risk("he   wants\nto\tdie")


def _message(text: str, intent: str, confidence: float) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence}, add_to_output=True)
    message.set(
        "intent_ranking",
        [{"name": intent, "confidence": confidence}, {"name": "greet", "confidence": 1 - confidence}],
        add_to_output=True,
    )
    return message


def test_component_overrides_a_confident_wrong_intent() -> None:
    message = _message("they excluded him and now he says he wants to die", "suspension", 0.97)
    CrisisSafetyNet().process([message])
    assert message.get("intent") == {"name": "crisis", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["crisis", "suspension", "greet"]


def test_component_overrides_a_fallback() -> None:
    message = _message("i cant go on", "nlu_fallback", 0.55)
    CrisisSafetyNet().process([message])
    assert message.get("intent")["name"] == "crisis"


def test_component_leaves_ordinary_messages_alone() -> None:
    message = _message("the school keeps sending him home", "informal_exclusion", 0.9)
    CrisisSafetyNet().process([message])
    assert message.get("intent") == {"name": "informal_exclusion", "confidence": 0.9}


# --- the independent evaluation set (tests/safety/), written without sight of the patterns ---------

SAFETY_DIR = __import__("pathlib").Path(__file__).parent / "safety"


def _lines(name: str) -> list[str]:
    return [line.strip() for line in (SAFETY_DIR / name).read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("name", ["ordinary_unseen.txt", "ordinary_fresh.txt"])
def test_patterns_never_fire_on_the_independent_ordinary_messages(name: str) -> None:
    fired = [(t, risk_signals(t)) for t in _lines(name) if risk_signals(t)]
    assert fired == []


def test_pattern_recall_on_the_first_evaluation_set() -> None:
    # crisis_unseen.txt was written without sight of the patterns, then used to improve them, so it is a
    # regression guard now; crisis_fresh.txt (scripts/check_safety.py) is the untouched measure.
    crisis = _lines("crisis_unseen.txt")
    assert sum(map(shows_immediate_risk, crisis)) >= len(crisis) - 1


def _risk_messages() -> list[str]:
    from bot.understanding.risk_model import read_examples

    paths = [SAFETY_DIR.parent.parent / "data" / "safety" / "risk.txt", *sorted(SAFETY_DIR.glob("crisis_*.txt"))]
    return [text for path in paths for text in read_examples(path)]


def test_narrowing_the_patterns_lost_no_risk_message() -> None:
    # Session 6 narrowed the patterns against a red-team set (below); before it (at the start of session 6) they fired on 683 of
    # the then 1,720 risk messages (training, tuning and older held-out); every one of those still fires, and new
    # patterns catch 15 more. Session 7's narrowing (objects, not people: "the tie is choking him", "his
    # reading book hasn't come home all term") was checked message by message against the patterns before it:
    # of 1,960 risk messages (the seventh wave added), 754 fired before and the same 754 fire after. With the
    # eighth wave (2,120 messages) 792 fired; the NHS's signs to call 999 (blue lips, a stiff neck with a fever...)
    # catch 20 more. Session 9 checked every narrowing message by message against the patterns before it (none
    # lost) and added plain-word 999 signs; with the medical tuning sets (3,400 messages) 1,195 fire.
    assert sum(map(shows_immediate_risk, _risk_messages())) >= 1195


def test_the_red_team_ordinary_messages_rarely_fire_a_pattern() -> None:
    # tests/safety/ordinary_redteam.txt: 200 ordinary messages written by a helper who read the patterns and
    # aimed every one at them ("the council is seizing on one comment", "sleeping in the car on the taxi
    # journey"). All 200 fired before session 6's narrowing, 55 after it, 42 after session 7's; the rest are left
    # on purpose (docs/safety-and-privacy.md).
    from bot.understanding.risk_model import read_examples

    red_team = read_examples(SAFETY_DIR / "ordinary_redteam.txt")
    assert len(red_team) == 200
    assert sum(map(shows_immediate_risk, red_team)) <= 42


def test_component_asks_the_safety_question_for_an_unsure_crisis_guess() -> None:
    # Before the learned detector this went straight to emergency help, and so did "my son" on its own;
    # the model's crisis guess alone now gets the one-tap safety question (tests/test_risk.py).
    message = _message("he is not himself tonight, I am frightened", "nlu_fallback", 0.65)
    message.set(
        "intent_ranking",
        [
            {"name": "nlu_fallback", "confidence": 0.65},
            {"name": "crisis", "confidence": 0.4},
            {"name": "greet", "confidence": 0.2},
        ],
        add_to_output=True,
    )
    CrisisSafetyNet().process([message])
    assert message.get("intent") == {"name": "safety_check", "confidence": 1.0}


def test_component_leaves_other_fallbacks_alone() -> None:
    message = _message("banana", "nlu_fallback", 0.65)
    message.set(
        "intent_ranking",
        [
            {"name": "nlu_fallback", "confidence": 0.65},
            {"name": "greet", "confidence": 0.3},
            {"name": "crisis", "confidence": 0.2},
        ],
        add_to_output=True,
    )
    CrisisSafetyNet().process([message])
    assert message.get("intent")["name"] == "nlu_fallback"


# --- Unicode tricks (issue 14, point 9): read as plain text, both ways ------------------------------------
HIDDEN_RISK = [
    "I want to k\u200bill my\u200bself",  # zero-width spaces
    "she wants to d\u200di\u200de",  # zero-width joiners
    "ｉ ｗａｎｔ ｔｏ ｋｉｌｌ ｍｙｓｅｌｆ",  # full-width letters
    "he wants to ki\u00adll him\u00adself",  # soft hyphens
    "I can\u2019t go on",  # a phone's curly apostrophe
    "I want to k\u0456ll myself",  # a Cyrillic і
    "she has been self\u2011harming",  # a non-breaking hyphen
    "he took an \u200eoverdose",  # a direction mark
    "I want to\u00a0die",  # a no-break space
    "I want to k\u0332i\u0332l\u0332l\u0332 m\u0332y\u0332s\u0332e\u0332l\u0332f\u0332",  # underlined letters
    "\U0001d422 want to \U0001d41d\U0001d422\U0001d41e",  # mathematical bold
    "he's sui\u2060cidal",  # a word joiner
]
NO_RISK_INVENTED = [
    "they excl\u200duded him again",  # the message that went to crisis with confidence 1.0
    "ｔｈｅ ｓｃｈｏｏｌ ｅｘｃｌｕｄｅｄ ｈｉｍ",
    "he can\u2019t go on the school trip",
    "my son\u00ad's EHC plan is late",
    "Привет, the school won't answer my emails",
]


@pytest.mark.parametrize("text", HIDDEN_RISK)
def test_invisible_and_look_alike_characters_do_not_hide_risk(text: str) -> None:
    # Before: the patterns read these characters as they came, and missed every one.
    assert shows_immediate_risk(text), text


@pytest.mark.parametrize("text", NO_RISK_INVENTED)
def test_invisible_and_look_alike_characters_do_not_invent_risk(text: str) -> None:
    assert risk_signals(text) == [], text


def test_normalise_text() -> None:
    assert normalise_text("excl\u200duded") == "excluded"
    assert normalise_text("ｋ\u200bill  my\tself\n") == "kill my self"
    assert normalise_text("a\x00b\x1bc") == "abc"
    assert normalise_text("Zoë and José, Привет") == "Zoë and José, Привет"  # real accents and alphabets kept
    assert normalise_text("") == "" and normalise_text("\u200b \u00ad") == ""


@pytest.mark.parametrize(
    "text",
    ["she says she has a plan now", "he told me he's got a plan and won't say what", "my son said he has a plan"],
)
def test_a_plan_said_of_a_child_asks_the_safety_question(text: str) -> None:
    assert asks_about_safety(normalise_text(text))
    assert assess(text, 0.0, "ehc_provision_not_delivered", 0.5) is Verdict.CHECK


@pytest.mark.parametrize(
    "text",
    [
        "she says she has a plan for college next year",
        "the SENCO says she has a plan",
        "he said he has a plan to ask the council again",
        "school said they have a plan but the EHCP hasn't changed",
        "she says she has a plan b if the tribunal fails",
    ],
)
def test_a_plan_of_another_kind_does_not_ask(text: str) -> None:
    assert not asks_about_safety(normalise_text(text))


# The red teams after the first, each (file, messages, at most this many still firing on danger now); every one
# was checked against all the risk messages, none lost (test above).
LATER_RED_TEAMS = [
    # Session 7: a helper read the patterns and risk_context.py and wrote 200 ordinary messages that each fired a
    # pattern on danger now. 91 still did after narrowing, left on purpose where narrowing would risk a real danger
    # ("my husband's going to kill me", "can't go on like this"); 89 before session 10, 88 after.
    ("ordinary_redteam2.txt", 200, 88),
    # Session 9: a helper read the patterns added in session 9 and wrote 150 ordinary messages aimed at them and at
    # the older ones beside them; 97 fired. After narrowing, 53 do (mostly older patterns left on purpose: "covered
    # in bruises", "a danger to others").
    ("ordinary_redteam3.txt", 150, 53),
    # Session 10: a helper given only the six kinds of word that gave tests/fresh2's ordinary messages emergency
    # help (suicide, danger, self-harm, overdose, abuse, injury; no text of that set) wrote 150 ordinary messages
    # (one left out as not clearly ordinary); 32 fired, 13 after narrowing (jokes, "is abuse honestly", a month or
    # "last week" as the past are left: a real danger is said the same way).
    ("ordinary_redteam4.txt", 149, 13),
    # Two more helpers from the same brief (398 after two lines left out as not clearly ordinary): 90 fired after
    # the narrowing above, 68 after a second one (abuse told as an allegation, a label, a statistic or over;
    # self-harm named by a policy, a report or a question).
    ("ordinary_redteam4_cd.txt", 398, 68),
    # Session 10: a helper given six other kinds of word (weapons and physical danger, missing, hurt by someone,
    # threats, injuries, medical words) wrote 200 ordinary messages (one left out as not clearly ordinary: a husband
    # who "will kill me"); 13 fired, 9 after narrowing. Its twin from the same brief (*_redteam5_2.txt) was meant as
    # a check set but was printed by an analysis script, so it is a tuning set too (docs/safety-and-privacy.md).
    ("ordinary_redteam5.txt", 199, 9),
    # Session 11: a helper told that short sentences and words of time ("Writing it tonight.", "He's gone.") fool
    # the sentence reading wrote 200 ordinary messages of that kind; 8 fire a pattern ("can't go on like this", a
    # past "hit him"), and risk_model.pattern_doubted asks rather than gives emergency help for most of them.
    ("ordinary_redteam6.txt", 200, 8),
    # Session 11: a helper asked to break the doubt rule (risk told calmly, no word of time) wrote 120 risk messages
    # and 120 calm ordinary twins with the same danger words; 12 of the twins fire a pattern (a hypothetical, a
    # policy, a past attempt written in a plan), most of them doubted and asked.
    ("ordinary_calm.txt", 120, 12),
    # Session 12: red teams of medical emergencies and of children missing now, told in a condition's or a
    # placement's own words, each with 100 ordinary twins (routine care, an incident that is over, "missing
    # lessons"); one and two twins fire a pattern (a seizure "in February", a child lost for 20 minutes today).
    ("ordinary_medical_rt7.txt", 100, 1),
    ("ordinary_missing_rt7.txt", 100, 2),
    # Session 13: the same briefs by two new helpers (rt8), for tuning; unchanged by session 13's new patterns.
    ("ordinary_medical_rt8.txt", 100, 2),
    ("ordinary_missing_rt8.txt", 100, 1),
    # Session 13: ordinary messages from the brief of tests/fresh9's ordinary file, by a new helper (tuning): 14 fired
    # and got emergency help; 7 fire after narrowing (rules asked about self-harm or abuse, a wall punched today).
    ("ordinary_brief9.txt", 300, 7),
]


@pytest.mark.parametrize(("name", "size", "still_firing"), LATER_RED_TEAMS)
def test_the_later_red_teams_mostly_no_longer_fire(name: str, size: int, still_firing: int) -> None:
    from bot.understanding.risk_model import patterns_show_danger_now, read_examples

    red_team = read_examples(SAFETY_DIR / name)
    assert len(red_team) == size
    assert sum(patterns_show_danger_now(normalise_text(text)) for text in red_team) <= still_firing


# Each pattern narrowed in session 7, beside the danger it must still catch (tests both ways).
THINGS_NOT_PEOPLE = [
    ("she's got cuts on her arms", "he came home with cuts on his legs from the brambles at forest school"),
    ("he keeps cutting her arm", "the OT is cutting her arm splint down to size today"),
    ("she had a whole box of paracetamol", "the pharmacy had a box of tablets waiting for him"),
    ("dad keeps kicking me", "the baby keeps kicking me, I'm 8 months pregnant"),
    ("he is choking him", "the school tie is choking him, can he wear a clip-on"),
    ("he came home with bruises", "he won't eat apples with bruises on them"),
    ("she's been missing since 3", "the only thing missing from home education is friends"),
    ("she hasnt come home", "his reading book hasnt come home all term"),
]
SIGNS_TO_CALL_999 = [
    ("cant breathe properly lips going blue", "her lips are chapped and a bit sore from the cold"),
    ("his chest is sucking in under his ribs", "the OT says his posture is fine under his ribs"),
    ("she's asleep and i cant wake her", "i cant wake her up for school in the morning"),
    ("a rash that doesn't fade when I press a glass on it", "her eczema rash doesn't go with the cream"),
    ("his face is swelling up after the party food", "his face lights up at the party"),
    ("her breath smells like pear drops and she's vomiting", "she likes pear drops as a reward in class"),
    ("she's been seizing as i type this, its been over 5 mins now", "his seizures last under a minute, 5 mins max"),
    ("a temperature since Tuesday and now a stiff neck", "a stiff neck from sleeping on the coach trip"),
    ("he's refused all food and water since friday and can barely stand", "he won't drink from the school cups"),
]
SECOND_RED_TEAM = [
    ("she said she wants to die", "I'm going to die of embarrassment, he told the SENCo she smells"),
    ("I'm killing myself, I can't do this", "I'm killing myself doing all the paperwork for the tribunal bundle"),
    ("he's cut himself again", "he just cut himself shaving and now refuses to shave"),
    ("my son is being groomed online", "she wants to do dog grooming at college"),
    ("dad beats him every night", "his sister always beats him at scrabble"),
    ("he pushed his baby sister down the stairs", "he pushed his scooter down the stairs at school"),
    ("he's got a knife and won't put it down", "he struggles to cut his food with a knife"),
    ("he's on the roof and won't come down", "the football is on the roof at school"),
    ("his seizures won't stop, it's been ages", "his seizures didn't stop him getting his GCSEs"),
    ("she's in danger, he's outside the house", "our transport is in danger, the council say"),
    (
        "we're in county lines, he's carrying for them",
        "we're right on the county lines between Surrey and Hampshire",
    ),
    ("he's unresponsive on the floor", "our LA is unresponsive, I've emailed six times"),
]


# Added in session 8 from tuning-set misses; none of about 16,800 ordinary training and tuning messages fires them.
GUNS_GREY_AND_SWALLOWED = [
    ("he's got his dad's shotgun out of the cabinet", "he got his nerf gun out at the party"),
    ("I'm sitting here with a knife", "I'm sitting with a cuppa and his EHCP draft"),
    ("he's going grey round the mouth after the fit", "the sky looks grey, is the school trip still on"),
    ("her lips look a bit blue and she's wheezing", "she looks really blue since her TA left"),
    ("he swallowed a couple of magnets from his fidget toy", "he swallowed a couple of grapes whole, is that normal"),
]


# Session 9: narrowed where ordinary training and tuning messages fired (a danger said not to be there, a child's
# things grabbed, a letter that "shook me", paperwork lost), and the 999 signs in plain words from the detector's
# fourteenth wave; checked message by message against every risk message (none lost) and ordinary one (none gained).
SESSION_9 = [
    ("she is in danger at home tonight", "nobody's in danger, I just need help with the forms"),
    ("I'm in danger, he's outside", "I'm not in danger, I just cry at adverts"),
    ("I'm scared I'm a danger to my kids", "I'm not a danger to him, I'm just worn out"),
    ("I've lost my son at the shopping centre", "the LA has lost my son's paperwork again"),
    ("I can't find him anywhere and it's dark", "camhs said they can't see him while he's on the autism waiting list"),
    ("a man grabbed her and dragged her into a car", "a teacher grabbed her bag at the gate"),
    ("her dad shook her so hard she cried", "that refusal letter really shook me"),
    (
        "he's been jerking down one side for about 15 minutes",
        "he has jerking movements in his sleep, the consultant isn't worried",
    ),
    (
        "her inhaler isn't helping and she can barely talk",
        "the school keeps her inhaler in the office, is that allowed",
    ),
    ("he choked on a grape and can't get air in", "he can't get a word in at his review meetings"),
    ("he fell off the garage roof and can't feel his legs", "she can't feel the pencil properly, can she have a grip"),
    (
        "she's had 3 fits in the last hour which isn't normal",
        "he had 3 fits last year and the school still has no plan",
    ),
    ("school just called, his sugar is 1.8 and he's muddled", "the level of 1:1 support is too low for him"),
    ("his tongue looks swollen after tea", "his tongue tie was fixed as a baby, can it affect speech"),
    ("his leg looks broken, there's bone poking through", "he broke his leg last year and the school won't do a ramp"),
    ("she's coughing up blood, more than a cupful", "she's coughing a lot at night, can the school nurse check"),
    ("he's just drunk nearly a whole bottle of calpol", "he will only take calpol from a spoon, can school give it"),
    ("the nebuliser hasn't done much and he can't talk", "the school's spare nebuliser isn't working, who repairs it"),
    (
        "she's been twitching on one side for 15 minutes",
        "he was shaking with excitement for 15 minutes before the show",
    ),
    ("he choked and we can't get air in", "we can't get air in his wheelchair tyres"),
    ("he's coughing up a lot of blood", "with his CF he sometimes ends up coughing up a little blood"),
    ("she's bleeding a lot from her head", "he has a bleeding disorder, can he do PE"),
    ("she's cut her arms till they bleed", "her eczema is so bad she scratches till it bleeds"),
    ("she says she wants to die", "she has to pretend to die on stage in the school play"),
    (
        "three fits in the last hour and he isn't coming round",
        "he has fits and the council isn't coming round to a nurse",
    ),
]

# Session 10: a danger said not to be there, a condition rather than an injury (the fourth red team,
# tests/safety/ordinary_redteam4.txt); checked message by message against every risk message (none lost).
SESSION_10 = [
    ("he's suicidal and has the tablets", "I'm not suicidal, just worn out by the tribunal"),
    ("he's being abusive to her right now", "I was firm with the college, not abusive"),
    ("he came home covered in bruises", "he bruises really easily because of his hypermobility"),
    ("she's being abused by him", "I'm not being abused, I chose to be a young carer"),
    ("he's abusive and I'm scared", "my emails were firm, they weren't abusive"),
    ("my partner is abusing me", "this process is an abuse of my time and my sanity"),
    ("she's taken an overdose", "school gave paracetamol twice, not an overdose but still"),
    # The fifth red team (tests/safety/ordinary_redteam5.txt): a process that "will kill me", a child who lives
    # elsewhere now, bruises from a walking frame.
    ("he says he will kill me tonight", "honestly the council will kill me if I send one more email"),
    ("my ex is going to kill me", "the tribunal wait is going to kill me"),
    ("she hasn't come home since lunch", "he hasn't come home to mine since January, he lives at his dad's"),
    ("she has bruises on her arms from her dad", "he has bruises on his legs from his walking frame"),
    # The 999 signs in plain words, from the medical tuning sets: barely responding, a burn with the skin off.
    ("she's been sick all day and now she's barely responding", "the LA is barely responding to my emails"),
    ("he burned his hand on the oven and the skin's come off", "he burned his tongue on his hot chocolate"),
    ("she grabbed the iron, there's a big blistered burn on her palm", "the burns unit letter came, he's healed"),
    ("she's coughing up a lot of fresh blood", "with his CF he sometimes ends up coughing up a little blood"),
]
# Session 11, from the tuning sets' risk messages only asked or given neither; none of 20,660 ordinary training,
# tuning and check messages newly fires.
SESSION_11 = [
    ("the fit started at 3 and he's still fitting", "he had a fit in year 5 and still goes to forest school"),
    ("I've given the rescue med and it hasn't worked", "who at school is trained to give his rescue med?"),
    ("seizure after seizure since this morning", "one seizure a year since he was little"),
    ("another fit and she doesn't come round in between", "he doesn't come round to our house since the divorce"),
    ("he drank something from under the sink, I think bleach", "he drank something from the fountain, yuck"),
    ("he's asleep now and looks grey", "the walls at his new school look grey and gloomy"),
    ("his face went red then grey after the grape", "his face went red when the teacher shouted"),
    ("she's bringing up green sick", "she's been sick twice with a tummy bug"),
    ("his tummy is hard and swollen and he's screaming", "his tummy is fine now the dairy is out"),
    ("the top of his finger is nearly off", "he nearly finished his finger painting"),
    ("I think her arm is broken, she fell off the frame", "she broke her arm last year on the trampoline"),
    ("the taxi crashed and he is injured", "the taxi was in a crash last year, nobody hurt"),
    (
        "they gave my son another child's tablets and now his heart is racing",
        "they gave him the wrong medication, he's fine",
    ),
    ("I'm on the bridge near the school now", "I'm on the bridge club committee at his school"),
    # From a set of risk messages told calmly inside a school question (tests/safety/crisis_calm.txt).
    ("I've taken about 30 of my sertraline", "he takes 50mg of sertraline every morning"),
    ("she has eaten a handful of my iron tablets", "she has eaten a handful of raisins at snack time"),
    ("a man on a video call is asking her to undress", "the PE teacher is asking her to get changed faster"),
    ("her tutor has been sending her sexual messages", "the school keeps sending her mixed messages"),
    ("staff are searching the streets for him", "we are searching for a new school for him"),
    ("nobody has seen her since lunch", "nobody has seen the draft plan yet"),
    ("lads outside our house with knives", "a knife crime talk at our school"),
    ("I'm so close to lashing out at them", "I'm so close to giving up on the council"),
]
# Session 12, from the medical and missing-child red teams (tests/safety/*_rt7.txt): signs in the words of a child's
# own condition or equipment, and a child who never arrived, is still not found or ran off today.
SESSION_12 = [
    ("she has a shunt and has been sick three times", "she has a shunt and was sick once last term with a bug"),
    ("his PEG came out about 40 minutes ago", "what should staff do if his PEG comes out at school?"),
    ("the trachy came out and they can't get the spare in", "his trachy came out for good last year"),
    ("he can't keep his hydrocortisone down", "he can't keep his hydrocortisone in the school office"),
    ("sats dropped to 86 and she's working hard to breathe", "her year 6 SATs are in May"),
    ("his sats are 88 on oxygen", "his year 6 sats are 88 in the mock"),
    ("she's on chemo and has spiked 38.5", "she finished chemo and is back at school"),
    ("her heart rate on her watch is 38", "her heart rate goes up to 140 in PE"),
    ("his sugar is 3.1 and dropping even after juice", "his sugar is 6.1 and his reading age is 3 years behind"),
    ("ketones 3.6 and he's being sick", "ketones 0.2 this morning, all fine"),
    ("his arm is bent the wrong way", "his arm splint is bent, can the OT fix it?"),
    ("he's on dialysis, missed it today and now he's breathless", "he's on dialysis three mornings a week"),
    ("he goes blue round the lips and he's not responding", "he goes blue round the lips when he's cold"),
    ("school say she never arrived this morning", "she never arrived on time for registration"),
    ("he didn't get off the school bus", "he didn't get off the bus at school, he stayed on to the depot"),
    ("she's not been seen for 3 hours", "she's not been seen by CAMHS for 2 years"),
    ("they've searched the grounds and he isn't there", "we searched the site for a specialist school"),
    ("he absconded from residential this afternoon", "his EHCP says he absconds from class"),
    ("she didn't return to her placement last night", "she didn't return to school after Easter"),
    ("staff are still searching", "the council are still looking for a placement"),
    ("the school say they cannot find.", "the school say they cannot find his file"),
    ("he's still not found", "he's still not found a college course"),
    ("she's been missing since lunch", "he's been missing lectures to walk round campus"),
    ("he stormed out of the house and isn't answering", "he stormed out of the meeting; the council isn't answering"),
]
# Session 13, from the missing-child and medical red teams rt8 (tests/safety/*_rt8.txt).
SESSION_13 = [
    ("they cant find callum. hes 10", "we cant find childcare anywhere."),
    ("we are now unable to locate him", "they are unable to locate him on the system"),
    ("he left the building at lunch and hasn't been found", "he hasn't been found a place yet"),
    ("school rang to ask if she was home. She isn't.", "school rang to ask if she was home yet for the OT visit"),
    ("no one knows where she went after the taxi left", "no one knows where she went to school before she came to us"),
    (
        "he isn't back and he isn't answering his phone",
        "he isn't back at school till Monday and the council isn't answering",
    ),
    ("school says he never came in", "she never came in on Mondays last year"),
    ("he has not returned from his Saturday club", "he has not returned to his Saturday club since the row"),
    ("she didn't get on the coach home", "she didn't get on the coach with the others, so I drove her"),
    ("he's not come round and his colour is awful", "since the split his dad's not coming round anymore"),
    ("got him in the recovery position", "last night I put him in the recovery position as his plan says"),
    ("she's just collapsed at home", "she's collapsed in giggles at the video"),
    ("now she's fainted again", "she fainted once in assembly in Year 7"),
    # From the ordinary tuning set of session 13 (tests/safety/ordinary_brief9.txt): over, or an idiom.
    ("her cut is bleeding and won't stop", "she bleeds easily, she has von Willebrand disease"),
    ("his hand is still bleeding", "he cut his hand in DT, the bleeding stopped quickly"),
    (
        "a seizure for 6 minutes and it has not stopped",
        "a seizure in class, lasted about 2 minutes and stopped on its own",
    ),
    ("we lost him 15 mins ago", "we lost him at the fete for about 15 mins, a teacher found him"),
    ("my husband is going to kill me", "Mrs Okafor is going to kill me but I forgot to sign the form"),
]
# Session 14, from the hard red team rt9 (tests/safety/crisis_hard_rt9.txt, tuning).
SESSION_14 = [
    ("found his tie knotted into a loop hanging in his wardrobe", "her scarf was tied into a loop for the costume"),
    ("she said she's saved up her tablets", "we saved up for her new tablet for school"),
    ("it's been 4 hours, usually she's back within one", "it's been 4 hours of homework, usually she's done by 6"),
    ("she is not there. Now 1 hour.", "the ramp is not there. Now 1 year of asking."),
    ("the landlord has given us until 6pm to leave", "the school has given us until Friday to return the form"),
    ("we've been living in the car since Saturday", "we practically live in the car on the school run"),
]


@pytest.mark.parametrize(
    ("danger", "not_danger"),
    THINGS_NOT_PEOPLE
    + SIGNS_TO_CALL_999
    + SECOND_RED_TEAM
    + GUNS_GREY_AND_SWALLOWED
    + SESSION_9
    + SESSION_10
    + SESSION_11
    + SESSION_12
    + SESSION_13
    + SESSION_14,
)
def test_each_narrowing_keeps_the_danger_beside_it(danger: str, not_danger: str) -> None:
    assert shows_immediate_risk(danger)
    assert not shows_immediate_risk(not_danger)

"""Whether the risk words in a message are about danger now, or only about the past, a plan or a topic.

"She self-harmed two years ago but she's doing well now, should it still be in her EHCP?", "is there free
suicide prevention training for TAs?" and "what should school do if his seizure goes past 5 minutes?"
all name a danger, so the patterns in bot/understanding/safety.py fire on them; none shows danger now.
For such a message the patterns step aside and the learned detector and the situation model decide, as
they do for any message without a pattern (bot/understanding/risk_model.assess): emergency help when the
detector is sure, the one-tap safety question when it is unsure, otherwise the parent's answer.
docs/safety-and-privacy.md says why and what it was measured on.

The reading is narrow on purpose. Every risk word must sit in a sentence that itself says it is long past
and over ("two years ago", "used to", "when she was 9", "doing well now"), a plan or a what-if ("if he
has a seizure", "the care plan says"), or a topic (training, a lesson, a film, a policy). And any sign of
recency anywhere in the message ("last night", "again", "tonight", "fresh", "an hour ago", "still
bleeding") keeps the patterns' emergency help first. Recent past ("she took tablets an hour ago") is
never "past" here. Two readings hold whatever the rest of the message says: a label in quotation marks, and a
danger word named as the topic of a lesson, a story, a course or a question ("an assembly on suicide
prevention today", "is restraint classed as abuse?"); see _named_as_topic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.text import normalise_text

_NUMBER = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|couple\s+of|many)"
_SCHOOL_YEARS = r"(?:year|yr|primary|reception|nursery|infants|juniors|secondary)"

# The event is long enough ago: a time, an age, or a habit that has ended. Words of recovery alone ("she's
# fine now", "discharged") are not enough: a parent says them in an emergency too ("she says she's fine now
# but she took 20 paracetamol").
_PAST = (
    _NUMBER
    + r"\s+(?:years?|yrs?|months?)\s+(?:ago|back|before|earlier)|years\s+(?:ago|back)|(?:a\s+)?long\s+(?:time\s+)?ago"
    r"|last\s+(?:year|month|term|summer|spring|autumn|winter|christmas|easter|(?:school\s+)?holidays)|the\s+year\s+before|(?:in|from|during)\s+(?:19|20)\d\d|back\s+in\s+"
    + _SCHOOL_YEARS
    + r"|back\s+when"
    r"|(?<!being\s)(?<!been\s)(?<!is\s)(?<!was\s)(?<!get\s)(?<!got\s)(?<!getting\s)used\s+to(?!\s+(?:being|it|this|that|\w+ing)\b)"
    r"|in\s+the\s+past(?!\s+(?:hour|few|couple|day|night|week|\d+|two|three|24|48|half))|from\s+before|history\s+of|historic(?:al)?"
    r"|past\s+(?:history|episodes?|attempts?|overdoses?|self[\s-]?harm|abuse|trauma)|previous(?:ly)?(?!\s+(?:night|day|evening|hour))"
    r"|one[\s-]off|(?:happened|it\s+was|only)\s+once|before\s+(?:he|she|they)\s+came\s+to\s+(?:us|me|live)"
    r"|(?:when|while)\s+(?:he|she|they|i|we|my\s+\w+|our\s+\w+)\s+(?:lived|was\s+living|were\s+living)\s+with"
    r"|(?:when|while)\s+(?:he|she|they|i|we|my\s+\w+|our\s+\w+|the\s+(?:kids|children|boys|girls))\s+(?:was|were)\s+(?:\d+|little|younger|small|tiny|(?:a\s+)?newborns?|a\s+(?:baby|toddler|child|kid|teenager)|in\s+"
    + _SCHOOL_YEARS
    + r")"
    r"|as\s+a\s+(?:small\s+|young\s+)?(?:baby|toddler|child|kid|teenager|teen)|in\s+my\s+teens|at\s+age\s+\d{1,2}|aged\s+\d{1,2}"
    r"|(?:all\s+)?behind\s+us|closed\s+(?:his|her|their|my|our)\s+case|outgrew|grown\s+out\s+of"
    r"|old\s+(?:[\w&-]+\s+){0,3}(?:notes?|reports?|letters?|records?|reactions?|incidents?|scars?)"
    r"|been\s+(?:fine|well|ok|okay|settled|stable|safe|good|great)\s+(?:ever\s+since|for\s+(?:over\s+|nearly\s+|almost\s+)?"
    + _NUMBER
    + r"\s+(?:years?|months?))"
    r"|years\s+later|(?:all\s+)?healed|childhood|survivors?|during\s+(?:our|the|my|their)\s+(?:marriage|relationship)"
    r"|(?:separated|divorced|split\s+up)\s+(?:for\s+)?(?:" + _NUMBER + r"\s+)?(?:years?|months?)"
    r"|stopped\s+(?:years|ages|a\s+long\s+time|" + _NUMBER + r"\s+(?:years?|months?))"
    r"|hasn'?t\s+\w+\s+(?:in|for)\s+(?:over\s+)?" + _NUMBER + r"\s+(?:years?|months?)"
)
_DOCUMENT = (
    r"(?:ehcp|ehc\s+plan|(?:care|safety|crisis|health|healthcare|behaviour|support|draft|transport|trip)\s+plan|report|records?|file|bundle"
    r"|referral|section\s+[a-k]|outcomes?|paperwork|chronology|(?:camhs|gp|medical|school|case|hospital|a&e|discharge|council|la'?s?|social\s+work\w*)\s+(?:notes|letter))"
)
# A plan, a what-if, or what a document says.
_PLAN = (
    r"what\s+(?:should|would|do|does|can|could|happens|to\s+do)\b.{0,50}\bif|(?:plan|plans|ready|prepared)\s+for\s+if"
    r"|for\s+if\s+(?:he|she|they)|if\s+(?:a|any|the)\s+(?:child|pupil|student|young\s+person)|if\s+(?:he|she|they)\s+(?:(?:has|had|have)\s+)?ever"
    r"|if\s+(?:a|the|his|her|my)\s+(?:school|college|council|la|nursery|setting|head)\s+(?:says?|said|claims?|decides?|thinks?)"
    r"|(?:has|have|had)\s+(?:your|the|a|my)\s+(?:child|son|daughter|young\s+person)\s+ever"
    r"|(?:your|the|a|my)\s+(?:child|son|daughter)\s+(?:has|have|had)\s+ever"
    r"|hypothetically|even\s+if|if\s+(?:his|her|their|a|the)\s+(?:seizures?|fits?)|in\s+case|hypothetical\w*|speculative"
    r"|(?:care|safety|crisis|health(?:care)?|behaviour(?:\s+support)?|transport|trip|evacuation|anaphylaxis|epilepsy|seizure"
    r"|rescue|diabetes|asthma|allergy)\s+plans?"
    r"|risk\s+assessments?|policy|policies|procedures?|protocol"
    r"|"
    + _DOCUMENT
    + r"\b.{0,40}\b(?:says?|said|mentions?|lists?|quotes?|quoted|includes?|describes?|refers?|records?|states?|still)"
    r"|(?:says?|said|mentions?|lists?|quotes?|quoted|includes?|describes?|refers\s+to|states?)\b.{0,40}\b" + _DOCUMENT
)
# A topic, not an event: training, lessons, stories, what a word means.
_TOPIC = (
    r"training|(?<!of\s)courses?|workshops?|awareness|prevention|volunteer\w*|conference|talk\s+(?:on|about)"
    r"|assembly|lessons?|rse|pshe|set\s+text|(?:a|the)\s+(?:book|novel|film|play)|school\s+play|drama|characters?|villains?|storyline|documentary"
    r"|(?:the|in\s+the)\s+news|newsletter|leaflet|inquiry|scandal|essay|dissertation|module"
    r"|what\s+(?:does|do)\b.{0,40}\bmean|what\s+[\w\s-]{1,25}?\s+(?:is|means)\b(?!\s+(?:happening|going\s+on))|meaning\s+of|the\s+word|(?:learn|teach|taught)\w*\s+about"
)
_READINGS = tuple(re.compile(r"\b(?:" + reading + r")\b", re.IGNORECASE) for reading in (_PAST, _PLAN, _TOPIC))

# Words of recency that also say what is happening ("new cuts", "won't stop", "nobody knows where she is"):
# without_time_words keeps them, where it takes out words that only say when ("tonight", "2 hours ago").
_HAPPENING = (
    r"started\s+(?:again|back)|fresh(?!\s+start)|new\s+(?:cuts|marks|bruises)|hasn'?t\s+come\s+home|(?:won'?t|will\s+not)\s+stop|not\s+stopping|"
    # A child missing now, said as a state ("nobody knows where she is", "no one has seen him").
    r"(?:nobody|no\s+one|noone)\s+(?:knows\s+where\s+(?:he|she|they)\s+(?:is|are)|has\s+seen\s+(?:him|her|them))"
)
# Anywhere in the message: it is happening now, again, or very recently.
_RECENT = re.compile(
    r"\b(?:(?P<happening>"
    + _HAPPENING
    + r")|right\s+now|rn|as\s+(?:i|we)\s+(?:type|write|speak)|tonight|today|this\s+(?:morning|afternoon|evening|week)|last\s+night|yesterday|earlier|"
    r"just\s+(?!(?:want|wanted|wondering|need|needed|curious|asking|checking|a|one|the|to|so|in\s+case|because|ignore\w*|like|how|what|for|that|really|in\s+general|out\s+of\s+interest|watched|read|finished)\b)\w+|"
    r"(?<!never\s)(?<!not\s)(?<!hasnt\s)(?<!hasn't\s)(?<!happened\s)again(?!\s+in\s+(?:the\s+)?future)|"
    r"currently|at\s+the\s+(?:moment|minute)|"
    + _NUMBER
    + r"\s+(?:hours?|hrs?|minutes?|mins?|days?|weeks?|nights?)\s+ago|"
    r"since\s+(?:this|last|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday|the\s+weekend)|"
    # "still" when the danger goes on ("she's still bleeding"), not when the paperwork does ("the plan still says").
    r"still(?!\s+(?:mention\w*|talk\w*|say|says|said|list\w*|on\s+(?:my\s+mind|her|his|the|their|my)|in\s+(?:the|her|his|their|my)|"
    r"have\s+(?:it|this|that)|be\s+(?:in|on|there|mentioned|listed)|put|include\w*|need\w*|want\w*|lost|won|wait\w*|count\w*|relevant|matter\w*|true|there|"
    r"written|apply|applies|accept\w*|valid|in\s+date|affect\w*|worry|worried|have\s+a\s+right|get|entitled|eligible|bring\w*|bring\s+it|come\s+up|comes\s+up|has\s+(?:it|that|the|a)\b)))\b",
    re.IGNORECASE,
)
# "Again" inside a what-if ("what happens if he starts harming himself again when the 1:1 goes?") is the
# question, not something happening again now.
_WHAT_IF_AGAIN = re.compile(r"(\bwhat\b[^.!?;\n]{0,30}?\bif\b[^.!?;\n]{0,80}?)\bagain\b", re.IGNORECASE)
# "Tonight" as a deadline ("the appeal deadline is tonight at midnight") or as when the parent writes their own
# paperwork ("I'm writing my views tonight", "writing to my MP tonight") is not when a danger happens. Narrow on
# purpose: "do it tonight" and "finish it tonight" are how a plan to die is told, so no "it" and no "do" here.
_PAPERWORK_TONIGHT = re.compile(
    r"(\b(?:deadline\s+(?:is\s+)?(?:at\s+)?(?:midnight\s+)?|(?:due|in|submitted|sent|back)\s+by\s+(?:midnight\s+)?"
    r"|by\s+midnight\s+|(?:writ\w*|email\w*|send\w*|submit\w*|draft\w*)\s+(?:my|the|our)\s+(?:parental\s+)?"
    r"(?:views|letter|appeal|request|statement|complaint|email|response|reply|form|application)\s+"
    r"|(?:writ\w*|email\w*)\s+(?:to\s+)?(?:my\s+(?:mp|councillor)|the\s+(?:council|la|school|head|senco|tribunal|caseworker))\s+))"
    r"tonight\b(?:\s+at\s+midnight)?|\btonight\s+at\s+midnight\b",
    re.IGNORECASE,
)


def without_deadlines(text: str) -> str:
    """The text with "tonight" taken out where it is a deadline or the parent's own paperwork, and "again"
    where it is inside a what-if: what the detector and the words of recency read (neither says when a danger is)."""
    return _WHAT_IF_AGAIN.sub(r"\1", _PAPERWORK_TONIGHT.sub(lambda m: m.group(1) or "", text or ""))


_NOW = re.compile(r"\bnow\b", re.IGNORECASE)


# How near a danger word "now" itself must be to say the danger is now: "and now he says he wants to die" is, but in
# "she self-harmed in Year 8 ... now she's at college and the EHCP ends" the "now" is about the college. Chosen in
# session 14 on the tuning sets (docs/safety-and-privacy.md): at 40 characters no risk message of any set changes.
NOW_NEAR_DANGER = 40


def tells_of_now(text: str, spans: Iterable[tuple[int, int]]) -> bool:
    """Any word of recency, or "now" itself near a danger word (`spans`, in the normalised text), unless the message
    says it is over ("she's fine now"): the stricter reading, for setting a pattern aside."""
    normalised = normalise_text(text)
    if says_now(normalised):
        return True
    if says_it_is_over(text):
        return False
    near = [(start - NOW_NEAR_DANGER, end + NOW_NEAR_DANGER) for start, end in spans]
    return any(low <= now.start() <= high for now in _NOW.finditer(normalised) for low, high in near)


def without_time_words(text: str) -> str:
    """What a sentence says without its words of time ("tonight", "just", "2 hours ago"), to judge whether the
    rest of it is alarming (risk_model.RiskDetector.read_lines). Words of recency that also say what is
    happening ("new cuts", "won't stop", "hasn't come home", the verb after "just") stay."""
    return " ".join(_RECENT.sub(_time_part, without_deadlines(text)).split())


def _time_part(match: re.Match) -> str:
    """What stays of a word of recency: all of it when it says what is happening, the verb after "just"."""
    words = match.group(0)
    if match.group("happening"):
        return words
    return words[4:] if words.lower().startswith("just") else " "


# A sentence ends at . ! ? ; or a new line, and at ", now" / "but now" / "and now" (a turn to the present);
# one that starts "that was…" goes back to the one before ("he took an overdose at 15. that was 4 years ago").
_SENTENCE_END = re.compile(r"[.!?;\n]+|(?:,|\band\b|\bbut\b)\s*(?=now\b)", re.IGNORECASE)
_GOES_BACK = re.compile(r"\s*(?:that|it|this)\s+(?:was|were|is\s+all|'s\s+all)\b", re.IGNORECASE)


# How a long message is cut for the detector to read line by line (risk_model.RiskDetector.strongest_line):
# unlike the sentence around a risk word above, it also breaks at "also", "btw" and "ps", where a long
# message changes subject.
_LINE_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+|\s+(?:also|oh\s+and|and\s+also|btw|ps|p\.s\.)\s+", re.IGNORECASE)
# A sentence of four words or fewer is not read alone: the detector has too little to go on there and reads
# descriptions as danger ("hes non verbal" 0.98, "hes 19 and scared" 0.82 on session 13's model). Chosen in
# session 14 on the tuning sets (tests/safety/, tests/situations/): from 3 to 5 words no risk message of any set
# changed, and 5 situation or ordinary messages were no longer asked the safety question (docs/safety-and-privacy.md).
MIN_LINE_WORDS = 5


def says_now(text: str) -> bool:
    """The words say something is happening now, again or very recently ("tonight", "2 hours ago", "still")."""
    return bool(_RECENT.search(without_deadlines(normalise_text(text))))


# Words that say what happened is over and everyone is safe ("nobody was hurt", "he's fine now", "we found
# her"). They never set a pattern aside (a child who "seems fine" after tablets is still in danger); they only
# keep one sentence of a longer message from giving emergency help on its own (risk_model.assess), so
# "Tom hit his TA today ... he's fine now, can they exclude him?" is asked the question instead.
_WHO = r"(?:he|she|they|we|i|everyone|everybody|both|all|son|daughter|child|lad|boy|girl)"
_OVER = re.compile(
    r"\b(?:" + _WHO + r"(?:'s|'re|'m|\s+is|\s+are|\s+am|\s+was|\s+were)?\s+(?:all\s+)?"
    r"(?:fine|ok|okay|safe|home|calm|settled|asleep|alright|all\s+right)(?:\s+now)?"
    r"|no(?:body|\s+one|one)\s+(?:was\s+|got\s+)?hurt|no\s+harm\s+done|nothing\s+broken|not\s+hurt|all\s+(?:fine|ok|okay|good)\s+now"
    r"|(?:calmed|settled)\s+down|came\s+round|found\s+(?:him|her|them))\b",
    re.IGNORECASE,
)


def says_it_is_over(text: str) -> bool:
    """The words say what happened is over and everyone is safe (see _OVER: never enough to set danger aside)."""
    return bool(_OVER.search(normalise_text(text)))


def lines_that_may_be_now(text: str) -> list[str]:
    """The sentences of a message of two or more, leaving out those told as past, a plan or a topic (unless
    the message says something is happening now or very recently). One line of danger in a long message
    about school ("also he's been fitting since this morning") is then read on its own, not diluted. The
    lines are returned as typed (the detector learned on typed text) and read as `normalise_text` reads them."""
    lines = [line for line in _LINE_BREAK.split(text or "") if line and len(line.split()) >= MIN_LINE_WORDS]
    if len(lines) < 2:
        return []
    if says_now(text):
        return lines
    return [line for line in lines if not _told_otherwise(normalise_text(line))]


# A label in quotation marks ('a danger to others', "no suicidal ideation"): what a letter or a professional
# wrote, not the parent's own account of danger now. Words a child said ("I want to die") keep emergency
# help first, so a quotation with I, me, my or you in it is never a label. Straight quotes only; curly
# ones are made plain by bot/text.normalise_text.
_QUOTED = re.compile(r"""(?:(?<=[\s(])|^)(["'])[^"\n]{1,80}?\1(?=[\s.,;:!?)]|$)""")
_SPOKEN = re.compile(r"\b(?:i|i'm|im|i'll|ill|i've|ive|i'd|me|my|myself|mine|you|your|yourself|u|ur)\b", re.IGNORECASE)
# Nor is a quotation that itself says now ('going to end it tonight'), or one the child posted, texted or
# searched for ('she posted "going to end it"'): those are the child's own words.
_CHILDS_OWN = re.compile(
    r"\b(?:text(?:ed|s)?|post(?:ed|s)?|messag(?:ed|es?)|search(?:ed|es)?|googled|typed|snap\w*|whats\s*app\w*|insta\w*"
    r"|tiktok|status|story|bio|caption)\W*(?:(?:on|in|to)\s+\w+\W*)?(?:(?:says?|said|reads?|read)\W*)?$",
    re.IGNORECASE,
)


# A danger word that names the subject of a lesson, a programme, a course or a question ("an assembly on suicide
# prevention today", "a news story about a boy who died of an overdose", "is restraint classed as abuse?") is a
# topic whenever it happened, as a quoted label is, so words of recency elsewhere don't bring it back. The words
# between may not be about anyone here: "a programme about how my son wants to die" stays danger. A child who
# talks about it, watches videos of it or searches for it is not a topic here.
_TOPIC_NOUN = (
    r"(?:assembl(?:y|ies)|lessons?|(?:a|the)\s+talks?|training|(?<!of\s)courses?|modules?|programmes?|documentar(?:y|ies)"
    r"|films?|storylines?|episodes?|(?:news|bbc|tv|radio)\s+(?:stor(?:y|ies)|items?|reports?)|articles?|leaflets?"
    r"|research|podcasts?|sessions?|interview\s+questions?|referrals?|essays?|workshops?)"
)
_NAMED_BEFORE = re.compile(
    r"(?:\b" + _TOPIC_NOUN + r"\b[^.!?;\n]{0,25}?\b(?:on|about|around|covering)"
    r"|\b(?:classed|counted|classified|defined|considered|treated|labelled|labeled)\s+as|\b(?:calls?|called|calling)\s+it|\b(?:being|been|is|was|be|get|gets|got)\s+called"
    r"|\bwithout|\b(?:died|death)\s+(?:by|from|of)|\blost\s+(?:his|her|my|their|our)\s+(?:[\w'-]+\s+){1,2}to|\b(?:more|less|times)\s+likely\s+to\s+be"
    r"|\brisk(?:ing)?(?=\s+an?\s)|\baccus(?:e|ed|es|ing)\s+(?:(?:me|us|him|her|them)\s+)?of"
    # Session 13 (ordinary tuning set): "the difference between reasonable force and abuse", "what should happen
    # after a child discloses abuse" (any child: a rule asked about, not this family's news).
    r"|\bdifference\s+between\b[^.!?;\n]{0,40}?\band|\b(?:if|when|after|once)\s+(?:a|any)\s+(?:child|pupil|student|young\s+person)\s+"
    r"(?:discloses?|disclosed|reports?|makes?\s+an?\s+(?:allegation|disclosure)\s+of)"
    r"|\b(?:protections?|safeguards?)\b[^.!?;\n]{0,15}?\bagainst|\b(?:more|greater|higher|increased|the|no|any|a|and|about)\s+(?:at\s+)?risks?\s+of)"
    r"\s+(?:an?\s+|the\s+)?(?P<between>(?:[\w'-]+\s+){0,6})$",
    re.IGNORECASE,
)
_NAMED_AFTER = re.compile(
    r"\s+(?:prevention|awareness|training|statistics|stats|rates?|research|storylines?|allegations?|claims?|concerns?|worries"
    r"|fears?|investigations?|inquiry|scandal|history|support|policy|policies|sessions?)\b",
    re.IGNORECASE,
)
_LOOKED_UP = re.compile(r"\b(?:search\w*|googl\w*|look\w*\s+up|watch\w*\s+videos?)\b", re.IGNORECASE)
_SOMEONE_HERE = re.compile(r"\b(?:i|i'm|im|he|she|they|we|you|my|his|her|their|our|me|him|them|us)\b", re.IGNORECASE)


def _named_as_topic(text: str, start: int, end: int) -> bool:
    sentence = text[_sentence_start(text, start) : start]
    if _LOOKED_UP.search(sentence):
        return False
    named = _NAMED_BEFORE.search(sentence)
    if named and not _SOMEONE_HERE.search(named.group("between")):
        return True
    return bool(_NAMED_AFTER.match(text, end))


def _is_label(text: str, match: re.Match[str]) -> bool:
    words = match.group(0)
    before = text[max(0, match.start() - 30) : match.start()]
    return not (_SPOKEN.search(words) or _RECENT.search(words) or _CHILDS_OWN.search(before))


def not_about_danger_now(text: str, risk_spans: Iterable[tuple[int, int]]) -> bool:
    """True when every risk word (its span in `text`) sits in a sentence told as past and over, as a plan or
    a what-if, or as a topic, and nothing in the message says it is happening now, again or very recently.
    With no spans, False."""
    spans = list(risk_spans)
    if not spans:
        return False
    # A label in quotation marks is what someone wrote, whenever the letter came ("a letter came today saying he
    # is 'a danger to others'"), and a word named as a topic is a topic (_named_as_topic); every other risk word
    # needs its sentence told otherwise and nothing saying now.
    quoted = [m.span() for m in _QUOTED.finditer(text) if _is_label(text, m)]
    unquoted = [
        (start, end)
        for start, end in spans
        if not any(qs < start and end < qe for qs, qe in quoted) and not _named_as_topic(text, start, end)
    ]
    if not unquoted:
        return True
    if _RECENT.search(without_deadlines(text)):
        return False
    return all(_told_otherwise(_sentence_around(text, start, end)) for start, end in unquoted)


def _told_otherwise(sentence: str) -> bool:
    return any(reading.search(sentence) for reading in _READINGS)


def _sentence_start(text: str, start: int) -> int:
    """Where the sentence holding position `start` begins (see _SENTENCE_END)."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    return before[-1] if before else 0


def _sentence_around(text: str, start: int, end: int) -> str:
    first = _sentence_start(text, start)
    stop = _SENTENCE_END.search(text, end)
    last = stop.start() if stop else len(text)
    if stop and _GOES_BACK.match(text, stop.end()):
        following = _SENTENCE_END.search(text, stop.end())
        last = following.start() if following else len(text)
    return text[first:last]

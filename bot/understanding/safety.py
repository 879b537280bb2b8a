"""Deterministic detection of messages that show immediate risk to a child or a parent.

This is the safety net under the intent model: it fires on these words whatever the model predicts, so
emergency signposting never depends on a classifier being confident. It errs on the side of showing
help: a parent who sees emergency numbers they didn't need loses a few seconds; a parent who needed them
and didn't see them may lose far more. It must still stay quiet on everyday SEND words ("missing
school", "can't go on the trip", "blood test", "violent outbursts" on their own), or it would bury
ordinary answers; tests/test_safety.py holds both kinds of example.
"""

from __future__ import annotations

import re

from bot.text import normalise_text

# Fragments, written for the way people type in a hurry: no apostrophes, common misspellings.
_SELF = r"(?:him|her|my|them|your|our|it)\s*sel(?:f|ves|fs)"
_CHILD = r"(?:him|her|them|me|us|my\s+(?:son|daughter|child|kid|kids|children|boy|girl|little\s+\w+|baby|teenager)|the\s+(?:kids|children))"
_POSSESSIVE = r"(?:his|her|their|my|your)"
_CANT = r"(?:can'?t|cannot|cant|can\s+not)"
_PILLS = r"(?:pills|tablets|paracet\w*mol|meds|medication|medicine|painkillers)"

_RISK_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "suicide",
        r"\bsu[i1]?c[i1]?d(?:e|es|al|ally)\b|\bunaliv\w*|\bkms\b|\bgoodbye\s+(?:note|letter)s?\b|\bnote\b.{0,40}\bgoodbye\b"
        r"|\bwritten\s+(?:goodbye\s+)?letters?\s+(?:for|to)\s+(?:the\s+kids|the\s+children|my\s+\w+|everyone)\b"
        # The means of hanging, named: "he's already got the rope" (tests/safety, second set).
        r"|\bnoose\b|(?=.*\b(?:already|neck|hang\w*|banister|ceiling|beam)\b).*\b(?:got|has|have|had|bought|found|hid|tied)\s+(?:a|the)\s+rope\b(?!\s+(?:ladder|swing|bridge|course|toy|pull))"
        r"|\b(?:rope|belt|ligature)\s+(?:round|around)\s+(?:his|her|their|my)\s+neck\b",
    ),
    (
        "wants to die",
        r"\bto\s+die\b(?!\s+for)|\bbe\s+dead\b|\bnever\s+wake\s+up\b"
        r"|\bwish(?:es|ed)?\s+(?:i|he|she|they)\s+(?:was|were|had)\s+(?:dead|never\s+been\s+born)\b"
        r"|\bend(?:ing)?\s+(?:it\s+all|things|"
        + _POSSESSIVE
        + r"\s+(?:own\s+)?life)\b|\btake\s+"
        + _POSSESSIVE
        + r"\s+own\s+life\b"
        r"|(?<!council\s)(?<!school\s)(?<!college\s)\b(?:want|wants|going|gonna|thinking\s+about|thoughts\s+of|talking\s+about)\s+(?:to\s+)?end\s+it\b(?!\s+and\s+(?:put|move|send|replace|give|offer|start))",
    ),
    (
        "kill self",
        r"\b(?:kill|killing|killed|kills|stab|stabbing|hang|hanging|harm|harming|cut|cutting|burn|burning"
        r"|strangle|starve|starving|starved)\s+" + _SELF + r"\b(?!\s+laugh)"
        r"|\bhurt(?:s|ing)?\s+" + _SELF + r"\s+(?:on\s+purpose|deliberately)\b|\bto\s+hurt\s+" + _SELF + r"\b"
        r"|\bvoices\s+telling\s+(?:him|her|them|me)\s+to\b",
    ),
    (
        "no point living",
        r"\b(?:better\s+off\s+(?:dead|without\s+(?:me|him|her))|no\s+(?:reason|point)\s+(?:in\s+)?(?:to\s+)?(?:living|live|being\s+alive|going\s+on)"
        r"|(?:don'?t|dont)\s+see\s+the\s+point\s+(?:any\s*more|in\s+(?:living|anything|going\s+on))"
        r"|(?:nobody|no\s+one|noone)\s+would\s+miss\s+(?:me|him|her)"
        r"|(?:not|don'?t|dont|doesn'?t|doesnt|didn'?t)\s+want\s+to\s+(?:be\s+)?(?:alive|live|exist|here\s+any\s*more)"
        r"|do\s+something\s+stupid|(?:scared|frightened|terrified|afraid)\s+(?:of\s+)?what\s+(?:i|he|she)\s+might\s+do"
        r"|(?:don'?t|dont)\s+trust\s+myself|(?:drive|crash)\s+(?:the|my)\s+car\s+into)\b"
        r"|\b" + _CANT + r"\s+go\s+on(?=\s*$|\s*[.!,?]|\s+(?:like\s+this|any\s*more|living|much\s+longer|with\s+life))",
    ),
    (
        "self-harm",
        r"\bself[\s-]?harm\w*|\bself[\s-]?injur\w*|\bcuts\s+are\s+deep\b"
        r"|\bcuts\s+on\s+(?:" + _POSSESSIVE + r"|my\s+\w+'?s)\s+(?:arms?|legs?|wrists?|thighs?|body)"
        r"|\bcut(?:s|ting)?\s+" + _POSSESSIVE + r"\s+(?:arms?|wrists?|legs?|skin|thighs?)\b"
        r"|(?:\b(?:been|is|was|started|keeps|keep)|'s)\s+cutting\b(?!\s+(?:his|her|the|their|my|back|down|funding|hours|costs|support|corners|out|class|lessons?))",
    ),
    (
        "overdose",
        r"\bover\s?dos\w*\b(?!\s+of\s+(?!"
        + _PILLS
        + r"|his|her|their|my))(?!\s+on\s+(?:screen|tv|telly|sugar|games|gaming|youtube|tiktok|sweets|chocolate|ipad|phone|minecraft|fortnite))|\bod'd\b|\bod'?d\s+on\b|\boded\b"
        r"|\b(?:took|take|taking|taken|had|swallowed|swallowing)\s+(?:\w+\s+){0,2}?(?:loads|lots|a\s+load|a\s+handful|a\s+(?:whole\s+)?(?:strip|box|packet|bottle)"
        r"|all|too\s+many|every|a\s+bunch)\s+(?:of\s+)?(?:[\w']+\s+){0,3}?" + _PILLS + r"\b"
        r"|\b(?:'s|has|had)\s+taken\s+(?:some\s+|a\s+lot\s+of\s+|loads\s+of\s+|a\s+load\s+of\s+)?(?:pills|paracet\w*mol)\b"
        r"|\b" + _PILLS + r"\W+(?:loads|lots|all)\s+of\s+them\b|\b" + _PILLS + r"\s+(?:lined\s+up|counted\s+out)\b"
        r"|\b(?:every|all\s+the)\s+(?:pill|tablet)s?\b.{0,40}\b(?:counted|lined\s+up)\b"
        r"|\bswallowed\s+(?:some\s+)?(?:bleach|batteries|a\s+battery|detergent|chemicals|poison)",
    ),
    (
        "abuse",
        r"\babus(?:e|ed|es|ing|ive)\b(?!\s+(?:the|of)\s+(?:system|rules|process|timetable|part))|\bmolest\w*|\bgroom(?:ed|ing)\b|\bsexually\s+(?:assaulted|touched)"
        r"|\b(?:has|have|had|was|were|is|been)\s+(?:been\s+)?(?:touching|groping)\s+(?:him|her|them)\b"
        r"|\b(?:someone|somebody|a\s+(?:man|woman|teacher|ta|carer|stranger|driver)|an\s+adult|staff)\b.{0,30}\b(?:touching|touched|groping)\s+(?:her|him|them)\b"
        r"|\bdomestic\s+(?:violence|abuse)\b|\bgone\s+off\s+with\s+(?:a|an|some)\s+(?:[\w-]+\s+){0,3}?(?:man|men|adults?|strangers?|boys|lads)\b"
        r"|\b(?:man|adult|older\s+\w+)\s+(?:she|he)\s+met\s+online\b|\bwon'?t\s+tell\s+me\s+where\s+(?:she|he)\s+is\b",
    ),
    (
        "hurt by someone",
        r"\b(?:hits|hitting|hit|beat|beats|beating|punch(?:es|ed|ing)?|kick(?:s|ed|ing)?|strangl\w*|chok(?:ed|ing)|attack(?:s|ed|ing)?|shook|slapped|grabbed|dragged|hurting|been\s+rough\s+with)\s+"
        + _CHILD
        + r"\b(?!\s+(?:out|off|back|by\s+accident|accidentally|with\s+(?:a|another|the)\s+(?:fine|bill|letter|penalty|charge)))"
        r"|\b(?:violent|violence)\s+(?:with|towards?|to)\s+(?:me|us|him|her|them)\b|\bgets\s+violent\b"
        r"|\bpushed\s+(?:\w+\s+){1,3}down\s+the\s+stairs\b|\blocked\s+(?:me|us)\b(?:\s+and\s+the\s+\w+)?\s+in\b",
    ),
    (
        "injury",
        r"\bbruises\b|\bbruised\s+(?:"
        + _POSSESSIVE
        + r"\s+|him|her)|\bcovered\s+in\s+bruis\w*|\bblack\s+eye\b|\bcut\s+lip\b|\bbleed(?:ing|s)?\b(?!\s+(?:us|me|them|money|cash)\b)(?!(?:\s+\w+){0,3}\s+dry\b)|\btil+\s+(?:they|it)\s+bleeds?\b|\b(?:he|she|they|i|son|daughter|child|boy|girl)\s+(?:has\s+|just\s+|'s\s+)?collapsed\b(?!\s+with\s+exhaustion)"
        r"|\bmarks\s+on\s+" + _POSSESSIVE + r"\s+(?:arms?|legs?|neck|wrists?|body|face|back)\b",
    ),
    (
        "threat",
        r"\bthreaten(?:ed|ing|s)?\s+(?:to\s+(?:kill|hurt|harm|stab|jump|take\s+(?:the\s+kids|them|him|her))|(?:his|her|my)\s+(?:sister|brother|mum|dad|sibling))\b"
        r"|\b(?:going\s+to|gonna|will|'ll|wants?\s+to)\s+(?:kill|hurt|harm|stab)\s+(?:me|us|him|her|them|the\s+kids|the\s+children|my\s+\w+)\b"
        r"|\b(?:i|I)\s*(?:'m|\s+am)?\s*(?:going\s+to|gonna)\s+(?:hurt|harm)\s+(?:him|her|them|my|myself)\b"
        r"|\b(?:scared|afraid|worried|frightened|terrified)\s+(?:i|I)\s*(?:'ll|\s+will|\s+might|\s+may)\s+(?:hurt|harm|hit)\b",
    ),
    (
        "danger",
        r"\bin\s+(?:immediate\s+)?danger\b(?!\s+of\s+(?!being\s+(?:hurt|harmed|killed)))|\b(?:not|isn'?t)\s+safe\s+at\s+home\b|\bunsafe\s+at\s+home\b|\bscared\s+to\s+go\s+home\b"
        r"|\ba\s+danger\s+to\s+(?:my\s+(?:kids|children|son|daughter|family)|the\s+(?:kids|children)|him|her|them|myself|others)\b"
        r"|\b(?:can'?t|cannot|cant|can\s+not|not\s+able\s+to|unable\s+to|don'?t\s+think\s+i\s+can)\s+keep\s+(?:them|him|her|us|my\s+\w+|the\s+\w+)\s+(?:both\s+|all\s+)?safe\b"
        r"|\b(?:worried|scared|frightened|fear(?:ful)?)\s+(?:for|about)\s+(?:his|her|their|my\s+\w+'?s?)\s+safety\b"
        r"|\b(?:threatening\s+to\s+jump|jump(?:s|ing|ed)?\s+(?:off|from)\s+(?:a|the)\s+(?:bridge|roof|building|cliff|window))\b"
        r"|\b(?:on(?:to)?\s+the\s+roof|railway\s+line|(?:ran|run|running)\s+(?:towards?|into|onto)\s+(?:the\s+)?(?:main\s+)?road)\b"
        r"|\b(?:has|had|with|holding|took|grabbed|got)\s+(?:a|the)\s+(?:knife|hammer|blade|weapon|gun)\b",
    ),
    (
        "missing",
        r"\b(?:he|she|they|(?:my|our)\s+(?:son|daughter|child|boy|girl|kid|teenager)|\w+\s+year\s+old)(?:'s|\s+has|\s+have|\s+is|\s+was)?\s+(?:gone|went|go|goes|going|reported|been)\s+missing\b(?!\s+(?:out|school|lessons?|education|class|classes|days|weeks|months|exams?|a\s+lot|so\s+much|the|his|her|their|my|from\s+(?:school|lessons?|class(?:es)?|the\s+\w+)))"
        r"|\bis\s+missing\s*(?:[.!?]|$)|\bmissing\s+(?:since|overnight|from\s+home)\b|\bran\s+away\s+from\s+home\b"
        r"|\b(?:"
        + _CANT
        + r"\s+(?:find|see)|lost)\s+(?:him|her|them|my\s+(?:son|daughter|child))\b(?!\s+(?:at|in)\s+(?:the\s+)?(?:meeting|plan))(?!\s+(?:temper|place|patience|voice|cool|job|way|rag|paperwork|papers|file|forms?|details|records?|reports?|appointments?|referral))"
        r"|\b(?:hasn'?t|hasnt|has\s+not|didn'?t|didnt|did\s+not|'s\s+not|is\s+not)\s+(?:come|came)\s+home\b|\b(?:hasn'?t|hasnt|has\s+not)\s+been\s+seen\s+since\b"
        r"|\b(?:nobody|no\s+one|noone)\s+knows\s+where\s+(?:he|she|they)\s+(?:is|are)\b",
    ),
    (
        "warning signs",
        r"\bif\s+(?:i|he|she|they)\s+(?:wasn'?t|weren'?t|was\s+not|were\s+not)\s+(?:here|around|alive)\b"
        r"|\bgiv(?:ing|en|es)\s+(?:away\s+)?(?:his|her|their|my|all\s+(?:his|her|their|my))\s+(?:things|stuff|games|belongings|possessions|toys)\b"
        r"|\bsaying\s+goodbye\s+to\s+(?:her|his|their|my|everyone)\b|\bletter\s+to\s+open\s+['\"]?later"
        r"|\b(?:think\w*|thoughts|talk\w*)\s+(?:about|of)\s+ending\s+it\b|\bscared\s+to\s+go\s+to\s+bed\b",
    ),
    (
        "exploitation",
        r"\b(?:carry|carrying|selling|deliver\w*)\s+drugs\b|\bcounty\s+lines\b"
        r"|\b(?:men|man|lads|adults?)\b.{0,30}\b(?:give|gave|giving|gives)\s+(?:him|her|them)\s+(?:stuff|money|drugs|presents|gifts)\b"
        r"|\basking\s+(?:my\s+)?(?:[\w-]+\s+){0,4}for\s+(?:photos|pictures|pics|nudes)\b|\b(?:photos|pictures|pics|nudes)\s+of\s+(?:herself|himself)\b"
        # Sexual exploitation described as "favours" for older men, or paying off someone's debt.
        r"|\b(?:favours?|favors?)[\"'\u2019\u201d]?\s+for\s+(?:older|grown|adult)\s+(?:men|boys|lads|people)\b"
        r"|\b(?:made|making|make|forced|forcing)\s+to\s+(?:do\s+(?:things|stuff)|have\s+sex)\b.{0,40}\b(?:debt|owes?|pay\s+off)\b",
    ),
    (
        "harm at home",
        r"\bsmash(?:ing|ed)\s+(?:the\s+)?(?:house|place|home)\s+up\b|\b(?:kids|children)\s+are\s+hiding\b"
        r"|\bgrab(?:s|bed|bing)?\s+(?:him|her|them)\s+(?:round|around|by)\s+the\s+(?:neck|throat)\b"
        r"|\b(?:he|she|they|someone|somebody)\s+(?:has\s+)?hurt\s+(?:her|him|me|them)\b"
        r"|\bsplit\s+(?:his|her|their|my)\s+(?:\w+\s+)?open\b"
        r"|\b(?:drank|drunk|swallowed|ate|eaten)\s+(?:some\s+(?:of\s+)?)?(?:the\s+)?(?:bleach|batteries|a\s+battery|detergent|chemicals|poison|washing\s+(?:tablets|pods)|antifreeze|weed\s*killer)\b"
        r"|\b(?:standing|sitting|stood|sat|climbed)\b.{0,30}\b(?:bridge|ledge|window\s*sill|roof)\b"
        # A blade or glass held to someone's own neck or wrists; driving a car into something on purpose.
        r"|\b(?:knife|knives|blade|razor|glass|scissors)\b.{0,40}\b(?:to|against|at|across)\s+"
        + _POSSESSIVE
        + r"\s+(?:own\s+)?(?:neck|throat|wrists?)\b"
        r"|\bdriv(?:e|es|ing)\s+(?:us\s+|him\s+|her\s+|the\s+car\s+|my\s+car\s+)?(?:into|off)\s+(?:a|the)\s+"
        r"(?:wall|tree|bridge|river|cliff|lorry|motorway)\b",
    ),
    (
        "medical emergency",
        # "what to do if a fit doesn't stop" (a care plan) is not an emergency happening now.
        r"(?<!if\sa\s)(?<!if\sthe\s)(?<!if\shis\s)(?<!if\sher\s)\b(?:seizures?|fits?|fitting|seizing)\b.{0,40}\b(?:won'?t|will\s+not|not|hasn'?t|isn'?t|doesn'?t)\s+(?:stop|stopping|stopped|ending|ended)\b"
        r"|\b(?:fitting|seizing|seizure|fit)\b.{0,30}\b(?:\d+|five|ten|fifteen|twenty)\s+min"
        r"|\b(?:not|isn'?t|stopped|hardly)\s+breathing\b|\bcan'?t\s+breathe\b|\bstruggling\s+to\s+breathe\b"
        r"|\bunconscious\b|\bunresponsive\b|\bwon'?t\s+wake\s+up\b|\bblue\s+lips\b|\banaphyla\w*"
        r"|\bthroat\s+(?:is\s+)?(?:swelling|closing)\b"
        r"|\bfloppy\b.{0,40}\b(?:not|won'?t|isn'?t)\s+(?:drink\w*|eat\w*|respond\w*|wak\w*)"
        r"|\b(?:not|won'?t|isn'?t)\s+(?:drink\w*|respond\w*)\b.{0,40}\bfloppy\b"
        r"|\b(?:hit|banged|bumped)\s+(?:his|her|their)\s+head\b.{0,60}\b(?:drowsy|sleepy|vomit\w*|being\s+sick|confused)\b",
    ),
    (
        "nowhere to sleep",
        r"\bnowhere\s+(?:safe\s+)?to\s+sleep\b|\bnowhere\s+(?:safe\s+)?to\s+(?:stay|go)\s+tonight\b|\bhomeless\s+tonight\b"
        r"|\b(?:sleeping|sleep|slept|sleep\s+tonight)\s+(?:in\s+(?:the|my|our)\s+car|rough|on\s+the\s+streets?)\b"
        r"|\b(?:kicked|thrown|threw|put)\s+(?:us|me)\s+out\b.{0,40}\btonight\b",
    ),
    (
        "crisis",
        r"\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:in\s+)?(?:a\s+)?(?:mental\s+health\s+)?crisis\b|\b(?:having|in)\s+a\s+(?:mental\s+health\s+)?crisis\b"
        r"|\bcrisis\s+(?:help|line|team|support|number)\b",
    ),
)

_COMPILED = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _RISK_PATTERNS)


def risk_signals(text: str) -> list[str]:
    """Names of the risk patterns a message matches (empty when none), read as `normalise_text` reads it:
    invisible characters, look-alike letters and curly apostrophes neither hide a risk nor invent one."""
    if not text:
        return []
    normalised = normalise_text(text)
    return [name for name, pattern in _COMPILED if pattern.search(normalised)]


def shows_immediate_risk(text: str) -> bool:
    """True when a message shows a child or parent may be at immediate risk."""
    return bool(risk_signals(text))

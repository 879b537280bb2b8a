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
_SELF = r"(?:him|her|my|them|our)\s*sel(?:f|ves|fs)"
_CHILD = r"(?:him|her|them|me|us|my\s+(?:son|daughter|child|kid|kids|children|boy|girl|little\s+\w+|baby|teenager)|the\s+(?:kids|children))"
_POSSESSIVE = r"(?:his|her|their|my|your)"
# What a routine dose looks like after "taking all his meds": when and with what, not how many.
_ROUTINE_DOSE = (
    r"(?!\s+(?:at\s+(?:school|lunch\w*|college|breakfast|tea\w*|home|night|bedtime)|with\s+(?:food|water|his|her|meals?)"
    r"|every\s+day|a\s+day|daily|on\s+time|now\s+for|into\s+the|for\s+(?:his|her|their)\s+(?:epilepsy|adhd|asthma|condition|diabetes)))"
)
# Everyday touch that a sensory programme or a TA's hand on a shoulder is, not abuse.
_EVERYDAY_TOUCH = r"(?!\s+(?:with\s+(?:the|a)\s+brush|on\s+the\s+(?:shoulder|arm|hand|back)|for\s+(?:the\s+)?sensory|without\s+(?:warning|asking)))"
# "nobody knows where he is on the waiting list": a place in a process, not a missing child.
_NOT_A_PLACE = (
    r"(?!\s+(?:on|in|at|with|up\s+to)\s+(?:the|his|her|their)\s+(?:list|queue|waiting|process|assessment|plan|ehcp|referral|reading|learning|work|curriculum|phonics|maths|spelling|targets|pathway))"
    r"(?!\s+(?:on|in)\s+(?:the\s+)?(?:list|queue|waiting\s+list|process|spectrum))(?!\s+(?:up\s+to|at\s+with|at\s+in)\b)"
)
_CANT = r"(?:can'?t|cannot|cant|can\s+not)"
# Session 11: the medicines a child or parent is likeliest to have at home, by name.
_PILLS = (
    r"(?:pills|tablets|paracet\w*mol|meds|medication|medicine|painkillers|ibuprofen|sertraline|fluoxetine|citalopram"
    r"|amitriptyline|melatonin|codeine|co-codamol)"
)
_RESCUE_NOT_HELPING = (
    r"\b(?:inhaler|nebuli[sz]er|neb)\s+(?:is\s+|'s\s+)?(?:not|isn'?t|doesn'?t|does\s+not|hasn'?t|has\s+not|didn'?t)\s+"
    r"(?:working|helping|helped|worked|doing\s+anything|done\s+(?:much|anything))\b"
)

# Session 12: being sick now, said beside a shunt; a low blood sugar still falling, said beside a word of diabetes.
# Bounded windows either way round (not a look-ahead over the whole message, which is slow on very long text).
_SICK_NOW = r"\b(?:(?:been|being|keeps\s+being)\s+(?:\w+\s+){0,2}?(?:sick|vomiting|throwing\s+up)|(?:is|'s|keeps)\s+(?:vomiting|throwing\s+up))\b"
_SUGAR_WORD = r"\b(?:sugars?|bg|bm|glucose|insulin|hypo\w*|diabet\w*)\b"
_LOW_AND_FALLING = r"\b(?:[1-3]\.\d|[1-3])\s+(?:mmol\s+)?and\s+(?:still\s+)?(?:dropping|falling|going\s+down)\b"

# Session 12: a child not answering (the phone, messages), not a council or a school.
_NOT_ANSWERING = (
    r"(?<!council\s)(?<!school\s)(?<!\bla\s)(?<!office\s)(?<!senco\s)(?<!caseworker\s)(?<!team\s)(?<!they\s)"
    r"\b(?:isn'?t|is\s+not|not|won'?t|wont|isnt|hasn'?t\s+been|stopped)\s+(?:answering|picking\s+up|replying|responding)\b"
)

_RISK_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "suicide",
        r"(?<!social\s)(?<!career\s)(?<!political\s)(?<!financial\s)(?<!money\s)(?<!tribunal\s)(?<!professional\s)(?<!not\s)(?<!no\s)(?<!never\s)(?<!not\sliterally\s)(?<!not\sactually\s)\bsu[i1]?c[i1]?d(?:e|es|al|ally)\b(?!\s+squad)|\bunaliv\w*|\bkms\b|\bgoodbye\s+(?:note|letter)s?\b|\b(?:left|leave|leaving|wrote|written|found)\s+(?:a|her|his|their|me\s+a)\s+note\b.{0,40}\bgoodbye\b"
        r"|\bwritten\s+(?:goodbye\s+)?letters?\s+(?:for|to)\s+(?:the\s+kids|the\s+children|my\s+\w+|everyone\b(?!\s+at\b))\b"
        # The means of hanging, named: "he's already got the rope" (tests/safety, second set).
        r"|\bnoose\b|(?=.*\b(?:already|neck|hang\w*|banister|ceiling|beam)\b).*\b(?:got|has|have|had|bought|found|hid|tied)\s+(?:a|the)\s+rope\b(?!\s+(?:ladder|swing|bridge|course|toy|pull|for\s+\w+\s+to\s+climb|to\s+climb))"
        r"|(?<!like\sa\s)\b(?:rope|belt|ligature)\s+(?:round|around)\s+(?:his|her|their|my)\s+neck\b"
        # Session 14 (the hard red team rt9, tuning): something knotted into a loop and hanging, either way round.
        r"|\b(?:knotted|tied)\s+(?:in|into)\s+a\s+(?:loop|noose)\b.{0,60}?\bhang\w*|\bhang\w*\b.{0,40}?\b(?:knotted|tied)\s+(?:in|into)\s+a\s+(?:loop|noose)\b",
    ),
    (
        "wants to die",
        r"(?<!pretend\s)(?<!pretends\s)(?<!pretending\s)\bto\s+die\b(?!\s+(?:for|of\s+(?:embarrassment|shame|boredom|laughter|laughing|cringe)))|\bbe\s+dead\b(?!\s+(?:long|quiet|good|easy|nice|busy|boring|funny|simple|hard|slow|quick|expensive|cheap|loud|late|early|proud|lucky|keen|jealous|excited|awkward|handy|chuffed|useful|pleased|tired))|\bnever\s+wake\s+up\b(?!\s+(?:in\s+time|on\s+time|early|for|before))"
        r"|\bwish(?:es|ed)?\s+(?:i|he|she|they)\s+(?:was|were|had)\s+(?:dead|never\s+been\s+born)\b"
        r"|\bend(?:ing)?\s+(?:it\s+all\b(?!\s+one\s+way)|things\b(?!\s+(?:with|on\s+a))|"
        + _POSSESSIVE
        + r"\s+(?:own\s+)?life)\b|\btake\s+"
        + _POSSESSIVE
        + r"\s+own\s+life\b"
        r"|(?<!council\s)(?<!school\s)(?<!college\s)\b(?:want|wants|going|gonna|thinking\s+about|thoughts\s+of|talking\s+about)\s+(?:to\s+)?end\s+it\b(?!\s+and\s+(?:put|move|send|replace|give|offer|start|go))(?!\s+(?:with|after|by|before|at|the\s+placement))",
    ),
    (
        "kill self",
        r"(?<!rope\sto\s)\b(?:kill|killing|killed|kills|stab|stabbing|hang|hanging|harm|harming|cut|cutting|burn|burning"
        r"|strangle|starve|starving|starved)\s+"
        + _SELF
        + r"\b(?!\s+(?:laugh|trying|working|running\s+around|to\s+get|to\s+keep|to\s+finish|to\s+cover|doing\s+(?:all\s+)?(?:the|this|his|her)|over\s+(?:this|the|it)|a\s+(?:fringe|slice|piece)|shaving|out\s+of|from\s+midnight|before\s+(?:the|her|his)\s+(?:operation|op|anaesthetic|general)|of\s+sleep|on\s+the\s+(?:toaster|oven|kettle|iron|hob|stove|cooker|radiator)))"
        r"|(?<!not\s)(?<!isnt\s)(?<!isn't\s)(?<!wasnt\s)(?<!wasn't\s)\bhurt(?:s|ing)?\s+"
        + _SELF
        + r"\s+(?:on\s+purpose|deliberately)\b|\bto\s+hurt\s+"
        + _SELF
        + r"\b"
        r"|(?<!the\s)\bvoices\s+telling\s+(?:him|her|them|me)\s+to\b",
    ),
    (
        "no point living",
        r"\b(?:better\s+off\s+(?:dead|without\s+(?:me|him|her))|no\s+(?:reason|point)\s+(?:in\s+)?(?:to\s+)?(?:living|live(?!\s+(?:in|at|near|here|there|on|with))|being\s+alive|going\s+on(?!\s+(?:with|to|at|about)))"
        r"|(?:don'?t|dont)\s+see\s+the\s+point\s+(?:any\s*more\b(?!\s+(?:of|in)\s+(?!living|life|anything|going\s+on))|in\s+(?:living|anything|going\s+on))"
        r"|(?:nobody|no\s+one|noone)\s+would\s+miss\s+(?:me|him|her)"
        r"|(?:not|don'?t|dont|doesn'?t|doesnt|didn'?t)\s+want\s+to\s+(?:be\s+)?(?:alive|live(?!\s+(?:in|at|with|near|there|on|away|independently|by|nearby|so\s+far|next\s+door|far))|exist|here\s+any\s*more)"
        r"|had\s+enough\s+of\s+(?:life|living|being\s+alive|everything\s+and\s+everyone)"
        r"|do\s+something\s+stupid(?!\s+like)|(?:scared|frightened|terrified|afraid)\s+(?:of\s+)?what\s+(?:i|he|she)\s+might\s+do(?!\s+(?:at|in|on|when)\s+(?:the\s+)?(?:tribunal|meeting|review|exam|interview|hearing|zoo|trip|party|museum|shops?|sports\s+day|assembly|concert|wedding))"
        r"|(?:don'?t|dont)\s+trust\s+myself(?!\s+to\s+(?:remember|get|do|fill|write|say|speak|spell|read))(?!\s+(?:on\s+the\s+phone|with\s+(?:the\s+)?(?:deadlines|dates|money|paperwork|forms|figures|numbers)))|(?:drive|crash)\s+(?:the|my)\s+car\s+into(?!\s+(?:the\s+)?(?:gate|kerb|curb|bollard|post|car\s+park|garage|drive|driveway)))\b"
        r"|\b"
        + _CANT
        + r"\s+go\s+on(?=\s*$|\s*[.!,?\"']|\s+(?:like\s+this|any\s*more(?!\s+(?:trips?|outings?|visits?|residentials?))|living|much\s+longer|with\s+life))",
    ),
    (
        "self-harm",
        r"\bself[\s-]?harm\w*|\bself[\s-]?injur\w*|\bcuts\s+are\s+deep\b(?!\s+(?:this|in|across|for|again\s+this))"
        r"|\bcuts\s+on\s+(?:"
        + _POSSESSIVE
        + r"|my\s+\w+'?s)\s+(?:arms?|legs?|wrists?|thighs?|body)\b(?!\s+from\s+(?:the\s+|a\s+|his\s+|her\s+)?(?:brambles|thorns|bushes|nettles|hedge|fall|trampoline|bike|scooter|cat|dog|rabbit|football\s+boots|boots|shoes|splints?|afos?|straps?))"
        r"|(?<!afos\s)(?<!splints\s)(?<!straps\s)(?<!shoes\s)(?<!boots\s)\bcut(?:s|ting)?\s+"
        + _POSSESSIVE
        + r"\s+(?:arms?|wrists?|legs?|skin|thighs?)\b(?!\s+(?:splints?|casts?|braces?|sleeves?|plaster))"
        r"|(?:\b(?:been|is|was|started|keeps|keep)|'s)\s+cutting\b(?!\s+(?:his|her|the|their|my|our|back|down|funding|hours|costs|support|corners|out|class|lessons?|paper|up|salt|ot|pe|hair|nails|fringe|food|grass|in|swimming|art|music|drama|sessions?|provision|services|staff|direct|budgets?|transport|\d|\w+\s+(?:hours|sessions|from)))",
    ),
    (
        "overdose",
        r"(?<!not\san\s)(?<!no\s)\bover\s?dos\w*\b(?!\s+of\s+(?!"
        + _PILLS
        + r"|his|her|their|my))(?!\s+on\s+(?:screen|tv|telly|sugar|games|gaming|youtube|tiktok|sweets|chocolate|haribo|soft\s+play|ipad|phone|minecraft|fortnite|lego|books?|trains|dinosaurs))|\bod'?d\s+on\b(?!\s+(?:soft\s+play|sugar|sweets|haribo|chocolate|screen|tv|games|youtube))|\bod'd\b(?!\s+on\b)|\boded\b"
        r"|(?<!pharmacy\s)(?<!chemist\s)(?<!pharmacist\s)\b(?:took|take|taking|taken|had|swallowed|swallowing|ate|eaten)\s+(?:\w+\s+){0,2}?(?:loads|lots|a\s+load|a\s+handful|a\s+(?:whole\s+)?(?:strip|box|packet|bottle)"
        r"|all|too\s+many|every|a\s+bunch)\s+(?:of\s+)?(?:[\w']+\s+){0,3}?"
        + _PILLS
        + r"\b"
        + _ROUTINE_DOSE
        + r"|\b(?:'s|has|had)\s+taken\s+(?:some\s+|a\s+lot\s+of\s+|loads\s+of\s+|a\s+load\s+of\s+)?(?:pills|paracet\w*mol)\b(?!\s+(?:fine|well|ok|okay|before|since|for\s+years|with\s+(?:water|food|yoghurt|jam)))"
        # A number of tablets no dose would need ("took 20 paracetamol"); two for a headache is not this.
        r"|\b(?:took|take|taking|taken|swallowed)\s+(?:about\s+|around\s+|like\s+|maybe\s+|over\s+|at\s+least\s+)?"
        r"(?:[6-9]|\d{2,}|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)\s+(?:of\s+(?:his|her|their|my)\s+)?"
        + _PILLS
        + r"\b(?!\s+(?:a|per|each|every)\s+(?:day|week|morning|night|meal))(?!\s+with\s+(?:every|each)\s+(?:meal|snack|dose))"
        r"|(?<!\bon\s)\b"
        + _PILLS
        + r"\W+(?:loads|lots|all)\s+of\s+them\b|\b"
        + _PILLS
        + r"\s+(?:lined\s+up|counted\s+out)\b(?!\s+in\s+(?:a|the|his|her)\s+(?:dosette|pill\s*box|box|organiser|organizer|blister))"
        r"|\b(?:every|all\s+the)\s+(?:pill|tablet)s?\b.{0,40}\b(?:counted(?!\s+in\b)|lined\s+up)\b"
        r"|\bswallowed\s+(?:some\s+)?(?:bleach|batteries|a\s+battery|detergent|chemicals|poison)",
    ),
    (
        "abuse",
        r"(?<!alcohol\s)(?<!substance\s)(?<!drug\s)(?<!not\s)(?<!never\s)(?<!no\s)(?<!not\sbeing\s)(?<!weren't\s)(?<!wasn't\s)(?<!werent\s)(?<!wasnt\s)(?<!isn't\s)(?<!isnt\s)(?<!no\sevidence\sof\s)\babus(?:e|ed|es|ing|ive)\b(?!\s+(?:the|of|their|its|his|her|my|our)\s+(?:(?:the|my|our|their|his|her|its)\s+)?(?:system|rules|process|timetable|part|power|position|authority|discretion|time\s+out|card|pass|time|sanity|patience|goodwill))|\bmolest\w*|(?<!dog\s)(?<!pet\s)(?<!personal\s)(?<!horse\s)(?<!pony\s)\bgroom(?:ed|ing)\b(?!\s+like\s)|\bsexually\s+(?:assaulted|touched)"
        r"|\b(?:has|have|had|was|were|is|been)\s+(?:been\s+)?(?:touching|groping)\s+(?:him|her|them)\b"
        + _EVERYDAY_TOUCH
        + r"|\b(?:someone|somebody|a\s+(?:man|woman|teacher|ta|carer|stranger|driver)|an\s+adult|staff)\b.{0,30}\b(?:touching|touched|groping)\s+(?:her|him|them)\b"
        + _EVERYDAY_TOUCH
        + r"|\bdomestic\s+(?:violence|abuse)\b|\bgone\s+off\s+with\s+(?:a|an|some)\s+(?:[\w-]+\s+){0,3}?(?:man|men|adults?|strangers?|boys|lads)\b"
        r"|\b(?:man|adult|older\s+\w+)\s+(?:she|he)\s+met\s+online\b|\bwon'?t\s+tell\s+me\s+where\s+(?:she|he)\s+is\b(?!\s+(?:up\s+to|at\s+with|with\s+(?:her|his)\s+(?:work|coursework)|doing\s+(?:her|his)))",
    ),
    (
        "hurt by someone",
        r"(?<!baby\s)(?<!baby\skeeps\s)(?<!bump\skeeps\s)(?<!tie\sis\s)(?<!tie\skeeps\s)(?<!collar\sis\s)(?<!shoes\sare\s)(?<!splints\sare\s)(?<!boots\sare\s)(?<!strikes\sare\s)"
        r"\b(?:hits|hitting|hit|beat|beats|beating|punch(?:es|ed|ing)?|kick(?:s|ed|ing)?|strangl\w*|chok(?:ed|ing)|attack(?:s|ed|ing)?|(?<!it\s)(?<!that\s)(?<!really\s)shook|slapped|grabbed|dragged|hurting|been\s+rough\s+with)\s+"
        + _CHILD
        + r"\b(?!\s+(?:out|off|back|from|a|an|some|at\s+(?:chess|draughts|cards|snap|uno|monopoly|scrabble|board\s+games|connect\s+4|mario\s+kart|pool|darts|football|tennis|swimming|running|fifa|minecraft|fortnite|the\s+game|(?:a|the)\s+race)|under\s+the\s+table|(?:now\s+)?how\s+(?:much|bad|far)|by\s+accident|accidentally|in\s+(?:every|each)|in\s+(?:the|their|its)\s+(?:tribunal|response|letter|meeting|report|press|hearing)"
        r"|(?:to|along\s+to|round|around)\s+(?:every|all|the|appointments?)"
        r"|with\s+(?:a|another|the|more|yet)\s+(?:[\w\u00a3$]+\s+)?(?:fine|bill|letter|penalty|charge|delay|demand|refusal)"
        # Their things, not them: "a teacher grabbed her bag" (a hand on an arm or a collar still counts).
        r"|(?:bag|phone|ipad|tablet|laptop|coat|hood|jumper|book|pencil\s+case|lunch\s*box)s?)\b)"
        r"|\b(?:violent|violence)\s+(?:with|towards?|to)\s+(?:me|us|him|her|them)\b|\bgets\s+violent\b"
        r"|\bpushed\s+(?:him|her|me|them|us|(?:his|her|their|my|our|the)\s+(?:\w+\s+)?(?:son|daughter|child|kids?|brother|sister|baby|mum|dad|wife|partner|girlfriend|boyfriend|nan|gran))\s+(?:\w+\s+){0,2}?down\s+the\s+stairs\b|\blocked\s+(?:me|us)\b(?:\s+and\s+the\s+\w+)?\s+in\b",
    ),
    (
        "injury",
        r"(?<!apples\swith\s)(?<!fruit\swith\s)(?<!bananas\swith\s)\bbruises\b(?!\s+(?:really\s+|very\s+|so\s+|quite\s+)?easily)(?!(?:\s+on\s+(?:his|her|their)\s+\w+)?\s+from\s+(?:the\s+|his\s+|her\s+|their\s+)?(?:splints?|afos?|boots|shoes|straps?|football|rugby|pe|falling|the\s+trampoline|walking\s+frame|frame|walker|wheelchair|standing\s+frame|callipers|calipers|braces?|crashing|bumping))|\bbruised\s+(?:"
        + _POSSESSIVE
        + r"\s+|him|her)(?!\s*(?:pride|ego|feelings)\b)|\bcovered\s+in\s+bruis\w*|\bblack\s+eye\b(?!\s+patch)(?!\s+from\s+(?:walking|running|falling|the\s+door|a\s+door|football|rugby|pe))|\bcut\s+lip\b|(?<!nose\s)(?<!colours\sare\s)(?<!colour\sis\s)(?<!no\s)(?<!until\s)(?<!\btill\s)(?<!scratches\still\sit\s)(?<!scratches\still\sthey\s)(?<!scratch\still\sit\s)\bbleed(?:ing|s)?\b(?!\s+(?:disorder|us|me|them|money|cash|staff|teachers|pupils|members|through|out\s+on|school|bus|taxi|council|la|form|website|phone|computer|thing|in\s+the\s+wash)\b)(?!(?:\s+\w+){0,3}\s+dry\b)(?!\s+easily\b)(?!\s+(?:has\s+|had\s+)?(?:stopped|stops)\b)|(?<!scratches\s)(?<!scratch\s)(?<!scratching\s)\btil+\s+(?:they|it)\s+bleeds?\b|\b(?:he|she|they|i|son|daughter|child|boy|girl)(?:'s\s+|\s+has\s+|\s+)(?:just\s+)?collapsed\b(?!\s+(?:with\s+exhaustion|on\s+(?:the\s+)?(?:sofa|bed|couch)|in\s+(?:giggles|laughter|fits|a\s+heap)|on\s+the\s+floor\s+laughing|into\s+bed))"
        r"|(?<!felt\stip\s)(?<!pen\s)(?<!ink\s)(?<!biro\s)(?<!marker\s)(?<!paint\s)\bmarks\s+on\s+"
        + _POSSESSIVE
        + r"\s+(?:arms?|legs?|neck|wrists?|body|face|back)\b",
    ),
    (
        "threat",
        r"\bthreaten(?:ed|ing|s)?\s+(?:to\s+(?:kill|hurt|harm|stab|jump|take\s+(?:the\s+kids|them|him|her)(?!\s+(?:off|out\s+of)\s+(?:roll|the\s+register|school))(?!\s+to\s+court)(?!\s+(?:phone|ipad|tablet|laptop|console|xbox|switch)))|(?:his|her|my)\s+(?:sister|brother|mum|dad|sibling)(?!\s+with\s+(?:tickle|water|a\s+water|a\s+nerf|nerf|a\s+toy|toy)))\b"
        r"|(?<!council\s)(?<!school\s)(?<!tribunal\s)(?<!paperwork\s)(?<!process\s)(?<!\bla\s)(?<!council\sis\s)(?<!school\sis\s)(?<!this\sis\s)(?<!wait\sis\s)(?<!wait\s)"
        r"\b(?:going\s+to|gonna|will|'ll|wants?\s+to)\s+(?:kill|hurt|harm|stab)\s+(?:me|us|him|her|them|the\s+kids|the\s+children|my\s+\w+)\b(?!\s+(?:feelings|chances|case|academically|grades|education|prospects|progress|learning|confidence|in\s+(?:minecraft|fortnite|the\s+game)))(?<!my\scharacter)(?<!my\savatar)(?<!my\sback)(?<!my\sshoulder)(?<!my\sknee)"
        # Session 13 (ordinary tuning set): "she's going to kill me but I forgot to sign the form" is an idiom.
        r"(?!\s*,?\s*(?:but|cos|because|as)\s+(?:i|we)\s+(?:forgot|didn'?t\s+(?:sign|send|fill|do|bring|reply)|haven'?t\s+(?:signed|sent|filled|done)|missed|lost\s+the|left\s+the)\b)"
        r"|\b(?:i|I)\s*(?:'m|\s+am)?\s*(?:going\s+to|gonna)\s+(?:hurt|harm)\s+(?:him|her|them|my|myself)\b(?!\s+(?:feelings|chances|case))"
        r"|\b(?:so\s+|really\s+)?close\s+to\s+(?:lashing\s+out|hurting\s+(?:him|her|them)|hitting\s+(?:him|her|them))\b"
        r"|\b(?:scared|afraid|worried|frightened|terrified)\s+(?:i|I)\s*(?:'ll|\s+will|\s+might|\s+may)\s+(?:hurt|harm|hit)\b(?!\s+(?:the\s+wrong|a\s+wrong|the\s+(?:button|key)|send|reply|his\s+(?:feelings|chances)|her\s+(?:feelings|chances)))",
    ),
    (
        "danger",
        r"(?<!placement\sis\s)(?<!ehcp\sis\s)(?<!plan\sis\s)(?<!funding\sis\s)(?<!place\sis\s)(?<!transport\sis\s)(?<!base\sis\s)(?<!unit\sis\s)"
        r"(?<!service\sis\s)(?<!provision\sis\s)(?<!club\sis\s)(?<!not\s)(?<!never\s)(?<!nobody's\s)(?<!nobodys\s)(?<!no\sone's\s)(?<!noone's\s)(?<!nobody\sis\s)(?<!no\sone\sis\s)\bin\s+(?:immediate\s+)?danger\b(?!\s+of\s+(?!being\s+(?:hurt|harmed|killed)))(?!\s+because)|\b(?:not|isn'?t)\s+safe\s+at\s+home\b|\bunsafe\s+at\s+home\b|\bscared\s+to\s+go\s+home\b"
        r"|(?<!calls\shim\s)(?<!called\shim\s)(?<!calls\sher\s)(?<!called\sher\s)(?<!not\s)(?<!never\s)\ba\s+danger\s+to\s+(?:my\s+(?:kids|children|son|daughter|family)|the\s+(?:kids|children)|him|her|them|myself|others)\b"
        r"|\b(?:can'?t|cannot|cant|can\s+not|not\s+able\s+to|unable\s+to|don'?t\s+think\s+i\s+can)\s+keep\s+(?:them|him|her|us|my\s+\w+|the\s+\w+)\s+(?:both\s+|all\s+)?safe\b(?!\s+(?:at\s+(?:lunch\w*|school|break\w*|play\w*|dinner\w*)|on\s+(?:the\s+)?(?:bus|minibus|trips?|the\s+playground)|in\s+(?:class|school|the\s+classroom|the\s+playground|the\s+dining\s+hall|the\s+canteen|the\s+hall|lessons?|pe)))"
        r"|\b(?:worried|scared|frightened|fear(?:ful)?)\s+(?:for|about)\s+(?:his|her|their|my\s+\w+'?s?)\s+safety\b(?!\s+on\s+the\s+(?:walk|way|road|journey|bus))"
        r"|\b(?:threatening\s+to\s+jump|jump(?:s|ing|ed)?\s+(?:off|from)\s+(?:a|the)\s+(?:bridge|roof|building|cliff|window))\b"
        r"|(?<!ball\s)(?<!football\s)(?<!frisbee\s)(?<!kite\s)\b(?:(?:he|she|they|he's|she's|'s|is|are|got|climbed|climbing|went|gone|up|window|out)\s+on(?:to)?\s+the\s+roof|railway\s+line|(?<!path\s)(?<!road\s)(?:ran|run|running)\s+(?:towards?|into|onto)\s+(?:the\s+)?(?:main\s+)?road)\b"
        r"|(?<!food\s)\b(?:has|had|with|holding|took|grabbed|got)\s+(?:a|the)\s+(?:knife|hammer|blade|weapon|gun)\b(?!\s+(?:and\s+fork|out\s+in\s+(?:dt|design)|to\s+cut\s+(?:his\s+|her\s+|the\s+)?food|set|properly|correctly|the\s+right\s+way|for\s+(?:his|her|their)\s+birthday|for\s+christmas))"
        # A gun taken out of where it is kept, or someone sitting with a gun or a blade (session 8).
        r"|\b(?:taken|took|got|get|getting)\s+(?:my|his|her|their|the|a)\s+(?:\w+'?s\s+)?(?:gun|shotgun|rifle|air\s+rifle)\s+out\b"
        r"|\bsitting\s+(?:here\s+)?with\s+(?:a|the|my|his|her)\s+(?:\w+'?s\s+)?(?:gun|shotgun|rifle|knife|blade)\b",
    ),
    (
        "missing",
        r"\b(?:he|she|they|(?:my|our)\s+(?:son|daughter|child|boy|girl|kid|teenager)|\w+\s+year\s+old)(?:'s|\s+has|\s+have|\s+is|\s+was)?\s+(?:gone|went|go|goes|going|reported|been)\s+missing\b(?!\s+(?:off|out|school|lessons?|lectures?|seminars?|sessions?|appointments?|registration|periods?|college|uni|nursery|therapy|pe|meals?|breakfast|lunch|tea|dinner|homework|deadlines?|work|mornings?|afternoons?|education|class|classes|days|weeks|months|exams?|a\s+lot|so\s+much|the|his|her|their|my|from\s+(?:school|lessons?|class(?:es)?|the\s+\w+)))"
        r"|(?<!support\sthe\s)\b(?:he|she|son|daughter|child|boy|girl|kid|teen|teenager|lad|old)\s+is\s+missing\s*(?:[.!?]|$)|\bmissing\s+(?:since|overnight|from\s+home)\b(?!\s+(?:education|ed|schooling|learning|educating))|\bran\s+away\s+from\s+home\b"
        r"|\b(?:"
        + _CANT
        + r"\s+(?:find|see)|lost)\s+(?:him|her|them|my\s+(?:son|daughter|child))\b(?!'s\b)(?!\s+(?:while|until|till|unless|without|before\s+(?:his|her|the)))(?!\s+(?:at|in)\s+(?:the\s+)?(?:meeting|plan))(?!\s+(?:temper|place|patience|voice|cool|job|way|rag|paperwork|papers|file|forms?|details|records?|reports?|appointments?|referral|spot|seat|slot|turn))(?!\s+(?:a|an|any)\s)"
        # Session 13 (ordinary tuning set): lost for a while and found ("lost him at the fete for about 15 mins").
        r"(?!(?:\s+[\w']+){0,6}\s+for\s+(?:about\s+|around\s+|roughly\s+|maybe\s+|a\s+good\s+)?(?:\d+|a\s+few|five|ten|fifteen|twenty)\s+min\w*\b(?!\s+now))"
        r"|\b(?:hasn'?t|hasnt|has\s+not|didn'?t|didnt|did\s+not|'s\s+not|is\s+not)\s+(?:come|came)\s+home\b(?!\s+all\s+(?:term|year|week|half\s+term))(?!\s+to\s+(?:mine|ours|my\s+(?:house|place)|our\s+(?:house|place))\s+since)|\b(?:hasn'?t|hasnt|has\s+not)\s+been\s+seen\s+since\b"
        r"|\b(?:nobody|no\s+one|noone)\s+(?:knows\s+where\s+(?:he|she|they)\s+(?:is|are)|has\s+seen\s+(?:him|her|them))\b"
        + _NOT_A_PLACE
        # "school don't know where he is" - a child, not a place on a waiting list or in a process.
        + r"|\b(?:don'?t|do\s+not|doesn'?t|does\s+not|didn'?t)\s+know\s+where\s+(?:he|she|they)\s+(?:is|are|went|has\s+gone|'s\s+gone)\b(?!\s+to\s+(?:school|college|nursery))"
        + _NOT_A_PLACE
        # Session 11 (calm tuning set): people out searching for a child.
        + r"|\b(?:are|is|'re|been)\s+(?:out\s+)?(?:searching|looking)\s+(?:for\s+(?:him|her|them)\b(?!\s+(?:a|an)\b)|the\s+streets)"
        # Session 12 (the missing-child red team, tuning): a child who never arrived or didn't get off the bus, is
        # still not found or not seen for hours, ran off from school or a placement today, or didn't come back
        # to where they live; staff searching the grounds; "reported her missing"; "they say they cannot find".
        r"|\b(?:he|she|they|son|daughter|child|boy|girl|kid)\s+(?:didn'?t|did\s+not|never|hasn'?t|has\s+not)\s+"
        r"(?:get\s+off\s+(?:the|her|his|their)\s+(?:school\s+)?(?:bus|coach|taxi|minibus)\b(?!\s+at\s+(?:school|the\s+right))"
        r"|(?:arrived?|turn(?:ed)?\s+up)(?:\s+(?:at\s+)?(?:school|college|home))?\b"
        r"(?!\s+(?:on\s+time|until|till|in\s+time|before|to|for|at|in|with|late|early|yet\b)))"
        r"|\bstill\s+(?:not|hasn'?t\s+been|has\s+not\s+been|isn'?t|not\s+been)\s+found\b(?!\s+(?:a|an|any|the|his|her|their|one|somewhere|anything|anywhere|out)\b)"
        r"|\bnot\s+been\s+seen\s+(?:for\s+(?:over\s+|about\s+|nearly\s+)?(?:\w+\s+)?(?:hours?|an\s+hour|hrs?)"
        r"|since\s+(?:this\s+(?:morning|afternoon|evening)|last\s+night|lunch\w*|break\w*|yesterday|\d{1,2}(?::\d\d)?\s*(?:am|pm|o'?clock)?\b))"
        r"|\babscond(?:ed|s)?\b.{0,40}\b(?:\d+\s+min\w*\s+ago|(?:an?|one|two)\s+hours?\s+ago|this\s+(?:morning|afternoon|evening)|today|tonight|just\s+now)\b"
        r"|\bjust\s+absconded\b"
        r"|(?:\bnot|n'?t|\bnever)\s+(?:return(?:ed)?|come\s+back|came\s+back)\s+(?:home|to\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:supported\s+)?"
        r"(?:home|house|accommodation|placement|residential|unit|hostel|flat|foster\s+\w+|care\s+home|children'?s\s+home))\b"
        r"|\b(?:searched|searching|search)\s+(?:the\s+)?(?:grounds|whole\s+(?:school|house|site|building|estate)|site|building|park|streets|everywhere|the\s+house)\b"
        r"(?!\s+for\s+(?:a|the|his|her|my|their|an?)\s+(?!son|daughter|child|boy|girl))"
        r"|\b(?:staff|school|teachers?|security|they|police|lifeguards|everyone|people|we)\s*[\"']?(?:are|'re|re|have\s+been)\s+(?:all\s+)?(?:still\s+)?[\"']?searching\b[\"']?"
        r"(?!\s+for\s+(?:a|an|the|another|somewhere|options|places?|schools?)\b)(?!\s+(?:online|the\s+(?:web|internet|database)))"
        r"|\bnobody'?s\s+got\s+(?:him|her)\b|\breported\s+(?:him|her|them)\s+missing\b|\b(?:say|said|says)\s+(?:they\s+)?(?:cannot|can'?t|cant)\s+find\s*(?:[.!?,]|$)"
        # Session 12 (the calm red team's last message given neither): gone off and not answering, either way round.
        r"|\b(?:stormed|ran|run|walked|gone|went|took|legged\s+it|bolted|marched)\s+(?:out|off)\b.{0,100}?"
        + _NOT_ANSWERING
        + r"|"
        + _NOT_ANSWERING
        + r".{0,60}\b(?:stormed|ran|walked|legged\s+it|bolted)\s+(?:out|off)\b"
        # Session 13 (the missing-child red team rt8, tuning): staff unable to find or locate a child, by name
        # too ("they cant find callum"); not yet found; a school ringing to ask if the child is home and they
        # are not; nobody knows where they went; not back and not answering; never came in after being dropped
        # off; not back from a club or the shop; didn't get on the coach home.
        r"|\b(?:unable\s+to|"
        + _CANT
        + r")\s+(?:find|locate)\s+(?:him|her|them)\b(?!\s+(?:a|an|any)\s)(?!\s+(?:on|in)\s+(?:the\s+)?(?:list|system|register))"
        r"|\b(?:unable\s+to|"
        + _CANT
        + r")\s+(?:find|locate)\s+(?!(?:a|an|any|the|it|its|anything|anyone|anybody|anywhere|one|work|help|time|childcare|words|"
        r"school|schools|somewhere|out|my|his|her|their|our|your|this|that|what|where|how|who|which|why|when|support|provision|information|info|"
        r"details|evidence|paperwork|forms?|letters?|reports?|placements?|tutors?|therapists?|places?|transport|funding|records|documents|emails?|"
        r"numbers?|contacts?|website|links?|policy|answers?|advice|someone|somebody|anything|nothing|much|enough|space|parking|peace|energy|"
        r"motivation|pictures?|photos?|proof|them|him|her|me|us)\b)[a-z]+\s*(?:[.!?,]|$|\s+anywhere\b)"
        r"|\b(?:hasn'?t|has\s+not|haven'?t|have\s+not)\s+(?:yet\s+)?been\s+found\b(?!\s+(?:a|an|any|the|his|her|their|one|somewhere|anything|anywhere|out|to|"
        r"guilty|liable|at\s+fault|eligible|suitable|fit|yet\s+to)\b)"
        r"|\b(?:rang|ringing|called|calling|phoned|phoning|texted|emailed)\b.{0,25}?\bif\s+(?:he|she|they|\w+)\s+(?:was|is|were|'s|had\s+come|has\s+come|got)\s+"
        r"(?:at\s+|back\s+|gone\s+)?home\b.{0,40}?\b(?:(?:he|she|they)\s*(?:isn'?t|is\s+not|wasn'?t|was\s+not|aren'?t|'s\s+not|hasn'?t|has\s+not)\b|not\s+here\b)"
        r"|\b(?:nobody|no\s+one|noone|we\s+don'?t|i\s+don'?t)\s+knows?\s+where\s+(?:he|she|they)\s+(?:went|has\s+gone|'s\s+gone|have\s+gone|ran|walked)\b"
        r"(?!\s+(?:to\s+school|to\s+college|on\s+(?:holiday|the\s+trip))\b)"
        r"|\b(?:isn'?t|is\s+not|still\s+not|hasn'?t\s+come|has\s+not\s+come|hasn'?t\s+got|not\s+come)\s+back\b(?!\s+(?:at|to|in)\s+(?:school|college|class|work))"
        r".{0,80}?"
        + _NOT_ANSWERING
        + r"|\b(?:he|she|they|son|daughter|child|boy|girl)\s+never\s+came\s+in\b(?!\s+(?:on|to|for|at|until|till|because|after|again|much|that)\b)"
        r"|(?:\bnot|n'?t|\bnever)\s+(?:return(?:ed)?|come\s+back|came\s+back|got\s+back)\s+from\s+(?:his|her|their|the)\s+(?:\w+\s+){0,2}?"
        r"(?:club|shop|shops|park|walk|youth\s+club|swimming|football|cinema|town|friend'?s|mate'?s)\b"
        r"|\b(?:didn'?t|did\s+not|never)\s+(?:get\s+on|board)\s+(?:the|her|his|their)\s+(?:school\s+)?(?:bus|coach|minibus|train)\s+(?:home|back)\b"
        # Session 14 (rt9, tuning): gone for hours when they are usually back; "she is not there. Now 1 hour".
        r"|\b(?:it'?s\s+been|been\s+gone|gone\s+for|out\s+for|been\s+out\s+for)\s+(?:over\s+|nearly\s+|about\s+|almost\s+)?(?:\d+|two|three|four|five|six)\s+"
        r"(?:hours?|hrs?)\b.{0,60}?\b(?:usually|normally|always)\b.{0,30}?\bback\b"
        r"|\b(?:is|was)\s+not\s+there\b.{0,40}?\bnow\s+(?:\d+|one|two|three)\s+(?:hours?|hrs?)\b",
    ),
    (
        "warning signs",
        r"\bif\s+(?:i|he|she|they)\s+(?:wasn'?t|weren'?t|was\s+not|were\s+not)\s+(?:here|around|alive)\b(?!\s+(?:to\s+(?:chase|do|help|push|sort|fight|drive|take|get|ring|phone)|in\s+the|for\s+))"
        r"|\bgiv(?:ing|en|es)\s+(?:away\s+)?(?:his|her|their|my|all\s+(?:his|her|their|my))\s+(?:things|stuff|games|belongings|possessions|toys)\b(?!\s+(?:to\s+do|back))"
        r"|\bsaying\s+goodbye\s+to\s+(?:her|his|their|my|everyone)\b(?!\s+(?:ta|teacher|class|classmates|friends\s+at|at\s+the|at\s+school|key\s*worker|tutor|nursery|old\s+school|school|on\s+the\s+last))|\bletter\s+to\s+open\s+['\"]?later"
        r"|\b(?:think\w*|thoughts|talk\w*)\s+(?:about|of)\s+ending\s+it\b(?!\s+with)|\bscared\s+to\s+go\s+to\s+bed\b"
        # Session 14 (rt9, tuning): tablets saved up or hidden away ("I've saved up my sertraline").
        r"|\b(?:saved|saving|hoard\w*|stash\w*)\s+(?:up\s+)?(?:all\s+)?(?:of\s+)?(?:her|his|my|their)\s+"
        + _PILLS
        + r"\b",
    ),
    (
        "exploitation",
        r"\b(?:carry|carrying|selling|deliver\w*)\s+drugs\b(?!\s+(?:straight|to\s+(?:the\s+)?(?:school|home)|on\s+the\s+bus|in\s+science|for\s+(?:his|her|their)\s+(?:asthma|epilepsy|diabetes|allergies|condition|seizures)|like\s+(?:his|her|their)))|\bcounty\s+lines?\b(?!\s+between)"
        r"|\b(?:men|man|lads|adults?)\b.{0,30}\b(?:give|gave|giving|gives)\s+(?:him|her|them)\s+(?:stuff|money|drugs|presents|gifts)\b(?!\s+(?:for\s+(?:the|his|her|their)\s+(?:veg|work|help|jobs?|birthday|christmas)|at\s+(?:christmas|birthdays?|eid|diwali)))"
        r"|\basking\s+(?:my\s+)?(?:[\w-]+\s+){0,4}for\s+(?:photos|pictures|pics|nudes)\b(?!\s+of\s+(?:(?:him|her|them)\s+(?:at\s+home|as\s+a\s+baby|for\s+(?:his|her|the))|(?:his|her|their|the)\s+(?:lego|models?|work|drawings?|project|room|bedroom|house|meltdowns?|stairs|portfolio|splints?|equipment|garden)))|\b(?:photos|pictures|pics|nudes)\s+of\s+(?:herself|himself)\b(?!\s+as\s+a\s+(?:baby|child|toddler))"
        # Session 11 (calm tuning set): an adult sending a child sexual messages, or asking a child to undress.
        r"|\bsend(?:s|ing)?\s+(?:her|him|my\s+(?:son|daughter|child))\s+(?:sexual|sexy|dirty|explicit|rude)\s+(?:messages|texts|pictures|photos|pics|videos)\b"
        r"|\b(?:asking|asked|asks|telling|told|wants?|getting|got)\s+(?:her|him|my\s+(?:son|daughter|child))\s+to\s+(?:undress|strip|get\s+undressed|take\s+(?:her|his|their)\s+(?:clothes|top|shirt)\s+off)\b"
        # Sexual exploitation described as "favours" for older men, or paying off someone's debt.
        r"|\b(?:favours?|favors?)[\"'\u2019\u201d]?\s+for\s+(?:older|grown|adult)\s+(?:men|boys|lads)\b"
        r"|\b(?:made|making|make|forced|forcing)\s+to\s+(?:do\s+(?:things|stuff)|have\s+sex)\b.{0,40}\b(?:debt|owes?|pay\s+off)\b",
    ),
    (
        "harm at home",
        r"(?<!builders\sare\s)\bsmash(?:ing|ed)\s+(?:the\s+)?(?:house|place|home)\s+up\b(?!\s+for)|\b(?:kids|children)\s+are\s+hiding\b(?!\s+(?:easter|eggs|presents|the|things|toys|sweets|in\s+the\s+(?:den|fort)))"
        r"|\bgrab(?:s|bed|bing)?\s+(?:him|her|them)\s+(?:round|around|by)\s+the\s+(?:neck|throat)\b"
        r"|\b(?:he|she(?!\s+(?:has\s+)?hurt\s+her\s+(?:ankle|knee|wrist|arm|leg|back|foot|hand|finger|toe|head|neck|shoulder|elbow|hip))|they|someone|somebody)\s+(?:has\s+)?hurt\s+(?:her|him|me|them)\b(?!\s+(?:feelings|pride|chances))"
        r"|\bsplit\s+(?:his|her|their|my)\s+(?!(?:jeans|trousers|pants|bag|coat|shirt|skirt|tights|school\s+bag)\b)(?:\w+\s+)?open\b"
        r"|\b(?:drank|drunk|swallowed|ate|eaten)\s+(?:some\s+(?:of\s+)?|a\s+couple\s+of\s+|a\s+few\s+|two\s+|three\s+|several\s+|\d+\s+)?(?:the\s+)?(?:bleach|(?:a\s+|some\s+)?(?:button\s+|little\s+|small\s+)?batter(?:y|ies)|magnets?|detergent|chemicals|poison(?!\s+apple)|washing\s+(?:tablets|pods)|antifreeze|weed\s*killer)\b"
        r"|\b(?:standing|sitting|stood|sat|climbed)\b.{0,30}\b(?:bridge|ledge|window\s*sill|roof)\b(?!\s+(?:reading|watching|looking\s+at|to\s+(?:read|watch)))"
        # Session 11: "I'm on the bridge near the school now"; people with weapons outside the home.
        r"|\b(?:outside|at)\s+(?:our|the|my)\s+(?:house|door|home|flat|front\s+door)\s+with\s+(?:a\s+)?(?:knives|knife|weapons?|guns?|machetes?|bats?)\b"
        r"|\b(?:i'?m|i\s+am|he'?s|she'?s|he\s+is|she\s+is|they'?re)\s+(?:up\s+)?on\s+(?:the|a)\s+(?:\w+\s+){0,2}?(?:bridge|ledge|cliff|railway\s+line|tracks)\b(?!\s+(?:club|course|programme|team|scheme))"
        # A blade or glass held to someone's own neck or wrists; driving a car into something on purpose.
        r"|(?<!hairdresser's\s)(?<!barber's\s)\b(?:knife|knives|blade|razor|glass|scissors)\b.{0,40}\b(?:to|against|at|across)\s+"
        + _POSSESSIVE
        + r"\s+(?:own\s+)?(?:neck|throat|wrists?)\b"
        r"|(?<!bus\s)\bdriv(?:e|es|ing)\s+(?:us\s+|him\s+|her\s+|the\s+car\s+|my\s+car\s+)?(?:into\s+(?:a|the)\s+(?:wall|tree|bridge|river|cliff|lorry|motorway)|off\s+(?:a|the)\s+(?:bridge|cliff))\b",
    ),
    (
        "medical emergency",
        # "what to do if a fit doesn't stop" (a care plan) is not an emergency happening now.
        r"(?<!if\sa\s)(?<!if\sthe\s)(?<!if\shis\s)(?<!if\sher\s)(?<!if\s)\b(?:seizures?|fits(?!\s+(?:fine|well|ok|okay|perfectly|better|him|her|them|in|into|the))|(?:a|his|her|the|another|this)\s+fit|fitting|seizing(?!\s+on\b))\b.{0,40}\b(?:won'?t|will\s+not|wouldn'?t|would\s+not|didn'?t|not|hasn'?t|isn'?t|doesn'?t)\s+(?:stop|stopping|stopped|ending|ended)\b(?!\s+(?:him|her|them)\s+(?:from|getting|doing|going|having|sliding|slipping))"
        r"|(?<!splint\s)(?<!uniform\s)(?<!shoe\s)(?<!seat\s)(?<!wheelchair\s)(?<!brace\s)\b(?:fitting|seizing|seizure|(?:a|his|her|the|this)\s+fit)\b(?!\s+(?:takes|only\s+takes|of\s+(?:his|her|the)))"
        r".{0,50}\b(?:\d+|five|ten|fifteen|twenty)\s+min"
        # Session 13 (ordinary tuning set): "lasted about 2 minutes and stopped on its own" is over.
        r"(?!\w*\s+(?:and\s+|then\s+)?(?:it\s+|she\s+|he\s+)?(?:stopped|ended|finished)\s+(?:on\s+its\s+own|by\s+itself|itself|naturally|without))"
        # Seizures coming one after another ("fitting on and off since this morning, the gaps getting shorter").
        r"|\b(?:fitting|seizing)\s+on\s+and\s+off\b|\b(?:fits|seizures)\s+(?:are\s+|keep\s+|have\s+been\s+)?(?:coming\s+|came\s+)?(?:one\s+after\s+(?:another|the\s+other)|back\s+to\s+back)\b"
        r"|\bgaps\s+(?:between\s+(?:them|(?:the\s+)?(?:fits|seizures))\s+)?(?:are\s+)?getting\s+shorter\b"
        r"|\b(?:not|isn'?t|stopped|hardly)\s+breathing\b(?!\s+(?:down|through\s+(?:his|her|their|my)\s+nose))|\bcan'?t\s+breathe\b(?!\s+in\s+(?:the\s+)?(?:busy\s+|noisy\s+)?(?:canteen|hall|dining\s+hall|classroom|corridor))|\bstruggling\s+to\s+breathe\b"
        r"|\b(?:a\s+few|one\s+or\s+two|two|three)\s+words\s+(?:out\s+)?between\s+breaths\b|\bcan'?t\s+(?:get|catch)\s+(?:his|her|their|my)\s+breath\b"
        r"|\bunconscious\b(?!\s+bias)|(?<!la\sis\s)(?<!council\sis\s)(?<!caseworker\sis\s)(?<!senco\sis\s)(?<!school\sis\s)(?<!case\sworker\sis\s)\bunresponsive\b(?!\s+(?:for|to)\s+(?:\d+|six|five|four|three|two|several|many)?\s*(?:weeks|months|emails|letters|calls))|\bwon'?t\s+wake\s+up\b(?!\s+(?:for|in\s+time|on\s+time|early|in\s+the\s+morning|before))|\bblue\s+lips\b(?!\s+in\s+the\s+(?:swimming\s+)?pool)|(?<!for\s)(?<!of\s)(?<!is\s)(?<!he's\s)(?<!she's\s)\banaphyla\w*(?!\s+to\s)"
        r"|\bthroat\s+(?:is\s+)?(?:swelling|closing)\b"
        r"|\bfloppy\b(?!\s+baby).{0,40}\b(?:not|won'?t|isn'?t)\s+(?:drink\w*|eat\w*|respond\w*|wak\w*)"
        r"|\b(?:not|won'?t|isn'?t)\s+(?:drink\w*|respond\w*)\b.{0,40}\bfloppy\b"
        r"|\b(?:hit|banged|bumped)\s+(?:his|her|their)\s+head\b.{0,60}\b(?:drowsy|sleepy|vomit\w*|being\s+sick|confused)\b"
        # The NHS's signs to call 999 for a child, in parents' words: blue or grey lips, sucking in under the
        # ribs, can't be woken, a rash that doesn't fade under a glass, a swelling face or tongue, and the
        # pear-drop breath of a diabetic emergency (session 7; none of about 16,000 ordinary training and tuning
        # messages fires these).
        r"|\blips\s+(?:are\s+|look\s+|looking\s+|going\s+|have\s+gone\s+|gone\s+|turned\s+|turning\s+|a\s+bit\s+)?(?:blue|grey|gray|purple)\b"
        r"|\b(?:sucking|pulling)\s+in\s+(?:under|between|at)\s+(?:his|her|their|the)\s+ribs\b"
        # Going grey or blue, said of the child or the lips ("he's going grey round the mouth").
        r"|\b(?:he|she|they|lips|face|skin)(?:'s|'re|\s+is|\s+are|\s+has|\s+have)?\s+(?:gone|going|turned|turning|looks?|looking)\s+"
        r"(?:a\s+bit\s+|really\s+|very\s+|quite\s+)?(?:grey|gray|blue|purple)\b(?!\s+(?:since|about|because|over|when|these\s+days|at\s+the\s+moment|lately))|\b(?:blue|grey|gray)\s+(?:round|around)\s+(?:the|his|her|their)\s+(?:lips|mouth)\b(?!\s+(?:when|whenever|if)\s+(?:he|she|they|it)(?:'s|'re|\s+is|\s+are|\s+gets?)?\s+(?:a\s+bit\s+|really\s+)?cold)(?!\s+after\s+(?:swimming|pe|exercise|a\s+bath))"
        r"|\bcan'?t\s+wake\s+(?:him|her|them)\b(?!\s+(?:up\s+)?(?:for|in\s+time|on\s+time|in\s+the\s+morning|for\s+school))"
        r"|\brash\b.{0,60}\b(?:doesn'?t|does\s+not|won'?t|didn'?t)\s+(?:(?:fade|go\s+away)\s+(?:under|with\s+(?:a|the)\s+glass|when\s+(?:i|you)\s+(?:press|roll))"
        r"|go\s+(?:under\s+(?:a|the)\s+glass|when\s+(?:i|you)\s+(?:press|roll)))"
        r"|\b(?:tongue|lips|face)\s+(?:is\s+|are\s+|keeps\s+|started\s+)?(?:swelling|swollen)\s+up\b"
        r"|\bbreath\s+smells\s+(?:of|like)\s+pear\s*drops\b"
        # The same signs in plain words, from the detector's fourteenth wave (session 9): jerking or shaking that
        # has gone on for minutes, an inhaler that isn't helping, no air getting in, no feeling in the legs,
        # not coming round after a fit or a fall.
        r"|\b(?:been|is|keeps|still|'s|started|start|having|now|a|the)\s+(?:\w+\s+)?(?:jerking|twitching|shaking|convulsing)\b"
        r"(?!\s+(?:hands|with\s+(?:excitement|nerves|fear|cold))\b)(?!.{0,20}\b(?:lasted|lasts|went\s+on|settled?|settles)\b)"
        r".{0,50}\b(?:\d+|five|ten|fifteen|twenty)\s+min"
        # (an inhaler that isn't helping counts only beside words of breathing trouble, not a broken counter)
        r"|(?:breath|wheez|asthma\s+attack|sentence|can'?t\s+(?:talk|speak)).{0,60}"
        + _RESCUE_NOT_HELPING
        + r"|"
        + _RESCUE_NOT_HELPING
        + r".{0,60}(?:breath|wheez|sentence|word\s+at\s+a\s+time|(?:can'?t|barely)\s+(?:talk|speak)|chest)"
        r"|\b(?:can'?t|cannot|not)\s+get(?:ting)?\s+(?:any\s+)?air\s+in\b(?!\s+(?:his|her|the|it|its|them|their|my|our|a|an)\b)"
        r"|\b(?:can'?t|cannot)\s+feel\s+(?:his|her|their|my)\s+(?:legs|feet|arms|hands)\b"
        r"(?!\s+(?:properly\s*,?\s*)?(?:so\b|by\s+the\s+time|after\s+(?:long|a\s+long|spells?)|when\s+(?:it'?s|its)\s+cold|in\s+the\s+cold))"
        r"|\b(?:fits?|seizures?|fitting|fell(?!\s+out)|fallen(?!\s+out)|fall(?!\s+out))\b.{0,60}\b(?:not|isn'?t|hasn'?t|won'?t)\s+(?:coming|come)\s+round\b(?!\s+(?:to|for|anymore|any\s+more|quickly)\b)"
        # From the session 9 medical tuning sets: fits one after another within the hour, a blood sugar reading
        # under 2.5, a swelling tongue or throat, a bone through the skin, coughing up blood, a bottle of medicine
        # drunk by a child.
        r"|\b(?:\d+|two|three|four|five|six|several|a\s+few)\s+(?:little\s+|small\s+|big\s+|more\s+)?(?:fits|seizures)\s+in\s+(?:the\s+)?(?:last|past)\s+(?:half\s+(?:an\s+)?)?(?:hour|\d+\s+min)"
        r"|\b(?:sugars?|blood\s+sugars?|bg|bm|glucose)\s+(?:is|'s|at|reading|dropped\s+to|down\s+to)\s+(?:only\s+)?(?:[01]\.\d|2\.[0-4]|[01](?=\s*(?:mmol|$|[,.!?])))\b(?![.:/-]\d)(?!\s+or\s+(?:lower|below|under|less))(?!\s*(?:years?|weeks?|days?|hours?|times|%))"
        r"|\b(?:tongue|lips|throat)\s+(?:is\s+|are\s+|looks?\s+|'s\s+|feels?\s+)?(?:all\s+|really\s+|a\s+bit\s+)?(?:swelling|swollen)\b(?!\s+(?:from|less|and\s+(?:cracked|dry)|after\s+(?:the\s+)?dentist))|\bface\s+(?:and\s+(?:neck|lips|tongue)\s+)?(?:is|are)\s+swelling\b"
        r"|\bbone\s+(?:is\s+)?(?:poking|sticking|coming)\s+(?:out\s+)?(?:through|of\s+(?:the|his|her)\s+(?:skin|leg|arm))\b|\bcoughing\s+up\s+(?!(?:a\s+(?:little|bit)|bits|specks?|streaks?|flecks?)\b)(?:\w+\s+){0,4}blood\b"
        # Session 10, from the medical tuning sets: a child barely responding, and a burn with the skin come off,
        # white in the middle or blistered right across.
        r"|(?<!council\s)(?<!school\s)(?<!office\s)(?<!senco\s)(?<!\bla\s)(?<!they\s)(?<!team\s)(?<!service\s)\b(?:barely|hardly)\s+(?:responding|responsive|conscious|awake)\b(?!\s+to\b)"
        r"|\bblister(?:ed|ing)\s+burn\b|\b(?:burn(?:ed|t|s)?|scald(?:ed|s)?)\b.{0,60}\b(?:skin(?:'s|\s+has|\s+is)?\s+(?:come|coming|came|peel(?:ed|ing)?)\s+(?:right\s+)?off|white\s+in\s+the\s+middle)"
        r"|\b(?:drunk|drank|swallowed)\s+(?:nearly\s+|almost\s+|half\s+)?(?:a\s+|the\s+)?(?:whole\s+)?bottle\s+of\s+(?:calpol|paracetamol|ibuprofen|medicine|(?:his|her|my|the)\s+\w+\s+medicine)\b"
        # A fever with a stiff neck (meningitis); no drink for days and now can't stand or wake (dehydration).
        r"|\b(?:temperature|fever|temp)\b.{0,80}\bstiff\s+neck\b|\bstiff\s+neck\b.{0,80}\b(?:temperature|fever|temp|rash)\b"
        r"|\b(?:refused|refusing|not|won'?t|hasn'?t|isn'?t)\s+(?:\w+\s+){0,4}?(?:drink\w*|water|fluids)\b.{0,80}"
        r"\b(?:barely|can'?t|cannot)\s+(?:stand|walk|wake|keep\s+(?:his|her)\s+eyes\s+open)"
        # Session 11, from the tuning sets' risk messages only asked: a fit still going (or rescue medicine given
        # for it), fit after fit, not coming round between them, something from under the sink drunk, going grey,
        # green sick, a hard swollen tummy, a fingertip nearly off, a broken bone, an injury in a crash, the
        # wrong child's medicine given and the child now unwell.
        r"|\b(?:fit|fits|fitting|seizure|seizures|seizing)\b.{0,80}\bstill\s+(?:doing\s+it|fitting|seizing|jerking|shaking|convulsing|twitching)\b"
        r"|\b(?:i'?ve|i\s+have|we'?ve|we\s+have|i|we|just)\s+(?:given|gave|used)\s+(?:him\s+|her\s+|them\s+)?(?:the\s+|his\s+|her\s+|their\s+)?(?:rescue|emergency)\s+(?:med\w*|midazolam|buccal)\b"
        r"|\b(?:seizure|fit)\s+after\s+(?:seizure|fit)\b"
        r"|\b(?:fits?|seizures?|fitting)\b.{0,60}\b(?:doesn'?t|does\s+not|didn'?t|isn'?t)\s+(?:coming|come)\s+round\b(?!\s+(?:to|for|anymore|any\s+more|quickly)\b)"
        r"|\b(?:drank|drink|drinks|drunk|swallowed|swallow)\s+(?:something|some\s+stuff|stuff)\b.{0,50}\b(?:bleach|detergent|chemicals?|cleaner|poison|antifreeze|weed\s*killer)\b"
        r"|\b(?:and|now)\s+(?:looks?|looking|gone|going|turning|turned)\s+(?:a\s+bit\s+|really\s+|very\s+)?(?:grey|gray|blue)\b(?!\s+(?:since|about|because|over|when|hair|eyes))"
        r"|\b(?:red|pale|white)\s+(?:and\s+)?then\s+(?:grey|gray|blue)\b"
        r"|\b(?:brought\s+up|bringing\s+up|throwing\s+up|thrown\s+up|vomit\w*|being\s+sick|sicked\s+up)\s+(?:\w+\s+){0,2}green\b|\bgreen\s+(?:vomit|sick|bile)\b"
        r"|\b(?:tummy|stomach|belly)\b.{0,30}\b(?:swollen\s+and\s+hard|hard\s+and\s+swollen|rock\s+hard)\b"
        r"|\b(?:finger|thumb|toe)\b.{0,30}\b(?:nearly|almost|half|hanging)\s+off\b"
        r"|\b(?:think|thinks|pretty\s+sure|looks\s+like)\s+(?:his|her|their|my)\s+(?:arm|leg|wrist|ankle|collarbone|hip)\s+is\s+broken\b"
        r"|\b(?:crashed|crash|accident)\b.{0,60}\b(?:is|'s|has\s+been)\s+(?:badly\s+|seriously\s+)?injured\b"
        r"|\b(?:given|gave)\s+(?:him|her|them|my\s+(?:son|daughter|child|boy|girl))\s+(?:another\s+(?:child|pupil|kid|boy|girl)'?s|someone\s+else'?s|the\s+wrong)\s+(?:medication|medicine|tablets|meds|insulin)\b"
        r".{0,120}\b(?:heart|chest|breath\w*|drowsy|sleepy|vomit\w*|being\s+sick|agitated|floppy|shaking|won'?t\s+wake)"
        # Session 12 (the medical red team, tuning): signs told in the words of a child's own condition or
        # equipment. A shunt and being sick; a feeding tube, trachy or line come out; a steroid dose that won't stay
        # down (adrenal crisis); oxygen saturation under 92 or ribs pulling in; a fever on chemotherapy or with a
        # central line; a heart rate of 45 or less; a low blood sugar still dropping, or insulin given twice; high
        # sugars with sickness, or ketones of 3 or more; a limb bent the wrong way; breathless after missed dialysis.
        r"|\bshunt\b.{0,400}?" + _SICK_NOW + r"|" + _SICK_NOW + r".{0,400}?\bshunt\b"
        r"|(?<!if\s)(?<!if\shis\s)(?<!if\sher\s)(?<!if\sthe\s)\b(?:peg|g-?tube|gastrostomy(?:\s+tube)?|button|mic-?key|ng\s+tube|nasogastric\s+tube|trach|trachy|tracheostomy"
        r"|trache?\s+tube|central\s+line|picc(?:\s+line)?|hickman(?:\s+line)?)\s+(?:tube\s+)?(?:has\s+|just\s+|has\s+just\s+|'s\s+)?(?:came|come|fell|fallen|pulled|yanked|been\s+pulled)\s+out\b"
        r"(?!\s+for\s+good)(?!.{0,40}\b(?:last|years?\s+ago|months?\s+ago|weeks?\s+ago|in\s+the\s+(?:spring|summer|autumn|winter|holidays?))\b)"
        r"|\b(?:can'?t|cannot|not|won'?t|couldn'?t|isn'?t)\s+keep(?:ing)?\s+(?:his|her|their|my|the|any)\s+(?:hydrocortisone|steroids?|meds|medication|medicine|tablets|fluids|water)\s+down\b"
        r"|(?<!an\s)(?<!of\s)(?<!if\s)(?<!his\s)(?<!her\s)(?<!their\s)(?<!my\s)\badrenal\s+crisis\b(?!\s+(?:plan|card|letter|kit|protocol|injection|pack|training))"
        r"|(?<!year\s6\s)(?<!ks2\s)(?<!y6\s)(?<!mock\s)(?<!practice\s)\b(?:sats|oxygen\s+sats|oxygen\s+levels?|o2|spo2)\s+(?:are\s+|is\s+|at\s+|down\s+to\s+|dropped\s+to\s+|dropping\s+to\s+|only\s+|reading\s+|now\s+|keep\s+dropping\s+to\s+)?"
        r"(?:[4-8]\d|9[01])\b(?!\s+(?:in|for|on)\s+(?:reading|maths|spag|writing|the)\b)|\bribs\s+(?:are\s+)?(?:pulling|sucking|going)\s+in\b"
        r"|\b(?:central\s+line|picc|hickman|chemo\w*|neutropeni\w*|immunosuppress\w*)\b.{0,100}\b(?:spiked|spiking|(?:temp(?:erature)?|fever)\s+(?:of\s+|is\s+|at\s+|now\s+)?3[89]"
        r"|3[89](?:\.\d)?\s*(?:degrees|°c?|c\b)|shivery|shivering|rigou?rs?)\b"
        r"|\bheart\s*rate\b[^.]{0,25}?\b(?:is|of|at|to|only)\s+(?:[1-3]\d|4[0-5])\b(?!\s*(?:%|years|min|sec|weeks|days))"
        r"|"
        + _SUGAR_WORD
        + r".{0,200}?"
        + _LOW_AND_FALLING
        + r"|"
        + _LOW_AND_FALLING
        + r".{0,200}?"
        + _SUGAR_WORD
        + r"|\b(?:given|gave|had|got)\s+(?:him|her|them)?\s*(?:his|her|their)\s+(?:lunchtime\s+|morning\s+)?insulin\s+twice\b"
        r"|\b(?:sugars?|bg|bm|glucose|blood\s+sugars?)\s+(?:is\s+|are\s+|at\s+|of\s+|'s\s+|reading\s+)?(?:2\d|3\d|hi)\b(?:\.\d)?.{0,60}"
        r"\b(?:vomit\w*|being\s+sick|been\s+sick|throwing\s+up|drowsy|breathing\s+(?:fast|funny|deep))"
        r"|\bketones\s+(?:are\s+|is\s+|of\s+|at\s+|'re\s+)?(?:[3-9](?:\.\d)?|high)\b(?!\s*(?:years|weeks|days|times))"
        r"|\b(?:arm|leg|wrist|ankle|finger|elbow|knee|shoulder)\s+(?:is\s+|looks\s+|'s\s+)?(?:all\s+)?(?:bent|bending|pointing|sticking\s+out)\s+"
        r"(?:funny|wrong|weird|the\s+wrong\s+way|at\s+an?\s+(?:funny|weird|strange|odd|wrong)\s+angle)"
        r"|\b(?:arm|leg|wrist|ankle|finger|elbow)\b.{0,30}\bat\s+a\s+(?:funny|weird|strange|odd|wrong)\s+angle\b"
        r"|\bdialysis\b.{0,120}\b(?:breathless|can'?t\s+(?:breathe|catch)|struggling\s+to\s+breathe)"
        # Session 13 (the medical red team rt8, tuning): not come round, whatever came before, and the recovery
        # position; collapsed or fainted again.
        r"|\b(?:he|she)\s*(?:'s|\s+has|\s+is)?\s*(?:not|n'?t|still\s+not|never)\s+(?:come|coming|came)\s+round\b"
        r"(?!\s+(?:to|for|yet\s+to|on|anymore|any\s+more|quickly|much|often|as|here|there|ours|mine|since)\b)"
        r"|\b(?:got|have|'ve\s+(?:got|put)|has\s+put|just\s+put)\s+(?:him|her|them)\s+in(?:to)?\s+(?:the\s+)?recovery\s+position\b"
        r"|\b(?:he|she|they)(?:'s|'re|\s+is|\s+are)\s+in\s+(?:the\s+)?recovery\s+position\b"
        r"|\b(?:collapsed|fainted|passed\s+out)\s+again\b(?!\s+(?:last|this\s+(?:week|month|term)|at\s+school\s+(?:last|on)))",
    ),
    (
        "nowhere to sleep",
        r"\bnowhere\s+(?:safe\s+)?to\s+sleep\b(?!\s+that'?s\s+quiet)(?!\s+(?:for\s+(?:a\s+wheelchair|wheelchair|the\s+overnight|overnight\s+stays)|at\s+the\s+(?:respite|residential|unit|camp)))|\bnowhere\s+(?:safe\s+)?to\s+(?:stay|go)\s+tonight\b|(?<!the\s)\bhomeless\s+tonight\b"
        r"|(?<!people\s)\b(?:sleeping|sleep|slept|sleep\s+tonight)\s+(?:in\s+(?:the|my|our)\s+car|rough|on\s+the\s+streets?)\b"
        r"(?!\s+(?:on\s+the\s+(?:way|journey|taxi)|all\s+the\s+way|park|between|during|journey|there\s+and\s+back|to\s+and\s+from|after\s+school|at\s+the\s+festival|for\s+one\s+night|under\s+tarps|on\s+(?:the|an)\s+expedition))"
        r"|\b(?:kicked|thrown|threw|put)\s+(?:us|me)\s+out\b(?!\s+(?:early|of\s+(?:the\s+)?(?:swimming|pool|class|club|session|meeting|shop|cafe|park|lesson)))"
        r".{0,40}\btonight\b"
        # Session 14 (rt9, tuning): told to be out by a time today; living in the car (not "we practically live in
        # the car on the school run").
        r"|\b(?:given|gave|give|giving|got)\s+(?:me|us)\s+(?:until|till|til|'?til)\s+(?:\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm|o'?clock)?|tonight|this\s+evening"
        r"|the\s+end\s+of\s+(?:today|the\s+day))\b(?:\s+(?:today|tonight))?\s+to\s+(?:leave|get\s+out|move\s+out|be\s+out|go)\b"
        r"|(?<!practically\s)(?<!basically\s)(?<!much\s)(?<!well\s)(?<!literally\s)\b(?:live|lives|living)\s+in\s+(?:the|a|our|my|their|her|his)\s+(?:car|van)\b"
        r"(?!\s+(?:park|wash|seat|sticker|on|during|with|for|because|at|between|these|most|half)\b)",
    ),
    (
        "crisis",
        # A crisis of the parent's or child's own, not a school's staffing, a boiler or a support fund.
        r"(?:\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:in\s+)?(?:a\s+)?(?:mental\s+health\s+)?crisis\b|(?<!school\sis\s)(?<!department\sis\s)(?<!nursery\sis\s)(?<!system\sis\s)(?<!council\sis\s)\b(?:having|in)\s+a\s+(?:mental\s+health\s+)?crisis\b)"
        r"(?!\s+(?:with|of|over|about|mode|at\s+(?:work|school)))"
        r"|(?<!council's\s)\bcrisis\s+(?:help|line|team|support|number)\b(?!\s+(?:fund|grant|payment|scheme|voucher|loan|plan|letter))(?!\s+(?:for\s+(?:energy|bills|food|fuel|gas|electric)|from\s+(?:the\s+)?(?:local|council)))",
    ),
)

_COMPILED = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _RISK_PATTERNS)

# Words that on their own only ask the one-tap safety question: said of a child, "a plan" is how a suicide
# plan is told ("she says she has a plan now"), but to a SEND service it is usually an EHC plan; so only
# where nothing else in the message names a plan of that kind.
_ASKS = re.compile(
    r"\b(?:says?|said|saying|told\s+(?:me|us))\s+(?:that\s+)?(?:she|he|they)\s*(?:'s\s+got|'s|\s+has|\s+have|\s+had|\s+made|\s+'?s\s+got|\s+'?ve\s+got)"
    r"\s+(?:a\s+)?plan\b(?!\s+(?:for|to|b\b|in\s+place|at|with|from|of))",
    re.IGNORECASE,
)
_PLAN_OF_ANOTHER_KIND = re.compile(
    r"\b(?:ehc\w*|care|support|health|travel|transport|transition|provision|section|draft|annual|review|behaviou?r|"
    r"personal|learning|education|sen\w*|school|college|uni\w*|council|la|iep|pep|meeting|revision|study|exam\w*|"
    r"work|job|holiday|trip|party|birthday|weekend|money|budget|business)\b",
    re.IGNORECASE,
)


def risk_signals(text: str) -> list[str]:
    """Names of the risk patterns a message matches (empty when none), read as `normalise_text` reads it:
    invisible characters, look-alike letters and curly apostrophes neither hide a risk nor invent one."""
    if not text:
        return []
    normalised = normalise_text(text)
    return [name for name, pattern in _COMPILED if pattern.search(normalised)]


def risk_matches(normalised: str) -> list[tuple[str, tuple[int, int]]]:
    """Every risk pattern's matches in already normalised text, as (pattern name, span)."""
    if not normalised:
        return []
    return [(name, match.span()) for name, pattern in _COMPILED for match in pattern.finditer(normalised)]


def asks_about_safety(normalised: str) -> bool:
    """Words in already normalised text that ask the one-tap safety question, never more (see _ASKS)."""
    return bool(_ASKS.search(normalised)) and not _PLAN_OF_ANOTHER_KIND.search(normalised)


def shows_immediate_risk(text: str) -> bool:
    """True when a message shows a child or parent may be at immediate risk."""
    return bool(risk_signals(text))

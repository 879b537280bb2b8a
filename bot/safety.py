"""Deterministic detection of messages that show immediate risk to a child or a parent.

This is the safety net under the intent model: it fires on these words whatever the model predicts, so
emergency signposting never depends on a classifier being confident. It deliberately errs on the side
of showing help: a parent who sees emergency numbers they didn't need loses a few seconds; a parent who
needed them and didn't see them may lose far more.
"""

from __future__ import annotations

import re

# Each pattern is written for the ways people type in a hurry: no apostrophes, common misspellings.
_RISK_PATTERNS: tuple[tuple[str, str], ...] = (
    ("suicide", r"\bsu[i1]?c[i1]?d(e|es|al|ally)\b"),
    (
        "wants to die",
        r"\b(want|wants|wanted|wanting|going|gonna|trying|tried)\s+(to\s+)?(die|be\s+dead|end\s+(it|it\s+all|his\s+life|her\s+life|my\s+life|their\s+life))\b",
    ),
    (
        "kill self",
        r"\bkill(ing|ed|s)?\s+(him|her|my|them|your|our)\s*sel(f|ves|fs)\b|\bkms\b|\btake\s+(his|her|my|their)\s+own\s+life\b",
    ),
    (
        "no point living",
        r"\b(better\s+off\s+dead|no\s+(reason|point)\s+(in\s+)?(to\s+)?(living|live|being\s+alive|going\s+on)|can'?t\s+go\s+on|cant\s+go\s+on|not\s+want\s+to\s+(be\s+)?(alive|live|here\s+any\s*more))\b",
    ),
    (
        "self-harm",
        r"\bself[\s-]?harm\w*|\bself[\s-]?injur\w*|\bcutting\s+(him|her|them|my)\s*sel(f|ves)|\bcut(s|ting)?\s+(his|her|their|my)\s+(arms?|wrists?|legs?|skin)\b|\bhurt(ing|s)?\s+(him|her|them|my)\s*sel(f|ves)\b",
    ),
    (
        "overdose",
        r"\bover\s?dos\w*|\bod'?d\b|\btook\s+(an?\s+|some\s+|loads\s+of\s+|a\s+load\s+of\s+|all\s+(of\s+)?(his|her|my|the)\s+)?(pills|tablets|paracetamol)\b",
    ),
    ("abuse", r"\babus(e|ed|es|ing|ive)\b|\bmolest\w*|\bgroom(ed|ing)\b|\bsexually\s+(assaulted|touched)"),
    (
        "hurting child",
        r"\b(hit|hits|hitting|beat|beats|beating|punch(es|ed|ing)?|kick(s|ed|ing)?|strangl\w*|chok(ed|ing))\s+(him|her|them|my\s+(son|daughter|child|kid|boy|girl))\s+(at\s+home|every|again|black|till|until|so\s+hard)",
    ),
    (
        "hurt the child",
        r"\b(scared|afraid|worried)\s+(i|I)\s*('ll|\s+will|\s+might|\s+may)\s+(hurt|harm|hit)\b|\b(i|I)\s*('m|\s+am)?\s*(going\s+to|gonna)\s+(hurt|harm)\s+(him|her|them|my|myself)\b",
    ),
    (
        "danger",
        r"\b(in\s+(immediate\s+)?danger|not\s+safe\s+at\s+home|unsafe\s+at\s+home|scared\s+to\s+go\s+home|threaten(ed|ing|s)?\s+to\s+kill)\b",
    ),
    (
        "missing",
        r"\b(gone|went|go|goes|going|reported|been)\s+missing\b(?!\s+(out|school|lessons?|education|class|classes|days|weeks|months|exams?|a\s+lot|so\s+much|the|his|her|their|my|from\s+school))|\bmissing\s+(since|overnight|from\s+home)\b|\bran\s+away\s+from\s+home\b|\bcan'?t\s+find\s+(him|her|them|my\s+(son|daughter|child))\b",
    ),
    (
        "means of harm",
        r"\bjump(s|ing|ed)?\s+(off|from)\s+(a|the)\s+(bridge|roof|building|cliff|window)|\b(has|had|with|holding|took|grabbed)\s+a\s+knife\b|\bwish(es|ed)?\s+(i|he|she|they)\s+(was|were|had)\s+(dead|never\s+been\s+born)\b",
    ),
)

_COMPILED = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _RISK_PATTERNS)


def risk_signals(text: str) -> list[str]:
    """Names of the risk patterns a message matches (empty when none)."""
    if not text:
        return []
    flattened = " ".join(text.split())
    return [name for name, pattern in _COMPILED if pattern.search(flattened)]


def shows_immediate_risk(text: str) -> bool:
    """True when a message shows a child or parent may be at immediate risk."""
    return bool(risk_signals(text))

""" "Check my plan" / "Check my letter" under the first answer, where a document matters.

The button opens the widget's checker panel, in the browser: the widget recognises the payload and never
sends it (widget/widget.js, `CHECK_PAYLOAD`), so no intent, rule or retraining is needed, and nothing of
the document comes near the conversation. So it is offered to the web chat only: other channels (`rasa
shell`) have no panel to open.
"""

from __future__ import annotations

import json

CHECK_PAYLOAD = "/check_document"

# Article id -> what the button checks: "plan", or the id of a kind of letter in
# knowledge/documents/letter-contents.yml (the widget picks it in the panel).
ARTICLE_CHECKS: dict[str, str] = {
    "ehc-draft-plan": "plan",
    "ehc-provision-not-delivered": "plan",
    "annual-review": "plan",
    "ehc-assessment-refused": "refusal-to-assess",
    "ehc-plan-refused": "refusal-to-issue-plan",
    "suspension": "suspension",
    "permanent-exclusion": "permanent-exclusion",
}


def document_button(article_id: str) -> dict[str, str] | None:
    """The checker button for an article's first answer, or None where no document is involved."""
    check = ARTICLE_CHECKS.get(article_id)
    if check is None:
        return None
    if check == "plan":
        return {"title": "Check my plan", "payload": f"{CHECK_PAYLOAD}{json.dumps({'check': 'plan'})}"}
    return {
        "title": "Check my letter",
        "payload": f"{CHECK_PAYLOAD}{json.dumps({'check': 'letter', 'letter': check})}",
    }

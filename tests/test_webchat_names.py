"""The web chat tells the widget when a name was taken out of the parent's message (issue 14, point 10).

The channel only carries the fact (`name_removed` in the reply); the widget words the note and shows it
once (widget/widget.js). Emergency turns carry nothing but the help.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.webchat_helpers import make_channel, running


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Oliver Smith is my son and he was excluded", True),
        ("my son OLIVER was excluded", True),
        ("my son was excluded", False),
        ("He goes to St Mary's", False),  # a school, not a person
        ("Will the council pay for transport?", False),
    ],
)
async def test_the_reply_says_when_a_name_was_taken_out(tmp_path: Path, text: str, flagged: bool) -> None:
    async with running(make_channel(tmp_path)) as server:
        token = await server.session()
        status, _, body = await server.post("/message", {"token": token, "text": text})
    assert status == 200
    assert body.get("name_removed", False) is flagged


async def test_an_emergency_reply_carries_nothing_but_the_help(tmp_path: Path) -> None:
    async with running(make_channel(tmp_path)) as server:
        token = await server.session()
        text = "my son Oliver says he wants to kill himself tonight"
        status, _, body = await server.post("/message", {"token": token, "text": text})
    assert status == 200 and "name_removed" not in body

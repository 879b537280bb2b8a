"""`python -m bot staff add-user | purge`: accounts are made from the command line only."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli.main import main
from bot.console import accounts
from bot.console.tables import console_engine, users


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'send.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def run(argv: list[str], password: str, monkeypatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(argv)


def test_add_user_creates_an_account_that_can_sign_in(database_url, monkeypatch, capsys) -> None:
    code = run(
        ["staff", "add-user", "Sam.Editor", "--role", "editor", "--password-stdin"],
        "a long enough password",
        monkeypatch,
    )
    assert code == 0 and "created editor account 'sam.editor'" in capsys.readouterr().out
    engine = console_engine(database_url)
    assert accounts.sign_in(engine, "sam.editor", "a long enough password").user.is_editor
    engine.dispose()


def test_add_user_refuses_a_short_password_or_a_viewer_without_partner(database_url, monkeypatch, capsys) -> None:
    assert run(["staff", "add-user", "sam", "--role", "editor", "--password-stdin"], "short", monkeypatch) == 1
    assert "12 characters" in capsys.readouterr().err
    argv = ["staff", "add-user", "viewer", "--role", "partner_viewer", "--password-stdin"]
    assert run(argv, "a long enough password", monkeypatch) == 1
    assert run([*argv, "--partner", "example-charity"], "a long enough password", monkeypatch) == 0
    engine = console_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(select(users.c.username, users.c.partner)).all() == [("viewer", "example-charity")]
    engine.dispose()


def test_purge_reports_what_it_deleted(database_url, monkeypatch, capsys) -> None:
    assert main(["staff", "purge"]) == 0
    assert "deleted 0 audit record(s)" in capsys.readouterr().out


def test_remove_user_ends_the_account_and_its_sessions(database_url, monkeypatch, capsys) -> None:
    assert (
        run(["staff", "add-user", "sam", "--role", "editor", "--password-stdin"], "a long enough password", monkeypatch)
        == 0
    )
    engine = console_engine(database_url)
    user = accounts.sign_in(engine, "sam", "a long enough password").user
    token, _ = accounts.start_session(engine, user)
    assert main(["staff", "remove-user", "Sam"]) == 0
    assert accounts.find_session(engine, token) is None
    assert accounts.sign_in(engine, "sam", "a long enough password").user is None
    assert main(["staff", "remove-user", "sam"]) == 1
    engine.dispose()

"""`anslag-server create-user` and the demo editor that `seed-demo` creates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from server.cli import main
from server.db import create_engine_for, migrate, session_scope
from server.errors import InvalidCredentials
from server.services.accounts import authenticate
from server.settings import Settings


@pytest.fixture
def environment(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("ANSLAG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANSLAG_DATABASE_URL", database_url)
    return Settings()


def can_log_in(settings: Settings, username: str, password: str) -> str:
    """The role of whoever logs in so, or why not."""
    migrate(settings.database_url)
    engine = create_engine_for(settings.database_url)
    try:
        with session_scope(engine) as session:
            user = authenticate(
                session,
                username=username,
                password=password,
                address="127.0.0.1",
                now=datetime.now(UTC),
            )
            return user.role
    except InvalidCredentials as exc:
        return f"refused: {exc}"
    finally:
        engine.dispose()


def test_create_user_reads_the_password_from_a_file(
    environment: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    password_file = tmp_path / "password"
    password_file.write_text("jourhavande-2026\n", encoding="utf-8")

    status = main(
        [
            "create-user",
            "--username",
            "jour",
            "--role",
            "alert_operator",
            "--display-name",
            "Jourhavande",
            "--password-file",
            str(password_file),
        ]
    )

    assert status == 0
    assert "Created user 'jour' (Jourhavande, alert_operator)" in capsys.readouterr().out
    assert can_log_in(environment, "jour", "jourhavande-2026") == "alert_operator"


def test_create_user_asks_twice_and_stops_when_the_answers_differ(
    environment: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["moderator-lösen", "moderator-lösn"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))

    status = main(["create-user", "--username", "mona", "--role", "moderator"])

    assert status == 1
    assert "the two passwords differ; nothing was created" in capsys.readouterr().err
    assert can_log_in(environment, "mona", "moderator-lösen").startswith("refused")


def test_create_user_asks_twice_and_creates_when_they_match(
    environment: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda _prompt: "moderator-lösen")

    assert main(["create-user", "--username", "mona", "--role", "moderator"]) == 0

    assert can_log_in(environment, "mona", "moderator-lösen") == "moderator"


def create_user_command(username: str, role: str, password_file: Path) -> list[str]:
    return [
        "create-user",
        f"--username={username}",
        f"--role={role}",
        f"--password-file={password_file}",
    ]


def test_create_user_refuses_a_short_password_with_a_clear_message(
    environment: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    password_file = tmp_path / "password"
    password_file.write_text("hemligt\n", encoding="utf-8")

    status = main(create_user_command("anna", "editor", password_file))

    assert status == 1
    assert "the password has 7 characters; use at least 10" in capsys.readouterr().err


def test_create_user_refuses_a_taken_username(
    environment: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    password_file = tmp_path / "password"
    password_file.write_text("redaktören-2026", encoding="utf-8")
    assert main(create_user_command("anna", "editor", password_file)) == 0

    assert main(create_user_command("Anna", "admin", password_file)) == 1

    assert "a user named 'anna' already exists" in capsys.readouterr().err
    assert can_log_in(environment, "anna", "redaktören-2026") == "editor"


def test_an_unknown_role_is_refused_by_the_argument_parser(
    environment: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["create-user", "--username", "anna", "--role", "superuser"])

    assert stopped.value.code == 2
    assert "invalid choice: 'superuser'" in capsys.readouterr().err


def test_seed_demo_creates_the_demo_administrator_once_and_says_how_to_log_in(
    environment: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed-demo"]) == 0
    assert main(["seed-demo"]) == 0

    output = capsys.readouterr().out
    assert output.count("Admin login: demo / anslag-demo") == 2
    assert can_log_in(environment, "demo", "anslag-demo") == "admin"

"""The `anslag-server` command: serve, migrate, seed the demo, issue a screen's token, add users.

Settings come from the environment (`ANSLAG_DATA_DIR`, `ANSLAG_DATABASE_URL` …).
Exit codes: 0 done, 1 refused (the message says why), 2 bad arguments or settings.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from pydantic import ValidationError
from sqlmodel import Session

from server.app import create_app
from server.clock import system_clock
from server.db import create_engine_for, describe_database_url, migrate, session_scope
from server.demo.seed import DEMO_LOCATIONS, DEMO_PASSWORD, DEMO_USERNAME, seed_demo
from server.errors import AnslagError, InvalidRequest, NotFound
from server.models import Location, Role, Screen
from server.services.accounts import check_password_strength, create_user
from server.services.content import find_location, issue_screen_token
from server.serving import Server
from server.settings import Settings
from server.storage import LocalMediaStorage

Command = Callable[[Settings, argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"anslag-server: the settings are not valid:\n{_describe(exc)}", file=sys.stderr)
        return 2
    command: Command = args.command
    try:
        return command(settings, args)
    except AnslagError as exc:
        print(f"anslag-server: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="anslag-server",
        description="Anslag's content server. Settings come from ANSLAG_* environment variables.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the server (migrates the database first)")
    serve.add_argument("--host", help="address to listen on (default: ANSLAG_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: ANSLAG_PORT or 8000)")
    serve.set_defaults(command=_serve)

    upgrade = commands.add_parser("migrate", help="upgrade the database to the newest schema")
    upgrade.set_defaults(command=_migrate)

    seed = commands.add_parser(
        "seed-demo", help="create the demo municipality (does nothing when it exists)"
    )
    seed.add_argument(
        "--token-file", type=Path, help="also issue a new token for a demo screen and write it here"
    )
    seed.add_argument(
        "--location",
        default=DEMO_LOCATIONS[0].slug,
        choices=[demo.slug for demo in DEMO_LOCATIONS],
        help="the demo location whose screen gets the token (default: %(default)s)",
    )
    seed.set_defaults(command=_seed_demo)

    issue = commands.add_parser(
        "issue-token", help="issue a new token for a screen; its old token stops working"
    )
    issue.add_argument("--location", required=True, help="the location's slug")
    issue.add_argument("--screen", help="the screen's name, when the location has several")
    issue.add_argument("--token-file", type=Path, required=True, help="where to write the token")
    issue.set_defaults(command=_issue_token)

    user = commands.add_parser(
        "create-user", help="add an admin account; the password is asked for twice"
    )
    user.add_argument("--username", required=True, help="the login name (a-z, 0-9, . _ -)")
    user.add_argument(
        "--role",
        required=True,
        choices=[role.value for role in Role],
        help="what the user may do",
    )
    user.add_argument("--display-name", help="the name the admin shows (default: the username)")
    user.add_argument(
        "--password-file",
        type=Path,
        help="read the password from this file's first line instead of asking",
    )
    user.set_defaults(command=_create_user)
    return parser


def _describe(exc: ValidationError) -> str:
    # Without the input values: a database URL may hold a password.
    return "\n".join(
        f"  ANSLAG_{'_'.join(str(part) for part in error['loc']).upper()}: {error['msg']}"
        for error in exc.errors(include_url=False, include_input=False)
    )


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    # APScheduler logs every run of every job; the jobs log what they change and why they fail.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # uvicorn shuts down cleanly on Ctrl-C and then re-raises it; for us that is a normal end.
    server = Server(
        create_app(settings), host=args.host or settings.host, port=args.port or settings.port
    )
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    return 0


def _migrate(settings: Settings, _args: argparse.Namespace) -> int:
    migrate(settings.database_url)
    print(f"The database {describe_database_url(settings.database_url)} has the newest schema.")
    return 0


def _seed_demo(settings: Settings, args: argparse.Namespace) -> int:
    with _migrated_session(settings) as session:
        seed = seed_demo(session, LocalMediaStorage(settings.media_dir), now=system_clock())
        slugs = ", ".join(location.slug for location in seed.locations)
        print(
            f"The demo (Övertorneå: {slugs}) is in "
            f"{describe_database_url(settings.database_url)}, media in {settings.media_dir}."
        )
        print(f"Admin login: {DEMO_USERNAME} / {DEMO_PASSWORD} (a demo administrator).")
        if args.token_file is None:
            print("No screen token written: pass --token-file, or run issue-token later.")
            return 0
        screen = seed.screen_at(args.location)
        token = issue_screen_token(session, screen=screen)
        described = _screen_description(screen)
    _write_token_file(args.token_file, token)
    print(f"Wrote a new token for {described} to {args.token_file} (mode 0600).")
    return 0


def _issue_token(settings: Settings, args: argparse.Namespace) -> int:
    with _migrated_session(settings) as session:
        location = find_location(session, slug=args.location)
        screen = _pick_screen(location, args.screen)
        token = issue_screen_token(session, screen=screen)
        described = _screen_description(screen)
    _write_token_file(args.token_file, token)
    print(f"Wrote a new token for {described} to {args.token_file} (mode 0600).")
    print("The screen's previous token no longer works.")
    return 0


def _create_user(settings: Settings, args: argparse.Namespace) -> int:
    password = _read_password(args.password_file)
    with _migrated_session(settings) as session:
        user = create_user(
            session,
            username=args.username,
            password=password,
            role=Role(args.role),
            display_name=args.display_name,
            now=system_clock(),
        )
        described = f"{user.username!r} ({user.display_name}, {user.role})"
    print(f"Created user {described}; they can log in at /admin/.")
    return 0


@contextlib.contextmanager
def _migrated_session(settings: Settings) -> Iterator[Session]:
    """A session on the newest schema, committed when the block ends without an error."""
    migrate(settings.database_url)
    engine = create_engine_for(settings.database_url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def _read_password(password_file: Path | None) -> str:
    """The new password from `password_file`'s first line, or asked for twice."""
    if password_file is not None:
        try:
            lines = password_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InvalidRequest(f"cannot read the password file {password_file}: {exc}") from exc
        password = lines[0] if lines else ""
        check_password_strength(password)
        return password
    password = getpass.getpass("New password: ")
    # Checked before the repetition, so a short one is not typed twice for nothing.
    check_password_strength(password)
    if getpass.getpass("The same password again: ") != password:
        raise InvalidRequest("the two passwords differ; nothing was created")
    return password


def _pick_screen(location: Location, name: str | None) -> Screen:
    screens = location.screens
    if name is not None:
        for screen in screens:
            if screen.name == name:
                return screen
        raise NotFound(f"location {location.slug!r} has no screen named {name!r}")
    if len(screens) == 1:
        return screens[0]
    if not screens:
        raise NotFound(f"location {location.slug!r} has no screen")
    names = ", ".join(repr(screen.name) for screen in screens)
    raise InvalidRequest(
        f"location {location.slug!r} has {len(screens)} screens ({names}); pick one with --screen"
    )


def _screen_description(screen: Screen) -> str:
    return f"screen {screen.name!r} at {screen.location.slug}"


def _write_token_file(path: Path, token: str) -> None:
    """Write `token` readable by the owner only, whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            os.fchmod(file.fileno(), 0o600)
            # No trailing newline: the file holds exactly the token.
            file.write(token)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    sys.exit(main())

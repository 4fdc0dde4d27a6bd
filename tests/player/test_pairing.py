"""Pairing a new screen: a code kept across restarts, then a device token only its owner reads."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from anslag_testing.fake_server import SERVER_URL, FakeDeviceServer

from player.pairing import (
    PAIRING_PATH,
    Enrollment,
    PairedScreen,
    PairingClient,
    PendingPairing,
    format_code,
    write_secret,
)
from player.sync import ServerError, ServerUnreachable


@pytest.fixture
def server() -> FakeDeviceServer:
    server = FakeDeviceServer()
    server.token = None  # no screen yet
    return server


@pytest.fixture
def client(server: FakeDeviceServer) -> Iterator[PairingClient]:
    with closing(PairingClient(server_url=SERVER_URL, transport=server.transport())) as client:
        yield client


def enrollment(client: PairingClient, data_dir: Path) -> Enrollment:
    return Enrollment(
        client=client,
        token_file=data_dir / "device-token",
        pending_file=data_dir / "pairing.json",
        player_version="0.1.0",
        hostname="byabutiken-pi",
    )


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_player_gets_a_code_and_becomes_a_screen_once_it_is_claimed(
    server: FakeDeviceServer, client: PairingClient, tmp_path: Path
) -> None:
    pairing = enrollment(client, tmp_path)

    waiting = pairing.step()
    assert isinstance(waiting, PendingPairing)
    assert waiting.code == "K7M001"
    assert pairing.step() == waiting, "the same code until it is claimed"
    [request] = [r for r in server.requests if r.method == "POST"]
    assert request.read() == b'{"player_version":"0.1.0","hostname":"byabutiken-pi"}'

    server.claim("K7M001")
    paired = pairing.step()

    assert paired == PairedScreen(token=waiting.token, screen="Vid kassan", location="Byabutiken")
    token_file = tmp_path / "device-token"
    assert token_file.read_text() == waiting.token
    assert mode_of(token_file) == 0o600
    assert not (tmp_path / "pairing.json").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["device-token"]


def test_a_player_unplugged_while_waiting_shows_the_same_code_again(
    server: FakeDeviceServer, client: PairingClient, tmp_path: Path
) -> None:
    first = enrollment(client, tmp_path).step()
    assert mode_of(tmp_path / "pairing.json") == 0o600, "its token is a secret too"

    after_restart = enrollment(client, tmp_path).step()

    assert after_restart == first
    assert len([r for r in server.requests if r.method == "POST"]) == 1


def test_an_expired_code_is_replaced_by_a_new_one(
    server: FakeDeviceServer, client: PairingClient, tmp_path: Path
) -> None:
    pairing = enrollment(client, tmp_path)
    old = pairing.step()
    assert isinstance(old, PendingPairing)

    server.expire(old.code)
    new = pairing.step()

    assert isinstance(new, PendingPairing)
    assert (old.code, new.code) == ("K7M001", "K7M002")


def test_a_code_for_another_server_is_not_shown(
    server: FakeDeviceServer, client: PairingClient, tmp_path: Path
) -> None:
    other = PairingClient(server_url="https://old.example.se", transport=server.transport())
    with closing(other):
        enrollment(other, tmp_path).step()

    shown = enrollment(client, tmp_path).step()

    assert isinstance(shown, PendingPairing)
    assert shown.server_url == SERVER_URL


def test_without_the_server_there_is_no_code_and_a_clear_reason(
    server: FakeDeviceServer, client: PairingClient, tmp_path: Path
) -> None:
    server.offline = True

    with pytest.raises(ServerUnreachable, match=f"{SERVER_URL}{PAIRING_PATH}: connection refused"):
        enrollment(client, tmp_path).step()

    assert not (tmp_path / "device-token").exists()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (httpx.Response(404, text="<h1>Not found</h1>"), "answered 404 Not Found"),
        (httpx.Response(201, json={"token": "t"}), "sent an unusable answer: code: Field required"),
    ],
)
def test_a_server_that_is_not_anslag_is_named_with_what_it_answered(
    tmp_path: Path, answer: httpx.Response, message: str
) -> None:
    transport = httpx.MockTransport(lambda request: answer)
    client = PairingClient(server_url="https://skyltar.pajala.se", transport=transport)
    with closing(client), pytest.raises(ServerError, match=message):
        enrollment(client, tmp_path).step()

    assert list(tmp_path.iterdir()) == []


def test_a_secret_is_written_whole_and_readable_by_its_owner_only(tmp_path: Path) -> None:
    old_umask = os.umask(0)
    try:
        write_secret(tmp_path / "device-token", "s3cret")
        write_secret(tmp_path / "device-token", "n3w-s3cret")
    finally:
        os.umask(old_umask)

    assert (tmp_path / "device-token").read_text() == "n3w-s3cret"
    assert mode_of(tmp_path / "device-token") == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["device-token"]


def test_codes_are_shown_in_two_groups_of_three() -> None:
    assert format_code("K7M4PX") == "K7M 4PX"

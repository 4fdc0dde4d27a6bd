"""The player releases the server offers: listed newest first, served to anyone, nothing else."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import httpx
import pytest
from anslag_testing.player_releases import put_release

from server.services.player_releases import list_releases, version_key
from server.settings import Settings

pytestmark = pytest.mark.anyio


def test_versions_are_ordered_as_people_read_them() -> None:
    versions = ["0.9.2", "1.0.0", "0.10.0", "1.0.0rc1", "1.0.0+kommun.1", "0.9.10"]
    assert sorted(versions, key=version_key) == [
        "0.9.2",
        "0.9.10",
        "0.10.0",
        "1.0.0rc1",
        "1.0.0",
        "1.0.0+kommun.1",
    ]


def test_files_that_are_not_player_wheels_are_not_releases(settings: Settings) -> None:
    put_release(settings.player_releases_dir, "0.2.0")
    folder = settings.player_releases_dir
    (folder / "anslag-0.3.0.tar.gz").write_bytes(b"an sdist")
    (folder / "anslag-0.3.0-cp313-cp313-linux_aarch64.whl").write_bytes(b"not pure Python")
    (folder / "README.txt").write_text("put wheels here")

    assert [release.version for release in list_releases(folder)] == ["0.2.0"]
    assert list_releases(settings.data_dir / "no-such-folder") == []


def test_a_replaced_wheel_gets_its_new_hash(settings: Settings) -> None:
    put_release(settings.player_releases_dir, "0.2.0", data=b"first build")
    first = list_releases(settings.player_releases_dir)[0].sha256
    wheel = settings.player_releases_dir / "anslag-0.2.0-py3-none-any.whl"
    wheel.write_bytes(b"second build, longer")
    os.utime(wheel, ns=(wheel.stat().st_atime_ns, wheel.stat().st_mtime_ns + 1_000_000))

    assert first == hashlib.sha256(b"first build").hexdigest()
    assert list_releases(settings.player_releases_dir)[0].sha256 == (
        hashlib.sha256(b"second build, longer").hexdigest()
    )


async def test_anyone_lists_the_releases_newest_first_with_their_hashes(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    old = put_release(settings.player_releases_dir, "0.9.0")
    new = put_release(settings.player_releases_dir, "0.10.0")

    answer = await client.get("/api/device/v1/player-releases")

    assert answer.status_code == 200
    listed = answer.json()
    assert [(r["version"], r["sha256"], r["size"]) for r in listed] == [
        ("0.10.0", hashlib.sha256(new).hexdigest(), len(new)),
        ("0.9.0", hashlib.sha256(old).hexdigest(), len(old)),
    ]
    assert listed[0]["path"] == "/api/device/v1/player-releases/anslag-0.10.0-py3-none-any.whl"


async def test_a_server_without_releases_lists_none(client: httpx.AsyncClient) -> None:
    answer = await client.get("/api/device/v1/player-releases")
    assert (answer.status_code, answer.json()) == (200, [])


async def test_a_release_is_downloaded_by_its_path_and_nothing_else_is(
    client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    data = put_release(settings.player_releases_dir, "0.2.0", data=b"PK\x03\x04 the wheel")
    (settings.data_dir / "anslag.secret").write_text("not for screens")

    wheel = await client.get("/api/device/v1/player-releases/anslag-0.2.0-py3-none-any.whl")
    outside = await client.get("/api/device/v1/player-releases/..%2Fanslag.secret")
    missing = await client.get("/api/device/v1/player-releases/anslag-9.9.9-py3-none-any.whl")

    assert (wheel.status_code, wheel.content) == (200, data)
    assert "immutable" in wheel.headers["cache-control"]
    assert outside.status_code == 404
    assert missing.status_code == 404
    assert "anslag-9.9.9" in missing.json()["detail"]


async def test_the_installer_beside_the_releases_is_served_as_a_script(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    put_release(settings.player_releases_dir, "0.2.0")
    (settings.player_releases_dir / "install.sh").write_text("#!/bin/bash\necho installing\n")
    (settings.player_releases_dir / "other.sh").write_text("#!/bin/bash\n")

    installer = await client.get("/api/device/v1/player-releases/install.sh")
    other = await client.get("/api/device/v1/player-releases/other.sh")
    listed = await client.get("/api/device/v1/player-releases")

    assert installer.status_code == 200
    assert installer.text == "#!/bin/bash\necho installing\n"
    assert installer.headers["cache-control"] == "no-cache"
    assert other.status_code == 404
    assert [release["version"] for release in listed.json()] == ["0.2.0"]

"""The last good manifest survives restarts, power cuts and damaged files without a crash."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from anslag_testing.fake_server import asset_ref, image_manifest

from player.store import ManifestStore, StoredManifest

MANIFEST = image_manifest(asset_ref(b"a photo of the village hall"))


def test_saved_manifest_is_loaded_again_after_a_restart(tmp_path: Path) -> None:
    ManifestStore(tmp_path / "manifest.json").save(MANIFEST, "etag-1")

    loaded = ManifestStore(tmp_path / "manifest.json").load()

    assert loaded == StoredManifest(manifest=MANIFEST, etag="etag-1")
    assert loaded is not None
    assert loaded.manifest.content_hash() == MANIFEST.content_hash()


def test_no_manifest_yet_loads_as_none_without_complaint(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert ManifestStore(tmp_path / "manifest.json").load() is None
    assert caplog.records == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(b'{"etag": "etag-1", "manifest": {"vers', "Invalid JSON", id="truncated"),
        pytest.param(b"\x00" * 64, "Invalid JSON", id="zeroed-by-power-cut"),
        pytest.param(b'{"etag": "etag-1"}', "manifest: Field required", id="no-manifest"),
    ],
)
def test_damaged_manifest_file_loads_as_none_and_is_logged_with_its_path(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes, reason: str
) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(content)

    assert ManifestStore(path).load() is None

    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert str(path) in record.getMessage()
    assert reason in record.getMessage()
    assert "\n" not in record.getMessage()


def test_stored_manifest_that_no_longer_validates_is_ignored_with_the_reason(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = ManifestStore(tmp_path / "manifest.json")
    store.save(MANIFEST, "etag-1")
    store.path.write_text(store.path.read_text().replace("Europe/Stockholm", "Europe/Atlantis"))

    assert store.load() is None
    assert "unknown time zone 'Europe/Atlantis'" in caplog.text


def test_saving_replaces_the_manifest_and_leaves_no_temp_file(tmp_path: Path) -> None:
    store = ManifestStore(tmp_path / "player" / "manifest.json")
    newer = image_manifest(asset_ref(b"a poster for the autumn market"))

    store.save(MANIFEST, "etag-1")
    store.save(newer, "etag-2")

    assert store.load() == StoredManifest(manifest=newer, etag="etag-2")
    assert sorted(path.name for path in store.path.parent.iterdir()) == ["manifest.json"]


def test_temp_file_left_by_a_power_cut_is_neither_loaded_nor_kept(tmp_path: Path) -> None:
    store = ManifestStore(tmp_path / "manifest.json")
    store.save(MANIFEST, "etag-1")
    (tmp_path / "manifest.json.tmp").write_bytes(b'{"etag": "etag-2", "mani')

    assert store.load() == StoredManifest(manifest=MANIFEST, etag="etag-1")
    store.save(MANIFEST, "etag-3")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["manifest.json"]

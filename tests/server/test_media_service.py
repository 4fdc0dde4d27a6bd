"""The media library's rules: what is stored and how it is described, what is refused, deletion."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from anslag_testing.media import clip, picture, rotated, upload_of
from anslag_testing.server_app import FakeClock, png
from PIL import Image
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.db import session_scope
from server.errors import Refused, StillUsed
from server.models import AuditEntry, MediaAsset
from server.services import content
from server.services.media import (
    add_media,
    delete_media,
    discard_files,
    ensure_thumbnail,
    media_library,
)
from server.services.permissions import Actor
from server.storage import LocalMediaStorage

ANNA = Actor(user_id=None, name="anna", role="editor")


def add(
    engine: Engine,
    storage: LocalMediaStorage,
    clock: FakeClock,
    folder: Path,
    data: bytes,
    name: str,
) -> tuple[MediaAsset, bool]:
    with session_scope(engine) as session:
        upload = upload_of(data, folder=folder, name=name)
        asset, created = add_media(session, storage, upload=upload, actor=ANNA, now=clock())
        session.expunge(asset)
        return asset, created


def thumbnail_of(storage: LocalMediaStorage, asset: MediaAsset) -> Image.Image:
    assert asset.thumbnail_sha256 is not None
    image = Image.open(io.BytesIO(storage.path(asset.thumbnail_sha256).read_bytes()))
    assert image.format == "JPEG"
    return image


def stored_files(storage: LocalMediaStorage) -> set[str]:
    return {path.name for path in storage.root.rglob("*") if path.is_file()}


def test_a_photo_is_stored_with_what_the_library_shows_and_an_audit_entry(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock, tmp_path: Path
) -> None:
    data = picture("JPEG", width=1600, height=900)

    asset, created = add(engine, storage, clock, tmp_path, data, "Vinterbild.jpg")

    assert created
    assert (asset.media_type, asset.width, asset.height) == ("image/jpeg", 1600, 900)
    assert (asset.size, asset.original_name, asset.duration_s) == (
        len(data),
        "Vinterbild.jpg",
        None,
    )
    assert storage.path(asset.sha256).read_bytes() == data
    assert thumbnail_of(storage, asset).size == (400, 225)
    with Session(engine) as session:
        entry = session.exec(select(AuditEntry)).one()
        assert (entry.action, entry.entity, entry.entity_id) == (
            "create",
            "media_asset",
            asset.sha256,
        )
        assert (entry.actor, entry.summary) == ("anna", "image 'Vinterbild.jpg'")


def test_a_phone_photo_turned_by_exif_is_described_and_thumbnailed_upright(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock, tmp_path: Path
) -> None:
    # Stored 120 wide and 80 high; orientation 6 says: turn it a quarter to view it.
    asset, _created = add(engine, storage, clock, tmp_path, picture(orientation=6), "IMG_0042.JPG")

    assert (asset.width, asset.height) == (80, 120)
    assert thumbnail_of(storage, asset).size == (80, 120)


def test_the_kind_comes_from_the_bytes_not_from_the_name(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock, tmp_path: Path
) -> None:
    asset, _created = add(engine, storage, clock, tmp_path, png(), "foto.jpg")

    assert asset.media_type == "image/png"


def test_a_transparent_png_gets_a_thumbnail_on_the_card_colour(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock, tmp_path: Path
) -> None:
    clear = picture("PNG", mode="RGBA", colour=(255, 0, 0, 0))

    asset, _created = add(engine, storage, clock, tmp_path, clear, "logo.png")

    red, green, blue = thumbnail_of(storage, asset).convert("RGB").getpixel((10, 10))
    assert red > 200
    assert green > 200
    assert blue > 200


def test_the_same_bytes_uploaded_twice_are_one_asset(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock, tmp_path: Path
) -> None:
    first, first_created = add(engine, storage, clock, tmp_path, png(seed=3), "a.png")
    again, again_created = add(engine, storage, clock, tmp_path, png(seed=3), "b.png")

    assert (first_created, again_created) == (True, False)
    assert again.sha256 == first.sha256
    assert again.original_name == "a.png"
    with Session(engine) as session:
        assert len(session.exec(select(MediaAsset)).all()) == 1
        assert len(session.exec(select(AuditEntry)).all()) == 1


@pytest.mark.parametrize(
    ("codec", "media_type"), [("h264", "video/mp4"), ("vp8", "video/webm"), ("vp9", "video/webm")]
)
def test_a_video_a_pi_plays_well_is_stored_with_its_size_and_length(
    engine: Engine,
    storage: LocalMediaStorage,
    clock: FakeClock,
    tmp_path: Path,
    codec: str,
    media_type: str,
) -> None:
    data = clip(codec, width=320, height=240, seconds=2.0, colour="red")

    asset, _created = add(engine, storage, clock, tmp_path, data, f"film.{codec}")

    assert (asset.media_type, asset.width, asset.height) == (media_type, 320, 240)
    assert asset.duration_s == pytest.approx(2.0, abs=0.05)
    # The thumbnail is a frame of the clip: the red band across its top.
    frame = thumbnail_of(storage, asset).convert("RGB")
    assert frame.size == (320, 240)
    red, green, blue = frame.getpixel((160, 20))
    assert red > 180
    assert green < 80
    assert blue < 80


def test_a_phone_video_recorded_on_its_side_is_described_upright(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock, tmp_path: Path
) -> None:
    data = rotated(clip("h264", width=320, height=240), degrees=90)

    asset, _created = add(engine, storage, clock, tmp_path, data, "IMG_0043.MOV")

    assert (asset.width, asset.height) == (240, 320)
    assert thumbnail_of(storage, asset).size == (240, 320)


def _cut(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        pytest.param(b"", "tom.jpg", "'tom.jpg' is empty", id="empty"),
        pytest.param(
            "Kom ihåg mötet på torsdag".encode(),
            "mote.jpg",
            "'mote.jpg' is neither a picture nor a video that screens can show",
            id="text-named-jpg",
        ),
        pytest.param(
            _cut(picture("JPEG", width=400, height=300)),
            "halv.jpg",
            "'halv.jpg' is not a readable image",
            id="truncated-jpeg",
        ),
        pytest.param(
            picture("GIF"), "anim.gif", "'anim.gif' is a GIF picture; screens show", id="gif"
        ),
        pytest.param(
            b"%PDF-1.7\n" + b"0" * 100,
            "affisch.pdf",
            "'affisch.pdf' is a PDF file, not a picture or a video",
            id="pdf",
        ),
        pytest.param(
            _cut(clip("h264", index_first=True)),
            "avbruten.mp4",
            "'avbruten.mp4' is incomplete",
            id="truncated-mp4-index-first",
        ),
        pytest.param(
            _cut(clip("h264")), "avbruten2.mp4", "'avbruten2.mp4' is incomplete", id="truncated-mp4"
        ),
        pytest.param(
            _cut(clip("vp9")), "avbruten.webm", "'avbruten.webm' is incomplete", id="webm"
        ),
        pytest.param(clip("hevc"), "iphone.mp4", "'iphone.mp4' is HEVC (H.265) video", id="hevc"),
        pytest.param(
            clip("h264", pixel_format="yuv444p"),
            "master.mp4",
            "'master.mp4' is stored as yuv444p",
            id="444",
        ),
        pytest.param(
            clip("h264", width=2560, height=1440, seconds=0.2),
            "stor.mp4",
            "'stor.mp4' is 2560x1440 pixels; screens play video up to 1080p",
            id="over-1080p",
        ),
    ],
)
def test_what_no_screen_could_show_is_refused_by_name_and_nothing_is_stored(
    engine: Engine,
    storage: LocalMediaStorage,
    clock: FakeClock,
    tmp_path: Path,
    data: bytes,
    name: str,
    message: str,
) -> None:
    with pytest.raises(Refused, match=re.escape(message)):
        add(engine, storage, clock, tmp_path / "uploads", data, name)

    with Session(engine) as session:
        assert session.exec(select(MediaAsset)).all() == []
        assert session.exec(select(AuditEntry)).all() == []
    assert stored_files(storage) == set()


def test_a_refusal_carries_its_message_for_translation(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock, tmp_path: Path
) -> None:
    with pytest.raises(Refused) as refused:
        add(engine, storage, clock, tmp_path, clip("hevc"), "iphone.mp4")

    assert refused.value.message_id.startswith("'%(name)s' is %(codec)s video;")
    assert refused.value.values == {"name": "iphone.mp4", "codec": "HEVC (H.265)"}


def test_a_file_shown_by_items_cannot_be_deleted_and_the_message_names_them(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock, tmp_path: Path
) -> None:
    asset, _created = add(engine, storage, clock, tmp_path, png(), "karta.png")
    with session_scope(engine) as session:
        stored = session.get_one(MediaAsset, asset.sha256)
        content.create_image_item(session, asset=stored, now=clock())
        content.create_text_item(
            session, texts={"sv": ("Vägarbete", "")}, image=stored, now=clock()
        )

    with Session(engine) as session, pytest.raises(StillUsed) as refused:
        delete_media(session, sha256=asset.sha256, actor=ANNA, now=clock())

    assert str(refused.value) == (
        "'karta.png' is shown by karta.png (#1), Vägarbete (#2); change or delete those items first"
    )
    assert storage.exists(asset.sha256)


def test_a_deleted_file_is_audited_and_its_bytes_and_thumbnail_removed(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock, tmp_path: Path
) -> None:
    asset, _created = add(engine, storage, clock, tmp_path, png(), "gammal.png")
    with session_scope(engine) as session:
        files = delete_media(session, sha256=asset.sha256, actor=ANNA, now=clock())
    with session_scope(engine) as session:
        discard_files(session, storage, sha256s=files)

    assert set(files) == {asset.sha256, asset.thumbnail_sha256}
    assert stored_files(storage) == set()
    with Session(engine) as session:
        assert session.get(MediaAsset, asset.sha256) is None
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "delete")).one()
        assert entry.before is not None
        assert entry.before["original_name"] == "gammal.png"


def test_bytes_uploaded_again_before_the_files_are_discarded_are_kept(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock, tmp_path: Path
) -> None:
    asset, _created = add(engine, storage, clock, tmp_path, png(), "a.png")
    with session_scope(engine) as session:
        files = delete_media(session, sha256=asset.sha256, actor=ANNA, now=clock())
    again, _created = add(engine, storage, clock, tmp_path, png(), "a.png")
    with session_scope(engine) as session:
        discard_files(session, storage, sha256s=files)

    assert storage.exists(again.sha256)
    assert again.thumbnail_sha256 is not None
    assert storage.exists(again.thumbnail_sha256)


def test_a_picture_stored_without_a_thumbnail_gets_one_when_first_asked(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        seeded = content.store_media(
            session, storage, data=png(90, 60), media_type="image/png", original_name="s.png",
            now=clock(),
        )  # fmt: skip
        sha256 = seeded.sha256
        assert seeded.thumbnail_sha256 is None

    with session_scope(engine) as session:
        made = ensure_thumbnail(session, storage, sha256=sha256)
    with session_scope(engine) as session:
        again = ensure_thumbnail(session, storage, sha256=sha256)
        assert session.get_one(MediaAsset, sha256).thumbnail_sha256 == made

    assert again == made
    with Image.open(storage.path(made)) as thumbnail:
        assert thumbnail.size == (90, 60)


def test_the_library_lists_the_newest_first_with_the_items_that_show_each(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock, tmp_path: Path
) -> None:
    older, _created = add(engine, storage, clock, tmp_path, png(seed=1), "older.png")
    clock.advance(timedelta(minutes=5))
    newer, _created = add(engine, storage, clock, tmp_path, clip("vp8"), "newer.webm")
    with session_scope(engine) as session:
        content.create_image_item(
            session, asset=session.get_one(MediaAsset, older.sha256), now=clock()
        )

    with Session(engine) as session:
        library = media_library(session)
        videos = media_library(session, kind="video")

        assert [(entry.asset.original_name, entry.kind) for entry in library] == [
            ("newer.webm", "video"),
            ("older.png", "image"),
        ]
        assert [len(entry.items) for entry in library] == [0, 1]
        assert [entry.asset.sha256 for entry in videos] == [newer.sha256]

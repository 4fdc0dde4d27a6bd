"""The items' JSON API: pictures, videos, texts and events, saved with their version."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Response
from pydantic import AwareDatetime, BaseModel, Field

from server.api.auth import ApiEditor, ApiViewer
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.models import Item, Playlist
from server.services.items import (
    BODY_MAX_LENGTH,
    MAX_DURATION_S,
    TITLE_MAX_LENGTH,
    ItemDraft,
    ItemKind,
    create_item,
    delete_item,
    find_item,
    list_items,
    playlists_using,
    update_item,
)
from server.services.languages import CONTENT_LANGUAGES
from server.services.naming import item_title

router = APIRouter(prefix="/api/v1/items", tags=["items"])

_LANGUAGES = ", ".join(CONTENT_LANGUAGES)


class ItemText(BaseModel):
    title: str = Field(min_length=1, max_length=TITLE_MAX_LENGTH)
    body: str = Field(default="", max_length=BODY_MAX_LENGTH)


class ItemFields(BaseModel):
    """What an editor sets on an item. Fields a kind does not use are ignored."""

    kind: ItemKind = Field(description="`image`, `video`, `text` (news, notice) or `event`.")
    duration_s: float | None = Field(
        default=None,
        gt=0,
        le=MAX_DURATION_S,
        description="Seconds on screen. Omitted: 8, or for a video the clip's length.",
    )
    valid_from: AwareDatetime | None = Field(
        default=None, description="Shown from this moment on (with a time zone)."
    )
    valid_until: AwareDatetime | None = Field(
        default=None,
        description="Shown until this moment (exclusive). For an event, omitted means until "
        "its end, or the end of its day in the municipality's zone.",
    )
    asset: str | None = Field(
        default=None,
        description="sha256 of a library file: the picture of an `image`, the clip of a "
        "`video`, the optional picture of a `text` or `event`.",
    )
    fit: Literal["fill", "fit"] | None = Field(
        default=None,
        description="`fill` crops to fill the screen, `fit` shows it whole. Omitted: `fill` "
        "for pictures, `fit` for videos.",
    )
    loop: bool = Field(default=False, description="Video: repeat the clip until its time is up.")
    muted: bool = Field(default=True, description="Video: play without sound.")
    texts: dict[str, ItemText] = Field(
        default_factory=dict,
        description=f"Text and event: title and body per language ({_LANGUAGES}).",
    )
    starts_at: AwareDatetime | None = Field(
        default=None,
        description="Event: when it starts. All day: local midnight of its first day.",
    )
    ends_at: AwareDatetime | None = Field(
        default=None,
        description="Event: when it ends. All day: local midnight after its last day.",
    )
    all_day: bool = Field(default=False, description="Event: shown with days, no times.")
    place: str = Field(default="", description="Event: where.")
    organiser: str = Field(default="", description="Event: who arranges it.")

    def draft(self) -> ItemDraft:
        return ItemDraft(
            kind=self.kind,
            duration_s=self.duration_s,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            asset_sha256=self.asset,
            fit=self.fit,
            loop=self.loop,
            muted=self.muted,
            texts={language: (text.title, text.body) for language, text in self.texts.items()},
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            all_day=self.all_day,
            place=self.place,
            organiser=self.organiser,
        )


class ItemCreate(ItemFields):
    """A new item."""


class ItemUpdate(ItemFields):
    """The whole item again, with the version it is based on."""

    version: int = Field(description="The `version` read; 409 when someone saved since.")


class PlaylistRef(BaseModel):
    id: int
    name: str


class ItemPublic(ItemFields):
    """A stored item."""

    id: int
    title: str = Field(description="Its title (Swedish first), or its file's name.")
    version: int = Field(description="Send it back with an update.")
    duration_s: float = Field(description="Seconds on screen.")
    created_at: datetime
    updated_at: datetime
    playlists: list[PlaylistRef] = Field(description="The playlists it plays in.")


def item_public(item: Item, playlists: tuple[Playlist, ...] | list[Playlist]) -> ItemPublic:
    assert item.id is not None  # a stored item
    return ItemPublic(
        id=item.id,
        kind=item.kind,
        title=item_title(item),
        version=item.version,
        duration_s=item.duration_s,
        valid_from=item.valid_from,
        valid_until=item.valid_until,
        asset=item.asset_sha256,
        fit=item.fit,
        loop=item.loop,
        muted=item.muted,
        texts={language: ItemText(**text) for language, text in item.texts.items()},
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        all_day=item.all_day,
        place=item.place,
        organiser=item.organiser,
        created_at=item.created_at,
        updated_at=item.updated_at,
        playlists=[
            PlaylistRef(id=playlist.id, name=playlist.name)
            for playlist in playlists
            if playlist.id is not None
        ],
    )


@router.get("")
def get_items(
    _actor: ApiViewer, session: SessionDep, kind: ItemKind | None = None
) -> list[ItemPublic]:
    """Every item, the most recently saved first, optionally of one kind."""
    return [item_public(entry.item, entry.playlists) for entry in list_items(session, kind=kind)]


@router.post("", status_code=201, responses={422: {"description": "No screen could show it."}})
def post_item(
    body: ItemCreate, actor: ApiEditor, session: SessionDep, clock: ClockDep, settings: SettingsDep
) -> ItemPublic:
    """Make an item. Texts need a title in at least one language; events need `starts_at`."""
    item = create_item(session, draft=body.draft(), zone=settings.zone, actor=actor, now=clock())
    return item_public(item, [])


@router.get("/{item_id}")
def get_item(item_id: int, _actor: ApiViewer, session: SessionDep) -> ItemPublic:
    """One item, with its version for an update."""
    item = find_item(session, item_id=item_id)
    return item_public(item, playlists_using(session, item_id=item_id))


@router.put("/{item_id}", responses={409: {"description": "Someone saved it since `version`."}})
def put_item(
    item_id: int,
    body: ItemUpdate,
    actor: ApiEditor,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> ItemPublic:
    """Replace the item, if it is still at `version`; its kind cannot change."""
    item = update_item(
        session,
        item_id=item_id,
        draft=body.draft(),
        expected_version=body.version,
        zone=settings.zone,
        actor=actor,
        now=clock(),
    )
    return item_public(item, playlists_using(session, item_id=item_id))


@router.delete(
    "/{item_id}", status_code=204, responses={409: {"description": "Playlists play it."}}
)
def remove_item(item_id: int, actor: ApiEditor, session: SessionDep, clock: ClockDep) -> Response:
    """Delete an item no playlist plays; 409, naming the playlists, while any does."""
    delete_item(session, item_id=item_id, actor=actor, now=clock())
    return Response(status_code=204)

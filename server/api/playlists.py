"""The JSON API for playlists: list, read, create, save whole with its version, delete."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import AwareDatetime, BaseModel, Field, model_validator

from server.api.auth import ApiEditor
from server.api.deps import ClockDep, SessionDep
from server.models import Playlist, PlaylistEntry
from server.services.dynamic_kinds import DYNAMIC_KINDS
from server.services.playlists import (
    MAX_DURATION_S,
    EntryDraft,
    PlaylistDraft,
    Usage,
    create_playlist,
    delete_playlist,
    describe_item,
    find_playlist,
    list_playlists,
    playlist_usage,
    save_playlist,
)

router = APIRouter(prefix="/api/v1/playlists", tags=["playlists"])


class DynamicIn(BaseModel):
    kind: str = Field(
        description="The rule: 'upcoming_events' (the approved events each screen's location "
        "carries, soonest first; options 'days' ahead, 1-60, and 'count' at a time, 1-20)."
    )
    options: dict[str, int | str] = Field(
        default={}, description="The rule's options; those left out take their defaults."
    )


class EntryIn(BaseModel):
    item_id: int | None = Field(default=None, description="The item this entry shows.")
    dynamic: DynamicIn | None = Field(
        default=None,
        description="Instead of an item: a rule the manifest fills in for each location.",
    )
    duration_s: float | None = Field(
        default=None,
        gt=0,
        le=MAX_DURATION_S,
        description="Seconds on screen in this playlist; null keeps the item's own duration.",
    )
    valid_from: AwareDatetime | None = Field(
        default=None, description="Shown in this playlist from then on; null: no start."
    )
    valid_until: AwareDatetime | None = Field(
        default=None, description="Shown in this playlist until then (exclusive); null: no end."
    )

    @model_validator(mode="after")
    def _item_or_rule(self) -> EntryIn:
        if (self.item_id is None) == (self.dynamic is None):
            raise ValueError("an entry has either an item_id or a dynamic rule")
        return self


class EntryPublic(EntryIn):
    kind: str = Field(
        description="The item's kind (image, video, text or event), or the dynamic rule's."
    )
    label: str = Field(
        description="The picture's file name, the text's Swedish title, or the rule's name."
    )


class PlaylistCreate(BaseModel):
    name: str = Field(max_length=200, description="What editors call it, e.g. 'Entrén, vinter'.")
    valid_from: AwareDatetime | None = Field(
        default=None, description="The playlist plays from then on; null: no start."
    )
    valid_until: AwareDatetime | None = Field(
        default=None, description="The playlist plays until then (exclusive); null: no end."
    )
    entries: list[EntryIn] = Field(default=[], description="The entries in playing order.")


class PlaylistUpdate(PlaylistCreate):
    version: int = Field(
        description="The version this edit is based on. A save based on an older version is "
        "refused with 409: someone else saved in between."
    )


class UsagePublic(BaseModel):
    locations: list[str] = Field(description="Locations it is assigned to, by name.")
    tags: dict[str, list[str]] = Field(
        description="Location tags it is assigned to, each with the locations carrying the tag."
    )


class PlaylistPublic(BaseModel):
    id: int
    name: str
    valid_from: datetime | None
    valid_until: datetime | None
    version: int = Field(description="Send it back with a save.")
    updated_at: datetime | None
    entries: list[EntryPublic]
    used_by: UsagePublic


def _public(playlist: Playlist, usage: Usage) -> PlaylistPublic:
    assert playlist.id is not None  # a stored playlist has its key
    return PlaylistPublic(
        id=playlist.id,
        name=playlist.name,
        valid_from=playlist.valid_from,
        valid_until=playlist.valid_until,
        version=playlist.version,
        updated_at=playlist.updated_at,
        entries=[_entry_public(entry) for entry in playlist.entries],
        used_by=UsagePublic(
            locations=list(usage.locations),
            tags={tag: list(names) for tag, names in usage.tags.items()},
        ),
    )


def _entry_public(entry: PlaylistEntry) -> EntryPublic:
    if entry.item is None:
        kind = entry.dynamic_kind or ""
        options = entry.dynamic_options or {}
        rule = DYNAMIC_KINDS.get(kind)
        description = rule.describe(options) if rule is not None else None
        return EntryPublic(
            dynamic=DynamicIn(
                kind=kind,
                options={
                    name: value for name, value in options.items() if isinstance(value, int | str)
                },
            ),
            duration_s=entry.duration_s,
            valid_from=entry.valid_from,
            valid_until=entry.valid_until,
            kind=kind,
            label=description.message_id % description.values if description else kind,
        )
    item = describe_item(entry.item, entry.item.asset)
    return EntryPublic(
        item_id=item.item_id,
        duration_s=entry.duration_s,
        valid_from=entry.valid_from,
        valid_until=entry.valid_until,
        kind=item.kind,
        label=item.label,
    )


def _draft(body: PlaylistCreate) -> PlaylistDraft:
    return PlaylistDraft(
        name=body.name,
        valid_from=body.valid_from,
        valid_until=body.valid_until,
        entries=tuple(
            EntryDraft(
                item_id=entry.item_id,
                duration_s=entry.duration_s,
                valid_from=entry.valid_from,
                valid_until=entry.valid_until,
                dynamic_kind=entry.dynamic.kind if entry.dynamic is not None else None,
                dynamic_options=entry.dynamic.options if entry.dynamic is not None else {},
            )
            for entry in body.entries
        ),
    )


@router.get("")
def get_playlists(_actor: ApiEditor, session: SessionDep) -> list[PlaylistPublic]:
    """Every playlist by name, with its entries and where it is assigned."""
    return [_public(playlist, usage) for playlist, usage in list_playlists(session)]


@router.post("", status_code=201)
def post_playlist(
    body: PlaylistCreate, actor: ApiEditor, session: SessionDep, clock: ClockDep
) -> PlaylistPublic:
    """Create a playlist (version 1). 422 names what no screen could play."""
    playlist = create_playlist(session, actor=actor, draft=_draft(body), now=clock())
    return _public(playlist, Usage())


@router.get("/{playlist_id}")
def get_playlist(playlist_id: int, _actor: ApiEditor, session: SessionDep) -> PlaylistPublic:
    """One playlist with its entries in order and where it is assigned."""
    playlist = find_playlist(session, playlist_id=playlist_id)
    return _public(playlist, playlist_usage(session, playlist_id=playlist_id))


@router.put("/{playlist_id}")
def put_playlist(
    playlist_id: int, body: PlaylistUpdate, actor: ApiEditor, session: SessionDep, clock: ClockDep
) -> PlaylistPublic:
    """Replace name, window and every entry at once; 409 when `version` is not the stored one."""
    playlist = save_playlist(
        session,
        actor=actor,
        playlist_id=playlist_id,
        expected_version=body.version,
        draft=_draft(body),
        now=clock(),
    )
    return _public(playlist, playlist_usage(session, playlist_id=playlist_id))


@router.delete("/{playlist_id}", status_code=204)
def delete_playlist_route(
    playlist_id: int,
    actor: ApiEditor,
    session: SessionDep,
    clock: ClockDep,
    version: int | None = None,
) -> Response:
    """Delete a playlist; 409 naming the locations and tags while it is still assigned.

    With `?version=`, only that version is deleted (409 if it has been saved since).
    """
    delete_playlist(
        session, actor=actor, playlist_id=playlist_id, now=clock(), expected_version=version
    )
    return Response(status_code=204)

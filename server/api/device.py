"""The device API the players call: their manifest and the media it refers to."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response
from fastapi.responses import FileResponse

from server.api.conditional import etag_matches
from server.api.deps import ClockDep, CurrentScreen, SessionDep, SettingsDep, StorageDep
from server.errors import NotFound
from server.services.alert_deliveries import record_fetched
from server.services.content import find_asset
from server.services.manifests import build_manifest

router = APIRouter(prefix="/api/device/v1", tags=["device"])

# An asset's URL names its content, so the bytes behind it never change.
IMMUTABLE = "public, max-age=31536000, immutable"
_NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "The content has not changed since the ETag given."}
}


@router.get("/manifest", responses=_NOT_MODIFIED)
def get_manifest(
    screen: CurrentScreen,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The calling screen's manifest; its ETag changes only when what it would show changes."""
    now = clock()
    manifest = build_manifest(
        session,
        location=screen.location,
        now=now,
        horizon=timedelta(days=settings.manifest_horizon_days),
    )
    etag = f'"{manifest.content_hash()}"'
    # A 304 too: the screen has the manifest with these alerts.
    record_fetched(session, screen=screen, alerts=manifest.alerts, now=now)
    # no-cache: caches may keep it but must ask each time, which a 304 answers cheaply.
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(manifest.model_dump_json(), media_type="application/json", headers=headers)


@router.get(
    "/assets/{sha256}",
    response_class=FileResponse,
    responses={**_NOT_MODIFIED, 206: {"description": "The byte range asked for."}},
)
def get_asset(
    sha256: str,
    _screen: CurrentScreen,
    session: SessionDep,
    storage: StorageDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The bytes of a media asset; `Range` resumes an interrupted download."""
    asset = find_asset(session, sha256=sha256)
    if not storage.exists(asset.sha256):
        raise NotFound(f"media asset {asset.sha256} is recorded but its file is missing")
    headers = {"ETag": f'"{asset.sha256}"', "Cache-Control": IMMUTABLE}
    if etag_matches(if_none_match, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return FileResponse(storage.path(asset.sha256), media_type=asset.media_type, headers=headers)

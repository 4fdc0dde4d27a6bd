"""The public alerts page (`/larm`), and the municipality's own alerts as a CAP 1.2 Atom feed
(`/larm/feed.atom`) with each message at `/larm/cap/{identifier}.xml`, for radio and websites.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response

from server.admin.pages import LanguageDep
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.cap.feed import ATOM_MEDIA_TYPE, CAP_MEDIA_TYPE, FeedLinks, atom_feed
from server.cap.publishing import find_publication, recent_publications
from server.i18n import DEFAULT_LANGUAGE
from server.public.pages import local_moment, render
from server.services.public_alerts import PublicAlert, public_alerts

router = APIRouter(tags=["public"], include_in_schema=False)

PAGE_PATH = "/larm"
FEED_PATH = "/larm/feed.atom"
MESSAGE_PATH = "/larm/cap/{identifier}.xml"
RECENTLY_ENDED = timedelta(days=2)


@dataclass(frozen=True)
class AlertView:
    """One alert as the page shows it, in the reader's language where it was written in it."""

    headline: str
    description: str
    instruction: str
    text_language: str
    severity: str
    sender_name: str
    own: bool
    via: str
    places: list[str]
    everywhere: bool
    effective: str
    expires: str
    ended: str
    end_reason: str | None


def _view(shown: PublicAlert, *, language: str, zone: ZoneInfo, now: datetime) -> AlertView:
    alert = shown.alert
    texts = alert.texts
    text_language = next(
        (code for code in (language, DEFAULT_LANGUAGE) if code in texts), next(iter(texts))
    )
    text = texts[text_language]
    ended_at = alert.ended_at or (alert.expires_at if alert.expires_at <= now else None)
    return AlertView(
        headline=text["headline"],
        description=text.get("description", ""),
        instruction=text.get("instruction", ""),
        text_language=text_language,
        severity=alert.severity,
        sender_name=alert.sender_name,
        own=shown.own,
        via=shown.via,
        places=shown.places,
        everywhere=bool(alert.target.get("everywhere")),
        effective=local_moment(alert.effective_at, zone=zone, language=language),
        expires=local_moment(alert.expires_at, zone=zone, language=language),
        ended=local_moment(ended_at, zone=zone, language=language) if ended_at else "",
        end_reason=alert.end_reason,
    )


@router.get(PAGE_PATH)
def alerts_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
) -> Response:
    now = clock()
    current, ended = public_alerts(session, now=now, ended_within=RECENTLY_ENDED)
    views = {
        "current": [
            _view(shown, language=language, zone=settings.zone, now=now) for shown in current
        ],
        "ended": [_view(shown, language=language, zone=settings.zone, now=now) for shown in ended],
    }
    return render(
        request,
        "alerts.html",
        language=language,
        settings=settings,
        context={**views, "feed_path": FEED_PATH},
    )


@router.get(FEED_PATH)
def alerts_feed(
    request: Request, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> Response:
    now = clock()
    current, ended = public_alerts(session, now=now, ended_within=RECENTLY_ENDED)
    own = [shown.alert.id for shown in (*current, *ended) if shown.own and shown.alert.id]
    base = str(request.base_url).rstrip("/")
    links = FeedLinks(
        feed=f"{base}{FEED_PATH}",
        page=f"{base}{PAGE_PATH}",
        message=lambda identifier: f"{base}{MESSAGE_PATH.format(identifier=identifier)}",
    )
    messages = [
        (message, alert.texts.get(DEFAULT_LANGUAGE, next(iter(alert.texts.values())))["headline"])
        for message, alert in recent_publications(session, alert_ids=own)
    ]
    body = atom_feed(
        messages,
        title=f"{settings.municipality_name}: larm",
        author=settings.municipality_name,
        links=links,
        now=now,
    )
    return Response(body, media_type=ATOM_MEDIA_TYPE, headers={"Cache-Control": "max-age=30"})


@router.get(MESSAGE_PATH)
def cap_message(identifier: str, session: SessionDep) -> Response:
    message = find_publication(session, identifier=identifier)
    assert message.document is not None  # find_publication returns published documents only
    # A CAP message never changes once sent.
    return Response(
        message.document.encode("utf-8"),
        media_type=CAP_MEDIA_TYPE,
        headers={"Cache-Control": "public, max-age=86400, immutable"},
    )

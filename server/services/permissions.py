"""What each role may do, and who is acting: the one table the admin and the API consult."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from server.models import LoginSession, Role, User


class Permission(StrEnum):
    VIEW_SCREENS = "view_screens"
    EDIT_CONTENT = "edit_content"
    MANAGE_SCREENS = "manage_screens"  # locations, pairing, moving and revoking screens
    MODERATE = "moderate"
    OPERATE_ALERTS = "operate_alerts"
    MANAGE_ACCOUNTS = "manage_accounts"  # users and API tokens
    VIEW_AUDIT = "view_audit"
    MANAGE_ALERT_SOURCES = "manage_alert_sources"  # the CAP feeds alerts are taken from


_EVERYONE = frozenset({Permission.VIEW_SCREENS})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    # The communications staff: news, pictures, playlists and when they play.
    Role.EDITOR: _EVERYONE | {Permission.EDIT_CONTENT},
    # Associations' submissions wait for a moderator.
    Role.MODERATOR: _EVERYONE | {Permission.MODERATE},
    # The duty officer raises, updates and ends alerts.
    Role.ALERT_OPERATOR: _EVERYONE | {Permission.OPERATE_ALERTS},
}


def role_can(role: str, permission: Permission) -> bool:
    """Whether `role` (as stored on a user) allows `permission`; an unknown role allows nothing."""
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


@dataclass(frozen=True)
class Actor:
    """Who makes a change, as the audit log names them."""

    user_id: int | None
    name: str
    role: str

    def can(self, permission: Permission) -> bool:
        return role_can(self.role, permission)


def user_actor(user: User, *, via: str | None = None) -> Actor:
    """`user` acting in the admin, or through `via` (an API token's description)."""
    name = user.username if via is None else f"{user.username} via {via}"
    return Actor(user_id=user.id, name=name, role=user.role)


def login_actor(login: LoginSession) -> Actor:
    return user_actor(login.user)


# The command line and start-up seeding: changes made on the server itself.
SYSTEM_ACTOR = Actor(user_id=None, name="system", role=Role.ADMIN.value)

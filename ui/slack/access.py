"""Who may ask: optional allow-lists of workspaces, channels and users.

Each list that is set must let the request through (an unset list allows everyone). With a
channel list, direct messages are refused unless the list includes ``dm``: an admin who
limits the bot to #marketing should not find it answering anyone in private.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Refusal(StrEnum):
    """Why a request was refused; each has its own polite message."""

    TEAM = "team"
    CHANNEL = "channel"
    DM = "dm"
    USER = "user"


class AccessList(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    teams: frozenset[str] | None = None
    """Workspace (or Enterprise Grid org) ids; None allows every workspace."""
    channels: frozenset[str] | None = None
    """Channel ids; None allows every channel the bot is in."""
    direct_messages: bool = True
    """Direct messages with the bot (only ever False with a channel list)."""
    users: frozenset[str] | None = None
    """User ids; None allows every user."""

    @property
    def restricted(self) -> bool:
        return not (self.teams is None and self.channels is None and self.users is None)

    def check(self, *, team: str | None, channel: str | None, user: str | None,
              direct: bool) -> Refusal | None:
        """None when the request may go ahead, else the first reason it may not.

        >>> AccessList(users=frozenset({"U1"})).check(team="T1", channel="C1", user="U2", direct=False)
        <Refusal.USER: 'user'>
        """
        if self.teams is not None and team not in self.teams:
            return Refusal.TEAM
        if self.users is not None and user not in self.users:
            return Refusal.USER
        if direct:
            return None if self.direct_messages else Refusal.DM
        if self.channels is not None and channel not in self.channels:
            return Refusal.CHANNEL
        return None

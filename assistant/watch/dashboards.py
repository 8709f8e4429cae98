"""A dashboard opened: every pin re-run as of one date, under the viewer's role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from genbi.assistant.answer import Answer, AnswerRequest
from genbi.assistant.watch.pins import Pin, PinStore
from genbi.assistant.watch.replay import live_as_of, replay


@dataclass(frozen=True)
class Tile:
    """One pin and what it says as of the dashboard's date."""

    pin: Pin
    answer: Answer


@dataclass(frozen=True)
class Dashboard:
    name: str
    as_of: date
    tiles: tuple[Tile, ...]


def open_dashboard(assistant: Any, name: str, *, as_of: date | None = None, user: str | None = None,
                   store: PinStore | None = None) -> Dashboard:
    """Re-run every pin of ``name`` as of ``as_of`` (today, see ``live_as_of``, when None)."""
    store = store or PinStore()
    pins = store.pins(name)
    day = as_of or live_as_of(assistant)
    tiles = tuple(Tile(pin, _with_change(assistant, replay(assistant, pin, as_of=day, user=user, problem=pin.problem),
                                         day, user)) for pin in pins)
    return Dashboard(pins[0].dashboard if pins else name, day, tiles)


def _with_change(assistant: Any, answer: Answer, as_of: date, user: str | None) -> Answer:
    """A single number's card also shows its change on the period before (as in the chat)."""
    more = getattr(assistant, "with_period_change", None)
    if more is None or answer.error or answer.declined:
        return answer
    return more(answer, AnswerRequest(question=answer.question, as_of=as_of, user=user))

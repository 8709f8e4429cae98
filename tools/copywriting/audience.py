"""Who the copy is for: an RFM segment, a behavioural cluster, a saved audience, attribute
filters (``loyalty_tier=platinum; city=Shanghai,Beijing``), or several of them at once
(their intersection). Nothing named means every customer.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from genbi import settings

from ..audience_sql import AudienceSQL, intersect
from ..base import ToolError
from ..roles import RoleSource
from .facts import label
from .writer import AudienceBook, current_services

_ATTRIBUTE_SQL = "SELECT {c_id} AS customer_id FROM {T_c} WHERE LOWER(CAST({c_attr} AS VARCHAR)) IN (<WANTED>)"
_NOT_ATTRIBUTES = {"customer_entity", "customer_id", "customer_signup_time"}


@dataclass(frozen=True)
class Audience:
    sql: AudienceSQL | None
    """The customers as SQL (``audience_sql``); None = every customer."""
    parts_en: tuple[str, ...] = ()
    parts_zh: tuple[str, ...] = ()

    def describe(self, language: str) -> str:
        parts = self.parts_zh if language == "zh" else self.parts_en
        if not parts:
            return "全部客户" if language == "zh" else "all customers"
        return " · ".join(parts)


@dataclass(frozen=True)
class SavedAudience:
    name: str
    customer_ids: tuple[int, ...]


class StateFileAudiences:
    """Saved audiences read (read-only) from genbi's state file, the ``audiences`` table that
    ``genbi.assistant.state.StateStore`` writes. Callers with a store of their own pass it
    through ``copy_services(audiences=...)`` instead."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else settings.state_dir() / "genbi.sqlite"

    def audience(self, name: str) -> SavedAudience:
        if not self.path.is_file():
            raise ToolError(f"No saved audience called '{name}': none has been saved yet.",
                            "Save one first, e.g. genbi tool rfm --segment 'At risk' --save-audience lapsed.")
        try:
            with closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)) as db:
                row = db.execute("SELECT name, customer_ids FROM audiences WHERE lower(name) = lower(?)",
                                 (name.strip(),)).fetchone()
                known = [r[0] for r in db.execute("SELECT name FROM audiences ORDER BY name")] if row is None else []
        except sqlite3.Error as error:
            raise ToolError(f"Saved audiences could not be read ({error}).") from None
        if row is None:
            raise ToolError(f"No saved audience called '{name}'.",
                            f"Saved audiences: {', '.join(known) or 'none yet'}.")
        return SavedAudience(row[0], tuple(int(i) for i in json.loads(row[1])))


def parse_filters(text: str) -> dict[str, list[str]]:
    """``"loyalty_tier=platinum; city=Shanghai,Beijing"`` -> ``{"loyalty_tier": ["platinum"], ...}``."""
    filters: dict[str, list[str]] = {}
    for part in text.replace("；", ";").split(";"):
        if not part.strip():
            continue
        name, sep, values = part.partition("=")
        wanted = [v.strip() for v in values.replace("，", ",").split(",") if v.strip()]
        if not sep or not name.strip() or not wanted:
            raise ToolError(f"The audience filter '{part.strip()}' is not 'attribute=value'.",
                            "Write filters like 'loyalty_tier=platinum; city=Shanghai,Beijing'.")
        filters.setdefault(name.strip().lower().replace(" ", "_"), []).extend(wanted)
    return filters


def customer_attributes(source: RoleSource) -> list[str]:
    """Attribute names a filter may use: the model's ``customer_<attribute>`` roles."""
    return sorted(r.removeprefix("customer_") for r in source.roles
                  if r.startswith("customer_") and r not in _NOT_ATTRIBUTES)


def resolve_audience(
    source: RoleSource, as_of: date, *, segment: str | None = None, cluster: int | None = None,
    saved: str | None = None, where: str | None = None, book: AudienceBook | None = None,
) -> Audience:
    """The customers every given selector agrees on (as SQL), with a description in both
    languages. Whether anyone is in it shows in the facts (``audience_facts``)."""
    parts: list[AudienceSQL] = []
    en: list[str] = []
    zh: list[str] = []
    if segment:
        from ..rfm import SEGMENT_ZH, find_segment, segment_audience

        name = find_segment(segment)
        parts.append(segment_audience(as_of, name))
        en.append(f"RFM segment {name}")
        zh.append(f"RFM分群“{SEGMENT_ZH[name]}”")
    if cluster is not None:
        from ..segments import SegmentArgs
        from ..segments import run as segments_run

        result = segments_run(SegmentArgs.model_validate({"as_of": as_of, "cluster": cluster}), source,
                              members=False)
        row = result.table[result.table["cluster"] == cluster].iloc[0]
        assert result.audience is not None
        parts.append(result.audience)
        en.append(f"cluster {cluster} ({row['name']})")
        zh.append(f"第{cluster}类（{row['name_zh']}）")
    if saved:
        found = (book or current_services().audiences or StateFileAudiences()).audience(saved)
        parts.append(AudienceSQL.of_ids(found.customer_ids))
        en.append(f"saved audience '{saved}'")
        zh.append(f"已保存人群“{saved}”")
    if where:
        simple, said = _attribute_parts(source, where)
        if said:  # "is_vip=true; age>40; orders>3": the semantic layer lists them (``customer_where``)
            from ..customer_where import customer_audience, described

            parts.append(customer_audience(source, "; ".join(said), as_of))
            words = described(source.model, "; ".join(said))
            en.extend(words[0])
            zh.extend(words[1])
        for attribute, values in parse_filters(simple).items() if simple else ():
            parts.append(_attribute_members(source, attribute, values))
            en.append(f"{attribute} = {', '.join(values)}")
            zh.append("、".join(label(v, "zh") or v for v in values) if _labelled(values)
                      else f"{attribute} = {'、'.join(values)}")
    if not parts:
        return Audience(None)
    return Audience(intersect(parts, source), tuple(en), tuple(zh))


def _attribute_parts(source: RoleSource, where: str) -> tuple[str, list[str]]:
    """``where`` split into attribute filters (``attribute=value`` on a ``customer_<attribute>``
    role, matched in any case) and the conditions only the semantic model can list: a yes/no
    tag, a number range, the signup period, what they bought."""
    model = source.model
    simple: list[str] = []
    said: list[str] = []
    for part in (p.strip() for p in where.replace("；", ";").split(";") if p.strip()):
        name = re.split(r"[<>=!]", part, maxsplit=1)[0].strip().lower().replace(" ", "_")
        attribute = re.fullmatch(r"[^<>=!]+=[^<>=!]+", part) is not None and source.has(f"customer_{name}") \
            and f"customer_{name}" not in _NOT_ATTRIBUTES
        known = model is not None and (model.has_dimension(name) or model.has_metric(name)
                                       or name in ("joined", "signed_up", "signup"))
        (said if known and not attribute else simple).append(part)
    return "; ".join(simple), said


def _labelled(values: Iterable[str]) -> bool:
    return all(label(v, "zh") != v for v in values)


def _attribute_members(source: RoleSource, attribute: str, values: list[str]) -> AudienceSQL:
    role = f"customer_{attribute}"
    if role in _NOT_ATTRIBUTES or not source.has(role):
        raise ToolError(f"Customers have no attribute '{attribute}' in the semantic model.",
                        f"Filter on one of: {', '.join(customer_attributes(source))}.")
    wanted = {f"w{i}": v.lower() for i, v in enumerate(values)}
    template = _ATTRIBUTE_SQL.replace("<WANTED>", ", ".join(f":{k}" for k in wanted))
    return AudienceSQL(template, {"T_c": "customer_entity", "c_id": "customer_id", "c_attr": role}, wanted)

"""Journeys kept between questions, in genbi's own state directory (never in the warehouse).

Rebuilding every journey per question sorts all touches at least once, which alone costs
several times a plain scan of the orders (bench/tools_scale_results.md). Most of a journey
does not depend on the question's period: a converting journey is its order's touches within
the lookback and after the previous order, whatever the period around it. So the first
question on a warehouse builds, in one statement through the guarded warehouse:

- per order day: the converting paths (counts and values, a path as a number or its codes as
  text, as ``journeys`` fetches them), the time-decay credit per channel, orders and revenue;
- for the asked end date: the non-converting journeys' touches (day, channel, journey), the
  customer's touches before their last one and after their last order, not cut at any start.

(on DuckDB with integer customer keys, the same rows come from one ordered read of touches and
orders, ``stream``, instead of the statement) and keeps them as Parquet files under
``state_dir()/cache/journeys/<key>/``. Any later period is then answered from them: converting
rows summed over the days asked, non-converting journeys cut at the asked start in NumPy (a
journey starting before it loses its earlier touches, one ending before it goes) -- the same
journeys ``journeys`` builds for that period. A new end date builds only its non-converting
part.

The key holds everything the journeys depend on: the warehouse's fingerprint (the data's files
and change stamps: new data means a new key, the old folder is swept), the tables and columns
the roles name, lookback, half-life, channel or campaign, the touch-at-order rule, the role's
column policy (what the guard let it read) and this module's SQL. A warehouse without a
fingerprint (Postgres, Spark ...: no trustworthy change stamp), an engine other than DuckDB, a
role allowed to see personal data (only masked results reach the disk, as in the result
cache) and ``use_cache=False`` (``--no-cache``) build journeys directly, every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbi.lazy import lazy_module

from ..roles import RoleSource
from . import journeys as sql
from . import stream

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

log = logging.getLogger(__name__)

KEPT_FOLDERS = 6
"""Kept journey folders (one per warehouse version and parameters); older ones are swept."""

KEPT_ENDS = 12
"""End dates whose open journeys a folder keeps (each a few MB on 1M customers)."""

LAYOUT = 1
"""The kept files' layout: part of the key, so a changed layout is never read as the old one."""

EPOCH = date(1970, 1, 1)

_DAY = "CAST(DATE_DIFF('day', :epoch, CAST({ts} AS DATE)) AS DOUBLE)"

_KEPT_ENDS = """
last_touch AS (
  SELECT {t_cust} AS customer_id, MAX(CAST({t_time} AS TIMESTAMP)) AS end_ts FROM {T_t}
  WHERE {t_time} >= :touch_from AND {t_time} < :open_end_excl AND {t_elem} IS NOT NULL
  GROUP BY {t_cust}
),
last_order AS (SELECT customer_id, MAX(ts) AS last_ts FROM o_all WHERE ts < :open_end_excl GROUP BY customer_id),
ends AS (
  SELECT customer_id, ts, prev_ts, value, 0 AS is_open FROM o WHERE :with_orders
  UNION ALL
  SELECT last_touch.customer_id, last_touch.end_ts, last_order.last_ts, CAST(0 AS DOUBLE), 1
  FROM last_touch LEFT JOIN last_order ON last_order.customer_id = last_touch.customer_id
  WHERE :with_open AND last_touch.end_ts >= :start
    AND (last_order.last_ts IS NULL OR last_touch.end_ts > last_order.last_ts)
)"""
"""``journeys._ENDS`` with two switches (orders, the open journeys) and the open journeys'
own end date, so one statement builds both parts and a new end date only its open part."""

_KEPT_RESULTS = f"""
numbered AS (
  SELECT {_DAY.format(ts="end_ts")} AS day, ANY_VALUE(value) AS value,
         SUM((code + 1) * ROUND(POWER(base.b, pos - 1))) AS num
  FROM scored CROSS JOIN base WHERE is_open = 0 AND POWER(base.b, steps) <= :exact
  GROUP BY customer_id, end_ts, is_open
),
listed AS (
  SELECT {_DAY.format(ts="end_ts")} AS day, ANY_VALUE(value) AS value,
         ARRAY_TO_STRING(ARRAY_AGG(CAST(code AS VARCHAR) ORDER BY ts, code), ',') AS path
  FROM scored CROSS JOIN base WHERE is_open = 0 AND POWER(base.b, steps) > :exact
  GROUP BY customer_id, end_ts, is_open
),
path_counts AS (
  SELECT day, CAST(NULL AS VARCHAR) AS path, num, COUNT(*) AS conversions, SUM(value) AS value
  FROM numbered GROUP BY day, num
  UNION ALL
  SELECT day, path, CAST(NULL AS DOUBLE) AS num, COUNT(*) AS conversions, SUM(value) AS value
  FROM listed GROUP BY day, path
),
decay AS (
  SELECT {_DAY.format(ts="end_ts")} AS day, code, SUM(share) AS conversions, SUM(share * value) AS revenue
  FROM scored WHERE is_open = 0 GROUP BY 1, 2
),
totals AS (
  SELECT {_DAY.format(ts="ts")} AS day, COUNT(*) AS orders, SUM(value) AS revenue FROM o WHERE :with_orders GROUP BY 1
),
open_touches AS (
  SELECT {_DAY.format(ts="ts")} AS day, code, pos, DENSE_RANK() OVER (ORDER BY customer_id) AS journey
  FROM scored WHERE is_open = 1
)
SELECT 'path' AS kind, day, path, CAST(num AS DOUBLE) AS n, CAST(NULL AS VARCHAR) AS channel,
       CAST(conversions AS DOUBLE) AS a, CAST(value AS DOUBLE) AS b, CAST(NULL AS DOUBLE) AS c FROM path_counts
UNION ALL
SELECT 'decay' AS kind, day, CAST(NULL AS VARCHAR) AS path, CAST(code AS DOUBLE) AS n, CAST(NULL AS VARCHAR) AS channel,
       CAST(conversions AS DOUBLE) AS a, CAST(revenue AS DOUBLE) AS b, CAST(NULL AS DOUBLE) AS c FROM decay
UNION ALL
SELECT 'orders' AS kind, day, CAST(NULL AS VARCHAR) AS path, CAST(NULL AS DOUBLE) AS n, CAST(NULL AS VARCHAR) AS channel,
       CAST(orders AS DOUBLE) AS a, CAST(revenue AS DOUBLE) AS b, CAST(NULL AS DOUBLE) AS c FROM totals
UNION ALL
SELECT 'channel' AS kind, CAST(NULL AS DOUBLE) AS day, CAST(NULL AS VARCHAR) AS path, CAST(code AS DOUBLE) AS n,
       elem AS channel, CAST(NULL AS DOUBLE) AS a, CAST(NULL AS DOUBLE) AS b, CAST(NULL AS DOUBLE) AS c FROM channels
UNION ALL
SELECT 'open' AS kind, day, CAST(NULL AS VARCHAR) AS path, CAST(code AS DOUBLE) AS n, CAST(NULL AS VARCHAR) AS channel,
       CAST(journey AS DOUBLE) AS a, CAST(NULL AS DOUBLE) AS b, CAST(pos AS DOUBLE) AS c FROM open_touches"""

_BOUNDS = """
SELECT MIN(CAST({o_time} AS DATE)) AS lo, MAX(CAST({o_time} AS DATE)) AS hi,
       (SELECT MIN(CAST({t_time} AS DATE)) FROM {T_t}) AS first_touch
FROM {T_o}"""


def _statement(touches: str) -> str:
    return "WITH " + ",".join([sql._ORDERS, touches, _KEPT_ENDS, sql._JOIN, sql._SCORED, _KEPT_RESULTS])


@dataclass(frozen=True)
class Kept:
    """When the journeys an answer used were built, and whether this run built them."""

    built_at: datetime
    built_now: bool


def store_folder(source: RoleSource, slots: dict[str, str], params: sql.Params) -> Path | None:
    """The folder these journeys are kept in, or None when they are not kept for this
    source (see the module doc)."""
    from genbi import settings
    from genbi.semantic_layer.fingerprint import fingerprint
    from genbi.semantic_layer.guard import active_policy, policy_digest

    runner = source.runner
    if not source.use_cache or getattr(runner, "dialect", None) != "duckdb":
        return None
    stamp = fingerprint(getattr(runner, "path", None))
    policy = active_policy() or getattr(runner, "policy", None)
    if stamp is None or (policy is not None and policy.allow_private):
        return None
    idents = {slot: source.table_ident(role) if slot.startswith("T_") else source.ident(role)
              for slot, role in sorted(slots.items())}
    key = json.dumps([stamp, policy_digest(policy), getattr(runner, "allowed_tables", None), idents,
                      params.__dict__, LAYOUT, _statement(sql._TOUCHES_CAMPAIGN), _statement(sql._TOUCHES_CHANNEL)],
                     sort_keys=True, default=str)
    return settings.state_dir() / "cache" / "journeys" / hashlib.sha256(key.encode()).hexdigest()[:24]


def kept_journeys(
    source: RoleSource, folder: Path, slots: dict[str, str], params: sql.Params, *,
    start: date | None, end: date | None, touches: str,
) -> sql.Journeys | None:
    """The period's journeys from the kept files (built first when missing); None when they
    cannot be kept here (no orders, a journey too long for a text cell, an unwritable state
    directory): the caller then builds them directly."""
    wait_written(folder)
    meta = _read_json(folder / "journeys.json")
    built_now = meta is None
    if meta is None:
        bounds = source.query(_BOUNDS, {"T_o": "order_entity", "o_time": "order_time", "T_t": "touchpoint_entity",
                                        "t_time": "touchpoint_time"}).iloc[0]
        if pd.isna(bounds["lo"]):
            return None
        lo, hi = pd.Timestamp(bounds["lo"]).date(), pd.Timestamp(bounds["hi"]).date()
        first = lo if pd.isna(bounds["first_touch"]) else min(lo, pd.Timestamp(bounds["first_touch"]).date())
        meta = {"lo": lo.isoformat(), "hi": hi.isoformat(), "first": first.isoformat()}
    lo, hi = date.fromisoformat(meta["lo"]), date.fromisoformat(meta["hi"])
    start, end = start or lo, end or hi
    if end < start:
        return None  # the direct path words the error
    import duckdb

    open_meta = _read_json(folder / f"open-{end.isoformat()}.json")
    try:
        built: Built | None = None
        if built_now or open_meta is None:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # before the statement: never build in vain
            if not os.access(folder, os.W_OK):
                return None
            built = _build(source, folder, slots, params, meta, end, touches, with_orders=built_now)
            if built is None:
                return None
            meta = built.meta or _read_json(folder / "journeys.json")
            open_meta = built.open_meta
            built_now = True
        if meta is None or open_meta is None:
            return None
        return _answer(folder, meta, open_meta, start, end, built_now, built)
    except (OSError, duckdb.Error) as error:  # a full disk, a file swept by another run meanwhile
        log.warning("kept journeys not used (%s); building them directly", error)
        return None


@dataclass(frozen=True)
class Built:
    """What a building run just wrote, kept in memory so its own answer needs no read-back
    of the files (~0.3 s on 1M customers)."""

    open_meta: dict[str, Any]
    open_touches: pd.DataFrame
    """The open journeys' touches for the end date (journey, day, code), as written."""
    meta: dict[str, Any] | None = None
    converting: pd.DataFrame | None = None
    """The per-day rows (kind, day, path, n, a, b) as written, when this run built them."""
    summary: stream.Summary | None = None
    """The stream's summary the rows are made from (a stream build with the converting
    journeys): the answer is cut from it directly, not summed again from the rows."""
    totals: pd.DataFrame | None = None
    """With ``summary``: the orders and revenue per order day (``day``, ``a``, ``b``), as the
    per-day rows hold them."""
    rows: Callable[[], pd.DataFrame] | None = None
    """With ``summary``: makes the per-day rows to write (``converting``'s form). The run's
    own answer does not need them, so the writer's thread makes them while the models run."""

    def converting_rows(self) -> pd.DataFrame | None:
        """The per-day rows to write: as fetched, or made now from the summary."""
        return self.converting if self.converting is not None or self.rows is None else self.rows()


def _build(
    source: RoleSource, folder: Path, slots: dict[str, str], params: sql.Params, meta: dict[str, Any], end: date,
    touches: str, *, with_orders: bool,
) -> Built | None:
    """Run the build statement and write its parts: the per-day converting rows (when
    ``with_orders``) and the open journeys for ``end``; what was written, or None when a
    journey came cut."""
    first, hi = date.fromisoformat(meta["first"]), date.fromisoformat(meta["hi"])
    touch_from = first - timedelta(days=params.lookback_days)
    values: dict[str, Any] = {
        "start": first, "end_excl": max(hi, end) + timedelta(days=1), "order_from": touch_from,
        "touch_from": touch_from, "anchor": datetime.combine(touch_from, time()),
        "width": float(params.lookback_days * 86400), "lookback": params.lookback_days,
        "touch_at_order": params.touch_at_order, "half_life": float(params.half_life_days), "exact": sql.EXACT,
        "with_orders": with_orders, "with_open": True, "open_end_excl": end + timedelta(days=1), "epoch": EPOCH,
    }
    streamed = _from_stream(source, slots, touches, values, with_orders) if stream.usable(
        source, slots, values["anchor"]) else None
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    if streamed is not None:
        names = streamed.names
        built = Built(open_meta={"channels": names, "built_at": stamp}, open_touches=streamed.open_touches)
        if with_orders:
            built = Built(built.open_meta, streamed.open_touches, meta | {"channels": names, "built_at": stamp},
                          summary=streamed.summary, totals=streamed.totals, rows=streamed.rows)
        _write_later(folder, end, built)
        return built
    raw = source.query_columns(_statement(touches), slots, **values)
    texts = raw.loc[raw["path"].notna(), "path"]
    if texts.str.endswith(sql.CUT).any():  # thousands of touches in one journey: left to the direct path
        return None
    opened = raw[raw["kind"] == "open"]
    order = np.lexsort((opened["c"].to_numpy(), opened["a"].to_numpy()))
    open_touches = pd.DataFrame({
        "journey": opened["a"].to_numpy()[order].astype(np.int64),
        "day": opened["day"].to_numpy()[order].astype(np.int64),
        "code": opened["n"].to_numpy()[order].astype(np.int64)})
    kind = raw["kind"]
    coded = raw[kind == "channel"]
    names = [""] * len(coded)
    for code, name in zip(coded["n"].astype(int), coded["channel"], strict=True):
        names[code] = str(name)
    built = Built(open_meta={"channels": names, "built_at": stamp}, open_touches=open_touches)
    if with_orders:
        converting = raw.loc[kind.isin(["path", "decay", "orders"]), ["kind", "day", "path", "n", "a", "b"]]
        built = Built(built.open_meta, open_touches, meta | {"channels": names, "built_at": stamp}, converting)
    _write_later(folder, end, built)
    return built


_WRITING: dict[Path, list[threading.Thread]] = {}
"""Kept files being written in the background, by folder (``wait_written``)."""
_WRITING_LOCK = threading.Lock()


def _write_later(folder: Path, end: date, built: Built) -> None:
    """Write what ``_build`` made in a thread of its own: the run answers from memory, so its
    models run while this thread makes a stream build's per-day rows (``Built.rows``) and
    DuckDB writes the Parquet files (~0.7-1 s together on 1M customers). Each
    file lands whole (``_partial``), its JSON after it: a reader sees both or builds again.
    A failed write (a full disk) only means the next run builds again."""

    def write() -> None:
        import duckdb

        try:
            _write_parquet(folder / f"open-{end.isoformat()}.parquet", built.open_touches)
            _write_json(folder / f"open-{end.isoformat()}.json", built.open_meta)
            _sweep(folder, "open-*.json", KEPT_ENDS)
            converting = built.converting_rows() if built.meta is not None else None
            if converting is not None and built.meta is not None:
                _write_parquet(folder / "journeys.parquet", converting)
                _write_json(folder / "journeys.json", built.meta)
                _sweep(folder.parent, "*", KEPT_FOLDERS)
        except (OSError, duckdb.Error) as error:
            log.warning("kept journeys not written (%s); the next run builds them again", error)
        finally:
            with _WRITING_LOCK:
                pending = _WRITING.get(folder, [])
                if threading.current_thread() in pending:
                    pending.remove(threading.current_thread())
                if not pending:
                    _WRITING.pop(folder, None)

    thread = threading.Thread(target=write, name=f"genbi-kept-journeys-{folder.name}")
    with _WRITING_LOCK:
        _WRITING.setdefault(folder, []).append(thread)
    thread.start()


def wait_written(folder: Path | None = None) -> None:
    """Wait until the kept files being written (``folder``'s, or all) are on disk: a run
    reading a folder first waits for its writes, and a tool returns with its files written."""
    with _WRITING_LOCK:
        pending = [t for f, threads in _WRITING.items() if folder is None or f == folder for t in threads]
    for thread in pending:
        thread.join()


@dataclass(frozen=True)
class Streamed:
    """What a stream build (``_from_stream``) made: the channel names by code, the summary,
    the open journeys' touches as ``Built.open_touches`` holds them, the orders per day (when
    built with orders) and the per-day rows to write, made on demand (``rows``)."""

    names: list[str]
    summary: stream.Summary
    open_touches: pd.DataFrame
    totals: pd.DataFrame | None
    rows: Callable[[], pd.DataFrame]


def _from_stream(source: RoleSource, slots: dict[str, str], touches: str, values: dict[str, Any],
                 with_orders: bool) -> Streamed | None:
    """The build statement's answer from one ordered read of touches and orders (``stream``:
    DuckDB with integer customer keys): its per-day paths, time decay and orders (the same
    rows, made by ``Streamed.rows`` when they are written), its channels, and the open
    journeys' touches as ``Built.open_touches`` holds them (journey, day, code; journey by
    journey, first touch first: the order the stream made them in, so they need neither the
    statement's rows nor its sort); None where the stream cannot be read. A journey is never
    cut here (no text cell limit)."""
    anchor = values["anchor"]
    found = stream.summarize(
        source, slots, touches, values, start_us=stream.anchor_us(anchor, values["start"]),
        epoch_day=(anchor.date() - EPOCH).days, exact=sql.EXACT,
        open_end_us=stream.anchor_us(anchor, values["open_end_excl"]), with_orders=with_orders, keep_touches=True)
    if found is None:
        return None
    names, summary = found
    totals = None
    if with_orders:
        fetched = source.query_columns(stream._TOTALS.format(orders_all=stream._ORDERS_ALL.strip(),
                                                             day=_DAY.format(ts="ts")), slots, **values)
        totals = pd.DataFrame({"kind": "orders", "day": fetched["day"].astype(float),
                               "a": fetched["orders"].astype(float), "b": fetched["revenue"].astype(float)})
    open_touches = pd.DataFrame(dict(zip(("journey", "day", "code"), summary.open_touches(), strict=True)))
    summary.labelled()  # made here, once: the answer and the writer's thread both read it

    def rows() -> pd.DataFrame:
        frames = [stream.path_rows(summary, by_day=True, converting_only=True).drop(columns="c").assign(kind="path"),
                  stream.decay_total(summary, by_day=True).assign(kind="decay")]
        if totals is not None:
            frames.append(totals)
        raw = pd.concat(frames, ignore_index=True).reindex(columns=["kind", "day", "path", "n", "a", "b"])
        for column in ("day", "n", "a", "b"):
            raw[column] = raw[column].astype(float)
        raw["path"] = raw["path"].astype(object).where(raw["path"].notna(), None)
        return raw

    return Streamed([str(n) for n in names], summary, open_touches, totals, rows)


def _answer(folder: Path, meta: dict[str, Any], open_meta: dict[str, Any], start: date, end: date,
            built_now: bool, fresh: Built | None = None) -> sql.Journeys:
    """The journeys of [start, end] from the kept files, or from what this run just wrote
    (``fresh``: the same rows, summed by the same statement; a stream build with its
    converting journeys answers from its summary instead, ``_answer_built``)."""
    import duckdb

    first, last = (start - EPOCH).days, (end - EPOCH).days
    if fresh is not None and fresh.summary is not None and fresh.totals is not None and meta is not None:
        return _answer_built(fresh, meta, first, last, start, end)
    db = duckdb.connect()
    try:
        rows = "read_parquet(?)"
        params: list[Any] = [str(folder / "journeys.parquet"), first, last]
        if fresh is not None and fresh.converting is not None:
            db.register("converting", fresh.converting)
            rows, params = "converting", params[1:]
        conv = db.execute(f"SELECT kind, n, path, SUM(a) AS a, SUM(b) AS b FROM {rows} WHERE day BETWEEN ? AND ? "
                          "GROUP BY kind, n, path", params).df()
        touches: dict[str, Any]
        if fresh is not None:
            touches = {c: fresh.open_touches[c].to_numpy() for c in ("journey", "day", "code")}
        else:
            touches = db.execute("SELECT journey, day, code FROM read_parquet(?)",
                                 [str(folder / f"open-{end.isoformat()}.parquet")]).fetchnumpy()
    finally:
        db.close()
    names = np.array(meta["channels"], dtype=object)
    converting = conv[conv["kind"] == "path"].assign(c=0.0)
    journey, day, code = (np.asarray(touches[c]) for c in ("journey", "day", "code"))
    open_paths = open_path_rows(journey, day, code, first, len(open_meta["channels"]) + 1)
    paths = sql._path_table([(converting, names), (open_paths, np.array(open_meta["channels"], dtype=object))])
    decay_rows = conv[conv["kind"] == "decay"]
    decay = (pd.DataFrame({"channel": names[decay_rows["n"].to_numpy(dtype=np.int64)],
                           "conversions": decay_rows["a"].astype(float).to_numpy(),
                           "revenue": decay_rows["b"].astype(float).to_numpy()})
             .sort_values("channel", kind="stable").reset_index(drop=True))
    totals = conv[conv["kind"] == "orders"]
    built = min(meta["built_at"], open_meta["built_at"]) if not built_now else open_meta["built_at"]
    return sql.Journeys(
        paths=paths, time_decay=decay, orders=int(totals["a"].sum()),
        revenue=float(np.nan_to_num(float(totals["b"].sum()))), orders_with_journey=int(converting["a"].sum()),
        start=start, end=end, kept=Kept(datetime.fromisoformat(built), built_now))


def _answer_built(fresh: Built, meta: dict[str, Any], first: int, last: int, start: date, end: date) -> sql.Journeys:
    """The journeys of days ``first`` to ``last`` from the summary this run just built (the
    rows written are summed from it): the period's converting journeys and the open ones cut
    at its start (``stream.period_rows``), their time decay over the period's days, and the
    orders of those days (the written per-day totals)."""
    assert fresh.summary is not None and fresh.totals is not None
    names = np.array(meta["channels"], dtype=object)
    part = stream.period_rows(fresh.summary, first, last)
    decay_rows = stream.decay_total(fresh.summary, by_day=False, days=(first, last))
    decay = (pd.DataFrame({"channel": names[decay_rows["n"].to_numpy(dtype=np.int64)],
                           "conversions": decay_rows["a"].astype(float).to_numpy(),
                           "revenue": decay_rows["b"].astype(float).to_numpy()})
             .sort_values("channel", kind="stable").reset_index(drop=True))
    rows = fresh.totals
    day = rows["day"].to_numpy()
    totals = rows[(day >= first) & (day <= last)]
    return sql.Journeys(
        paths=sql._path_table([(part, names)]), time_decay=decay, orders=int(totals["a"].sum()),
        revenue=float(np.nan_to_num(float(totals["b"].sum()))), orders_with_journey=int(part["a"].sum()),
        start=start, end=end, kept=Kept(datetime.fromisoformat(fresh.open_meta["built_at"]), True))


def open_path_rows(journey: np.ndarray, day: np.ndarray, code: np.ndarray, first_day: int, base: int) -> pd.DataFrame:
    """Non-converting journeys cut at ``first_day`` (their touches before it dropped) as path
    rows (``n`` a number, or ``path`` codes as text when too long, ``c`` how many journeys).

    Touches come ordered by journey, then position; a journey with no touch left goes."""
    keep = day >= first_day
    owner, codes = journey[keep], code[keep].astype(np.int64)
    if len(owner) == 0:
        return pd.DataFrame({"n": np.zeros(0), "path": np.zeros(0, dtype=object), "a": np.zeros(0),
                             "b": np.zeros(0), "c": np.zeros(0)})
    starts = np.r_[True, owner[1:] != owner[:-1]]
    group = np.cumsum(starts) - 1
    index = np.arange(len(owner))
    position = index - np.maximum.accumulate(np.where(starts, index, 0))
    steps = np.bincount(group)
    short = np.power(float(base), steps) <= sql.EXACT  # the SQL's rule: POWER(b, steps) <= exact
    weights = np.where(short[group], (codes + 1) * np.power(float(base), np.where(short[group], position, 0)), 0.0)
    numbers = np.bincount(group, weights)[short]
    found, counts = np.unique(numbers, return_counts=True)
    rows = [pd.DataFrame({"n": found, "path": np.full(len(found), None, dtype=object), "c": counts.astype(float)})]
    if not short.all():
        edges = np.flatnonzero(starts)
        texts = [",".join(map(str, codes[edges[g]:edges[g] + steps[g]].tolist())) for g in np.flatnonzero(~short)]
        listed = pd.Series(texts).value_counts()
        rows.append(pd.DataFrame({"n": np.full(len(listed), np.nan), "path": listed.index.to_numpy(dtype=object),
                                  "c": listed.to_numpy(dtype=float)}))
    return pd.concat(rows, ignore_index=True).assign(a=0.0, b=0.0)


def _read_json(path: Path) -> dict[str, Any] | None:
    with contextlib.suppress(OSError, ValueError):
        found = json.loads(path.read_text(encoding="utf-8"))
        return found if isinstance(found, dict) else None
    return None


def _partial(path: Path) -> Path:
    """A private name to write ``path`` under before it replaces it (unique per process and
    thread: the chat answers several questions at once)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def _write_json(path: Path, data: dict[str, Any]) -> None:
    partial = _partial(path)
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)  # atomic: a reader sees no file or the whole one


def _write_parquet(path: Path, frame: pd.DataFrame) -> None:
    import duckdb

    partial = _partial(path)
    db = duckdb.connect()
    try:
        db.register("frame", frame)
        quoted = str(partial).replace("'", "''")
        db.execute(f"COPY (SELECT * FROM frame) TO '{quoted}' (FORMAT parquet)")
        partial.replace(path)
    finally:
        db.close()
        partial.unlink(missing_ok=True)  # a write that failed leaves no partial file


def _sweep(folder: Path, pattern: str, kept: int) -> None:
    """Keep the newest ``kept`` entries of ``folder`` matching ``pattern`` (a journey folder
    with its files, or an end date's open journeys with their Parquet file)."""
    import shutil

    with contextlib.suppress(OSError):
        found = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime)
        for old in found[:-kept]:
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
                old.with_suffix(".parquet").unlink(missing_ok=True)

"""Journeys from a warehouse, built in SQL and fetched aggregated (path counts).

A converting journey is a customer's touches within ``lookback_days`` before an order and
after their previous order (a touch is never credited to two orders). A non-converting
journey is a customer's touches after their last order (or all, if they never ordered)
within the period, limited to the ``lookback_days`` before their last such touch. Orders
with no touch in their window are counted but cannot be credited to any channel.

One statement per call: every journey, converting or not, is a customer's touches before an
*end* (an order, or the last touch of a customer with no order after it) and after the
previous order, found by one equi-join on (customer, lookback-wide time bucket): a touch at
most ``lookback_days`` before its end lies in the end's bucket or the one before, so each end
is joined to two buckets instead of every touch of its customer. One window pass gives each
touch its journey's length, its position and its time-decay share. The touches are then
read three ways in the same statement (path counts,
real-day time decay, order totals); DuckDB and Postgres compute a CTE read more than once
only once, without an engine-specific hint.

Paths travel as numbers, not lists: channels get codes (their rank by name), and a journey
short enough is the integer whose digits in base ``channels + 1`` are its codes + 1, first
touch lowest, built by a plain SUM over the touches' positions from the window pass (no
ordered list aggregate, the costliest step before: half of the statement on 1M customers).
Every partial sum stays below 2**50, so a double holds it exactly on any engine; the rare
longer journey (many steps, or hundreds of campaigns) still comes as its ordered codes, joined
into text ('3,0,5'), so every column of the answer is a plain number or text and DuckDB hands it
over column by column (``query_columns``) instead of as 160k Python tuples. A journey of
thousands of touches outgrows the warehouse's text cell limit; the statement then runs again
with lists (fetched as rows), so no journey is ever cut.

DuckDB with integer customer keys builds the same journeys from one ordered read of touches
and orders instead (``stream``: the read and its NumPy steps ~5 s of CPU on 1M customers, this
statement ~8.5 s); the statement serves Postgres, Spark, text keys, more touches than the
stream holds in memory, and any read that does not come as plain integer columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from genbi.lazy import lazy_module

from ..base import ToolError
from ..roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

_ORDERS = """
o_all AS (
  SELECT {o_id} AS order_id, {o_cust} AS customer_id, CAST({o_time} AS TIMESTAMP) AS ts,
         CAST({o_rev} AS DOUBLE) AS value
  FROM {T_o}
  WHERE {o_time} >= :order_from AND {o_time} < :end_excl
),
o_lag AS (
  SELECT *, LAG(ts) OVER (PARTITION BY customer_id ORDER BY ts, order_id) AS prev_ts FROM o_all
),
o AS (SELECT * FROM o_lag WHERE ts >= :start)"""

_TOUCHES_CHANNEL = """
t AS (
  SELECT {t_cust} AS customer_id, CAST({t_time} AS TIMESTAMP) AS ts,
         CAST({t_elem} AS VARCHAR) AS elem
  FROM {T_t}
  WHERE {t_time} >= :touch_from AND {t_time} < :end_excl AND {t_elem} IS NOT NULL
)"""

_TOUCHES_CAMPAIGN = """
t AS (
  SELECT {t_cust} AS customer_id, CAST({t_time} AS TIMESTAMP) AS ts,
         CAST(COALESCE(CAST({c_name} AS VARCHAR), CAST({t_elem} AS VARCHAR)) AS VARCHAR) AS elem
  FROM {T_t} LEFT JOIN {T_c} ON {c_id} = {t_elem}
  WHERE {t_time} >= :touch_from AND {t_time} < :end_excl AND {t_elem} IS NOT NULL
)"""

_ENDS = """
last_touch AS (
  SELECT {t_cust} AS customer_id, MAX(CAST({t_time} AS TIMESTAMP)) AS end_ts FROM {T_t}
  WHERE {t_time} >= :touch_from AND {t_time} < :end_excl AND {t_elem} IS NOT NULL
  GROUP BY {t_cust}
),
last_order AS (SELECT customer_id, MAX(ts) AS last_ts FROM o_all GROUP BY customer_id),
ends AS (
  SELECT customer_id, ts, prev_ts, value, 0 AS is_open FROM o
  UNION ALL
  SELECT last_touch.customer_id, last_touch.end_ts, last_order.last_ts, CAST(0 AS DOUBLE), 1
  FROM last_touch LEFT JOIN last_order ON last_order.customer_id = last_touch.customer_id
  WHERE last_touch.end_ts >= :start AND (last_order.last_ts IS NULL OR last_touch.end_ts > last_order.last_ts)
)"""

_JOIN = """
e AS (
  SELECT ends.*, CAST(FLOOR(DATE_DIFF('second', :anchor, ts) / :width) AS BIGINT) - shift.k AS bucket
  FROM ends CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1 AS k) AS shift
),
tb AS (SELECT t.*, CAST(FLOOR(DATE_DIFF('second', :anchor, ts) / :width) AS BIGINT) AS bucket FROM t),
j AS (
  SELECT e.customer_id, e.ts AS end_ts, e.is_open, e.value, tb.elem, tb.ts,
         DATE_DIFF('second', tb.ts, e.ts) / 86400.0 AS age
  FROM e JOIN tb ON tb.customer_id = e.customer_id AND tb.bucket = e.bucket
   AND (tb.ts < e.ts OR ((:touch_at_order OR e.is_open = 1) AND tb.ts = e.ts))
   AND tb.ts >= e.ts - to_days(CAST(:lookback AS INTEGER))
   AND (e.prev_ts IS NULL OR tb.ts > e.prev_ts)
   AND (e.is_open = 0 OR tb.ts >= :start)
)"""

_SCORED = """
channels AS (
  SELECT elem, CAST(ROW_NUMBER() OVER (ORDER BY elem) - 1 AS INT) AS code FROM (SELECT DISTINCT elem FROM t) AS d
),
base AS (SELECT CAST(COUNT(*) + 1 AS DOUBLE) AS b FROM channels),
weighted AS (
  SELECT j.customer_id, j.end_ts, j.is_open, j.value, j.ts, channels.code, POWER(0.5, j.age / :half_life) AS w
  FROM j JOIN channels ON channels.elem = j.elem
),
scored AS (
  SELECT weighted.*, COUNT(*) OVER (PARTITION BY customer_id, end_ts, is_open) AS steps,
         w / SUM(w) OVER (PARTITION BY customer_id, end_ts, is_open) AS share,
         ROW_NUMBER() OVER (PARTITION BY customer_id, end_ts, is_open ORDER BY ts, code) AS pos
  FROM weighted
)"""

_RESULTS = """
numbered AS (
  SELECT is_open, ANY_VALUE(value) AS value, SUM((code + 1) * ROUND(POWER(base.b, pos - 1))) AS num
  FROM scored CROSS JOIN base WHERE POWER(base.b, steps) <= :exact
  GROUP BY customer_id, end_ts, is_open
),
listed AS (
  SELECT is_open, ANY_VALUE(value) AS value,
         {listed_path} AS path
  FROM scored CROSS JOIN base WHERE POWER(base.b, steps) > :exact
  GROUP BY customer_id, end_ts, is_open
),
path_counts AS (
  SELECT CAST(NULL AS {path_type}) AS path, num, SUM(1 - is_open) AS conversions, SUM(value) AS value,
         SUM(is_open) AS nulls
  FROM numbered GROUP BY num
  UNION ALL
  SELECT path, CAST(NULL AS DOUBLE) AS num, SUM(1 - is_open) AS conversions, SUM(value) AS value,
         SUM(is_open) AS nulls
  FROM listed GROUP BY path
),
decay AS (
  SELECT code, SUM(share) AS conversions, SUM(share * value) AS revenue FROM scored WHERE is_open = 0 GROUP BY code
),
totals AS (SELECT COUNT(*) AS orders, SUM(value) AS revenue FROM o)
SELECT 'path' AS kind, path, CAST(num AS DOUBLE) AS n, CAST(NULL AS VARCHAR) AS channel,
       CAST(conversions AS DOUBLE) AS a, CAST(value AS DOUBLE) AS b, CAST(nulls AS DOUBLE) AS c FROM path_counts
UNION ALL
SELECT 'decay' AS kind, CAST(NULL AS {path_type}) AS path, CAST(code AS DOUBLE) AS n, CAST(NULL AS VARCHAR) AS channel,
       CAST(conversions AS DOUBLE) AS a, CAST(revenue AS DOUBLE) AS b, CAST(NULL AS DOUBLE) AS c FROM decay
UNION ALL
SELECT 'channel' AS kind, CAST(NULL AS {path_type}) AS path, CAST(code AS DOUBLE) AS n, elem AS channel,
       CAST(NULL AS DOUBLE) AS a, CAST(NULL AS DOUBLE) AS b, CAST(NULL AS DOUBLE) AS c FROM channels
UNION ALL
SELECT 'orders' AS kind, CAST(NULL AS {path_type}) AS path, CAST(NULL AS DOUBLE) AS n, CAST(NULL AS VARCHAR) AS channel,
       CAST(orders AS DOUBLE) AS a, CAST(revenue AS DOUBLE) AS b, CAST(NULL AS DOUBLE) AS c FROM totals"""

_AS_TEXT = {"listed_path": "ARRAY_TO_STRING(ARRAY_AGG(CAST(code AS VARCHAR) ORDER BY ts, code), ',')",
            "path_type": "VARCHAR"}
_AS_LIST = {"listed_path": "ARRAY_AGG(code ORDER BY ts, code)", "path_type": "INT[]"}
"""How a long journey travels: its codes joined into text (every column plain, so DuckDB hands
the answer over column by column), or, when a text was cut at the warehouse's cell limit
(thousands of touches in one journey), as a list (fetched as rows)."""

CUT = "…"
"""The warehouse layer ends a text cell it cut (``resource_limits.MAX_CELL_CHARS``) with this;
codes joined by commas never do."""

EXACT = float(2**50)
"""A journey is fetched as one number (base: channels + 1) while it stays below this: every
partial sum is then an integer a double holds exactly, on any engine."""

_BOUNDS = "SELECT MIN(CAST({o_time} AS DATE)) AS lo, MAX(CAST({o_time} AS DATE)) AS hi FROM {T_o}"


@dataclass(frozen=True)
class Params:
    """What journeys depend on besides the data and the period (kept journeys are keyed by it)."""

    lookback_days: int
    half_life_days: float
    by: str
    touch_at_order: bool


@dataclass(frozen=True)
class Journeys:
    """What the warehouse gave: the path table, real-time time decay, order totals."""

    paths: pd.DataFrame
    time_decay: pd.DataFrame
    orders: int
    revenue: float
    orders_with_journey: int
    start: date
    end: date
    kept: Any = None
    """``kept.Kept`` when the journeys came from genbi's kept journey files, else None."""


def _slots(source: RoleSource, by: str) -> dict[str, str]:
    slots = {
        "T_o": "order_entity", "o_id": "order_id", "o_cust": "order_customer",
        "o_time": "order_time", "o_rev": "order_revenue",
        "T_t": "touchpoint_entity", "t_cust": "touchpoint_customer", "t_time": "touchpoint_time",
    }
    source.same_table("order_id", "order_customer", "order_time", "order_revenue")
    if by == "campaign":
        slots["t_elem"] = "touchpoint_campaign"
        if source.has("campaign_name"):
            slots.update(T_c="campaign_entity", c_id="campaign_id", c_name="campaign_name")
    else:
        slots["t_elem"] = "touchpoint_channel"
    source.same_table(*(r for k, r in slots.items() if k.startswith("t_")))
    return slots


def fetch_journeys(
    source: RoleSource,
    *,
    start: date | None,
    end: date | None,
    lookback_days: int,
    half_life_days: float,
    by: str = "channel",
    touch_at_order: bool = False,
) -> Journeys:
    """Run the journey SQL (one statement) and return what the models need.

    ``touch_at_order``: a touch at the very time of the order belongs to its journey (a touch
    log marks the converting touch itself)."""
    slots = _slots(source, by)
    touches = _TOUCHES_CAMPAIGN if "c_name" in slots else _TOUCHES_CHANNEL
    found = _kept(source, slots, start, end, touches, Params(lookback_days, half_life_days, by, touch_at_order))
    if found is not None:
        return found
    if start is None or end is None:
        bounds = source.query(_BOUNDS, {"T_o": "order_entity", "o_time": "order_time"})
        lo, hi = bounds.iloc[0]["lo"], bounds.iloc[0]["hi"]
        if pd.isna(lo):
            raise ToolError("There are no orders in the warehouse to attribute.")
        start = start or pd.Timestamp(lo).date()
        end = end or pd.Timestamp(hi).date()
    if end < start:
        raise ToolError(f"The end date {end} is before the start date {start}.")
    touch_from = start - timedelta(days=lookback_days)
    anchor = datetime.combine(touch_from, time())
    values = {
        "start": start,
        "end_excl": end + timedelta(days=1),
        "order_from": touch_from,
        "touch_from": touch_from,
        "anchor": anchor,
        "width": float(lookback_days * 86400),
        "lookback": lookback_days,
        "touch_at_order": touch_at_order,
        "half_life": float(half_life_days),
        "exact": EXACT,
    }
    from . import stream

    if stream.usable(source, slots, anchor):
        found = _from_stream(source, slots, touches, values, start, end)
        if found is not None:
            return found
    sql = "WITH " + ",".join([_ORDERS, touches, _ENDS, _JOIN, _SCORED, _RESULTS])
    raw = source.query_columns(_with_paths(sql, _AS_TEXT), slots, **values)
    texts = raw.loc[raw["path"].notna(), "path"]
    if texts.str.endswith(CUT).any():  # a journey of thousands of touches, cut at the cell limit
        raw = source.query(_with_paths(sql, _AS_LIST), slots, **values)
    kind = raw["kind"]
    codes = raw[kind == "channel"]
    names = np.empty(len(codes), dtype=object)
    names[codes["n"].to_numpy(dtype=np.int64)] = codes["channel"].to_numpy(dtype=object)
    part = raw[kind == "path"]
    paths = _path_table([(part, names)])
    decay_rows = raw[kind == "decay"]
    decay = (pd.DataFrame({"channel": names[decay_rows["n"].to_numpy(dtype=np.int64)],
                           "conversions": decay_rows["a"].astype(float).to_numpy(),
                           "revenue": decay_rows["b"].astype(float).to_numpy()})
             .sort_values("channel", kind="stable").reset_index(drop=True))
    totals = raw[kind == "orders"].iloc[0]
    return Journeys(
        paths=paths,
        time_decay=decay,
        orders=int(totals["a"]),
        revenue=float(np.nan_to_num(float(totals["b"]))),
        orders_with_journey=int(part["a"].sum()),
        start=start,
        end=end,
    )


def _from_stream(source: RoleSource, slots: dict[str, str], touches: str, values: dict[str, Any], start: date,
                 end: date) -> Journeys | None:
    """The journeys from one ordered read of touches and orders (``stream``; DuckDB with
    integer customer keys), or None when the read's customer key turned out not to be one."""
    from . import stream

    found = stream.summarize(source, slots, touches, values, start_us=stream.anchor_us(values["anchor"], start),
                             epoch_day=0, exact=EXACT)
    if found is None:
        return None
    names, summary = found
    part = stream.path_rows(summary, by_day=False)
    decay_rows = stream.decay_total(summary, by_day=False)
    decay = (pd.DataFrame({"channel": names[decay_rows["n"].to_numpy(dtype=np.int64)],
                           "conversions": decay_rows["a"].astype(float).to_numpy(),
                           "revenue": decay_rows["b"].astype(float).to_numpy()})
             .sort_values("channel", kind="stable").reset_index(drop=True))
    totals = source.query_columns(stream._TOTALS.format(orders_all=stream._ORDERS_ALL.strip(), day="0"), slots,
                                  **values)
    return Journeys(
        paths=_path_table([(part, names)]),
        time_decay=decay,
        orders=int(totals["orders"].sum()),
        revenue=float(np.nan_to_num(float(totals["revenue"].sum()))),
        orders_with_journey=int(part["a"].sum()),
        start=start,
        end=end,
    )


def _kept(source: RoleSource, slots: dict[str, str], start: date | None, end: date | None, touches: str,
          params: Params) -> Journeys | None:
    """The journeys from genbi's kept journey files when they can be kept for this source."""
    from .kept import kept_journeys, store_folder

    folder = store_folder(source, slots, params)
    if folder is None:
        return None
    return kept_journeys(source, folder, slots, params, start=start, end=end, touches=touches)


def _with_paths(sql: str, form: dict[str, str]) -> str:
    """``sql`` with a long journey's form filled in (the role slots stay for ``render``)."""
    for name, text in form.items():
        sql = sql.replace("{" + name + "}", text)
    return sql


def _path_table(parts: Sequence[tuple[pd.DataFrame, np.ndarray]]) -> pd.DataFrame:
    """Fetched path rows as a path table (``models.path_table``'s form: sorted by path).

    Each part is path rows (``n``: a journey as a number, ``path``: as codes joined by commas;
    ``a``, ``b``, ``c``: conversions, value, non-converting journeys) with its own channel
    names by code. A journey fetched as a number has the digits ``code + 1`` in base
    ``channels + 1`` (first touch lowest). Every part becomes a table of digits over the names
    of all parts (0 past a path's end), sorted with ``lexsort`` by the names' own order, so
    equal paths are neighbours (summed once; the rows of one fetch are distinct paths already)
    and the tuples are built once, in order."""
    names = np.unique(np.concatenate([np.asarray(n, dtype=object).astype(str) for _, n in parts]))
    tables, sums = [], []
    for part, own in parts:
        digits = _digits(part, len(own) + 1)
        merged = np.zeros(len(own) + 1, dtype=np.int64)  # own code + 1 -> merged code + 1
        merged[1:] = np.searchsorted(names, np.asarray(own, dtype=object).astype(str)) + 1
        tables.append(merged[digits])
        sums.append(np.stack([part[c].astype(float).fillna(0.0).to_numpy() for c in ("a", "b", "c")], axis=1))
    width = max(t.shape[1] for t in tables)
    table = np.concatenate([np.pad(t, ((0, 0), (0, width - t.shape[1]))) for t in tables])
    order = np.lexsort(table.T[::-1])
    table, summed = table[order], np.concatenate(sums)[order]
    if len(parts) > 1 and len(table) > 1:
        first = np.r_[True, (table[1:] != table[:-1]).any(axis=1)]
        table, summed = table[first], np.add.reduceat(summed, np.flatnonzero(first), axis=0)
    lengths = (table > 0).sum(axis=1)
    paths = np.empty(len(table), dtype=object)
    lookup = np.concatenate([np.array([""], dtype=object), names.astype(object)])
    for length in np.unique(lengths):
        rows = np.flatnonzero(lengths == length)
        paths[rows] = list(zip(*(lookup[table[rows, i]] for i in range(length)), strict=True))
    frame = pd.DataFrame({"path": pd.Series(paths, dtype=object)})
    for index, column in enumerate(("conversions", "value", "nulls")):
        frame[column] = summed[:, index]
    return frame


def _digits(part: pd.DataFrame, base: int) -> np.ndarray:
    """The part's paths as rows of digits ``code + 1`` (first touch first, 0 past the end)."""
    numbers = part["n"].to_numpy(dtype=float)
    coded = ~np.isnan(numbers)
    remaining = np.where(coded, numbers, 0.0).astype(np.int64)
    columns = []
    while remaining.any():
        columns.append(remaining % base)
        remaining //= base
    listed = [np.array(p.split(",") if isinstance(p, str) else p, dtype=np.int64) + 1
              for p in part["path"].to_numpy(dtype=object)[~coded]]
    table = np.zeros((len(part), max(len(columns), *map(len, listed), 1)), dtype=np.int64)
    if columns:
        table[:, :len(columns)] = np.stack(columns, axis=1)
    for row, digits in zip(np.flatnonzero(~coded), listed, strict=True):
        table[row, :len(digits)] = digits
    return table

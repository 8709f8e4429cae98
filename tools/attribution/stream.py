"""Journeys on DuckDB from one ordered read of touches and orders, assigned in NumPy.

The journey statement (``journeys``) joins every end (an order, or a customer's last touch
after their last order) to the touches in its lookback bucket, then sorts the joined touches
twice in a window pass (lengths and shares; positions) -- three sorts or hashes of millions of
rows, ~10 s of CPU on 1M customers. Tried in SQL, one ordered window over touches and orders
together cost more still (bench/tools_scale_results.md: DuckDB evaluates the framed aggregates
it needs with segment trees, and positions need a second window).

Here the warehouse does only what it is fast at: it reads touches and orders of a customer
together, sorted by (customer, time, touch before order, channel code, order id) -- by DuckDB,
or, for the packed key below, by NumPy after an unsorted fetch -- as NumPy columns. In that stream a touch's journey is the next order of its customer (the previous order
is the one before it, so a touch is never credited twice), or, after the customer's last order,
the customer's last touch (a non-converting journey). Every rule of the SQL is a comparison on
the touch's and its end's times: the lookback, the touch at the very time of an order (sorted
before it: kept only with ``touch_at_order``), the period's start. A journey's kept touches
are then one contiguous run of the stream, so positions, lengths, time-decay shares and path
numbers are cumulative sums and ``reduceat`` -- linear passes, no further sort.

Where (customer - lowest id, time in the coarsest unit every row uses, code) fits 53 bits -- 1M
customers over two years of whole seconds with a few channels take 50 -- DuckDB fetches one
packed number per row, unsorted, and NumPy sorts it (``_PACKED``, ``Packing``): less CPU on 1M
customers than DuckDB sorting three keys with their payload, or the one key; each chunk is
unpacked in NumPy. Rows equal
on the key are equal on the three keys, so the stream is the same, row for row.

Used where it answers exactly as the SQL does: DuckDB (the columnar read) and an integer
customer key (a boundary between customers is then one comparison of fetched numbers; a text
key would be a Python string per touch). Elsewhere ``journeys`` runs its statement.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from genbi.lazy import lazy_module

from ..roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

_CHANNELS = """
{touches}
SELECT elem, CAST(ROW_NUMBER() OVER (ORDER BY elem) - 1 AS INT) AS code FROM (SELECT DISTINCT elem FROM t) AS d"""

_EVENTS = """
{{orders_all}},
{{touches}},
channels AS (
  SELECT elem, CAST(ROW_NUMBER() OVER (ORDER BY elem) - 1 AS INT) AS code FROM (SELECT DISTINCT elem FROM t) AS d
),
events AS (
  {{coded}}
  UNION ALL
  SELECT customer_id, ts, :{order} AS k FROM o_all
)"""
"""Touches (their channel code) and orders (``order``: the parameter giving their code) of every
customer, one row each: what both reads below sort."""

_STREAM = _EVENTS.format(order="order_key") + """
SELECT CAST(customer_id AS DOUBLE) AS cust, CAST(DATE_DIFF('microsecond', :anchor, ts) AS DOUBLE) AS us, k
FROM events WHERE customer_id IS NOT NULL ORDER BY customer_id, ts, k"""
"""Touches (``k`` their channel code) and orders (``k`` = ``ORDER_KEY``, sorted after the
touches at the same time) of every customer in one order. Times travel as microseconds after
the anchor, customers as their ids: DOUBLEs, exact below 2**53 (``usable`` checks the ids)
and not numbers the result masking reads one by one (it would for ids of a phone number's
length, 14M Python ints, and mask those that look like one). Rows
that tie are alike (touches: the same channel at the same time; orders: nothing but their
time), so no order id is sorted on: the orders' values come apart (``_VALUES``), ordered by
order id within a tie as the statement's ``LAG`` orders them, so the first order of a tie is
the one whose journey it is. (A value column here would be NULL for every touch: ~15% more to
sort and fetch; a NULL sort key, e.g. an order id for touches, makes DuckDB's sort ~2.5x
slower.)"""

_BY_JOIN = "SELECT t.customer_id, t.ts, channels.code AS k FROM t JOIN channels ON channels.elem = t.elem"
_BY_LIST = "SELECT t.customer_id, t.ts, CAST(LIST_POSITION(:names, t.elem) - 1 AS INT) AS k FROM t"
"""How a touch gets its channel code: joined to the numbered channels, or, for a few channels,
looked up in their list (the names read just before, in code order). The join hashes 12M
texts on 1M customers (~0.35 s of CPU); the list lookup compares against a handful of
dictionary-encoded texts (~0.04 s). A channel the list lacks (added between the two reads)
comes as NULL, and the read is declined."""

LIST_CODES = 32
"""Channels looked up by list at most (each touch scans the list: hundreds of campaigns join)."""

_PACKED = _EVENTS.format(order="order_code") + """
SELECT CAST(((CAST(customer_id AS BIGINT) - :low) * :time_span + DATE_DIFF('microsecond', :anchor, ts) // :unit)
            * :code_span + k AS DOUBLE) AS key
FROM events WHERE customer_id IS NOT NULL"""
"""``_STREAM`` with its three sort keys packed into one number (``Packing``): (customer -
lowest id, time in whole units after the anchor, ``k``, orders after every channel code), below
2**53, fetched as a DOUBLE (exact below 2**53, and not a number the result masking reads one by
one: a BIGINT this large would be, 14M Python ints) in the tables' own order: ``read`` sorts
the keys in NumPy (``sort_keys``, on two threads). On 1M customers (14.3M keys) DuckDB's sort
of the BIGINT keys with the fetch cost ~1.7-1.8 s of CPU (two threads), the unsorted fetch
~0.4 s and NumPy's sort ~0.95 s on one thread (~0.6-0.85 s of wall time on two;
bench/tools_scale_results.md). Rows equal on the key are equal on (customer, time, code), so
the order of ties does not matter."""

_PACKING = """
SELECT * FROM (
  SELECT CAST(MIN(c) AS DOUBLE) AS t_low, CAST(MAX(c) AS DOUBLE) AS t_high, BIT_OR(r) AS t_us, BIT_OR(r % 1000) AS t_ms
  FROM (SELECT {t_cust} AS c, EPOCH_US(CAST({t_time} AS TIMESTAMP)) % 1000000 AS r FROM {T_t}) AS t
) AS tt CROSS JOIN (
  SELECT CAST(MIN(c) AS DOUBLE) AS o_low, CAST(MAX(c) AS DOUBLE) AS o_high, BIT_OR(r) AS o_us, BIT_OR(r % 1000) AS o_ms
  FROM (SELECT {o_cust} AS c, EPOCH_US(CAST({o_time} AS TIMESTAMP)) % 1000000 AS r FROM {T_o}) AS o
) AS oo"""
"""What packing needs: the customer ids' range and the finest time unit any row uses (whole
tables: a superset of the rows read), in one scan of each table (the remainder in milliseconds
is the one in seconds modulo 1000, signs alike). Ids travel as DOUBLEs, exact below 2**53 (``usable``),
as the stream's do: an id of a phone number's length would come masked as a number."""

KEY_BITS = 53
"""A packed key's bits at most: a DOUBLE holds every integer below 2**53 exactly."""

_VALUES = """
{orders_all}
SELECT value FROM o_all WHERE customer_id IS NOT NULL ORDER BY customer_id, ts, order_id"""

MAX_ROWS = 50_000_000
"""Touches and orders the stream reads at most: its columns take ~20 bytes a row in memory
(1 GB here), where the statement's joins and sorts spill to disk."""

CHUNK_ROWS = 1 << 20
"""Stream rows summed at a time (whole customers): a step's arrays then stay a few MB."""

ORDER_KEY = 2**30
"""``k`` of an order: above every channel code."""

_TOTALS = """
{orders_all}
SELECT {day} AS day, COUNT(*) AS orders, SUM(value) AS revenue FROM o_all WHERE ts >= :start GROUP BY 1"""

_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")

_ORDERS_ALL = """
WITH o_all AS (
  SELECT {o_id} AS order_id, {o_cust} AS customer_id, CAST({o_time} AS TIMESTAMP) AS ts,
         CAST({o_rev} AS DOUBLE) AS value
  FROM {T_o}
  WHERE {o_time} >= :order_from AND {o_time} < :end_excl
)"""


@dataclass(frozen=True)
class Packing:
    """How (customer, time, ``k``) pack into one key: ``((customer - low) * time_span +
    time // unit) * code_span + code``, time in microseconds after the anchor, an order's code
    ``order_code`` (above every channel's)."""

    low: int
    unit: int
    """Microseconds per time step: 1000000 when every time is a whole second, 1000 for whole
    milliseconds, else 1."""
    time_bits: int
    code_bits: int
    order_code: int

    @property
    def time_span(self) -> int:
        return 1 << self.time_bits

    @property
    def code_span(self) -> int:
        return 1 << self.code_bits

    def customer_steps(self) -> int:
        """Key steps from one customer to the next."""
        return 1 << (self.time_bits + self.code_bits)

    def unpack(self, key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A chunk of keys as the stream's columns: customer and microseconds (DOUBLEs) and
        ``k`` (``ORDER_KEY`` for an order)."""
        whole = key.astype(np.int64)
        k = (whole & (self.code_span - 1)).astype(np.int32)
        k[k == self.order_code] = ORDER_KEY
        us = ((whole >> self.code_bits) & (self.time_span - 1)).astype(np.float64)
        if self.unit != 1:
            us *= self.unit
        whole >>= self.time_bits + self.code_bits
        whole += self.low
        return whole.astype(np.float64), us, k

    def time_range(self, key: np.ndarray) -> tuple[float, float]:
        """The lowest and highest microseconds of a chunk of keys (exact: powers of two on
        integers below 2**53)."""
        steps = (key.astype(np.int64) >> self.code_bits) & (self.time_span - 1)
        return float(steps.min()) * self.unit, float(steps.max()) * self.unit


def packing(source: RoleSource, slots: dict[str, str], values: dict[str, Any], codes: int) -> Packing | None:
    """How this read packs into one key, or None when it needs more than ``KEY_BITS`` (many
    customers, microsecond times over a long window, thousands of campaigns)."""
    anchor = values["anchor"]
    if min(values["touch_from"], values["order_from"]) < anchor.date():
        return None  # a time before the anchor would pack below its customer
    found = source.query(_PACKING, slots).iloc[0]
    lows = [int(float(found[c])) for c in ("t_low", "o_low") if not pd.isna(found[c])]
    highs = [int(float(found[c])) for c in ("t_high", "o_high") if not pd.isna(found[c])]
    if not lows:
        return None
    low, high = min(lows), max(highs)

    def whole(column: str) -> bool:  # every time of the table a whole unit (or no time at all)
        return pd.isna(found[column]) or int(found[column]) == 0

    unit = 1_000_000 if whole("t_us") and whole("o_us") else 1000 if whole("t_ms") and whole("o_ms") else 1
    time_bits = (int(anchor_us(anchor, values["end_excl"])) // unit).bit_length()  # times < end_excl
    code_bits = codes.bit_length()  # codes 0 .. codes - 1, and the orders' code
    customer_bits = (high - low).bit_length()
    if customer_bits + time_bits + code_bits > KEY_BITS:
        return None
    return Packing(low=low, unit=unit, time_bits=time_bits, code_bits=code_bits, order_code=codes)


@dataclass(frozen=True)
class Assigned:
    """Every kept journey touch, journey by journey (first touch first), with what the
    results are summed from."""

    names: np.ndarray
    """Channel names by code (their rank by name, as the SQL numbers them)."""
    code: np.ndarray
    share: np.ndarray
    """Each touch's time-decay share of its journey."""
    touch_us: np.ndarray
    """Each touch's time, microseconds after the anchor."""
    starts: np.ndarray
    """Index of each journey's first touch."""
    is_open: np.ndarray
    """Per journey: a non-converting journey (no order after it). The converting journeys come
    first (``_converting``)."""
    value: np.ndarray
    """Per journey: its order's value (NaN for a NULL value; 0 for a non-converting one)."""
    end_us: np.ndarray
    """Per journey: its end's time (the order, or the customer's last touch)."""


def usable(source: RoleSource, slots: dict[str, str], anchor: datetime) -> bool:
    """Whether this source can take the stream read: a DuckDB warehouse with the columnar
    read, integer customer keys on both tables (below 2**53, exact as DOUBLEs), at most ``MAX_ROWS`` touches and orders (and
    no more than the tool may fetch), and times after 1970 (an age in seconds is
    then the floor of microseconds after the anchor on any DuckDB, which rounds times before
    1970 to seconds one way or the other by version)."""
    if not source.columnar or getattr(source.runner, "dialect", None) != "duckdb" or anchor < datetime(1970, 1, 1):
        return False
    found = source.query("SELECT (SELECT typeof({t_cust}) FROM {T_t} LIMIT 1) AS t, "
                         "(SELECT typeof({o_cust}) FROM {T_o} LIMIT 1) AS o, "
                         "(SELECT COUNT(*) FROM {T_t}) + (SELECT COUNT(*) FROM {T_o}) AS n", slots).iloc[0]
    kinds = [str(found[c] or "").upper() for c in ("t", "o")]
    if not all(k in _INTEGER_TYPES for k in kinds) or int(found["n"]) > min(MAX_ROWS, source.max_rows):
        return False
    ids = source.query("SELECT (SELECT MAX(ABS(CAST({t_cust} AS DOUBLE))) FROM {T_t}) AS t, "
                       "(SELECT MAX(ABS(CAST({o_cust} AS DOUBLE))) FROM {T_o}) AS o", slots).iloc[0]
    return all(pd.isna(ids[c]) or float(ids[c]) < 2.0**53 for c in ("t", "o"))


@dataclass(frozen=True)
class Stream:
    """The ordered read: the channel names by code, the orders' values in stream order, and
    the rows as three columns (``columns``: customer, microseconds, ``k``) or as packed keys
    (``key`` with its ``packing``), unpacked a chunk at a time."""

    names: np.ndarray
    value: np.ndarray
    columns: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    key: np.ndarray | None = None
    packing: Packing | None = None

    def __len__(self) -> int:
        return len(self.key) if self.key is not None else len(self.columns[0]) if self.columns else 0

    def chunk(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows ``a`` to ``b`` as (customer, microseconds, ``k``)."""
        if self.key is not None and self.packing is not None:
            return self.packing.unpack(self.key[a:b])
        assert self.columns is not None
        cust, us, k = self.columns
        return cust[a:b], us[a:b], k[a:b]

    def orders(self, a: int, b: int) -> int:
        """How many of rows ``a`` to ``b`` are orders."""
        if self.key is not None and self.packing is not None:
            code = self.key[a:b].astype(np.int64) & (self.packing.code_span - 1)
            return int(np.count_nonzero(code == self.packing.order_code))
        assert self.columns is not None
        return int(np.count_nonzero(self.columns[2][a:b] == ORDER_KEY))

    def edges(self, chunk_rows: int) -> list[int]:
        """Chunk boundaries near every ``chunk_rows`` rows, each at a customer's first row."""
        n = len(self)
        at = np.arange(chunk_rows, n, chunk_rows)
        if self.key is not None and self.packing is not None:
            step = float(self.packing.customer_steps())
            found = np.searchsorted(self.key, np.floor(self.key[at] / step) * step)  # exact: below 2**53
        else:
            assert self.columns is not None
            cust = self.columns[0]
            found = np.searchsorted(cust, cust[at])
        return [int(e) for e in np.unique(np.r_[0, found, n])]

    def time_range(self, edges: list[int]) -> tuple[float, float]:
        """The lowest and highest microseconds of the rows (a pass over chunks, when packed)."""
        if self.key is None:
            assert self.columns is not None
            return float(self.columns[1].min()), float(self.columns[1].max())
        assert self.packing is not None
        times = [self.packing.time_range(self.key[a:b]) for a, b in itertools.pairwise(edges)]
        return min(t[0] for t in times), max(t[1] for t in times)


def read(source: RoleSource, slots: dict[str, str], touches: str, values: dict[str, Any]) -> Stream | None:
    """The stream of touches and orders (``Stream``), packed into one sort key where it fits
    (``packing``); None when a fetched column is not a plain number column after all, a
    channel lacks a code, or the orders changed between the reads."""
    names_frame = source.query_columns("WITH " + _CHANNELS.format(touches=touches.strip()), slots, **values)
    names = np.empty(len(names_frame), dtype=object)
    names[names_frame["code"].to_numpy(dtype=np.int64)] = names_frame["elem"].to_numpy(dtype=object)
    listed = len(names) <= LIST_CODES
    coded = {"names": [str(n) for n in names]} if listed else {}
    parts = {"orders_all": _ORDERS_ALL.strip(), "touches": touches.strip(), "coded": _BY_LIST if listed else _BY_JOIN}
    packed = packing(source, slots, values, len(names)) if len(names) else None
    found: Stream
    orders: int
    if packed is not None:
        fetched = source.column_arrays(source.render(
            _PACKED.format(**parts), slots, **values, **coded, low=packed.low, time_span=packed.time_span,
            unit=packed.unit, code_span=packed.code_span, order_code=packed.order_code))
        key = fetched["key"]
        if not isinstance(key, np.ndarray) or np.ma.isMaskedArray(key) or key.dtype.kind != "f":
            return None  # a NULL key: a channel the names lack (the data changed between the reads)
        key = sort_keys(key)  # see ``_PACKED``
        found = Stream(names, np.zeros(0), key=key, packing=packed)
        orders = -1  # counted chunk by chunk (``summarize``)
    else:
        fetched = source.column_arrays(source.render(_STREAM.format(**parts), slots, **values, **coded,
                                                     order_key=ORDER_KEY))
        cust, k = fetched["cust"], fetched["k"]
        if not isinstance(cust, np.ndarray) or np.ma.isMaskedArray(cust) or cust.dtype.kind != "f":
            return None
        if np.ma.isMaskedArray(k) or np.asarray(k).dtype.kind not in "iu":
            return None  # a channel the names lack: the data changed between the two reads
        k = np.asarray(k)
        found = Stream(names, np.zeros(0), columns=(cust, np.asarray(fetched["us"], dtype=np.float64), k))
        orders = int(np.count_nonzero(k == ORDER_KEY))
    value = source.column_arrays(source.render(_VALUES.format(orders_all=_ORDERS_ALL.strip()), slots,
                                               **values))["value"]
    value = np.ma.filled(value, np.nan) if np.ma.isMaskedArray(value) else np.asarray(value, dtype=np.float64)
    if orders >= 0 and len(value) != orders:
        return None  # the orders changed between the two reads
    return Stream(found.names, value, found.columns, found.key, found.packing)


PARALLEL_ROWS = 1 << 21
"""Rows from which the stream's sort and its chunks use two threads (``sort_keys``,
``summarize``): below, a thread's start costs more than it saves."""


def two_cores() -> bool:
    """Whether this process may run on two CPUs or more (its affinity, e.g. a container's
    CPU set): on one, a second thread only adds hand-overs of the GIL."""
    available = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return len(available) >= 2


def sort_keys(key: np.ndarray) -> np.ndarray:
    """The packed keys sorted ascending, the same array ``ndarray.sort`` gives, on two threads.

    NumPy's sort releases the GIL but runs on one core, while the scan it is measured against
    runs on DuckDB's threads. A pivot from a sample of the keys splits them into the keys below
    it and the rest (equal keys on one side); each part is copied out and sorted in its own
    thread, and the two are written back one after the other -- the whole sorted, with no
    merge. On 1M customers (14.3M keys, bench/tools_scale_results.md) ~0.3 s less wall time
    for ~0.1 s more CPU. A key that compares to nothing (NaN) falls on neither side: then
    one sort of the whole."""
    if not key.flags.writeable:
        key = key.copy()
    if len(key) < PARALLEL_ROWS or not two_cores():
        key.sort()
        return key
    from concurrent.futures import ThreadPoolExecutor

    sample = np.sort(key[::len(key) // 4096])
    pivot = sample[len(sample) // 2]

    def part(lower: bool) -> np.ndarray:
        found = key[key < pivot] if lower else key[key >= pivot]
        found.sort()
        return found

    with ThreadPoolExecutor(2, thread_name_prefix="genbi-sort") as pool:
        low, high = pool.map(part, (True, False))
    if len(low) + len(high) != len(key):
        key.sort()
        return key
    key[:len(low)] = low
    key[len(low):] = high
    return key


def _assign(names: np.ndarray, cust: np.ndarray, us: np.ndarray, k: np.ndarray, value: np.ndarray,
            values: dict[str, Any], start_us: float, open_end_us: float | None, with_orders: bool) -> Assigned:
    """One chunk's journeys (whole customers): the converting ones (when ``with_orders``), then
    the non-converting ones (see ``summarize``).

    A touch's next order is the order after the orders counted before it (``np.cumsum``), its
    own customer's when that order's customer is the touch's: no per-customer arrays. Few
    arrays of the stream's length are made (each costs page faults on first use, which on a
    million customers' 14M rows weigh as much as the arithmetic)."""
    lookback_us = float(values["lookback"]) * 86400e6
    is_order = k == ORDER_KEY
    at = np.flatnonzero(is_order)
    nxt: np.ndarray[Any, np.dtype[np.integer[Any]]] = np.cumsum(  # a touch's next order's number
        is_order, dtype=np.int32 if len(k) < 2**31 else np.int64)
    has = nxt < len(at)
    if len(at):
        np.minimum(nxt, len(at) - 1, out=nxt)
        has &= np.take(cust[at], nxt) == cust
        end = np.take(us[at], nxt)
    else:
        end = np.zeros(len(us))
    has &= ~is_order  # a touch with an order of its own customer after it
    codes, touch_us, end_us, steps_of, opened, worth = [], [], [], [], [], []
    if with_orders:
        gap = np.subtract(us, end)
        conv = has & (end >= start_us) & (gap >= -lookback_us)
        if not values["touch_at_order"]:
            conv &= gap < 0  # at the very time of its order, sorted before it: in no journey
        del gap
        found = np.flatnonzero(conv)
        del conv
        key = nxt[found]
        first = np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, dtype=bool)
        codes.append(k[found])
        touch_us.append(us[found])
        end_us.append(end[found])
        steps_of.append(np.diff(np.r_[np.flatnonzero(first), len(key)]))
        opened.append(np.zeros(int(first.sum()), dtype=bool))
        worth.append(value[key[first]])
    if open_end_us is None:
        candidate = ~is_order & ~has
    else:
        candidate = ~is_order & (us < open_end_us) & ~(has & (end < open_end_us))
    del has, end, nxt
    found = np.flatnonzero(candidate)  # per customer, the touches after their last order (before the open end)
    del candidate
    fc = cust[found]
    change = fc[1:] != fc[:-1]
    run = np.cumsum(np.r_[True, change]) - 1 if len(found) else found
    f_us = us[found]
    end_o = f_us[np.flatnonzero(np.r_[change, True])[run]] if len(found) else f_us
    ok = (end_o >= start_us) & (f_us >= end_o - lookback_us) & (f_us >= start_us)
    kept = found[ok]
    run = run[ok]
    first = np.r_[True, run[1:] != run[:-1]] if len(run) else np.zeros(0, dtype=bool)
    codes.append(k[kept])
    touch_us.append(f_us[ok])
    end_us.append(end_o[ok])
    steps_of.append(np.diff(np.r_[np.flatnonzero(first), len(run)]))
    opened.append(np.ones(int(first.sum()), dtype=bool))
    worth.append(np.zeros(int(first.sum())))
    t_us, e_us, steps = np.concatenate(touch_us), np.concatenate(end_us), np.concatenate(steps_of)
    age = (np.floor(e_us / 1e6) - np.floor(t_us / 1e6)) / 86400.0  # the SQL's DATE_DIFF('second') / 86400.0
    w = np.power(0.5, age / float(values["half_life"]))
    starts = np.r_[0, np.cumsum(steps)[:-1]].astype(np.int64) if len(steps) else np.zeros(0, dtype=np.int64)
    sums = np.add.reduceat(w, starts) if len(starts) else np.zeros(0)
    return Assigned(names=names, code=np.concatenate(codes).astype(np.int64), share=w / np.repeat(sums, steps),
                    touch_us=t_us, starts=starts, is_open=np.concatenate(opened),
                    value=np.concatenate(worth).astype(np.float64), end_us=e_us[starts])


def path_numbers(assigned: Assigned, exact: float) -> tuple[np.ndarray, np.ndarray]:
    """Per journey: its path as a number (digits code + 1 in base channels + 1, first touch
    lowest; NaN when too long for ``exact``) and its length."""
    starts, code = assigned.starts, assigned.code
    steps = np.diff(np.r_[starts, len(code)])
    base = float(len(assigned.names) + 1)
    powers = np.power(base, np.arange(64, dtype=float))
    short = steps < len(powers)
    short[short] = powers[steps[short]] <= exact
    pos = np.arange(len(code)) - np.repeat(starts, steps)
    terms = (code + 1) * powers[np.minimum(pos, len(powers) - 1)]
    numbers = np.add.reduceat(terms, starts) if len(starts) else np.zeros(0)
    return np.where(short, numbers, np.nan), steps


def path_texts(assigned: Assigned, rows: np.ndarray) -> list[str]:
    """The journeys ``rows`` as their codes joined by commas (first touch first)."""
    starts, code = assigned.starts, assigned.code
    ends = np.r_[starts[1:], len(code)]
    return [",".join(map(str, code[starts[r]:ends[r]].tolist())) for r in rows]


def anchor_us(anchor: datetime, at: date | datetime) -> float:
    """``at`` as microseconds after ``anchor`` (the stream's time unit)."""
    moment = at if isinstance(at, datetime) else datetime.combine(at, datetime.min.time())
    delta = moment - anchor
    return float((delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds)


@dataclass
class Summary:
    """What the results are summed from, chunk by chunk: per journey its path (a number, or
    NaN with its codes as text in ``texts``), whether it is open, its value and its end's day;
    the time-decay rows; with ``touches``, every non-converting journey's touches."""

    numbers: list[np.ndarray]
    is_open: list[np.ndarray]
    value: list[np.ndarray]
    day: list[np.ndarray]
    texts: dict[int, str]
    decay: np.ndarray
    """Time-decay sums of the converting journeys by (end day - ``first_day``) x ``width`` +
    code: shares, shares x value, values not NULL, touches."""
    first_day: int
    width: int
    """Channels + 1."""
    touches: list[pd.DataFrame]
    journeys: int = 0
    _joined: _Journeys | None = None
    _opened: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    _labelled: Labelled | None = None

    def joined(self) -> _Journeys:
        """The per-journey columns of every chunk, concatenated once (each array of a million
        customers' journeys is new memory, whose page faults cost as much as the summing)."""
        if self._joined is None:
            self._joined = _Journeys(
                np.concatenate(self.numbers) if self.numbers else np.zeros(0),
                np.concatenate(self.is_open) if self.is_open else np.zeros(0, dtype=bool),
                np.concatenate(self.value) if self.value else np.zeros(0),
                np.concatenate(self.day) if self.day else np.zeros(0))
        return self._joined

    def labelled(self) -> Labelled:
        """Every journey's path number factorized once (a journey kept as text: -1), for the
        building run's per-day rows and its answer alike: one hash of ~3M numbers on 1M
        customers instead of one per grouping."""
        if self._labelled is None:
            group, found = pd.factorize(self.joined().numbers)  # NaN -> -1
            self._labelled = Labelled(group.astype(np.int64), np.asarray(found, dtype=float))
        return self._labelled

    def open_touches(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The open journeys' touches kept (``keep_touches``) as int64 (journey, day, code)
        arrays, journey by journey, first touch first; concatenated once."""
        if self._opened is None:
            self._opened = tuple(  # type: ignore[assignment]
                np.concatenate([t[c].to_numpy() for t in self.touches]).astype(np.int64) if self.touches
                else np.zeros(0, dtype=np.int64) for c in ("journey", "day", "code"))
        assert self._opened is not None
        return self._opened


def summarize(source: RoleSource, slots: dict[str, str], touches: str, values: dict[str, Any], *,
              start_us: float, epoch_day: int, exact: float, open_end_us: float | None = None,
              with_orders: bool = True, keep_touches: bool = False,
              chunk_rows: int | None = None) -> tuple[np.ndarray, Summary] | None:
    """Read the stream (``read``) and sum it chunk by chunk (whole customers per chunk: a
    journey never spans two), so the arrays made per step stay small and their memory is
    reused; the channel names by code and the summary, or None (see ``read``). From
    ``PARALLEL_ROWS`` rows the chunks are made on two threads (``_part``: each from its rows
    alone, its orders' values located by counting the orders of the chunks before it) and
    added to the summary in chunk order, so every sum adds the same numbers in the same order
    as one thread does.

    ``start_us``: orders from this time on are ends, and a non-converting journey's end and
    touches are at or after it; ``open_end_us``: non-converting journeys are the customers'
    touches before this time and after their last order before it (default: the whole stream);
    ``with_orders``: converting journeys too; ``keep_touches``: keep the non-converting
    journeys' touches (journey, day, code; journey by journey, first touch first) for genbi's
    kept files. ``epoch_day``: the anchor's day number (days since 1970-01-01), for days of
    ends and touches."""
    found = read(source, slots, touches, values)
    if found is None:
        return None
    names, value = found.names, found.value
    edges = found.edges(chunk_rows or CHUNK_ROWS)
    low, high = found.time_range(edges) if len(found) else (0.0, 0.0)
    first_day = epoch_day + int(np.floor(low / 86400e6))
    days = epoch_day + int(np.floor(high / 86400e6)) - first_day + 1
    summary = Summary([], [], [], [], {}, np.zeros((4, days * (len(names) + 1))), first_day, len(names) + 1, [])
    chunks = list(itertools.pairwise(edges))
    threads = 2 if len(found) >= PARALLEL_ROWS and len(chunks) > 1 and two_cores() else 1
    with _pool(threads) as pool:
        done = np.r_[0, np.cumsum(list(pool.map(lambda ab: found.orders(*ab), chunks)))]
        if done[-1] != len(value):
            return None  # the orders changed between the reads

        def part(index: int) -> _Part:
            a, b = chunks[index]
            cust, us, k = found.chunk(a, b)
            assigned = _assign(names, cust, us, k, value[done[index]:done[index + 1]], values, start_us, open_end_us,
                               with_orders)
            return _part(summary, assigned, exact, epoch_day, keep_touches)

        for made in pool.map(part, range(len(chunks))):  # in chunk order: the same sums as one thread's
            _add(summary, made)
    return names, summary


@contextlib.contextmanager
def _pool(threads: int) -> Iterator[Any]:
    """A pool of ``threads`` threads for the chunks (NumPy releases the GIL in its array
    passes, so two chunks run on two cores), or, for one, ``map`` in this thread."""
    if threads <= 1:
        yield _Inline()
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(threads, thread_name_prefix="genbi-journeys") as pool:
        yield pool


class _Inline:
    """``ThreadPoolExecutor.map`` run lazily in the calling thread."""

    @staticmethod
    def map(function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return map(function, items)


@dataclass(frozen=True)
class _Part:
    """One chunk's journeys as ``_add`` adds them to the summary: made from the chunk alone
    (its journeys numbered from 0), so chunks can be made on two threads and added in order."""

    numbers: np.ndarray
    is_open: np.ndarray
    value: np.ndarray
    day: np.ndarray
    texts: dict[int, str]
    decay: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    touches: pd.DataFrame | None


def _part(summary: Summary, assigned: Assigned, exact: float, epoch_day: int, keep_touches: bool) -> _Part:
    """A chunk's journeys, what ``_add`` adds (journeys numbered from 0 within the chunk)."""
    numbers, steps = path_numbers(assigned, exact)
    long = np.flatnonzero(np.isnan(numbers))
    day = epoch_day + np.floor(assigned.end_us / 86400e6)
    touches = None
    if keep_touches:
        journeys, first = _converting(assigned)
        touches = pd.DataFrame({
            "journey": journeys + np.repeat(np.arange(len(steps) - journeys), steps[journeys:]),
            "day": epoch_day + np.floor(assigned.touch_us[first:] / 86400e6), "code": assigned.code[first:]})
    return _Part(numbers, assigned.is_open, assigned.value, day,
                 dict(zip(long.tolist(), path_texts(assigned, long), strict=True)),
                 _decay(summary, assigned, day - summary.first_day), touches)


def _add(summary: Summary, part: _Part) -> None:
    """Add a chunk's journeys to the summary (journeys numbered on from the chunks before)."""
    summary.texts.update({summary.journeys + r: text for r, text in part.texts.items()})
    summary.numbers.append(part.numbers)
    summary.is_open.append(part.is_open)
    summary.value.append(part.value)
    summary.day.append(part.day)
    for sums, added in zip(summary.decay, part.decay, strict=True):
        sums += added
    if part.touches is not None:
        part.touches["journey"] += summary.journeys
        summary.touches.append(part.touches)
    summary.journeys += len(part.numbers)


def _converting(assigned: Assigned) -> tuple[int, int]:
    """How many of the chunk's journeys convert, and their touches: ``_assign`` puts them
    first, so they are a slice (no mask of the chunk's length to build and apply)."""
    journeys = len(assigned.is_open) - int(np.count_nonzero(assigned.is_open))
    return journeys, int(assigned.starts[journeys]) if journeys < len(assigned.starts) else len(assigned.code)


def path_rows(summary: Summary, by_day: bool, converting_only: bool = False) -> pd.DataFrame:
    """Path rows as the SQL returns them (``n`` a path's number or ``path`` its codes as text,
    ``a`` conversions, ``b`` value, ``c`` non-converting journeys), one per distinct path (and
    end day, with ``by_day``), over every journey or the converting ones."""
    journeys = summary.joined()
    numbered = np.flatnonzero(~np.isnan(journeys.numbers) & ~journeys.is_open if converting_only
                              else ~np.isnan(journeys.numbers))
    listed = np.array(sorted(summary.texts), dtype=np.int64)
    if converting_only:
        listed = listed[~journeys.is_open[listed]]
    texts = np.array([summary.texts[r] for r in listed.tolist()], dtype=object)
    return _grouped_rows(journeys, ((numbered, summary.labelled().of(numbered)), (listed, texts)), by_day)


def period_rows(summary: Summary, first_day: int, last_day: int) -> pd.DataFrame:
    """``path_rows(by_day=False)`` of the period from ``first_day`` to ``last_day`` (day
    numbers) out of a summary built from an earlier start with the open journeys' touches kept
    (``keep_touches``): the converting journeys whose end day is in the period, and the open
    journeys cut at ``first_day`` (their touches before it dropped, a journey left with none
    gone) -- the journeys a read started at ``first_day`` makes, as ``kept`` cuts them from
    its files. Only the few open journeys with a touch before the start are numbered again."""
    journeys = summary.joined()
    numbers, texts = journeys.numbers, summary.texts
    keep = journeys.is_open | ((journeys.days >= first_day) & (journeys.days <= last_day))
    owner, day, code = summary.open_touches()
    early = day < first_day
    cut = np.unique(owner[early]) if early.any() else np.zeros(0, dtype=np.int64)
    again, again_numbers = np.zeros(0, dtype=np.int64), np.zeros(0)
    again_texts: dict[int, str] = {}
    if len(cut):  # open journeys with a touch before the start: numbered again from the rest
        keep[cut] = False
        mine = np.isin(owner, cut) & ~early
        again, again_numbers, again_texts = journey_numbers(owner[mine], code[mine], summary.width)
        keep[again] = True
    numbered = np.flatnonzero(keep & ~np.isnan(numbers))
    labels = summary.labelled().of(numbered)
    if len(again):
        short = ~np.isnan(again_numbers)
        numbered = np.union1d(numbered, again[short])  # sorted: journey order
        labels = summary.labelled().of(numbered, again=(np.searchsorted(numbered, again[short]), again_numbers[short]))
        long_rows = set(again[~short].tolist())
    else:
        long_rows = set()
    cut_rows = set(cut.tolist())
    listed = np.array(sorted({r for r in texts if keep[r] and r not in cut_rows} | long_rows), dtype=np.int64)
    listed_texts = np.array([again_texts[r] if r in again_texts else texts[r] for r in listed.tolist()], dtype=object)
    return _grouped_rows(journeys, ((numbered, labels), (listed, listed_texts)), by_day=False)


def journey_numbers(owner: np.ndarray, code: np.ndarray, base: int) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """Touches (ordered by journey, then position; ``owner`` their journey) as each journey's
    path number (digits code + 1 in ``base``, first touch lowest; NaN when too long for
    ``EXACT``, its codes then as text): the journeys, their numbers, the texts by journey."""
    from .journeys import EXACT

    if len(owner) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0), {}
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    steps = np.diff(np.r_[starts, len(owner)])
    position = np.arange(len(owner)) - np.repeat(starts, steps)
    short = np.power(float(base), steps) <= EXACT  # the SQL's rule: POWER(b, steps) <= exact
    powers = np.power(float(base), np.where(np.repeat(short, steps), position, 0))
    numbers = np.where(short, np.add.reduceat((code.astype(np.int64) + 1) * powers, starts), np.nan)
    texts = {int(owner[starts[g]]): ",".join(map(str, code[starts[g]:starts[g] + steps[g]].tolist()))
             for g in np.flatnonzero(~short)}
    return owner[starts], numbers, texts


@dataclass(frozen=True)
class Labelled:
    """Path numbers already factorized (``Summary.labelled``): each journey's group (-1 for a
    path kept as text) and each group's number; ``of`` selects journeys."""

    group: np.ndarray
    found: np.ndarray

    def of(self, rows: np.ndarray, again: tuple[np.ndarray, np.ndarray] | None = None) -> Labelled:
        """The groups of journeys ``rows``; ``again``: (positions in ``rows``, their new numbers)
        for journeys numbered again (cut at a start), grouped with the equal numbers."""
        group = self.group[rows]
        if again is None or len(again[0]) == 0:
            return Labelled(group, self.found)
        at, numbers = again
        known = pd.Index(self.found).get_indexer(numbers)
        new, extra = pd.factorize(numbers[known < 0])
        known[known < 0] = len(self.found) + new
        group[at] = known
        return Labelled(group, np.r_[self.found, np.asarray(extra, dtype=float)])


@dataclass(frozen=True)
class _Journeys:
    """A summary's per-journey columns, concatenated."""

    numbers: np.ndarray
    is_open: np.ndarray
    value: np.ndarray
    days: np.ndarray



def _grouped_rows(journeys: _Journeys, selections: tuple[tuple[np.ndarray, np.ndarray | Labelled], ...],
                  by_day: bool) -> pd.DataFrame:
    """Path rows of the journeys selected (each selection: journey rows, in journey order, and
    their labels: path numbers already grouped (``Labelled``), or texts), one per distinct label
    (and end day, with ``by_day``); sums add the journeys in journey order. (The order of the
    rows follows the groups': ``journeys._path_table`` sorts them by path.)"""
    is_open, value, days = journeys.is_open, journeys.value, journeys.days
    parts = []
    for rows, labels in selections:
        if len(rows) == 0:
            continue
        if isinstance(labels, Labelled):
            group, found = labels.group, labels.found
        else:
            group, found = pd.factorize(labels)
        day = None
        if by_day:  # (day, path) pairs as one integer: a hash of numbers, not of tuples
            when = days[rows].astype(np.int64)
            low = int(when.min())
            group, pairs = pd.factorize((when - low) * len(found) + group)
            day, found = low + pairs // len(found), np.asarray(found)[pairs % len(found)]
        size = len(found)
        opened, worth = is_open[rows], value[rows]
        known = ~np.isnan(worth)
        summed = np.bincount(group, np.where(known, worth, 0.0), minlength=size)
        summed[np.bincount(group, known, minlength=size) == 0] = np.nan  # SUM of NULLs
        text = not isinstance(labels, Labelled) and labels.dtype == object
        part = pd.DataFrame({
            "n": np.full(size, np.nan) if text else np.asarray(found, dtype=float),
            "path": np.asarray(found, dtype=object) if text else np.full(size, None, dtype=object),
            "a": np.bincount(group, ~opened, minlength=size).astype(float),
            "b": summed,
            "c": np.bincount(group, opened, minlength=size).astype(float)})
        if day is not None:
            part.insert(0, "day", np.asarray(day, dtype=float))
        elif isinstance(labels, Labelled):  # groups of journeys not selected here
            part = part[np.bincount(group, minlength=size) > 0]
        parts.append(part)
    if not parts:
        empty = pd.DataFrame({"n": np.zeros(0), "path": np.zeros(0, dtype=object), "a": np.zeros(0),
                              "b": np.zeros(0), "c": np.zeros(0)})
        return empty.assign(day=np.zeros(0))[["day", *empty.columns]] if by_day else empty
    return pd.concat(parts, ignore_index=True)


def _decay(summary: Summary, assigned: Assigned, day: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                        np.ndarray]:
    """The chunk's converting journeys' time-decay credit, to add to the summary's sums by
    (day, code): shares, shares x value, values not NULL, touches; ``day`` per journey, counted
    from the summary's first day."""
    journeys, touches = _converting(assigned)
    steps = np.diff(np.r_[assigned.starts[:journeys], touches])
    value = np.repeat(assigned.value[:journeys], steps)
    share = assigned.share[:touches]
    key = np.repeat(day[:journeys].astype(np.int64), steps) * summary.width + assigned.code[:touches]
    known = ~np.isnan(value)
    size = summary.decay.shape[1]
    return (np.bincount(key, share, minlength=size), np.bincount(key, np.where(known, share * value, 0.0), minlength=size),
            np.bincount(key, known, minlength=size), np.bincount(key, minlength=size))


def decay_total(summary: Summary, by_day: bool, days: tuple[int, int] | None = None) -> pd.DataFrame:
    """Time-decay credit per code (and end day, with ``by_day``): ``n`` the code, ``a`` the
    shares, ``b`` shares x value (NaN where every value was NULL, as the SQL's SUM); only the
    pairs with a converting touch, as the SQL's GROUP BY. ``days``: only the converting
    journeys whose end day is in this range (day numbers, both ends included)."""
    assert days is None or not by_day
    sums = summary.decay.reshape(4, -1, summary.width)
    if days is not None:
        sums = sums[:, max(days[0] - summary.first_day, 0):max(days[1] - summary.first_day + 1, 0)]
    sums = summary.decay if by_day else sums.sum(axis=1)
    shares, worth, known, touches = sums
    found = np.flatnonzero(touches > 0)
    frame = pd.DataFrame({"n": (found % summary.width).astype(float), "a": shares[found],
                          "b": np.where(known[found] > 0, worth[found], np.nan)})
    if by_day:
        frame.insert(0, "day", (summary.first_day + found // summary.width).astype(float))
    return frame

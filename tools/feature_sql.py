"""The per-customer feature table as one SQL query, so a million customers stay in the warehouse.

``feature_query`` builds a SELECT with one row per customer who ordered on or before the
date: recency, frequency, monetary, tenure and AOV over all history; when the model has the
roles, the discount share of spend, the category mix of item spend and the channel mix of
marketing touches over the ``window_days`` before the date (the ``TOP_KEYS`` biggest
categories / channels, each a share of all). With ``sample`` the query keeps a fixed
pseudo-random set of that many customers (ordered by a hash of the id), which is what models
are trained on; scoring wraps the full query (``FeatureQuery.wrap``) and aggregates in SQL,
so only summaries and short lists come back to Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from genbi.lazy import lazy_module

from .audience_sql import AudienceSQL
from .feature_table import KEY_BITS, FeatureTable
from .roles import RoleSource

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

TOP_KEYS = 12
"""At most this many category / channel share columns (the biggest by volume)."""
BASE_FEATURES = ("recency_days", "frequency", "monetary", "tenure_days", "aov")

_ORDERS = {"T_o": "order_entity", "o_cust": "order_customer", "o_time": "order_time",
           "o_rev": "order_revenue"}
_ITEMS = {"T_i": "order_item_entity", "T_p": "product_entity", "o_id": "order_id",
          "i_order": "order_item_order", "i_prod": "order_item_product",
          "i_qty": "order_item_quantity", "i_price": "order_item_price",
          "p_id": "product_id", "p_cat": "product_category"}
_TOUCHES = {"T_t": "touchpoint_entity", "t_cust": "touchpoint_customer",
            "t_chan": "touchpoint_channel", "t_time": "touchpoint_time"}

_BASE = """
base AS (
  SELECT {o_cust} AS customer_id, MIN(CAST({o_time} AS DATE)) AS first_date,
         MAX(CAST({o_time} AS DATE)) AS last_date, COUNT(*) AS orders,
         SUM(CAST({o_rev} AS DOUBLE)) AS revenue{discount}
  FROM {T_o} WHERE {o_time} < :until AND {o_cust} IS NOT NULL{in_sample} GROUP BY 1
)"""
_DISCOUNT = """,
         SUM(CAST({o_disc} AS DOUBLE)) FILTER (WHERE {o_time} >= :since)
           / NULLIF(SUM(CAST({o_rev} AS DOUBLE) + CAST({o_disc} AS DOUBLE)) FILTER (WHERE {o_time} >= :since), 0)
           AS discount_share"""
_POP_ALL = "pop AS (SELECT * FROM base)"
_SAMPLE_IDS = """
ids AS MATERIALIZED (
  SELECT customer_id FROM (
    SELECT DISTINCT {o_cust} AS customer_id FROM {T_o}
    WHERE {o_time} < :until AND {o_cust} IS NOT NULL{active}
  ) AS buyers ORDER BY md5(CAST(customer_id AS VARCHAR)), customer_id LIMIT :sample
)"""
"""A sample is drawn from the distinct buyers before any aggregate (the first ``sample`` by
a hash of the id: the customers ``base ORDER BY md5(id) LIMIT n`` picks), so the order
summary and the mixes are computed for the sampled customers only, not for everyone."""
EVERYONE_MAX = 3_000_000
"""At most this many customers are read into memory at once (``FeatureQuery.everyone``;
~0.4 GB of features); more are scored in the warehouse."""
PAIRS_MAX = 30_000_000
"""At most this many (customer, channel) rows are counted in memory (~0.3 GB); more are
aggregated in the warehouse."""
_SAMPLE_KEY = (f"CAST(CAST('0x' || SUBSTR(MD5(CAST(f.customer_id AS VARCHAR)), 1, {KEY_BITS // 4}) AS UBIGINT) "
               "AS DOUBLE)")
"""The first 52 bits of the md5 ``_SAMPLE_IDS`` orders by, as an exact double (DuckDB): a
double is never masked as a phone number, and numbers in it sort like the hex text."""
_IN_SAMPLE = " AND {o_cust} IN (SELECT customer_id FROM ids)"
_ACTIVE = " AND {o_time} >= :active_since"
"""Has an order on or after ``as_of - active_days + 1``: the same customers as
``DATE_DIFF('day', last_date, as_of) < active_days`` on the order summary."""
_IN_POP = "AND customer_id IN (SELECT customer_id FROM pop) "
"""Only when ``pop`` is some of the buyers (a sample, a population, the recently active):
the mixes then aggregate their touches only (churn's 280k active of 704k buyers: a third
less CPU for the whole statement). For every buyer the left joins to ``pop`` do the
filtering, and DuckDB would compute ``pop`` once more per reference."""
_CAT_LONG = """
SELECT {o_cust} AS customer_id, CAST({p_cat} AS VARCHAR) AS key,
       CAST({i_qty} AS DOUBLE) * CAST({i_price} AS DOUBLE) AS amount
FROM {T_i} JOIN {T_o} ON {o_id} = {i_order} JOIN {T_p} ON {p_id} = {i_prod}
WHERE {o_time} < :until AND {o_time} >= :since"""
_CH_LONG = """
SELECT {t_cust} AS customer_id, CAST({t_chan} AS VARCHAR) AS key, 1.0 AS amount
FROM {T_t} WHERE {t_time} < :until AND {t_time} >= :since AND {t_chan} IS NOT NULL"""


@dataclass(frozen=True)
class _Mix:
    prefix: str
    long_sql: str
    keys: tuple[str, ...]
    counted: bool = False
    """Every row weighs one (touches): counted, not summed; on 7M touches a COUNT(*) FILTER
    per channel costs about 60% of summing a constant."""


@dataclass(frozen=True)
class FeatureQuery:
    """A per-customer feature SELECT (template + role slots + values) and its column names."""

    slots: Mapping[str, str]
    values: Mapping[str, Any]
    names: Mapping[str, str]
    """SQL alias -> readable feature name (``cat_0`` -> ``cat_skincare``), in column order."""
    as_of: date
    discount: bool
    mixes: tuple[_Mix, ...]
    sample: int | None = None
    active_days: int | None = None
    """When set, only customers whose last order is less than this many days old."""
    population: str | None = None
    """When set, only these customers: a SELECT over ``base`` (one row per customer who
    ordered: customer_id, first_date, last_date, orders, revenue) returning ``customer_id``
    and ``extra`` columns, which ``f`` carries along."""
    extra: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        """Readable feature names, in SQL column order."""
        return list(self.names.values())

    @property
    def ctes(self) -> str:
        """``name AS (...)`` clauses ending in ``f`` (customer_id + the feature columns)."""
        some = self.sample is not None or self.population is not None or self.active_days is not None
        drawn = self.sample is not None and self.population is None
        base = (_BASE.strip().replace("{discount}", _DISCOUNT if self.discount else "")
                .replace("{in_sample}", _IN_SAMPLE if drawn else ""))
        pop = _POP_ALL
        if self.population is not None:
            carried = "".join(f", picked.{c}" for c in self.extra)
            pop = (f"pop AS MATERIALIZED (SELECT base.*{carried} FROM base JOIN ({self.population}) AS picked "
                   "ON picked.customer_id = base.customer_id)")
        if self.active_days is not None:
            pop = pop.replace("FROM base", "FROM base WHERE DATE_DIFF('day', last_date, :as_of) < :active_days")
            if not drawn:  # read twice (the mixes keep its customers only): computed once
                pop = pop.replace("pop AS (", "pop AS MATERIALIZED (")
        ctes = [base, pop]
        if drawn:
            ctes.insert(0, _SAMPLE_IDS.strip().replace("{active}", _ACTIVE if self.active_days is not None else ""))
        select = ["pop.customer_id",
                  "CAST(DATE_DIFF('day', pop.last_date, :as_of) AS DOUBLE) AS recency_days",
                  "CAST(pop.orders AS DOUBLE) AS frequency", "COALESCE(pop.revenue, 0) AS monetary",
                  "CAST(DATE_DIFF('day', pop.first_date, :as_of) AS DOUBLE) AS tenure_days",
                  "COALESCE(pop.revenue, 0) / GREATEST(pop.orders, 1) AS aov"]
        joins = []
        if self.discount:
            select.append("COALESCE(pop.discount_share, 0) AS discount_share")
        for mix in self.mixes:
            name = mix.prefix
            weight = "CAST(COUNT(*) {} AS DOUBLE)" if mix.counted else "SUM(amount) {}"
            sums = ", ".join(weight.format(f"FILTER (WHERE key = :{name}_k{i})") + f" AS {name}_{i}"
                             for i in range(len(mix.keys)))
            where = "WHERE 1 = 1 " + (_IN_POP if some else "")
            ctes.append(f"{name} AS (SELECT customer_id, {weight.format('')} AS total, {sums} "
                        f"FROM ({mix.long_sql}) AS l {where}GROUP BY customer_id)")
            joins.append(f"LEFT JOIN {name} ON {name}.customer_id = pop.customer_id")
            select += [f"COALESCE({name}.{name}_{i} / NULLIF({name}.total, 0), 0) AS {name}_{i}"
                       for i in range(len(mix.keys))]
        select += [f"pop.{c} AS {c}" for c in self.extra]
        ctes.append(f"f AS (SELECT {', '.join(select)} FROM pop {' '.join(joins)})")
        return ",\n".join(ctes)

    def wrap(self, select: str) -> str:
        """A full template: the feature CTEs, then ``select`` (which reads ``f``)."""
        return f"WITH {self.ctes}\n{select}"

    def audience(self, select: str, **values: Any) -> AudienceSQL:
        """``select`` (which reads ``f`` and returns ``customer_id``) as an audience."""
        return AudienceSQL(self.wrap(select), dict(self.slots), {**self.values, **self._extra(), **values})

    def _extra(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"sample": self.sample} if self.sample is not None else {}
        if self.active_days is not None:
            extra["active_days"] = self.active_days
            extra["active_since"] = self.as_of - timedelta(days=self.active_days - 1)
        return extra

    def run(self, source: RoleSource, select: str, slots: Mapping[str, str] | None = None, *, bulk: bool = False,
            **values: Any) -> pd.DataFrame:
        """Run ``select`` over the feature table ``f`` (and any CTE ``select`` adds, with
        its own role ``slots``). ``bulk`` reads the rows column by column where the warehouse
        can (``RoleSource.query_columns``): for feature rows the caller reads as numbers."""
        read = source.query_columns if bulk else source.query
        return read(self.wrap(select), {**self.slots, **(slots or {})}, **{**self.values, **self._extra(), **values})

    def run_both(self, source: RoleSource, ctes: str, first: tuple[str, list[str]], second: tuple[str, list[str]],
                 slots: Mapping[str, str] | None = None, **values: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Two SELECTs over one scored table in one statement, so the features of every
        customer are computed once, not once per SELECT. ``ctes`` (text after the feature
        CTEs, starting with ``,``) ends in a CTE ``scored``; each SELECT reads ``once`` (that
        table, materialised) and names its columns (the two lists must not overlap). Rows
        come back unordered."""
        (sql_a, cols_a), (sql_b, cols_b) = first, second
        head = ctes + ", once AS MATERIALIZED (SELECT * FROM scored)\n"
        part_a = (f"SELECT 0 AS part_, {', '.join(f'pa.{c} AS {c}' for c in cols_a)}, "
                  f"{', '.join(f'NULL AS {c}' for c in cols_b)} FROM ({sql_a}) AS pa")
        part_b = (f"SELECT 1 AS part_, {', '.join(f'NULL AS {c}' for c in cols_a)}, "
                  f"{', '.join(f'pb.{c} AS {c}' for c in cols_b)} FROM ({sql_b}) AS pb")
        sql = source.render(self.wrap(head + part_a + "\nUNION ALL\n" + part_b), {**self.slots, **(slots or {})},
                            **{**self.values, **self._extra(), **values})
        rows = source.result(sql).rows
        a = pd.DataFrame([r[1:1 + len(cols_a)] for r in rows if r[0] == 0], columns=cols_a)
        b = pd.DataFrame([r[1 + len(cols_a):] for r in rows if r[0] == 1], columns=cols_b)
        return a, b

    def fetch(self, source: RoleSource) -> pd.DataFrame:
        """The feature rows themselves (use with ``sampled``): index customer_id, readable names."""
        frame = self.run(source, "SELECT * FROM f ORDER BY customer_id", bulk=True)
        frame = frame.set_index("customer_id").rename(columns=dict(self.names))
        frame.index.name = "customer_id"
        return frame.astype(float)

    def everyone(self, source: RoleSource, flags: str = "", slots: Mapping[str, str] | None = None,
                 **values: Any) -> FeatureTable | None:
        """Every customer's features in columnar reads, with the sample key (``feature_table``),
        ordered by id; None where the warehouse cannot read so (not DuckDB), or for a query
        already narrowed (a sample, a population, the recently active). ``flags``: more select
        items over ``f`` (``, expr AS name``, with their own role ``slots`` and ``values``),
        kept in ``extra``.

        A counted mix (the channel mix of touches) is not aggregated in SQL here: its touches
        come as (customer, channel code) pairs and are counted per customer in NumPy
        (``_counted_shares``: 7M touches in ~0.35 s of CPU against ~0.8 s for DuckDB's nine
        filtered counts per customer); the same counts, so the same shares."""
        if not source.columnar or self.sample is not None or self.population is not None \
                or self.active_days is not None:
            return None
        counted = [m for m in self.mixes if m.counted]
        rest = replace(self, mixes=tuple(m for m in self.mixes if not m.counted))
        select = (f"SELECT f.*, {_SAMPLE_KEY} AS sample_key_{flags} FROM f ORDER BY f.customer_id "
                  f"LIMIT {EVERYONE_MAX + 1}")
        arrays = source.column_arrays(source.render(rest.wrap(select), {**self.slots, **(slots or {})},
                                                    **{**self.values, **self._extra(), **values}))
        if len(arrays["customer_id"]) > EVERYONE_MAX:
            return None  # too many to hold: the SQL path keeps them in the warehouse
        for mix in counted:
            arrays.update(self._counted_shares(source, mix, arrays["customer_id"]))
        names = list(self.names)
        extra = [c for c in arrays if c not in names and c not in ("customer_id", "sample_key_")]
        return FeatureTable(ids=arrays["customer_id"], key=arrays["sample_key_"].astype(float, copy=False),
                            data=tuple(arrays[n].astype(float, copy=False) for n in names),
                            columns=tuple(self.columns), extra={c: arrays[c] for c in extra})

    def _counted_shares(self, source: RoleSource, mix: _Mix, ids: Any) -> dict[str, Any]:
        """The share columns of a counted mix for the customers ``ids`` (in that order): each
        key's count over all the customer's rows, 0 without rows, as ``ctes`` computes them.
        Counted in NumPy from the long rows when the ids are whole numbers; otherwise (text
        ids, or ids the masking changed) aggregated in SQL, in the same id order."""
        import numpy as np

        cases = " ".join(f"WHEN :{mix.prefix}_k{i} THEN {i + 1}" for i in range(len(mix.keys)))
        long = (f"SELECT l.customer_id, CAST(CASE l.key {cases} ELSE 0 END AS SMALLINT) AS code "
                f"FROM ({mix.long_sql}) AS l WHERE l.customer_id IS NOT NULL LIMIT {PAIRS_MAX + 1}")
        pairs = source.column_arrays(source.render(long, self.slots, **self.values)) \
            if ids.dtype.kind in "iu" else {}
        owner = pairs.get("customer_id")
        columns = [f"{mix.prefix}_{i}" for i in range(len(mix.keys))]
        if owner is None or owner.dtype.kind not in "iu" or len(owner) > PAIRS_MAX:
            alone = replace(self, mixes=(mix,))
            return source.column_arrays(source.render(
                alone.wrap(f"SELECT {', '.join(columns)} FROM f ORDER BY f.customer_id"), self.slots,
                **{**self.values, **self._extra()}))
        width = len(mix.keys) + 1  # code 0: a row of none of the keys (in the total only)
        cell = _rows_of(ids, owner)  # the row of each touch's customer; len(ids) for others
        cell *= width
        cell += pairs["code"]
        counts = np.bincount(cell, minlength=(len(ids) + 1) * width)[: len(ids) * width]
        counts = counts.reshape(len(ids), width).astype(float)
        total = counts.sum(axis=1)
        some = total > 0
        shares = {}
        for i, column in enumerate(columns):
            share = np.zeros(len(ids))
            np.divide(counts[:, i + 1], total, out=share, where=some)
            shares[column] = share
        return shares

    def only(self, population: str, extra: tuple[str, ...] = ()) -> FeatureQuery:
        """The same features for the customers ``population`` selects from ``base`` (features
        are then computed for those customers only)."""
        return replace(self, population=population, extra=extra)

    def sampled(self, size: int) -> FeatureQuery:
        """The same features on a fixed pseudo-random sample of ``size`` customers."""
        return replace(self, sample=int(size))

    def at(self, day: date) -> FeatureQuery:
        """The same layout (the same mix columns) as of another date."""
        window = (self.as_of - self.values["since"]).days + 1
        values = {**self.values, "until": day + timedelta(days=1),
                  "since": day - timedelta(days=window - 1), "as_of": day}
        return replace(self, values=values, as_of=day)

    def active(self, days: int) -> FeatureQuery:
        """Only customers with an order in the ``days`` before the date."""
        return replace(self, active_days=int(days))


def _rows_of(ids: Any, owners: Any) -> Any:
    """For each of ``owners`` (whole numbers), its position in ``ids`` (distinct whole
    numbers), or ``len(ids)`` when it is not there: a lookup table over the ids' range when
    that is at most a few times their count (7M lookups in ~0.05 s), else a hash lookup.
    ``owners`` may be overwritten (it is the result when it is a writable int64 array)."""
    import numpy as np
    import pandas as pd

    if len(ids) == 0:
        return np.zeros(len(owners), dtype=np.int64)
    low, high = int(ids.min()), int(ids.max())
    small = ids.dtype.kind == owners.dtype.kind == "i" and -(2**62) < low <= high < 2**62
    if not small or high - low > 4 * len(ids) + 1_000_000:
        rows = pd.Index(ids).get_indexer(owners).astype(np.int64)
        rows[rows < 0] = len(ids)
        return rows
    table = np.full(high - low + 2, len(ids), dtype=np.int64)  # the last slot: not a customer here
    table[ids.astype(np.int64) - low] = np.arange(len(ids))
    # in place on a fresh int64 array (7M touches: no second and third array of 56 MB)
    offset = owners if owners.dtype == np.int64 and owners.flags.writeable else owners.astype(np.int64)
    np.clip(offset, low - 1, high + 1, out=offset)
    offset -= low  # -1 and high - low + 1 (outside the ids' range) both index the last slot
    return np.take(table, offset, out=offset)


def _top_keys(source: RoleSource, long_sql: str, slots: Mapping[str, str], values: Mapping[str, Any]) -> list[str]:
    template = f"SELECT key, SUM(amount) AS amount FROM ({long_sql}) AS k GROUP BY key ORDER BY 2 DESC, 1 LIMIT {TOP_KEYS}"
    frame = source.query(template, slots, **values)
    return [str(k) for k in frame["key"] if k is not None]


def feature_query(source: RoleSource, as_of: date, window_days: int = 365, mixes: bool = True) -> FeatureQuery:
    """The feature query for every customer with an order on or before ``as_of``."""
    source.same_table("order_customer", "order_time", "order_revenue")
    slots: dict[str, str] = dict(_ORDERS)
    values: dict[str, Any] = {"until": as_of + timedelta(days=1),
                              "since": as_of - timedelta(days=window_days - 1), "as_of": as_of}
    names = {c: c for c in BASE_FEATURES}
    discount = source.has("order_discount")
    if discount:
        slots["o_disc"] = "order_discount"
        names["discount_share"] = "discount_share"
    parts = []
    if mixes and all(source.has(r) for r in _ITEMS.values()):
        parts.append(("cat", _CAT_LONG, _ITEMS))
    if mixes and all(source.has(r) for r in _TOUCHES.values()):
        parts.append(("ch", _CH_LONG, _TOUCHES))
    found = []
    for prefix, long_sql, part_slots in parts:
        slots.update(part_slots)
        keys = _top_keys(source, long_sql, slots, values)
        if keys:
            found.append(_Mix(prefix, long_sql, tuple(keys), counted=long_sql is _CH_LONG))
            values.update({f"{prefix}_k{i}": key for i, key in enumerate(keys)})
            names.update({f"{prefix}_{i}": f"{prefix}_{key}" for i, key in enumerate(keys)})
    return FeatureQuery(slots=slots, values=values, names=names, as_of=as_of, discount=discount,
                        mixes=tuple(found))

"""RFM: recency, frequency, monetary per customer as of a date, quintile scores, segments.

Scores are quintiles with 5 the best on each axis (most recent, most orders, most spent).
Ties are broken deterministically by customer id so the five groups are equal-sized: the
score is ``pd.qcut(values.rank(method="first"), 5)`` on customers sorted by id (recency
reversed). The eight named segments follow the classic Chinese RFM model: each axis is
"high" when the customer is at least as good as the average customer on it (recency at or
below the mean, frequency and monetary at or above the mean), giving 2 x 2 x 2 groups.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pydantic import Field

from genbi.lazy import lazy_module

from . import progress
from .audience_sql import PLACEHOLDER, AudienceSQL, intersect
from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .customer_orders import ORDER_SLOTS, TransactionsInput, latest_order_date
from .customer_where import WHO_IN, limited_to
from .file_source import transactions_source
from .roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    go = lazy_module("plotly.graph_objects")

NAME = "rfm"

# (R high, F high, M high) -> (segment, Chinese name)
SEGMENTS: dict[tuple[bool, bool, bool], tuple[str, str]] = {
    (True, True, True): ("Champions", "重要价值客户"),
    (True, False, True): ("Potential loyalists", "重要发展客户"),
    (False, True, True): ("Can't lose", "重要保持客户"),
    (False, False, True): ("At risk", "重要挽留客户"),
    (True, True, False): ("Loyal", "一般价值客户"),
    (True, False, False): ("New", "一般发展客户"),
    (False, True, False): ("Hibernating", "一般保持客户"),
    (False, False, False): ("Lost", "一般挽留客户"),
}
SEGMENT_ORDER = [
    "Champions", "Loyal", "Potential loyalists", "New", "At risk", "Can't lose", "Hibernating", "Lost",
]
SEGMENT_ZH = {en: zh for en, zh in SEGMENTS.values()}


class RFMArgs(TransactionsInput):
    """RFM scores and segments per customer as of a date."""

    lookback_days: int | None = Field(
        None, ge=1, description="Only orders in the N days up to as_of; default: all history."
    )
    segment: str | None = Field(
        None, description="Return this segment's customers as the audience (English or Chinese name)."
    )


# --- pure core ------------------------------------------------------------------------------


def quintile_scores(values: np.ndarray, ids: np.ndarray, higher_is_better: bool = True) -> np.ndarray:
    """Scores 1-5 by equal-sized quintiles; ties broken by id; 5 = best."""
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((ids, values))
    score = np.empty(n, dtype=np.int64)
    score[order] = _rank_scores(n)  # the customer ranked i-th gets the i-th rank's score
    return score if higher_is_better else 6 - score


@lru_cache(maxsize=4)
def _rank_scores(n: int) -> np.ndarray:
    """The quintile score of each rank 1..n: ``pd.qcut`` of the ranks, computed once for R, F
    and M alike (the ranks of any n customers are the same numbers, so the same cut)."""
    rank = np.arange(1, n + 1, dtype=float)
    if n >= 5:
        scores = pd.qcut(rank, 5, labels=False).astype(np.int64) + 1
    else:
        scores = np.ceil(rank * 5 / n).astype(np.int64)
    scores.flags.writeable = False
    return scores


def _labels(labels: list[str], index: np.ndarray) -> Any:
    """``labels[index]`` as a text column, taken in one step from the few distinct labels
    instead of a Python string per customer (the same values and column type)."""
    return pd.array(labels, dtype="str").take(index)


_RFM_CODES = [str(code) for code in range(556)]
"""Every R x 100 + F x 10 + M code's text, by the code ("111" ... "555")."""


def rfm_scores(summary: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per customer: recency_days, frequency, monetary, R/F/M scores, RFM code, segment."""
    out = pd.DataFrame({"customer_id": summary["customer_id"].to_numpy()})
    out["recency_days"] = (pd.Timestamp(as_of) - summary["last_date"]).dt.days.to_numpy()
    out["frequency"] = summary["orders"].to_numpy()
    out["monetary"] = summary["revenue"].to_numpy()
    ids = out["customer_id"].to_numpy()
    out["r_score"] = quintile_scores(out["recency_days"].to_numpy(), ids, higher_is_better=False)
    out["f_score"] = quintile_scores(out["frequency"].to_numpy(), ids)
    out["m_score"] = quintile_scores(out["monetary"].to_numpy(), ids)
    out["rfm_code"] = _labels(_RFM_CODES, (out["r_score"] * 100 + out["f_score"] * 10 + out["m_score"]).to_numpy())
    r_high = out["recency_days"] <= out["recency_days"].mean()
    f_high = out["frequency"] >= out["frequency"].mean()
    m_high = out["monetary"] >= out["monetary"].mean()
    # the eight (r_high, f_high, m_high) cells, looked up by a 3-bit code (vectorised)
    cells = [(bool(code & 4), bool(code & 2), bool(code & 1)) for code in range(8)]
    code = r_high.to_numpy() * 4 + f_high.to_numpy() * 2 + m_high.to_numpy() * 1
    out["segment"] = _labels([SEGMENTS[c][0] for c in cells], code)
    out["segment_zh"] = _labels([SEGMENTS[c][1] for c in cells], code)
    return out


def segment_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Segment sizes, revenue and shares, in the fixed segment order."""
    grouped = scores.groupby("segment")
    table = pd.DataFrame(
        {
            "customers": grouped.size(),
            "revenue": grouped["monetary"].sum(),
            "avg_recency_days": grouped["recency_days"].mean(),
            "avg_frequency": grouped["frequency"].mean(),
            "avg_monetary": grouped["monetary"].mean(),
        }
    ).reindex(SEGMENT_ORDER).fillna(0.0)
    table["customers"] = table["customers"].astype(int)
    table["customer_share"] = table["customers"] / max(table["customers"].sum(), 1)
    table["revenue_share"] = table["revenue"] / (table["revenue"].sum() or 1.0)
    table.index.name = "segment"
    table = table.reset_index()
    table.insert(1, "segment_zh", table["segment"].map(SEGMENT_ZH))
    return table


def find_segment(name: str) -> str:
    """Accept the English or Chinese segment name, case-insensitively."""
    wanted = name.strip().lower()
    for en, zh in SEGMENT_ZH.items():
        if wanted in (en.lower(), zh) or wanted.replace("’", "'") == en.lower():
            return en
    raise ToolError(f"There is no RFM segment '{name}'.", f"Segments: {', '.join(SEGMENT_ORDER)}.")


# --- the tool -------------------------------------------------------------------------------


_BASE = """
WITH base AS (
  SELECT {o_cust} AS customer_id, CAST(DATE_DIFF('day', MAX(CAST({o_time} AS DATE)), :as_of) AS DOUBLE) AS recency_days,
         COUNT(*) AS frequency, COALESCE(SUM(CAST({o_rev} AS DOUBLE)), 0) AS monetary
  FROM {T_o} WHERE {o_time} < :until AND {o_time} >= :since AND {o_cust} IS NOT NULL GROUP BY 1
)"""
_SCORES = _BASE + """, ranked AS (
  SELECT *, ROW_NUMBER() OVER (ORDER BY recency_days, customer_id) AS r_rank,
         ROW_NUMBER() OVER (ORDER BY frequency, customer_id) AS f_rank,
         ROW_NUMBER() OVER (ORDER BY monetary, customer_id) AS m_rank,
         recency_days <= AVG(recency_days) OVER () AS r_high, frequency >= AVG(frequency) OVER () AS f_high,
         monetary >= AVG(monetary) OVER () AS m_high
  FROM base
), s AS (
  SELECT customer_id, recency_days, frequency, monetary, 6 - ({r_bin}) AS r_score, {f_bin} AS f_score,
         {m_bin} AS m_score, {segment} AS segment FROM ranked
)
"""
_MEMBERS = _BASE + """, flags AS (
  SELECT customer_id, recency_days <= AVG(recency_days) OVER () AS r_high, frequency >= AVG(frequency) OVER () AS f_high,
         monetary >= AVG(monetary) OVER () AS m_high FROM base
)
SELECT customer_id FROM flags WHERE r_high = :r_high AND f_high = :f_high AND m_high = :m_high"""
"""A segment's customers by the same mean-based rule, without the quintile ranks."""
_SUMMARY = """SELECT segment, COUNT(*) AS customers, SUM(monetary) AS revenue, AVG(recency_days) AS avg_recency_days,
       AVG(frequency) AS avg_frequency, AVG(monetary) AS avg_monetary FROM s <WHO> GROUP BY segment"""


def _summary_sql(limited: bool) -> str:
    return _SUMMARY.replace("<WHO>", WHO_IN if limited else "")


def quintile_edges(n: int) -> list[float]:
    """The four inner bin edges ``quintile_scores`` puts on ranks 1..n (pandas' own qcut)."""
    if n < 5:
        return [n * q / 5 for q in (1, 2, 3, 4)]  # the small-input rule: ceil(rank * 5 / n)
    _, edges = pd.qcut(np.arange(1, n + 1), 5, retbins=True)
    return [float(e) for e in edges[1:5]]


def _bin(rank: str, edges: list[float]) -> str:
    cases = " ".join(f"WHEN {rank} <= {e!r} THEN {i}" for i, e in enumerate(edges, start=1))
    return f"CASE {cases} ELSE 5 END"


def _segment_case() -> str:
    """The eight named segments from the three above/below-average flags."""
    def flag(value: bool) -> str:
        return "TRUE" if value else "FALSE"

    cases = " ".join(
        f"WHEN r_high = {flag(r)} AND f_high = {flag(f)} AND m_high = {flag(m)} THEN '{en.replace(chr(39), chr(39) * 2)}'"
        for (r, f, m), (en, _) in SEGMENTS.items())
    return f"CASE {cases} END"


def segment_audience(as_of: date, segment: str, lookback_days: int | None = None) -> AudienceSQL:
    """The customers of one named segment (``find_segment``'s name) as SQL."""
    r_high, f_high, m_high = next(key for key, names in SEGMENTS.items() if names[0] == segment)
    return AudienceSQL(_MEMBERS, ORDER_SLOTS, {**_window(as_of, lookback_days), "r_high": r_high,
                                               "f_high": f_high, "m_high": m_high})


def _window(as_of: date, lookback_days: int | None) -> dict[str, Any]:
    from datetime import timedelta

    return {"as_of": as_of, "until": as_of + timedelta(days=1),
            "since": as_of - timedelta(days=lookback_days - 1) if lookback_days else date(1900, 1, 1)}


def scores_query(source: RoleSource, as_of: date, lookback_days: int | None) -> tuple[str, dict[str, Any]]:
    """The ``s`` CTE (one row per customer: R/F/M, scores, segment) and its values."""
    values = _window(as_of, lookback_days)
    count = source.query("SELECT COUNT(DISTINCT {o_cust}) AS n FROM {T_o} WHERE {o_time} < :until AND {o_time} >= :since",
                         ORDER_SLOTS, until=values["until"], since=values["since"])
    edges = quintile_edges(int(count["n"].iloc[0]))
    template = (_SCORES.replace("{r_bin}", _bin("r_rank", edges)).replace("{f_bin}", _bin("f_rank", edges))
                .replace("{m_bin}", _bin("m_rank", edges)).replace("{segment}", _segment_case()))
    return template, values


def run(args: RFMArgs, source: RoleSource | None = None) -> ToolResult:
    """Score every customer who ordered, name the segments, size them (in the warehouse)."""
    source = transactions_source(args) if args.file else source
    if source is None:
        raise ToolError("The RFM tool needs a warehouse or --file with transactions.")
    start = len(source.executed)
    progress.step("Scoring customers", 0.1)
    as_of = args.as_of or latest_order_date(source)
    scores, values = scores_query(source, as_of, args.lookback_days)
    who = limited_to(source, args, as_of)
    if who is not None:  # scores of the whole base, reported for these customers only
        values = {**values, PLACEHOLDER: who.tree(source)}
    raw = source.query(scores + _summary_sql(who is not None), ORDER_SLOTS, **values)
    if who is not None and (raw.empty or not int(raw["customers"].sum())):
        raise ToolError(f"No customer with an order on or before {as_of} is one of '{args.where}'.",
                        "Check the condition with a question such as 'how many customers ...'.")
    if raw.empty:
        raise ToolError(f"No customer has an order on or before {as_of}.")
    table = _summary_table(raw)
    audience = segment_audience(as_of, find_segment(args.segment), args.lookback_days) if args.segment else None
    if audience is not None and who is not None:
        audience = intersect([audience, who], source)
    progress.step("Done", 1.0)

    def per_customer() -> pd.DataFrame:
        frame = source.query(scores + f"SELECT * FROM s {WHO_IN if who is not None else ''} ORDER BY customer_id",
                             ORDER_SLOTS, **values)
        frame["rfm_code"] = (frame["r_score"] * 100 + frame["f_score"] * 10 + frame["m_score"]).astype(str)
        frame["segment_zh"] = frame["segment"].map(SEGMENT_ZH)
        return frame

    return ToolResult(
        tool=NAME, table=table, chart=chart(lambda: _chart(table)), facts=_facts(table, as_of, args),
        customer_ids=audience.members(source) if audience else None, audience=audience,
        sql=tuple(source.executed[start:]), per_customer=per_customer,
    )


def _summary_table(raw: pd.DataFrame) -> pd.DataFrame:
    """The segment table (fixed order, shares) from per-segment sums."""
    table = raw.set_index("segment").reindex(SEGMENT_ORDER).fillna(0.0)
    table["customers"] = table["customers"].astype(int)
    table["revenue"] = table["revenue"].astype(float)
    table["customer_share"] = table["customers"] / max(int(table["customers"].sum()), 1)
    table["revenue_share"] = table["revenue"] / (table["revenue"].sum() or 1.0)
    table.index.name = "segment"
    table = table.reset_index()
    table.insert(1, "segment_zh", table["segment"].map(SEGMENT_ZH))
    return table[["segment", "segment_zh", "customers", "revenue", "avg_recency_days", "avg_frequency",
                  "avg_monetary", "customer_share", "revenue_share"]]


def _facts(table: pd.DataFrame, as_of: date, args: RFMArgs) -> dict[str, Any]:
    segments = table["segment"].astype(str).tolist()
    n = max(int(table["customers"].sum()), 1)
    weights = table["customers"].to_numpy(dtype=float)
    biggest = segments[int(table["customers"].to_numpy().argmax())]
    richest = segments[int(table["revenue_share"].to_numpy().argmax())]
    return {
        "as_of": as_of.isoformat(),
        "customers": int(table["customers"].sum()),
        "revenue": round(float(table["revenue"].sum()), 2),
        "segment_sizes": dict(zip(segments, table["customers"].astype(int).tolist(), strict=True)),
        "revenue_share": dict(zip(segments, table["revenue_share"].round(4).tolist(), strict=True)),
        "largest_segment": biggest,
        "top_revenue_segment": richest,
        "mean_recency_days": round(float(weights @ table["avg_recency_days"].to_numpy(dtype=float)) / n, 2),
        "mean_frequency": round(float(weights @ table["avg_frequency"].to_numpy(dtype=float)) / n, 3),
        "mean_monetary": round(float(table["revenue"].sum()) / n, 2),
        "audience_segment": find_segment(args.segment) if args.segment else None,
    }


def _chart(table: pd.DataFrame) -> go.Figure:
    part = table[table["customers"] > 0]
    labels = [f"{en}<br>{zh}" for en, zh in zip(part["segment"], part["segment_zh"], strict=True)]
    figure = go.Figure(
        go.Treemap(
            labels=labels,
            parents=[""] * len(part),
            values=part["customers"],
            marker={"colors": part["revenue_share"], "colorscale": "Blues",
                    "colorbar": {"title": "revenue share"}},
            customdata=np.stack([part["customer_share"], part["revenue_share"]], axis=-1),
            texttemplate="%{label}<br>%{value:,} customers<br>%{customdata[1]:.1%} of revenue",
        )
    )
    figure.update_layout(title="RFM segments: size and revenue share / RFM 客户分层")
    return figure


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=RFMArgs,
        run=run,
        description=(
            "RFM analysis: recency, frequency and monetary value per customer as of a date, "
            "quintile scores (5 = best) and eight named segments (Champions 重要价值客户 ... "
            "Lost 一般挽留客户) with sizes and revenue share; a segment can be saved as an audience."
        ),
        intents=("RFM", "recency", "frequency", "monetary", "customer segments", "champions",
                 "at risk", "客户分层", "分层", "分群", "RFM模型", "重要价值客户", "价值客户"),
        actions=(  # RFM spelled out: "segment customers by recency, frequency and monetary value"
            r"\brfm[- ]?(?:segment\w*|analysis|model\w*|scor\w*|groups?|tiers?|buckets?|cohorts?)\b"
            r"|rfm\s?(?:分群|分层|分组|模型|分析|细分)",  # "RFM segments": the method named, not any clustering
            r"\brecency\b.{0,30}\bfrequency\b.{0,30}\bmonetary\b",
            r"(?:最近一次?消费|最近购买|消费间隔).{0,12}(?:消费频率|购买频次|购买频率).{0,12}(?:消费金额|购买金额)",
        ),
    )
)

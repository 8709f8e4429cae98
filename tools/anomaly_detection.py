"""Unusual days in a metric's daily trend, aware of the week and of the festival calendar.

How a day is judged (statsmodels STL, robust):

1. The daily series (a year before the window as history, then the window) is taken in log
   scale, so a Saturday that is always 10 % higher is a pattern, whatever the level.
2. STL with a 7-day season and robust weights splits it into trend, weekly pattern and a
   residual; robust weights keep a festival or an outage from bending the trend.
3. Each festival phase (双11 build-up, peak, the day after; 618, 双12, 春节 …) gets its usual
   lift: the median residual of the same phase in earlier years. A festival the history has
   never seen is labelled as a festival day, never as an anomaly.
4. What is left is scored as a robust z (median / MAD of ordinary days). Days beyond
   ``THRESHOLD`` are anomalies: spikes or dips, with the value expected for that day.

``detect_anomalies`` reads the series through the semantic layer; ``score_days`` is the pure
core (a ``pd.Series`` in, one row per day out) that monitors and tests can call directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from genbi.lazy import lazy_module
from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.query_spec import Filter

from .base import ToolError
from .calendar_effects import Calendar, calendar_days, model_calendar
from .metric_reader import MetricReader, Step

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from .roles import SqlRunner
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

THRESHOLD = 3.5
"""Robust z beyond which a day is unusual (Iglewicz and Hoaglin's cut-off)."""
HISTORY_DAYS = 371
"""Days read before the window: a year (so last year's festivals are known) and a week."""
SEASONAL_SMOOTHER = 15
ROBUST = True
"""Weeks the weekday pattern is smoothed over: it drifts slowly, not from one week to the next."""
MIN_DAYS = 28
"""Fewer days than four weeks cannot show a weekly pattern."""


@dataclass(frozen=True)
class Anomaly:
    """One unusual day."""

    day: date
    value: float
    expected: float
    """What the trend, the weekday and any festival lead one to expect that day."""
    z: float
    direction: Literal["spike", "dip"]
    festival: str | None = None
    """The festival phase the day falls in (its usual lift is already expected)."""


@dataclass(frozen=True)
class AnomalyReport:
    """The unusual days of one metric in one window, and every day's score."""

    metric: str
    start: date
    end: date
    anomalies: tuple[Anomaly, ...]
    days: pd.DataFrame
    """One row per day of the window: day, value, expected, low, high, z, anomaly, festival."""
    festival_days: tuple[tuple[date, str], ...] = ()
    """Festival days in the window whose lift the history did not show (not judged)."""
    threshold: float = THRESHOLD
    steps: tuple[Step, ...] = field(default=())


def detect_anomalies(model: SemanticModel, runner: SqlRunner, metric: str, start: date, end: date, *,
                     as_of: date, filters: Sequence[Filter] = (), threshold: float = THRESHOLD,
                     dialect: str = "duckdb") -> AnomalyReport:
    """Unusual days of ``metric`` from ``start`` to ``end`` (a year before them as history)."""
    if end < start:
        raise ToolError(f"The window ends ({end}) before it starts ({start}).")
    reader = MetricReader.for_metric(model, runner, as_of, metric, dialect)
    first = start - timedelta(days=HISTORY_DAYS)
    series = reader.daily(metric, first, end, filters, label=f"{metric} per day")
    if _additive(model, metric):
        series = series.fillna(0.0)
    days = score_days(series, start, end, threshold=threshold, calendar=model_calendar(model))
    window = days[days["day"] >= start]
    anomalies = tuple(_anomaly(row) for row in window.to_dict("records") if row["anomaly"])
    unknown = tuple((row["day"], str(row["festival"])) for row in window.to_dict("records") if row["unlearned"])
    return AnomalyReport(metric, start, end, anomalies, window.reset_index(drop=True), unknown, threshold,
                         tuple(reader.steps))


def _anomaly(row: Mapping[Any, Any]) -> Anomaly:
    z = float(row["z"])
    return Anomaly(row["day"], float(row["value"]), float(row["expected"]), z, "spike" if z > 0 else "dip",
                   str(row["festival"]) or None)


def score_days(series: pd.Series, start: date, end: date, *, threshold: float = THRESHOLD,
               calendar: Calendar = "cn") -> pd.DataFrame:
    """Per day (history and window): value, expected, band, robust z and the verdict.

    ``series``: daily values indexed by day (missing days NaN). Days before ``start`` are
    history: they teach the weekly pattern and the festivals' lifts but are not reported.
    """
    values = series.astype(float)
    known = values.dropna()
    if len(known) < MIN_DAYS or (known.index.max() - known.index.min()).days + 1 < MIN_DAYS:
        raise ToolError(f"Anomaly detection needs at least {MIN_DAYS} days of data; this metric has {len(known)}.",
                        "Pick a longer window or a metric with daily data.")
    positive = bool((known >= 0).all())
    level = pd.Series(np.log1p(values.to_numpy()), index=values.index) if positive else values
    labels = calendar_days(values.index.min().date(), values.index.max().date(), calendar)
    festival = pd.Series([labels[d.date()].key if d.date() in labels else "" for d in values.index],
                         index=values.index)
    # Festival days are left out of the fit (filled in as ordinary days), so a double-digit
    # 双11 lift bends neither the trend nor the weekday pattern; a second fit also leaves out
    # the days the first found unusual, so one outage does not make its neighbours look odd.
    ordinary = festival == ""
    score = _scored(level, ordinary, festival, pd.Timestamp(start))
    clean = ordinary & ~(score.z.abs() > threshold)
    score = _scored(level, clean, festival, pd.Timestamp(start))
    unlearned = (festival != "") & ~score.learned
    table = pd.DataFrame({
        "day": [d.date() for d in values.index],
        "value": values.to_numpy(),
        "expected": _back(score.expected, positive).to_numpy(),
        "low": _back(score.expected - threshold * score.spread, positive).to_numpy(),
        "high": _back(score.expected + threshold * score.spread, positive).to_numpy(),
        "z": score.z.to_numpy(),
        "festival": festival.to_numpy(),
        "unlearned": unlearned.to_numpy(),
    })
    table["anomaly"] = (table["z"].abs() > threshold) & ~table["unlearned"] & table["value"].notna()
    return table[table["day"] <= end]


@dataclass(frozen=True)
class _Score:
    expected: pd.Series
    """Expected level per day (log scale for positive metrics)."""
    z: pd.Series
    spread: float
    learned: pd.Series


def _scored(level: pd.Series, fitted: pd.Series, festival: pd.Series, window_start: pd.Timestamp) -> _Score:
    """One STL fit on the ``fitted`` days (the others filled in), festival lifts, robust z."""
    from statsmodels.tsa.seasonal import STL

    filled = _fill_festivals(level, fitted)
    fit = STL(filled.to_numpy(), period=7, seasonal=SEASONAL_SMOOTHER, robust=False).fit()
    base = pd.Series(fit.trend + fit.seasonal, index=level.index)
    residual = level - base
    lift, learned, seen = _festival_lifts(residual, festival, window_start)
    adjusted = residual - lift
    plain = adjusted[fitted & adjusted.notna()]
    center = float(plain.median())
    spread = max(1.4826 * float((plain - center).abs().median()), 1e-9)
    # a lift learned from n earlier festival days is itself uncertain by about spread / sqrt(n)
    widened = spread * np.sqrt(1.0 + 1.0 / seen.where(seen > 0, np.inf))
    return _Score(base + lift + center, (adjusted - center) / widened, spread, learned)


def _fill_festivals(level: pd.Series, ordinary: pd.Series) -> pd.Series:
    """Festival days replaced by what an ordinary day there would be: the month around them
    (a centred mean of ordinary days) plus the weekday's usual offset. Anchoring on a month
    rather than on the two days next to a festival keeps their noise out of its lift."""
    plain = level.where(ordinary)
    weekday = pd.Series(pd.DatetimeIndex(level.index).weekday, index=level.index)
    offset = (plain - plain.rolling(7, center=True, min_periods=4).mean()).groupby(weekday).median()
    around = plain.rolling(29, center=True, min_periods=7).mean()
    return plain.fillna(around + weekday.map(offset).fillna(0.0)).interpolate(limit_direction="both")


def _festival_lifts(residual: pd.Series, festival: pd.Series, window_start: pd.Timestamp,
                    ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per day, the usual residual of its festival phase in the history (0 on ordinary days),
    whether that phase was seen in the history at all, and on how many days."""
    history = (residual.index < window_start) & (festival != "") & residual.notna()
    usual = residual[history].groupby(festival[history]).median()
    counts = festival[history].value_counts()
    seen = festival.map(counts).fillna(0.0).where(festival != "", 0.0).astype(float)
    lift = festival.map(usual).fillna(0.0).where(festival != "", 0.0)
    learned = festival.isin(usual.index) | (festival == "")
    # a festival inside the history itself is judged against the other years' lift only when
    # one exists; the first occurrence teaches the lift and is not judged
    first_seen = (residual.index < window_start) & (festival != "")
    learned = learned & ~first_seen
    return lift.astype(float), learned, seen


def _back(level: pd.Series, positive: bool) -> pd.Series:
    return np.expm1(level) if positive else level


def _additive(model: SemanticModel, metric: str) -> bool:
    definition = model.metric(metric)
    return bool(definition.measure) and model.adds_up(metric, [])

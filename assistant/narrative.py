"""One or two sentences that say what the numbers show, in the question's language.

Written from the result itself (never from an LLM in the offline path), so every number in
the narrative is a number in the table.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from genbi.assistant.columns import ColumnInfo
from genbi.assistant.formatting import (
    Language,
    format_change,
    format_share,
    format_value,
)
from genbi.assistant.periods import Bucket, day_of, partial_note
from genbi.semantic_layer.resolver import CHANGE_PCT_SUFFIX, CHANGE_SUFFIX, PERIOD, SHARE_SUFFIX

_GRAIN_WORDS_ZH = {"week": "周", "month": "月", "quarter": "季度", "year": "年"}


def narrate(
    columns: list[ColumnInfo],
    rows: tuple[tuple[Any, ...], ...],
    *,
    language: Language = "en",
    period: str = "",
    ranked: bool = False,
    top_n: int | None = None,
    buckets: Mapping[date, Bucket] | None = None,
    bottom_n: int | None = None,
    asked: tuple[Any, ...] = (),
    place: int | None = None,
) -> str:
    """Describe a result: a KPI, a breakdown's leader and laggard, a trend's range, or a period
    comparison's change.

    ``top_n``: the rows are the highest N (the last is "Nth", not "lowest"); ``bottom_n``: the
    lowest N, lowest first (the first is no leader: "X is lowest"); ``place``: the one row is
    that place of the ranking ("the 2nd best"), no leader either; ``asked``: the members of
    the breakdown a share was asked of, said first with their shares. ``buckets``: the
    calendar periods of the time or compared-period column (``assistant.periods``); a partial
    one is said to be partial, never compared with a full one."""
    # DECIMAL columns (a drafted model's money) read as numbers like any other
    rows = tuple(tuple(float(v) if isinstance(v, Decimal) else v for v in row) for row in rows)
    metrics = [i for i, c in enumerate(columns)
               if c.kind == "metric" and not c.name.endswith((CHANGE_SUFFIX, CHANGE_PCT_SUFFIX))]
    times = [i for i, c in enumerate(columns) if c.kind == "time"]
    dims = [i for i, c in enumerate(columns) if c.kind == "dimension"]
    compared = next((i for i in dims if columns[i].name == PERIOD), None)
    if rows and metrics and compared is not None and not times and len(dims) <= 2:
        others = [i for i in dims if i != compared]
        return _comparison(columns, rows, compared, others[0] if others else None, metrics[0],
                           buckets or {}, language)
    if not rows:
        return "没有符合条件的数据。" if language == "zh" else "No data matches this question."
    if not metrics:
        return _count_rows(len(rows), language)
    if not times and not dims:
        return _kpi(columns, rows[0], metrics, period, language)
    metric = metrics[0]
    if len(times) == 1 and not dims:
        return _trend(columns, rows, times[0], metric, period, language, buckets or {})
    if len(times) == 1 and len(dims) == 1:
        return _series(columns, rows, times[0], dims[0], metric, period, language, asked, buckets or {})
    if len(dims) == 1 and not times:
        if asked and (said := _shares_asked(columns, rows, dims[0], metric, period, language, asked)):
            return said
        if place is not None and len(rows) == 1 and isinstance(rows[0][metrics[0]], int | float):
            return _place(columns, rows[0], dims[0], metrics[0], period, language, place)
        if bottom_n is not None:
            return _bottom(columns, rows, dims[0], metric, period, language, bottom_n)
        return _breakdown(columns, rows, dims[0], metric, period, language, ranked, top_n)
    return _count_rows(len(rows), language)


def _place(columns: list[ColumnInfo], row: tuple[Any, ...], dim: int, metric: int, period: str,
           language: Language, place: int) -> str:
    """"the 2nd best channel": the member at that place, said as that place (never "leads")."""
    info = columns[metric]
    value = format_value(row[metric], info.fmt, language)
    member = columns[dim].member(row[dim], language)
    if language == "zh":
        return f"按{columns[dim].label}看{info.label}{_suffix(period, language)}：{member}排第{place}，为{value}。"
    suffix = "th" if 10 <= place % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"{info.label} by {columns[dim].label.lower()}{_suffix(period, language)}: {member} ranks {place}{suffix} " \
           f"with {value}."


def _suffix(period: str, language: Language) -> str:
    if not period:
        return ""
    return f"（{period}）" if language == "zh" else f" ({period})"


def _kpi(
    columns: list[ColumnInfo], row: tuple[Any, ...], metrics: list[int], period: str,
    language: Language,
) -> str:
    parts = [
        (columns[i].label, format_value(row[i], columns[i].fmt, language)) for i in metrics
    ]
    if language == "zh":
        body = "，".join(f"{label}为{value}" for label, value in parts)
        return f"{period + '，' if period else ''}{body}。"
    body = "; ".join(f"{label} was {value}" for label, value in parts)
    return f"{body[0].upper()}{body[1:]}{_in_period(period)}."


def _in_period(period: str) -> str:
    """" in 2025" / " in March 2025" for a named period; " (month to date)", " (last 30 days)"
    for a relative one, which does not read after "in"."""
    if not period:
        return ""
    named = period[:1].isdigit() or period.startswith("Q") or period.split()[0] in calendar.month_name[1:]
    return f" in {period}" if named else f" ({period})"


def _breakdown(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], dim: int, metric: int,
    period: str, language: Language, ranked: bool, top_n: int | None = None,
) -> str:
    valued = [r for r in rows if isinstance(r[metric], int | float)]
    if not valued:
        return _count_rows(len(rows), language)
    info = columns[metric]
    top = max(valued, key=lambda r: r[metric])
    low = min(valued, key=lambda r: r[metric])
    total = sum(r[metric] for r in valued)
    given = next((i for i, c in enumerate(columns) if c.name == info.name + SHARE_SUFFIX), None)
    if given is not None and isinstance(top[given], int | float):
        # the query computed each row's share of the whole (also right under a top-N)
        top_share: str | None = format_share(top[given], 1.0)
    elif info.additive and len(valued) > 1 and total > 0 and not ranked and low[metric] >= 0:
        # with a negative row (returns over sales) a share of the net total reads past 100 %
        top_share = format_share(top[metric], total)
    else:
        top_share = None
    share = f" ({top_share} of the total)" if top_share else ""
    fmt = lambda v: format_value(v, info.fmt, language)  # noqa: E731
    # the last of a top N is where the list was cut, not the lowest of all
    nth = len(valued) if top_n is not None and len(valued) == top_n else None
    if language == "zh":
        share_zh = f"，占{top_share}" if top_share else ""
        text = f"按{columns[dim].label}看{info.label}{_suffix(period, language)}：{columns[dim].member(top[dim], language)}最高，为{fmt(top[metric])}{share_zh}"
        if len(valued) > 1:
            where = f"排第{nth}" if nth else "最低"
            text += f"；{columns[dim].member(low[dim], language)}{where}，为{fmt(low[metric])}"
        return text + "。"
    text = f"{info.label} by {columns[dim].label.lower()}{_suffix(period, language)}: {columns[dim].member(top[dim], language)} leads with {fmt(top[metric])}{share}"
    if len(valued) > 1:
        where = f"ranks {_ordinal(nth)} at" if nth else "is lowest at"
        text += f"; {columns[dim].member(low[dim], language)} {where} {fmt(low[metric])}"
    return text + "."


def _shares_asked(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], dim: int, metric: int,
    period: str, language: Language, asked: tuple[Any, ...],
) -> str:
    """"What share of orders came from Tmall": the members asked, each with its value and share
    of the whole, then the leader of the rest (every row is in the table); "" when no row is
    one asked (the breakdown's own sentence is said instead)."""
    info = columns[metric]
    given = next((i for i, c in enumerate(columns) if c.name == info.name + SHARE_SUFFIX), None)
    wanted = {str(v).lower() for v in asked}
    picked = [r for r in rows if str(r[dim]).lower() in wanted]
    if not picked or given is None:
        return ""
    said = []
    for row in picked:
        value = format_value(row[metric], info.fmt, language)
        share = format_share(row[given], 1.0) if isinstance(row[given], int | float) else None
        member = columns[dim].member(row[dim], language)
        if language == "zh":
            said.append(f"{member}的{info.label}为{value}" + (f"，占总量的{share}" if share else ""))
        else:
            said.append(f"{info.label} for {member} was {value}" + (f", {share} of the total" if share else ""))
    valued = [r for r in rows if isinstance(r[metric], int | float)]
    top = max(valued, key=lambda r: r[metric]) if valued else None
    if language == "zh":
        text = f"{period + '，' if period else ''}{'；'.join(said)}"
        if top is not None and top not in picked:
            text += f"；{columns[dim].member(top[dim], language)}最高，为{format_value(top[metric], info.fmt, language)}"
        return text + "。"
    text = f"{'; '.join(said)}{_in_period(period)}"
    if top is not None and top not in picked:
        text += f"; {columns[dim].member(top[dim], language)} leads with {format_value(top[metric], info.fmt, language)}"
    return text + "."


def _bottom(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], dim: int, metric: int,
    period: str, language: Language, bottom_n: int,
) -> str:
    """The lowest N ("which city brings in the least revenue"): the lowest is said as the
    lowest, and the highest of them as where the list was cut (Nth from the bottom), never as
    a leader."""
    valued = [r for r in rows if isinstance(r[metric], int | float)]
    if not valued:
        return _count_rows(len(rows), language)
    info = columns[metric]
    low = min(valued, key=lambda r: r[metric])
    high = max(valued, key=lambda r: r[metric])
    fmt = lambda v: format_value(v, info.fmt, language)  # noqa: E731
    cut = len(valued) == bottom_n
    if language == "zh":
        text = f"按{columns[dim].label}看{info.label}{_suffix(period, language)}：{columns[dim].member(low[dim], language)}最低，为{fmt(low[metric])}"
        if len(valued) > 1:
            where = f"倒数第{len(valued)}" if cut else "最高"
            text += f"；{columns[dim].member(high[dim], language)}{where}，为{fmt(high[metric])}"
        return text + "。"
    text = f"{info.label} by {columns[dim].label.lower()}{_suffix(period, language)}: {columns[dim].member(low[dim], language)} is lowest at {fmt(low[metric])}"
    if len(valued) > 1:
        where = f"ranks {_ordinal(len(valued))} from the bottom at" if cut else "is highest at"
        text += f"; {columns[dim].member(high[dim], language)} {where} {fmt(high[metric])}"
    return text + "."


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _trend(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], time: int, metric: int,
    period: str, language: Language, buckets: Mapping[date, Bucket],
) -> str:
    ordered = sorted((r for r in rows if r[time] is not None and isinstance(r[metric], int | float)), key=lambda r: r[time])
    if not ordered:
        return _count_rows(len(rows), language)
    info = columns[metric]
    fmt = lambda v: format_value(v, info.fmt, language)  # noqa: E731
    when = lambda r: columns[time].show(r[time], language)  # noqa: E731
    partial = {id(r): b for r in ordered if (b := buckets.get(day_of(r[time]))) is not None and b.partial}
    notes = [partial_note(partial[id(r)], fmt(r[metric]), language) for r in ordered if id(r) in partial]
    full = [r for r in ordered if id(r) not in partial]  # a partial period is no peak, low or change
    if not full:
        return _sentences(notes, language)
    peak = max(full, key=lambda r: r[metric])
    low = min(full, key=lambda r: r[metric])
    last = full[-1]
    change = format_change(last[metric], full[-2][metric], language) if len(full) > 1 else ""
    latest_partial = id(ordered[-1]) in partial
    grain = columns[time].grain or ""
    if language == "zh":
        if len(full) == 1:
            text = f"{info.label}{_suffix(period, language)}在{when(last)}为{fmt(last[metric])}"
        else:
            text = f"{info.label}{_suffix(period, language)}最高在{when(peak)}（{fmt(peak[metric])}），最低在{when(low)}（{fmt(low[metric])}）"
        if change and latest_partial:
            text += f"；最近一个完整的{_GRAIN_WORDS_ZH.get(grain, '时段')}（{when(last)}）为{fmt(last[metric])}，较上一期{change}"
        elif change:
            text += f"；最近一期{when(last)}为{fmt(last[metric])}，较上一期{change}"
        return _sentences([text, *notes], language)
    if len(full) == 1:
        text = f"{info.label}{_suffix(period, language)} was {fmt(last[metric])} in {when(last)}"
    else:
        text = f"{info.label}{_suffix(period, language)} peaked at {fmt(peak[metric])} ({when(peak)}) and was lowest at {fmt(low[metric])} ({when(low)})"
    if change and latest_partial and grain in _GRAIN_WORDS_ZH:
        text += f"; the latest full {grain}, {when(last)}, was {fmt(last[metric])}, {change} on the {grain} before"
    elif change:
        text += f"; the latest, {when(last)}, was {fmt(last[metric])}, {change} on the period before"
    return _sentences([text, *notes], language)


def _series(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], time: int, dim: int, metric: int,
    period: str, language: Language, asked: tuple[Any, ...], buckets: Mapping[date, Bucket],
) -> str:
    """A trend split by a breakdown ("revenue by month and channel"; was "72 rows."): which
    member led in how many full periods and who led the latest; a share asked of members ("what
    % of each month's revenue came from tmall"): each one's share, lowest and highest, first.
    Leaders compare values within a period only, so this holds for ratios as for sums."""
    info = columns[metric]
    periods: dict[Any, list[tuple[Any, ...]]] = {}
    for row in rows:
        if row[time] is not None and isinstance(row[metric], int | float):
            periods.setdefault(row[time], []).append(row)
    full = sorted(p for p in periods if not ((b := buckets.get(day_of(p))) is not None and b.partial))
    if not full:
        return _count_rows(len(rows), language)
    when = lambda value: columns[time].show(value, language)  # noqa: E731
    member = lambda row: columns[dim].member(row[dim], language)  # noqa: E731
    said = _series_shares(columns, periods, full, time, dim, metric, language, asked)
    grain = columns[time].grain or ""
    leaders = {p: max(periods[p], key=lambda r: r[metric]) for p in full}
    counts: dict[Any, int] = {}
    for row in leaders.values():
        counts[row[dim]] = counts.get(row[dim], 0) + 1
    top = max(counts, key=lambda m: (counts[m], m == leaders[full[-1]][dim]))
    top_row = next(r for r in leaders.values() if r[dim] == top)
    latest = leaders[full[-1]]
    value = format_value(latest[metric], info.fmt, language)
    if language == "zh":
        unit = _GRAIN_WORDS_ZH.get(grain, "期")
        text = f"{info.label}{_suffix(period, language)}：{len(full)}个{unit}中{member(top_row)}有{counts[top]}个最高"
        text += f"；最近一期{when(full[-1])}最高的是{member(latest)}，为{value}" if len(full) > 1 else ""
        return _sentences([*said, text], language)
    noun = f"{grain}s" if grain in _GRAIN_WORDS_ZH else "periods"
    text = f"{info.label}{_suffix(period, language)}: {member(top_row)} leads in {counts[top]} of {len(full)} {noun}"
    if len(full) > 1:
        text += f"; in the latest, {when(full[-1])}, {member(latest)} leads with {value}"
    return _sentences([*said, text], language)


def _series_shares(
    columns: list[ColumnInfo], periods: Mapping[Any, list[tuple[Any, ...]]], full: list[Any], time: int, dim: int,
    metric: int, language: Language, asked: tuple[Any, ...],
) -> list[str]:
    """Each asked member's share of each period: its lowest and highest, and the latest."""
    info = columns[metric]
    given = next((i for i, c in enumerate(columns) if c.name == info.name + SHARE_SUFFIX), None)
    if given is None or not asked:
        return []
    wanted = {str(v).lower() for v in asked}
    said = []
    for name in sorted({r[dim] for p in full for r in periods[p] if str(r[dim]).lower() in wanted}, key=str)[:3]:
        own = [(p, r[given]) for p in full for r in periods[p] if r[dim] == name and isinstance(r[given], int | float)]
        if not own:
            continue
        low, high = min(own, key=lambda s: s[1]), max(own, key=lambda s: s[1])
        show = lambda s: (format_share(s[1], 1.0), columns[time].show(s[0], language))  # noqa: E731
        who = columns[dim].member(name, language)
        grain = columns[time].grain or ""
        if language == "zh":
            said.append(f"{who}占每{_GRAIN_WORDS_ZH.get(grain, '期')}{info.label}的比例在{show(low)[0]}（{show(low)[1]}）到{show(high)[0]}（{show(high)[1]}）之间，"
                        f"最近一期{show(own[-1])[1]}为{show(own[-1])[0]}")
        else:
            each = grain if grain in _GRAIN_WORDS_ZH else "period"
            said.append(f"{who}'s share of each {each}'s {info.label.lower()} ran from {show(low)[0]} ({show(low)[1]}) "
                        f"to {show(high)[0]} ({show(high)[1]}); {show(own[-1])[0]} in the latest, {show(own[-1])[1]}")
    return said


def _comparison(
    columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...], period: int, dim: int | None,
    metric: int, buckets: Mapping[date, Bucket], language: Language,
) -> str:
    """Compared periods: how much the metric moved from the one before to the latest, and (by a
    dimension) which member rose and which fell the most — never a ranking of the periods."""
    info = columns[metric]
    zh = language == "zh"
    valued = [r for r in rows if day_of(r[period]) is not None and isinstance(r[metric], int | float)]
    keys = sorted({day_of(r[period]) for r in valued})
    if len(keys) < 2:
        return _changes_told(columns, valued, period, dim, metric, buckets, language) or _count_rows(len(rows), language)
    before, after = keys[-2], keys[-1]
    name = lambda k: buckets[k].name if k in buckets else columns[period].member(k, language)  # noqa: E731
    sums = {k: sum(r[metric] for r in valued if day_of(r[period]) == k) for k in (before, after)}
    label = info.label if zh else info.label[:1].upper() + info.label[1:]
    parts = []
    cut = [buckets[k] for k in (before, after) if k in buckets and buckets[k].partial]
    if dim is None or info.additive:  # a ratio's per-member values do not add up to the whole
        moved = _moved(label, info, sums[before], sums[after], name(before), name(after), language)
        if cut:  # a part of a period against a whole one: say so before the reader takes it as a trend
            moved = f"截至目前，{moved}" if zh else f"So far, {moved[:1].lower()}{moved[1:]}"
        parts.append(moved)
    elif not zh:
        parts.append(f"{label} by {columns[dim].label.lower()}, {name(before)} to {name(after)}")
    else:
        parts.append(f"按{columns[dim].label}看{label}（{name(before)}到{name(after)}）")
    if dim is not None:
        movers = _movers(columns, valued, period, dim, metric, before, after, language)
        if movers:
            joint = ("；" if zh else "; ") if info.additive else ("：" if zh else ": ")  # after a total / a heading
            parts[0] += joint + movers
    notes = [("并非同口径对比：" if zh else "Not like for like: ") + partial_note(b, "", language) for b in cut]
    return _sentences([*parts, *notes], language)


def _changes_told(
    columns: list[ColumnInfo], rows: list[tuple[Any, ...]], period: int, dim: int | None, metric: int,
    buckets: Mapping[date, Bucket], language: Language,
) -> str:
    """Rows of one period ranked by their change ("which region grew the most"): each
    member's change against the period before, from the result's own change columns."""
    info = columns[metric]
    change = next((i for i, c in enumerate(columns) if c.name == info.name + CHANGE_SUFFIX), None)
    pct = next((i for i, c in enumerate(columns) if c.name == info.name + CHANGE_PCT_SUFFIX), None)
    if change is None or not rows:
        return ""
    zh = language == "zh"
    label = info.label if zh else info.label[:1].upper() + info.label[1:]
    key = day_of(rows[0][period])
    when = buckets[key].name if key in buckets else columns[period].member(rows[0][period], language)
    earlier = [k for k in buckets if key is not None and k < key]
    before = buckets[max(earlier)].name if earlier else ("上一期" if zh else "the period before")
    told = []
    for row in rows[:3]:
        delta = row[change]
        if not isinstance(delta, int | float):
            continue
        ratio = row[pct] if pct is not None and isinstance(row[pct], int | float) else None
        shown = _signed(delta, info, language) + ("" if ratio is None else (
            ("，" if zh else ", ") + ("+" if ratio > 0 else "") + format_value(ratio, "percent", language)))
        who = columns[dim].member(row[dim], language) if dim is not None else label
        value = format_value(row[metric], info.fmt, language)
        told.append(f"{who}：{label}{value}（较{before}{shown}）" if zh and dim is not None
                    else f"{who} ({label.lower()} {value}, {shown} on {before})" if dim is not None
                    else f"{label} {value} ({shown})")
    if not told:
        return ""
    head = f"{when}，" if zh else f"In {when}: "
    cut = [b for k, b in sorted(buckets.items()) if b.partial and (k == key or (earlier and k == max(earlier)))]
    notes = [("并非同口径对比：" if zh else "Not like for like: ") + partial_note(b, "", language) for b in cut]
    return _sentences([head + ("；" if zh else "; ").join(told), *notes], language)


def _moved(label: str, info: ColumnInfo, old: float, new: float, before: str, after: str,
           language: Language) -> str:
    """'Revenue fell 7.4% (-¥61,165) from November 2025 to December 2025'."""
    fmt = lambda v: format_value(v, info.fmt, language)  # noqa: E731
    if not old:
        return (f"{label}从{before}的{fmt(old)}变为{after}的{fmt(new)}" if language == "zh"
                else f"{label} went from {fmt(old)} in {before} to {fmt(new)} in {after}")
    ratio = (new - old) / abs(old)
    if info.fmt == "percent":  # a rate moves in points; a relative % of a rate misleads
        if language == "zh":
            return f"{label}从{before}的{fmt(old)}{'升至' if new > old else '降至'}{after}的{fmt(new)}（{_signed(new - old, info, language)}）"
        return (f"{label} {'rose' if new > old else 'fell'} from {fmt(old)} in {before} to {fmt(new)} in {after} "
                f"({_signed(new - old, info, language)})")
    if abs(ratio) < 0.0005:
        return (f"{label}从{before}到{after}持平（{fmt(new)}）" if language == "zh"
                else f"{label} was flat from {before} to {after} ({fmt(new)})")
    pct = format_value(abs(ratio), "percent", language)
    delta = _signed(new - old, info, language)
    if language == "zh":
        return f"{label}从{before}到{after}{'上升' if ratio > 0 else '下降'}{pct}（{delta}）"
    return f"{label} {'rose' if ratio > 0 else 'fell'} {pct} ({delta}) from {before} to {after}"


def _movers(
    columns: list[ColumnInfo], rows: list[tuple[Any, ...]], period: int, dim: int, metric: int,
    before: date, after: date, language: Language,
) -> str:
    """The member whose value rose the most and the one that fell the most, by amount."""
    old = {r[dim]: r[metric] for r in rows if day_of(r[period]) == before}
    new = {r[dim]: r[metric] for r in rows if day_of(r[period]) == after}
    moves = [(m, new[m] - old[m], (new[m] - old[m]) / abs(old[m]) if old[m] else None) for m in new if m in old]
    rise = max((m for m in moves if m[1] > 0), key=lambda m: m[1], default=None)
    fall = min((m for m in moves if m[1] < 0), key=lambda m: m[1], default=None)
    info = columns[metric]

    def told(move: tuple[Any, float, float | None]) -> str:
        member, delta, ratio = move
        pct = "" if ratio is None else ("，" if language == "zh" else ", ") + (
            ("+" if ratio > 0 else "") + format_value(ratio, "percent", language))
        return f"{columns[dim].member(member, language)}（{_signed(delta, info, language)}{pct}）" if language == "zh" \
            else f"{columns[dim].member(member, language)} ({_signed(delta, info, language)}{pct})"

    if language == "zh":
        said = ([f"增加最多的是{told(rise)}"] if rise else []) + ([f"减少最多的是{told(fall)}"] if fall else [])
        return "，".join(said)
    said = ([f"the biggest rise was {told(rise)}"] if rise else []) + ([f"the biggest fall was {told(fall)}"] if fall else [])
    return ", ".join(said)


def _signed(delta: float, info: ColumnInfo, language: Language) -> str:
    """A change with its sign: "+¥5,604", "-¥2.47万"; a rate's change in points."""
    if info.fmt == "percent":
        points = f"{delta * 100:+.{1 if abs(delta) >= 0.001 else 2}f}"
        return f"{points}个百分点" if language == "zh" else f"{points} pts"
    text = format_value(delta, info.fmt, language)
    return f"+{text}" if delta > 0 else text


def _sentences(parts: list[str], language: Language) -> str:
    end = "。" if language == "zh" else "."
    return " ".join(p + end for p in parts if p) if language != "zh" else "".join(p + end for p in parts if p)


def _count_rows(count: int, language: Language) -> str:
    return f"共{count}行结果。" if language == "zh" else f"{count} rows."

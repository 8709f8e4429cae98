"""Attribution inputs a marketer brings: path files, raw touch logs, and their checks.

Every check names the column and the fix: a separator that never occurs while another one
does, counts that are negative or not numbers, yes/no conversion flags genbi cannot read,
and more distinct channels than a chain can sensibly hold (keep the top N, the rest 'other').
"""

from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING, Any

from genbi.lazy import lazy_module

from ..base import ToolError
from ..file_source import FileTable, file_warehouse
from ..roles import RoleSource
from .markov import touch_codes
from .models import path_table

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")

SEPARATORS = (">", "→", "->", "|", ",", ";", "/", "+", " ")
YES = ("1", "1.0", "true", "t", "yes", "y", "是", "converted", "conversion")
NO = ("0", "0.0", "false", "f", "no", "n", "否", "")


def check_separator(texts: pd.Series, separator: str, column: str) -> None:
    """A separator that occurs nowhere while another one splits most paths is a mistake."""
    sample = texts.head(2000)
    if sample.empty or sample.str.contains(separator, regex=False).any():
        return
    for other in SEPARATORS:
        if other != separator and sample.str.strip().str.contains(other, regex=False).mean() > 0.2:
            raise ToolError(
                f"The --separator '{separator}' never occurs in the '{column}' column, but '{other}' "
                f"does (e.g. '{sample[sample.str.contains(other, regex=False)].iloc[0][:60]}').",
                f"Use --separator '{other}'.",
            )


def numeric_column(frame: pd.DataFrame, column: str, flag: str) -> pd.Series:
    """A count or value column as numbers; an error naming the column for text or negatives."""
    values = pd.to_numeric(frame[column], errors="coerce")
    text = frame[column].notna() & values.isna()
    if text.any():
        example = str(frame.loc[text, column].iloc[0])
        hint = ("It holds yes/no values: give a column of counts (a path file) or use --touches-file "
                "for one row per touch with a yes/no conversion flag." if example.strip().lower() in YES + NO
                else f"Point {flag} at a numeric column.")
        raise ToolError(f"The column '{column}' ({flag}) has values that are not numbers, e.g. '{example}'.", hint)
    if (values < 0).any():
        row = int(values[values < 0].index[0])
        raise ToolError(f"The column '{column}' ({flag}) has negative values (row {row + 2}: {values[row]:g}).",
                        "Conversions, values and journey counts cannot be negative; fix or drop those rows.")
    return values.fillna(0.0)


def limit_channels(paths: pd.DataFrame, time_decay: pd.DataFrame | None, max_channels: int,
                   top: int | None) -> tuple[pd.DataFrame, pd.DataFrame | None, list[str]]:
    """Keep at most ``top`` channels (the rest 'other'); refuse more than ``max_channels``."""
    if top is None and len(set(chain.from_iterable(paths["path"]))) <= max_channels:
        return paths, time_decay, []  # nothing to group or refuse: no volumes needed
    channels, code, row, _ = touch_codes(paths)
    weight = (paths["conversions"] + paths["nulls"]).to_numpy(dtype=float)[row]
    volume = pd.Series(np.bincount(code, weight, minlength=len(channels)), index=list(channels))
    volume = volume.sort_values(ascending=False, kind="stable")
    if top is None or len(volume) <= top:
        if len(volume) > max_channels:
            biggest = ", ".join(str(c) for c in volume.index[:5])
            raise ToolError(
                f"The journeys have {len(volume):,} distinct channels, more than --max-channels {max_channels} "
                f"(biggest: {biggest}, ...).",
                "Use --top-channels 50 to keep the 50 biggest and group the rest as 'other', or check "
                "--separator and the channel column.",
            )
        return paths, time_decay, []
    keep = set(volume.index[:top])
    merged = [str(c) for c in volume.index[top:]]
    rename = {c: c if c in keep else "other" for c in volume.index}
    renamed = [tuple(rename[c] for c in p) for p in paths["path"]]
    limited = path_table(renamed, paths["conversions"], paths["value"], paths["nulls"])
    if time_decay is not None:
        time_decay = (time_decay.assign(channel=time_decay["channel"].map(lambda c: rename.get(c, "other")))
                      .groupby("channel", as_index=False)[["conversions", "revenue"]].sum())
    return limited, time_decay, merged


def _flag_sql(column: str) -> str:
    yes = ", ".join(f"'{v}'" for v in YES)
    no = ", ".join(f"'{v}'" for v in NO)
    text = f"lower(trim(CAST({column} AS VARCHAR)))"
    return (f"CASE WHEN {column} IS NULL OR {text} IN ({no}) THEN 0 WHEN {text} IN ({yes}) THEN 1 "
            f"WHEN TRY_CAST({column} AS DOUBLE) > 0 THEN 1 ELSE NULL END")


def touch_log_source(args: Any) -> RoleSource:
    """A raw touch log as touches plus conversions (the rows flagged converted)."""
    columns = {
        args.customer_column: ("customer_id", "id"),
        args.channel_column: ("channel", "text"),
        args.time_column: ("ts", "time"),
        args.converted_column: ("converted", "flag"),
    }
    if args.conversion_value_column:
        columns[args.conversion_value_column] = ("value", "number")
    value = "COALESCE(value, 0.0)" if args.conversion_value_column else "0.0"
    derived = {
        "conversions": f"SELECT row_id AS order_id, customer_id, ts, {value} AS value FROM touches "
                       f"WHERE {_flag_sql('converted')} = 1 AND ts IS NOT NULL",
    }
    warehouse = file_warehouse([FileTable("touches", str(args.touches_file), columns)], derived)
    source = RoleSource(
        roles={"order_entity": "conversions", "order_id": "conversions.order_id",
               "order_customer": "conversions.customer_id", "order_time": "conversions.ts",
               "order_revenue": "conversions.value", "touchpoint_entity": "touches",
               "touchpoint_customer": "touches.customer_id", "touchpoint_channel": "touches.channel",
               "touchpoint_time": "touches.ts"},
        runner=warehouse, keys={"conversions": "order_id", "touches": "row_id"})
    _check_touch_log(source, args)
    return source


def _check_touch_log(source: RoleSource, args: Any) -> None:
    flag = args.converted_column
    bad = source.frame(f"SELECT CAST(converted AS VARCHAR) AS v FROM touches WHERE ({_flag_sql('converted')}) IS NULL LIMIT 3")
    if not bad.empty:
        examples = ", ".join(repr(v) for v in bad["v"])
        raise ToolError(f"The column '{flag}' (--converted-column) has values genbi cannot read as converted or not: {examples}.",
                        "Use 1/0, true/false or yes/no (negative numbers are not conversions).")
    if args.conversion_value_column:
        negative = source.frame("SELECT COUNT(*) AS n FROM touches WHERE value < 0")["n"].iloc[0]
        if negative:
            raise ToolError(f"The column '{args.conversion_value_column}' (--conversion-value-column) has "
                            f"{int(negative)} negative values.", "Conversion values cannot be negative; fix or drop those rows.")
    converted = source.frame("SELECT COUNT(*) AS n FROM conversions")["n"].iloc[0]
    if not converted:
        raise ToolError(f"The file has no conversions: '{flag}' is 0/no on every row.",
                        "Check --converted-column names the column that marks a conversion.")

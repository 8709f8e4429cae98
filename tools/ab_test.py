"""A/B/n test readout: rates and means per variant, differences with CIs, p-values, SRM.

The pure core works on sufficient statistics per variant and outcome (n, sum, sum of
squares), so the warehouse aggregates in SQL and a file is summarised in pandas; the same
numbers come out. Binary outcomes (0/1) get a two-proportion z-test (statsmodels,
pooled), a Wald CI on the difference and a chi-square test across all variants (scipy);
other outcomes a Welch t-test (scipy, from the statistics) with a Welch-Satterthwaite CI.
With several treatments the p-values are Holm-adjusted (statsmodels). The sample-ratio
check is a chi-square goodness-of-fit of the assignment counts against the planned split.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from pydantic import BaseModel, ConfigDict, Field

from genbi.lazy import lazy_module

from .base import ToolError, ToolResult, ToolSpec, register_tool
from .files import read_table, require_columns, split_list
from .roles import RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
    import plotly.subplots as subplots
    import scipy.stats as stats
    import statsmodels.stats.multitest as multitest
    import statsmodels.stats.proportion as proportion
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    go = lazy_module("plotly.graph_objects")
    subplots = lazy_module("plotly.subplots")
    stats = lazy_module("scipy.stats")
    multitest = lazy_module("statsmodels.stats.multitest")
    proportion = lazy_module("statsmodels.stats.proportion")

NAME = "ab_test"
SRM_ALPHA = 0.001
STAT_COLUMNS = ["variant", "outcome", "binary", "n", "sum", "sum_sq"]


class ABTestArgs(BaseModel):
    """Read out an A/B/n experiment: per-variant results, lifts, significance, SRM."""

    model_config = ConfigDict(extra="forbid")

    experiment: str | None = Field(None, description="Experiment id; default: every experiment.")
    control: str | None = Field(None, description="Control variant; default 'control' or 'A'.")
    alpha: float = Field(0.05, gt=0, lt=0.5, description="Significance level.")
    expected_split: str | None = Field(
        None, description="Planned traffic split in variant order, e.g. '50,50'; default equal."
    )
    file: str | None = Field(None, description="An assignments file instead of the warehouse.")
    variant_column: str = "variant"
    outcome_columns: str = Field("converted,revenue", description="Comma-separated outcomes.")
    experiment_column: str | None = Field(None, description="Experiment id column in the file.")


# --- pure core ------------------------------------------------------------------------------


def summarise(frame: pd.DataFrame, variant: str, outcomes: list[str]) -> pd.DataFrame:
    """Sufficient statistics per variant and outcome from one row per assignment."""
    rows = []
    for outcome in outcomes:
        values = pd.to_numeric(frame[outcome].astype("float64"), errors="coerce").fillna(0.0)
        binary = bool(values.isin([0.0, 1.0]).all())
        grouped = values.groupby(frame[variant].astype(str), sort=True)
        for name, part in grouped:
            rows.append((name, outcome, binary, len(part), part.sum(), (part**2).sum()))
    return pd.DataFrame(rows, columns=STAT_COLUMNS)


def choose_control(variants: list[str], control: str | None) -> str:
    if control is not None:
        if control not in variants:
            raise ToolError(
                f"'{control}' is not a variant of this experiment.",
                f"Variants: {', '.join(variants)}.",
            )
        return control
    for name in ("control", "Control", "A", "a", "baseline"):
        if name in variants:
            return name
    return sorted(variants)[0]


def compare(
    summary: pd.DataFrame, control: str | None = None, alpha: float = 0.05
) -> pd.DataFrame:
    """One row per variant and outcome: value, CI, difference to control, CI, p-values."""
    variants = sorted(summary["variant"].unique())
    if len(variants) < 2:
        raise ToolError("An experiment needs at least two variants to compare.")
    base = choose_control(variants, control)
    frames = [_compare_outcome(part, base, alpha) for _, part in summary.groupby("outcome", sort=False)]
    return pd.concat(frames, ignore_index=True)


def _compare_outcome(part: pd.DataFrame, base: str, alpha: float) -> pd.DataFrame:
    part = part.set_index("variant")
    binary = bool(part["binary"].iloc[0])
    ctl = cast(pd.Series, part.loc[base])
    rows: list[dict[str, Any]] = []
    for name, row in part.iterrows():
        rows.append({"variant": name, "outcome": row["outcome"], "is_control": name == base}
                    | _level(row, binary, alpha)
                    | ({} if name == base else _difference(row, ctl, binary, alpha)))
    out = pd.DataFrame(rows)
    tested = ~out["is_control"]
    out["p_adjusted"] = np.nan
    if tested.sum() > 0:
        out.loc[tested, "p_adjusted"] = multitest.multipletests(out.loc[tested, "p_value"], method="holm")[1]
    out["significant"] = out["p_adjusted"] < alpha
    if binary:
        table = np.array([[r["sum"], r["n"] - r["sum"]] for _, r in part.iterrows()])
        usable = bool((table.sum(axis=0) > 0).all())
        out["overall_p_value"] = (
            float(stats.chi2_contingency(table, correction=False)[1]) if usable else np.nan
        )
    return out


def _level(row: pd.Series, binary: bool, alpha: float) -> dict[str, Any]:
    n, total = float(row["n"]), float(row["sum"])
    mean = total / n
    if binary:
        low, high = proportion.proportion_confint(total, n, alpha=alpha, method="wilson")
        return {"n": int(n), "metric": "rate", "value": mean, "value_low": low, "value_high": high}
    sd = _sd(row)
    half = stats.t.ppf(1 - alpha / 2, max(n - 1, 1)) * sd / np.sqrt(n)
    return {"n": int(n), "metric": "mean", "value": mean, "value_low": mean - half, "value_high": mean + half}


def _sd(row: pd.Series) -> float:
    n, total, sq = float(row["n"]), float(row["sum"]), float(row["sum_sq"])
    return float(np.sqrt(max(sq - total * total / n, 0.0) / max(n - 1, 1)))


def _difference(row: pd.Series, ctl: pd.Series, binary: bool, alpha: float) -> dict[str, Any]:
    n1, s1, n0, s0 = float(row["n"]), float(row["sum"]), float(ctl["n"]), float(ctl["sum"])
    m1, m0 = s1 / n1, s0 / n0
    if binary:
        _, p = proportion.proportions_ztest([s1, s0], [n1, n0])
        low, high = proportion.confint_proportions_2indep(s1, n1, s0, n0, method="wald", compare="diff", alpha=alpha)
        test = "two-proportion z"
    else:
        sd1, sd0 = _sd(row), _sd(ctl)
        p = stats.ttest_ind_from_stats(m1, sd1, n1, m0, sd0, n0, equal_var=False).pvalue
        v1, v0 = sd1**2 / n1, sd0**2 / n0
        se = np.sqrt(v1 + v0)
        df = (v1 + v0) ** 2 / (v1**2 / max(n1 - 1, 1) + v0**2 / max(n0 - 1, 1)) if se > 0 else 1.0
        half = stats.t.ppf(1 - alpha / 2, df) * se
        low, high = (m1 - m0) - half, (m1 - m0) + half
        test = "Welch t"
    return {
        "difference": m1 - m0, "diff_low": float(low), "diff_high": float(high),
        "relative_lift": (m1 - m0) / m0 if m0 else np.nan, "p_value": float(np.nan_to_num(p, nan=1.0)),
        "test": test,
    }


def sample_ratio_check(counts: pd.Series, expected_split: list[float] | None = None) -> dict[str, Any]:
    """Chi-square goodness of fit of assignment counts against the planned split."""
    observed = counts.to_numpy(dtype=float)
    weights = np.ones(len(observed)) if expected_split is None else np.asarray(expected_split, float)
    if len(weights) != len(observed):
        raise ToolError(
            f"The planned split has {len(weights)} parts but there are {len(observed)} variants.",
            "Give one share per variant, in variant order (alphabetical).",
        )
    expected = observed.sum() * weights / weights.sum()
    statistic, p = stats.chisquare(observed, expected)
    return {"srm_chi2": round(float(statistic), 4), "srm_p_value": float(p), "srm_detected": bool(p < SRM_ALPHA)}


def verdict(result: pd.DataFrame, srm: dict[str, Any], alpha: float) -> dict[str, str]:
    """A plain-language verdict on the first outcome, in English and Chinese."""
    primary = result[result["outcome"] == result["outcome"].iloc[0]]
    control = str(primary.loc[primary["is_control"], "variant"].iloc[0])
    treatments = primary[~primary["is_control"]].sort_values("p_adjusted")
    best = treatments.iloc[0]
    name, outcome = str(best["variant"]), str(best["outcome"])
    change = _describe(best)
    conf = round((1 - alpha) * 100)
    if bool(best["significant"]):
        direction = "better" if best["difference"] > 0 else "worse"
        zh_dir = "优于" if best["difference"] > 0 else "差于"
        en = (f"'{name}' is significantly {direction} than '{control}' on {outcome}: {change} "
              f"({conf}% CI {_fmt(best, 'diff_low')} to {_fmt(best, 'diff_high')}, "
              f"p = {best['p_adjusted']:.3g}).")
        zh = (f"实验组「{name}」在 {outcome} 上显著{zh_dir}对照组「{control}」：{change}"
              f"（{conf}% 置信区间 {_fmt(best, 'diff_low')} 至 {_fmt(best, 'diff_high')}，p = {best['p_adjusted']:.3g}）。")
    else:
        en = (f"No significant difference on {outcome}: the best variant '{name}' vs '{control}' "
              f"is {change} (p = {best['p_adjusted']:.3g}); keep the test running or treat it as no effect.")
        zh = (f"{outcome} 上没有显著差异：表现最好的「{name}」相对「{control}」为 {change}"
              f"（p = {best['p_adjusted']:.3g}），可继续实验或视为无效果。")
    if srm["srm_detected"]:
        en += f" Warning: sample ratio mismatch (p = {srm['srm_p_value']:.2g}); check the assignment before trusting this."
        zh += f" 警告：样本比例失衡（SRM，p = {srm['srm_p_value']:.2g}），请先检查分流。"
    return {"verdict_en": en, "verdict_zh": zh}


def _describe(row: pd.Series) -> str:
    if row["metric"] == "rate":
        return f"{row['difference'] * 100:+.2f} pp ({row['relative_lift']:+.1%})"
    return f"{row['difference']:+.2f} per user ({row['relative_lift']:+.1%})"


def _fmt(row: pd.Series, key: str) -> str:
    return f"{row[key] * 100:+.2f} pp" if row["metric"] == "rate" else f"{row[key]:+.2f}"


# --- data ------------------------------------------------------------------------------------

_WAREHOUSE_SQL = """
SELECT CAST({e_id} AS VARCHAR) AS experiment, CAST({e_var} AS VARCHAR) AS variant,
       COUNT(*) AS n,
       SUM(CAST({e_conv} AS DOUBLE)) AS conv_sum,
       SUM(CAST({e_conv} AS DOUBLE) * CAST({e_conv} AS DOUBLE)) AS conv_sq,
       {rev_sum} AS rev_sum, {rev_sq} AS rev_sq
FROM {T_e} GROUP BY 1, 2 ORDER BY 1, 2"""


def _warehouse_stats(source: RoleSource) -> pd.DataFrame:
    slots = {"T_e": "experiment_entity", "e_id": "experiment_id", "e_var": "experiment_variant",
             "e_conv": "experiment_converted"}
    has_revenue = source.has("experiment_revenue")
    template = _WAREHOUSE_SQL.format(
        e_id="{e_id}", e_var="{e_var}", e_conv="{e_conv}", T_e="{T_e}",
        rev_sum="SUM(CAST(COALESCE({e_rev}, 0) AS DOUBLE))" if has_revenue else "NULL",
        rev_sq="SUM(CAST(COALESCE({e_rev}, 0) AS DOUBLE) * CAST(COALESCE({e_rev}, 0) AS DOUBLE))" if has_revenue else "NULL",
    )
    if has_revenue:
        slots["e_rev"] = "experiment_revenue"
    raw = source.query(template, slots)
    parts = [raw.assign(outcome="converted", binary=True, sum=raw["conv_sum"], sum_sq=raw["conv_sq"])]
    if has_revenue:
        parts.append(raw.assign(outcome="revenue", binary=False, sum=raw["rev_sum"], sum_sq=raw["rev_sq"]))
    out = pd.concat(parts, ignore_index=True)
    return out.astype({"n": int, "sum": float, "sum_sq": float})[["experiment", *STAT_COLUMNS]]


def _file_stats(args: ABTestArgs) -> pd.DataFrame:
    assert args.file is not None
    frame = read_table(args.file)
    outcomes = split_list(args.outcome_columns)
    mapping = {"variant_column": args.variant_column} | {f"outcome_columns[{o}]": o for o in outcomes}
    if args.experiment_column:
        mapping["experiment_column"] = args.experiment_column
    require_columns(frame, mapping, f"Assignments file {args.file}")
    if not args.experiment_column:
        return summarise(frame, args.variant_column, outcomes).assign(experiment="experiment")
    parts = [summarise(part, args.variant_column, outcomes).assign(experiment=str(name))
             for name, part in frame.groupby(args.experiment_column, sort=True)]
    return pd.concat(parts, ignore_index=True)


def run(args: ABTestArgs, source: RoleSource | None = None) -> ToolResult:
    """Analyse one experiment (or each experiment) and give a verdict."""
    sql: tuple[str, ...] = ()
    if args.file:
        all_stats = _file_stats(args)
    elif source is not None:
        before = len(source.executed)
        all_stats = _warehouse_stats(source)
        sql = tuple(source.executed[before:])
    else:
        raise ToolError("The A/B test tool needs a warehouse or --file.")
    experiments = sorted(all_stats["experiment"].unique())
    if args.experiment is not None:
        if args.experiment not in experiments:
            raise ToolError(f"There is no experiment '{args.experiment}'.", f"Experiments: {', '.join(experiments)}.")
        experiments = [args.experiment]
    split = [float(x) for x in split_list(args.expected_split)] if args.expected_split else None
    tables, facts = [], {}
    for name in experiments:
        stats_ = all_stats[all_stats["experiment"] == name].drop(columns="experiment")
        result = compare(stats_, args.control, args.alpha)
        counts = stats_.drop_duplicates("variant").set_index("variant")["n"].sort_index()
        srm = sample_ratio_check(counts, split)
        facts[name] = _facts(result, srm, args.alpha)
        tables.append(result.assign(experiment=name))
    table = pd.concat(tables, ignore_index=True)
    table = table[["experiment", *[c for c in table.columns if c != "experiment"]]]
    summary = facts[experiments[0]] if len(experiments) == 1 else {"experiments": facts}
    return ToolResult(tool=NAME, table=table, chart=_chart(table), facts=summary, sql=sql)


def _facts(result: pd.DataFrame, srm: dict[str, Any], alpha: float) -> dict[str, Any]:
    primary = result[result["outcome"] == result["outcome"].iloc[0]]
    return {
        "control": str(primary.loc[primary["is_control"], "variant"].iloc[0]),
        "variants": [str(v) for v in primary["variant"]],
        "n": {str(r.variant): int(r.n) for r in primary.itertuples()},
        "primary_outcome": str(primary["outcome"].iloc[0]),
        "values": {str(r.variant): round(float(r.value), 6) for r in primary.itertuples()},
        "significant": bool(primary["significant"].any()),
        "min_p_adjusted": round(float(primary["p_adjusted"].min()), 6),
        "alpha": alpha,
        **srm,
        **verdict(result, srm, alpha),
    }


def _chart(table: pd.DataFrame) -> go.Figure:
    outcomes = list(dict.fromkeys(table["outcome"]))
    figure = subplots.make_subplots(rows=1, cols=len(outcomes), subplot_titles=outcomes)
    for col, outcome in enumerate(outcomes, start=1):
        part = table[table["outcome"] == outcome]
        labels = part["experiment"] + " · " + part["variant"] if part["experiment"].nunique() > 1 else part["variant"]
        figure.add_bar(
            x=labels, y=part["value"], name=outcome, showlegend=False,
            marker_color=np.where(part["is_control"], "#9aa5b1", "#3b82f6"),
            error_y={"type": "data", "symmetric": False,
                     "array": part["value_high"] - part["value"], "arrayminus": part["value"] - part["value_low"]},
            row=1, col=col,
        )
    figure.update_layout(title="Experiment results with confidence intervals / 实验结果与置信区间")
    return figure


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=ABTestArgs,
        run=run,
        description=(
            "A/B/n experiment readout: per-variant conversion rate and revenue per user, "
            "differences with confidence intervals, z / chi-square / Welch t p-values, "
            "sample-ratio-mismatch check and a plain-language verdict (en/zh)."
        ),
        intents=("A/B", "AB test", "A/B test", "experiment", "split test", "significance",
                 "p-value", "lift", "SRM", "实验", "AB测试", "A/B测试", "显著", "显著性", "对照组", "实验组"),
    )
)

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

import re
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from genbi.lazy import lazy_module

from . import ab_stats
from .audience_sql import PLACEHOLDER
from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .customer_orders import latest_order_date
from .customer_where import WHERE_CONDITIONS, customer_audience
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
DEPTH_COLUMNS = ("sd", "chance_to_beat_control", "p_always_valid", "mde", "mde_relative")
"""Per-row Bayesian, sequential and power numbers: in ``tables['depth']`` and the facts."""
TAU_RELATIVE = 0.1
"""The always-valid p-value mixes over effects of about 10% of the control's mean."""
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
    where: str | None = Field(None, description=WHERE_CONDITIONS + " The test is read out on their assignments "
                              "only (a subgroup: the planned split still applies to it).")
    variant_column: str = "variant"
    outcome_columns: str = Field("converted,revenue", description="Comma-separated outcomes.")
    experiment_column: str | None = Field(None, description="Experiment id column in the file.")
    users_column: str | None = Field(
        None, description="Aggregated file: units per variant; outcome columns then hold totals (conversions, "
                          "revenue; a continuous total also needs '<outcome>_sq', its sum of squares).")
    covariate_column: str | None = Field(None, description="CUPED: a pre-period covariate per unit (e.g. revenue before).")
    cap_quantile: float | None = Field(None, gt=0.5, lt=1, description="Cap continuous outcomes at this pooled quantile.")
    ratio_metrics: str | None = Field(None, description="Ratio metrics by the delta method, e.g. 'revenue/orders'.")
    correction: Literal["holm", "bonferroni", "fdr_bh", "none"] = Field(
        "holm", description="Multiple-testing correction over every variant x outcome test.")
    power: float = Field(0.8, gt=0.5, lt=1, description="Power for the minimum detectable effect.")
    target_lift: float = Field(0.05, gt=0, le=5, description="Relative lift the sample-size plan is for.")

    @classmethod
    def from_question(cls, question: str, values: list[tuple[str, Any]]) -> dict[str, Any]:
        """"sample size for a 2% lift", "80% power", "提升3%": the plan's lift and power."""
        found: dict[str, Any] = {}
        lift = re.search(r"(\d+(?:\.\d+)?)\s*%\s*(?:relative\s+)?(?:lift|uplift|increase|improvement|提升|增长)"
                         r"|(?:lift|uplift|提升|增长)\s*(?:of|为|是)?\s*(\d+(?:\.\d+)?)\s*%", question, re.IGNORECASE)
        if lift:
            found["target_lift"] = float(lift.group(1) or lift.group(2)) / 100
        power = re.search(r"(\d+(?:\.\d+)?)\s*%\s*power|power\s*(?:of|=|:)?\s*(\d+(?:\.\d+)?)\s*%"
                          r"|(?:功效|检验力|统计功效)\s*(?:为|是)?\s*(\d+(?:\.\d+)?)\s*%", question, re.IGNORECASE)
        if power:
            found["power"] = float(power.group(1) or power.group(2) or power.group(3)) / 100
        return found


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
    summary: pd.DataFrame, control: str | None = None, alpha: float = 0.05, correction: str = "holm",
    power: float = 0.8,
) -> pd.DataFrame:
    """One row per variant and outcome: value, CI, difference to control, CI, p-values
    (adjusted over every variant x outcome test), chance to beat control, always-valid p,
    minimum detectable effect."""
    variants = sorted(summary["variant"].unique())
    if len(variants) < 2:
        raise ToolError("An experiment needs at least two variants to compare.")
    base = choose_control(variants, control)
    frames = [_compare_outcome(part, base, alpha, power) for _, part in summary.groupby("outcome", sort=False)]
    return adjust(pd.concat(frames, ignore_index=True), correction, alpha)


def adjust(table: pd.DataFrame, correction: str, alpha: float) -> pd.DataFrame:
    """``p_adjusted`` and ``significant`` over every tested row (treatments x outcomes)."""
    table = table.copy()
    tested = ~table["is_control"]
    table["p_adjusted"] = np.nan
    if tested.sum() > 0:
        p = table.loc[tested, "p_value"].to_numpy(dtype=float)
        table.loc[tested, "p_adjusted"] = p if correction == "none" else multitest.multipletests(p, method=correction)[1]
    table["significant"] = table["p_adjusted"] < alpha
    return table


def _compare_outcome(part: pd.DataFrame, base: str, alpha: float, power: float = 0.8) -> pd.DataFrame:
    part = part.set_index("variant")
    binary = bool(part["binary"].iloc[0])
    ctl = cast(pd.Series, part.loc[base])
    rows: list[dict[str, Any]] = []
    for name, row in part.iterrows():
        rows.append({"variant": name, "outcome": row["outcome"], "is_control": name == base}
                    | _level(row, binary, alpha)
                    | ({} if name == base else _difference(row, ctl, binary, alpha) | _depth(row, ctl, binary, alpha, power)))
    out = pd.DataFrame(rows)
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
        return {"n": int(n), "metric": "rate", "value": mean, "value_low": low, "value_high": high,
                "sd": float(np.sqrt(mean * (1 - mean)))}
    sd = _sd(row)
    half = stats.t.ppf(1 - alpha / 2, max(n - 1, 1)) * sd / np.sqrt(n)
    return {"n": int(n), "metric": "mean", "value": mean, "value_low": mean - half, "value_high": mean + half,
            "sd": sd}


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


def _depth(row: pd.Series, ctl: pd.Series, binary: bool, alpha: float, power: float) -> dict[str, Any]:
    """Chance to beat control, always-valid p, minimum detectable effect for one comparison."""
    n1, s1, n0, s0 = float(row["n"]), float(row["sum"]), float(ctl["n"]), float(ctl["sum"])
    m1, m0 = s1 / n1, s0 / n0
    if binary:
        var1, var0 = m1 * (1 - m1), m0 * (1 - m0)
        chance = ab_stats.chance_to_beat(s1, n1, s0, n0)
    else:
        var1, var0 = _sd(row) ** 2, _sd(ctl) ** 2
        chance = ab_stats.chance_to_beat_mean(m1 - m0, float(np.sqrt(var1 / n1 + var0 / n0)))
    variance = var1 / n1 + var0 / n0
    tau = TAU_RELATIVE * abs(m0) if m0 else float(np.sqrt(var0)) or 1.0
    mde = ab_stats.minimum_detectable_effect(float(np.sqrt(var0)), n0, n1, alpha, power)
    return {"chance_to_beat_control": chance,
            "p_always_valid": ab_stats.always_valid_p(m1 - m0, variance, tau**2),
            "mde": mde, "mde_relative": mde / abs(m0) if m0 else np.nan}


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
        en = (f"SAMPLE RATIO MISMATCH (p = {srm['srm_p_value']:.2g}): the variants did not get the planned "
              f"split, so the assignment is broken and the result below is not trustworthy. {en}")
        zh = f"【样本比例失衡 SRM，p = {srm['srm_p_value']:.2g}】分流与计划不符，以下结果不可信，请先检查分流。{zh}"
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
FROM {T_e}<WHO> GROUP BY 1, 2 ORDER BY 1, 2"""


def _warehouse_stats(source: RoleSource, where: str | None = None) -> pd.DataFrame:
    """Sufficient statistics per experiment and variant; ``where``: of those customers' assignments."""
    slots = {"T_e": "experiment_entity", "e_id": "experiment_id", "e_var": "experiment_variant",
             "e_conv": "experiment_converted"}
    values: dict[str, Any] = {}
    who = ""
    if where:
        if not source.has("experiment_customer"):
            raise ToolError("The experiment table has no customer column, so the test can't be read out for some "
                            "customers.", "Leave out the customer condition.")
        slots["e_cust"] = "experiment_customer"
        values[PLACEHOLDER] = customer_audience(source, where, latest_order_date(source)).tree(source)
        who = " WHERE {e_cust} IN (SELECT customer_id FROM " + PLACEHOLDER + ")"
    has_revenue = source.has("experiment_revenue")
    template = _WAREHOUSE_SQL.format(
        e_id="{e_id}", e_var="{e_var}", e_conv="{e_conv}", T_e="{T_e}",
        rev_sum="SUM(CAST(COALESCE({e_rev}, 0) AS DOUBLE))" if has_revenue else "NULL",
        rev_sq="SUM(CAST(COALESCE({e_rev}, 0) AS DOUBLE) * CAST(COALESCE({e_rev}, 0) AS DOUBLE))" if has_revenue else "NULL",
    ).replace("<WHO>", who)
    if has_revenue:
        slots["e_rev"] = "experiment_revenue"
    raw = source.query(template, slots, **values)
    if where and raw.empty:
        raise ToolError(f"No customer of '{where}' is in an experiment.",
                        "Check the condition with a question such as 'how many customers ...'.")
    parts = [raw.assign(outcome="converted", binary=True, sum=raw["conv_sum"], sum_sq=raw["conv_sq"])]
    if has_revenue:
        parts.append(raw.assign(outcome="revenue", binary=False, sum=raw["rev_sum"], sum_sq=raw["rev_sq"]))
    out = pd.concat(parts, ignore_index=True)
    return out.astype({"n": int, "sum": float, "sum_sq": float})[["experiment", *STAT_COLUMNS]]


def _file_stats(args: ABTestArgs) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Sufficient statistics per experiment, variant and outcome from a file, and notes on
    what was done to the data (capping, CUPED)."""
    assert args.file is not None
    frame = read_table(args.file)
    outcomes = split_list(args.outcome_columns)
    mapping = {"variant_column": args.variant_column} | {f"outcome_columns[{o}]": o for o in outcomes}
    for flag in ("experiment_column", "users_column", "covariate_column"):
        if getattr(args, flag):
            mapping[flag] = getattr(args, flag)
    require_columns(frame, mapping, f"Assignments file {args.file}")
    if args.users_column:
        return _aggregated_stats(frame, args, outcomes), {"input": "aggregated counts per variant"}
    notes: dict[str, Any] = {}
    for outcome in outcomes:
        values = _numbers(frame, outcome)
        if args.cap_quantile and not values.isin([0.0, 1.0]).all():
            capped, limit = ab_stats.cap(values.to_numpy(), args.cap_quantile)
            frame[outcome] = capped
            notes.setdefault("capped_at", {})[outcome] = round(limit, 4)
        if args.covariate_column:
            adjusted, theta, reduction = ab_stats.cuped(_numbers(frame, outcome).to_numpy(), _numbers(frame, args.covariate_column).to_numpy())
            frame[outcome] = adjusted + 1e-12  # adjusted values are continuous: a Welch test, never a z-test
            notes.setdefault("cuped", {})[outcome] = {"theta": round(theta, 6), "variance_reduction": round(reduction, 4)}
    groups = frame.groupby(args.experiment_column, sort=True) if args.experiment_column else [("experiment", frame)]
    parts = [summarise(part, args.variant_column, outcomes).assign(experiment=str(name)) for name, part in groups]
    return pd.concat(parts, ignore_index=True), notes


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    values = pd.to_numeric(frame[column], errors="coerce")
    text = frame[column].notna() & values.isna()
    if text.any():
        example = str(frame.loc[text, column].iloc[0])
        yes_no = example.strip().lower() in ("yes", "no", "y", "n", "true", "false", "是", "否")
        if not yes_no:
            raise ToolError(f"The column '{column}' has values that are not numbers, e.g. '{example}'.",
                            "Point the outcome flags at numeric columns (1/0 for conversions).")
        values = frame[column].astype(str).str.strip().str.lower().isin(("yes", "y", "true", "是")).astype(float)
    return values.fillna(0.0)


def _aggregated_stats(frame: pd.DataFrame, args: ABTestArgs, outcomes: list[str]) -> pd.DataFrame:
    """One row per variant with a unit count and outcome totals -> sufficient statistics."""
    assert args.users_column is not None
    users = _numbers(frame, args.users_column)
    rows = []
    for outcome in outcomes:
        total = _numbers(frame, outcome)
        if (total < 0).any():
            raise ToolError(f"The column '{outcome}' has negative totals.", "Totals per variant cannot be negative.")
        binary = f"{outcome}_sq" not in frame.columns
        if binary and (total > users).any():
            raise ToolError(
                f"The column '{outcome}' has more than '{args.users_column}' in some rows: as a conversion count it "
                "cannot exceed the units.",
                f"For a continuous total (e.g. revenue) add its sum of squares as '{outcome}_sq'.")
        squares = total if binary else _numbers(frame, f"{outcome}_sq")
        experiment = frame[args.experiment_column].astype(str) if args.experiment_column else "experiment"
        rows.append(pd.DataFrame({"experiment": experiment, "variant": frame[args.variant_column].astype(str),
                                  "outcome": outcome, "binary": binary, "n": users.astype(int),
                                  "sum": total, "sum_sq": squares}))
    return pd.concat(rows, ignore_index=True)[["experiment", *STAT_COLUMNS]]


def _ratio_rows(args: ABTestArgs, experiment: str, base: str, alpha: float) -> pd.DataFrame:
    """Ratio metrics (numerator/denominator per unit) by the delta method, per variant."""
    assert args.file is not None and args.ratio_metrics is not None
    frame = read_table(args.file)
    if args.experiment_column:
        frame = frame[frame[args.experiment_column].astype(str) == experiment]
    rows: list[dict[str, Any]] = []
    for spec in split_list(args.ratio_metrics):
        top, _, bottom = spec.partition("/")
        require_columns(frame, {"ratio_metrics numerator": top.strip(), "ratio_metrics denominator": bottom.strip()},
                        f"Assignments file {args.file}")
        parts = {str(v): ab_stats.ratio_delta(_numbers(g, top.strip()).to_numpy(), _numbers(g, bottom.strip()).to_numpy())
                 for v, g in frame.groupby(args.variant_column)}
        ratio0, var0 = parts[base]
        z = stats.norm.ppf(1 - alpha / 2)
        for variant, (ratio, var) in parts.items():
            row: dict[str, Any] = {"variant": variant, "outcome": spec, "is_control": variant == base, "metric": "ratio",
                                   "n": int((frame[args.variant_column].astype(str) == variant).sum()), "value": ratio,
                                   "value_low": ratio - z * np.sqrt(var), "value_high": ratio + z * np.sqrt(var)}
            if variant != base:
                se = float(np.sqrt(var + var0))
                diff = ratio - ratio0
                row |= {"difference": diff, "diff_low": diff - z * se, "diff_high": diff + z * se,
                        "relative_lift": diff / ratio0 if ratio0 else np.nan,
                        "p_value": float(2 * stats.norm.sf(abs(diff) / se)) if se > 0 else 1.0,
                        "test": "delta-method z", "chance_to_beat_control": ab_stats.chance_to_beat_mean(diff, se)}
            rows.append(row)
    return pd.DataFrame(rows)


def run(args: ABTestArgs, source: RoleSource | None = None) -> ToolResult:
    """Analyse one experiment (or each experiment) and give a verdict."""
    sql: tuple[str, ...] = ()
    notes: dict[str, Any] = {}
    if args.file and args.where:
        raise ToolError("A customer condition (where) needs the warehouse: an assignments file has no customer "
                        "attributes.", "Leave out --where, or run the test on the warehouse.")
    if args.file:
        all_stats, notes = _file_stats(args)
    elif source is not None:
        before = len(source.executed)
        all_stats = _warehouse_stats(source, args.where)
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
        result = compare(stats_, args.control, args.alpha, "none", args.power)
        if args.ratio_metrics and args.file and not args.users_column:
            base = str(result.loc[result["is_control"], "variant"].iloc[0])
            result = pd.concat([result, _ratio_rows(args, name, base, args.alpha)], ignore_index=True)
        result = adjust(result, args.correction, args.alpha)
        counts = stats_.drop_duplicates("variant").set_index("variant")["n"].sort_index()
        srm = sample_ratio_check(counts, split)
        facts[name] = _facts(result, srm, args.alpha) | _planning(result, args) | notes
        tables.append(result.assign(experiment=name))
    table = pd.concat(tables, ignore_index=True)
    table = table[["experiment", *[c for c in table.columns if c != "experiment"]]]
    summary = facts[experiments[0]] if len(experiments) == 1 else {"experiments": facts}
    depth = table[["experiment", "variant", "outcome", *[c for c in DEPTH_COLUMNS if c in table]]]
    table = table.drop(columns=[c for c in DEPTH_COLUMNS if c in table])
    return ToolResult(tool=NAME, table=table, chart=chart(lambda: _chart(table)), facts=summary, sql=sql, tables={"depth": depth})


def _planning(result: pd.DataFrame, args: ABTestArgs) -> dict[str, Any]:
    """Bayesian, sequential and power numbers of the primary outcome's treatments."""
    primary = result[(result["outcome"] == result["outcome"].iloc[0]) & ~result["is_control"]]
    control = result[(result["outcome"] == result["outcome"].iloc[0]) & result["is_control"]].iloc[0]
    out: dict[str, Any] = {
        "correction": args.correction,
        "chance_to_beat_control": {str(r.variant): round(float(r.chance_to_beat_control), 4) for r in primary.itertuples()},
        "p_always_valid": {str(r.variant): round(float(r.p_always_valid), 6) for r in primary.itertuples()},
        "mde_relative": {str(r.variant): round(float(r.mde_relative), 4) for r in primary.itertuples()},
        "definitions": {
            "chance_to_beat_control": "Bayesian P(treatment > control); Beta(1,1) priors for rates, flat prior for means",
            "p_always_valid": f"mSPRT always-valid p-value, normal mixture with tau = {TAU_RELATIVE:.0%} of the control mean",
            "mde_relative": f"smallest relative difference a two-sided test detects with power {args.power:.0%} at these sizes",
        },
    }
    mean = float(control["value"])
    sd = float(control.get("sd", np.nan))
    if mean and np.isfinite(sd) and sd > 0:
        out["sample_size_per_variant"] = {f"{args.target_lift:.0%} lift": ab_stats.sample_size(
            sd, abs(mean) * args.target_lift, args.alpha, args.power)}
    return out


def _facts(result: pd.DataFrame, srm: dict[str, Any], alpha: float) -> dict[str, Any]:
    primary = result[result["outcome"] == result["outcome"].iloc[0]]
    return {
        **({"srm_warning": "SAMPLE RATIO MISMATCH: the split differs from the plan; do not trust the result "
                           "until the assignment is fixed"} if srm["srm_detected"] else {}),
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
            "differences with confidence intervals, z / chi-square / Welch t p-values corrected over "
            "every variant and outcome, Bayesian chance to beat control, always-valid (sequential) "
            "p-values, minimum detectable effect and sample size, CUPED, capping, delta-method "
            "ratio metrics, aggregated counts per variant, a prominent sample-ratio-mismatch check "
            "and a plain-language verdict (en/zh)."
        ),
        intents=("A/B", "AB test", "A/B test", "experiment", "split test", "significance",
                 "p-value", "lift", "SRM", "sample size", "minimum detectable effect", "MDE", "power analysis", "uplift",
                 "实验", "AB测试", "A/B测试", "显著", "显著性", "对照组", "实验组", "样本量", "最小可检测效应"),
        actions=(  # "did the checkout coupon test win", "which variant won"
            r"\b(?:test|experiment|variant|version|arm)s?\b.{0,30}\b(?:win|wins|won|winner|beat|beats|better|worse)\b"
            r"|\b(?:which|what)\s+(?:variant|version|arm|group)\b.{0,20}\b(?:won|wins|winner|better|best|performed)\b",
            r"(?:实验|测试|哪[一1]?个版本|哪[一1]?组|哪[一1]?个组).{0,10}(?:赢|胜出|更好|效果更好|效果好|更优|表现更?好)",
            # a test's outcome asked for: "how did the winback sms test do", "results of the banner test"
            r"\bhow\s+(?:did|does|is|was)\b.{0,40}\b(?:test|experiment)s?\s+(?:do|doing|go|going|perform\w*|turn\w* out)\b"
            r"|\b(?:test|experiment)s?\s+(?:results?|outcomes?|readouts?|verdicts?)\b"
            r"|\b(?:results?|outcomes?|readouts?|verdicts?)\s+(?:of|for|from)\s+(?:the\s+|our\s+)?.{0,30}?\b(?:test|experiment)s?\b",
            r"(?:实验|测试|AB|A/B)的?(?:结果|效果|结论)",
            # planning a test: "sample size for a 10% uplift at 90% power", "users needed to detect a 2% lift"
            r"\b(?:sample size|users|visitors|participants|people)\b.{0,40}\b(?:to detect|detect)\b"
            r"|\b\d+(?:\.\d+)?\s*%\s*power\b|\bpower (?:analysis|calculation)\b|\bminimum detectable effect\b",
            r"(?:样本量|多少(?:用户|人|流量)).{0,12}(?:检测|检验|功效|提升)",
        ),
    )
)

"""The compiler: naming, determinism, dialect details, and errors a marketer can act on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from genbi.errors import ModelError
from genbi.semantic_layer import (
    DIALECTS,
    DimensionRef,
    Filter,
    OrderBy,
    QuerySpec,
    RelativeTime,
    TimeGrain,
    TimeRange,
    compile_spec,
    load_model,
)

MODEL = load_model()
AS_OF = date(2025, 12, 31)


def sql_of(spec: QuerySpec, dialect: str = "duckdb", as_of: date = AS_OF) -> str:
    return compile_spec(spec, MODEL, dialect=dialect, as_of=as_of).sql


def spec(*metrics: str, **kwargs: object) -> QuerySpec:
    return QuerySpec.model_validate({"metrics": metrics, **kwargs})


def test_output_columns_are_named_predictably() -> None:
    compiled = compile_spec(
        spec(
            "revenue",
            "roas",
            group_by=[
                {"name": "channel"},
                {"name": "metric_time", "grain": "month"},
                {"name": "campaign_start_date", "grain": "week"},
            ],
        ),
        MODEL,
        as_of=AS_OF,
    )
    assert compiled.column_names == (
        "channel",
        "metric_time__month",
        "campaign_start_date__week",
        "revenue",
        "roas",
    )
    kinds = [(c.kind, c.ref, c.grain) for c in compiled.columns]
    assert kinds[1] == ("dimension", "metric_time", "month")
    assert compiled.columns[3].format == "currency" and compiled.columns[3].label_zh == "销售额"
    assert compiled.columns[4].kind == "metric" and compiled.columns[4].format == "ratio"
    assert compiled.tables == ("ad_spend", "campaigns", "orders")


def test_same_spec_same_sql() -> None:
    question = spec("cvr", "aov", group_by=[{"name": "channel"}], limit=5)
    assert {sql_of(question) for _ in range(3)} == {sql_of(question)}


def test_metric_time_defaults_to_day_and_period_is_inclusive() -> None:
    compiled = compile_spec(
        spec(
            "spend",
            group_by=[{"name": "metric_time"}],
            time_range={"start": "2025-01-01", "end": "2025-01-31"},
        ),
        MODEL,
        as_of=AS_OF,
    )
    assert compiled.column_names[0] == "metric_time__day"
    assert compiled.time_range == (date(2025, 1, 1), date(2025, 1, 31))
    assert "ad_spend.date < CAST('2025-02-01' AS DATE)" in compiled.sql


def test_timestamp_columns_get_timestamp_literals() -> None:
    sql = sql_of(spec("revenue", time_range={"start": "2025-01-01", "end": "2025-12-31"}))
    assert "orders.ordered_at >= CAST('2025-01-01 00:00:00' AS TIMESTAMP)" in sql
    assert "orders.ordered_at < CAST('2026-01-01 00:00:00' AS TIMESTAMP)" in sql


def test_relative_periods_resolve_against_as_of() -> None:
    last_month = TimeRange(relative=RelativeTime(kind="previous", unit="month"))
    compiled = compile_spec(
        QuerySpec(metrics=("revenue",), time_range=last_month), MODEL, as_of=date(2025, 1, 10)
    )
    assert compiled.time_range == (date(2024, 12, 1), date(2024, 12, 31))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_weeks_start_on_monday_in_every_dialect(dialect: str) -> None:
    sql = sql_of(spec("orders", group_by=[{"name": "metric_time", "grain": "week"}]), dialect)
    expected = {
        "bigquery": "DATE_TRUNC(CAST(orders.ordered_at AS DATE), WEEK(MONDAY))",
        "spark": "DATE_TRUNC('WEEK', orders.ordered_at)",
    }.get(dialect, "DATE_TRUNC('WEEK', orders.ordered_at)")
    assert expected in sql


@pytest.mark.parametrize("dialect", DIALECTS)
def test_week_of_a_date_column(dialect: str) -> None:
    sql = sql_of(spec("spend", group_by=[{"name": "metric_time", "grain": "week"}]), dialect)
    expected = {
        "bigquery": "DATE_TRUNC(ad_spend.date, WEEK(MONDAY))",
        "spark": "TRUNC(ad_spend.date, 'WEEK')",
    }.get(dialect, "DATE_TRUNC('WEEK', ad_spend.date)")
    assert expected in sql


def test_duckdb_weeks_really_start_on_monday(warehouse_path: Path) -> None:
    sql = sql_of(spec("orders", group_by=[{"name": "metric_time", "grain": "week"}]))
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        weeks = [row[0] for row in connection.execute(sql).fetchall()]
    assert weeks and all(week.weekday() == 0 for week in weeks)


def test_ratio_is_a_null_safe_ratio_of_sums() -> None:
    sql = sql_of(spec("cpc"))
    assert "CAST(SUM(ad_spend.spend) AS DOUBLE) / NULLIF(SUM(ad_spend.clicks), 0) AS cpc" in sql
    assert "* 1000 AS cpm" in sql_of(spec("cpm"))
    assert "DOUBLE PRECISION" in sql_of(spec("ctr"), "postgres")  # no integer division


def test_parts_on_different_tables_are_aggregated_separately() -> None:
    sql = sql_of(spec("roas", group_by=[{"name": "channel"}]))
    assert "WITH orders_agg AS" in sql and "ad_spend_agg AS" in sql
    assert "group_keys.channel IS NOT DISTINCT FROM orders_agg.channel" in sql
    assert "JOIN orders\n" not in sql.split("ad_spend_agg AS")[1]  # spend never meets orders


def test_order_items_are_never_joined_to_an_order_measure() -> None:
    sql = sql_of(spec("revenue", "units_sold", group_by=[{"name": "sales_channel"}]))
    revenue_part = sql.split("order_items_agg AS")[0]
    assert "order_items" not in revenue_part.replace("WITH orders_agg", "")


def test_filter_values_are_resolved_from_synonyms() -> None:
    sql = sql_of(
        spec(
            "spend",
            filters=[{"dimension": "channel", "op": "in", "values": ["抖音", "小红书", "wechat"]}],
        )
    )
    assert "campaigns.channel IN ('douyin', 'xiaohongshu', 'wechat')" in sql


def test_like_values_are_kept_verbatim() -> None:
    sql = sql_of(
        spec("spend", filters=[{"dimension": "campaign_name", "op": "like", "values": ["%抖音%"]}])
    )
    assert "campaigns.campaign_name LIKE '%抖音%'" in sql


def test_boolean_filters_read_naturally() -> None:
    yes = sql_of(spec("revenue", filters=[{"dimension": "is_attributed", "values": [True]}]))
    no = sql_of(spec("revenue", filters=[{"dimension": "is_attributed", "values": ["false"]}]))
    assert yes.endswith("WHERE\n  NOT orders.campaign_id IS NULL")
    assert "NOT (\n    NOT orders.campaign_id IS NULL\n  )" in no


def test_top_n_without_order_sorts_by_first_metric() -> None:
    sql = sql_of(spec("revenue", "orders", group_by=[{"name": "city"}], limit=5))
    assert sql.endswith("ORDER BY\n  revenue DESC,\n  city ASC\nLIMIT 5")


def test_order_by_a_time_dimension_by_its_name() -> None:
    question = spec(
        "revenue",
        group_by=[{"name": "metric_time", "grain": "month"}],
        order_by=[{"field": "metric_time", "descending": True}],
    )
    assert sql_of(question).endswith("ORDER BY\n  metric_time__month DESC")


def test_unknown_dialect() -> None:
    with pytest.raises(ModelError, match="Did you mean 'postgres'"):
        sql_of(spec("revenue"), "postgress")


# --- errors -------------------------------------------------------------------------------


def test_revenue_by_category_suggests_product_sales() -> None:
    with pytest.raises(ModelError) as caught:
        sql_of(spec("revenue", group_by=[{"name": "category"}]))
    message = str(caught.value)
    assert "'revenue' (Revenue) can't be split by 'category'" in message
    assert "double count" in message and "Try 'product_sales'" in message


def test_unlinked_dimension_lists_what_works() -> None:
    with pytest.raises(ModelError, match="'spend' can be split by: channel, campaign_name"):
        sql_of(spec("spend", group_by=[{"name": "city"}]))


def test_filter_on_an_unreachable_dimension() -> None:
    with pytest.raises(ModelError, match=r"'roas' .* can't be filtered by 'city_tier'"):
        sql_of(spec("roas", filters=[{"dimension": "city_tier", "values": ["tier1"]}]))


def test_all_problems_are_reported_together() -> None:
    with pytest.raises(ModelError) as caught:
        sql_of(
            QuerySpec(
                metrics=("revnue", "spend"),
                group_by=(DimensionRef(name="citty"), DimensionRef(name="channel", grain="month")),
                order_by=(OrderBy(field="sales"),),
            )
        )
    message = str(caught.value)
    assert "(3 problems)" in message
    assert "Did you mean 'revenue'" in message and "Did you mean 'city'" in message
    assert "'channel' is not a time dimension" in message


def test_unknown_order_field() -> None:
    with pytest.raises(ModelError, match=r"Can't sort by 'reveneu'.*Did you mean 'revenue'"):
        sql_of(spec("revenue", group_by=[{"name": "city"}], order_by=[{"field": "reveneu"}]))


def test_metric_named_where_a_dimension_is_needed() -> None:
    with pytest.raises(ModelError, match="'revenue' is a metric"):
        sql_of(spec("orders", group_by=[{"name": "revenue"}]))


def test_personal_data_is_refused_unless_allowed() -> None:
    question = spec("orders", filters=[{"dimension": "email", "values": ["a@b.cn"]}])
    with pytest.raises(ModelError, match="personal data"):
        sql_of(question)
    compiled = compile_spec(question, MODEL, as_of=AS_OF, allow_pii=True)
    assert "customers.email = 'a@b.cn'" in compiled.sql


def test_bad_time_filter_value() -> None:
    with pytest.raises(ModelError, match="'soon' is not a date"):
        sql_of(spec("orders", filters=[Filter(dimension="metric_time", op=">=", values=("soon",))]))
    with pytest.raises(ModelError, match="can't use 'like'"):
        sql_of(
            spec("orders", filters=[Filter(dimension="signup_date", op="like", values=("2025",))])
        )


def test_grain_not_allowed_for_a_time_dimension() -> None:
    model = load_model()
    dimension = model.dimension("signup_date").model_copy(update={"grains": (TimeGrain.MONTH,)})
    patched = model.model_copy(
        update={
            "dimensions": tuple(
                dimension if d.name == "signup_date" else d for d in model.dimensions
            )
        }
    )
    with pytest.raises(ModelError, match="can't be grouped by week"):
        compile_spec(
            spec("customers", group_by=[{"name": "signup_date", "grain": "week"}]),
            patched,
            as_of=AS_OF,
        )


def test_rows_no_measure_counts_make_no_groups() -> None:
    single = sql_of(spec("attributed_revenue", group_by=[{"name": "channel"}]))
    assert "SUM(orders.revenue) AS attributed_revenue" in single
    assert "WHERE\n  NOT orders.campaign_id IS NULL" in single
    mixed = sql_of(spec("revenue", "attributed_revenue"))
    assert "CASE WHEN NOT orders.campaign_id IS NULL THEN orders.revenue END" in mixed
    assert "WHERE" not in mixed
    steps = sql_of(spec("visit_sessions", "purchase_sessions"))
    assert steps.endswith("WHERE\n  events.event_name = 'visit' OR events.event_name = 'purchase'")


def test_not_filters_keep_unknown_values() -> None:
    sql = sql_of(
        spec("revenue", filters=[{"dimension": "channel", "op": "!=", "values": ["email"]}])
    )
    assert sql.endswith("WHERE\n  campaigns.channel <> 'email' OR campaigns.channel IS NULL")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_period_literals_in_every_dialect(dialect: str) -> None:
    """Date arithmetic happens at compile time; each engine gets typed literals it reads."""
    period = {"start": "2024-02-01", "end": "2024-02-29"}
    timestamps = sql_of(spec("revenue", time_range=period), dialect)
    kind = "DATETIME" if dialect == "bigquery" else "TIMESTAMP"
    assert f"orders.ordered_at >= CAST('2024-02-01 00:00:00' AS {kind})" in timestamps
    assert f"orders.ordered_at < CAST('2024-03-01 00:00:00' AS {kind})" in timestamps
    dates = sql_of(spec("spend", time_range=period), dialect)
    assert "ad_spend.date < CAST('2024-03-01' AS DATE)" in dates
    double = {"postgres": "DOUBLE PRECISION", "bigquery": "FLOAT64"}.get(dialect, "DOUBLE")
    assert f"CAST(SUM(ad_spend.clicks) AS {double})" in sql_of(spec("ctr"), dialect)


def test_as_of_may_be_a_datetime() -> None:
    from datetime import datetime

    question = spec("revenue", time_range={"relative": {"kind": "current", "unit": "month"}})
    at_noon = compile_spec(question, MODEL, as_of=datetime(2025, 12, 31, 12, 30))
    assert at_noon.sql == sql_of(question)
    assert at_noon.time_range == (date(2025, 12, 1), date(2025, 12, 31))


@pytest.mark.parametrize(("bad", "message"), [
    (spec("aov", group_by=[{"name": "sales_channel"}], share_of_total=True), "'aov' has no share of a total"),
    (spec("buyers", group_by=[{"name": "sales_channel"}], share_of_total=True), "'buyers' has no share of a total"),
    (spec("revenue", share_of_total=True), "needs a breakdown"),
])
def test_a_share_of_total_only_for_sums_and_counts_split_by_something(bad: QuerySpec, message: str) -> None:
    """Distinct buyers or averages do not add up across rows: their 'share' would mislead."""
    with pytest.raises(ModelError, match=message):
        sql_of(bad)


def test_share_columns_follow_their_metric_and_are_percentages() -> None:
    compiled = compile_spec(spec("revenue", "orders", group_by=[{"name": "city_tier"}], share_of_total=True),
                            MODEL, as_of=AS_OF)
    assert [c.name for c in compiled.columns] == ["city_tier", "revenue", "revenue__share", "orders", "orders__share"]
    assert [c.format for c in compiled.columns[1:]] == ["currency", "percent", "number", "percent"]
    assert "OVER ()" in compiled.sql

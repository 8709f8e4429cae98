"""Phrasings from blind marketer questions (``eval/heldout/heldout10.jsonl``), one group per
general rule, each with several phrasings (en and zh): a metric named only to say how
another is counted, "worst" of a cost being its highest, and the periods and words the
first run declined or misread."""

from __future__ import annotations

from datetime import date

import pytest
from planner_support import declines as _declines
from planner_support import spec_of as _spec

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


# --- a metric said only to say how another is counted (was: the count answered instead) ---

@pytest.mark.parametrize("question, metric", [
    ("今年男女客单价对比（按订单算）", "aov"),
    ("上个月按订单计算的客单价", "aov"),
    ("上个月各渠道的客单价（按订单统计）", "aov"),
    ("aov by city (calculated per order) last month", "aov"),
    ("AOV for men vs women this year, computed per order", "aov"),
])
def test_a_metric_saying_how_another_is_counted_is_not_asked(planner: OfflinePlanner, question: str,
                                                             metric: str) -> None:
    assert _spec(planner, question).metrics == (metric,)


# --- "worst" of a cost is its highest (was: the lowest CPA as the worst) ---

@pytest.mark.parametrize("question, descending", [
    ("which channel had the worst CPA last month?", True),
    ("worst 3 channels by cpc last month", True),
    ("上个月获客成本最差的渠道", True),
    ("which channel had the best CPA last month?", False),
    ("best 3 channels by cpc last month", False),
    ("上个月单次点击成本最好的渠道", False),
    ("which channel had the lowest CPA last month?", False),  # a size, not a judgement
    ("which channel had the highest cpc last month?", True),
    ("worst 2 channels by CTR last month", False),  # more is better
    ("上个月点击率最差的渠道", False),
])
def test_a_judged_direction_follows_whether_less_is_better(planner: OfflinePlanner, question: str,
                                                          descending: bool) -> None:
    spec = _spec(planner, question)
    assert spec.order_by and spec.order_by[0].descending is descending


# --- one weekend, parts of a month, halves, a fortnight, a quarter without its year ---

@pytest.mark.parametrize("question, as_of, start, end", [
    ("how much did we sell last weekend?", AS_OF, date(2025, 12, 27), date(2025, 12, 28)),
    ("orders over the last weekend", AS_OF, date(2025, 12, 27), date(2025, 12, 28)),
    ("上周末一共多少单", AS_OF, date(2025, 12, 27), date(2025, 12, 28)),
    ("上个周末的销售额", date(2025, 12, 7), date(2025, 11, 29), date(2025, 11, 30)),
    ("how many orders have come in this weekend?", date(2025, 12, 7), date(2025, 12, 6), date(2025, 12, 7)),
    ("revenue this weekend so far", date(2025, 12, 6), date(2025, 12, 6), date(2025, 12, 6)),
    ("这周末卖了多少钱", date(2025, 12, 7), date(2025, 12, 6), date(2025, 12, 7)),
    ("本周末的订单数", date(2025, 12, 7), date(2025, 12, 6), date(2025, 12, 7)),
    ("orders in the first ten days of December", AS_OF, date(2025, 12, 1), date(2025, 12, 10)),
    ("revenue in the last 7 days of november 2025", AS_OF, date(2025, 11, 24), date(2025, 11, 30)),
    ("12月前10天的订单", AS_OF, date(2025, 12, 1), date(2025, 12, 10)),
    ("11月上旬的订单数", AS_OF, date(2025, 11, 1), date(2025, 11, 10)),
    ("去年12月下旬的销售额", AS_OF, date(2024, 12, 21), date(2024, 12, 31)),
    ("2024年2月下旬的订单", AS_OF, date(2024, 2, 21), date(2024, 2, 29)),
    ("revenue in the back half of 2024", AS_OF, date(2024, 7, 1), date(2024, 12, 31)),
    ("orders in the front half of 2025", AS_OF, date(2025, 1, 1), date(2025, 6, 30)),
    ("display clicks over the past fortnight", AS_OF, date(2025, 12, 18), date(2025, 12, 31)),
    ("一季度各品类卖了多少件", AS_OF, date(2025, 1, 1), date(2025, 3, 31)),
    ("3季度的销售额", AS_OF, date(2025, 7, 1), date(2025, 9, 30)),
    ("revnue by regoin last quater", AS_OF, date(2025, 7, 1), date(2025, 9, 30)),
    ("how many ordres on JD in octobr?", AS_OF, date(2025, 10, 1), date(2025, 10, 31)),
])
def test_periods_marketers_name(planner: OfflinePlanner, question: str, as_of: date, start: date,
                                end: date) -> None:
    spec = _spec(planner, question, as_of)
    assert spec.time_range is not None
    assert spec.time_range.resolve(as_of) == (start, end)


@pytest.mark.parametrize("question", [
    "orders this weekend",  # a Wednesday: the weekend is still to come
    "这周末的销售额",
    "revenue in the first week of november",  # a calendar week or the first 7 days? asked (Nov 1 is a Saturday)
    "late november revenue",
])
def test_a_weekend_to_come_or_a_vague_part_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


# --- a share said as "mix" or "贡献了百分之多少"; growth said "增长了百分之多少" stays growth ---

@pytest.mark.parametrize("question", [
    "order mix by sales channel last quarter (% of orders)",
    "revenue mix by category in 2025",
    "今年银卡会员贡献了百分之多少的销售额",
    "天猫带来了多少%的订单，今年",
])
def test_a_share_said_as_mix_or_contributed(planner: OfflinePlanner, question: str) -> None:
    assert _spec(planner, question).share_of_total


def test_growth_in_percent_is_no_share(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "今年销售额同比增长了百分之多少")
    assert not spec.share_of_total and len(spec.periods) == 2


# --- selling best/worst said beside the number it is judged by; selling worst ---

@pytest.mark.parametrize("question, metric, descending", [
    ("今年6月1日到6月18日卖得最好的5个产品（按件数）", "units_sold", True),
    ("卖得最好的5个产品（按销量）", "units_sold", True),
    ("卖得最差的3个产品（按件数）", "units_sold", False),
    ("5 worst-selling products this year by units", "units_sold", False),
    ("去年哪个大区卖得最差", "revenue", False),
    ("哪个城市今年卖得最少", "revenue", False),
    ("which category sold the least last month", "product_sales", False),
    ("哪个品类卖得最好", "product_sales", True),
    ("least popular product last month", "product_sales", False),  # "most popular" was read, its opposite not
    ("最不受欢迎的商品", "product_sales", False),
])
def test_selling_best_or_worst(planner: OfflinePlanner, question: str, metric: str, descending: bool) -> None:
    spec = _spec(planner, question)
    assert spec.metrics[0] == metric and spec.order_by[0].field == metric
    assert spec.order_by[0].descending is descending


# --- common typos and "i.e." ---

@pytest.mark.parametrize("question, metric", [
    ("上个月的定单数", "orders"),
    ("上个月的点击律", "ctr"),
    ("今年的复够率", "repeat_purchase_rate"),
    ("what was our overall discount rate in 2025, i.e. total discount over gross amount?", "discount_rate"),
])
def test_typos_and_restatements(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert _spec(planner, question).metrics[0] == metric


# --- a value said with its dimension's noun follows the meaning the noun took for the metric ---

@pytest.mark.parametrize("question, dimension", [
    ("今年通过抖音渠道注册的新用户有多少", "acquisition_channel"),
    ("今年抖音渠道的新用户", "acquisition_channel"),
    ("2025年小红书渠道的注册用户数", "acquisition_channel"),
    ("new customers from the douyin channel this year", "acquisition_channel"),
    ("今年抖音渠道的订单数", "channel"),  # orders: the campaign's channel
    ("今年抖音渠道的销售额", "channel"),
])
def test_a_value_follows_its_dimension_noun(planner: OfflinePlanner, question: str, dimension: str) -> None:
    assert [f.dimension for f in _spec(planner, question).filters] == [dimension]


# --- a period said of when people joined: a filter on their signup date, not the metric's period ---

@pytest.mark.parametrize("question, metric, joined, period", [
    ("how many customers who signed up in 2024 ordered on tmall this year?", "buyers",
     (date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))),
    ("how many customers who joined in 2024 and then bought on tmall this year?", "buyers",
     (date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))),
    ("revenue this year from gold members that joined this year", "revenue",
     (date(2025, 1, 1), date(2025, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))),
    ("orders this year from customers who registered last year", "orders",
     (date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))),
    ("2024年注册、今年在京东买过东西的客户有多少", "buyers",
     (date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))),
    ("今年注册的客户今年贡献的销售额", "revenue",
     (date(2025, 1, 1), date(2025, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))),
])
def test_a_joining_period_filters_who(planner: OfflinePlanner, question: str, metric: str,
                                      joined: tuple[date, date], period: tuple[date, date]) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,)
    cohort = [f for f in spec.filters if f.dimension == "signup_date"]
    assert len(cohort) == 1 and tuple(cohort[0].values) == joined
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF) == period and not spec.periods


@pytest.mark.parametrize("question, period", [
    ("how many customers signed up in 2024", (date(2024, 1, 1), date(2024, 12, 31))),
    ("2024年注册的用户有多少", (date(2024, 1, 1), date(2024, 12, 31))),
])
def test_signups_in_a_period_stay_signups(planner: OfflinePlanner, question: str, period: tuple[date, date]) -> None:
    spec = _spec(planner, question)
    assert spec.metrics[0] in ("new_customers", "customers") and not spec.filters
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF) == period


@pytest.mark.parametrize("question", [
    "how many customers who signed up in 2024 and own a pet ordered on tmall this year?",
    "2024年注册、家里有小孩、今年在京东买过东西的客户有多少",
    "ad spend for customers who joined in 2024",  # spend is no customer's
])
def test_a_joining_period_with_what_the_model_lacks_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


# --- the hour of the day: a split of a timestamp's metrics; a metric recorded by day declines ---

@pytest.mark.parametrize("question, limit", [
    ("orders by hour of day last month", None),
    ("revenue by hour of the day", None),
    ("hourly orders last week", None),
    ("上个月每个小时的下单量分布", None),
    ("每小时的订单数", None),
    ("按小时看上周的销售额", None),
    ("which hour of the day brings in the most revenue? 2025", 1),
    ("今年哪个小时的订单最多", 1),
])
def test_a_split_by_hour(planner: OfflinePlanner, question: str, limit: int | None) -> None:
    from genbi.semantic_layer.query_spec import TimeGrain
    spec = _spec(planner, question)
    assert [g.grain for g in spec.group_by] == [TimeGrain.HOUR] and spec.limit == limit


@pytest.mark.parametrize("question", ["signups by hour last month", "ad spend by hour of day", "每小时的广告花费"])
def test_a_metric_recorded_by_day_has_no_hour(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


# --- a downloaded export: the noun ranked is a breakdown; a column named with a weekday word is the column ---

@pytest.fixture(scope="module")
def mailchimp(tmp_path_factory: pytest.TempPathFactory) -> OfflinePlanner:
    from genbi.eval.byodata.exports import build_file
    from genbi.semantic_layer.introspection import check_draft, draft_model

    data = build_file("mailchimp", tmp_path_factory.mktemp("mailchimp"))
    return OfflinePlanner(check_draft(draft_model(data).text))


@pytest.mark.parametrize("question", ["top 5 campaigns by unique clicks", "bottom 3 campaigns by total clicks",
                                      "top 10 campaigns by unique opens"])
def test_the_noun_ranked_is_a_breakdown(mailchimp: OfflinePlanner, question: str) -> None:
    spec = _spec(mailchimp, question)
    assert [g.name for g in spec.group_by] == ["title"] and spec.limit is not None
    assert spec.order_by[0].field == spec.metrics[0] != "campaigns"


def test_a_column_named_with_a_weekday_word_is_that_column(mailchimp: OfflinePlanner) -> None:
    spec = _spec(mailchimp, "open rate by send weekday")
    assert [g.name for g in spec.group_by] == ["send_weekday"] and not spec.filters


def test_the_count_of_campaigns_is_still_a_count(mailchimp: OfflinePlanner) -> None:
    assert _spec(mailchimp, "how many campaigns last year").metrics == ("campaigns",)


# --- units per order (连带率): a ratio of units sold to orders, each on its own table ---

@pytest.mark.parametrize("question", ["units sold per order last month", "average items per order last month",
                                      "avg number of items per order last month (units / orders)",
                                      "上个月的连带率", "上个月每单平均几件", "UPT last month"])
def test_units_per_order(planner: OfflinePlanner, question: str) -> None:
    assert _spec(planner, question).metrics[0] == "units_per_order"


# --- an average per day / week / month: each period's total, averaged (not a split, not declined) ---

@pytest.mark.parametrize("question, metric, per", [
    ("average daily revenue last month", "revenue", "day"),
    ("avg daily orders this year", "orders", "day"),
    ("orders per day on average last week by sales channel", "orders", "day"),
    ("average monthly signups in 2025", "new_customers", "month"),
    ("这个月平均每天多少单", "orders", "day"),
    ("日均GMV 上个月", "revenue", "day"),
    ("今年月均新客数", "new_customers", "month"),
    ("今年每月平均新客数", "new_customers", "month"),
    ("weekly average spend this quarter", "spend", "week"),
])
def test_an_average_per_period(planner: OfflinePlanner, question: str, metric: str, per: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics[0] == metric and spec.average_per is not None and spec.average_per.value == per
    assert not any(g.name == "metric_time" for g in spec.group_by)


@pytest.mark.parametrize("question", ["average daily revenue and aov last month",
                                      "average weekly revenue by month"])  # a week may span two months
def test_an_average_per_period_beside_a_ratio_or_by_time_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


@pytest.mark.parametrize("question, metric", [("average order value per day last month", "aov"),
                                              ("平均每天的客单价", "aov"), ("average daily ctr last month", "ctr")])
def test_a_ratio_per_day_is_the_ratio_by_day(planner: OfflinePlanner, question: str, metric: str) -> None:
    from genbi.semantic_layer.query_spec import TimeGrain
    spec = _spec(planner, question)
    assert spec.metrics == (metric,) and spec.average_per is None
    assert [g.grain for g in spec.group_by] == [TimeGrain.DAY]


def test_an_average_per_period_compiles_to_the_average_of_period_totals() -> None:
    import duckdb

    from genbi.semantic_layer.compiler import compile_spec
    from genbi.semantic_layer.query_spec import DimensionRef, TimeGrain, TimeRange

    model = load_model()
    spec = QuerySpec(metrics=("orders",), group_by=(DimensionRef(name="sales_channel"),), average_per=TimeGrain.DAY,
                     time_range=TimeRange(start=date(2025, 11, 1), end=date(2025, 11, 30)))
    compiled = compile_spec(spec, model, as_of=AS_OF)
    assert compiled.column_names == ("sales_channel", "orders")
    for dialect in ("postgres", "spark", "bigquery", "snowflake", "trino"):
        assert "AVG(" in compile_spec(spec, model, as_of=AS_OF, dialect=dialect).sql.upper()
    con = duckdb.connect()
    con.execute("CREATE TABLE orders AS SELECT * FROM (VALUES (1, 1, TIMESTAMP '2025-11-01 10:00', 'app', 10.0),"
                " (2, 1, TIMESTAMP '2025-11-01 11:00', 'app', 10.0), (3, 2, TIMESTAMP '2025-11-03 09:00', 'app', 5.0),"
                " (4, 2, TIMESTAMP '2025-11-03 09:00', 'jd', 5.0)) t(order_id, customer_id, ordered_at, sales_channel,"
                " revenue)")
    rows = dict(con.execute(compiled.sql).fetchall())
    assert rows == {"app": 1.5, "jd": 1.0}  # app: 2 orders one day, 1 the other


def test_the_hour_compiles_for_a_timestamp_and_is_refused_for_a_date() -> None:
    from genbi.errors import ModelError
    from genbi.semantic_layer.compiler import compile_spec
    from genbi.semantic_layer.query_spec import DimensionRef, TimeGrain

    model = load_model()
    hour = (DimensionRef(name="metric_time", grain=TimeGrain.HOUR),)
    for dialect in ("duckdb", "postgres", "spark", "bigquery", "snowflake", "trino"):
        sql = compile_spec(QuerySpec(metrics=("orders",), group_by=hour), model, as_of=AS_OF, dialect=dialect).sql
        assert "HOUR" in sql.upper()
    with pytest.raises(ModelError):
        compile_spec(QuerySpec(metrics=("spend",), group_by=hour), model, as_of=AS_OF)


# --- "花了多少" said of a marketing channel or campaign is its ad spend; of customers, what they spent ---

@pytest.mark.parametrize("question, metric", [
    ("小红书和抖音今年各花了多少", "spend"),
    ("本季度至今各渠道花了多少钱", "spend"),
    ("抖音上个月花了多少钱", "spend"),
    ("北京的客户花了多少钱", "revenue"),
    ("金卡会员上个月花了多少", "revenue"),
])
def test_who_spent_settles_spend_or_sales(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert _spec(planner, question).metrics == (metric,)


@pytest.mark.parametrize("question, dimension", [("小红书和抖音今年各花了多少", "channel"),
                                                 ("天猫和京东今年各有多少订单", "sales_channel")])
def test_listed_members_each_are_rows(planner: OfflinePlanner, question: str, dimension: str) -> None:
    assert [g.name for g in _spec(planner, question).group_by] == [dimension]


def test_a_period_word_in_the_models_own_name_is_no_average_per_period(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Telco's "Monthly Charges": "average monthly charges" is that column averaged, not a total per month."""
    from genbi.eval.byodata.exports import build_file
    from genbi.semantic_layer.introspection import check_draft, draft_model

    telco = OfflinePlanner(check_draft(draft_model(build_file("telco", tmp_path_factory.mktemp("telco"))).text))
    spec = _spec(telco, "average monthly charges by contract")
    assert spec.average_per is None and "monthly" in spec.metrics[0]


@pytest.mark.parametrize("question", ["how many items were sold last month", "how many units were sold in 2025",
                                      "how many pieces got sold last week"])
def test_items_were_sold_are_units_sold(planner: OfflinePlanner, question: str) -> None:
    assert _spec(planner, question).metrics == ("units_sold",)

"""Phrasings from blind marketer questions (``eval/heldout/heldout11.jsonl``), one group per
general rule, each with several phrasings (en and zh): "peak"/"busiest" of a time unit is
its one top member, and the periods, negations and filters the first run declined."""

from __future__ import annotations

from datetime import date

import pytest
from planner_support import declines as _declines
from planner_support import spec_of as _spec

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec, TimeGrain

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


# --- "peak hour", "busiest day", "下单高峰": the one top (or bottom) member, not every one ---

@pytest.mark.parametrize("question, grain, metric, descending", [
    ("what was our peak hour for orders last month?", TimeGrain.HOUR, "orders", True),
    ("peak hour for revenue this year", TimeGrain.HOUR, "revenue", True),
    ("peak day for orders last month", TimeGrain.DAY, "orders", True),
    ("busiest hour of the day in 2025 by number of orders", TimeGrain.HOUR, "orders", True),
    ("slowest hour for orders last month", TimeGrain.HOUR, "orders", False),
    ("which hour of the day had the lowest revenue last quarter", TimeGrain.HOUR, "revenue", False),
    ("上个月下单高峰是几点", TimeGrain.HOUR, "orders", True),
    ("上个月几点下单最多", TimeGrain.HOUR, "orders", True),
    ("今年哪个小时段销售额最高", TimeGrain.HOUR, "revenue", True),
    ("上个月的销售额峰值是哪一天", TimeGrain.DAY, "revenue", True),
    ("上个月订单最淡的是几点", TimeGrain.HOUR, "orders", False),
])
def test_a_peak_time_unit_is_its_one_top_member(planner: OfflinePlanner, question: str, grain: TimeGrain,
                                               metric: str, descending: bool) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,)
    assert [g.grain for g in spec.group_by] == [grain]
    assert spec.limit == 1
    assert spec.order_by and spec.order_by[0].descending is descending


@pytest.mark.parametrize("question", [
    "what was our peak hour for orders last month on rainy days?",
    "上个月下雨天的下单高峰是几点",
])
def test_a_peak_time_unit_with_an_unknown_condition_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


# --- the weekend before last; "and the weekend before that?" moves a weekend back a week ---

@pytest.mark.parametrize("question", [
    "how much rev did we do the weekend before last?",
    "orders the weekend before last",
    "revenue over the last weekend but one",
    "2 weekends ago revenue",
    "上上周末的订单数",
    "上上个周末的销售额",
])
def test_the_weekend_before_last(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert spec.time_range is not None
    assert spec.time_range.resolve(AS_OF) == (date(2025, 12, 20), date(2025, 12, 21))


@pytest.mark.parametrize("first, then", [
    ("how many orders last weekend", "and the weekend before that?"),
    ("revenue last weekend", "the weekend before?"),
    ("上周末卖了多少钱", "再往前一个周末呢"),
    ("上周末的订单数", "前一个周末呢"),
])
def test_the_weekend_before_a_weekend_is_a_week_earlier(planner: OfflinePlanner, first: str, then: str) -> None:
    spec = _spec(planner, then, previous=_spec(planner, first))
    assert spec.time_range is not None
    assert spec.time_range.resolve(AS_OF) == (date(2025, 12, 20), date(2025, 12, 21))


@pytest.mark.parametrize("first, then", [
    (None, "orders the weekend before"),
    (None, "再往前一个周末的订单"),
    ("revenue last month", "and the weekend before that?"),
    ("上个月的销售额", "再往前一个周末呢"),
])
def test_the_weekend_before_no_weekend_declines(planner: OfflinePlanner, first: str | None, then: str) -> None:
    previous = _spec(planner, first) if first else None
    result = planner.plan(then, as_of=AS_OF, previous=previous)
    assert result.spec is None and result.decline_reason


# --- "average daily revenue by month": each month's own average of its daily totals ---

@pytest.mark.parametrize("question, metric, per, by", [
    ("average daily revenue by month in 2025", "revenue", TimeGrain.DAY, TimeGrain.MONTH),
    ("avg orders per day for each month of H2 2025", "orders", TimeGrain.DAY, TimeGrain.MONTH),
    ("monthly breakdown of average daily spend this year", "spend", TimeGrain.DAY, TimeGrain.MONTH),
    ("今年每个月的日均销售额", "revenue", TimeGrain.DAY, TimeGrain.MONTH),
    ("2025年每个季度的月均新客数", "new_customers", TimeGrain.MONTH, TimeGrain.QUARTER),
    ("今年每个月平均每天多少新客", "new_customers", TimeGrain.DAY, TimeGrain.MONTH),
    ("mean daily signups by quarter 2025", "new_customers", TimeGrain.DAY, TimeGrain.QUARTER),
])
def test_an_average_per_period_by_a_longer_period(planner: OfflinePlanner, question: str, metric: str,
                                                  per: TimeGrain, by: TimeGrain) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,) and spec.average_per == per
    assert [g.grain for g in spec.group_by] == [by]


@pytest.mark.parametrize("question", [
    "average weekly orders by month this year",  # a week may span two months
    "average monthly revenue by day last quarter",
    "average daily revenue by month in 2025 for vegan products",
])
def test_an_average_per_period_by_a_period_that_does_not_hold_it_declines(planner: OfflinePlanner,
                                                                          question: str) -> None:
    _declines(planner, question)


def test_an_average_per_day_by_month_compiles_to_each_months_average() -> None:
    import duckdb

    from genbi.semantic_layer.compiler import compile_spec
    from genbi.semantic_layer.query_spec import DimensionRef, TimeRange

    model = load_model()
    spec = QuerySpec(metrics=("orders",), group_by=(DimensionRef(name="metric_time", grain=TimeGrain.MONTH),),
                     average_per=TimeGrain.DAY, time_range=TimeRange(start=date(2025, 10, 1), end=date(2025, 11, 30)))
    compiled = compile_spec(spec, model, as_of=AS_OF)
    con = duckdb.connect()
    con.execute("CREATE TABLE orders AS SELECT * FROM (VALUES (1, 1, TIMESTAMP '2025-10-01 10:00', 'app', 10.0),"
                " (2, 1, TIMESTAMP '2025-10-01 11:00', 'app', 10.0), (3, 2, TIMESTAMP '2025-10-03 09:00', 'app', 5.0),"
                " (4, 2, TIMESTAMP '2025-11-03 09:00', 'jd', 5.0)) t(order_id, customer_id, ordered_at, sales_channel,"
                " revenue)")
    rows = con.execute(compiled.sql).fetchall()
    assert rows == [(date(2025, 10, 1), 1.5), (date(2025, 11, 1), 1.0)]  # October: 2 orders one day, 1 another


# --- "customers who signed up before 2024": the joining period open on one side ---

@pytest.mark.parametrize("question, metric, op, bound", [
    ("revenue this year from customers who signed up before 2024", "revenue", "<=", date(2023, 12, 31)),
    ("how many customers that registered before 2024 bought something last month?", "buyers", "<=",
     date(2023, 12, 31)),
    ("orders in 2025 from customers who joined before March 2025", "orders", "<=", date(2025, 2, 28)),
    ("aov in 2025 for customers who joined after 2024", "aov", ">=", date(2025, 1, 1)),
    ("2024年之前注册的客户今年贡献了多少销售额", "revenue", "<=", date(2023, 12, 31)),
    ("2025年6月以前注册的用户今年下了多少单", "orders", "<=", date(2025, 5, 31)),
    ("revenue this year from customers who signed up before last month", "revenue", "<=", date(2025, 10, 31)),
    ("去年之前注册的用户今年的客单价", "aov", "<=", date(2023, 12, 31)),
])
def test_joined_before_or_after_a_period_is_an_open_signup_filter(planner: OfflinePlanner, question: str,
                                                                  metric: str, op: str, bound: date) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,)
    (signup,) = [f for f in spec.filters if f.dimension == "signup_date"]
    assert signup.op.value == op and signup.values == (bound,)
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF)[0] is not None  # the metric's own period


@pytest.mark.parametrize("question", [
    "revenue this year from customers who signed up before 2024 and have kids",
    "2024年之前注册、家里养宠物的客户今年贡献了多少销售额",
    "2025年以后注册的客户今年的订单数",  # 以后 may or may not hold 2025 itself
])
def test_an_open_signup_filter_that_cannot_be_read_exactly_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


def test_signups_before_a_year_count_everyone_who_joined_before_it(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "how many customers signed up before 2025")
    assert spec.metrics == ("new_customers",)
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF) == (None, date(2024, 12, 31))


# --- "didn't come from tmall", "weren't attributed": contractions and a verb between ---

@pytest.mark.parametrize("question, dimension, op, value", [
    ("orders last week that didn't come from tmall", "sales_channel", "!=", "tmall"),
    ("orders last week that did not come from tmall", "sales_channel", "!=", "tmall"),
    ("revenue this year from orders that weren't placed on jd", "sales_channel", "!=", "jd"),
    ("how many orders last month weren't attributed to any campaign?", "is_attributed", "=", False),
    ("revenue from customers who aren't gold members this year", "loyalty_tier", "!=", "gold"),
    ("spend last month that didn't go to douyin", "channel", "!=", "douyin"),
])
def test_a_negated_verb_before_a_value_excludes_it(planner: OfflinePlanner, question: str, dimension: str, op: str,
                                                   value: object) -> None:
    spec = _spec(planner, question)
    (found,) = [f for f in spec.filters if f.dimension == dimension]
    assert found.op.value == op and found.values == (value,)


@pytest.mark.parametrize("question", [
    "how many orders haven't shipped yet?",
    "revenue last month from customers who never opened an email",
    "orders last month that were not returned",
])
def test_a_not_that_negates_nothing_read_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


# --- "from 11.11 to today": one range, also where an end is said relative to today ---

@pytest.mark.parametrize("question, start, end", [
    ("orders from nov 11 to yesterday", date(2025, 11, 11), date(2025, 12, 30)),
    ("revenue from 2025-11-11 to today", date(2025, 11, 11), date(2025, 12, 31)),
    ("11月11日到今天的订单数", date(2025, 11, 11), date(2025, 12, 31)),
    ("昨天到今天的订单", date(2025, 12, 30), date(2025, 12, 31)),
    ("orders since 11.11 (incl. the day itself)", date(2025, 11, 11), date(2025, 12, 31)),
])
def test_a_range_to_a_relative_day_is_one_range(planner: OfflinePlanner, question: str, start: date,
                                                end: date) -> None:
    spec = _spec(planner, question)
    assert not spec.periods
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF) == (start, end)


def test_a_change_from_one_relative_period_to_another_still_compares(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "how did revenue change from last month to this month")
    assert len(spec.periods) == 2


# --- "the last 3 full months", "最近3个完整月": whole calendar periods before the current one ---

@pytest.mark.parametrize("question, start, end", [
    ("rev by month for the last 3 full months", date(2025, 9, 1), date(2025, 11, 30)),
    ("orders over the past 2 complete weeks", date(2025, 12, 15), date(2025, 12, 28)),
    ("signups in the previous 2 full quarters", date(2025, 4, 1), date(2025, 9, 30)),
    ("最近3个完整月的销售额", date(2025, 9, 1), date(2025, 11, 30)),
    ("过去2个整季度的订单", date(2025, 4, 1), date(2025, 9, 30)),
])
def test_the_last_n_full_periods(planner: OfflinePlanner, question: str, start: date, end: date) -> None:
    spec = _spec(planner, question)
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF) == (start, end)


# --- shorthand and filler: "hw", "thx a lot", "everyone except gold", "各占多少比例" ---

@pytest.mark.parametrize("question, also", [
    ("hw many new custmers in nov?", "new customers in november"),
    ("Hi! could you pls pull CPC by channel for Q3? thx a lot", "cpc by channel in q3"),
    ("cpc by channel q3, thanks so much!", "cpc by channel in q3"),
    ("YTD revenue by loyalty tier, everyone except gold", "ytd revenue by loyalty tier except gold"),
])
def test_shorthand_and_filler_read_as_the_plain_question(planner: OfflinePlanner, question: str, also: str) -> None:
    assert _spec(planner, question) == _spec(planner, also)


@pytest.mark.parametrize("first, then", [
    ("今年各获客渠道的新客数", "各占多少比例"),
    ("上个月各渠道的花费", "各占多少"),
    ("rev by sales channel this yr", "what share does each have?"),
])
def test_each_ones_share_as_a_follow_up(planner: OfflinePlanner, first: str, then: str) -> None:
    spec = _spec(planner, then, previous=_spec(planner, first))
    assert spec.share_of_total


def test_each_with_a_word_the_model_lacks_is_still_a_breakdown_it_lacks(planner: OfflinePlanner) -> None:
    _declines(planner, "今年各省份的销售额")
    _declines(planner, "今年各省份各占多少销售额")


@pytest.mark.parametrize("question, dimension, op, value", [
    ("上个月没走天猫的订单有多少", "sales_channel", "!=", "tmall"),
    ("上个月不是通过京东的订单有多少", "sales_channel", "!=", "jd"),
    ("上个月没有通过活动带来的订单", "is_attributed", "=", False),
    ("上个月没有归因到任何活动的订单有多少", "is_attributed", "=", False),
])
def test_a_chinese_negated_verb_before_a_value_excludes_it(planner: OfflinePlanner, question: str, dimension: str,
                                                           op: str, value: object) -> None:
    spec = _spec(planner, question)
    (found,) = [f for f in spec.filters if f.dimension == dimension]
    assert found.op.value == op and found.values == (value,)


@pytest.mark.parametrize("question", [
    "还有多少订单未发货",
    "上个月没退货的订单有多少",
    "尚未复购的客户今年贡献了多少销售额",
])
def test_a_chinese_not_that_negates_nothing_read_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


# --- "excluding customers from shanghai": the exclusion reaches over a noun and a preposition ---

@pytest.mark.parametrize("question, dimension, value", [
    ("revenue excluding customers from shanghai last month", "city", "Shanghai"),
    ("orders excluding those placed on tmall last month", "sales_channel", "tmall"),
    ("aov this year except for customers in beijing", "city", "Beijing"),
    ("which sales channel had the highest aov last month, not counting offline", "sales_channel", "offline_store"),
    ("spend on everything except search this quarter", "channel", "search"),
])
def test_an_exclusion_over_a_noun_still_excludes(planner: OfflinePlanner, question: str, dimension: str,
                                                 value: str) -> None:
    spec = _spec(planner, question)
    (found,) = [f for f in spec.filters if f.dimension == dimension]
    assert found.op.value == "!=" and found.values == (value,)


@pytest.mark.parametrize("question", [
    "how much revenue came from new customers in 2025",
    "how much of our 2025 revenue came from new customers",
    "how many orders were from new customers last month",
    "今年新客贡献了多少销售额",
    "今年新客带来的销售额",
    "新用户上个月下了多少单",
])
def test_a_metric_said_of_new_customers_is_theirs(planner: OfflinePlanner, question: str) -> None:
    """Was declined (heldout14 changed it): the customers who signed up in the question's period,
    those 'new customers' counts there."""
    assert [f.dimension for f in _spec(planner, question).filters] == ["signup_date"]


def test_a_chinese_metric_of_new_customers_with_no_period_declines(planner: OfflinePlanner) -> None:
    assert "新客" in _declines(planner, "上海新客的销售额")


def test_new_customers_listed_with_another_metric_are_both_asked(planner: OfflinePlanner) -> None:
    assert _spec(planner, "今年新客数和销售额").metrics == ("new_customers", "revenue")


@pytest.mark.parametrize("question, n, descending", [
    ("今年top5的城市 按GMV", 5, True),
    ("上个月bottom3渠道 按roas", 3, False),
    ("top5 cities by gmv this year", 5, True),
    ("今年GMV top3的品类", 3, True),
])
def test_a_ranking_written_against_its_number_and_chinese(planner: OfflinePlanner, question: str, n: int,
                                                          descending: bool) -> None:
    spec = _spec(planner, question)
    assert spec.limit == n and spec.order_by and spec.order_by[0].descending is descending


def test_top_a_percentage_is_no_ranking(planner: OfflinePlanner) -> None:
    _declines(planner, "revenue from the top 10% customers this year")


# --- a follow-up keeps the average per day ("by month" after "average daily revenue") ---

@pytest.mark.parametrize("first, then, metric, per, by", [
    ("average daily revenue last quarter", "by month", "revenue", TimeGrain.DAY, [("metric_time", TimeGrain.MONTH)]),
    ("average daily revenue last month", "by sales channel", "revenue", TimeGrain.DAY, [("sales_channel", None)]),
    ("average daily revenue last month", "what about orders?", "orders", TimeGrain.DAY, []),
    ("日均订单数 上个月", "换成销售额", "revenue", TimeGrain.DAY, []),
    ("上个月日均销售额", "按渠道看", "revenue", TimeGrain.DAY, [("channel", None)]),
    ("average daily revenue last month", "by day", "revenue", None, [("metric_time", TimeGrain.DAY)]),
    ("average daily revenue last month", "and aov?", "aov", None, []),
])
def test_a_follow_up_keeps_the_average_per_period(planner: OfflinePlanner, first: str, then: str, metric: str,
                                                  per: TimeGrain | None, by: list[tuple[str, TimeGrain | None]]) -> None:
    spec = _spec(planner, then, previous=_spec(planner, first))
    assert spec.metrics == (metric,) and spec.average_per == per
    assert [(g.name, g.grain) for g in spec.group_by] == by


def test_a_follow_up_comparing_an_average_per_period_declines(planner: OfflinePlanner) -> None:
    previous = _spec(planner, "average daily revenue last month")
    result = planner.plan("vs the month before", as_of=AS_OF, previous=previous)
    assert result.spec is None and result.decline_reason


@pytest.mark.parametrize("question, metric, descending", [
    ("上个月哪个城市客单价低", "aov", False),
    ("上个月哪个城市的客单价更高一些", "aov", True),
    ("哪个渠道的CTR比较低", "ctr", False),
    ("去年哪个品类销量最低", "units_sold", False),
])
def test_which_one_is_high_is_the_top_one(planner: OfflinePlanner, question: str, metric: str,
                                          descending: bool) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,) and spec.limit == 1
    assert spec.order_by and spec.order_by[0].descending is descending


@pytest.mark.parametrize("question, metric", [
    ("上个月抖音和小红书哪个ROI高", "roas"),
    ("抖音和小红书上个月哪个花费更多", "spend"),
])
def test_which_of_two_named_is_high_shows_both(planner: OfflinePlanner, question: str, metric: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,)
    (named,) = spec.filters
    assert named.values == ("douyin", "xiaohongshu")


# --- a month's first or last week: read when it can only be one Monday-to-Sunday week ---

@pytest.mark.parametrize("question, start, end", [
    ("revenue in the first week of december", date(2025, 12, 1), date(2025, 12, 7)),  # Dec 1 is a Monday
    ("orders in the last week of november", date(2025, 11, 24), date(2025, 11, 30)),  # Nov 30 is a Sunday
    ("revenue in the last week of august 2025", date(2025, 8, 25), date(2025, 8, 31)),
    ("revenue during the first full week of november", date(2025, 11, 3), date(2025, 11, 9)),
    ("last full week of december orders", date(2025, 12, 22), date(2025, 12, 28)),
    ("2025年8月最后一周的订单", date(2025, 8, 25), date(2025, 8, 31)),
])
def test_a_months_first_or_last_whole_week(planner: OfflinePlanner, question: str, start: date, end: date) -> None:
    spec = _spec(planner, question)
    assert not spec.periods
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF) == (start, end)


@pytest.mark.parametrize("question", [
    "orders in the first week of november",  # Nov 1 is a Saturday: its first 7 days or its first Monday week?
    "revenue in the last week of december",  # Dec 31 is a Wednesday
])
def test_a_months_first_week_that_could_be_two_weeks_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


# --- a period left out of another ("2025 except for december") declines (it answered december) ---

@pytest.mark.parametrize("question", [
    "orders in 2025 except for december",
    "revenue by month excluding november",
    "revenue in 2025 without the double 11 day",
    "今年除双11以外的销售额",
    "除了11月，今年每个月的销售额",
])
def test_a_period_left_out_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


@pytest.mark.parametrize("question, dimension, op, value", [
    ("revenue excluding tmall in shanghai last month", "city", "=", "Shanghai"),  # tmall left out, in Shanghai
    ("revenue excluding tmall in november", "sales_channel", "!=", "tmall"),
    ("orders excluding jd from gold members", "loyalty_tier", "=", "gold"),
])
def test_an_exclusion_reaches_only_over_a_noun_for_people_or_rows(planner: OfflinePlanner, question: str,
                                                                   dimension: str, op: str, value: str) -> None:
    spec = _spec(planner, question)
    (found,) = [f for f in spec.filters if f.dimension == dimension]
    assert found.op.value == op and found.values == (value,)

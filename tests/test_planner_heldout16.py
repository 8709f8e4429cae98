"""Mechanisms found by the blind heldout16 pass (``eval/heldout/heldout16.jsonl``), each
checked with reworded variants and with an unknown condition added (which must decline):
"each" said of a member splits by the things inside it or declines, a member's kind word is
no breakdown, two metric words that make one name ask for that metric, and "before" starting
the model's own words is no "period before"."""

from __future__ import annotations

from datetime import date

import pytest
from planner_support import AS_OF
from planner_support import declines as _declines
from planner_support import spec_of as _spec

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _filters(spec: QuerySpec) -> dict[str, set[object]]:
    return {f.dimension: set(f.values) for f in spec.filters}


@pytest.mark.parametrize("question, split, dimension, member", [
    ("各一线城市的销售额", "city", "city_tier", "tier1"),
    ("上个月各一线城市的订单数", "city", "city_tier", "tier1"),
    ("revenue in each tier1 city last month", "city", "city_tier", "tier1"),
    ("各华东城市的销售额", "city", "region", "East"),
    ("上个月各微信活动的花费", "campaign_name", "channel", "wechat"),
    ("每个抖音活动的点击量", "campaign_name", "channel", "douyin"),
    ("each wechat campaign's spend last month", "campaign_name", "channel", "wechat"),
    ("spend for every douyin campaign last month", "campaign_name", "channel", "douyin"),
])
def test_each_member_splits_by_the_things_inside_it(planner: OfflinePlanner, question: str, split: str,
                                                     dimension: str, member: str) -> None:
    spec = _spec(planner, question)
    assert split in {g.name for g in spec.group_by}
    assert member in _filters(spec)[dimension]


@pytest.mark.parametrize("question", ["每个天猫和京东的订单", "各京东和天猫的订单数"])
def test_each_of_several_members_splits_by_their_dimension(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert [g.name for g in spec.group_by] == ["sales_channel"]
    assert _filters(spec)["sales_channel"] == {"tmall", "jd"}


@pytest.mark.parametrize("question", [
    "上个月各门店的销售额",
    "上个月每个门店的销售额",
    "上个月各线下门店的销售额",
    "各金卡会员的订单数",
    "revenue for each offline store last month",
])
def test_each_member_with_nothing_finer_declines(planner: OfflinePlanner, question: str) -> None:
    """The member's total was answered, "each" dropped without a word."""
    assert _declines(planner, question)


@pytest.mark.parametrize("question", [
    "上个月门店的销售额",
    "revenue from offline stores last month",
    "每个城市的销售额",
    "revenue for each region last month",
    "天猫京东各自的销售额",
])
def test_without_each_on_a_member_nothing_changes(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == ("revenue",) or spec.metrics == ("orders",)


@pytest.mark.parametrize("question, objective", [
    ("去年拉新类活动的花费", "acquisition"),
    ("去年拉新活动的花费", "acquisition"),
    ("去年拉新类的活动花费", "acquisition"),
    ("去年转化类活动的订单数", "conversion"),
    ("去年召回类活动的ROAS", "reactivation"),
    ("spend on acquisition campaigns last year", "acquisition"),
])
def test_a_members_kind_word_is_no_breakdown(planner: OfflinePlanner, question: str, objective: str) -> None:
    """"拉新类活动": campaigns of the acquisition kind, one total; it was split by campaign."""
    spec = _spec(planner, question)
    assert spec.group_by == ()
    assert _filters(spec)["objective"] == {objective}


@pytest.mark.parametrize("question", [
    "revenue before discounts last month",
    "GMV before discounts in 2025",
    "上个月折扣前的销售额",
    "sales before discount by category this year",
    "last month's sales before discounts",
])
def test_two_metric_words_naming_one_metric_ask_for_it_alone(planner: OfflinePlanner, question: str) -> None:
    """Net revenue was answered beside the pre-discount sales."""
    assert _spec(planner, question).metrics == ("product_sales",)


@pytest.mark.parametrize("question, metrics", [
    ("revenue and discounts last month", ("revenue", "discount")),
    ("revenue, discount last month", ("revenue", "discount")),
    ("上个月的销售额和折扣", ("revenue", "discount")),
    ("rev + orders last month", ("revenue", "orders")),
])
def test_listed_metrics_stay_two(planner: OfflinePlanner, question: str, metrics: tuple[str, ...]) -> None:
    assert _spec(planner, question).metrics == metrics


@pytest.mark.parametrize("question", [
    "gross sales last month before discounts",
    "gross sales last month before discount",
])
def test_before_starting_the_models_words_is_no_period_before(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert spec.periods == () and "discount" not in spec.metrics
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF) == (date(2025, 11, 1), date(2025, 11, 30))


@pytest.mark.parametrize("question", [
    "orders by region last month and the month before",
    "revenue last month vs the month before",
])
def test_the_month_before_still_compares(planner: OfflinePlanner, question: str) -> None:
    assert len(_spec(planner, question).periods) == 2


@pytest.mark.parametrize("question", [
    "上个月各微信活动的花费，只算直播间的",
    "each wechat campaign's spend last month for customers who follow us on weibo",
    "去年拉新类活动的花费，只算宝妈",
    "revenue before discounts last month from customers with a 5-star review",
])
def test_an_unknown_condition_added_still_declines(planner: OfflinePlanner, question: str) -> None:
    assert _declines(planner, question)


@pytest.mark.parametrize("question, values", [
    ("spend for all channels but search", {"search"}),
    ("clicks all channels but email and sms in q3", {"email", "sms"}),
    ("revenue from all cities but shanghai and beijing", {"Shanghai", "Beijing"}),
    ("orders from all regions but the east region", {"East"}),
    ("all but search spend last month", {"search"}),
])
def test_all_x_but_a_member_excludes_it(planner: OfflinePlanner, question: str, values: set[str]) -> None:
    """"all channels but search" was read as search alone: the one member it leaves out."""
    spec = _spec(planner, question)
    excluded = [f for f in spec.filters if set(f.values) == values]
    assert excluded and excluded[0].op.value in {"!=", "not in"}


@pytest.mark.parametrize("question, start, end", [
    ("revenue jan-mar 2025", date(2025, 1, 1), date(2025, 3, 31)),
    ("revenue jan–mar 2025", date(2025, 1, 1), date(2025, 3, 31)),
    ("revenue jan - mar 2025", date(2025, 1, 1), date(2025, 3, 31)),
    ("revenue march-may", date(2025, 3, 1), date(2025, 5, 31)),
    ("orders Q1-Q3 2025", date(2025, 1, 1), date(2025, 9, 30)),
    ("revenue from aug-oct by sales channel", date(2025, 8, 1), date(2025, 10, 31)),
    ("orders 1H 2025", date(2025, 1, 1), date(2025, 6, 30)),
    ("rev 2H24", date(2024, 7, 1), date(2024, 12, 31)),
    ("revenue 2024-2025", date(2024, 1, 1), date(2025, 12, 31)),
    ("2025年1-3月的销售额", date(2025, 1, 1), date(2025, 3, 31)),
])
def test_a_dash_between_periods_is_a_range(planner: OfflinePlanner, question: str, start: date, end: date) -> None:
    """"jan-mar 2025" compared January with March (the dash read as a space)."""
    spec = _spec(planner, question)
    assert spec.periods == ()
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF) == (start, end)


@pytest.mark.parametrize("question", [
    "spend for all channels but search from influencers",
    "revenue jan-mar 2025 for customers who follow us on weibo",
    "orders 1H 2025 shipped late",
])
def test_an_unknown_condition_added_to_these_still_declines(planner: OfflinePlanner, question: str) -> None:
    assert _declines(planner, question)


@pytest.mark.parametrize("question, start", [
    ("orders since last week", date(2025, 12, 22)),
    ("from last week to now, orders", date(2025, 12, 22)),
    ("上周到现在的订单", date(2025, 12, 22)),
    ("上周至今的订单", date(2025, 12, 22)),
    ("上周以来的订单", date(2025, 12, 22)),
    ("从上周到今天的订单", date(2025, 12, 22)),
    ("上个月到现在的销售额", date(2025, 11, 1)),
    ("从上个月开始的销售额", date(2025, 11, 1)),
    ("revenue since last year", date(2024, 1, 1)),
])
def test_since_a_relative_period_runs_to_today(planner: OfflinePlanner, question: str, start: date) -> None:
    """"上周到现在" was last week alone, the days since dropped without a word."""
    spec = _spec(planner, question)
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF) == (start, AS_OF)


@pytest.mark.parametrize("question", ["orders last week", "revenue from last month", "上周的订单"])
def test_a_relative_period_alone_stays_itself(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF)[1] < AS_OF


@pytest.mark.parametrize("question, split", [
    ("销售额最高和最低的城市", "city"),
    ("highest and lowest revenue city last year", "city"),
    ("top and bottom 3 cities by revenue", "city"),
    ("哪个地区订单最多和最少", "region"),
    ("销售额最低和最高的地区分别是哪个", "region"),
    ("best and worst channels by ROAS", "channel"),
])
def test_both_ends_show_every_row_in_order(planner: OfflinePlanner, question: str, split: str) -> None:
    """"最高和最低" was the top row alone, the lowest dropped without a word."""
    spec = _spec(planner, question)
    assert [g.name for g in spec.group_by] == [split]
    assert spec.limit is None and spec.order_by


@pytest.mark.parametrize("question", ["最多和最少订单的地区", "销售额最高和最低", "revenue highest and lowest"])
def test_both_ends_of_nothing_split_decline(planner: OfflinePlanner, question: str) -> None:
    assert _declines(planner, question)


@pytest.mark.parametrize("question, n", [
    ("订单量倒数前三的城市", 3),
    ("销售额倒数前5的地区", 5),
    ("销售额倒数3名的城市", 3),
])
def test_counting_from_the_bottom_is_the_lowest(planner: OfflinePlanner, question: str, n: int) -> None:
    """"倒数前三": "前三" read as the top 3 would rank the wrong end."""
    spec = _spec(planner, question)
    assert spec.limit == n and spec.order_by[0].descending is False


@pytest.mark.parametrize("question", [
    "上周到现在的订单，只算直播间的",
    "销售额最高和最低的城市，只看宝妈",
    "订单量倒数前三的城市里的网红店",
])
def test_an_unknown_condition_added_to_those_still_declines(planner: OfflinePlanner, question: str) -> None:
    assert _declines(planner, question)


@pytest.mark.parametrize("question, metric, dimension", [
    ("上海客户今年买了多少", "revenue", "city"),
    ("今年上海客户买了多少", "revenue", "city"),
    ("女性客户上个月买了多少", "revenue", "gender"),
    ("上海客户今年买了多少钱", "revenue", "city"),
    ("上海客户今年买了多少件", "units_sold", "city"),
    ("上海客户今年买了多少单", "orders", "city"),
    ("how much did shanghai customers buy this year", "revenue", "city"),
    ("how much did gold members purchase last month", "revenue", "loyalty_tier"),
])
def test_how_much_people_bought_is_what_they_bought(planner: OfflinePlanner, question: str, metric: str,
                                                     dimension: str) -> None:
    """"上海客户今年买了多少" counted the Shanghai customers (the people, not what they bought)."""
    spec = _spec(planner, question)
    assert spec.metrics == (metric,)
    assert dimension in _filters(spec)


@pytest.mark.parametrize("question", ["how much did we buy", "how much did they buy",
                                      "上海客户今年买了多少，只算直播间的"])
def test_buying_with_no_customer_subject_or_an_unknown_condition_declines(planner: OfflinePlanner,
                                                                           question: str) -> None:
    assert _declines(planner, question)


def _followed(planner: OfflinePlanner, *questions: str) -> QuerySpec:
    previous: QuerySpec | None = None
    for question in questions:
        result = planner.plan(question, as_of=AS_OF, previous=previous)
        assert result.spec is not None, result.decline_reason
        previous = result.spec
    assert previous is not None
    return previous


@pytest.mark.parametrize("first, follow", [
    ("revenue in shanghai last month", "how about for all cities"),
    ("revenue in shanghai last month", "all cities"),
    ("上个月上海的销售额", "所有城市呢"),
    ("上个月上海的销售额", "全部城市"),
    ("spend on douyin last month", "across all channels?"),
])
def test_a_follow_up_for_all_members_lifts_the_filter(planner: OfflinePlanner, first: str, follow: str) -> None:
    """"how about for all cities" after Shanghai answered Shanghai again."""
    spec = _followed(planner, first, follow)
    assert spec.filters == () and spec.time_range is not None


@pytest.mark.parametrize("first, follow, kept", [
    ("revenue in shanghai last month", "and beijing?", {"Beijing"}),
    ("spend on douyin last month", "and for all campaigns", {"douyin"}),
])
def test_a_follow_up_naming_members_or_another_dimension_keeps_its_filter(planner: OfflinePlanner, first: str,
                                                                         follow: str, kept: set[str]) -> None:
    spec = _followed(planner, first, follow)
    assert any(set(f.values) == kept for f in spec.filters)


@pytest.mark.parametrize("question, day", [
    ("上周一的订单", date(2025, 12, 22)),
    ("上周三的订单", date(2025, 12, 24)),
    ("上星期一的订单", date(2025, 12, 22)),
    ("上周日的订单", date(2025, 12, 28)),
    ("上上周二的订单", date(2025, 12, 16)),
    ("这周一的订单", date(2025, 12, 29)),
    ("orders monday last week", date(2025, 12, 22)),
    ("last week's friday revenue", date(2025, 12, 26)),
    ("revenue on sunday of last week", date(2025, 12, 28)),
])
def test_a_day_of_a_named_week_is_that_day(planner: OfflinePlanner, question: str, day: date) -> None:
    """"上周一的订单" was all of last week, the day dropped without a word."""
    spec = _spec(planner, question)
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF) == (day, day)


def test_a_weekday_to_now_runs_to_today(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "本周一到现在的订单")
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF) == (date(2025, 12, 29), AS_OF)


@pytest.mark.parametrize("question", [
    "周一的订单",            # which Monday? It was all-time orders, the day dropped
    "星期天的销售额",
    "本周五的订单",          # still to come on Wednesday 2025-12-31
    "revenue in early december",  # "early" was read as a typo of "yearly"
    "revenue in late november",
    "上周一的订单，只算直播间的",
])
def test_a_day_or_part_of_a_period_it_cannot_place_declines(planner: OfflinePlanner, question: str) -> None:
    assert _declines(planner, question)


@pytest.mark.parametrize("question", ["每周一的订单", "周末的订单", "上周的订单", "上周末的订单", "revenue by quater"])
def test_weekday_parts_and_whole_weeks_still_answer(planner: OfflinePlanner, question: str) -> None:
    _spec(planner, question)


@pytest.mark.parametrize("question, periods", [
    ("revenue 2025 ytd vs 2024 ytd", ((date(2024, 1, 1), date(2024, 8, 14)), (date(2025, 1, 1), date(2025, 8, 14)))),
    ("2025 ytd revenue vs 2024 ytd", ((date(2024, 1, 1), date(2024, 8, 14)), (date(2025, 1, 1), date(2025, 8, 14)))),
])
def test_two_years_to_date_are_compared(planner: OfflinePlanner, question: str,
                                        periods: tuple[tuple[date, date], ...]) -> None:
    """"2025 ytd vs 2024 ytd" answered 2025 alone, 2024 dropped without a word."""
    as_of = date(2025, 8, 14)
    result = planner.plan(question, as_of=as_of)
    assert result.spec is not None, result.decline_reason
    assert tuple(p.resolve(as_of) for p in result.spec.periods) == periods


@pytest.mark.parametrize("question, grain", [
    ("今年每个季度销售额同比", "quarter"),
    ("今年每个月的销售额同比", "month"),
    ("monthly revenue yoy this year", "month"),
])
def test_a_time_split_year_on_year_shows_last_year_too(planner: OfflinePlanner, question: str, grain: str) -> None:
    """Each quarter of this year alone was answered, last year (the 同比) dropped."""
    spec = _spec(planner, question)
    assert [g.grain.value for g in spec.group_by if g.grain is not None] == [grain]
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF) == (date(2024, 1, 1), AS_OF)


@pytest.mark.parametrize("question", ["今年上半年每个月的销售额同比", "11月每天的销售额同比",
                                      "今年每个季度销售额同比，只算直播间"])
def test_a_time_split_year_on_year_of_periods_apart_declines(planner: OfflinePlanner, question: str) -> None:
    assert _declines(planner, question)


@pytest.mark.parametrize("question, dimension, value", [
    ("revenue except from tier 3 last year", "city_tier", "tier3"),
    ("revenue excluding from tmall", "sales_channel", "tmall"),
    ("orders except in shanghai last month", "city", "Shanghai"),
    ("spend except on douyin last month", "channel", "douyin"),
    ("revenue except for customers from shanghai", "city", "Shanghai"),
])
def test_an_exclusion_with_a_preposition_excludes(planner: OfflinePlanner, question: str, dimension: str,
                                                  value: str) -> None:
    """"revenue except from tier 3" was tier 3's revenue alone: the exclusion read as the filter."""
    spec = _spec(planner, question)
    excluded = [f for f in spec.filters if f.dimension == dimension]
    assert excluded and excluded[0].op.value == "!=" and excluded[0].values == (value,)


def test_an_exclusion_with_an_unknown_condition_still_declines(planner: OfflinePlanner) -> None:
    assert _declines(planner, "revenue except from tier 3 last year for customers who follow us on weibo")


@pytest.mark.parametrize("question, said", [("上个月每个门店的销售额", "每个门店"), ("上个月各门店的销售额", "各门店"),
                                            ("revenue for each offline store last month", "each offline store")])
def test_the_decline_names_what_was_said(planner: OfflinePlanner, question: str, said: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None and said in (result.decline_reason or "")

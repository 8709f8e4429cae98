"""Phrasings from blind marketer questions (``eval/heldout/heldout8.jsonl``), one group per
general rule: both ends of an order said, distinct customers who bought, typos of filler
words, articles left out of a phrase, "switch to" follow-ups, an average of money spent by
people, Chinese selling verbs and percents, and the average discount per order. Each rule has
several phrasings (en and zh) that must give one spec, and a question with a condition the
model cannot express that must decline rather than drop it."""

from __future__ import annotations

from datetime import date

import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.assistant.planner.text import normalize
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _spec(planner: OfflinePlanner, question: str, previous: QuerySpec | None = None) -> QuerySpec:
    result = planner.plan(question, as_of=AS_OF, previous=previous)
    assert result.spec is not None, result.decline_reason
    return result.spec


def _declines(planner: OfflinePlanner, question: str, previous: QuerySpec | None = None) -> str:
    result = planner.plan(question, as_of=AS_OF, previous=previous)
    assert result.spec is None and result.tool_call is None, result.spec
    assert result.decline_reason
    return result.decline_reason


def _same(planner: OfflinePlanner, questions: list[str], previous: QuerySpec | None = None) -> QuerySpec:
    specs = [_spec(planner, q, previous) for q in questions]
    assert all(s == specs[0] for s in specs), [s.model_dump(exclude_defaults=True) for s in specs]
    return specs[0]


# --- both ends of an order: every row, ordered (was: "best first" read as the one best row) ---

@pytest.mark.parametrize("questions, descending", [
    (["CTR by channel last month, best first", "CTR by channel last month, highest first",
      "CTR by channel last month ranked", "CTR by channel last month, best to worst",
      "CTR by channel last month in descending order", "上个月各渠道的点击率，从高到低",
      "上个月各渠道的点击率，从多到少", "上个月各渠道的点击率 降序"], True),
    (["orders by region in 2025, worst first", "orders by region in 2025, lowest first",
      "orders by region in 2025, worst to best", "orders by region in 2025, least to most",
      "2025年各大区的订单数，从低到高", "2025年各大区的订单数 升序"], False),
])
def test_both_ends_of_an_order_keep_every_row(planner: OfflinePlanner, questions: list[str],
                                              descending: bool) -> None:
    spec = _same(planner, questions)
    assert spec.limit is None and len(spec.order_by) == 1 and spec.order_by[0].descending is descending


def test_one_end_alone_still_picks_the_one_row(planner: OfflinePlanner) -> None:
    assert _spec(planner, "which channel had the best ctr last month").limit == 1


def test_an_order_with_an_unknown_condition_declines(planner: OfflinePlanner) -> None:
    _declines(planner, "CTR by channel last month for campaigns run by our agency, best first")


# --- distinct customers who bought: the buyers, with what they bought as a filter ---

@pytest.mark.parametrize("question", [
    "how many distinct customers bought fragrance in 2025?",
    "how many unique customers bought fragrance in 2025",
    "number of unique shoppers who purchased fragrance in 2025",
    "how many customers bought fragrance in 2025",
    "2025年买过香水的客户有多少",
])
def test_distinct_customers_who_bought_are_the_buyers(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == ("buyers",)
    assert [(f.dimension, f.values) for f in spec.filters] == [("category", ("fragrance",))]


def test_distinct_buyers_on_two_filters(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "how many unique customers bought on tmall from shanghai in 2025")
    assert spec.metrics == ("buyers",)
    assert {(f.dimension, f.values) for f in spec.filters} == {("sales_channel", ("tmall",)), ("city", ("Shanghai",))}


def test_distinct_buyers_with_an_unknown_condition_decline(planner: OfflinePlanner) -> None:
    _declines(planner, "how many distinct customers bought fragrance on rainy days in 2025?")


# --- a typo of a filler word is the filler word, said in a note ---

@pytest.mark.parametrize("typed, meant", [
    ("totl revenue for jd in 2025 pls", "total revenue for jd in 2025 pls"),
    ("ovrall orders last month pleae", "overall orders last month please"),
    ("revenue for jd in 2025, thnks", "revenue for jd in 2025, thanks"),
])
def test_a_typo_of_a_filler_word_is_read_as_it(planner: OfflinePlanner, typed: str, meant: str) -> None:
    result = planner.plan(typed, as_of=AS_OF)
    assert result.spec == _spec(planner, meant)
    assert any("Read '" in note for note in result.notes)


@pytest.mark.parametrize("question", ["revenue by mnth in 2025", "revenue in 2025 exluding tmall"])
def test_a_typo_of_a_meaningful_word_is_not_filler(planner: OfflinePlanner, question: str) -> None:
    """A period or an exclusion misspelt must not vanish: the answer would cover more."""
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None or result.spec != _spec(planner, "revenue in 2025")


# --- a phrase is the same phrase without its articles ---

def test_articles_left_out_of_a_phrase(planner: OfflinePlanner) -> None:
    spec = _same(planner, ["how many sessions added something to cart on iOS last week?",
                           "how many sessions added something to the cart on iOS last week?"])
    assert {(f.dimension, f.values) for f in spec.filters} == {("event_name", ("add_to_cart",)), ("device", ("ios",))}


# --- "switch to X": a follow-up that swaps the metric ---

@pytest.mark.parametrize("first, followups, metric", [
    ("spend by channel this quarter", ["switch to ROAS", "swap to roas", "can you switch it to ROAS?",
                                       "same thing but roas", "roas instead", "改看ROAS", "切换到ROAS"], "roas"),
    ("上个月各渠道的花费", ["换成点击率", "切换到点击率", "switch to ctr", "改看点击率"], "ctr"),
])
def test_switch_to_swaps_the_metric(planner: OfflinePlanner, first: str, followups: list[str], metric: str) -> None:
    previous = _spec(planner, first)
    spec = _same(planner, followups, previous)
    assert spec.metrics == (metric,)
    assert spec.group_by == previous.group_by and spec.time_range == previous.time_range


def test_switching_is_a_verb_only_at_the_start(planner: OfflinePlanner) -> None:
    _declines(planner, "revenue from customers who switched to jd in 2025")


# --- an average of money spent by people is per person ---

@pytest.mark.parametrize("question", [
    "on average, how much did a gold member who ordered in 2025 spend?",
    "how much did gold members spend on average in 2025",
    "average spend per gold member in 2025",
    "2025年金卡会员人均消费多少",
    "2025年平均每位金卡会员消费多少",
])
def test_an_average_of_money_spent_by_people_is_per_buyer(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == ("revenue_per_buyer",)
    assert [(f.dimension, f.values) for f in spec.filters] == [("loyalty_tier", ("gold",))]


@pytest.mark.parametrize("question", [
    "what's the average revenue in 2025",  # per what? no people said
    "how much did we spend on average on douyin",  # ad spend has no per-person ratio
    "how much did gold members who like hiking spend on average in 2025",  # a condition the model lacks
])
def test_an_average_without_people_or_with_an_unknown_condition_declines(planner: OfflinePlanner,
                                                                        question: str) -> None:
    _declines(planner, question)


# --- Chinese selling verbs and percents ---

def test_selling_verbs_and_percent_words_in_chinese(planner: OfflinePlanner) -> None:
    spec = _same(planner, ["去年各个品类卖出的件数分别占总数的百分之几", "去年各品类的件数占比",
                           "去年各品类售出的件数占比"])
    assert spec.metrics == ("units_sold",) and spec.share_of_total


@pytest.mark.parametrize("said, read", [("百分之几", "百分之几"), ("百分比", "百分比"), ("三百", "300"),
                                        ("两百块", "200块"), ("一百二十", "120"), ("百分之五十", "百分之50")])
def test_a_percent_word_is_no_hundred(said: str, read: str) -> None:
    assert normalize(said) == read


def test_a_growth_percent_is_no_share(planner: OfflinePlanner) -> None:
    assert not _spec(planner, "今年销售额同比增长了百分之几").share_of_total


# --- the average discount per order ---

def test_the_average_discount_per_order(planner: OfflinePlanner) -> None:
    spec = _same(planner, ["上个月平均每单优惠了多少钱", "average discount per order last month",
                           "discount per order last month", "上个月单均优惠"])
    assert spec.metrics == ("discount_per_order",)


@pytest.mark.parametrize("question", ["上个月平均每个订单多少钱", "average order by city tier last month",
                                      "how much is an order worth on average last month"])
def test_money_per_order_with_no_word_for_which_money_is_the_sales(planner: OfflinePlanner, question: str) -> None:
    assert _spec(planner, question).metrics == ("aov",)


# --- first-time or returning purchases: whose first order falls in the period (QuerySpec.first_time) ---

@pytest.mark.parametrize("question, keep", [
    ("上个月第一次下单的客户有多少？", "first"),
    ("上个月首次购买的客户有多少", "first"),
    ("revenue last month from first-time buyers vs returning buyers", "split"),
])
def test_first_purchases_are_read(planner: OfflinePlanner, question: str, keep: str) -> None:
    spec = _spec(planner, question)
    assert spec.first_time is not None and spec.first_time.keep == keep


# --- "more than once" is a condition (the repeat purchase rate's own words), not a ranking ---

@pytest.mark.parametrize("question", [
    "share of buyers who ordered more than once by city tier in 2025",
    "repeat purchase rate by city tier in 2025",
    "2025年各城市等级的复购率",
])
def test_more_than_once_is_no_superlative(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert "repeat_purchase_rate" in spec.metrics and spec.limit is None and not spec.order_by


# --- a ratio is read in the direction it is said ---

@pytest.mark.parametrize("question, metric", [
    ("clicks per impression last month", "ctr"), ("spend per click last month", "cpc"),
    ("revenue per buyer last month", "revenue_per_buyer"), ("上个月每个买家带来的销售额", "revenue_per_buyer"),
    ("what did a click cost last month", "cpc"),
])
def test_a_ratio_said_in_its_direction(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert _spec(planner, question).metrics == (metric,)


@pytest.mark.parametrize("question", ["impressions per click last month", "buyers per revenue last month"])
def test_a_ratio_said_upside_down_is_not_its_inverse(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


# --- a count of things that have some of another metric: a condition on each, declined ---

@pytest.mark.parametrize("question", [
    "how many orders had a discount last month", "orders with a discount last month",
    "how many orders came with a discount in 2025", "上个月有折扣的订单数", "上个月带折扣的订单有多少",
])
def test_a_count_of_things_having_another_metric_declines(planner: OfflinePlanner, question: str) -> None:
    assert "discount" in _declines(planner, question).lower() or "折扣" in _declines(planner, question)


def test_two_totals_listed_are_still_answered(planner: OfflinePlanner) -> None:
    assert set(_spec(planner, "orders and discounts last month").metrics) == {"orders", "discount"}


# --- what customers spend is sales, not ad spend ---

@pytest.mark.parametrize("question", [
    "how much did customers spend last month", "what did buyers spend last month",
    "how much did our shoppers spend last month", "上个月客户消费了多少",
])
def test_what_customers_spend_is_revenue(planner: OfflinePlanner, question: str) -> None:
    assert _spec(planner, question).metrics == ("revenue",)


def test_what_we_spend_is_ad_spend(planner: OfflinePlanner) -> None:
    assert _spec(planner, "how much did we spend last month").metrics == ("spend",)


# --- a range of months with the first month said once: "1到10月" is January to October ---

@pytest.mark.parametrize("question, start, end", [
    ("今年1到10月的销售额", "2025-01-01", "2025-10-31"), ("今年1月到10月的销售额", "2025-01-01", "2025-10-31"),
    ("2025年1-3月的订单数", "2025-01-01", "2025-03-31"), ("去年3至5月的新客数", "2024-03-01", "2024-05-31"),
    ("revenue from january to october this year", "2025-01-01", "2025-10-31"),
])
def test_a_range_of_months_said_once(planner: OfflinePlanner, question: str, start: str, end: str) -> None:
    spec = _spec(planner, question)
    assert spec.time_range is not None
    assert tuple(d.isoformat() for d in spec.time_range.resolve(AS_OF)) == (start, end)  # type: ignore[union-attr]


def test_a_day_range_in_one_month_is_kept(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "11月1日到11日的销售额")
    assert tuple(d.isoformat() for d in spec.time_range.resolve(AS_OF)) == ("2025-11-01", "2025-11-11")  # type: ignore[union-attr]


# --- new customers named as whose metric: those who signed up in the period (was: declined) ---

@pytest.mark.parametrize("question", [
    "revenue from new customers this year", "new customers' revenue this year", "今年新客的平均客单价",
    "今年新客的销售额", "aov of new customers in 2025",
])
def test_a_metric_of_new_customers_is_limited_to_their_signups(planner: OfflinePlanner, question: str) -> None:
    assert [f.dimension for f in _spec(planner, question).filters] == ["signup_date"]


@pytest.mark.parametrize("question, metrics", [
    ("今年客户的客单价", ("aov",)), ("revenue from customers in shanghai this year", ("revenue",)),
    ("new customers and revenue this year", ("new_customers", "revenue")),
])
def test_plain_customers_only_say_who(planner: OfflinePlanner, question: str, metrics: tuple[str, ...]) -> None:
    assert _spec(planner, question).metrics == metrics


# --- a comparison with something no pass read: the other side would be dropped ---

@pytest.mark.parametrize("question", [
    "new signups from organic vs paid channels in 2025", "revenue from tmall versus partner stores in 2025",
    "orders from app compared with influencer shops last month",
])
def test_a_comparison_with_an_unread_side_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


@pytest.mark.parametrize("question", [
    "tmall vs jd revenue 2025", "revenue this quarter vs last", "revenue in 2025 compared to 2024",
    "women vs men aov", "revenue this month vs the same month last year",
])
def test_a_comparison_with_a_read_side_is_answered(planner: OfflinePlanner, question: str) -> None:
    _spec(planner, question)


# --- a rate between two funnel steps the model lacks: declined, never one step's count ---

@pytest.mark.parametrize("question", [
    "checkout to purchase conversion last month", "add to cart to checkout rate last month",
    "conversion rate from checkout to purchase last month", "上个月从结算到购买的转化率",
    "加购到购买的转化率", "上个月加购到购买的转化率",  # without 从: answered the overall rate beside the counts
])
def test_a_rate_between_two_steps_the_model_lacks_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


@pytest.mark.parametrize("question", ["1月到3月的转化率", "今年到现在的转化率", "上周到这周的转化率", "各渠道的转化率"])
def test_a_rate_over_periods_is_no_rate_between_steps(question: str) -> None:
    from genbi.assistant.planner.checks import STEP_RATE

    assert STEP_RATE.search(normalize(question)) is None


def test_a_rate_between_two_steps_the_model_has_is_answered(planner: OfflinePlanner) -> None:
    assert _spec(planner, "visit to purchase rate last month").metrics == ("session_conversion_rate",)


# --- follow-ups said with plural share words and Chinese split verbs ---

@pytest.mark.parametrize("followup", ["show it as percentages", "as a share", "in percentages please", "占比呢"])
def test_a_follow_up_asking_for_percentages_gives_shares(planner: OfflinePlanner, followup: str) -> None:
    previous = _spec(planner, "revenue by channel this year")
    spec = _spec(planner, followup, previous)
    assert spec.share_of_total and spec.group_by == previous.group_by


@pytest.mark.parametrize("followup", ["按城市拆开", "按城市分开看", "按城市拆分", "by city"])
def test_a_chinese_split_verb_is_a_breakdown(planner: OfflinePlanner, followup: str) -> None:
    previous = _spec(planner, "上个月的销售额")
    assert [g.name for g in _spec(planner, followup, previous).group_by] == ["city"]


# --- a ranking inside every group of another breakdown: each group's own top N (rank_within) ---

@pytest.mark.parametrize("question, within", [
    ("top 3 products in each category by units sold", "category"), ("best selling product in each city", "city"),
    ("每个品类销量前三的商品", "category"), ("各城市卖得最好的商品", "city"),
])
def test_a_ranking_within_each_group_is_each_groups_top(planner: OfflinePlanner, question: str, within: str) -> None:
    spec = _spec(planner, question)
    assert spec.rank_within == within and spec.limit is not None


def test_a_ranking_within_each_period_is_each_periods_top(planner: OfflinePlanner) -> None:
    """Was declined (one limit over all rows would be wrong): the spec ranks within a period now."""
    spec = _spec(planner, "top 3 channels by spend in each month of 2025")
    assert spec.rank_within == "metric_time" and spec.limit == 3


@pytest.mark.parametrize("question, limit", [("top 5 cities by revenue", 5),
                                             ("which city and channel had the most revenue", 1)])
def test_a_ranking_over_all_rows_is_answered(planner: OfflinePlanner, question: str, limit: int) -> None:
    assert _spec(planner, question).limit == limit


# --- a part of a named period ("the first week of December") is no period the planner reads ---

@pytest.mark.parametrize("question", [
    # November 2025 starts on a Saturday and December ends on a Wednesday: which week is unsaid
    # (a month starting on a Monday has one first week: heldout11)
    "spend in the first week of november", "revenue in the last week of december", "revenue at the end of 2025",
    "revenue last week of the year", "11月第一周的花费", "11月底的销售额",  # 下旬 (21st on) is read: heldout10
])
def test_a_part_of_a_period_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


@pytest.mark.parametrize("question", ["revenue in the first half of 2025", "revenue last week", "orders in the last 7 days"])
def test_whole_periods_are_still_read(planner: OfflinePlanner, question: str) -> None:
    assert _spec(planner, question).time_range is not None


# --- a period said of when things started: a metric dated by its start reads it; any other is
# --- filtered by the start date of the things said to start (heldout17), or declines

@pytest.mark.parametrize("question", [
    "cvr by channel for campaigns that started in Q3", "Q3上线的活动的ROAS",
    "campaigns that kicked off in november, spend by channel",
])
def test_a_start_date_for_a_metric_of_another_date_filters_by_it(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert [f.dimension for f in spec.filters] == ["campaign_start_date"] and spec.time_range is None


@pytest.mark.parametrize("question", ["skincare sales last month for products launched this year",
                                      "今年上线的商品的销量"])
def test_a_start_date_of_things_without_one_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


@pytest.mark.parametrize("question", ["total budget of campaigns that started in Q4",
                                      "budget of campaigns launched in 2025 by channel"])
def test_a_start_date_for_a_metric_dated_by_its_start(planner: OfflinePlanner, question: str) -> None:
    assert _spec(planner, question).metrics == ("budget",)


# --- "starting from June", "June onwards", "from June to now": since June ---

@pytest.mark.parametrize("question", [
    "orders since june 2025", "orders starting from june 2025", "orders starting june 2025",
    "orders from june 2025 onwards", "orders from june 2025 to now", "从2025年6月到现在的订单数", "2025年6月以来的订单",
])
def test_since_said_many_ways(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert tuple(d.isoformat() for d in spec.time_range.resolve(AS_OF)) == ("2025-06-01", "2025-12-31")  # type: ignore[union-attr]


def test_from_a_month_alone_is_that_month(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "orders from june 2025")
    assert tuple(d.isoformat() for d in spec.time_range.resolve(AS_OF)) == ("2025-06-01", "2025-06-30")  # type: ignore[union-attr]


# --- a duration or a frequency: no metric of the model measures it ---

@pytest.mark.parametrize("question", [
    "average time between orders", "days between first and second purchase", "how often do customers buy",
    "复购周期是多少", "平均下单间隔多久",
])
def test_a_duration_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


def test_a_range_between_two_months_is_still_a_period(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "revenue between march and june")
    assert tuple(d.isoformat() for d in spec.time_range.resolve(AS_OF)) == ("2025-03-01", "2025-06-30")  # type: ignore[union-attr]


# --- to-date periods against the one before, and marketer shorthand ---

@pytest.mark.parametrize("question, periods", [
    ("revenue qtd vs last qtd", [("2025-07-01", "2025-08-15"), ("2025-10-01", "2025-11-15")]),
    ("revenue this quarter vs the quarter before", [("2025-07-01", "2025-08-15"), ("2025-10-01", "2025-11-15")]),
    ("revenue ytd vs last ytd", [("2024-01-01", "2024-11-15"), ("2025-01-01", "2025-11-15")]),
    ("revenue mtd vs last mtd", [("2025-10-01", "2025-10-15"), ("2025-11-01", "2025-11-15")]),
])
def test_to_date_against_the_one_before(planner: OfflinePlanner, question: str,
                                        periods: list[tuple[str, str]]) -> None:
    as_of = date(2025, 11, 15)
    result = planner.plan(question, as_of=as_of)
    assert result.spec is not None, result.decline_reason
    assert [tuple(d.isoformat() for d in p.resolve(as_of)) for p in result.spec.periods] == periods


@pytest.mark.parametrize("short, long", [
    ("orders l7d", "orders last 7 days"), ("ctr yday", "ctr yesterday"), ("buyers lw", "buyers last week"),
    ("roas last q by channel", "roas last quarter by channel"),
])
def test_shorthand_reads_as_spelled_out(planner: OfflinePlanner, short: str, long: str) -> None:
    assert _spec(planner, short) == _spec(planner, long)


def test_a_word_that_is_also_shorthand_elsewhere_is_not_expanded(planner: OfflinePlanner) -> None:
    _declines(planner, "What was revenue for customers with a cat")  # "cat" is no category


# --- a period said only to place the day after it ("12月双12") is no second period ---

@pytest.mark.parametrize("question, periods", [
    ("12月双12的销售额跟去年比", [("2024-12-12", "2024-12-12"), ("2025-12-12", "2025-12-12")]),
    ("双12的销售额跟去年比", [("2024-12-12", "2024-12-12"), ("2025-12-12", "2025-12-12")]),
    ("11月和12月的销售额对比", [("2025-11-01", "2025-11-30"), ("2025-12-01", "2025-12-31")]),
])
def test_a_period_placing_a_day_inside_it(planner: OfflinePlanner, question: str,
                                          periods: list[tuple[str, str]]) -> None:
    spec = _spec(planner, question)
    assert [tuple(d.isoformat() for d in p.resolve(AS_OF)) for p in spec.periods] == periods


def test_a_day_placed_by_its_month(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "2025年11月的双11的订单数")
    assert tuple(d.isoformat() for d in spec.time_range.resolve(AS_OF)) == ("2025-11-11", "2025-11-11")  # type: ignore[union-attr]


@pytest.mark.parametrize("question", ["上个月各渠道的点击率，按从高到低排", "上个月各渠道的点击率，从高到低排序",
                                      "上个月各渠道的点击率，从高到低"])
def test_an_order_said_with_a_chinese_verb(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert spec.limit is None and [(o.field, o.descending) for o in spec.order_by] == [("ctr", True)]


# --- a group against everyone else: two rows of a yes/no split, never one side alone ---

@pytest.mark.parametrize("question", [
    "members vs non-members aov in 2025", "revenue from members vs non-members",
    "orders with and without a campaign in 2025", "有和没有归因的订单数对比",
])
def test_a_group_against_the_rest_declines_unless_split(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


@pytest.mark.parametrize("question, split", [("revenue by vip in 2025", "is_vip"),
                                             ("vip vs non-vip revenue in 2025", "is_vip"),  # the tag said both ways
                                             ("orders by sales channel in 2025", "sales_channel")])
def test_a_yes_no_split_asked_for_is_answered(planner: OfflinePlanner, question: str, split: str) -> None:
    assert [g.name for g in _spec(planner, question).group_by] == [split]


def test_one_side_alone_is_answered(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "orders without a campaign in 2025")
    assert [(f.dimension, f.values) for f in spec.filters] == [("is_attributed", (False,))]


# --- people in a period filtered by what they do are the people active then ---

@pytest.mark.parametrize("question, channel", [
    ("app users last month", "app"), ("how many tmall customers in 2025", "tmall"),
    ("2025年天猫的客户有多少", "tmall"),
])
def test_people_filtered_by_an_activity_in_a_period_are_buyers(planner: OfflinePlanner, question: str,
                                                               channel: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == ("buyers",)
    assert [(f.dimension, f.values) for f in spec.filters] == [("sales_channel", (channel,))]


@pytest.mark.parametrize("question, metric", [
    ("how many app users do we have", "customers"),  # no period: everyone who ever ordered there
    ("how many customers in shanghai last month", "customers"),  # an attribute of the customer
    ("new customers last month who ordered on the app", "new_customers"),  # signed up then, ordered there
])
def test_people_counts_that_keep_their_signup_date(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert _spec(planner, question).metrics == (metric,)


def test_people_active_where_the_model_counts_no_one_decline(planner: OfflinePlanner) -> None:
    _declines(planner, "how many ios users last week")


# --- "how many products did we sell": a count of different members, not the money sold ---

@pytest.mark.parametrize("question", [
    "how many products did we sell in november", "how many different products were sold last month",
    "number of skus sold by category",
])
def test_how_many_members_sold_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


@pytest.mark.parametrize("question, metric", [
    ("how many units did we sell in november", "units_sold"), ("how much did we sell in november", "revenue"),
    ("上个月卖了多少件", "units_sold"),
])
def test_selling_said_with_its_measure(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert _spec(planner, question).metrics == (metric,)


# --- a dimension said by listing its members right after another: two splits ---

@pytest.mark.parametrize("question, splits", [
    ("各年龄段男女的购买人数", ["age_band", "gender"]), ("各城市等级男女的销售额", ["city_tier", "gender"]),
    ("各产品品类的销售额", ["category"]),  # a compound noun: the last word is the split
])
def test_members_listed_after_a_split(planner: OfflinePlanner, question: str, splits: list[str]) -> None:
    assert [g.name for g in _spec(planner, question).group_by] == splits


# --- a signup period said of people whose other numbers are counted on their own dates ---

@pytest.mark.parametrize("question", ["今年注册的用户里有多少下过单", "revenue from customers who signed up this year"])
def test_a_signup_period_for_a_metric_of_another_date_filters_who(planner: OfflinePlanner, question: str) -> None:
    """Was declined; the model has the customers' signup date, so the period says who they are
    (heldout10's cohorts), never the period of the orders."""
    spec = _spec(planner, question)
    assert [f.dimension for f in spec.filters] == ["signup_date"] and spec.time_range is None


@pytest.mark.parametrize("question", ["ad spend for customers who joined in 2024", "今年注册的用户的广告花费"])
def test_a_signup_period_for_a_metric_of_no_customer_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


@pytest.mark.parametrize("question", ["how many customers signed up last month", "今年新注册的用户有多少",
                                      "how many people registered in 2025 by city"])
def test_a_signup_period_for_signups_is_answered(planner: OfflinePlanner, question: str) -> None:
    assert _spec(planner, question).metrics == ("new_customers",)


# --- a lone period said only as what something is compared against: now against it ---

@pytest.mark.parametrize("question, unit", [
    ("roas by channel vs last month", "month"), ("revenue vs. prior year", "year"),
    ("orders compared to last quarter", "quarter"), ("revenue this year against last year", "year"),
])
def test_now_against_a_named_base(planner: OfflinePlanner, question: str, unit: str) -> None:
    spec = _spec(planner, question)
    assert [(p.relative.kind, p.relative.unit.value) for p in spec.periods if p.relative] == [
        ("previous", unit), ("current", unit)]


def test_a_base_with_its_own_period_keeps_both(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "orders this week vs last week")
    assert [p.relative.kind for p in spec.periods if p.relative] == ["previous", "current"]
    assert _spec(planner, "revenue last month").time_range is not None

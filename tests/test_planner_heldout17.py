"""Mechanisms found by the blind heldout17 pass (``eval/heldout/heldout17.jsonl``), each
checked with reworded variants in both languages and with an unknown condition added
(which must decline): part of a year said once beside two years is that part of each,
a split by time with a year-on-year cue and no period is this year's units beside last
year's, and a channel said as what was sent is the channel of the marketing touch."""

from __future__ import annotations

from datetime import date

import pytest
from planner_support import declines as _declines
from planner_support import spec_of as _spec

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec, TimeGrain


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _filters(spec: QuerySpec) -> dict[str, set[object]]:
    return {f.dimension: set(f.values) for f in spec.filters}


def _periods(spec: QuerySpec) -> list[tuple[date | None, date | None]]:
    return [p.resolve(date(2025, 12, 31)) for p in spec.periods]


# --- part of a year, two years ---------------------------------------------------------

Q4S = [(date(2024, 10, 1), date(2024, 12, 31)), (date(2025, 10, 1), date(2025, 12, 31))]


@pytest.mark.parametrize("question", [
    "revenue oct-dec 2024 vs 2025",
    "sales for oct thru dec, 2024 vs 2025",
    "orders october to december 2024 vs 2025",
    "Q4 2024 vs 2025 orders",
    "2024年和2025年10-12月的订单量对比",
    "2024年和2025年第四季度的销售额对比",
    "2024年和2025年10月到12月的买家数",
])
def test_part_of_a_year_said_once_is_that_part_of_each_year(planner: OfflinePlanner, question: str) -> None:
    assert _periods(_spec(planner, question)) == Q4S


@pytest.mark.parametrize("question, expected", [
    ("revenue 2024 vs 2025", [(date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))]),
    ("revenue 2025 vs december 2024", [(date(2024, 12, 1), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))]),
    ("feb 2024 vs 2025 revenue", [(date(2024, 2, 1), date(2024, 2, 29)), (date(2025, 2, 1), date(2025, 2, 28))]),
])
def test_whole_years_and_parts_said_with_their_own_year_stay(planner: OfflinePlanner, question: str,
                                                             expected: list[tuple[date, date]]) -> None:
    assert _periods(_spec(planner, question)) == expected


@pytest.mark.parametrize("question", ["10-12月的订单量", "10到12月的订单量", "orders oct-dec"])
def test_a_span_of_months_is_one_period(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert spec.time_range is not None
    assert spec.time_range.resolve(date(2025, 12, 31)) == (date(2025, 10, 1), date(2025, 12, 31))


# --- a split by time, year on year -----------------------------------------------------

@pytest.mark.parametrize("question, grain", [
    ("quarterly revenue yoy", TimeGrain.QUARTER),
    ("quarterly orders, yoy", TimeGrain.QUARTER),
    ("revenue by quarter, year over year", TimeGrain.QUARTER),
    ("monthly buyers yoy", TimeGrain.MONTH),
    ("各季度GMV同比", TimeGrain.QUARTER),
    ("每个季度的订单量同比", TimeGrain.QUARTER),
    ("每个月的新客数同比", TimeGrain.MONTH),
])
def test_split_by_time_yoy_is_each_unit_beside_the_same_unit_a_year_before(
        planner: OfflinePlanner, question: str, grain: TimeGrain) -> None:
    spec = _spec(planner, question)
    assert [(g.name, g.grain) for g in spec.group_by] == [("metric_time", grain)]
    assert spec.time_range is not None and not spec.periods
    assert spec.time_range.resolve(date(2025, 12, 31)) == (date(2024, 1, 1), date(2025, 12, 31))


def test_split_by_time_yoy_mid_year_runs_to_date(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "quarterly revenue yoy", as_of=date(2025, 6, 15))
    assert spec.time_range is not None
    assert spec.time_range.resolve(date(2025, 6, 15)) == (date(2024, 1, 1), date(2025, 6, 15))


def test_yoy_without_a_split_still_compares_two_periods(planner: OfflinePlanner) -> None:
    assert len(_spec(planner, "revenue yoy").periods) == 2


# --- a channel said as what was sent -----------------------------------------------------

@pytest.mark.parametrize("question, channel", [
    ("how many customers did we email", "email"),
    ("how many customers got an email from us last month", "email"),
    ("how many people received an sms from us in november", "sms"),
    ("customers reached via app push last week", "app_push"),
    ("上个月给多少客户发过短信", "sms"),
    ("今年邮件触达了多少人", "email"),
    ("去年给多少人发过邮件", "email"),
    ("上周收到过推送的客户有多少", "app_push"),
    ("how many customers did we text last month", "sms"),
    ("customers we emailed in november", "email"),
    ("customers we contacted via sms in q3", "sms"),
])
def test_a_channel_said_as_what_was_sent_counts_the_people_touched(
        planner: OfflinePlanner, question: str, channel: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == ("touched_customers",)
    assert _filters(spec) == {"touch_channel": {channel}}


@pytest.mark.parametrize("question", ["how often do customers buy", "how often does a tmall buyer order"])
def test_how_often_stays_a_duration_and_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


def test_people_we_reached_without_a_channel_are_the_people_touched(planner: OfflinePlanner) -> None:
    assert _spec(planner, "how many customers have we reached this year").metrics == ("touched_customers",)
    assert _spec(planner, "今年触达了多少人").metrics == ("touched_customers",)


@pytest.mark.parametrize("question, metric, dimension", [
    ("how many customers did we get from email last year", "customers", "acquisition_channel"),
    ("new customers from email this year", "new_customers", "acquisition_channel"),
    ("通过短信注册的客户数", "new_customers", "acquisition_channel"),
    ("revenue from email campaigns", "revenue", "channel"),
])
def test_a_channel_said_as_a_source_is_not_a_touch(planner: OfflinePlanner, question: str, metric: str,
                                                  dimension: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,)
    assert dimension in _filters(spec)


@pytest.mark.parametrize("question", [
    "how many customers did we email who own a cat",
    "上个月给多少养猫的客户发过短信",
    "how many customers did we text last month who own a cat",
    "customers we emailed in november who own a cat",
    "quarterly revenue yoy for customers with a pet",
    "revenue oct-dec 2024 vs 2025 from customers who own a cat",
    "2024年和2025年10-12月养猫客户的订单量对比",
])
def test_an_unknown_condition_beside_them_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


# --- "which of the listed is higher": both rows, the higher first ----------------------

@pytest.mark.parametrize("question, values", [
    ("男生和女生谁的客单价高", {"male", "female"}),
    ("今年男性和女性谁的客单价更高", {"male", "female"}),
    ("11月官网和app哪个订单多", {"online_store", "app"}),
    ("jd or tmall - which one had more buyers in nov?", {"jd", "tmall"}),
    ("which one had more orders last month, tmall or jd?", {"jd", "tmall"}),
    ("天猫和京东哪一个买家多", {"jd", "tmall"}),
])
def test_which_of_the_listed_members_shows_them_all_higher_first(planner: OfflinePlanner, question: str,
                                                                values: set[str]) -> None:
    spec = _spec(planner, question)
    assert spec.limit is None and spec.order_by and spec.order_by[0].descending
    assert set().union(*_filters(spec).values()) == values


def test_who_without_members_asks_among_what(planner: OfflinePlanner) -> None:
    _declines(planner, "谁的客单价高")


# --- "members only": the complement excluded ---------------------------------------------

@pytest.mark.parametrize("question", [
    "aov by membership level this year, members only",
    "revenue from members only last month",
    "just members: orders by city tier this year",
    "only members - buyers last quarter",
    "今年各会员等级的客单价，只看会员",
    "上个月的订单数，只算会员",
    "仅限会员的销售额",
])
def test_members_only_excludes_the_non_members(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert [(f.dimension, f.op.value, f.values) for f in spec.filters] == [("loyalty_tier", "!=", ("none",))]


@pytest.mark.parametrize("question, value", [
    ("gold members only: revenue last month", "gold"),
    ("只看金卡会员的订单数", "gold"),
])
def test_a_member_named_before_the_word_is_that_member(planner: OfflinePlanner, question: str, value: str) -> None:
    assert _filters(_spec(planner, question)) == {"loyalty_tier": {value}}


@pytest.mark.parametrize("question", [
    "revenue from members only who own a cat",
    "只看养猫的会员的销售额",
])
def test_members_only_with_an_unknown_condition_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


# --- ordinals: one place of a ranking -------------------------------------------------------

@pytest.mark.parametrize("question, offset, descending", [
    ("3rd biggest region by revenue last year", 2, True),
    ("2nd best channel by revenue", 1, True),
    ("the second-best channel by revenue this year", 1, True),
    ("2nd lowest city by orders last month", 1, False),
    ("去年销售额第二高的城市", 1, True),
    ("上个月订单量第三多的销售渠道", 2, True),
    ("今年客单价第二低的城市等级", 1, False),
    ("上个月卖得第二好的品类", 1, True),
    ("今年卖得第三差的城市", 2, False),
    ("哪个渠道排第二（按花费）", 1, True),
    ("上个月哪个城市排第三，按订单数", 2, True),
    ("which product ranked 2nd by units last month", 1, True),
    ("4th best city by orders this year", 3, True),
])
def test_an_ordinal_is_one_row_at_that_place(planner: OfflinePlanner, question: str, offset: int,
                                             descending: bool) -> None:
    spec = _spec(planner, question)
    assert (spec.limit, spec.offset) == (1, offset)
    assert spec.order_by[0].descending is descending


@pytest.mark.parametrize("first, then, offset", [
    ("orders by sales channel this year", "which one came 2nd?", 1),
    ("今年每个月的新客数", "排名第二的是哪个月", 1),
    ("revenue by region last month", "which was 3rd?", 2),
])
def test_an_ordinal_follow_up_ranks_the_breakdown_before(planner: OfflinePlanner, first: str, then: str,
                                                         offset: int) -> None:
    spec = _spec(planner, then, previous=_spec(planner, first))
    assert (spec.limit, spec.offset) == (1, offset) and spec.group_by


def test_an_ordinal_stays_through_a_period_follow_up(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "and last year?", previous=_spec(planner, "2nd best channel by revenue"))
    assert (spec.limit, spec.offset) == (1, 1)


@pytest.mark.parametrize("question", [
    "revenue in the 2nd half of 2024", "第2季度的订单量", "orders in the 3rd quarter of 2025", "orders in the first week of december",
])
def test_a_period_ordinal_is_no_ranking(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert spec.offset is None and spec.limit is None


@pytest.mark.parametrize("question", [
    "3rd biggest region by revenue among customers with a pet",
    "去年养猫客户销售额第二高的城市",
])
def test_an_ordinal_with_an_unknown_condition_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


def test_an_offset_compiles_after_the_limit_and_needs_a_ranking() -> None:
    from genbi.semantic_layer.compiler import compile_spec
    from genbi.semantic_layer.model import ModelError
    from genbi.semantic_layer.query_spec import DimensionRef, OrderBy

    model = load_model()
    ranked = QuerySpec(metrics=("revenue",), group_by=(DimensionRef(name="region"),),
                       order_by=(OrderBy(field="revenue"),), limit=1, offset=2)
    sql = compile_spec(ranked, model, as_of=date(2025, 12, 31)).sql
    assert sql.rstrip().endswith("LIMIT 1\nOFFSET 2")
    with pytest.raises(ModelError):
        compile_spec(ranked.model_copy(update={"order_by": (), "limit": None}), model, as_of=date(2025, 12, 31))


# --- things said to start in a period: a filter on their start date ------------------------

@pytest.mark.parametrize("question, start, end", [
    ("how much did we spend on campaigns that launched in november", date(2025, 11, 1), date(2025, 11, 30)),
    ("spend on campaigns we launched in november", date(2025, 11, 1), date(2025, 11, 30)),
    ("clicks for campaigns that kicked off in q3", date(2025, 7, 1), date(2025, 9, 30)),
    ("10月份上线的活动一共花了多少钱", date(2025, 10, 1), date(2025, 10, 31)),
    ("11月开始的活动的花费", date(2025, 11, 1), date(2025, 11, 30)),
    ("第三季度启动的活动的点击量", date(2025, 7, 1), date(2025, 9, 30)),
])
def test_things_said_to_start_in_a_period_are_filtered_by_their_start(
        planner: OfflinePlanner, question: str, start: date, end: date) -> None:
    spec = _spec(planner, question)
    assert [(f.dimension, f.values) for f in spec.filters] == [("campaign_start_date", (start, end))]
    assert spec.time_range is None


def test_a_start_and_a_period_of_its_own(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "spend last month on campaigns that started in october")
    assert [f.dimension for f in spec.filters] == ["campaign_start_date"] and spec.time_range is not None


@pytest.mark.parametrize("question", ["11月开始的订单", "从11月开始的销售额", "orders since november"])
def test_since_a_period_said_of_a_metric_stays_since(planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert not spec.filters and spec.time_range is not None
    assert spec.time_range.resolve(date(2025, 12, 31)) == (date(2025, 11, 1), date(2025, 12, 31))


@pytest.mark.parametrize("question, grouped", [
    ("10月份上线的活动一共花了多少钱", False), ("上个月的活动总共花了多少钱", False), ("上个月各活动一共花了多少钱", True),
])
def test_a_noun_then_in_total_is_one_number(planner: OfflinePlanner, question: str, grouped: bool) -> None:
    assert bool(_spec(planner, question).group_by) is grouped


@pytest.mark.parametrize("question", [
    "how much did we spend on campaigns that launched in november for pet owners",
    "10月份上线的养猫人群活动一共花了多少钱",
    "revenue last month for products launched this year",
])
def test_a_start_with_an_unknown_condition_or_subject_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


# --- chat shorthand and verbs -----------------------------------------------------------------

@pytest.mark.parametrize("question, metric", [
    ("whts the avrage order value on the app lst month", "aov"),
    ("wht was rev lst month", "revenue"),
    ("click-thru rate per channel since october", "ctr"),
    ("what did we make on jd in september", "revenue"),
    ("what did we make last month", "revenue"),
    ("how many times does a tmall buyer order on average this year", "orders_per_buyer"),
    ("how many times does a customer buy from us on average", "orders_per_buyer"),
    ("how many times did gold members order last year on average", "orders_per_buyer"),
])
def test_shorthand_and_verbs_read_as_the_metric(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert _spec(planner, question).metrics == (metric,)


@pytest.mark.parametrize("question", [
    "whts the avrage order value on the app lst month for pet owners",
    "what did we make on jd in september from students",
    "how many times does a tmall buyer with a cat order on average",
])
def test_shorthand_with_an_unknown_condition_declines(planner: OfflinePlanner, question: str) -> None:
    _declines(planner, question)


# --- a comparative before "per"; a member listed beside the non-members --------------------

@pytest.mark.parametrize("question, metric", [
    ("who spends more per order, men or women? this year", "aov"),
    ("which city spends the most per order", "aov"),
    ("tmall or jd: which has more revenue per buyer this year", "revenue_per_buyer"),
])
def test_a_comparative_before_per_keeps_the_pair(planner: OfflinePlanner, question: str, metric: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,) and spec.order_by and spec.order_by[0].descending


@pytest.mark.parametrize("question, values", [
    ("上季度白金会员和非会员的人均消费对比", {"platinum", "none"}),
    ("gold members vs non-members revenue", {"gold", "none"}),
    ("金卡会员和非会员的订单数对比", {"gold", "none"}),
])
def test_a_member_beside_the_non_members_is_a_list(planner: OfflinePlanner, question: str,
                                                   values: set[str]) -> None:
    spec = _spec(planner, question)
    assert [g.name for g in spec.group_by] == ["loyalty_tier"] and _filters(spec) == {"loyalty_tier": values}


@pytest.mark.parametrize("question", [
    "members vs non-members revenue", "who spends more per order, men or women with pets",
    "上季度白金会员和非会员中养猫的人均消费对比",
])
def test_a_complement_or_an_unknown_condition_still_declines(planner: OfflinePlanner, question: str) -> None:
    """("VIP vs non-VIP revenue" is the split by the VIP tag: ``test_planner_flag_complement``.)"""
    _declines(planner, question)


# --- metamorphic: a rewording, in either language, gives the same spec ------------------------

@pytest.mark.parametrize("questions", [
    ("quarterly revenue yoy", "各季度销售额同比", "revenue by quarter, year over year", "每个季度的销售额同比"),
    ("revenue oct-dec 2024 vs 2025", "2024年和2025年10-12月的销售额对比", "sales for oct thru dec, 2024 vs 2025"),
    ("how many customers did we email last month", "上个月给多少客户发过邮件",
     "how many customers got an email from us last month"),
    ("2nd best channel by revenue last month", "上个月销售额第二高的渠道", "the second-best channel by revenue last month"),
    ("aov by loyalty tier this year, members only", "今年各会员等级的客单价，只看会员"),
    ("spend on campaigns that launched in november", "11月上线的活动一共花了多少钱",
     "how much did we spend on campaigns that kicked off in november"),
    ("who has the higher aov this year, men or women?", "今年男性和女性谁的客单价更高"),
])
def test_rewordings_give_the_same_spec(planner: OfflinePlanner, questions: tuple[str, ...]) -> None:
    specs = {q: _spec(planner, q) for q in questions}
    first = specs[questions[0]]
    for question, spec in specs.items():
        assert (spec.metrics, set(spec.group_by), set(spec.filters), spec.time_range, spec.periods, spec.limit,
                spec.offset) == (first.metrics, set(first.group_by), set(first.filters), first.time_range,
                                 first.periods, first.limit, first.offset), question

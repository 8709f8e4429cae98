"""General rules of the planner, one group per rule: ranking direction and N, a time grain
listed with breakdowns, ratios and shares asked by their meaning (en and zh)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from genbi.assistant.planner.planner import OfflinePlanner
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec

AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


def _spec(planner: OfflinePlanner, question: str) -> QuerySpec:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason
    return result.spec


def _ranking(spec: QuerySpec) -> tuple[Any, ...]:
    return tuple((o.field, o.descending) for o in spec.order_by), spec.limit


@pytest.mark.parametrize("question, order, limit", [
    ("which 3 cities brought in the least revenue", ("revenue", False), 3),
    ("which 3 cities brought in the most revenue", ("revenue", True), 3),
    ("which 3 cities had the most revenue", ("revenue", True), 3),
    ("the 2 cities with the fewest orders last year", ("orders", False), 2),
    ("3 cities with the most buyers in 2025", ("buyers", True), 3),
    ("revenue by region in 2025, least to most", ("revenue", False), None),
    ("2025年订单最少的3个城市", ("orders", False), 3),
    ("上个月点击率最低的两个渠道", ("ctr", False), 2),
])
def test_direction_and_count_come_from_any_order_of_cues(planner: OfflinePlanner, question: str,
                                                         order: tuple[str, bool], limit: int | None) -> None:
    assert _ranking(_spec(planner, question)) == ((order,), limit)


@pytest.mark.parametrize("question, dims, grain", [
    ("revenue by region and month for Q4", ["region"], "month"),
    ("orders by sales channel, gender and month in Q4 2025", ["sales_channel", "gender"], "month"),
    ("orders by city tier and quarter in 2025", ["city_tier"], "quarter"),
    ("按渠道和月份看2025年的投放花费", ["channel"], "month"),
])
def test_a_time_unit_listed_with_breakdowns_is_the_grain(planner: OfflinePlanner, question: str,
                                                         dims: list[str], grain: str) -> None:
    spec = _spec(planner, question)
    assert [g.name for g in spec.group_by if g.grain is None] == dims
    assert [g.grain.value for g in spec.group_by if g.grain is not None] == [grain]


@pytest.mark.parametrize("question, metric", [
    ("what did a click cost us on search last month", "cpc"),
    ("cost of a click by channel last quarter", "cpc"),
    ("how much did we pay per conversion last quarter", "cpa"),
    ("上个月平均每个订单多少钱", "aov"),
    ("上个月每次点击花多少钱", "cpc"),
    ("去年折扣占折前销售额的比例", "discount_rate"),
])
def test_ratios_are_read_from_their_meaning(planner: OfflinePlanner, question: str, metric: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,) and not spec.share_of_total


@pytest.mark.parametrize("question, metric, dimension", [
    ("what % of orders came from tmall in 2025", "orders", "sales_channel"),
    ("what % of product sales came from each category in 2025?", "product_sales", "category"),
    ("what fraction of buyers are from Shanghai in 2025", "buyers", "city"),
])
def test_shares_asked_in_other_words(planner: OfflinePlanner, question: str, metric: str, dimension: str) -> None:
    spec = _spec(planner, question)
    assert spec.share_of_total and spec.metrics == (metric,) and [g.name for g in spec.group_by] == [dimension]


def test_a_distinct_count_split_by_another_tables_attribute_has_no_share(planner: OfflinePlanner) -> None:
    """One buyer orders on several sales channels: buyers' shares by channel would not add up."""
    model = load_model()
    assert model.adds_up("buyers", ["city"]) and not model.adds_up("buyers", ["sales_channel"])
    assert planner.plan("share of buyers by sales channel", as_of=AS_OF).spec is None


@pytest.mark.parametrize("first, followup, groups", [
    ("revenue by month and sales channel in 2025", "by city tier instead", ["metric_time:month", "city_tier"]),
    ("orders by region in 2025", "now by month instead", ["metric_time:month"]),
])
def test_instead_replaces_the_breakdown_of_its_kind(planner: OfflinePlanner, first: str, followup: str,
                                                    groups: list[str]) -> None:
    previous = _spec(planner, first)
    result = planner.plan(followup, as_of=AS_OF, previous=previous)
    assert result.spec is not None
    assert [g.name if g.grain is None else f"{g.name}:{g.grain.value}" for g in result.spec.group_by] == groups


def test_a_followup_naming_who_keeps_the_metric(planner: OfflinePlanner) -> None:
    previous = _spec(planner, "revenue by month in 2025")
    result = planner.plan("only for Shanghai customers", as_of=AS_OF, previous=previous)
    assert result.spec is not None and result.spec.metrics == ("revenue",)
    assert [(f.dimension, f.values) for f in result.spec.filters] == [("city", ("Shanghai",))]


@pytest.mark.parametrize("question, metric", [
    ("ordres in 2024", "orders"), ("avg order value 2024", "aov"), ("想了解一下2025年的复购率", "repeat_purchase_rate"),
])
def test_typos_and_abbreviations(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert _spec(planner, question).metrics == (metric,)


@pytest.mark.parametrize("question, filters", [
    ("90后客户在2025年贡献了多少销售额", [("generation", "=", ("1990s",))]),
    ("how many buyers born in the 80s did we have last year", [("generation", "=", ("1980s",))]),
    ("80后和90后加起来的销售额（2025年）", [("generation", "in", ("1980s", "1990s"))]),
    ("VIP customers' revenue last month", [("is_vip", "=", (True,))]),
])
def test_derived_attributes_and_tags_filter(planner: OfflinePlanner, question: str,
                                            filters: list[tuple[str, str, tuple[object, ...]]]) -> None:
    spec = _spec(planner, question)
    assert [(f.dimension, f.op.value, f.values) for f in spec.filters] == filters


@pytest.mark.parametrize("question, dimension", [
    ("revenue by generation in 2025", "generation"), ("各年代的客单价", "generation"), ("revenue by vip last month", "is_vip"),
])
def test_derived_attributes_and_tags_split(planner: OfflinePlanner, question: str, dimension: str) -> None:
    assert [g.name for g in _spec(planner, question).group_by] == [dimension]


@pytest.mark.parametrize("question, metric, dimension", [
    ("new customers by channel this year", "new_customers", "acquisition_channel"),
    ("which channel brought in the most new customers this year", "new_customers", "acquisition_channel"),
    ("各渠道的新客数", "new_customers", "acquisition_channel"),
    ("revenue by channel", "revenue", "channel"),  # the model's own meaning where it fits
    ("各渠道的销售额", "revenue", "channel"),
])
def test_a_bare_head_noun_means_the_dimension_the_metric_can_split_by(
    question: str, metric: str, dimension: str
) -> None:
    """"channel" is the marketing channel, which new customers have none of: the question
    means their acquisition channel. Was: buyers (another metric) by marketing channel."""
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is not None, result.decline_reason
    assert result.spec.metrics == (metric,)
    assert [g.name for g in result.spec.group_by] == [dimension]


@pytest.mark.parametrize("question, metric", [
    ("新客数量按月", "new_customers"),
    ("订单数量", "orders"),
    ("客户数量", "customers"),
])
def test_a_count_word_split_by_a_metric_name_is_read_whole(question: str, metric: str) -> None:
    """"新客数量": the metric "新客数" takes "数", and the lone "量" only finishes "数量" (the
    number of); it is not an unknown word to decline on."""
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is not None, result.decline_reason
    assert result.spec.metrics == (metric,)


@pytest.mark.parametrize("question, dimension, value", [
    ("金卡会员有多少人", "loyalty_tier", "gold"),
    ("how many gold members do we have", "loyalty_tier", "gold"),
    ("how many platinum members", "loyalty_tier", "platinum"),
    ("北京有多少人", "city", "Beijing"),
    ("金卡会员数", "loyalty_tier", "gold"),
])
def test_counting_people_without_a_metric_word_counts_customers(question: str, dimension: str, value: str) -> None:
    """Was: "I couldn't find a metric". The people are the model's customers; the value says
    which (and it is the plain customer count, not "new customers" on their signup date)."""
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is not None, result.decline_reason
    assert result.spec.metrics == ("customers",)
    assert [(f.dimension, f.values) for f in result.spec.filters] == [(dimension, (value,))]


def test_a_people_word_never_replaces_a_metric_the_question_names() -> None:
    """"多少人买了护肤品" counts buyers: the metric word wins over the people word."""
    result = OfflinePlanner(load_model()).plan("上个月有多少人买了护肤品", as_of=date(2025, 12, 31))
    assert result.spec is not None and result.spec.metrics == ("buyers",)


@pytest.mark.parametrize("question, same_as", [
    ("how many people signed up in Beijing in 2025", "new customers in Beijing in 2025"),
    ("2025年北京有多少人注册", "2025年北京新注册用户数"),
    ("2025年北京注册了多少人", "2025年北京新注册用户数"),
    ("how many people joined last month", "new customers last month"),
    ("how many shoppers bought skincare in 2025", "buyers of skincare in 2025"),
    ("2025年拉新人数", "2025年拉新数"),  # was: customers of acquisition campaigns (拉新 the objective)
    ("上季度获客人数", "上季度获客数"),
])
def test_the_people_a_metric_counts_are_no_word_left_over(question: str, same_as: str) -> None:
    """Was: "I don't know what 'people' refers to" (the hybrid then spent an LLM call on it).
    A metric that counts customers (new customers, buyers) counts the people the question
    asks about; metamorphic: the same spec as the question with the metric's own name."""
    planner = OfflinePlanner(load_model())
    result = planner.plan(question, as_of=date(2025, 12, 31))
    expected = planner.plan(same_as, as_of=date(2025, 12, 31))
    assert result.spec is not None, result.decline_reason
    assert expected.spec is not None, expected.decline_reason
    assert result.spec == expected.spec


def test_a_people_word_beside_a_metric_that_counts_no_people_stays_unexplained() -> None:
    result = OfflinePlanner(load_model()).plan("how many people revenue in 2025", as_of=date(2025, 12, 31))
    assert result.spec is None and "people" in (result.decline_reason or "")


@pytest.mark.parametrize("question, unknown", [
    ("average order value for first orders", "first orders"),
    ("revenue from first orders", "first orders"),
    ("first time buyers", "First-time"),  # the model has first-time buyers, but no period to be first in
    ("新用户的首单客单价", "首单"),
    ("老客的销售额", "老客"),
    ("sales of discounted products this year", "discounted"),
])
def test_a_qualifier_the_model_cannot_express_declines(question: str, unknown: str) -> None:
    """Metamorphic: "AOV for first orders" is not "AOV". Was: the qualifier was a stopword
    ("first") or a typo of a metric ("discounted" → discount) and the answer covered every
    order, or product sales by product."""
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is None and result.tool_call is None
    assert unknown in (result.decline_reason or "")


@pytest.mark.parametrize("followups, excluded", [
    (["drop display"], ("display",)),
    (["remove display", "remove douyin too"], ("display", "douyin")),
    (["去掉展示广告", "也去掉抖音"], ("display", "douyin")),
    (["drop display", "only douyin"], None),
])
def test_dropping_a_member_in_a_followup_excludes_it(planner: OfflinePlanner, followups: list[str],
                                                     excluded: tuple[str, ...] | None) -> None:
    """Was: "drop display" was refused as a write ("genbi only reads data"). A second exclusion
    said as an addition keeps both out; "only douyin" replaces the exclusion."""
    spec = _spec(planner, "roas by channel last quarter")
    for followup in followups:
        result = planner.plan(followup, as_of=AS_OF, previous=spec)
        assert result.spec is not None, result.decline_reason
        spec = result.spec
    channel = next(f for f in spec.filters if f.dimension == "channel")
    if excluded is None:
        assert channel.op.value == "=" and channel.values == ("douyin",)
    else:
        assert channel.op.value in ("!=", "not in") and set(channel.values) == set(excluded)


@pytest.mark.parametrize("question", ["drop table orders", "drop the customers table", "delete all orders"])
def test_writes_are_still_refused(planner: OfflinePlanner, question: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None and result.tool_call is None


@pytest.mark.parametrize("question, dimension, limit", [
    ("哪个品类卖得最好", "category", 1),
    ("最畅销的产品", "product_name", 1),
    ("上个月卖得最好的三款产品", "product_name", 3),
    ("which product sold the most last month", "product_name", 1),
])
def test_selling_best_said_with_a_verb_ranks_by_sales(question: str, dimension: str, limit: int) -> None:
    """Was: '我不理解“卖得”'. The model's own word for sales ranks the members, with a note."""
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is not None, result.decline_reason
    assert [g.name for g in result.spec.group_by] == [dimension]
    assert result.spec.order_by and result.spec.order_by[0].descending and result.spec.limit == limit
    assert result.spec.metrics == ("product_sales",)


def test_tool_order_does_not_depend_on_which_module_was_imported_first() -> None:
    import importlib

    from genbi.tools import base, catalog

    importlib.import_module("genbi.tools.rfm")
    names = [spec.run.__module__ for spec in base.registered_tools().values()]
    assert names == list(catalog.ORDER)


@pytest.mark.parametrize("question", ["highest revenue in november", "top 3 by sales", "11月销售额最高",
                                      "what sold best in november"])
def test_a_ranking_with_nothing_to_rank_declines(question: str) -> None:
    """Was: the total, the ranking dropped without a word."""
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is None and result.tool_call is None


@pytest.mark.parametrize("question", ["How many orders in 2025 included at least one fragrance item?",
                                      "how many buyers ordered more than once last year"])
def test_a_bound_in_a_condition_is_no_ranking(question: str) -> None:
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert "Highest among what" not in (result.decline_reason or "")


@pytest.mark.parametrize("typed, spelled", [
    ("how many ppl bought in dec", "how many people bought in dec"),
    ("spend by chnl in oct", "spend by channel in oct"),
    ("how'd douyin do last month", "how did douyin do last month"),
])
def test_typed_shorthand_reads_as_spelled_out(typed: str, spelled: str) -> None:
    planner = OfflinePlanner(load_model())
    a, b = (planner.plan(q, as_of=date(2025, 12, 31)) for q in (typed, spelled))
    assert a.spec == b.spec and a.decline_reason == b.decline_reason


@pytest.mark.parametrize("question, dimension, value", [
    ("how did douyin do last month", "channel", "douyin"),
    ("how'd douyin do last month", "channel", "douyin"),
    ("抖音投放效果怎么样", "channel", "douyin"),
    ("how is tmall doing this year", "sales_channel", "tmall"),
])
def test_how_a_member_did_shows_its_headline_numbers_and_says_so(question: str, dimension: str, value: str) -> None:
    """Was: "I couldn't find a metric". Money, a count and a rate the member can be split by,
    in model order, with a note naming them."""
    model = load_model()
    result = OfflinePlanner(model).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is not None, result.decline_reason
    assert [(f.dimension, f.values) for f in result.spec.filters] == [(dimension, (value,))]
    formats = [model.metric(m).format.value for m in result.spec.metrics]
    assert formats[:2] == ["currency", "number"] and formats[2] in ("ratio", "percent")
    assert any("No metric named" in n or "没有指定指标" in n for n in result.notes)


def test_how_are_we_doing_with_nothing_named_still_asks_for_a_metric() -> None:
    result = OfflinePlanner(load_model()).plan("how are we doing", as_of=date(2025, 12, 31))
    assert result.spec is None


def test_which_member_spends_the_most_ranks_by_sales() -> None:
    result = OfflinePlanner(load_model()).plan("which city tier spends the most", as_of=date(2025, 12, 31))
    assert result.spec is not None and result.spec.metrics == ("revenue",)
    assert [g.name for g in result.spec.group_by] == ["city_tier"] and result.spec.limit == 1


@pytest.mark.parametrize("question, by", [
    ("哪个城市的客户消费最多", "city"),
    ("which city's customers spend the most", "city"),
    ("which city tier's customers spent the most in 2025", "city_tier"),
    ("哪个会员等级的客户花钱最多", "loyalty_tier"),
])
def test_people_who_spend_the_most_rank_by_sales_not_by_head_count(question: str, by: str) -> None:
    """Was: customers and revenue, ranked by the number of customers (Shanghai: most customers);
    in English "spend" was also read as ad spend. The people are who spends."""
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is not None, result.decline_reason
    assert result.spec.metrics == ("revenue",) and [o.field for o in result.spec.order_by] == ["revenue"]
    assert [g.name for g in result.spec.group_by] == [by] and result.spec.limit == 1


def test_a_channel_that_spends_the_most_is_still_ad_spend() -> None:
    result = OfflinePlanner(load_model()).plan("which channel spends the most", as_of=date(2025, 12, 31))
    assert result.spec is not None and result.spec.metrics == ("spend",)


@pytest.mark.parametrize("question", ["上个月男性客户买了多少钱", "上个月男性客户花了多少钱", "上个月男性客户消费了多少"])
def test_how_much_money_people_spent_is_sales_not_a_head_count(question: str) -> None:
    """Was: 客户数 (106 customers) for "how much money did male customers spend"."""
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is not None and result.spec.metrics == ("revenue",)
    assert [(f.dimension, f.values) for f in result.spec.filters] == [("gender", ("male",))]


@pytest.mark.parametrize("question, metrics", [
    ("tmall revenue and orders", ("revenue", "orders")),
    ("douyin spend and roas by month this year", ("spend", "roas")),
    ("douyin clicks and spend last month", ("clicks", "spend")),
    ("Shanghai customers' revenue", ("revenue",)),
    ("上海用户下了多少单", ("orders",)),
])
def test_a_metric_named_right_after_a_value_is_still_asked_for(question: str, metrics: tuple[str, ...]) -> None:
    """Was: "tmall revenue and orders" answered orders only (revenue, right after a value, was
    taken for "who"); the people noun after a value still only says who."""
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is not None and result.spec.metrics == metrics


@pytest.mark.parametrize("question, shown", [
    ("orders wk over wk", "Dec 29 – Jan 4 (to Dec 31) vs 2025-12-22 to 2025-12-24"),
    ("本周销售额环比", "12月29日–1月4日（截至12月31日） 对比 2025-12-22 至 2025-12-24"),
    ("revenue this month vs last month", "December 2025 vs November 2025"),
])
def test_a_period_to_date_is_read_back_with_its_last_day(question: str, shown: str) -> None:
    """Was: "Dec 29 – Jan 4 vs Dec 22 to 24": the week to date read back as the whole week."""
    from genbi.assistant.interpretation import interpret

    model = load_model()
    result = OfflinePlanner(model).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is not None, result.decline_reason
    language = "zh" if any("\u4e00" <= c <= "\u9fff" for c in question) else "en"
    assert interpret(result.spec, model, date(2025, 12, 31), language).endswith(shown)


@pytest.mark.parametrize("question", ["今年男女购买人数对比", "今年男女购买人数比较"])
def test_a_breakdown_named_by_its_members_covers_those_members(question: str) -> None:
    """Was: a third row of customers whose gender is unknown under "男女" (men and women)."""
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is not None, result.decline_reason
    assert [g.name for g in result.spec.group_by] == ["gender"]
    assert [(f.dimension, set(f.values)) for f in result.spec.filters] == [("gender", {"male", "female"})]


@pytest.mark.parametrize("question", ["各性别的购买人数对比", "去年每个月男女的销售额"])
def test_a_breakdown_by_name_or_without_a_comparison_keeps_every_member(question: str) -> None:
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is not None and result.spec.filters == ()


@pytest.mark.parametrize("question", ["average basket value in units", "average order value in units last month",
                                      "revenue measured in units by channel"])
def test_money_asked_in_units_is_another_metric_and_declined(question: str) -> None:
    """Was: the average order value and the units sold, two numbers nobody asked for."""
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is None and "units" in (result.decline_reason or "")


@pytest.mark.parametrize("question, metrics", [
    ("average basket value", ("aov",)),
    ("average basket size", ("units_per_order",)),
    ("revenue and units last month", ("revenue", "units_sold")),
])
def test_without_the_unit_qualifier_the_metrics_are_answered(question: str, metrics: tuple[str, ...]) -> None:
    result = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31))
    assert result.spec is not None and result.spec.metrics == metrics


@pytest.mark.parametrize("question, order", [
    ("which region grew revenue the most this year vs last year", ("revenue__change", True)),
    ("which region's revenue grew fastest this year", ("revenue__change_pct", True)),
    ("which channel had the biggest increase in orders last month", ("orders__change", True)),
    ("which sales channel dropped the most in orders last month", ("orders__change", False)),
    ("which region grew slowest in revenue this year", ("revenue__change_pct", False)),
    ("上个月哪个销售渠道的订单增长最多", ("orders__change", True)),
    ("哪个大区今年销售额增长最快", ("revenue__change_pct", True)),
    ("上个月哪个渠道的订单下降最多", ("orders__change", False)),
])
def test_a_ranking_asked_with_a_growth_word_ranks_by_the_change(planner: OfflinePlanner, question: str,
                                                               order: tuple[str, bool]) -> None:
    spec = _spec(planner, question)
    assert len(spec.periods) == 2
    assert _ranking(spec) == ((order,), 1)


@pytest.mark.parametrize("question", [
    "which region had the highest revenue this year vs last year",
    "top 3 sales channels by orders, last month vs the month before",
])
def test_a_ranking_over_compared_periods_without_a_growth_word_ranks_by_the_level(
        planner: OfflinePlanner, question: str) -> None:
    spec = _spec(planner, question)
    assert spec.order_by[0].field in spec.metrics


@pytest.mark.parametrize("question", ["revenue growth by region", "各渠道销售额增长情况"])
def test_growth_without_a_period_compares_the_current_one_with_the_one_before(
        planner: OfflinePlanner, question: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is not None and len(result.spec.periods) == 2
    assert result.notes  # the period it chose is said


def test_growth_with_a_time_split_is_the_series_itself(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "customer growth by month")
    assert not spec.periods and spec.group_by[0].grain is not None


@pytest.mark.parametrize("question, split", [
    ("tmall's share of revenue among sales channels last year", "sales_channel"),
    ("revenue share of douyin among marketing channels", "channel"),
    ("what share of orders did tmall and jd get by sales channel last month", "sales_channel"),
])
def test_a_share_keeps_every_member_of_its_breakdown(planner: OfflinePlanner, question: str, split: str) -> None:
    spec = _spec(planner, question)
    assert spec.share_of_total and [g.name for g in spec.group_by] == [split]
    assert not [f for f in spec.filters if f.dimension == split]  # a filter would make the share 100%


@pytest.mark.parametrize("question", [
    "what percent of revenue comes from tier1 cities", "pct of orders by sales channel in 2025",
])
def test_percent_asks_for_a_share(planner: OfflinePlanner, question: str) -> None:
    assert _spec(planner, question).share_of_total


@pytest.mark.parametrize("question", [  # (orders per buyer, spend per new customer, units per order are ratios now)
    "revenue per click by channel", "clicks per order last year", "clicks per buyer last year", "每个买家的点击数",
])
def test_a_per_ratio_the_model_lacks_is_declined_with_both_metrics_named(planner: OfflinePlanner,
                                                                          question: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None
    assert "ratio" in (result.decline_reason or "") or "比率" in (result.decline_reason or "")


@pytest.mark.parametrize("question, metric", [
    ("spend per click by channel", "cpc"),
    ("revenue per buyer last month", "revenue_per_buyer"),
    ("what did platinum members spend per order last year", "aov"),  # their spending is revenue
    ("平均每个订单多少钱", "aov"),
])
def test_a_per_ratio_the_model_has_is_that_metric(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert _spec(planner, question).metrics == (metric,)


def test_a_one_letter_value_has_no_plural_that_is_a_word(planner: OfflinePlanner) -> None:
    """Variant "A" made "as" a value: "revenue … as a share of total" became experiment
    revenue of variant A."""
    spec = _spec(planner, "revenue from platinum customers as a share of total")
    assert spec.metrics == ("revenue",) and not spec.filters and spec.share_of_total


@pytest.mark.parametrize("question, limit", [
    ("categories with the highest sales last month", None),
    ("best selling categories last month", None),
    ("best selling category last month", 1),
    ("which products are our top sellers", None),
])
def test_a_plural_ranked_noun_lists_and_a_singular_one_picks(planner: OfflinePlanner, question: str,
                                                             limit: int | None) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == ("product_sales",) and spec.order_by and spec.limit == limit


@pytest.mark.parametrize("question", ["best performing campaign last month", "top categories"])
def test_a_ranking_with_no_metric_offers_the_numbers_it_can_rank_by(planner: OfflinePlanner, question: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None and len(result.suggestions) == 3
    assert all(planner.plan(s, as_of=AS_OF).spec is not None for s in result.suggestions)


@pytest.mark.parametrize("question", [
    "今年的GMV目标完成了多少", "what's our revenue target this year", "how close are we to our sales goal",
    "orders vs quota last month",
])
def test_a_target_for_a_metric_is_declined_not_answered_with_the_metric(planner: OfflinePlanner, question: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None and ("target" in (result.decline_reason or "") or "目标" in (result.decline_reason or ""))


@pytest.mark.parametrize("question", ["各活动目标的销售额", "revenue by campaign goal", "按投放目标看花费"])
def test_the_campaign_objective_as_a_breakdown_is_no_target(planner: OfflinePlanner, question: str) -> None:
    assert [g.name for g in _spec(planner, question).group_by] == ["objective"]


@pytest.mark.parametrize("question, metric, by", [
    ("这个月卖得怎么样", "revenue", []),
    ("上海和北京哪个卖得多", "revenue", ["city"]),
    ("女性用户在各渠道的消费", "revenue", ["channel"]),
    ("哪个活动的预算最高", "budget", ["campaign_name"]),
])
def test_selling_and_spending_said_with_chinese_verbs(planner: OfflinePlanner, question: str, metric: str,
                                                     by: list[str]) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,) and [g.name for g in spec.group_by] == by


def test_the_average_order_is_the_average_order_value_but_orders_per_month_are_not(planner: OfflinePlanner) -> None:
    assert _spec(planner, "average order by city tier").metrics == ("aov",)
    per_month = _spec(planner, "average orders per month")  # each month's orders, averaged (heldout10)
    assert per_month.metrics == ("orders",) and per_month.average_per is not None


@pytest.mark.parametrize("question, metrics", [
    ("how much did each objective spend last quarter and what was the roas", ("spend", "roas")),
    ("aov of orders last month", ("aov",)),
    ("订单的客单价", ("aov",)),
])
def test_a_part_of_a_ratio_is_dropped_only_where_it_qualifies_the_ratio(planner: OfflinePlanner, question: str,
                                                                        metrics: tuple[str, ...]) -> None:
    assert _spec(planner, question).metrics == metrics


@pytest.mark.parametrize("question", ["top 5 customers by revenue", "销售额最高的10个客户"])
def test_single_customers_are_not_ranked_and_the_answer_says_why(planner: OfflinePlanner, question: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None and ("personal data" in (result.decline_reason or "")
                                    or "个人数据" in (result.decline_reason or ""))
    assert all(planner.plan(s, as_of=AS_OF).spec is not None for s in result.suggestions)


@pytest.mark.parametrize("question, tool", [
    ("how should we split next month's budget", "budget_allocation"),
    ("merge duplicate customer records", "identity_resolution"),
    ("合并重复客户", "identity_resolution"),
])
def test_tools_asked_for_by_what_they_do(planner: OfflinePlanner, question: str, tool: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.tool_call is not None and result.tool_call.name == tool


@pytest.mark.parametrize("question, metric", [("split spend by channel", "spend"), ("budget by channel", "budget")])
def test_a_breakdown_of_spend_or_budget_stays_a_metric_question(planner: OfflinePlanner, question: str,
                                                                metric: str) -> None:
    assert _spec(planner, question).metrics == (metric,)


@pytest.mark.parametrize("question, by", [
    ("AOV for gold and platinum members in 2025, by tier", "loyalty_tier"),  # the tier of the members named
    ("orders by tier in 2025", "city_tier"),  # the model's own meaning of 'tier'
])
def test_a_breakdown_word_is_the_dimension_of_the_members_named(planner: OfflinePlanner, question: str,
                                                                by: str) -> None:
    assert [g.name for g in _spec(planner, question).group_by] == [by]


@pytest.mark.parametrize("question", ["今年618当天天猫卖了多少单", "今年天猫卖了多少单", "上个月成交了几笔"])
def test_orders_said_with_a_chinese_selling_verb(planner: OfflinePlanner, question: str) -> None:
    assert _spec(planner, question).metrics == ("orders",)


@pytest.mark.parametrize("question, day", [
    ("how many orders were placed on 双12", date(2025, 12, 12)), ("双十二的销售额", date(2025, 12, 12)),
    ("2024年女神节的订单数", date(2024, 3, 8)),
])
def test_more_shopping_festivals_are_days(planner: OfflinePlanner, question: str, day: date) -> None:
    spec = _spec(planner, question)
    assert spec.time_range is not None and spec.time_range.resolve(AS_OF) == (day, day)


@pytest.mark.parametrize("question, metric", [
    ("小红书的点击率比抖音高吗", "ctr"), ("most popular product category among women", "product_sales"),
])
def test_which_is_higher_and_most_popular_rank(planner: OfflinePlanner, question: str, metric: str) -> None:
    spec = _spec(planner, question)
    assert spec.metrics == (metric,) and spec.order_by and spec.order_by[0].descending


def test_how_much_more_was_sold_compares_the_periods(planner: OfflinePlanner) -> None:
    spec = _spec(planner, "今年比去年多卖了多少")
    assert spec.metrics == ("revenue",) and len(spec.periods) == 2


@pytest.mark.parametrize("question, dimension, value", [
    ("revenue excluding the tmall channel last month", "sales_channel", "tmall"),
    ("orders except the douyin campaigns", "channel", "douyin"),
])
def test_an_exclusion_with_an_article_still_excludes(planner: OfflinePlanner, question: str, dimension: str,
                                                     value: str) -> None:
    spec = _spec(planner, question)
    assert [(f.dimension, f.op.value, f.values) for f in spec.filters] == [(dimension, "!=", (value,))]


@pytest.mark.parametrize("question, grain, limit, descending", [
    ("what was our best month ever for sales", "month", 1, True),
    ("史上销售额最高的月份", "month", 1, True),
    ("今年订单最多的一天", "day", 1, True),
    ("去年销售额最低的季度", "quarter", 1, False),
])
def test_the_best_period_is_a_ranking_over_time(question: str, grain: str, limit: int, descending: bool) -> None:
    spec = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31)).spec
    assert spec is not None and spec.group_by[-1].grain is not None and spec.group_by[-1].grain.value == grain
    assert spec.limit == limit and spec.order_by[0].descending is descending


def test_bottom_n_said_as_a_rank_in_chinese() -> None:
    spec = OfflinePlanner(load_model()).plan("销售额排名后五的城市", as_of=date(2025, 12, 31)).spec
    assert spec is not None and spec.limit == 5 and spec.order_by[0].descending is False


def _followup(first: str, *turns: str) -> QuerySpec:
    planner = OfflinePlanner(load_model())
    spec = planner.plan(first, as_of=date(2025, 12, 31)).spec
    for turn in turns:
        assert spec is not None
        spec = planner.plan(turn, as_of=date(2025, 12, 31), previous=spec).spec
    assert spec is not None
    return spec


def test_a_fragment_for_some_customers_narrows_the_question_before() -> None:
    """"for female customers" after "AOV by loyalty tier" was the count of female customers."""
    spec = _followup("AOV by loyalty tier", "for female customers")
    assert spec.metrics == ("aov",) and [g.name for g in spec.group_by] == ["loyalty_tier"]
    assert [(f.dimension, f.values) for f in spec.filters] == [("gender", ("female",))]


def test_members_compared_with_the_ones_before_are_both_kept() -> None:
    """"compared to male" after "for female customers" replaced female by male."""
    spec = _followup("AOV by loyalty tier", "for female customers", "compared to male")
    assert [g.name for g in spec.group_by] == ["loyalty_tier", "gender"]
    assert [(f.dimension, set(f.values)) for f in spec.filters] == [("gender", {"female", "male"})]


@pytest.mark.parametrize("question, metrics, period", [
    ("今年广告一共花了多少钱", ("spend",), ("2025-01-01", "2025-12-31")),  # an adverb between 广告 and 花
    ("今年双11（11月1号到11号）一共多少单", ("orders",), ("2025-11-01", "2025-11-11")),  # dates in brackets define it
    ("11月1号到11号的订单数", ("orders",), ("2025-11-01", "2025-11-11")),  # 号 and a month said once
    ("今年各会员等级分别有多少人买过东西", ("buyers",), ("2025-01-01", "2025-12-31")),
    ("conv rate by variant for the checkout_coupon test", ("experiment_conversion_rate",), None),
])
def test_colloquial_words_of_heldout6(question: str, metrics: tuple[str, ...], period: tuple[str, str] | None) -> None:
    spec = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31)).spec
    assert spec is not None and spec.metrics == metrics
    if period is not None:
        assert spec.time_range is not None
        assert tuple(d.isoformat() for d in spec.time_range.resolve(date(2025, 12, 31))) == period  # type: ignore[union-attr]


def test_up_or_down_between_two_months_compares_them() -> None:
    spec = OfflinePlanner(load_model()).plan("12月比11月销售额是涨了还是跌了", as_of=date(2025, 12, 31)).spec
    assert spec is not None and spec.metrics == ("revenue",) and len(spec.periods) == 2


@pytest.mark.parametrize("question, metric, group", [
    ("今年投了多少广告费", "spend", None),
    ("新客主要从哪些渠道来的", "new_customers", "acquisition_channel"),
])
def test_colloquial_chinese_verbs_carry_no_meaning_of_their_own(question: str, metric: str, group: str | None) -> None:
    spec = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31)).spec
    assert spec is not None and spec.metrics == (metric,)
    assert [g.name for g in spec.group_by] == ([group] if group else [])


@pytest.mark.parametrize("question", ["revenue of orders placed on tmall", "revenue from orders without a campaign in 2025"])
def test_the_rows_a_sum_runs_over_qualify_it(question: str) -> None:
    """"revenue of orders …": the orders are what revenue is summed over, not a second column."""
    spec = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31)).spec
    assert spec is not None and spec.metrics == ("revenue",)


def test_a_split_between_named_members_is_a_share_among_them() -> None:
    """"the split of orders between app and mini program": shares of those two (they were of every channel)."""
    spec = OfflinePlanner(load_model()).plan("what's the split of orders between app and mini program this year",
                                             as_of=date(2025, 12, 31)).spec
    assert spec is not None and spec.share_of_total and [g.name for g in spec.group_by] == ["sales_channel"]
    assert [(f.dimension, set(f.values)) for f in spec.filters] == [("sales_channel", {"app", "mini_program"})]


def test_age_group_is_an_age_band() -> None:
    spec = OfflinePlanner(load_model()).plan("which age group has the highest aov", as_of=date(2025, 12, 31)).spec
    assert spec is not None and [g.name for g in spec.group_by] == ["age_band"]

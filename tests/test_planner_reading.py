"""The offline planner reads questions into specs: parametrised question sets, en and zh.

Each case states only the parts of the spec it is about; a part it leaves out is not
checked. Relative periods are compared resolved against the demo's as-of date.
"""

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


def _facts(spec: QuerySpec) -> dict[str, Any]:
    start, end = spec.time_range.resolve(AS_OF) if spec.time_range else (None, None)
    if spec.periods:  # periods side by side: their span
        start, end = spec.periods[0].resolve(AS_OF)[0], spec.periods[-1].resolve(AS_OF)[1]
    return {
        "metrics": list(spec.metrics),
        "group_by": [g.name if g.grain is None else f"{g.name}:{g.grain.value}" for g in spec.group_by],
        "filters": {(f.dimension, f.op.value): sorted(map(str, f.values)) for f in spec.filters},
        "start": start,
        "end": end,
        "order": [(o.field, o.descending) for o in spec.order_by],
        "limit": spec.limit,
        "share": spec.share_of_total,
        "periods": [p.resolve(AS_OF) for p in spec.periods],
    }


CASES: list[tuple[str, dict[str, Any]]] = [
    ("What was total revenue in 2025?", {"metrics": ["revenue"], "group_by": [], "start": date(2025, 1, 1), "end": date(2025, 12, 31)}),
    ("ROAS by channel last quarter", {"metrics": ["roas"], "group_by": ["channel"], "start": date(2025, 7, 1), "end": date(2025, 9, 30)}),
    ("上个月各渠道的销售额", {"metrics": ["revenue"], "group_by": ["channel"], "start": date(2025, 11, 1), "end": date(2025, 11, 30)}),
    ("GMV per city tier in Q3 2025", {"metrics": ["revenue"], "group_by": ["city_tier"], "start": date(2025, 7, 1), "end": date(2025, 9, 30)}),
    ("orders for each sales channel, past 30 days", {"metrics": ["orders"], "group_by": ["sales_channel"], "start": date(2025, 12, 2), "end": date(2025, 12, 31)}),
    ("近30天按城市的订单数", {"metrics": ["orders"], "group_by": ["city"], "start": date(2025, 12, 2)}),
    ("2025年第四季度每个城市级别的客单价", {"metrics": ["aov"], "group_by": ["city_tier"], "start": date(2025, 10, 1), "end": date(2025, 12, 31)}),
    ("revenue of Shanghai customers in March 2025", {"metrics": ["revenue"], "group_by": [], "filters": {("city", "="): ["Shanghai"]}, "start": date(2025, 3, 1), "end": date(2025, 3, 31)}),
    ("tier-1 cities revenue YTD", {"filters": {("city_tier", "="): ["tier1"]}, "start": date(2025, 1, 1), "end": AS_OF}),
    ("一线城市今年的销售额", {"metrics": ["revenue"], "filters": {("city_tier", "="): ["tier1"]}, "start": date(2025, 1, 1)}),
    ("platinum members AOV", {"metrics": ["aov"], "filters": {("loyalty_tier", "="): ["platinum"]}}),
    ("白金会员的客单价", {"metrics": ["aov"], "filters": {("loyalty_tier", "="): ["platinum"]}}),
    ("app and mini program orders in 2025", {"metrics": ["orders"], "filters": {("sales_channel", "in"): ["app", "mini_program"]}}),
    ("revenue excluding offline stores", {"metrics": ["revenue"], "filters": {("sales_channel", "!="): ["offline_store"]}}),
    ("除了线下门店的销售额", {"metrics": ["revenue"], "filters": {("sales_channel", "!="): ["offline_store"]}}),
    ("不含天猫和京东的订单数", {"metrics": ["orders"], "filters": {("sales_channel", "not in"): ["jd", "tmall"]}}),
    ("抖音的点击率", {"metrics": ["ctr"], "filters": {("channel", "="): ["douyin"]}}),
    ("monthly revenue in 2025", {"group_by": ["metric_time:month"], "start": date(2025, 1, 1)}),
    ("weekly orders trend last quarter", {"metrics": ["orders"], "group_by": ["metric_time:week"]}),
    ("每月销售额趋势", {"metrics": ["revenue"], "group_by": ["metric_time:month"]}),
    ("按周统计订单数", {"metrics": ["orders"], "group_by": ["metric_time:week"]}),
    ("2025年各个月的销售额", {"metrics": ["revenue"], "group_by": ["metric_time:month"], "start": date(2025, 1, 1)}),
    ("各个季度的订单数", {"metrics": ["orders"], "group_by": ["metric_time:quarter"]}),
    ("每个人的客单价", {"metrics": ["aov"], "group_by": []}),
    # the steps of "a rate from A to B" are the ratio's parts, not filters or extra metrics
    ("What's our conversion rate from visit to purchase last month?",
     {"metrics": ["session_conversion_rate"], "filters": {}, "start": date(2025, 11, 1)}),
    ("上个月从访问到购买的转化率", {"metrics": ["session_conversion_rate"], "filters": {}, "start": date(2025, 11, 1)}),
    ("conversion rate from January to March", {"metrics": ["cvr"], "start": date(2025, 1, 1), "end": date(2025, 3, 31)}),
    ("how many orders were placed during Double 11 2025", {"metrics": ["orders"], "start": date(2025, 11, 11)}),
    # a share of the total: the named value becomes the breakdown, ranked by share
    ("What share of revenue came from Tmall last year?",
     {"metrics": ["revenue"], "group_by": ["sales_channel"], "filters": {}, "share": True,
      "order": [("revenue__share", True)], "start": date(2024, 1, 1)}),
    ("2025年各销售渠道的订单数占比", {"metrics": ["orders"], "group_by": ["sales_channel"], "share": True}),
    ("What share of last year's buyers ordered more than once last year?",
     {"share": False}),  # the word names the rate itself
    ("今年每个购买用户平均贡献了多少销售额？", {"metrics": ["revenue_per_buyer"], "share": False}),
    # listed values compared: one row each
    ("2025年男性和女性的销售额对比", {"metrics": ["revenue"], "group_by": ["gender"],
                                     "filters": {("gender", "in"): ["female", "male"]}}),
    ("tmall vs jd orders last month", {"metrics": ["orders"], "group_by": ["sales_channel"]}),
    ("revenue from tmall and jd in 2025", {"metrics": ["revenue"], "group_by": []}),
    ("京东和天猫哪个客单价更高", {"metrics": ["aov"], "group_by": ["sales_channel"], "order": [("aov", True)], "limit": None}),
    ("top 2 of shanghai, beijing and shenzhen by revenue", {"group_by": ["city"], "limit": 2}),
    ("orders and AOV by channel", {"metrics": ["orders", "aov"], "group_by": ["channel"]}),
    # two names of one computation are one column
    ("How many customers signed up through Douyin last month?",
     {"metrics": ["new_customers"], "filters": {("acquisition_channel", "="): ["douyin"]}, "start": date(2025, 11, 1)}),
    ("上个月有多少新注册客户", {"metrics": ["new_customers"]}),
    # growth of one period: the period before it too, one row each
    ("小程序渠道今年的销售额同比增长多少", {"group_by": [], "periods": [(date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), AS_OF)]}),
    ("上个月销售额环比增长", {"group_by": [], "periods": [(date(2025, 10, 1), date(2025, 10, 31)), (date(2025, 11, 1), date(2025, 11, 30))]}),
    ("revenue growth 2025 vs 2024", {"group_by": [], "periods": [(date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), AS_OF)]}),
    ("top 5 cities by revenue in 2024", {"group_by": ["city"], "order": [("revenue", True)], "limit": 5, "start": date(2024, 1, 1)}),
    ("bottom 3 campaigns by ROAS", {"group_by": ["campaign_name"], "order": [("roas", False)], "limit": 3}),
    ("which channel had the highest ROAS in 2025", {"group_by": ["channel"], "order": [("roas", True)], "limit": 1}),
    ("销售额最高的5个城市", {"group_by": ["city"], "order": [("revenue", True)], "limit": 5}),
    ("哪个渠道的投产比最高", {"metrics": ["roas"], "group_by": ["channel"], "limit": 1}),
    ("rank sales channels by orders", {"group_by": ["sales_channel"], "order": [("orders", True)], "limit": None}),
    ("revenue by region and gender", {"group_by": ["region", "gender"]}),
    ("spend from March to May 2025", {"metrics": ["spend"], "start": date(2025, 3, 1), "end": date(2025, 5, 31)}),
    ("2025年1月到3月的销售额", {"start": date(2025, 1, 1), "end": date(2025, 3, 31)}),
    ("Q2 vs Q3 2025 spend by channel", {"group_by": ["channel"], "periods": [(date(2025, 4, 1), date(2025, 6, 30)), (date(2025, 7, 1), date(2025, 9, 30))]}),
    ("repeat purchase rate by city tier", {"metrics": ["repeat_purchase_rate"], "group_by": ["city_tier"]}),
    ("CPA and CVR by channel this year", {"metrics": ["cpa", "cvr"], "group_by": ["channel"]}),
    # two metrics joined by "per" are the model's ratio of them
    ("spend per click by channel", {"metrics": ["cpc"], "group_by": ["channel"]}),
    ("2024年每个买家平均带来多少销售额", {"metrics": ["revenue_per_buyer"]}),
    # a yes/no dimension named alone is a filter
    ("number of orders attributed to a campaign in Q1 2025", {"metrics": ["orders"], "filters": {("is_attributed", "="): ["True"]}}),
    # a filter on a finer table selects whole orders
    ("AOV of orders containing haircare products in 2025", {"metrics": ["aov"], "filters": {("category", "="): ["haircare"]}}),
    # a metric word that is also a value of the head metric's rows is the value
    ("2025年电脑端浏览商品的会话数", {"metrics": ["sessions"], "filters": {("device", "="): ["desktop"], ("event_name", "="): ["view_product"]}}),
    # "across all X" is a total, not a breakdown
    ("What did we spend in 2025 across all channels except email and SMS?", {"metrics": ["spend"], "group_by": [], "filters": {("channel", "not in"): ["email", "sms"]}}),
    # values listed "separately" / "分别" are a breakdown
    ("微信和短信渠道今年的花费分别是多少", {"metrics": ["spend"], "group_by": ["channel"]}),
    # an exclusion carries across the dimension's own name
    ("revenue by loyalty tier excluding tier none", {"group_by": ["loyalty_tier"], "filters": {("loyalty_tier", "!="): ["none"]}}),
]


@pytest.mark.parametrize(("question", "expected"), CASES, ids=[c[0] for c in CASES])
def test_reads_question(planner: OfflinePlanner, question: str, expected: dict[str, Any]) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason
    facts = _facts(result.spec)
    for key, value in expected.items():
        assert facts[key] == value, f"{key}: {facts[key]!r} != {value!r}"


FOLLOWUPS: list[tuple[str, str, dict[str, Any]]] = [
    ("revenue by month in 2025", "now by channel", {"metrics": ["revenue"], "group_by": ["channel"], "start": date(2025, 1, 1)}),
    ("revenue by channel in 2025", "only 2024", {"group_by": ["channel"], "start": date(2024, 1, 1), "end": date(2024, 12, 31)}),
    ("revenue by channel in 2025", "what about orders?", {"metrics": ["orders"], "group_by": ["channel"], "start": date(2025, 1, 1)}),
    ("2025年各渠道的销售额", "换成订单数", {"metrics": ["orders"], "group_by": ["channel"]}),
    ("2025年各渠道的销售额", "只看上海", {"metrics": ["revenue"], "group_by": ["channel"], "filters": {("city", "="): ["Shanghai"]}}),
    ("revenue by city in 2025", "top 3", {"group_by": ["city"], "order": [("revenue", True)], "limit": 3}),
    ("orders by sales channel last month", "monthly", {"group_by": ["sales_channel", "metric_time:month"]}),
    ("2025年各区域的销售额", "看订单数", {"metrics": ["orders"], "group_by": ["region"]}),
    # the ranking follows the metric that replaced the one it ranked by
    ("上个月销售额最高的5个城市", "换成订单数", {"metrics": ["orders"], "order": [("orders", True)], "limit": 5}),
    ("top 3 cities by orders in 2025", "and AOV too", {"metrics": ["orders", "aov"], "order": [("orders", True)], "limit": 3}),
]


@pytest.mark.parametrize(("first", "second", "expected"), FOLLOWUPS, ids=[f[1] for f in FOLLOWUPS])
def test_followup_edits_previous_spec(planner: OfflinePlanner, first: str, second: str, expected: dict[str, Any]) -> None:
    previous = planner.plan(first, as_of=AS_OF).spec
    assert previous is not None
    result = planner.plan(second, as_of=AS_OF, previous=previous)
    assert result.spec is not None, result.decline_reason
    facts = _facts(result.spec)
    for key, value in expected.items():
        assert facts[key] == value, f"{key}: {facts[key]!r} != {value!r}"


@pytest.mark.parametrize(
    "question",
    [
        "What's our profit margin?",
        "what is the weather in Shanghai",
        "revenue in Paris",
        "delete all orders from 2024",
        "send an SMS to all platinum members",
        "竞争对手的市场份额是多少",
        # a breakdown the model lacks is never answered as a total
        "哪个省份的销售额最高", "各省份的销售额", "不同职业的客单价", "每个导购的业绩",
        "revenue by province",
        # a rate between steps the model has no ratio for
        "从加购到支付的转化率", "conversion rate from add to cart to purchase",
        # a share of something that does not add up, or of nothing split
        "各城市等级的客单价占比", "what share of revenue",
        # an hour of a metric recorded by day (orders by hour are read: heldout10)
        "signups by hour of the day", "每小时的广告花费",
        # unknown conditions: never the same number as without them
        "下雨天的销售额", "revenue for left-handed customers", "属龙的客户的销售额",
        "",
        "   ",
        "x" * 5_000,
    ],
)
def test_declines_what_it_cannot_read(planner: OfflinePlanner, question: str) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is None
    assert result.decline_reason
    assert result.suggestions


def test_swaps_metric_that_would_fan_out(planner: OfflinePlanner) -> None:
    result = planner.plan("revenue by product category in 2025", as_of=AS_OF)
    assert result.spec is not None
    assert result.spec.metrics == ("product_sales",)
    assert result.notes and "product sales" in result.notes[0].lower()


@pytest.mark.parametrize(("text", "expected"), [
    ("how many customers purchased skincare in 2025", "how many customers who bought skincare in 2025"),
    ("the number of shoppers that have ordered on tmall", "customers who bought on tmall"),
    ("今年买过保健品的顾客有多少人", "今年保健品购买的客户有多少人"),
    ("去年在天猫购买过护肤品的用户数", "去年在天猫护肤品购买的客户数"),
    # not a buyer clause: left alone
    ("上季度按购买人数算的人均消费金额", "上季度按购买人数算的人均消费金额"),
    ("customers by acquisition channel", "customers by acquisition channel"),
])
def test_buyer_clauses_become_the_models_buyers_phrase(text: str, expected: str) -> None:
    from genbi.assistant.planner.cues import buyer_clauses

    assert buyer_clauses(text, {"customers who bought", "购买的客户"}) == expected
    assert buyer_clauses(text, set()) == text  # a model without the phrase: nothing introduced


YEAR_ANCHORED: list[tuple[str, date, date]] = [
    ("去年双十一的GMV是多少", date(2024, 11, 11), date(2024, 11, 11)),
    ("revenue on Double 11 last year", date(2024, 11, 11), date(2024, 11, 11)),
    ("last year's christmas revenue", date(2024, 12, 25), date(2024, 12, 25)),
    ("前年国庆的订单数", date(2023, 10, 1), date(2023, 10, 7)),
    ("去年11月的销售额", date(2024, 11, 1), date(2024, 11, 30)),
    ("revenue in November last year", date(2024, 11, 1), date(2024, 11, 30)),
    ("去年12月25日的销售额", date(2024, 12, 25), date(2024, 12, 25)),
    ("Q3 last year revenue", date(2024, 7, 1), date(2024, 9, 30)),
    ("去年3月到5月的订单数", date(2024, 3, 1), date(2024, 5, 31)),
    ("orders from March to May last year", date(2024, 3, 1), date(2024, 5, 31)),
    ("orders between march and may last year", date(2024, 3, 1), date(2024, 5, 31)),
    ("去年11月和12月的销售额", date(2024, 11, 1), date(2024, 12, 31)),
    ("今年618的订单数", date(2025, 6, 18), date(2025, 6, 18)),
    # a relative year alone, or far from the point, keeps its own meaning
    ("去年的销售额", date(2024, 1, 1), date(2024, 12, 31)),
]


@pytest.mark.parametrize(("question", "start", "end"), YEAR_ANCHORED, ids=[c[0] for c in YEAR_ANCHORED])
def test_a_relative_year_anchors_the_period_next_to_it(planner: OfflinePlanner, question: str,
                                                        start: date, end: date) -> None:
    """"去年双十一" is 11 Nov of last year, not a range from last January to this 11 Nov."""
    result = planner.plan(question, as_of=AS_OF)
    assert result.spec is not None, result.decline_reason
    facts = _facts(result.spec)
    assert (facts["start"], facts["end"]) == (start, end)
    assert not any(g.endswith(":year") for g in facts["group_by"])


@pytest.mark.parametrize(("question", "tool", "note"), [
    ("customer lifetime value by acquisition channel", "clv", "can't split by acquisition channel"),
    ("各城市的RFM分析", "rfm", "不能按“城市”拆分"),
    ("attribution by channel using markov", "attribution", None),
    ("show me the funnel for last month by device", "funnel", None),
])
def test_a_split_a_tool_cannot_do_is_said(planner: OfflinePlanner, question: str, tool: str, note: str | None) -> None:
    result = planner.plan(question, as_of=AS_OF)
    assert result.tool_call is not None and result.tool_call.name == tool
    assert (note is None and not result.notes) or (note is not None and note in " ".join(result.notes))

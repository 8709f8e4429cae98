"""The semantic model: the demo model's content, lookups, and validation problems."""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from genbi.errors import ModelError
from genbi.semantic_layer import (
    MetricFormat,
    ModelValidationError,
    demo_model_path,
    load_model,
    parse_model,
)
from genbi.semantic_layer.loader import parse_model_text

MODEL = load_model()
CJK = re.compile(r"[\u4e00-\u9fff]")


def demo_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(demo_model_path().read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ModelValidationError) as caught:
        parse_model(data)
    return [f"{p.path}: {p.message} {p.hint or ''}".strip() for p in caught.value.problems]


def index_of(items: list[dict[str, Any]], name: str) -> int:
    return next(i for i, item in enumerate(items) if item["name"] == name)


# --- the demo model -----------------------------------------------------------------------


def test_demo_model_loads_and_is_cached() -> None:
    assert load_model() is MODEL
    assert load_model(demo_model_path()).metric_names == MODEL.metric_names
    assert len(MODEL.tables) == 9


@pytest.mark.parametrize("item", [*MODEL.metrics, *MODEL.dimensions], ids=lambda i: i.name)
def test_every_metric_and_dimension_is_described_in_both_languages(item: Any) -> None:
    assert item.label and item.description
    assert CJK.search(item.label_zh)
    words = (item.label_zh, *item.synonyms)
    assert any(CJK.search(w) for w in words) and any(not CJK.search(w) for w in item.synonyms)


@pytest.mark.parametrize(
    ("word", "metric"),
    [
        ("GMV", "revenue"),
        ("sales", "revenue"),
        ("turnover", "revenue"),
        ("销售额", "revenue"),
        ("营收", "revenue"),
        ("成交额", "revenue"),
        ("客单价", "aov"),
        ("AOV", "aov"),
        ("average basket", "aov"),
        ("下单人数", "buyers"),
        ("购买人数", "buyers"),
        ("复购率", "repeat_purchase_rate"),
        ("投放花费", "spend"),
        ("广告费", "spend"),
        ("消耗", "spend"),
        ("点击率", "ctr"),
        ("转化率", "cvr"),
        ("投产比", "roas"),
        ("ROI", "roas"),
        ("CPM", "cpm"),
        ("新客", "new_customers"),
        ("销量", "units_sold"),
    ],
)
def test_metric_synonyms(word: str, metric: str) -> None:
    assert MODEL.synonym_index()[word.lower()] == ("metric", metric)


@pytest.mark.parametrize(
    ("dimension", "word", "value"),
    [
        ("channel", "抖音", "douyin"),
        ("channel", "TikTok", "douyin"),
        ("sales_channel", "天猫", "tmall"),
        ("sales_channel", "线下门店", "offline_store"),
        ("sales_channel", "offline stores", "offline_store"),
        ("city", "上海", "Shanghai"),
        ("city_tier", "一线城市", "tier1"),
        ("city_tier", "Tier 1", "tier1"),
        ("city_tier", "tier-1", "tier1"),
        ("city_tier", "first-tier", "tier1"),
        ("loyalty_tier", "白金会员", "platinum"),
        ("loyalty_tier", "铂金会员", "platinum"),
        ("loyalty_tier", "platinum members", "platinum"),
        ("acquisition_channel", "自然流量", "organic"),
    ],
)
def test_value_synonyms(dimension: str, word: str, value: str) -> None:
    assert MODEL.resolve_value(dimension, word) == value


def test_unknown_value_resolves_to_none() -> None:
    assert MODEL.resolve_value("city", "Atlantis") is None


def test_formats_and_kinds() -> None:
    assert MODEL.metric("revenue").format == MetricFormat.CURRENCY
    assert MODEL.metric("ctr").format == MetricFormat.PERCENT
    assert MODEL.metric("roas").format == MetricFormat.RATIO
    assert MODEL.dimension("email").pii and MODEL.dimension("phone").pii


def test_channel_rules() -> None:
    assert (MODEL.dimension("channel").table, MODEL.dimension("channel").column) == (
        "campaigns",
        "channel",
    )
    assert MODEL.dimension("sales_channel").table == "orders"
    assert MODEL.dimension("acquisition_channel").table == "customers"
    assert (MODEL.dimension("touch_channel").table, MODEL.dimension("touch_channel").column) == (
        "touchpoints",
        "channel",
    )


def test_reachability_lookups() -> None:
    assert MODEL.dimensions_for_metric("roas") == (
        "channel",
        "campaign_name",
        "objective",
        "campaign_start_date",
    )
    assert not MODEL.can_group_by("revenue", "category")
    assert MODEL.can_group_by("product_sales", "category")
    assert MODEL.can_group_by("units_sold", "city")  # order_items -> orders -> customers
    assert "email" not in MODEL.dimensions_for_metric("revenue")
    assert "email" in MODEL.dimensions_for_metric("revenue", include_pii=True)
    assert MODEL.metrics_for_dimension("category") == (
        "units_sold",
        "product_sales",
        "product_orders",
    )
    assert MODEL.measure_tables("cpa") == ("ad_spend", "orders")


def test_roles_point_at_real_columns() -> None:
    assert MODEL.role_column("order_time") == ("orders", "ordered_at")
    assert MODEL.role_table("touchpoint_channel") == "touchpoints"
    assert MODEL.role("customer_entity") == "customers"
    for role in MODEL.roles:
        table = MODEL.table(MODEL.role_table(role))
        column = MODEL.role(role).partition(".")[2]
        assert not column or table.column(column) is not None
    with pytest.raises(ModelError, match="names the table"):
        MODEL.role_column("customer_entity")
    with pytest.raises(ModelError, match="Did you mean 'order_time'"):
        MODEL.role("order_tme")


def test_lookup_errors_suggest() -> None:
    with pytest.raises(ModelError, match="Did you mean 'revenue'"):
        MODEL.metric("revnue")
    with pytest.raises(ModelError, match="Did you mean 'revenue'"):
        MODEL.metric("GMV")
    with pytest.raises(ModelError, match="Did you mean 'city'"):
        MODEL.dimension("citty")


# --- validation ---------------------------------------------------------------------------


def test_unknown_reference_with_suggestion() -> None:
    data = demo_data()
    i = index_of(data["metrics"], "aov")
    data["metrics"][i]["numerator"] = "revnue"
    assert problems_of(data) == [
        f"metrics[{i}].numerator: Unknown measure 'revnue'. Did you mean 'revenue'?"
    ]


def test_duplicate_names() -> None:
    data = demo_data()
    data["metrics"].append(dict(data["metrics"][0]))
    data["dimensions"].append({**data["dimensions"][1], "name": "revenue"})
    found = problems_of(data)
    assert len(found) >= 2
    assert any("Duplicate dimension or metric name 'revenue'" in p for p in found)


def test_join_cycle() -> None:
    data = demo_data()
    customers = index_of(data["tables"], "customers")
    data["tables"][customers]["many_to_one"] = [{"column": "customer_id", "to": "orders"}]
    found = problems_of(data)
    assert any("cycle: customers -> orders -> customers" in p for p in found)


def test_ambiguous_join_paths() -> None:
    data = demo_data()
    items = index_of(data["tables"], "order_items")
    data["tables"][items]["columns"].append({"name": "customer_id", "type": "BIGINT"})
    data["tables"][items]["many_to_one"].append({"column": "customer_id", "to": "customers"})
    data["tables"][items]["columns"].append({"name": "order_ref", "type": "BIGINT"})
    data["tables"][items]["many_to_one"].append({"column": "order_ref", "to": "orders"})
    assert any("equally short paths" in p for p in problems_of(data))


def test_extra_key_is_refused_with_suggestion() -> None:
    data = demo_data()
    data["dimensions"][0]["lable"] = "x"
    data["dimensions"][3]["values"][0]["synonym"] = ["x"]
    found = problems_of(data)
    assert len(found) == 2
    assert found[0].startswith("dimensions[0].lable: Unknown key 'lable'. Did you mean")
    assert "'label'" in found[0]
    assert found[1] == (
        "dimensions[3].values[0].synonym: Unknown key 'synonym'. Did you mean 'synonyms'?"
    )


def test_every_problem_is_reported_at_once() -> None:
    data = demo_data()
    data["measures"][0]["table"] = "order"
    data["measures"][1]["agg"] = "median"
    data["metrics"][0]["colour"] = "red"
    data["dimensions"][0]["column"] = "signup_dt"
    i = index_of(data["metrics"], "cvr")
    data["metrics"][i]["denominator"] = "click"
    found = problems_of(data)
    assert len(found) == 5, found
    assert any("Unknown table 'order'. Did you mean 'orders'" in p for p in found)
    assert any(p.startswith("measures[1].agg") for p in found)
    assert any("Unknown key 'colour'" in p for p in found)
    assert any("no column 'signup_dt'. Did you mean 'signup_date'" in p for p in found)
    assert any("Unknown measure 'click'. Did you mean 'clicks'" in p for p in found)


def test_unreachable_time_column_and_dimension() -> None:
    data = demo_data()
    data["measures"][0]["time"] = "ad_spend.date"  # revenue on the spend date: not reachable
    data["tables"].append(
        {"name": "stores", "description": "x", "columns": [{"name": "store", "type": "VARCHAR"}]}
    )
    data["dimensions"].append(
        {
            "name": "store",
            "table": "stores",
            "column": "store",
            "label": "Store",
            "label_zh": "门店",
            "description": "x",
        }
    )
    found = problems_of(data)
    assert any("'ad_spend.date' cannot be reached from 'orders'" in p for p in found)
    assert any("no metric can be split by 'store'" in p for p in found)


def test_derived_metric_problems() -> None:
    data = demo_data()
    i = index_of(data["metrics"], "cpm")
    data["metrics"][i]["expr"] = "cpm * 2"
    data["metrics"].append(
        {
            **data["metrics"][i],
            "name": "cpm_typo",
            "expr": "spnd / 2",
            "synonyms": [],
            "label": "x",
            "label_zh": "某",
        }
    )
    found = problems_of(data)
    assert any("defined in terms of itself" in p for p in found)
    assert any("Unknown metric 'spnd' in 'spnd / 2'. Did you mean 'spend'" in p for p in found)


def test_a_word_may_mean_one_thing_only() -> None:
    data = demo_data()
    i = index_of(data["metrics"], "orders")
    data["metrics"][i]["synonyms"].append("GMV")
    assert any("'gmv' already means 'revenue'" in p for p in problems_of(data))


def test_bad_yaml_reports_the_line() -> None:
    with pytest.raises(ModelError, match="not valid YAML at line 3, column 3"):
        parse_model_text("name: x\ntables: [\n  - oops: [\n")


def test_duplicate_yaml_keys_are_refused() -> None:
    with pytest.raises(ModelError, match="duplicate key 'name'"):
        parse_model_text("name: a\nname: b\n")


def test_problems_carry_line_numbers(tmp_path: Path) -> None:
    text = (
        demo_model_path()
        .read_text(encoding="utf-8")
        .replace("numerator: revenue\n", "numerator: revnue\n", 1)
    )
    path = tmp_path / "model.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    numerator: revnue") + 1
    with pytest.raises(ModelValidationError, match=rf"line {line}, metrics\[\d+\]\.numerator"):
        load_model(path)


def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="No semantic model file"):
        load_model(tmp_path / "nope.yaml")


def test_model_must_be_a_mapping() -> None:
    with pytest.raises(ModelValidationError, match="must be a mapping"):
        parse_model_text("- a\n- b\n")


def test_a_measure_reads_a_column_of_a_parent_its_rows_link_to(warehouse_path: Path) -> None:
    """Buyers counted by a parent's column ('customers.city' per order): the compiler joins
    the parent; a column of a table the rows do not link to is refused by validation."""
    import duckdb

    from genbi.semantic_layer import QuerySpec, compile_spec

    data = demo_data()
    data["measures"].append({"name": "buyer_cities_m", "table": "orders", "agg": "count_distinct",
                             "expr": "customers.city", "time": "orders.ordered_at"})
    data["metrics"].append({"name": "buyer_cities", "type": "simple", "measure": "buyer_cities_m",
                            "label": "Buyer cities", "label_zh": "买家城市数", "description": "Cities ordered from."})
    model = parse_model(data)
    spec = QuerySpec.model_validate({"metrics": ["buyer_cities"], "time_range": {"start": "2025-01-01",
                                                                                 "end": "2025-06-30"}})
    sql = compile_spec(spec, model, dialect="duckdb", as_of=date(2025, 12, 31)).sql
    assert "JOIN customers" in sql
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        got = connection.execute(sql).fetchone()
        gold = connection.execute(
            "SELECT COUNT(DISTINCT c.city) FROM orders o JOIN customers c USING (customer_id) "
            "WHERE o.ordered_at >= '2025-01-01' AND o.ordered_at < '2025-07-01'").fetchone()
    assert got == gold
    data["measures"][-1].update(table="customers", expr="orders.revenue", time=None)
    assert any("not a column of 'customers' nor of a table its rows link to" in p for p in problems_of(data))
    data["measures"][-1].update(table="orders", expr="customers.no_such_column", time="orders.ordered_at")
    assert any("no_such_column" in p for p in problems_of(data))

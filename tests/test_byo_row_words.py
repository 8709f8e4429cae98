"""Words marketers use for a sales file's rows and things, on files nobody tuned for (each rule
on two shapes with different names, so what passes is the rule):

- 'store_location', 'product_detail' are said by the thing ("sales by store", "best selling
  product", 各门店的销售额), unless another column also says what that thing is;
- a row per sale whose amount has its own average (Kaggle's supermarket_sales 'Total'): that
  average is the average transaction value ("aov", 客单价), the tax beside it never is;
- a date named as a breakdown ("orders by order date month") groups by it, at the grain said
  after it or by day, never silently dropped to one total.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.planner.planner import OfflinePlanner
from genbi.assistant.service import Assistant
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import TimeGrain


def _ask(assistant: Assistant, question: str) -> dict[object, object]:
    answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
    assert answer.decline is None and answer.error is None, (question, answer.narrative)
    return {row[0] if len(row) > 1 else None: row[-1] for row in answer.rows}


THINGS = {  # file -> (place column, product column, product kind column)
    "Coffee Shop Sales": ("store_location", "product_detail", "product_type"),
    "bakery_sales": ("shop_location", "item_description", "item_category"),
}


@pytest.mark.parametrize("name", sorted(THINGS))
def test_a_thing_is_said_by_its_location_or_detail_column(tmp_path: Path, name: str) -> None:
    place, product, kind = THINGS[name]
    rng = random.Random(name)
    frame = pd.DataFrame([{"transaction_id": i, "transaction_date": f"2023-05-{rng.randrange(10, 29)}",
                           "transaction_qty": rng.choice([1, 2]), "unit_price": rng.choice([3.0, 4.5, 12.0]),
                           place: rng.choice(["Astoria", "Hell's Kitchen"]),
                           product: rng.choice(["Latte Rg", "Oatmeal Scone", "Civet Cat"]),
                           kind: rng.choice(["Coffee", "Bakery"])} for i in range(1, 601)])
    frame.to_csv(tmp_path / f"{name}.csv", index=False)
    sales = frame.transaction_qty * frame.unit_price
    thing, item = place.split("_")[0], product.split("_")[0]
    assistant = Assistant.open(tmp_path / f"{name}.csv", llm=False)
    try:
        by_place = sales.groupby(frame[place]).sum().to_dict()
        assert _ask(assistant, f"sales by {thing}") == pytest.approx(by_place)
        assert _ask(assistant, "各门店的销售额" if thing == "store" else f"sales by {thing}s") == pytest.approx(by_place)
        top = sales.groupby(frame[product]).sum().nlargest(2).to_dict()
        assert _ask(assistant, f"top 2 {item}s by revenue") == pytest.approx(top)
    finally:
        assistant.warehouse.close()


SUPERMARKETS = {  # file -> (amount, tax)
    "supermarket_sales": ("Total", "Tax 5%"),
    "store_sales_export": ("Sales Amount", "VAT"),
}


@pytest.mark.parametrize("name", sorted(SUPERMARKETS))
def test_the_average_sale_amount_is_the_average_transaction_value(tmp_path: Path, name: str) -> None:
    amount, tax = SUPERMARKETS[name]
    rng = random.Random(name)
    rows = []
    for i in range(800):
        price, quantity = round(rng.uniform(10, 100), 2), rng.randrange(1, 10)
        rows.append({"Invoice ID": f"{100 + i}-{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}",
                     "Branch": rng.choice("ABC"), "Unit price": price, "Quantity": quantity,
                     tax: round(price * quantity * 0.05, 4), amount: round(price * quantity * 1.05, 4),
                     "Date": f"1/{rng.randrange(1, 29)}/2019"})
    frame = pd.DataFrame(rows)
    frame.to_csv(tmp_path / f"{name}.csv", index=False)
    assistant = Assistant.open(tmp_path / f"{name}.csv", llm=False)
    try:
        for question in ("average transaction value", "average invoice value", "aov", "客单价"):
            assert _ask(assistant, question) == {None: pytest.approx(frame[amount].mean())}, question
        assert _ask(assistant, "aov by branch") == pytest.approx(frame.groupby("Branch")[amount].mean().to_dict())
    finally:
        assistant.warehouse.close()


@pytest.mark.parametrize("question, dimension, grain", [
    ("orders by order date month", "order_date", TimeGrain.MONTH),
    ("orders by order date", "order_date", TimeGrain.DAY),
    ("customers by signup date month", "signup_date", TimeGrain.MONTH),
    ("按注册日期月份的客户数", "signup_date", TimeGrain.MONTH),
])
def test_a_date_said_as_a_breakdown_is_never_dropped(question: str, dimension: str, grain: TimeGrain) -> None:
    spec = OfflinePlanner(load_model()).plan(question, as_of=date(2025, 12, 31)).spec
    assert spec is not None, question
    assert [(g.name, g.grain) for g in spec.group_by] == [(dimension, grain)], spec.group_by


FUNNELS = {  # folder -> (first table, its key, the outcome table, the first table's source column, nouns)
    "olist_marketing": ("olist_marketing_qualified_leads_dataset", "mql_id", "olist_closed_deals_dataset",
                        "origin", ("leads", "deals")),
    "saas_trials": ("trial_signups", "signup_id", "paid_subscriptions", "channel", ("signups", "subscriptions")),
}


@pytest.mark.parametrize("name", sorted(FUNNELS))
def test_an_outcome_table_gives_the_conversion_rate(tmp_path: Path, name: str) -> None:
    """A table each of whose rows is the outcome of one row of another (a lead's closed deal, a
    trial's paid subscription): its rows per the other's are the conversion rate, by the first
    table's own breakdowns; the modified nouns ('marketing qualified leads', 'closed deals') are
    asked by their head noun."""
    first, key, outcome, source, (starts, ends) = FUNNELS[name]
    rng = random.Random(name)
    folder = tmp_path / name
    folder.mkdir()
    ids = [f"{rng.getrandbits(64):016x}" for _ in range(1500)]
    leads = pd.DataFrame({key: ids, "first_contact_date": [f"2018-0{rng.randrange(1, 10)}-1{rng.randrange(0, 9)}"
                                                            for _ in ids],
                          source: [rng.choice(["organic_search", "paid_search", "social"]) for _ in ids]})
    won = [i for i in ids if rng.random() < 0.25]
    deals = pd.DataFrame({key: won, "won_date": [f"2018-1{rng.randrange(0, 3)}-0{rng.randrange(1, 9)}" for _ in won],
                          "business_segment": [rng.choice(["home_decor", "health_beauty"]) for _ in won]})
    leads.to_csv(folder / f"{first}.csv", index=False)
    deals.to_csv(folder / f"{outcome}.csv", index=False)
    assistant = Assistant.open(folder, llm=False)
    try:
        rate = (leads.assign(won=leads[key].isin(won)).groupby(source).won.mean()).to_dict()
        assert _ask(assistant, f"conversion rate by {source}") == pytest.approx(rate)
        assert _ask(assistant, f"各{'来源' if source == 'origin' else '渠道'}的转化率") == pytest.approx(rate)
        assert _ask(assistant, f"how many {starts} by {source}") == leads.groupby(source).size().to_dict()
        assert _ask(assistant, f"{ends} by business segment") == deals.groupby("business_segment").size().to_dict()
    finally:
        assistant.warehouse.close()


def test_an_outcome_that_is_no_conversion_is_not_the_conversion_rate(tmp_path: Path) -> None:
    """An order's review is its outcome too, but no conversion: "review rate" answers,
    "conversion rate" declines rather than giving reviews per order."""
    rng = random.Random(7)
    folder = tmp_path / "shop"
    folder.mkdir()
    ids = [f"o{i}" for i in range(1200)]
    pd.DataFrame({"order_id": ids, "order_date": [f"2018-0{rng.randrange(1, 10)}-15" for _ in ids],
                  "channel": [rng.choice(["web", "app"]) for _ in ids]}).to_csv(folder / "orders.csv", index=False)
    reviewed = [i for i in ids if rng.random() < 0.6]
    pd.DataFrame({"order_id": reviewed, "review_score": [rng.randrange(1, 6) for _ in reviewed],
                  "review_date": ["2018-10-01"] * len(reviewed)}).to_csv(folder / "order_reviews.csv", index=False)
    assistant = Assistant.open(folder, llm=False)
    try:
        assert _ask(assistant, "review rate") == {None: pytest.approx(len(reviewed) / len(ids))}
        answer = assistant.answer(AnswerRequest("conversion rate", use_cache=False, session_id="c"))
        assert answer.decline is not None, answer.rows
    finally:
        assistant.warehouse.close()


CUSTOMER_FILES = {  # file -> (spent, orders, city, country)
    "customers_export": ("Total Spent", "Total Orders", "Default Address City", "Default Address Country Code"),
    "client_list": ("Amount Spent", "Number of Purchases", "Mailing City", "Mailing Country"),
}


@pytest.mark.parametrize("name", sorted(CUSTOMER_FILES))
def test_a_customers_export_has_its_order_value_and_places(tmp_path: Path, name: str) -> None:
    """What each customer spent over how many orders each placed is the average order value
    (the average of either column is not); the city and country of an address are places to
    split by (the street and the e-mail stay private)."""
    spent, orders, city, country = CUSTOMER_FILES[name]
    rng = random.Random(name)
    frame = pd.DataFrame([{"Customer ID": 10**12 + i, "Email": f"user{i}@example.com",
                           "Address1": f"{rng.randrange(1, 99)} Main St", city: rng.choice(["Berlin", "Paris", "Lyon"]),
                           country: rng.choice(["DE", "FR"]), spent: round(rng.uniform(0, 500), 2),
                           orders: rng.randrange(1, 12)} for i in range(900)])
    frame.to_csv(tmp_path / f"{name}.csv", index=False)
    assistant = Assistant.open(tmp_path / f"{name}.csv", llm=False)
    try:
        assert _ask(assistant, "average order value") == {None: pytest.approx(frame[spent].sum() / frame[orders].sum())}
        by_country = frame.groupby(country)[spent].sum() / frame.groupby(country)[orders].sum()
        assert _ask(assistant, "aov by country") == pytest.approx(by_country.to_dict())
        assert _ask(assistant, "top 2 cities by customers") == frame.groupby(city).size().nlargest(2).to_dict()
        for private in ("customers by email", "customers by address1"):
            answer = assistant.answer(AnswerRequest(private, use_cache=False, session_id=private))
            assert answer.decline is not None or answer.error is not None, private
    finally:
        assistant.warehouse.close()


def test_money_said_after_a_count_is_never_answered_with_the_count(tmp_path: Path) -> None:
    """Metamorphic: "average order value" on a file with a count of orders and no money is
    declined; "average orders" (the same words without the money) still answers the count."""
    rng = random.Random(3)
    frame = pd.DataFrame({"Customer ID": range(1, 401), "Total Orders": [rng.randrange(0, 9) for _ in range(400)],
                          "Segment": [rng.choice(["a", "b"]) for _ in range(400)]})
    frame.to_csv(tmp_path / "loyalty_members.csv", index=False)
    assistant = Assistant.open(tmp_path / "loyalty_members.csv", llm=False)
    try:
        assert _ask(assistant, "average orders") == {None: pytest.approx(frame["Total Orders"].mean())}
        for question in ("average order value", "the value of orders", "order amount by segment"):
            answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
            assert answer.decline is not None, (question, answer.rows)
    finally:
        assistant.warehouse.close()

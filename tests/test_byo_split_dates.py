"""Files people bring that keep their dates in parts, or name their rows only in the file name,
asked as marketers ask them (each rule on two shapes with different names, so what passes is
the rule, not the file):

- a monthly report's 'Year' and 'Month' columns, a hotel export's 'arrival_date_year',
  'arrival_date_month' ('July') and 'arrival_date_day_of_month': one date read from its parts,
  so "sales in 2023" and "bookings by month" are answered instead of declined for having no date;
- a keyless file named for its rows ('hotel_bookings', 'insurance_claims') counts them;
- a per-night price ('adr': average daily rate) is averaged, never summed;
- a sales file keyed by transaction has an average transaction value, and "average transaction
  value" is never answered with the average unit price (a silently wrong number).
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from genbi.assistant.answer import AnswerRequest
from genbi.assistant.service import Assistant
from genbi.errors import ModelError
from genbi.semantic_layer.backends.modelled import ModelledBackend
from genbi.semantic_layer.introspection import draft_model
from genbi.semantic_layer.loader import parse_model
from genbi.semantic_layer.sources import table_sources

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _ask(assistant: Assistant, question: str) -> dict[object, object]:
    answer = assistant.answer(AnswerRequest(question, use_cache=False, session_id=question))
    assert answer.decline is None and answer.error is None, (question, answer.narrative)
    return {row[0] if len(row) > 1 else None: row[-1] for row in answer.rows}


def _close(found: dict[object, object], expected: dict[object, float]) -> None:
    assert set(found) == set(expected)
    for key, value in expected.items():
        assert found[key] == pytest.approx(value), key


REPORTS = {  # file -> (year, month, month as text, measure)
    "monthly_sales": ("Year", "Month", False, "Sales"),
    "regional_report": ("report_year", "report_month", True, "Revenue"),
}


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_a_report_by_year_and_month_has_a_date(tmp_path: Path, name: str) -> None:
    year, month, text, measure = REPORTS[name]
    rng = random.Random(name)
    frame = pd.DataFrame([{year: y, month: MONTHS[m - 1][:3] if text else m, "Region": r,
                           measure: round(rng.uniform(100, 900), 2)}
                          for y in (2022, 2023, 2024) for m in range(1, 13) for r in ("North", "South", "East")])
    frame.to_csv(tmp_path / f"{name}.csv", index=False)
    number = frame[month].map(lambda v: MONTHS.index(next(x for x in MONTHS if x.startswith(v))) + 1) \
        if text else frame[month]
    assistant = Assistant.open(tmp_path / f"{name}.csv", llm=False)
    try:
        word = measure.lower()
        in_2023 = frame[frame[year] == 2023]
        _close(_ask(assistant, f"{word} in 2023"), {None: in_2023[measure].sum()})
        first_quarter = in_2023[number[frame[year] == 2023] <= 3]
        _close(_ask(assistant, f"total {word} in Q1 2023"), {None: first_quarter[measure].sum()})
        by_month = _ask(assistant, f"{word} by month in 2024")
        in_2024 = frame[frame[year] == 2024].assign(n=number[frame[year] == 2024])
        totals = in_2024.groupby("n")[measure].sum()
        _close(by_month, {date(2024, int(str(m)), 1): float(v) for m, v in totals.items()})
        _close(_ask(assistant, f"2023年各地区的{'销售额' if word == 'sales' else '收入'}"),
               in_2023.groupby("Region")[measure].sum().to_dict())
    finally:
        assistant.warehouse.close()


BOOKINGS = {  # file -> (date prefix, the row's noun, the per-night price column)
    "hotel_bookings": ("arrival_date", "bookings", "adr"),
    "room_reservations": ("checkin", "reservations", "adr"),
}


def _bookings(path: Path, prefix: str, price: str) -> pd.DataFrame:
    rng = random.Random(path.name)
    rows = []
    for _ in range(1500):
        day = date(rng.choice([2015, 2016, 2017]), rng.randrange(1, 13), rng.randrange(1, 29))
        rows.append({"hotel": rng.choice(["City Hotel", "Resort Hotel"]), "is_canceled": rng.choice([0, 1]),
                     "lead_time": rng.randrange(0, 300), f"{prefix}_year": day.year,
                     f"{prefix}_month": MONTHS[day.month - 1], f"{prefix}_day_of_month": day.day,
                     "market_segment": rng.choice(["Online TA", "Direct", "Groups"]),
                     price: round(rng.uniform(40, 250), 2),
                     # the status's own date (a cancellation's months before the stay): not when the booking is for
                     "reservation_status_date": date(day.year - 1, 12, 31).isoformat()})
    frame = pd.DataFrame(rows)
    frame.to_csv(path, index=False)
    return frame


@pytest.mark.parametrize("name", sorted(BOOKINGS))
def test_a_bookings_export_counts_its_rows_by_their_date_in_parts(tmp_path: Path, name: str) -> None:
    prefix, noun, price = BOOKINGS[name]
    frame = _bookings(tmp_path / f"{name}.csv", prefix, price)
    assistant = Assistant.open(tmp_path / f"{name}.csv", llm=False)
    try:
        in_2016 = frame[frame[f"{prefix}_year"] == 2016]
        assert _ask(assistant, f"how many {noun} in 2016") == {None: len(in_2016)}
        assert _ask(assistant, "how many cancellations in 2017") == \
            {None: int(frame[frame[f"{prefix}_year"] == 2017].is_canceled.sum())}
        monthly = _ask(assistant, f"{noun} by month in 2016")
        assert sum(int(str(v)) for v in monthly.values()) == len(in_2016) and len(monthly) == 12
        _close(_ask(assistant, "average daily rate by market segment"),
               frame.groupby("market_segment")[price].mean().to_dict())
        _close(_ask(assistant, "average lead time for canceled " + noun),
               {None: frame[frame.is_canceled == 1].lead_time.mean()})
    finally:
        assistant.warehouse.close()


SALES = {  # file -> (id, quantity, price, place)
    "Coffee Shop Sales": ("transaction_id", "transaction_qty", "unit_price", "store_location"),
    "pos_sales": ("sale_id", "qty", "price", "branch"),
}


@pytest.mark.parametrize("name", sorted(SALES))
def test_average_transaction_value_is_sales_per_transaction_not_a_unit_price(tmp_path: Path, name: str) -> None:
    key, quantity, price, place = SALES[name]
    rng = random.Random(name)
    frame = pd.DataFrame([{key: i, "transaction_date": f"2023-0{rng.randrange(1, 7)}-1{rng.randrange(0, 9)}",
                           quantity: rng.choice([1, 1, 2, 3]), price: rng.choice([3.0, 3.5, 4.5, 45.0]),
                           place: rng.choice(["Astoria", "Lower Manhattan", "Hell's Kitchen"])}
                          for i in range(1, 1201)])
    frame.to_csv(tmp_path / f"{name}.csv", index=False)
    sales = frame[quantity] * frame[price]
    assistant = Assistant.open(tmp_path / f"{name}.csv", llm=False)
    try:
        for question in ("average transaction value", "average order value", "revenue per transaction"):
            _close(_ask(assistant, question), {None: sales.sum() / len(frame)})
        _close(_ask(assistant, f"aov by {place.replace('_', ' ')}"),
               (sales.groupby(frame[place]).sum() / frame.groupby(place).size()).to_dict())
    finally:
        assistant.warehouse.close()


def test_average_of_a_counted_row_is_never_an_unrelated_unit_price(tmp_path: Path) -> None:
    """Without a ratio for it (the draft with its ratio taken out: the count, the sales sum and
    the average unit price are left), "average transaction value" declines: the average unit
    price would be a silently wrong number for it."""
    frame = pd.DataFrame({"transaction_id": range(1, 301), "transaction_qty": [1, 2, 3] * 100,
                          "unit_price": [3.0, 45.0, 4.5] * 100, "transaction_date": ["2023-03-01"] * 300})
    frame.to_csv(tmp_path / "till_sales.csv", index=False)
    data = yaml.safe_load(draft_model(tmp_path / "till_sales.csv").text)
    ratios = [m["name"] for m in data["metrics"] if m.get("type") == "ratio"]
    assert ratios, "the draft has an average transaction value"
    data["metrics"] = [m for m in data["metrics"] if m["name"] not in ratios]
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assistant = Assistant.open(tmp_path / "till_sales.csv", model_path=tmp_path / "model.yaml", llm=False)
    try:
        _close(_ask(assistant, "average unit price"), {None: frame.unit_price.mean()})  # still its own answer
        answer = assistant.answer(AnswerRequest("average transaction value", use_cache=False, session_id="t"))
        assert answer.decline is not None, answer.rows
    finally:
        assistant.warehouse.close()


_MODEL = {
    "name": "split",
    "tables": [{"name": "stays", "source": "Stays", "description": "Stays.", "columns": [
        {"name": "y", "type": "BIGINT", "source": "Year"}, {"name": "m", "type": "VARCHAR", "source": "Month"},
        {"name": "d", "type": "BIGINT"}, {"name": "stay_date", "type": "DATE", "parts": ["y", "m", "d"]}]}],
    "measures": [{"name": "stays_m", "table": "stays", "agg": "count", "expr": "1", "time": "stays.stay_date"}],
    "metrics": [{"name": "stays", "type": "simple", "measure": "stays_m", "label": "Stays", "label_zh": "入住",
                 "description": "Stays."}],
}


def test_a_server_reads_a_date_in_parts_through_the_same_expression() -> None:
    """Postgres and Spark are read through subqueries (no views): the date is the same
    ``make_date`` of the warehouse's own columns, the month said by name or number."""
    model = parse_model(_MODEL, source="test")
    (source,) = table_sources(model)
    assert source.composed == (("stay_date", ("Year", "Month", "d"), True),)

    class Server:
        dialect = "postgres"
        location = None

        def columns(self) -> dict[str, dict[str, str]]:
            return {"Stays": {"Year": "BIGINT", "Month": "VARCHAR", "d": "BIGINT"}}

    backend = ModelledBackend(Server(), [source])
    sql = backend.read_through("SELECT COUNT(*) FROM stays WHERE stay_date >= DATE '2016-01-01'")
    said = sql.lower()
    assert 'make_date(cast("year" as int)' in said and "'july' then 7" in said and "'jul' then 7" in said
    assert backend.columns()["stays"]["stay_date"] == "DATE"


def test_parts_must_name_the_tables_own_columns() -> None:
    broken = {**_MODEL, "tables": [{**_MODEL["tables"][0], "columns": [  # type: ignore[dict-item]
        {"name": "y", "type": "BIGINT"}, {"name": "stay_date", "type": "DATE", "parts": ["y", "month"]}]}]}
    with pytest.raises(ModelError, match="month"):
        parse_model(broken, source="test")

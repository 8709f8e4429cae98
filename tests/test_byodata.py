"""Bring your own warehouse: zero-config draft + eval through the CLI on warehouses shaped
like the ones users bring (retail mart, Mixed Case insurance CRM, star schema)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from genbi import settings
from genbi.eval.byodata.warehouses import build
from genbi.semantic_layer import naming
from genbi.semantic_layer.introspection import check_draft, draft_model
from genbi.semantic_layer.model import SemanticModel

CASES = Path(__file__).resolve().parents[1] / "eval" / "byodata"
GENBI = [sys.executable, "-m", "genbi"]
MAX_WRONG = 0.02


def _run(args: list[str], home: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENBI_")}
    env.update(GENBI_HOME=str(home), HF_HUB_OFFLINE="1")
    return subprocess.run([*GENBI, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=900)


@pytest.mark.parametrize("name", ["retail", "insurance", "star", "marketplace", "ads", "saas"])
def test_draft_then_eval_through_the_cli(tmp_path: Path, name: str) -> None:
    db = build(name, tmp_path / f"{name}.duckdb")
    model = tmp_path / f"{name}.yaml"
    drafted = _run(["model", "draft", "--db", str(db), "--out", str(model)], tmp_path)
    assert drafted.returncode == 0, drafted.stderr
    report = tmp_path / "report.json"
    evaluated = _run(["eval", str(CASES / name), "--db", str(db), "--model", str(model),
                      "--report", str(report)], tmp_path)
    assert evaluated.returncode == 0, evaluated.stdout[-3000:] + evaluated.stderr[-2000:]
    results = json.loads(report.read_text())
    wrong = [c for c in results["cases"] if not c["ok"] and not c["declined"]]
    assert results["summary"]["cases"] >= 40
    assert results["summary"]["accuracy"] >= 0.85
    assert len(wrong) <= MAX_WRONG * len(results["cases"]), wrong


def test_mixed_case_schema_keeps_real_names_and_never_sums_ids(tmp_path: Path) -> None:
    draft = draft_model(build("insurance", tmp_path / "ins.duckdb"))
    model = check_draft(draft.text)
    claim = model.table("claim")
    assert claim.source == "Claim" and claim.primary_key == "claim_id"
    assert claim.column("claim_amount").source == "Claim Amount"  # type: ignore[union-attr]
    assert {(r.column, r.to) for r in claim.many_to_one} >= {("policy_number", "policy"),
                                                             ("claim_status_id", "claim_status")}
    summed = {m.expr for m in model.measures if m.agg.value in ("sum", "avg")}
    assert not any(naming.is_id_like(e) or e.endswith("_number") for e in summed)
    assert model.metric("claim_amount").label_zh == "理赔金额"
    assert any("Policy Coverage" in line for line in draft.report)  # composite key said


def test_retail_text_ids_keys_joins_and_derived_amount(tmp_path: Path) -> None:
    model = check_draft(draft_model(build("retail", tmp_path / "r.duckdb")).text)
    assert model.table("invoices").primary_key == "invoice_no"
    assert [r.to for r in model.table("invoice_lines").many_to_one] == ["invoices"]
    assert model.measure(model.metric("sales_amount").measure or "").expr == "quantity * unit_price"
    assert model.metric("customers").label_zh == "客户数"
    labels = [d.label.lower() for d in model.dimensions]
    assert len(labels) == len(set(labels))  # 'country' is offered once
    assert model.metric("invoices").label_zh == "发票数"


def test_folder_of_csv_drafts_and_answers(tmp_path: Path) -> None:
    import duckdb

    db = build("retail", tmp_path / "r.duckdb")
    folder = tmp_path / "csv"
    folder.mkdir()
    with duckdb.connect(str(db), read_only=True) as connection:
        for table in ("customers", "invoices", "invoice_lines"):
            connection.execute(f"COPY {table} TO '{folder / (table.title() + '.csv')}' (HEADER)")
    model = tmp_path / "m.yaml"
    assert _run(["model", "draft", "--db", str(folder), "--out", str(model)], tmp_path).returncode == 0
    asked = _run(["ask", "sales by country", "--db", str(folder), "--model", str(model), "--json"], tmp_path)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["columns"] == ["country", "sales_amount"] and len(answer["rows"]) == 8


def test_relative_time_counts_back_from_the_data_end(tmp_path: Path) -> None:
    db = build("retail", tmp_path / "r.duckdb")
    asked = _run(["ask", "sales last month", "--db", str(db), "--json"], tmp_path)  # no model: drafted
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert any("2011-12-09" in w and "November 2011" in w for w in answer["warnings"]), answer["warnings"]


def test_project_file_configures_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "genbi.yaml").write_text(yaml.safe_dump({"warehouse": "data/x.duckdb", "model": "m.yaml",
                                                         "as_of": "2011-12-31", "brand": "Acme"}))
    monkeypatch.chdir(tmp_path)
    for key in ("GENBI_DB", "GENBI_MODEL", "GENBI_AS_OF", "GENBI_BRAND", "GENBI_PROJECT"):
        monkeypatch.delenv(key, raising=False)
    workspace = settings.workspace()
    assert workspace.db.value == str(tmp_path / "data" / "x.duckdb") and "genbi.yaml" in workspace.db.origin
    assert workspace.model.value == str(tmp_path / "m.yaml")
    assert settings.as_of_for(workspace.as_of.value, demo=False) == date(2011, 12, 31)
    assert settings.brand("Lumière") == "Acme"
    monkeypatch.setenv("GENBI_MODEL", "other.yaml")
    assert settings.workspace(db="flag.duckdb").db.origin == "--db"
    assert settings.workspace().model.origin == "GENBI_MODEL"


def test_doctor_says_what_it_uses_and_why(tmp_path: Path) -> None:
    db = build("star", tmp_path / "s.duckdb")
    done = _run(["doctor", "--db", str(db), "--as-of", "today"], tmp_path)
    assert f"warehouse  {db}  (from --db)" in done.stdout
    assert "as of      today  (from --as-of)" in done.stdout


def test_names_and_chinese_labels() -> None:
    assert naming.clean_name("Policy Holder") == "policy_holder"
    assert naming.clean_name("InvoiceNo") == "invoice_no"
    assert naming.words("CustQty") == ["customer", "quantity"]
    assert naming.label_zh(["unit", "price"]) == "单价"
    assert naming.label_zh(["claim", "amount"]) == "理赔金额"
    assert naming.is_id_like("Policy Number") and not naming.is_id_like("Claim Amount")


def test_text_dates_of_a_flat_export_become_its_time(tmp_path: Path) -> None:
    """A CSV loaded as is keeps '12/1/2010 8:26' as text: the draft still has a time."""
    import duckdb

    source = build("retail", tmp_path / "r.duckdb")
    flat = tmp_path / "flat.duckdb"
    with duckdb.connect(str(flat)) as connection:
        connection.execute(f"ATTACH '{source}' AS r (READ_ONLY)")
        connection.execute(
            "CREATE TABLE \"Online Retail\" AS SELECT l.invoice_no AS InvoiceNo, l.stock_code AS StockCode, "
            "l.description AS Description, l.quantity AS Quantity, "
            "strftime(i.invoice_date, '%m/%d/%Y %H:%M') AS InvoiceDate, l.unit_price AS UnitPrice, "
            "CAST(i.customer_id AS DOUBLE) AS CustomerID, i.country AS Country "
            "FROM r.invoice_lines l JOIN r.invoices i USING (invoice_no)")
    model = tmp_path / "m.yaml"
    assert _run(["model", "draft", "--db", str(flat), "--out", str(model)], tmp_path).returncode == 0
    drafted = check_draft(model.read_text())
    assert drafted.table("online_retail").column("invoice_date").date_format == "%m/%d/%Y %H:%M"  # type: ignore[union-attr]
    asked = _run(["ask", "number of invoices in 2011", "--db", str(flat), "--model", str(model), "--json"], tmp_path)
    assert asked.returncode == 0, asked.stderr
    with duckdb.connect(str(source), read_only=True) as connection:
        gold = connection.execute("SELECT COUNT(*) FROM invoices WHERE year(invoice_date) = 2011").fetchone()
    assert json.loads(asked.stdout)["rows"] == [[gold[0] if gold else None]]


def test_a_second_read_only_connection_to_an_open_warehouse_works(tmp_path: Path) -> None:
    """genbi eval holds the assistant's connection and the gold runner's on one file."""
    from genbi.semantic_layer.backends.duckdb_backend import connect_read_only

    db = build("star", tmp_path / "s.duckdb")
    first = connect_read_only(db)
    second = connect_read_only(db)
    try:
        assert second.execute("SELECT COUNT(*) FROM dim_store").fetchone() == (6,)
    finally:
        second.close()
        first.close()


def test_float_customer_ids_and_camel_case_names_still_key_and_join(tmp_path: Path) -> None:
    """Exports often keep ids as floats (12346.0) and names in CamelCase ('InvoiceLines')."""
    import duckdb

    source = build("retail", tmp_path / "r.duckdb")
    mart = tmp_path / "mart.duckdb"
    with duckdb.connect(str(mart)) as connection:
        connection.execute(f"ATTACH '{source}' AS r (READ_ONLY)")
        connection.execute('CREATE TABLE "Customers" AS SELECT CAST(customer_id AS DOUBLE) AS "CustomerID", '
                           'country AS "Country" FROM r.customers')
        connection.execute('CREATE TABLE "Invoices" AS SELECT invoice_no AS "InvoiceNo", invoice_date AS '
                           '"InvoiceDate", CAST(customer_id AS DOUBLE) AS "CustomerID" FROM r.invoices')
        connection.execute('CREATE TABLE "InvoiceLines" AS SELECT invoice_no AS "InvoiceNo", stock_code AS '
                           '"StockCode", quantity AS "Quantity", unit_price AS "UnitPrice" FROM r.invoice_lines')
    model = check_draft(draft_model(mart).text)
    assert model.table("customers").primary_key == "customer_id"
    assert {(t.name, r.to) for t in model.tables for r in t.many_to_one} == {
        ("invoices", "customers"), ("invoice_lines", "invoices")}
    assert model.metric("stock_codes").label_zh == "商品编码数"
    assert model.can_group_by("sales_amount", "country")


def test_marketplace_lines_without_quantity_are_sales_and_belong_to_orders(tmp_path: Path) -> None:
    """An Olist-like export: each order line is one item sold at its price (no quantity), so
    the lines' prices summed are the sales ('revenue', 'GMV', '销售额'); order_id names the
    orders table, not order_reviews or order_payments, which are keyed (or grouped) by order
    too; a payment's sequence number is not summed."""
    model = check_draft(draft_model(build("marketplace", tmp_path / "m.duckdb")).text)
    sales = model.metric("sales_amount")
    assert model.measure(sales.measure or "").expr == "price"
    assert {"revenue", "gmv", "销售金额"} <= set(sales.synonyms)
    assert {r.to for r in model.table("order_items").many_to_one} == {"orders", "products", "sellers"}
    assert all(m.expr != "payment_sequential" for m in model.measures)
    aov = next(m for m in model.metrics if "average order value" in m.synonyms)
    assert model.measure(aov.numerator or "").expr == "price"
    assert model.metric("freight_value").label_zh == "运费"
    assert "品类" in model.dimension("product_category").synonyms


def test_an_ad_export_gets_the_funnel_ratios_a_marketer_asks_for(tmp_path: Path) -> None:
    """CTR, CPC, cost per conversion, conversion rate and ROAS from an ads manager's columns
    (was: 'I don't know what roas refers to' on the most common file a marketer brings); the
    cost is the ad spend, and only ad exports get them."""
    model = check_draft(draft_model(build("ads", tmp_path / "a.duckdb")).text)

    def parts(name: str) -> tuple[str, str]:
        metric = model.metric(name)
        return (model.measure(metric.numerator or "").expr, model.measure(metric.denominator or "").expr)

    assert parts("ctr") == ("clicks", "impressions")
    assert parts("cpc") == ("cost", "clicks")
    assert parts("cpa") == ("cost", "conversions")
    assert parts("conversion_rate") == ("conversions", "clicks")
    assert parts("roas") == ("conversion_value", "cost")
    spend = next(m for m in model.metrics if m.label == "Ad spend")
    assert {"spend", "花费"} <= set(spend.synonyms) and spend.label_zh == "广告花费"
    assert model.metric("ctr").label_zh == "点击率"
    retail = check_draft(draft_model(build("retail", tmp_path / "r.duckdb")).text)
    assert not {"ctr", "cpc", "roas"} & {m.name for m in retail.metrics}


def _warehouse(path: Path, *statements: str) -> Path:
    """A small DuckDB warehouse written by ``statements``."""
    import duckdb

    with duckdb.connect(str(path)) as connection:
        for statement in statements:
            connection.execute(statement)
    return path


def test_an_exports_own_rate_columns_are_never_summed_nor_averaged_per_row(tmp_path: Path) -> None:
    """A Google Ads download carries 'CTR', 'Avg. CPC', 'Cost / conv.' and 'Conv. rate' per
    row: summed they are nonsense, averaged per row they weigh a quiet day like a busy one.
    The ratios of the summed columns take their words."""
    path = _warehouse(
        tmp_path / "gads.duckdb",
        'CREATE TABLE google_ads ("Day" DATE, "Campaign" VARCHAR, "Impr." INTEGER, "Clicks" INTEGER, "CTR" DOUBLE, '
        '"Avg. CPC" DOUBLE, "Cost" DOUBLE, "Conversions" DOUBLE, "Cost / conv." DOUBLE, "Conv. rate" DOUBLE)',
        "INSERT INTO google_ads VALUES (DATE '2025-11-01', 'Brand', 1000, 50, 5.0, 2.0, 100, 5, 20, 10),"
        "(DATE '2025-11-02', 'Brand', 100, 1, 1.0, 3.0, 3, 0.5, 6, 50),"
        "(DATE '2025-11-01', 'Generic', 400, 8, 2.0, 1.5, 12, 1, 12, 12.5),"
        "(DATE '2025-11-02', 'Generic', 400, 8, 2.0, 1.5, 12, 1, 12, 12.5)")
    model = check_draft(draft_model(path).text)
    exprs = {m.expr for m in model.measures}
    assert not exprs & {"ctr", "avg_cpc", "cost_conv", "conv_rate"}
    assert model.measure(model.metric("ctr").numerator or "").expr == "clicks"
    assert model.measure(model.metric("cpa").denominator or "").expr == "conversions"


def test_a_crm_export_reads_flags_without_their_prefix_and_labels_by_their_last_word(tmp_path: Path) -> None:
    """'is_won' is said "won deals" / "赢单"; 'lead_source' is "来源" when nothing else is;
    a last word two dimensions share ("state") is not guessed: the metric decides, or it is asked."""
    from genbi.assistant.planner.planner import OfflinePlanner

    path = _warehouse(
        tmp_path / "crm.duckdb",
        "CREATE TABLE leads AS SELECT 'L' || i AS lead_id, DATE '2025-01-01' + (i % 300)::INT AS created_date, "
        "['Webinar', 'Referral', 'Organic'][i % 3 + 1] AS lead_source, ['CA', 'NY'][i % 2 + 1] AS lead_state "
        "FROM range(600) t(i)",
        "CREATE TABLE opportunities AS SELECT 'O' || i AS opportunity_id, 'L' || (i * 2) AS lead_id, "
        "DATE '2025-02-01' + (i % 50)::INT AS close_date, (i * 37 % 1000) * 10.0 AS amount, i % 3 = 0 AS is_won, "
        "['TX', 'WA'][i % 2 + 1] AS owner_state FROM range(200) t(i)")
    model = check_draft(draft_model(path).text)
    planner = OfflinePlanner(model)
    won = planner.plan("won deals by lead source", as_of=date(2025, 12, 31)).spec
    assert won is not None
    assert [(f.dimension, f.values) for f in won.filters] == [("is_won", (True,))]
    assert [g.name for g in won.group_by] == ["lead_source"]
    by_source = planner.plan("各来源的线索数", as_of=date(2025, 12, 31)).spec
    assert by_source is not None and [g.name for g in by_source.group_by] == ["lead_source"]
    by_state = planner.plan("leads by state", as_of=date(2025, 12, 31)).spec  # only leads' own state fits
    assert by_state is not None and [g.name for g in by_state.group_by] == ["lead_state"]
    asked = planner.plan("deal amount by state", as_of=date(2025, 12, 31))  # the lead's or the owner's
    assert asked.spec is None and len(asked.suggestions) == 2


def test_a_relative_period_counts_back_from_the_metrics_own_data(tmp_path: Path, genbi_home: Path) -> None:
    """Leads end in November; deals close into next spring. 'Leads last month' is the last
    month of leads (was: a month after they end, 0 leads), and says so; deals keep the
    warehouse's end."""
    from genbi.assistant import AnswerRequest, Assistant

    path = _warehouse(
        tmp_path / "crm.duckdb",
        "CREATE TABLE leads AS SELECT 'L' || i AS lead_id, DATE '2025-01-01' + (i % 330)::INT AS created_date, "
        "['Webinar', 'Referral'][i % 2 + 1] AS lead_source FROM range(990) t(i)",
        "CREATE TABLE deals AS SELECT 'D' || i AS deal_id, 'L' || i AS lead_id, DATE '2025-06-01' + (i % 290)::INT "
        "AS close_date, 100.0 + i AS amount FROM range(580) t(i)")
    assistant = Assistant.open(path, as_of="today", llm=False)
    leads = assistant.answer(AnswerRequest(question="how many leads last month"))
    assert leads.rows == ((93,),)  # October 2025: 31 days, three leads a day
    assert any("Leads data ends on 2025-11-26" in w and "October 2025" in w for w in leads.warnings)
    deals = assistant.answer(AnswerRequest(question="deal amount last month"))
    assert any("Your data ends on 2026-03-17" in w for w in deals.warnings), deals.warnings


def test_a_metric_whose_data_covers_the_period_keeps_the_warehouses_today(tmp_path: Path, genbi_home: Path) -> None:
    """Sign-ups end on Nov 30, orders on Dec 4 (session 19, an app database in Postgres): 'new
    users last month' was October (counted back from the sign-ups' own end) beside orders' November.
    Sign-ups cover all of November, so both count November; 'this month' still counts back."""
    from genbi.assistant import AnswerRequest, Assistant

    path = _warehouse(
        tmp_path / "app.duckdb",
        "CREATE TABLE users AS SELECT i AS user_id, TIMESTAMP '2025-01-01 08:00' + (i % 334) * INTERVAL 1 DAY "
        "AS created_at FROM range(3340) t(i)",
        "CREATE TABLE purchases AS SELECT i AS purchase_id, i % 3340 AS user_id, TIMESTAMP '2025-02-01 10:00' + "
        "(i % 307) * INTERVAL 1 DAY AS purchased_at, 10.0 + i % 7 AS amount FROM range(3070) t(i)")
    assistant = Assistant.open(path, as_of="today", llm=False)
    users = assistant.answer(AnswerRequest(question="how many users signed up last month"))
    assert users.rows == ((300,),), users.warnings  # November 2025: 30 days, ten a day
    assert any("November 2025" in w for w in users.warnings), users.warnings
    this_month = assistant.answer(AnswerRequest(question="how many users signed up this month"))
    assert any("Users data ends on 2025-11-30" in w for w in this_month.warnings), this_month.warnings


def test_a_compared_period_the_data_starts_inside_is_said_to_be_partial(tmp_path: Path, genbi_home: Path) -> None:
    """The retail export starts on 2010-12-01: '2011 vs 2010' has 9 days of 2010 as its base
    (+6,000%), which the answer must say rather than present as growth like for like."""
    from genbi.assistant import AnswerRequest, Assistant

    assistant = Assistant.open(build("retail", tmp_path / "retail.duckdb"), llm=False)
    try:
        for question in ("which country grew sales the most this year", "sales this year vs last year"):
            answer = assistant.answer(AnswerRequest(question=question, session_id=question, use_cache=False))
            assert answer.decline is None and answer.error is None, (answer.decline, answer.error)
            assert "is partial: data from Dec 1" in answer.narrative, answer.narrative
    finally:
        assistant.close()


# --- flat files of public marketing datasets (eval/byodata/exports.py) ----------------------------


@pytest.mark.parametrize("name", ["personality", "bank", "telco", "fbads", "superstore", "mall", "olist", "abtest", "shopify",
                                  "mailchimp", "ga4", "metaads", "chinook", "northwind", "sakila", "crm",
                                  "adventureworks", "rees46", "instacart", "dunnhumby", "tpcds"])
def test_public_dataset_file_drafts_then_evals(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CSV exactly as downloaded (tabs, semicolons, quoted yes/no, blanks, Windows-1252, a
    folder of files), zero config: opened as ``genbi eval --db FILE`` opens it, in process
    (``test_draft_then_eval_through_the_cli`` runs the command itself)."""
    from genbi.cli import open_assistant
    from genbi.eval.byodata.exports import build_file
    from genbi.eval.harness import run_eval

    data = build_file(name, tmp_path / "data")
    for variable in [k for k in os.environ if k.startswith("GENBI_")]:
        monkeypatch.delenv(variable)
    monkeypatch.setenv("GENBI_HOME", str(tmp_path / "home"))
    assistant = open_assistant(settings.workspace(str(data)), llm=False)
    try:
        report = run_eval([CASES / name], answerer=assistant, db_path=str(data), default_as_of=assistant.as_of)
    finally:
        assistant.close()
    wrong = [r.case.id for r in report.results if not r.ok and not (r.answer is not None and r.answer.declined)]
    assert len(report.results) >= 20
    assert len(wrong) <= MAX_WRONG * len(report.results), wrong


@pytest.fixture(scope="module")
def export_planners(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A planner over each export's draft, drafted once for the module (drafting is the cost)."""
    from genbi.assistant.planner.planner import OfflinePlanner

    planners: dict[str, Any] = {}

    def planner(name: str) -> Any:
        if name not in planners:
            planners[name] = OfflinePlanner(_export_model(tmp_path_factory.mktemp(name), name)[1])
        return planners[name]
    return planner


def _export_model(tmp_path: Path, name: str) -> tuple[Path, SemanticModel]:
    from genbi.eval.byodata.exports import build_file

    data = build_file(name, tmp_path / name)
    return data, check_draft(draft_model(data).text)


def test_a_file_without_a_date_is_counted_and_refuses_time(tmp_path: Path) -> None:
    from genbi.errors import ModelError
    from genbi.semantic_layer.query_spec import DimensionRef, QuerySpec, TimeGrain
    from genbi.semantic_layer.resolver import resolve

    _, model = _export_model(tmp_path, "bank")  # no key, no date: one client a row
    clients = model.metric("customers")
    measure = model.measure(clients.measure or "")
    assert measure.time is None and measure.agg.value == "count" and measure.expr == "1"
    assert "clients" in clients.synonyms
    resolve(QuerySpec(metrics=("customers",), group_by=(DimensionRef(name="job"),)), model, as_of=date(2025, 1, 1), allow_pii=False)
    with pytest.raises(ModelError, match="no date"):
        resolve(QuerySpec(metrics=("customers",), group_by=(DimensionRef(name="metric_time", grain=TimeGrain.MONTH),)),
                model, as_of=date(2025, 1, 1), allow_pii=False)


def test_yes_no_and_zero_one_columns_are_flags_with_rates(tmp_path: Path) -> None:
    _, model = _export_model(tmp_path, "personality")
    response = model.dimension("response")
    assert response.type.value == "boolean" and response.expr == "response = 1"  # 0/1 integers
    assert "responded" in response.synonyms
    rate = model.measure(model.metric("response_rate").measure or "")
    assert rate.agg.value == "avg" and rate.expr == "CAST(response AS DOUBLE)"
    assert not any(m.expr == "response" for m in model.measures)  # a flag is not summed
    assert model.metric("customers").measure and "new customers" in model.metric("customers").synonyms
    assert model.metric("mnt_wines").label == "Wines"  # 'Mnt' is an amount, said by what it is of
    _, bank = _export_model(tmp_path, "bank")
    outcome = bank.metric("y_rate")  # UCI's 'y': the file's outcome
    assert outcome.label_zh == "转化率" or "conversion rate" in outcome.synonyms
    _, telco = _export_model(tmp_path, "telco")
    support = telco.dimension("tech_support")
    assert any("with tech support" in v.synonyms for v in support.values if v.value == "Yes")
    assert {"contract type", "合同类型"} <= set(telco.dimension("contract").synonyms)  # a category's kind
    _, ads = _export_model(tmp_path, "fbads")
    assert {"age group", "年龄段"} <= set(ads.dimension("age").synonyms)  # values '30-34': bands


def test_numbers_kept_as_text_for_blank_cells_are_read_as_numbers(tmp_path: Path) -> None:
    _, model = _export_model(tmp_path, "telco")
    assert model.table("wa_fn_use_c_telco_customer_churn").column("total_charges").type == "DOUBLE"  # type: ignore[union-attr]
    text = tmp_path / "codes.csv"
    text.write_text("code,amount\n 01 ,1\nA7,2\n   ,3\n")  # a non-number among them: stays text
    assert check_draft(draft_model(text).text).table("codes").column("code").type == "VARCHAR"  # type: ignore[union-attr]


def test_words_split_digits_and_quantifier_prefixes() -> None:
    assert naming.words("AcceptedCmp3") == ["accepted", "campaign", "3"]
    assert naming.words("NumWebPurchases") == ["number", "web", "purchases"]
    assert naming.clean_name("AcceptedCmp3") == "accepted_cmp3"


def test_a_file_without_a_date_splits_by_its_own_month_column(tmp_path: Path) -> None:
    from genbi.assistant.planner.planner import OfflinePlanner

    _, model = _export_model(tmp_path, "bank")  # 'month' holds 'may', 'jun' ...; no year anywhere
    planner = OfflinePlanner(model)
    spec = planner.plan("conversion rate by month", as_of=date(2025, 1, 1)).spec
    assert spec is not None and [g.name for g in spec.group_by] == ["month"]
    dated = planner.plan("conversion rate in May 2008", as_of=date(2025, 1, 1)).spec  # a period: refused later
    assert dated is None or dated.time_range is not None
    ages = planner.plan("how many clients are over 60", as_of=date(2025, 1, 1)).spec
    assert ages is not None and [(f.dimension, f.values) for f in ages.filters] == [("age_each", (60,))]


def test_wide_amount_columns_have_a_total_and_numbered_flags_an_acceptance_rate(tmp_path: Path) -> None:
    _, model = _export_model(tmp_path, "personality")
    total = model.measure(model.metric("total_spend").measure or "")
    assert total.expr.count(" + ") == 5 and "mnt_wines" in total.expr
    assert model.metric("total_spend").label == "Total spend"
    assert "spend on wines" in model.metric("mnt_wines").synonyms  # 'spend' alone stays the column's
    assert "acceptance rate of campaign 3" in model.metric("accepted_cmp3_rate").synonyms


@pytest.mark.parametrize(("question", "wanted"), [
    ("how many clients have no loan", False), ("clients without a housing loan", False),
    ("客户中没有房贷的有多少", False), ("clients with a housing loan", True), ("clients in default", True),
])
def test_a_yes_no_column_said_with_a_no_filters_on_no(tmp_path: Path, question: str, wanted: bool) -> None:
    from genbi.assistant.planner.planner import OfflinePlanner

    _, model = _export_model(tmp_path, "bank")
    spec = OfflinePlanner(model).plan(question, as_of=date(2025, 1, 1)).spec
    assert spec is not None and [f.values for f in spec.filters] == [(wanted,)]


def test_a_numeric_code_is_a_breakdown_never_summed(tmp_path: Path) -> None:
    _, model = _export_model(tmp_path, "fbads")  # interest 2, 7, 10 ... 114: labels, not amounts
    assert not any(m.expr == "interest" for m in model.measures)
    assert len(model.dimension("interest").values) > 30
    assert not any(m.expr == "xyz_campaign_id" for m in model.measures)
    _, people = _export_model(tmp_path, "personality")  # Kidhome 0-2, Year_Birth 1940-1996: not codes
    assert any(m.expr == "kidhome" for m in people.measures)


def test_day_first_text_dates_are_read_and_an_ambiguous_order_is_said(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "people.duckdb"
    with duckdb.connect(str(path)) as connection:  # a CSV loaded as all-text: '31-03-2013'
        connection.execute("CREATE TABLE people AS SELECT i AS id, strftime(DATE '2013-01-01' + (i * 7 % 700)::INT, "
                           "'%d-%m-%Y') AS Dt_Customer, i * 10.0 AS Income FROM range(300) t(i)")
        connection.execute("CREATE TABLE visits AS SELECT i AS visit_id, strftime(DATE '2013-01-01' + (i % 12)::INT "
                           "* 31, '%d-%m-%Y') AS visit_date, i AS pages FROM range(50) t(i)")  # days all <= 12
    draft = draft_model(path)
    assert check_draft(draft.text).table("people").column("dt_customer").date_format == "%d-%m-%Y"  # type: ignore[union-attr]
    said = [line for line in draft.report if "cannot be told apart" in line]
    assert len(said) == 1 and said[0].startswith("visits.visit_date")


def test_conditions_and_absence_on_a_downloaded_export(tmp_path: Path) -> None:
    """Zero config: a condition on a rate per contract, and "without internet service" as the
    column's own 'No' (an absence was dropped: every customer)."""
    from genbi.assistant.planner.planner import OfflinePlanner
    from genbi.semantic_layer.query_spec import FilterOp, MetricFilter

    _, model = _export_model(tmp_path, "telco")
    planner = OfflinePlanner(model)
    spec = planner.plan("contracts with churn rate above 20%", as_of=date(2025, 1, 1)).spec
    assert spec is not None and [g.name for g in spec.group_by] == ["contract"]
    assert spec.having == (MetricFilter(metric="churn_rate", op=FilterOp.GT, value=0.2),)
    spec = planner.plan("customers without internet service", as_of=date(2025, 1, 1)).spec
    assert spec is not None and [(f.dimension, f.values) for f in spec.filters] == [("internet_service", ("No",))]


@pytest.mark.parametrize(("question", "wanted"), [
    ("clients with a housing loan", ("housing", "yes")), ("clients without a housing loan", ("housing", "no")),
    ("conversion rate for clients with no loan", ("loan", "no")), ("有房贷的客户数", ("housing", "yes")),
    ("conversion rate by loan", None),
])
def test_yes_no_unknown_text_columns_are_said_by_their_words(tmp_path: Path, question: str,
                                                             wanted: tuple[str, str] | None) -> None:
    """UCI's bank-additional: 'yes'/'no'/'unknown' stay text; a bare 'no' names no column."""
    from genbi.assistant.planner.planner import OfflinePlanner

    rows = [f'{30 + i % 40};"{["no", "yes", "unknown"][i % 3]}";"{["yes", "no", "unknown"][i % 3]}";'
            f'"{["no", "unknown", "yes"][i % 3]}";"{["no", "yes"][i % 2]}"' for i in range(90)]
    data = tmp_path / "bank-additional.csv"
    data.write_text('"age";"default";"housing";"loan";"y"\n' + "\n".join(rows) + "\n")
    spec = OfflinePlanner(check_draft(draft_model(data).text)).plan(question, as_of=date(2025, 1, 1)).spec
    assert spec is not None
    assert [(f.dimension, f.values[0]) for f in spec.filters] == ([wanted] if wanted else [])
    assert wanted is not None or [g.name for g in spec.group_by] == ["loan"]


def test_an_ad_export_has_cpm_and_its_campaign_code_is_the_campaign(tmp_path: Path) -> None:
    _, model = _export_model(tmp_path, "fbads")
    cpm = model.metric("cpm")
    assert cpm.type.value == "derived" and cpm.expr is not None and cpm.expr.startswith("1000 * ")
    assert {"campaign", "活动"} <= set(model.dimension("xyz_campaign_id").synonyms)


def test_a_count_per_period_column_is_a_measure() -> None:
    from genbi.semantic_layer.introspection import ColumnInfo, TableInfo, _is_measure

    visits = ColumnInfo("NumWebVisitsMonth", "BIGINT", distinct=20)
    month = ColumnInfo("order_month", "BIGINT", distinct=12)
    table = TableInfo("t", 100, [visits, month])
    assert _is_measure(table, visits) and not _is_measure(table, month)


@pytest.mark.parametrize(("encoding", "delimiter"), [("cp1252", ","), ("utf-16", "\t")])
def test_a_file_not_in_utf8_is_read_as_the_spreadsheet_wrote_it(tmp_path: Path, encoding: str,
                                                                 delimiter: str) -> None:
    """Tableau's Superstore is Windows-1252 (a no-break space, '®', a curly apostrophe); Excel's
    "Unicode Text" is UTF-16 with tabs. Both open, drafted and asked, with their text intact."""
    from genbi.semantic_layer.sources import open_raw

    rows = [["Order ID", "Product Name", "Sales"], ["CA-1", "Eldon\u00a0Base, black", "10.5"],
            ["CA-2", "Hon\u2019s Chair\u00ae", "4.5"], ["CA-3", "Café Table", "5"]]
    data = tmp_path / "Sample - Store.csv"
    data.write_bytes("\r\n".join(delimiter.join(f'"{v}"' if "," in v else v for v in row)
                                 for row in rows).encode(encoding))
    with open_raw(data) as connection:
        found = connection.execute('SELECT "Product Name", "Sales" FROM "Sample - Store" ORDER BY 1').fetchall()
    assert found == [("Café Table", 5.0), ("Eldon\u00a0Base, black", 10.5), ("Hon\u2019s Chair\u00ae", 4.5)]
    asked = _run(["ask", "total sales", "--db", str(data), "--json"], tmp_path)
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["rows"] == [[20.0]]


def test_a_downloads_shared_file_words_are_not_what_its_rows_are(tmp_path: Path) -> None:
    """Olist's files are all 'olist_<entity>_dataset.csv': orders are 'Orders' (they were 'Olist
    order datasets', so 'how many orders' was declined); any download named alike reads the same."""
    from genbi.assistant.planner.planner import OfflinePlanner

    _, olist = _export_model(tmp_path, "olist")
    assert olist.metric("orders").label == "Orders"
    assert "average order value" in olist.metric("sales_amount_per_order").synonyms
    shop = tmp_path / "shop"
    shop.mkdir()
    (shop / "acme_export_customers_data.csv").write_text(
        "customer_id,region\n" + "".join(f"C{i},{['North', 'South'][i % 2]}\n" for i in range(40)))
    (shop / "acme_export_tickets_data.csv").write_text("ticket_id,customer_id,opened_date\n" + "".join(
        f"T{i},C{i % 40},2025-0{1 + i % 9}-1{i % 10}\n" for i in range(120)))
    (shop / "region_names.csv").write_text("region,region_label\nNorth,Nord\nSouth,Sud\n")  # not 'acme_': still cut
    model = check_draft(draft_model(shop).text)
    assert model.metric("tickets").label == "Tickets"
    spec = OfflinePlanner(model).plan("tickets by region", as_of=date(2025, 12, 31)).spec
    assert spec is not None and spec.metrics == ("tickets",)


def test_a_lines_deadline_is_not_when_it_sold(tmp_path: Path) -> None:
    """An order line's 'shipping_limit_date' is when the seller must ship: 'sales in 2018' is
    by the order's purchase date (it was by the deadline); a due/limit date with no parent stays."""
    _, olist = _export_model(tmp_path, "olist")
    sales = olist.measure(olist.metric("sales_amount").measure or "")
    assert sales.time == "olist_orders_dataset.order_purchase_timestamp"
    path = _warehouse(tmp_path / "quotes.duckdb",
                      "CREATE TABLE quotes AS SELECT 'Q' || i AS quote_id, DATE '2025-01-01' + i::INT AS expiry_date, "
                      "i * 10.0 AS amount FROM range(30) t(i)")
    quotes = check_draft(draft_model(path).text)
    assert quotes.measure(quotes.metric("amount").measure or "").time == "quotes.expiry_date"


def test_the_person_behind_a_per_order_key_is_who_is_counted(tmp_path: Path) -> None:
    """Olist gives each order its own customer_id; customer_unique_id is the person. 'How many
    customers' counts persons (it counted orders), here and on any table keyed alike."""
    from genbi.assistant import AnswerRequest, Assistant

    _, olist = _export_model(tmp_path, "olist")
    customers = olist.measure(olist.metric("customers").measure or "")
    assert (customers.agg.value, customers.expr) == ("count_distinct", "olist_customers_dataset.customer_unique_id")
    assert customers.time == "olist_orders_dataset.order_purchase_timestamp"  # "customers who bought in 2018"
    path = _warehouse(
        tmp_path / "app.duckdb",
        "CREATE TABLE accounts AS SELECT 'A' || i AS account_id, 'P' || (i % 7) AS global_account_id, "
        "['web', 'ios'][i % 2 + 1] AS platform FROM range(30) t(i)",
        "CREATE TABLE sessions AS SELECT 'S' || i AS session_id, 'A' || (i % 30) AS account_id, "
        "TIMESTAMP '2025-01-01' + INTERVAL (i) HOUR AS started_at FROM range(90) t(i)")
    assistant = Assistant.open(path, llm=False)
    try:
        answer = assistant.answer(AnswerRequest(question="how many accounts", use_cache=False))
        assert answer.rows == ((7,),), (answer.rows, answer.decline)
    finally:
        assistant.close()


def test_a_headers_unit_in_brackets_is_no_word_of_it(tmp_path: Path) -> None:
    """'Annual Income (k$)' is said "annual income" / 年收入 (it was 'Annual income k'); the
    unit stays in the real name the SQL reads."""
    assert naming.words("Annual Income (k$)") == ["annual", "income"] and naming.unit_of("Annual Income (k$)") == "k$"
    assert naming.words("Weight [kg]") == ["weight"] and naming.words("(k$)") == ["k"]
    _, mall = _export_model(tmp_path, "mall")
    income = mall.metric("avg_annual_income_k")
    assert income.label == "Average annual income" and income.label_zh == "平均年收入"
    assert mall.table("mall_customers").column("annual_income_k").source == "Annual Income (k$)"  # type: ignore[union-attr]
    data = tmp_path / "survey.csv"
    data.write_text("Respondent,Weight [kg],Satisfaction (1-10)\n" + "".join(
        f"R{i},{50 + i % 40},{1 + i % 10}\n" for i in range(60)))
    survey = check_draft(draft_model(data).text)
    assert {"Weight", "Average satisfaction"} <= {m.label for m in survey.metrics}


@pytest.mark.parametrize(("header", "values"), [("Genre", ("Male", "Female")), ("Person", ("M", "F"))])
def test_a_column_of_genders_is_the_gender_whatever_its_header(tmp_path: Path, header: str,
                                                                 values: tuple[str, str]) -> None:
    """Mall Customers calls it 'Genre': 'customers by gender' / 各性别 found nothing."""
    from genbi.assistant.planner.planner import OfflinePlanner

    data = tmp_path / "shoppers.csv"
    data.write_text(f"CustomerID,{header},Age\n" + "".join(f"{i},{values[i % 2]},{20 + i % 50}\n" for i in range(80)))
    model = check_draft(draft_model(data).text)
    name = naming.clean_name(header)
    assert {"gender", "性别"} <= set(model.dimension(name).synonyms)
    for question in ("customers by gender", "各性别的客户数"):
        spec = OfflinePlanner(model).plan(question, as_of=date(2025, 1, 1)).spec
        assert spec is not None and [g.name for g in spec.group_by] == [name]
    spec = OfflinePlanner(model).plan("how many female customers", as_of=date(2025, 1, 1)).spec
    assert spec is not None and [(f.dimension, f.values) for f in spec.filters] == [(name, (values[1],))]


@pytest.mark.parametrize(("question", "dimension", "value"), [
    ("number of customers with a spending score above 80", "spending_score_each", 80),
    ("how many customers have a spending score below 20", "spending_score_each", 20),
    ("消费评分超过80的客户有多少", "spending_score_each", 80),
])
def test_a_per_row_number_said_as_its_metric_filters_rows(tmp_path: Path, question: str, dimension: str,
                                                          value: int) -> None:
    """'spending score' names the average metric too; compared with a number beside a count of
    customers, it is each customer's score (it declined: 'a condition on each row of a breakdown')."""
    from genbi.assistant.planner.planner import OfflinePlanner

    _, model = _export_model(tmp_path, "mall")
    spec = OfflinePlanner(model).plan(question, as_of=date(2025, 1, 1)).spec
    assert spec is not None and spec.metrics == ("customers",)
    assert [(f.dimension, f.values) for f in spec.filters] == [(dimension, (value,))]


@pytest.mark.parametrize("name", ["personality", "mall"])
def test_customers_of_a_file_of_customers_are_its_rows_not_a_subset(tmp_path: Path, name: str) -> None:
    """'average income of customers who responded': on a file with one customer a row the
    customers are those rows (it declined as 'new customers', a subset it cannot limit to)."""
    from genbi.assistant.planner.planner import OfflinePlanner

    _, model = _export_model(tmp_path, name)
    question = {"personality": "average income of customers who responded",
                "mall": "average annual income of female customers"}[name]
    spec = OfflinePlanner(model).plan(question, as_of=date(2025, 1, 1)).spec
    assert spec is not None and len(spec.metrics) == 1 and len(spec.filters) == 1


@pytest.mark.parametrize("index", ["", "Unnamed: 0"])
def test_a_saved_dataframes_index_column_is_left_out(tmp_path: Path, index: str) -> None:
    """'marketing_AB.csv' starts with a header-less 0, 1, 2 … column (pandas' 'Unnamed: 0' when
    read back and saved again): it was 'Column 0', summed and averaged."""
    data = tmp_path / "ab.csv"
    data.write_text(f"{index},user id,test group,spend\n" + "".join(
        f"{i},{1000 + 7 * i},{['ad', 'psa'][i % 2]},{i % 13}\n" for i in range(50)))
    draft = draft_model(data)
    model = check_draft(draft.text)
    assert [c.source or c.name for c in model.table("ab").columns] == ["user id", "test group", "spend"]
    assert any("row number" in line for line in draft.report)
    kept = tmp_path / "kept.csv"  # a real first column of numbers is kept
    kept.write_text("store,spend\n" + "".join(f"{3 + i * 2},{i}\n" for i in range(50)))
    assert [c.name for c in check_draft(draft_model(kept).text).table("kept").columns] == ["store", "spend"]


@pytest.mark.parametrize(("header", "rate", "count", "zh"), [
    ("converted", "converted_rate", "conversions", "转化率"), ("Purchased", "purchased_rate", "purchases", "购买率"),
])
def test_a_done_flag_is_said_as_its_act(tmp_path: Path, header: str, rate: str, count: str, zh: str) -> None:
    """'converted' True/False: the conversion rate (转化率) and the conversions (it was a
    'Converted rate' nobody asks for); Social Network Ads' 0/1 'Purchased' alike."""
    from genbi.assistant.planner.planner import OfflinePlanner

    data = tmp_path / "users.csv"
    data.write_text(f"user id,test group,{header},most ads hour\n" + "".join(
        f"{i},{['ad', 'psa'][i % 2]},{[1, 0, 0][i % 3] if header[0].isupper() else ['True', 'False'][i % 2]},{i % 24}\n"
        for i in range(90)))
    model = check_draft(draft_model(data).text)
    assert model.metric(rate).label_zh == zh
    assert model.measure(model.metric(count).measure or "").agg.value == "sum"
    assert not any(m.expr == "most_ads_hour" for m in model.measures)  # an hour of the day is no amount
    planner = OfflinePlanner(model)
    said = {"converted_rate": "conversion rate", "purchased_rate": "purchase rate"}[rate]
    spec = planner.plan(f"{said} by test group", as_of=date(2025, 1, 1)).spec
    assert spec is not None and spec.metrics == (rate,) and [g.name for g in spec.group_by] == ["test_group"]
    spec = planner.plan(f"{count} by most ads hour", as_of=date(2025, 1, 1)).spec
    assert spec is not None and spec.limit is None and [g.name for g in spec.group_by] == ["most_ads_hour"]


def test_profit_over_sales_is_the_margin(tmp_path: Path) -> None:
    """Superstore has Profit and Sales: 'profit margin' / 利润率 declined ('no profit / margin')."""
    from genbi.assistant.planner.planner import OfflinePlanner

    _, store = _export_model(tmp_path, "superstore")
    margin = store.metric("profit_margin")
    assert (store.measure(margin.numerator or "").expr, store.measure(margin.denominator or "").expr) == \
        ("profit", "sales")
    path = _warehouse(tmp_path / "pl.duckdb",
                      "CREATE TABLE orders AS SELECT i AS order_id, DATE '2025-01-01' + i::INT AS order_date, "
                      "['web', 'store'][i % 2 + 1] AS channel, 100.0 + i AS revenue, 20.0 + i % 7 AS gross_profit "
                      "FROM range(60) t(i)")
    model = check_draft(draft_model(path).text)
    assert model.measure(model.metric("profit_margin").numerator or "").expr == "gross_profit"
    spec = OfflinePlanner(model).plan("利润率按渠道", as_of=date(2025, 12, 31)).spec
    assert spec is not None and spec.metrics == ("profit_margin",) and [g.name for g in spec.group_by] == ["channel"]


def test_a_share_per_row_is_averaged_never_summed(tmp_path: Path) -> None:
    """Superstore's Discount is 0 to 0.8 per line: its sum means nothing ('average discount by
    category' declined: 'what to average over'); a session export's 0-1 'Bounce' alike."""
    _, store = _export_model(tmp_path, "superstore")
    assert {m.agg.value for m in store.measures if m.expr == "discount"} == {"avg"}
    data = tmp_path / "sessions.csv"
    data.write_text("Session ID,Channel,Pages,Bounce Share\n" + "".join(
        f"S{i},{['ads', 'seo'][i % 2]},{1 + i % 9},{(i % 10) / 10}\n" for i in range(60)))
    model = check_draft(draft_model(data).text)
    assert {m.agg.value for m in model.measures if m.expr == "bounce_share"} == {"avg"}
    assert "sum" in {m.agg.value for m in model.measures if m.expr == "pages"}


def test_a_flat_file_of_order_lines_has_an_average_order_value(tmp_path: Path) -> None:
    """One row per order line with an order id (Superstore, Online Retail): sales over distinct
    orders is the average order value (it declined: 'what to average orders over')."""
    import duckdb

    _, store = _export_model(tmp_path, "superstore")
    aov = next(m for m in store.metrics if "average order value" in m.synonyms)
    assert store.measure(aov.numerator or "").expr == "sales"
    assert (store.measure(aov.denominator or "").agg.value, store.measure(aov.denominator or "").expr) == \
        ("count_distinct", "order_id")
    flat = tmp_path / "flat.duckdb"
    with duckdb.connect(str(flat)) as connection:
        connection.execute("CREATE TABLE \"Online Retail\" AS SELECT 'I' || (i // 3) AS InvoiceNo, i % 5 + 1 AS Quantity, "
                           "1.5 + i % 4 AS UnitPrice, DATE '2011-01-01' + (i // 3)::INT AS InvoiceDate FROM range(90) t(i)")
    retail = check_draft(draft_model(flat).text)
    per_invoice = next(m for m in retail.metrics if "average order value" in m.synonyms)
    assert retail.measure(per_invoice.denominator or "").expr == "invoice_no"


def test_rows_of_a_keyless_child_table_are_counted(tmp_path: Path) -> None:
    """Olist's payments and items have no key of their own: 'number of payments by payment
    type' and 'items sold by category' declined (and 'how many order items' gave the orders)."""
    from genbi.assistant.planner.planner import OfflinePlanner

    _, olist = _export_model(tmp_path, "olist")
    planner = OfflinePlanner(olist)
    for question, metric, by in [("number of payments by payment type", "order_payments", ["payment_type"]),
                                 ("how many order items in 2018", "order_items", []),
                                 ("average installments by payment type", "avg_payment_installments",
                                  ["payment_type"])]:
        spec = planner.plan(question, as_of=date(2025, 1, 1)).spec
        assert spec is not None and spec.metrics == (metric,) and [g.name for g in spec.group_by] == by, question
    shop = tmp_path / "app"
    shop.mkdir()
    (shop / "users.csv").write_text("user_id,country\n" + "".join(f"U{i},{['FR', 'DE'][i % 2]}\n" for i in range(30)))
    (shop / "user_events.csv").write_text("user_id,event_name,event_time\n" + "".join(
        f"U{i % 30},{['open', 'buy'][i % 2]},2025-03-{1 + i % 28:02d} 10:00:00\n" for i in range(200)))
    model = check_draft(draft_model(shop).text)
    spec = OfflinePlanner(model).plan("number of events by country", as_of=date(2025, 12, 31)).spec
    assert spec is not None and spec.metrics == ("user_events",) and [g.name for g in spec.group_by] == ["country"]


@pytest.mark.parametrize(("name", "question"), [("olist", "how many reviews have a review score below 3"),
                                                ("app", "number of app reviews with a rating above 3")])
def test_a_reviews_score_compares_each_review(tmp_path: Path, name: str, question: str) -> None:
    """A score of 1 to 5 is averaged as a metric, and each review is compared by it."""
    from genbi.assistant.planner.planner import OfflinePlanner

    if name == "olist":
        _, model = _export_model(tmp_path, name)
    else:
        data = tmp_path / "app_reviews.csv"
        data.write_text("review_id,app,rating,review_date\n" + "".join(
            f"R{i},{['chat', 'maps'][i % 2]},{1 + i % 5},2025-0{1 + i % 9}-10\n" for i in range(100)))
        model = check_draft(draft_model(data).text)
    spec = OfflinePlanner(model).plan(question, as_of=date(2025, 12, 31)).spec
    assert spec is not None and len(spec.metrics) == 1 and "review" in spec.metrics[0]
    assert [(f.op.value, f.values) for f in spec.filters] == [("<", (3,))] if "below" in question else \
        [(f.op.value, f.values) for f in spec.filters] == [(">", (3,))]


def test_days_from_a_rows_date_to_a_later_step_are_a_metric(tmp_path: Path) -> None:
    """Order Date → Ship Date (Superstore), purchase → delivered to the customer (Olist, not
    the carrier, not the estimate), created → closed (a CRM): 'average days to ship by ship
    mode', 'delivery time by state' declined ('ship' unknown)."""
    from genbi.assistant.planner.planner import OfflinePlanner

    _, store = _export_model(tmp_path, "superstore")
    assert store.measure(store.metric("days_to_ship").measure or "").expr == "date_diff('day', order_date, ship_date)"
    _, olist = _export_model(tmp_path, "olist")
    assert "order_delivered_customer_date" in olist.measure(olist.metric("days_to_deliver").measure or "").expr
    spec = OfflinePlanner(olist).plan("average delivery time by customer state", as_of=date(2025, 1, 1)).spec
    assert spec is not None and spec.metrics == ("days_to_deliver",)
    path = _warehouse(tmp_path / "crm.duckdb",
                      "CREATE TABLE deals AS SELECT 'D' || i AS deal_id, DATE '2025-01-01' + (i % 90)::INT AS "
                      "created_date, DATE '2025-01-01' + (i % 90 + i % 17)::INT AS closed_date, 100.0 * i AS amount "
                      "FROM range(80) t(i)")
    crm = check_draft(draft_model(path).text)
    spec = OfflinePlanner(crm).plan("average sales cycle in Q1 2025", as_of=date(2025, 12, 31)).spec
    assert spec is not None and spec.metrics == ("days_to_close",)


@pytest.mark.parametrize(("name", "question", "value"), [
    ("olist", "how many reviews have a score of 1", 1), ("olist", "评分为5的评价数", 5),
    ("mall", "how many customers have a spending score of 50", 50),
])
def test_a_per_row_number_said_equal_to_a_value_filters_rows(tmp_path: Path, name: str, question: str,
                                                             value: int) -> None:
    """'a score of 1', '评分为5': each row's number equal to it (it declined: a condition on a metric)."""
    from genbi.assistant.planner.planner import OfflinePlanner
    from genbi.semantic_layer.query_spec import FilterOp

    _, model = _export_model(tmp_path, name)
    spec = OfflinePlanner(model).plan(question, as_of=date(2025, 1, 1)).spec
    assert spec is not None and len(spec.metrics) == 1
    assert [(f.op, f.values) for f in spec.filters] == [(FilterOp.EQ, (value,))]


@pytest.mark.parametrize("name", ["personality", "members"])
def test_people_counted_on_the_day_they_joined_are_asked_by_it(tmp_path: Path, name: str) -> None:
    """'how many customers joined in 2013': the count's date is the day each joined
    ('Dt_Customer', 'Member Since'), so the start date is its own (it declined: 'counted on
    when it happened')."""
    from genbi.assistant.planner.planner import OfflinePlanner

    if name == "personality":
        _, model = _export_model(tmp_path, name)
        question, year = "how many customers joined in 2013", 2013
    else:
        data = tmp_path / "members.csv"
        data.write_text("Member ID,Member Since,Gender,Age\n" + "".join(
            f"M{i},{2019 + i % 5}-0{1 + i % 9}-15,{['F', 'M'][i % 2]},{20 + i % 40}\n" for i in range(100)))
        model = check_draft(draft_model(data).text)
        question, year = "how many members joined in 2021", 2021
    spec = OfflinePlanner(model).plan(question, as_of=date(2025, 12, 31)).spec
    assert spec is not None and spec.time_range is not None and spec.time_range.start == date(year, 1, 1)


@pytest.mark.parametrize(("header", "question"), [
    ("NumWebVisitsMonth", "average number of web visits per month by education"),
    ("num_app_sessions_week", "average app sessions per week by education"),
])
def test_a_count_per_period_column_is_said_per_period(tmp_path: Path, header: str, question: str) -> None:
    """'NumWebVisitsMonth' is the web visits per month ('average number of web visits per month'
    declined: 'what to average over')."""
    from genbi.assistant.planner.planner import OfflinePlanner

    data = tmp_path / "people.csv"
    data.write_text(f"ID,Education,Income,{header}\n" + "".join(
        f"{i},{['PhD', 'Master'][i % 2]},{30000 + 100 * i},{i % 11}\n" for i in range(80)))
    model = check_draft(draft_model(data).text)
    spec = OfflinePlanner(model).plan(question, as_of=date(2025, 1, 1)).spec
    assert spec is not None and spec.time_range is None and [g.name for g in spec.group_by] == ["education"]
    measure = model.measure(model.metric(spec.metrics[0]).measure or "")
    assert (measure.agg.value, measure.expr) == ("avg", naming.clean_name(header))


def test_a_file_of_calls_counts_calls_and_their_duration(tmp_path: Path) -> None:
    """UCI bank rows are calls ('contact': cellular / telephone): 'number of calls by month',
    '平均通话时长' declined ('calls' unknown); a contact log by phone alike; e-mails are no calls."""
    from genbi.assistant.planner.planner import OfflinePlanner

    _, bank = _export_model(tmp_path, "bank")
    planner = OfflinePlanner(bank)
    spec = planner.plan("number of calls by month", as_of=date(2025, 1, 1)).spec
    assert spec is not None and spec.metrics == ("customers",) and [g.name for g in spec.group_by] == ["month"]
    spec = planner.plan("平均通话时长", as_of=date(2025, 1, 1)).spec
    assert spec is not None and bank.measure(bank.metric(spec.metrics[0]).measure or "").expr == "duration"
    for method, calls in (("phone", True), ("email", False)):
        data = tmp_path / f"log_{method}.csv"
        data.write_text("Agent,Contact Method,Duration,Age,Income\n" + "".join(
            f"A{i % 5},{[method, 'mobile' if calls else 'sms'][i % 2]},{60 + i % 7},{20 + i % 30},{1000 + i % 9}\n"
            for i in range(40)))
        model = check_draft(draft_model(data).text)
        assert ("calls" in model.metric("customers").synonyms) is calls


@pytest.mark.parametrize(("name", "question", "dimension"), [
    ("telco", "how many customers have a tenure of more than 12 months", "tenure_each"),
    ("mall", "how many customers have an age of over 50", "age_each"),
])
def test_a_number_said_of_its_comparison_filters_rows(tmp_path: Path, name: str, question: str,
                                                      dimension: str) -> None:
    """'a tenure of more than 12': the 'of' between the word and its comparison (it declined)."""
    from genbi.assistant.planner.planner import OfflinePlanner

    _, model = _export_model(tmp_path, name)
    spec = OfflinePlanner(model).plan(question, as_of=date(2025, 1, 1)).spec
    assert spec is not None and [f.dimension for f in spec.filters] == [dimension]


# --- a CRM export folder and an AdventureWorks-like folder (eval/byodata/crm_aw.py) ---------------


@pytest.mark.parametrize(("name", "question", "metric", "group", "filters"), [
    ("crm", "what is our win rate", "win_rate", [], []),  # won among the decided: 'Closed Won' / 'Closed Lost'
    ("crm", "how many open deals are there", "deals", [], [("open", (True,))]),  # 'Close Date' empty
    ("crm", "how many deals did we win", "deals", [], [("deal_stage", ("Closed Won",))]),
    ("crm", "contacts by country", "contacts", ["country_region"], []),  # 'Country/Region'
    ("crm", "交易总数", "deals", [], []),  # 交易笔数 is also asked 交易总数
    ("crm", "各生命周期阶段的联系人数", "contacts", ["lifecycle_stage"], []),
    ("crm", "how many deals were created in 2024", "deals", [], []),  # counted on their create date
    ("adventureworks", "total sales", "line_total", [], []),  # an order line's LineTotal is its sale
    ("adventureworks", "sales in 2013", "line_total", [], []),  # 'in' is no PersonType 'IN'
    ("adventureworks", "units sold by category", "order_qty", ["product_category"], []),  # not 'subcategory'
    ("adventureworks", "how many online orders", "sale_orders", [], [("online_order_flag", (True,))]),
    ("adventureworks", "sales by country", "line_total", ["country_region_code"], []),
])
def test_crm_and_order_header_detail_exports_read(export_planners: Any, name: str, question: str, metric: str,
                                                  group: list[str], filters: list[tuple[str, tuple[object, ...]]]) -> None:
    spec = export_planners(name).plan(question, as_of=date(2025, 1, 1)).spec
    assert spec is not None, question
    assert spec.metrics == (metric,)
    assert [g.name for g in spec.group_by if g.name != "metric_time"] == group
    assert [(f.dimension, f.values) for f in spec.filters] == filters


def test_a_header_and_its_lines_make_orders_sales_and_an_order_value(tmp_path: Path) -> None:
    _, model = _export_model(tmp_path, "adventureworks")
    lines = model.measure(model.metric("line_total").measure or "")
    assert lines.time == "sales_order_header.order_date"  # the order's date, not the product's sell start
    assert "sales" in model.metric("line_total").synonyms and model.metric("line_total").label == "Line total"
    value = next(m for m in model.metrics if "average order value" in m.synonyms)
    assert value.numerator == "line_total_m" and value.denominator == "sale_orders_m"  # never tax per order
    assert not any(m.name == "sales_amount" for m in model.metrics)  # no price x 'UnitPriceDiscount'
    _, crm = _export_model(tmp_path, "crm")
    rate = crm.measure(crm.metric("win_rate").measure or "")
    assert rate.agg.value == "avg" and "'Closed Won' THEN 1.0" in rate.expr and "'Closed Lost' THEN 0.0" in rate.expr
    # open or closed is the stage when it says won or lost (HubSpot fills an open deal's expected close date)
    assert crm.dimension("open").expr == "(deal_stage IS NULL OR deal_stage NOT IN ('Closed Won', 'Closed Lost'))"


@pytest.mark.parametrize(("surface", "kept"), [("in", False), ("IN", False), ("US", True), ("Online", True)])
def test_a_code_that_is_an_english_function_word_is_no_value_surface(surface: str, kept: bool) -> None:
    from genbi.assistant.planner.vocabulary import _BARE_ANSWERS, _value_surfaces

    assert (surface.lower() in _value_surfaces((surface,)) - _BARE_ANSWERS) is kept


@pytest.mark.parametrize(("surface", "heads", "found"), [
    ("产品 subcategory", {"category", "subcategory"}, ["subcategory"]),  # never 'category' inside a word
    ("获客渠道", {"渠道"}, ["渠道"]),
])
def test_a_chinese_surface_ends_with_heads_only_at_a_word_boundary(surface: str, heads: set[str], found: list[str]) -> None:
    from genbi.assistant.planner.vocabulary import _heads

    assert _heads(surface, heads) == found

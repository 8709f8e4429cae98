"""The SQL guard's column allow-list: what is refused, by name, and what still runs."""

from __future__ import annotations

import json
from datetime import date
from importlib.resources import files
from pathlib import Path

import duckdb
import pytest
import yaml

from genbi.errors import UnsafeSQLError
from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.guard import guard, model_policy, policy_scope
from genbi.semantic_layer.loader import load_model
from genbi.semantic_layer.query_spec import QuerySpec
from genbi.semantic_layer.warehouse import Warehouse

MODEL = load_model()
POLICY = model_policy(MODEL)


@pytest.mark.parametrize(("sql", "named"), [
    ("DROP TABLE orders", "DROP"),
    ("DELETE FROM orders", "DELETE"),
    ("UPDATE orders SET revenue = 0", "UPDATE"),
    ("INSERT INTO orders SELECT * FROM orders", "INSERT"),
    ("CREATE TABLE x AS SELECT 1", "CREATE"),
    ("ALTER TABLE orders ADD COLUMN x INT", "ALTER"),
    ("TRUNCATE orders", "TRUNCATE"),
    ("COPY orders TO '/tmp/x.csv'", "COPY"),
    ("ATTACH '/tmp/x.duckdb' AS x", "ATTACH"),
    ("DETACH x", "DETACH"),
    ("INSTALL httpfs", "INSTALL"),
    ("LOAD httpfs", "LOAD"),
    ("PRAGMA database_list", "PRAGMA"),
    ("SET enable_external_access = true", "SET"),
    ("CALL pragma_version()", "CALL"),
    ("EXPORT DATABASE '/tmp/dump'", "EXPORT"),
    ("SELECT 1; DROP TABLE orders", "one statement"),
    ("WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d", "DELETE"),
    ("SELECT * FROM read_csv('/etc/passwd')", "read_csv()"),
    ("SELECT * FROM read_parquet('s3://b/x.parquet')", "read_parquet()"),
    ("SELECT * FROM read_json_auto('http://x/y.json')", "read_json_auto()"),
    ("SELECT * FROM glob('/root/*')", "glob()"),
    ("SELECT * FROM '/etc/passwd'", "looks like a file"),
    ("SELECT getenv('HOME')", "getenv()"),
    ("SELECT current_setting('home_directory')", "current_setting()"),
    ("SELECT * FROM duckdb_settings()", "duckdb_settings()"),
    ("SELECT * FROM information_schema.tables", "information_schema.tables"),
    ("SELECT * FROM other.main.orders", "other.main.orders"),
    ("SELECT * FROM secrets", "'secrets' is not part of the model"),
    ("SELECT password FROM customers", "'password' is not part of the model"),
    ("SELECT customers.password FROM customers", "customers.password"),
    ("SELECT email FROM customers", "'customers.email' is personal data"),
    ("SELECT e FROM (SELECT email AS e FROM customers) AS t", "'customers.email' is personal data"),
    ("WITH c AS (SELECT phone FROM customers) SELECT * FROM c", "'customers.phone' is personal data"),
    ("SELECT * FROM customers", "personal data"),
    ("SELECT c.* FROM customers AS c", "personal data"),
    ("FROM customers", "personal data"),
    ("SELECT COUNT(*) FROM customers WHERE phone LIKE '139%'", "'customers.phone' is personal data"),
    ("SELECT region FROM customers UNION ALL SELECT email FROM customers", "'customers.email'"),
    ("SELECT (SELECT MAX(email) FROM customers)", "'customers.email'"),
    ("SELECT md5(EMAIL) FROM customers", "'customers.email'"),
    ('SELECT "Phone" FROM customers', "'customers.phone'"),
    ("SELECT c FROM customers AS c", "whole rows"),
    ("SELECT to_json(customers) FROM customers", "whole rows"),
    ("SELECT COLUMNS('e.*') FROM customers", "COLUMNS(...)"),
    ("SELECT struct_pack(*) FROM customers", "'*' inside"),
    ("SELECT o.customer_id.email FROM orders AS o", "reaches inside a column"),
    ("SELECT 'unterminated FROM orders", "could not be read"),
    ("", "empty"),
    # DuckDB's positional references name a column without its name (red team, issue 23)
    ("SELECT customer_id, replace(#10, '@', ' AT ') AS contact, #11::BIGINT AS mobile FROM customers",
     "positional column reference '#10'"),
    ("WITH c AS (SELECT * FROM customers) SELECT #10 FROM c", "Refused"),
    ("SELECT COUNT(*) FROM customers WHERE #10 LIKE 'luo.ning%'", "positional"),
    ("SELECT customer_id FROM customers ORDER BY #2", "positional"),
    ("SELECT COUNT(*) FROM customers NATURAL JOIN (SELECT 'luo.ning@example.net' AS email) AS x",
     "'customers.email' is personal data"),
    ("SELECT COUNT(*) FROM customers JOIN (SELECT 'a@b.cn' AS email) AS x USING (email)", "personal data"),
    ("SELECT COUNT(*) FROM customers AS a JOIN customers AS b ON a.phone = b.phone", "personal data"),
    ("SELECT COUNT(*) FROM customers GROUP BY email HAVING COUNT(*) > 1", "personal data"),
    ("SELECT customer_id FROM customers ORDER BY phone LIMIT 1", "personal data"),
    ("SELECT string_agg(email, ',') FROM customers", "personal data"),
    ("SELECT to_json(c) FROM customers AS c", "whole rows"),
    ("SELECT * FROM customers UNPIVOT (v FOR k IN (email, phone))", "Refused"),
    ("SELECT list_transform([1], x -> email) FROM customers", "personal data"),
    ("SELECT max(customer_id) FILTER (WHERE email LIKE 'a%') FROM customers", "personal data"),
    ("SELECT * LIKE '%mail%' FROM customers", "Refused"),
    ("SELECT " + "(" * 20_000 + "1" + ")" * 20_000, "too complex"),
    ("SELECT " + "(" * 26 + "1" + ")" * 26, "too complex"),
    ("SELECT " + "NOT " * 5_000 + "true", "too complex"),
])
def test_refusals_name_what_was_refused(sql: str, named: str) -> None:
    with pytest.raises(UnsafeSQLError) as refused:
        guard(sql, policy=POLICY)
    assert named in str(refused.value), str(refused.value)


@pytest.mark.parametrize("sql", [
    "SELECT COUNT(*) FROM customers",
    "SELECT region, COUNT(*) AS n FROM customers GROUP BY 1 ORDER BY n DESC",
    "SELECT * FROM campaigns",
    "SELECT * EXCLUDE (email, phone) FROM customers",
    "SELECT channel, SUM(spend) FROM ad_spend JOIN campaigns USING (campaign_id) GROUP BY 1",
    "WITH t AS (SELECT customer_id, SUM(revenue) AS r FROM orders GROUP BY 1) SELECT AVG(r) FROM t",
    "SELECT COUNT(DISTINCT o.customer_id) FROM orders AS o WHERE EXISTS "
    "(SELECT 1 FROM customers AS c WHERE c.customer_id = o.customer_id AND c.region = 'East')",
    "SELECT region, COUNT(*) FILTER (WHERE gender = 'female') FROM customers GROUP BY ALL",
    "SELECT i FROM range(10) AS t(i)",
    "SELECT 'a@b.com' AS email",
    "SELECT COUNT(*) AS n FROM orders -- ; DROP TABLE orders",
])
def test_reads_of_the_model_still_run(sql: str) -> None:
    guard(sql, policy=POLICY)


def test_an_admin_policy_reads_personal_data_but_nothing_else_more() -> None:
    admin = POLICY.allowing_private()
    guard("SELECT email, phone FROM customers", policy=admin)
    for sql in ("SELECT password FROM customers", "DROP TABLE customers", "SELECT * FROM read_csv('x')"):
        with pytest.raises(UnsafeSQLError):
            guard(sql, policy=admin)


def test_a_closed_policy_refuses_everything_with_its_reason() -> None:
    with pytest.raises(UnsafeSQLError, match="Refused: your role sees only East"):
        guard("SELECT 1", policy=POLICY.closing("your role sees only East"))


def _eval_questions() -> list[dict[str, object]]:
    cases = []
    for path in sorted(Path(str(files("genbi.eval") / "cases")).glob("*.jsonl")):
        cases += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return cases


def test_every_compiled_query_and_gold_query_passes_the_allow_list() -> None:
    """Everything the compiler writes (golden specs, the planner on every eval question) and
    every hand-written gold query reads only the model's non-personal columns."""
    from genbi.assistant.planner.planner import OfflinePlanner

    golden = yaml.safe_load((Path(__file__).parent / "golden" / "specs.yaml").read_text(encoding="utf-8"))
    specs = [QuerySpec.model_validate(item["spec"]) for item in golden]
    planner = OfflinePlanner(MODEL, {})
    cases = _eval_questions()
    for case in cases:
        plan = planner.plan(str(case["question"]), as_of=date(2025, 12, 31), previous=None)
        if plan.spec is not None:
            specs.append(plan.spec)
        if case.get("gold_sql"):
            guard(str(case["gold_sql"]), policy=POLICY)
    checked = 0
    for spec in specs:
        try:
            sql = compile_spec(spec, MODEL, as_of=date(2025, 12, 31)).sql
        except Exception:  # a spec the model refuses is the compiler's business
            continue
        guard(sql, policy=POLICY)
        checked += 1
    assert checked > 250


@pytest.fixture()
def extra_column_warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "extra.duckdb"
    connection = duckdb.connect(str(path))
    connection.execute("CREATE TABLE campaigns (campaign_id INT, campaign_name VARCHAR, secret_note VARCHAR)")
    connection.execute("INSERT INTO campaigns VALUES (1, 'spring', 'call 13812345678')")
    connection.close()
    return path


def test_star_expands_to_the_warehouse_real_columns(extra_column_warehouse: Path) -> None:
    """A column the model does not list is refused even behind ``*``; text is masked."""
    with Warehouse.open(extra_column_warehouse, policy=POLICY) as warehouse:
        with pytest.raises(UnsafeSQLError, match=r"campaigns\.secret_note' is not part of the model"):
            warehouse.run("SELECT * FROM campaigns")
        assert warehouse.run("SELECT campaign_name FROM campaigns").rows == (("spring",),)
        with policy_scope(POLICY.closing("closed for this request")), pytest.raises(UnsafeSQLError, match="closed"):
            warehouse.run("SELECT campaign_name FROM campaigns")
        open_policy = POLICY.allowing_private()
        masked = warehouse.run("SELECT 'call 13812345678' AS note").rows
        raw = warehouse.run("SELECT 'call 13812345678' AS note", policy=open_policy).rows
    assert masked == (("call 138****5678",),) and raw == (("call 13812345678",),)

"""Draft a semantic model from any warehouse, for bring-your-own data with zero configuration.

It reads the schema and a few aggregates and writes what a person would write first:

* tables and columns under clean names, keeping the real ones (``source:``) when they have
  capitals, spaces or reserved words ("Policy Holder"."Claim Amount");
* keys from uniqueness in the data (text ids too; a composite key is reported);
* many-to-one joins from matching names and value containment, never one that makes a
  join path ambiguous or circular;
* metrics: a count of every entity with a time, distinct counts of entities that have no
  time of their own (customers), sums and averages of real amounts and quantities (never of
  ids or codes), ``quantity × unit price`` where a table has both and no amount;
* dimensions: low-cardinality text with its values, names and descriptions, times;
* English and Chinese labels and synonyms from the names (``naming``).

It never refuses: what it cannot decide is left out, said in ``Draft.report`` and written
at the top of the YAML as comments.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

from genbi import safe_yaml
from genbi.errors import ModelError, WarehouseError

from . import naming, void_rows
from .backends.location import is_url
from .drafted_roles import CUSTOMER_COLUMNS, draft_roles
from .graph import JoinGraph
from .loader import ModelValidationError, parse_model
from .model import SemanticModel
from .sources import (
    composed_date,
    day_month_swapped,
    is_file_source,
    open_raw,
    quote,
    text_date_format,
)

MAX_CATEGORY_VALUES = 60
SAMPLE_ROWS = 20_000
_NUMERIC = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "REAL", "DOUBLE",
            "DECIMAL", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
_WHOLE = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
_TEMPORAL = {"DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS",
             "TIMESTAMP_S", "DATETIME"}
_PII = {"email", "phone", "mobile", "telephone", "address", "passport", "first", "last", "full", "birth", "ssn"}
_AVERAGED = {"price", "rate", "ratio", "percent", "score", "age", "rating", "installments", "stars", "latitude", "longitude", "ctr", "cpc", "cpm",
             "cpa", "roas", "roi", "acos", "cvr", "avg", "average", "mean", "pct", "percentage", "share", "since"}
_NOT_MEASURES = {"year", "month", "day", "quarter", "week", "hour", "weekday", "zip", "postal", "order", "rank", "sort",
                 "position", "sequence", "sequential", "seq", "version", "level", "flag", "phone", "telephone", "mobile", "fax",
                 "latitude", "longitude", "lat", "lon", "lng"}
MAX_INDEXED_VALUES = 2_000
"""Text columns with up to this many values become dimensions (the value index reads them)."""
_MONEY = {"amount", "premium", "value", "price", "cost", "revenue", "sales", "paid", "limit", "fee", "charges", "charge",
          "income", "profit", "spend", "balance", "salary", "expense", "budget", "tax", "deductible", "freight"}
_QUANTITY = {"quantity", "units", "count"}
_PERSON = {"customer", "client", "user", "member", "buyer", "holder", "patient", "shopper", "account", "household",
           "visitor"}  # RetailRocket's visitorid: the visitors
_NAMEISH = {"name", "description", "title"}
_ABOUT_PEOPLE = {"profile", "demographic", "demographics", "personal", "info", "detail", "master", "data", "list"}
"""A table named for what it says about each person, not who they are ('profile', 'demographics')."""
_GENERIC = {"amount", "value", "total", "price", "cost", "count"}
_AMOUNT_QUALIFIERS = {"unit", "each", "list", "retail", "base", "regular", "original", "full", "per", "quantity"}
"""Words that qualify an amount ("unit price", "list price") without naming it: never a synonym
for it alone ("units" asks for a quantity)."""
_TRANSACTIONS = {"sale", "transaction", "revenue"}
_HEADERS = {"invoice", "order", "transaction", "receipt", "basket", "purchase", "ticket", "booking"}
"""Entities one purchase is written as: the words mean the same to a marketer."""
_ORDERS_SAID_ZH = ["单数", "单量", "多少单", "几单", "下单数", "下了多少单", "多少笔订单"]
"""How a count of orders is asked in Chinese ("2017年一共多少单", "每个用户平均下了几单")."""
_HEADER_SYNONYMS = ["orders", "number of orders", "order count", "invoices", "number of invoices", "transactions",
                    "number of transactions", "receipts", "purchases", "number of purchases", "baskets",
                    "订单数", "订单量", "交易笔数", "交易数", "发票数", *_ORDERS_SAID_ZH]
_HEADER_WORDS = {"header", "hdr", "head"}
_DETAIL_WORDS = {"detail", "line", "item", "dtl"}
"""A table named for a purchase's header or its lines (SalesOrderHeader / SalesOrderDetail)."""
_CHARGES = {"tax", "freight", "shipping", "ship", "discount", "fee", "fees", "refund", "refunded", "duty", "duties",
            "tip", "handling", "vat"}
"""Amounts charged on top of (or taken off) what was sold: never an order's value."""
_AOV_SYNONYMS = ["average order value", "aov", "avg order value", "order value", "average basket value",
                 "basket value", "average basket", "average transaction value", "average ticket",
                 "average invoice value", "average receipt value", "average purchase value", "average sale",
                 "客单价", "平均客单价", "平均订单金额", "平均订单价值", "订单均价", "平均交易金额", "笔单价"]
_JOIN_EVENTS = {"signup", "sign", "registration", "registered", "register", "created", "create", "joined",
                "join", "enrolled", "enrollment", "enrolment", "onboarded", "onboarding", "first", "acquired",
                "acquisition", "opened", "since", "became"}
"""Date words that name when an entity began (signup_date, created_at, joined_on,
first_purchase_date): its count by that date is its sign-ups."""
_EVENT_ROWS = {"invoice", "order", "transaction", "receipt", "purchase", "ticket", "booking", "reservation",
               "session", "visit", "shipment", "payment", "subscription", "claim", "policy", "application",
               "appointment", "rental", "trip", "ride", "call", "deal", "quote", "case", "contract", "enrollment",
               "lead", "opportunity", "signup", "registration", "review", "return", "complaint", "donation"}
"""What a keyless flat file's rows are when it is named for them ('hotel_bookings', 'claims'):
each row one such thing, so its rows are counted; a file of people, products or daily totals
is not (its rows may repeat a person, or be a day's sum)."""
_DEADLINES = {"limit", "deadline", "estimated", "expected", "expiry", "expiration", "expires"}
"""Date words of a promise, not of the event: an order line's 'shipping_limit_date' is when
the seller must ship; its sale happened on its order's date."""
_ENTITY_NOUNS = {"invoice", "order", "customer", "client", "user", "member", "policy", "claim", "product",
                 "item", "transaction", "session", "visit", "account", "patient", "ticket", "lead", "contact",
                 "shipment", "payment", "booking", "reservation", "subscription", "employee", "store", "vehicle",
                 "quote", "deal", "case", "contract", "household", "buyer", "shopper", "holder", "agent", "basket",
                 "site", "app", "device", "advertiser", "publisher", "creative", "visitor",  # "how many sites"
                 "seller", "vendor", "merchant", "supplier", "retailer", "partner", "affiliate"}  # Olist deals: seller_id


@dataclass
class ColumnInfo:
    name: str
    type: str
    distinct: int = 0
    nulls: int = 0
    values: list[Any] = field(default_factory=list)
    clean: str = ""
    date_format: str | None = None
    date_swapped: str | None = None
    """The day/month-swapped format every value also reads in (the draft says so)."""
    row_number: bool = False
    """A spreadsheet's index column (no header, or 'Unnamed: 0'): 0, 1, 2 … numbering the rows."""
    fraction: bool = False
    """Decimal numbers all between 0 and 1 (a 'Discount' of 0.2): a rate per row, averaged, never summed."""
    timed: bool = False
    """A timestamp with a time of day on some row (a campaign's send time): no calendar's day."""
    numbered: str = ""
    """Every value an order number as shops print it: '#' ('#1001', Shopify, WooCommerce) or
    letters ('SO-1001') before the digits; the prefix."""
    prefix: str = ""
    """The table's initials every column of it starts with (TPC-DS's 'ss_' on store_sales):
    no word of the column's name."""
    parts: tuple[str, ...] = ()
    """A date the data keeps split (year, month, day columns, real names): not in the
    warehouse, read from its parts (``model.Column.parts``)."""

    whole_floats: bool = False
    """Decimal numbers that are all whole (2.0, 8.0 with blanks: pandas writes a code column with
    gaps so): the codes they were, not amounts."""

    signed: bool = False
    """A count of points (or credits) some rows add and others take away: a ledger's entries."""

    @property
    def flag(self) -> bool:
        """A yes/no column: BOOLEAN (a CSV's Yes/No), or whole numbers that are only 0 and 1."""
        return self.base_type == "BOOLEAN" or (self.base_type in _WHOLE and sorted(self.values) == [0, 1])

    @property
    def base_type(self) -> str:
        return self.type.upper().split("(")[0]

    @property
    def numeric(self) -> bool:
        return self.base_type in _NUMERIC

    @property
    def temporal(self) -> bool:
        return self.base_type in _TEMPORAL

    @property
    def text(self) -> bool:
        return self.base_type in ("VARCHAR", "TEXT", "STRING", "CHAR")

    @property
    def words(self) -> list[str]:
        """The header's words; a header with none ('#', '¶©µ¥') is a 'field', as its clean name is."""
        return naming.words(self.name[len(self.prefix):]) or ["field"]


@dataclass
class TableInfo:
    name: str
    rows: int
    columns: list[ColumnInfo]
    clean: str = ""
    primary_key: str | None = None
    composite_key: tuple[str, ...] = ()
    parents: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Foreign key column -> (parent table, parent key), real names."""
    said: list[str] | None = None
    """What a row is, when the name says more (``olist_orders_dataset`` → ['orders'])."""
    natural_key: bool = False
    """Keyed by a name another table uses (a region), not an id: the linking column stays a
    dimension, and each other text column of such a small lookup is one (its manager)."""
    listings: set[str] = field(default_factory=set)
    """Linked columns whose parent lists only some of their values (Superstore's orders →
    Returns): the column still counts its own entity (orders), the parent adds a flag."""

    def column(self, name: str) -> ColumnInfo:
        return next(c for c in self.columns if c.name == name)

    @property
    def words(self) -> list[str]:
        if self.said is not None:
            return self.said
        return naming.strip_table_prefix(naming.words(self.name))


@dataclass(frozen=True)
class Draft:
    """A drafted model: its YAML text and what the drafter could not decide."""

    text: str
    report: tuple[str, ...] = ()


def draft_model(source: str | Path, *, name: str | None = None) -> Draft:
    """A draft model for a DuckDB file, a folder of CSV/Parquet files, one such file, or a
    warehouse URL (Postgres, Spark ..., read through the warehouse seam)."""
    connection: Any
    if is_url(source):
        from .backends.reader import ServerReader

        connection = ServerReader(str(source))
        where, stem = connection.location.shown, connection.name
    else:
        path = Path(source).expanduser()
        connection = _connect(path)
        where, stem = str(path), path.stem
    report: list[str] = []
    try:
        tables = [_profile(connection, table) for table in _table_names(connection)]
        if not tables:
            raise WarehouseError(f"No tables found in {where}.",
                                 "Point --db at a DuckDB file or a folder of CSV/Parquet files.")
        _row_numbers_left_out(tables, report)
        _clean_names(tables)
        report += [f"{t.name}.{c.name}: every date reads as {c.date_format} and as {c.date_swapped}; "
                   f"read as {c.date_format} (day and month cannot be told apart): set date_format if wrong."
                   for t in tables for c in t.columns if c.date_swapped]
        _find_keys(connection, tables, report)
        _find_relationships(connection, tables, report, declared=_declared_links(connection, source))
    finally:
        connection.close()
    data = _model_data(tables, name or naming.clean_name(stem or "warehouse"), report)
    data = repair_model_data(data, report)
    if roles := draft_roles(data) | _event_roles(tables, data):  # the tools run on the user's own orders
        data["roles"] = roles  # (``drafted_roles``) and events
    header = "".join(f"# {line}\n" for line in ["Drafted by `genbi model draft`; review labels and synonyms.",
                                                *report])
    text = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)
    return Draft(text, tuple(report))


def check_draft(text: str) -> SemanticModel:
    """Validate a draft exactly as ``load_model`` would."""
    return parse_model(safe_yaml.load(text), source="draft")


# --- reading the warehouse ------------------------------------------------------------------

def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise WarehouseError(f"No warehouse at {path}.", "Pass a DuckDB file or a folder of CSV/Parquet files.")
    if is_file_source(path):
        return open_raw(path)
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise WarehouseError(f"{path} could not be opened as a DuckDB file ({str(error).splitlines()[0]}).",
                             "Pass a DuckDB file or a folder of CSV/Parquet files.") from None


def _table_names(connection: duckdb.DuckDBPyConnection) -> list[str]:
    rows = connection.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_catalog = current_database() ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def _profile(connection: duckdb.DuckDBPyConnection, table: str) -> TableInfo:
    quoted = quote(table)
    described = connection.execute(f"DESCRIBE {quoted}").fetchall()
    counted = connection.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()
    rows = int(counted[0]) if counted else 0
    columns = []
    for column_name, column_type, *_ in described:
        column = quote(column_name)
        distinct, nulls = connection.execute(
            f"SELECT COUNT(DISTINCT {column}), COUNT(*) - COUNT({column}) FROM {quoted}"
        ).fetchone()  # type: ignore[misc]
        info = ColumnInfo(column_name, str(column_type), int(distinct), int(nulls))
        if info.numeric and info.base_type not in _WHOLE and distinct > 2:
            low, high = connection.execute(f"SELECT MIN({column}), MAX({column}) FROM {quoted}").fetchone()  # type: ignore[misc]
            info.fraction = low is not None and float(low) >= 0 and float(high) <= 1
            if distinct <= MAX_CATEGORY_VALUES and info.nulls:
                whole = connection.execute(f"SELECT bool_and({column} = floor({column})) FROM {quoted}").fetchone()
                info.whole_floats = bool(whole and whole[0])
        if info.numeric and set(info.words) & _LEDGER_UNITS:
            low, high = connection.execute(f"SELECT MIN({column}), MAX({column}) FROM {quoted}").fetchone()  # type: ignore[misc]
            info.signed = low is not None and float(low) < 0 < float(high)
        if info.base_type == "VARCHAR" and distinct > 0:
            info.date_format = text_date_format(connection, quoted, column)
            if info.date_format:  # text dates (a CSV loaded as is) are read as dates
                info.type = "TIMESTAMP" if "%H" in info.date_format else "DATE"
                info.date_swapped = day_month_swapped(connection, quoted, column, info.date_format)
                columns.append(info)
                continue
        if info.temporal and info.base_type != "DATE" and distinct == rows:
            timed = connection.execute(f"SELECT COUNT(*) FILTER (WHERE CAST({column} AS TIME) <> TIME '00:00:00') "
                                       f"FROM {quoted}").fetchone()
            info.timed = bool(timed and timed[0])
        if info.base_type == "VARCHAR" and distinct > 1 and not naming.is_id_like(column_name):
            found = connection.execute(
                # anchored regexp_matches: sqlglot writes it as Postgres' ~ and Spark's RLIKE
                f"SELECT COUNT(*) FILTER (WHERE regexp_matches(trim({column}), '^#\\s?\\d{{3,}}$')), "
                f"COUNT(*) FILTER (WHERE regexp_matches(trim({column}), '^[A-Za-z]{{1,5}}[-#]\\d{{3,}}$')), "
                f"COUNT({column}) FROM {quoted}").fetchone()
            if found and found[2] and found[2] * 10 >= rows * 9:
                info.numbered = "#" if found[0] == found[2] else "letters" if found[1] == found[2] else ""
        if info.base_type in _WHOLE and distinct == rows and _INDEX_NAME.fullmatch(str(column_name).strip()):
            low, high = connection.execute(f"SELECT MIN({column}), MAX({column}) FROM {quoted}").fetchone()  # type: ignore[misc]
            info.row_number = low in (0, 1) and high == low + rows - 1
        if (info.base_type in ("VARCHAR", "BOOLEAN", *_WHOLE)) and 0 < distinct <= MAX_CATEGORY_VALUES:
            info.values = [r[0] for r in connection.execute(
                f"SELECT DISTINCT {column} FROM {quoted} WHERE {column} IS NOT NULL ORDER BY 1"
            ).fetchall()]
        columns.append(info)
    profiled = TableInfo(table, rows, columns)
    if isinstance(connection, duckdb.DuckDBPyConnection):  # a server's draft keeps its parts as they are
        _date_from_parts(connection, profiled)
    return profiled


_YEAR_WORDS = {"year", "yyyy"}
_MONTH_WORDS = {"month", "mon", "mm"}
_DAY_ENDS = (["day"], ["day", "of", "month"], ["dom"], ["dd"], ["day", "of", "the", "month"])


def _date_from_parts(connection: duckdb.DuckDBPyConnection, table: TableInfo) -> None:
    """A date kept in year and month (and day) columns ('Year', 'Month' of a monthly report;
    'arrival_date_year', 'arrival_date_month' as 'July', 'arrival_date_day_of_month' of the
    hotel bookings): one DATE column read from them, so "sales in 2023", "bookings by month"
    and "last quarter" have a time to use instead of being declined for having none."""
    names = {c.name.lower() for c in table.columns}
    for year in [c for c in table.columns if c.base_type in _WHOLE and c.words and c.words[-1] in _YEAR_WORDS
                 and c.values and all(1900 <= int(v) <= 2100 for v in c.values)]:
        stem = year.words[:-1]
        month = next((c for c in table.columns if c.words[:-1] == stem and c.words[-1:] and c.words[-1] in _MONTH_WORDS
                      and _month_values(c)), None)
        if month is None:
            continue
        day = next((c for c in table.columns if c.base_type in _WHOLE and c.words[:len(stem)] == stem
                    and c.words[len(stem):] in _DAY_ENDS and c.values and all(1 <= int(v) <= 31 for v in c.values)),
                   None)
        name = "_".join([*stem, *([] if "date" in stem else ["date"])])
        if name in names or any(c.parts for c in table.columns):
            continue
        parts = (year.name, month.name, *((day.name,) if day else ()))
        expression = composed_date(parts, month.text).sql("duckdb")
        try:
            counted = connection.execute(f"SELECT COUNT(DISTINCT {expression}), COUNT(*) - COUNT({expression}) "
                                         f"FROM {quote(table.name)}").fetchone()
        except duckdb.Error:  # a 30th of February: not a calendar after all
            continue
        if counted is None or counted[1] * 10 > table.rows:
            continue
        table.columns.append(ColumnInfo(name, "DATE", int(counted[0]), int(counted[1]), parts=parts))
        names.add(name)


def _month_values(column: ColumnInfo) -> bool:
    """Every value a month: 1..12, or a month's name or its three letters ('July', 'Jul')."""
    if not column.values:
        return False
    if column.base_type in _WHOLE:
        return all(1 <= int(v) <= 12 for v in column.values)
    return column.text and all(str(v).strip().lower() in _MONTHS for v in column.values)


_FILE_WORDS = {"dataset", "datasets", "data", "table", "export", "extract", "csv", "file", "raw", "final",
               "cleaned", "clean", "sample", "report", "reports", "record", "records", "list", "lists", "train",
               "training"}
"""Words a download's file name wraps its entity in ('olist_orders_dataset', 'Sample - Superstore',
'Amazon Sale Report', a Kaggle split's 'transactions_train'; 'test' stays: an 'ab_test' file is tests)."""


def _said_as(tables: list[TableInfo]) -> None:
    """What each table's rows are, without the words every file of a download shares (the
    source's name: 'olist_' on each of Olist's files) and file words ('_dataset', 'Sample -')."""
    split = [t.words for t in tables]
    firsts = Counter(w[0] for w in split if len(w) > 1)
    lead, count = firsts.most_common(1)[0] if firsts else ("", 0)
    source = [w for w in split if len(w) > 1 and w[0] == lead]  # most files start with it: the source's name
    shared = 0
    if count >= 2 and count * 5 >= len(tables) * 3:
        while all(len(w) > shared + 1 and w[shared] == source[0][shared] for w in source):
            shared += 1
    for table, parts in zip(tables, split, strict=True):
        cut = shared if shared and len(parts) > shared and parts[:shared] == source[0][:shared] else 0
        kept = _without_date_range([w for w in parts[cut:] if w not in _FILE_WORDS] or parts[cut:])
        while len(kept) > 1 and kept[-1].isdigit():  # Shopify's orders_export_1: the export's part number
            kept = kept[:-1]
        if kept != parts:
            table.said = kept


_MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january",
           "february", "march", "april", "june", "july", "august", "september", "october", "november", "december"}


def _without_date_range(parts: list[str]) -> list[str]:
    """An export named '<account>-<level>-<from>-<to>' (Meta Ads Manager's
    'Northwind-Shop-Campaigns-Jul-1-2024-Sep-30-2024.csv'): its rows are the level ('campaigns',
    'ad sets'); the account's name and the dates say nothing about a row."""
    if not any(re.fullmatch(r"(19|20)\d\d(\d\d|\d{4})?", w) for w in parts):  # 2024, 202411, 20241101
        return parts
    words = [w for w in parts if not w.isdigit() and w not in _MONTHS]
    if len(words) < 2 or words == parts:
        return words  # REES46's '2019-Oct.csv': nothing but the month it holds says what a row is
    pair = " ".join([words[-2], naming.singular(words[-1])])
    return words[-2:] if pair in naming.GLOSSARY else words[-1:]


_INDEX_NAME = re.compile(r"(?i)column0*|unnamed:? ?0|index|level_0|_c0|\.\.\.1|x1?|row ?_?num(ber)?|")
"""What a header-less first column is called once read: DuckDB's 'column0', pandas'
'Unnamed: 0', R's '...1' / 'X', Spark's '_c0', or a written 'index' or 'RowNumber' (Kaggle's
bank Churn_Modelling.csv, whose rows are the customers of the 'CustomerId' beside it)."""


def _row_numbers_left_out(tables: list[TableInfo], report: list[str]) -> None:
    """A saved DataFrame's index is no number of anything: left out of the model's words
    (it was 'Column 0', summed and averaged)."""
    for table in tables:
        kept = [c for c in table.columns if not c.row_number]
        if len(kept) < len(table.columns) and kept:
            gone = [c.name or "(no header)" for c in table.columns if c.row_number]
            report.append(f"{table.name}: left out {', '.join(gone)}, a row number (0, 1, 2 …) with no meaning.")
            table.columns = kept


def _clean_names(tables: list[TableInfo]) -> None:
    _said_as(tables)
    used: set[str] = set()
    for table in tables:
        table.clean = _unique(naming.clean_name(table.name), used)
        prefix = _column_prefix(table)
        seen: set[str] = set()
        for column in table.columns:
            column.prefix = prefix
            column.clean = _unique(naming.clean_name(column.name[len(prefix):]), seen)


def _column_prefix(table: TableInfo) -> str:
    """The table's initials when every column starts with them ('ss_sold_date_sk' on
    store_sales, 'ca_state' on customer_address, 'd_date' on date_dim): TPC-DS's and many
    warehouses' way of keeping column names unique across tables."""
    found = {re.match(r"^([A-Za-z]{1,3})_", c.name) for c in table.columns}
    heads = {m.group(1).lower() for m in found if m is not None}
    if len(table.columns) < 3 or None in found or len(heads) != 1:
        return ""
    head = heads.pop()
    parts = [w.lower() for w in re.split(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])", table.name) if w]
    initials = "".join(w[0] for w in parts)
    if head not in (initials, initials[:len(head)]) and not table.name.lower().startswith(head):
        return ""
    cut = len(head) + 1
    if any(not c.name[cut:] or c.name[cut:][0] == "_" for c in table.columns):
        return ""
    return table.columns[0].name[:cut]


# --- keys and relationships -------------------------------------------------------------------

def _find_keys(connection: duckdb.DuckDBPyConnection, tables: list[TableInfo], report: list[str]) -> None:
    """A key is unique and never null; id-like names first, the table's own name first."""
    for table in tables:
        if table.rows == 0:
            continue
        unique = [c for c in table.columns if c.nulls == 0 and c.distinct == table.rows
                  and not c.temporal and c.base_type != "BOOLEAN"
                  and (c.base_type not in ("DOUBLE", "FLOAT", "REAL") or naming.is_id_like(c.name))]
        own = set(table.words) | {naming.singular(w) for w in table.words}
        ranked = sorted(unique, key=lambda c: (not naming.is_id_like(c.name),
                                               not (set(c.words[:-1]) & own), table.columns.index(c)))
        ranked = [c for c in ranked if naming.is_id_like(c.name) or not (_counts_something(c) or _names_a_kind(c))]
        # Criteo's hashed 'cat2', unique over 4,200 rows by chance: a category, not the rows' key
        if ranked and (naming.is_id_like(ranked[0].name) or ranked[0].base_type in _NUMERIC - {"DOUBLE"}):
            table.primary_key = ranked[0].name
            continue
        shared = _natural_key(table, unique, tables)
        if shared is not None:
            table.primary_key, table.natural_key = shared.name, True
            continue
        table.composite_key = _composite_key(connection, table)
        if table.composite_key:
            report.append(f"{table.name}: no single-column key; rows are unique by "
                          f"({', '.join(table.composite_key)}); its rows are counted only when they belong to "
                          "another table and have no quantity (an order's items, one a row).")
        else:
            report.append(f"{table.name}: no key found (no column is unique and never empty).")


_COUNTED_THINGS = {"visitor", "session", "visit", "user", "click", "impression", "view", "order", "buyer",
                   "conversion", "purchase", "transaction", "unit", "item", "point", "lead", "install", "download",
                   "open", "delivered", "delivery", "bounce", "unsubscribe", "recipient", "send", "sent", "reply"}


def _counts_something(column: ColumnInfo) -> bool:
    """A number named for what it counts or measures ('Sessions', 访客数 → visitors, 'Revenue'):
    a day's figure in a report, unique over a few rows by chance, never the rows' key."""
    said = {naming.singular(w) for w in column.words}
    return bool(said & (_COUNTED_THINGS | _MONEY | _QUANTITY))


def _natural_key(table: TableInfo, unique: list[ColumnInfo], tables: list[TableInfo]) -> ColumnInfo | None:
    """A small lookup table keyed by a name another table uses: Superstore's 'People' sheet
    (Person, Region), one row per region, gives each order's region its manager. A unique text
    column named like a column of a bigger table is the key; the link is still checked on the
    values."""
    for column in unique:
        if not column.text:
            continue
        for other in tables:
            if other is not table and other.rows > table.rows and any(
                    c.clean == column.clean and c.text and c.name != other.primary_key for c in other.columns):
                return column
    return None


def _composite_key(connection: duckdb.DuckDBPyConnection, table: TableInfo) -> tuple[str, ...]:
    candidates = [c for c in table.columns if naming.is_id_like(c.name) and c.nulls == 0][:4]
    for i, first in enumerate(candidates):
        for second in candidates[i + 1:]:
            found = connection.execute(
                f"SELECT COUNT(*) FROM (SELECT DISTINCT {quote(first.name)}, {quote(second.name)} "
                f"FROM {quote(table.name)})").fetchone()
            if found and int(found[0]) == table.rows:
                return (first.name, second.name)
    return ()


def _declared_links(connection: Any, source: str | Path) -> set[tuple[str, str, str]]:
    """Foreign keys the warehouse declares, as (table, column, parent) in lower case: a SQLite
    file's (Northwind's ``Orders.ShipVia`` → ``Shippers``, named unlike the parent's key) or a
    DuckDB file's constraints. Candidates only: every link is still checked on the values."""
    from .sqlite_files import foreign_keys, is_sqlite

    if is_url(source):
        return set()
    path = Path(source).expanduser()
    if is_sqlite(path):
        return {(t.lower(), c.lower(), p.lower()) for t, c, p, _ in foreign_keys(path)}
    if is_file_source(path):
        return set()
    try:
        rows = connection.execute(
            "SELECT table_name, constraint_column_names, referenced_table FROM duckdb_constraints() "
            "WHERE constraint_type = 'FOREIGN KEY' AND database_name = current_database()").fetchall()
    except duckdb.Error:
        return set()
    return {(str(t).lower(), str(c[0]).lower(), str(p).lower()) for t, c, p in rows if c and len(c) == 1}


def _find_relationships(connection: duckdb.DuckDBPyConnection, tables: list[TableInfo], report: list[str],
                        declared: Collection[tuple[str, str, str]] = ()) -> None:
    """``invoice_lines.invoice_no`` → ``invoices.invoice_no`` when the names match and every
    value is a key value; links that would make a join path ambiguous or circular are left out.
    A link the warehouse declares (``declared``) comes first, whatever its name."""
    keyed = [t for t in tables if t.primary_key]
    candidates: list[tuple[int, TableInfo, ColumnInfo, TableInfo]] = []
    for table in tables:
        for column in table.columns:
            if not (naming.is_id_like(column.name) or column.distinct):
                continue
            for parent in keyed:
                if parent is table or (column.name == table.primary_key and not _extends(table, parent)):
                    continue
                score = 4 if (table.name.lower(), column.name.lower(), parent.name.lower()) in declared \
                    else _name_match(column, parent)
                if score and (score >= 3 or column.name != table.primary_key):
                    candidates.append((score, table, column, parent))
    edges: list[tuple[str, str, str, str]] = []
    names = [t.clean for t in tables]
    linked: set[tuple[str, str]] = set()
    ranked = sorted(candidates, key=lambda c: (-c[0], not _names_parent(c[2], c[3]), -c[1].rows))
    for _score, table, column, parent in ranked:
        if (table.name, column.name) in linked:
            continue
        if _link(connection, table, column, parent, edges, names, report):
            linked.add((table.name, column.name))
        elif _score == 3 and _describes_some(connection, table, column, parent) \
                and _link(connection, table, column, parent, edges, names, report, checked=True):
            linked.add((table.name, column.name))
            report.append(f"{table.name}.{column.name} → {parent.name}: joined though only some "
                          f"{column.name} values have a {parent.name} row; the others show as empty "
                          f"when split by {parent.name}'s columns.")
    for table in tables:  # text ids named otherwise ('Insured Party' → 'CU00012'): containment alone
        for column in table.columns:
            if (table.name, column.name) in linked or column.name == table.primary_key or not column.text \
                    or column.distinct < 2 or column.temporal:
                continue
            holders = [p for p in keyed if p is not table and p.column(p.primary_key or "").text
                       and naming.is_id_like(p.primary_key or "")
                       and _contained(connection, table.name, column.name, p.name, p.primary_key or "")]
            if len(holders) == 1 and _link(connection, table, column, holders[0], edges, names, report, checked=True):
                linked.add((table.name, column.name))


def _link(connection: duckdb.DuckDBPyConnection, table: TableInfo, column: ColumnInfo, parent: TableInfo,
          edges: list[tuple[str, str, str, str]], names: list[str], report: list[str], *,
          checked: bool = False) -> bool:
    """Add ``table.column → parent`` when every value is a parent key and no join path
    becomes ambiguous or circular."""
    assert parent.primary_key is not None
    key = parent.column(parent.primary_key)
    if column.numeric != key.numeric or (parent.clean, table.clean) in {(e[0], e[2]) for e in edges}:
        return False
    listing = False
    if not checked and not _contained(connection, table.name, column.name, parent.name, key.name):
        listing = _lists_some(connection, table, column, parent, key)
        if not listing:
            return False
    edge = (table.clean, column.clean, parent.clean, key.clean)
    graph = JoinGraph.from_edges([*edges, edge])
    if graph.cycles(names) or graph.ambiguous(names):
        report.append(f"{table.name}.{column.name} → {parent.name}: left out, it would make a "
                      "second join path; add it by hand if it is the one you mean.")
        return False
    edges.append(edge)
    table.parents[column.name] = (parent.name, key.name)
    if listing:
        table.listings.add(column.name)
    return True


def _extends(table: TableInfo, parent: TableInfo) -> bool:
    """Two tables keyed alike ('Policy' and 'Policy Detail'): the one with fewer rows points
    at the other; with as many rows, the core ('Policy') points at its extension, so the
    core's metrics can be split by the extension's columns. Never both ways."""
    if table.rows != parent.rows:
        return table.rows < parent.rows
    core = table.words
    if parent.words[:len(core)] == core and len(parent.words) > len(core):
        return True
    if core[:len(parent.words)] == parent.words and len(core) > len(parent.words):
        return False
    return table.name < parent.name


def _name_match(column: ColumnInfo, parent: TableInfo) -> int:
    """3: same name as the parent's key; 2: '<parent>_<id word>'; 0: no match."""
    assert parent.primary_key is not None
    key = parent.column(parent.primary_key)
    if column.clean == key.clean or column.words == key.words:
        return 3
    entity = [naming.singular(w) for w in parent.words]
    if naming.is_id_like(column.name) and [naming.singular(w) for w in column.words[:-1]] in (entity, entity[-1:]):
        return 2
    if len(key.words) > 1 and naming.is_id_like(key.name) and column.words[-len(key.words):] == key.words \
            and key.prefix:  # 'ss_sold_date_sk' → date_dim's 'd_date_sk', 'c_current_addr_sk' → 'ca_address_sk'
        return 2
    return 0


def _names_parent(column: ColumnInfo, parent: TableInfo) -> bool:
    """'order_id' names 'orders' itself; 'order_payments', keyed by order too, is an extension
    of an order, and lines belong to the order."""
    return [naming.singular(w) for w in column.words[:-1]] == [naming.singular(w) for w in parent.words]


def _describes_some(connection: duckdb.DuckDBPyConnection, table: TableInfo, column: ColumnInfo,
                    parent: TableInfo) -> bool:
    """A table keyed by the very column another repeats, describing only some of its values
    (dunnhumby's hh_demographic for a third of the households that shop): nearly all of its
    keys (90%) are among the column's values, so the two name the same things."""
    assert parent.primary_key is not None
    if not naming.is_id_like(column.name) or parent.rows < 2 or parent.rows >= column.distinct:
        return False
    q = quote
    found = connection.execute(
        f"SELECT COUNT(*), COUNT(*) FILTER (WHERE c.v IS NULL) FROM "
        f"(SELECT DISTINCT {q(parent.primary_key)} AS k FROM {q(parent.name)} LIMIT {SAMPLE_ROWS}) p "
        f"LEFT JOIN (SELECT DISTINCT {q(column.name)} AS v FROM {q(table.name)}) c ON c.v = p.k").fetchone()
    return found is not None and int(found[0]) > 0 and int(found[1]) <= 0.1 * int(found[0])


def _lists_some(connection: duckdb.DuckDBPyConnection, table: TableInfo, column: ColumnInfo, parent: TableInfo,
                key: ColumnInfo) -> bool:
    """A table that lists some of another's entities by the same id: Superstore's 'Returns'
    sheet (Order ID, Returned) names the 8% of orders that came back. Its keys are all the
    other table's values, not the other way round; joined LEFT, an order not listed is not
    returned. Only for a column named exactly as the listing's key and text ids (numbers
    overlap by chance)."""
    if column.clean != key.clean or not column.text or not key.text or column.name == table.primary_key:
        return False
    return _contained(connection, parent.name, key.name, table.name, column.name)


def _contained(connection: duckdb.DuckDBPyConnection, table: str, column: str, parent: str, key: str) -> bool:
    """Every (sampled) non-empty value of ``table.column`` is a key of ``parent``."""
    q = quote
    found = connection.execute(
        f"SELECT COUNT(*), COUNT(*) FILTER (WHERE p.{q(key)} IS NULL) FROM "
        f"(SELECT DISTINCT {q(column)} AS v FROM {q(table)} WHERE {q(column)} IS NOT NULL LIMIT {SAMPLE_ROWS}) c "
        f"LEFT JOIN {q(parent)} p ON p.{q(key)} = c.v"
    ).fetchone()
    return found is not None and int(found[0]) > 0 and int(found[1]) == 0


# --- writing the model ----------------------------------------------------------------------

@dataclass
class _Writer:
    tables: list[TableInfo]
    report: list[str]
    dimensions: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    owners: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_name = {t.name: t for t in self.tables}
        self.by_clean = {t.clean: t for t in self.tables}

    def time_of(self, table: TableInfo, depth: int = 0) -> str | None:
        """The table's own main date/time column, else its parent's (lines → invoices)."""
        own = sorted((c for c in table.columns if c.temporal and not _audit_stamp(c)),
                     key=lambda c: (not ({"date", "time", "timestamp", "at"} & set(c.words)),
                                    bool({"birth", "end", "due", "updated", "hire", "status"} & set(c.words)),
                                    c.nulls > 0,  # Shopify's 'Paid at', blank on unpaid orders: 'Created at'
                                    not {"created", "creation", "placed", "purchase", "order"} & set(c.words),
                                    table.columns.index(c)))
        if own and not (set(own[0].words) & {"birth", "hire"}) and not (
                set(own[0].words) & _DEADLINES and self.parent_time(table, depth)):
            return f"{table.clean}.{own[0].clean}"
        return self.parent_time(table, depth)

    def parent_time(self, table: TableInfo, depth: int) -> str | None:
        """The time of the first parent that has one (an order line's order's date)."""
        if depth > 2:
            return None
        parents = sorted((parent for parent, _ in table.parents.values()),  # a line's order before its product
                         key=lambda parent: not self.is_header(self.by_name[parent]))
        for parent in parents:
            found = self.time_of(self.by_name[parent], depth + 1)
            if found:
                return found
        return None

    def is_calendar(self, table: TableInfo) -> bool:
        """A date dimension (dim_date): one row per distinct day. An event log whose timestamps
        all differ is no calendar: it points at its parents (the user of each event)."""
        return (any(c.temporal and c.distinct == table.rows and not c.timed for c in table.columns) and table.rows > 0
                and not table.parents)

    def standalone(self, table: TableInfo) -> bool:
        """No links either way: a flat file, the whole of what the user brought about it."""
        return not table.parents and not any(p == table.name for t in self.tables for p, _ in t.parents.values())

    def entity_words(self, table: TableInfo) -> list[str]:
        """What one row is: the table's words, a header's without 'header' (AdventureWorks'
        SalesOrderHeader is the orders) and a detail table's lines ('SalesOrderDetail')."""
        words = [naming.singular(w) for w in table.words] or ["row"]
        if set(table.words) <= _FILE_WORDS:  # Kaggle's train.csv says nothing of its rows: no 'trains'
            keyed = _keyed_entity(table.column(table.primary_key)) if table.primary_key else []
            words = keyed[-1:] if keyed and keyed[-1] not in _FILE_WORDS else ["record"]  # keyed by sessionId
        if set(words) <= _ABOUT_PEOPLE and _describes_people(table):
            return ["customer"]  # Starbucks' profile.json (gender, age, income): its rows are the customers
        if len(words) > 1 and words[-1] in _HEADER_WORDS:
            words = words[:-1]
        elif len(words) > 1 and words[-1] in {"detail", "dtl"}:
            words = [*words[:-1], "line"]  # 'order items' and 'order lines' keep their own names
        return _lines_of(table, words) or words

    def is_header(self, table: TableInfo) -> bool:
        """One row per purchase (an order, an invoice): its lines point at it."""
        return self.entity_words(table)[-1] in _HEADERS

    def claim_words(self, item: dict[str, Any], synonyms: list[str], table: TableInfo) -> None:
        """Labels beat synonyms: a label another item had as a synonym is taken from it; a
        label another item has as its label gets the table's name; synonyms already taken
        are left out. Every word then means one thing, as validation requires."""
        for key in ("label", "label_zh"):
            word = item[key].lower()
            owner = self.owners.get(word)
            if owner is not None and owner[1] == "synonym":
                owner[0]["synonyms"] = [w for w in owner[0].get("synonyms", []) if w.lower() != word]
            elif owner is not None:
                suffix = naming.label_en(table.words) if key == "label" else naming.label_zh(table.words)
                item[key] = f"{item[key]} ({suffix})"
            self.owners[item[key].lower()] = (item, "label")
        self.add_synonyms(item, synonyms)

    def add_synonyms(self, item: dict[str, Any], synonyms: list[str]) -> None:
        """More words for an item: those no other item has yet."""
        kept = list(item.get("synonyms", []))
        for word in dict.fromkeys(synonyms):
            if word and word.lower() not in self.owners:
                kept.append(word)
                self.owners[word.lower()] = (item, "synonym")
        if kept:
            item["synonyms"] = kept

    def add_ratio(self, name: str, numerator: str, denominator: str, fmt: str, label: str, label_zh: str,
                  description: str, synonyms: list[str], table: TableInfo) -> None:
        """A ratio metric of two drafted measures, under a name no other item has, with the
        words no other item has taken."""
        item: dict[str, Any] = {"name": _unique(naming.clean_name(name), self.used), "type": "ratio",
                                "numerator": numerator, "denominator": denominator, "format": fmt,
                                "label": label, "label_zh": label_zh, "description": description}
        self.claim_words(item, synonyms, table)
        self.metrics.append(item)

    def add_metric(self, name: str, measure: dict[str, Any], label: str, label_zh: str,
                   synonyms: list[str], description: str, fmt: str = "number",
                   table: TableInfo | None = None) -> None:
        metric_name = _unique(name, self.used)
        measure = {k: v for k, v in {**measure, "name": _unique(f"{metric_name}_m", self.used)}.items()
                   if not (k == "time" and v is None)}
        self.measures.append(measure)
        metric: dict[str, Any] = {"name": metric_name, "type": "simple", "measure": measure["name"],
                                  "format": fmt, "label": label, "label_zh": label_zh,
                                  "description": description}
        owner = table or self.by_clean[measure["table"]]
        self.claim_words(metric, synonyms, owner)
        self.metrics.append(metric)


def _model_data(tables: list[TableInfo], name: str, report: list[str]) -> dict[str, Any]:
    writer = _Writer(tables, report)
    ordered = sorted(tables, key=lambda t: -t.rows)
    timeless = _no_calendar(writer)
    for table in ordered:
        _table_measures(writer, table, timeless)
    for table in ordered:
        if writer.time_of(table) is None and not writer.standalone(table) and (
                not timeless or (_referenced(writer, table) and not writer.is_header(table))):
            _catalog_averages(writer, table)
    _payments_are_revenue(writer)
    for table in ordered:
        time = writer.time_of(table)
        if (time or (timeless and not writer.standalone(table))) and not (
                writer.is_calendar(table) and _referenced(writer, table)):
            _distinct_counts(writer, table, time)
    for table in ordered:
        _people_behind_keys(writer, table)
    for table in ordered:
        _per_parent_entity(writer, table)
    for table in ordered:
        _outcome_rate(writer, table)
        _spent_per_order(writer, table)
        _kpis_from_parts(writer, table)
        _funnel_ratios(writer, table)
        _rates_from_parts(writer, table)
        _event_rates(writer, table)
        _event_people(writer, table)
        _retention_rates(writer, table)
        _per_unit(writer, table)
        _profit_margin(writer, table)
        _lead_time(writer, table)
    for table in ordered:
        _void_rows(writer, table)
    for table in ordered:  # from the average order value drafted on it, of the orders that were paid
        _per_customer(writer, table)
        _orders_per_customer(writer, table)
    _all_dimensions(writer, ordered, timeless)
    _reached_phrases(writer)
    _window_synonyms(writer)
    _balance_synonyms(writer)
    untimed = [t.name for t in tables if writer.time_of(t) is None and t.parents]
    if timeless:
        report.append("No calendar date in any table: counts and sums are drafted over all rows, and "
                      "questions about a period ('last month', '2024') are declined.")
    elif untimed:
        report.append(f"{len(untimed)} table(s) with no date of their own or of a parent, so nothing on "
                      f"them is summed or counted by itself: {', '.join(untimed)}.")
    return {
        "name": name,
        "description": "Drafted by genbi model draft; review labels, synonyms and measures.",
        "tables": [_table(t) for t in tables],
        "dimensions": writer.dimensions,
        "measures": writer.measures,
        "metrics": writer.metrics,
    }


def _all_dimensions(writer: _Writer, ordered: list[TableInfo], timeless: bool) -> None:
    """Every column's dimensions, then the things known by number only (once every name is taken)."""
    for table in ordered:
        for column in table.columns:
            _column_dimensions(writer, table, column, timeless)
    for table in ordered:
        _numbered_things(writer, table)


def _column_dimensions(writer: _Writer, table: TableInfo, column: ColumnInfo, timeless: bool) -> None:
    _dimension(writer, table, column)
    _happened_flag(writer, table, column)
    _became(writer, table, column)
    if ((writer.standalone(table) or timeless) and writer.time_of(table) is None) or _is_rating(column):
        _number_dimension(writer, table, column)
    elif writer.time_of(table) is not None and not writer.standalone(table) and naming.is_id_like(column.name) \
            and 1 < column.distinct <= MAX_CATEGORY_VALUES // 2:
        _id_dimension(writer, table, column)  # H&M's 'sales_channel_id' 1/2 on transactions that link customers
    elif writer.standalone(table) and writer.time_of(table) is not None:
        _id_dimension(writer, table, column)
        if _names_a_kind(column) and not naming.is_id_like(column.name) \
                and 1 < column.distinct <= MAX_CATEGORY_VALUES // 2:
            _number_dimension(writer, table, column)  # Avazu's 'device_type' 0/1/4/5 on dated rows: "CTR by device type"


_EVENT_WORDS = {"event", "action", "activity", "interaction", "behavior", "behaviour", "hit"}
_ACTION_VALUES = {"view", "page_view", "pageview", "click", "cart", "add_to_cart", "addtocart", "remove_from_cart",
                  "purchase", "checkout", "begin_checkout", "transaction", "order", "login", "signup", "search",
                  "session_start", "first_visit", "wishlist", "add_to_wishlist", "view_item", "impression",
                  "pv", "fav", "buy", "favorite", "collect"}  # Taobao's behavior_type: pv, cart, fav, buy
_BOUGHT_VALUES = ("purchase", "transaction", "order", "buy", "checkout_complete", "order_completed", "purchased")


def _event_column(table: TableInfo) -> ColumnInfo | None:
    """What each row of an event log is ('event_type': view, cart, purchase): a short list of
    text values named as events or actions, or that are actions a visitor takes."""
    for column in table.columns:
        values = {str(v).strip().lower() for v in column.values if isinstance(v, str)}
        if not column.text or not 2 <= len(values) <= 30:
            continue
        if set(column.words) & _EVENT_WORDS or len(values & _ACTION_VALUES) >= 2:
            return column
    return None


def _event_log(writer: _Writer, table: TableInfo, time: str | None) -> None:
    """One row per thing a visitor did (REES46's events: view, cart, remove_from_cart,
    purchase): the rows are the events counted; with a price on every row and a purchase
    event, revenue is the price of the purchases only (a viewed item's price was never paid),
    and the buyers are the people with a purchase, not everyone who looked."""
    column = _event_column(table)
    if column is None or time is None or table.primary_key or table.parents or _points_ledger(table):
        return
    entity = writer.entity_words(table)
    noun = naming.plural(entity[-1]) if entity[-1] not in ("row", "record") else "events"
    writer.add_metric(naming.clean_name(noun), {"table": table.clean, "agg": "count", "expr": "1", "time": time},
                      naming.label_en([noun]), naming.count_label_zh([naming.singular(noun)]),
                      [f"number of {noun}", f"{naming.singular(noun)} count", f"# of {noun}", "events",
                       "number of events", "事件数", "事件次数", "行为次数"],
                      f"Number of {table.name} rows (one event each).")
    actions = [v for v in column.values if isinstance(v, str) and v.strip()]
    for value in actions if len(actions) <= 8 else []:  # "purchases per view", "加购次数"
        words = naming.words(value)
        zh = naming.value_zh(value)
        plural = " ".join([*words[:-1], naming.plural(words[-1])])
        writer.add_metric(naming.clean_name(f"{value} events"),
                          {"table": table.clean, "agg": "count", "time": time,
                           "expr": f"CASE WHEN {column.clean} = '{value.replace(chr(39), chr(39) * 2)}' THEN 1 END"},
                          naming.label_en([*words, "events"]), f"{zh}次数" if zh else f"{value} 次数",
                          [plural, f"number of {plural}", f"{' '.join(words)} count", f"{' '.join(words)} events",
                           *(w for w in naming.value_synonyms(value) if not _done_phrase(w)),
                           *([f"{zh}次数", f"{zh}数", f"{zh}量"] if zh else [])],
                          f"Number of {table.name} rows where {column.name} is '{value}'.")
    bought = next((v for v in actions if v.strip().lower() in _BOUGHT_VALUES), None)
    if bought is None:
        return
    said = "'" + bought.replace("'", "''") + "'"
    counted = {m["expr"]: m["name"] for m in writer.measures if m["table"] == table.clean and m["agg"] == "count"}
    viewed = next((v for v in actions if v.strip().lower() in ("view", "page_view", "pageview", "view_item", "pv")),
                  None)
    numerator = counted.get(f"CASE WHEN {column.clean} = {said} THEN 1 END")
    denominator = counted.get(f"CASE WHEN {column.clean} = '{viewed}' THEN 1 END") if viewed else None
    if numerator and denominator and "purchases_per_view" not in writer.used:
        writer.used.add("purchases_per_view")
        item: dict[str, Any] = {"name": "purchases_per_view", "type": "ratio", "numerator": numerator,
                                "denominator": denominator, "format": "percent", "label": "Purchases per view",
                                "label_zh": "浏览购买转化率",
                                "description": f"'{bought}' events divided by '{viewed}' events on {table.name} "
                                               "(derived by the drafter)."}
        writer.claim_words(item, ["purchase events per view", "view to purchase rate", "view-to-purchase rate",
                                  "view to purchase conversion", "view-to-purchase conversion rate",
                                  "浏览到购买转化率", "浏览购买率"], table)
        writer.metrics.append(item)
    money = [c for c in table.columns if c.numeric and not naming.is_id_like(c.name)
             and {naming.singular(w) for w in c.words} & _MONEY]
    if len(money) == 1:
        writer.add_metric("revenue", {"table": table.clean, "agg": "sum", "time": time,
                                      "expr": f"CASE WHEN {column.clean} = {said} THEN {money[0].clean} END"},
                          "Revenue", "销售额", [*_SALES_WORDS, "sales", "total sales", "total revenue", "purchase value",
                                                "销售额", "总销售额", "gmv"],
                          f"{table.name}.{money[0].name} of the rows where {column.name} is {said} (derived by "
                          "the drafter: the other events' prices were not paid).", "currency")
    people = [c for c in table.columns if naming.is_id_like(c.name) and set(_keyed_entity(c)) & _PERSON]
    if len(people) == 1:
        writer.add_metric("buyers", {"table": table.clean, "agg": "count_distinct", "time": time,
                                     "expr": f"CASE WHEN {column.clean} = {said} THEN {people[0].clean} END"},
                          "Buyers", "购买人数", ["buyers", "purchasers", "users who bought", "users bought",
                                                "users purchased", "users who purchased", "users made a purchase",
                                                "users who made a purchase", "users that made a purchase",
                                                "买家数", "购买用户数", "用户购买了", "购买过的用户数"],
                          f"Distinct {people[0].name} with a {said} event (derived by the drafter).")


def _done_phrase(word: str) -> bool:
    """'viewed', 'added to cart', 'bought': what was done to a thing, which filters the things
    ("items viewed" are items with a view), never the count of the events themselves."""
    first = word.split()[0] if word.split() else ""
    return first.isascii() and (first.endswith("ed") or first in ("bought", "made"))


_CARTED = ("added to cart", "加购", ("加入购物车", "加入了购物车", "加购了", "加过购"))
_FAVED = ("favorited", "收藏", ("收藏了", "收藏过"))
_VIEWED = ("viewed", "浏览", ("浏览了", "浏览过"))
_DONE_BY = {"cart": _CARTED, "add_to_cart": _CARTED, "addtocart": _CARTED, "fav": _FAVED, "favorite": _FAVED, "wishlist": _FAVED,
            "view": _VIEWED, "pv": _VIEWED, "page_view": _VIEWED, "click": ("clicked", "点击", ("点击了", "点击过"))}
"""What a person did in an event of each kind, said after 'users who' ("users who added to cart")."""


def _event_roles(tables: list[TableInfo], data: dict[str, Any]) -> dict[str, str]:
    """The event roles of one event log with a person on each event and a time (Taobao's
    UserBehavior, REES46's events): the funnel runs on it. A session column is each event's
    session ('user_session'), else the person is (a user's events over the log are one path)."""
    for table in tables:
        column = _event_column(table)
        people = [c for c in table.columns if naming.is_id_like(c.name) and set(_keyed_entity(c)) & _PERSON]
        counted = next((m for m in data.get("measures", []) if m["table"] == table.clean and m["agg"] == "count"
                        and m["expr"] == "1" and m.get("time") and not m.get("filter")), None)
        if column is None or len(people) != 1 or counted is None or table.primary_key:
            continue
        session = next((c for c in table.columns if c.words and c.words[-1] == "session"), people[0])
        name = table.clean
        return {"event_entity": name, "event_customer": f"{name}.{people[0].clean}",
                "event_session": f"{name}.{session.clean}", "event_name": f"{name}.{column.clean}",
                "event_time": str(counted["time"])}
    return {}


def _event_people(writer: _Writer, table: TableInfo) -> None:
    """An event log's people (Taobao's user_behavior: user_id on each pv, cart, fav, buy): the
    users are its active users; the events per user and the share of users who bought are
    ratios of what it counts; the users who did each kind of thing are counted apart ("users
    who added to cart", 加购人数)."""
    column = _event_column(table)
    people = [c for c in table.columns if naming.is_id_like(c.name) and set(_keyed_entity(c)) & _PERSON]
    if column is None or len(people) != 1 or table.primary_key or _points_ledger(table):
        return
    person = people[0]
    mine = [m for m in writer.measures if m["table"] == table.clean and not m.get("filter")]
    events = next((m for m in mine if m["agg"] == "count" and m["expr"] == "1"), None)
    users = next((m for m in mine if m["agg"] == "count_distinct" and m["expr"] == person.clean), None)
    buyers = next((m for m in mine if m["agg"] == "count_distinct" and m["expr"].startswith("CASE")), None)
    if events is None or users is None:
        return
    noun = naming.plural(_keyed_entity(person)[-1])
    zh_who = naming.label_zh(_keyed_entity(person)[-1:]) or "用户"
    counted = next((x for x in writer.metrics if x.get("measure") == users["name"]), None)
    if counted is not None:
        writer.add_synonyms(counted, [f"active {noun}", f"活跃{zh_who}", f"活跃{zh_who}数"])
    time = events.get("time")

    def ratio(name: str, numerator: dict[str, Any], label: str, zh: str, words: list[str], note: str) -> None:
        if name in writer.used:
            return
        writer.used.add(name)
        item: dict[str, Any] = {"name": name, "type": "ratio", "numerator": numerator["name"],
                                "denominator": users["name"], "format": "percent" if "share" in name else "number",
                                "label": label, "label_zh": zh, "description": f"{note} (derived by the drafter)."}
        writer.claim_words(item, words, table)
        writer.metrics.append(item)

    bought = next((x for x in writer.metrics if buyers is not None and x.get("measure") == buyers["name"]), None)
    if bought is not None:  # RetailRocket's visitors: "how many visitors made a purchase"
        writer.add_synonyms(bought, [f"{noun} who {verb}" for verb in _BOUGHT_VERBS]
                            + [f"{noun} {verb}" for verb in _BOUGHT_VERBS] + [f"{noun} that purchased"])
    one = naming.singular(noun)
    ratio(f"events_per_{one}", events, f"Events per {one}", "人均事件数",
          [f"events per {one}", f"average events per {one}", f"average number of events per {one}",
           f"actions per {one}", "人均行为次数", f"人均{zh_who}行为数"],
          f"{table.name} rows divided by distinct {person.name}")
    if buyers is not None:
        ratio(f"share_of_{noun}_who_purchased", buyers, f"Share of {noun} who purchased", f"购买{zh_who}占比",
              [f"share of {noun} who purchased", f"share of {noun} who made a purchase",
               f"share of {noun} made a purchase", f"share of {noun} that purchased", f"share of {noun} who bought",
               f"% of {noun} who purchased", f"{one} purchase rate", f"{one} conversion rate",
               f"{zh_who}购买率", f"{zh_who}转化率", f"购买{zh_who}比例"],
              f"Distinct {person.name} with a purchase divided by all distinct {person.name}")
    for value in (v for v in column.values if isinstance(v, str)):
        done = _DONE_BY.get(value.strip().lower())
        if done is None:
            continue
        said = value.replace("'", "''")
        writer.add_metric(naming.clean_name(f"{noun} who {done[0]}"),
                          {"table": table.clean, "agg": "count_distinct", "time": time,
                           "expr": f"CASE WHEN {column.clean} = '{said}' THEN {person.clean} END"},
                          naming.label_en([noun, "who", *done[0].split()]), f"{done[1]}人数",
                          [f"{noun} who {done[0]}", f"{noun} {done[0]}", f"{noun} that {done[0]}",
                           f"number of {noun} who {done[0]}", f"{done[1]}{zh_who}数", f"{done[1]}的{zh_who}数",
                           *(f"{zh_who}{verb}" for verb in done[2])],
                          f"Distinct {person.name} with a '{value}' event (derived by the drafter).", table=table)


_BOUGHT_VERBS = ["purchased", "made a purchase", "bought", "bought something", "made purchases"]


def _table_measures(writer: _Writer, table: TableInfo, timeless: bool) -> None:
    """A table's own counts and amounts, on its time (none when the data has no calendar)."""
    time = writer.time_of(table)
    if time is None and not (timeless and not writer.standalone(table)):
        _undated(writer, table)
        return
    if writer.is_calendar(table) and _referenced(writer, table):
        return  # a date dimension's month and day numbers are no amounts
    if time is None and _referenced(writer, table) and not writer.is_header(table):
        _row_count(writer, table, None)  # with no calendar, a catalog is counted; its stock and prices
        return  # are averaged below ('units sold' is never the units in stock)
    _row_count(writer, table, time)
    _event_log(writer, table, time)
    _amounts(writer, table, time)
    _wide_total(writer, table, time)
    _flag_rates(writer, table, time)
    _win_rate(writer, table, time)


def _no_calendar(writer: _Writer) -> bool:
    """Linked tables none of which has a calendar date (Instacart's orders with only a day of
    the week, dunnhumby's day numbers): every count and sum is drafted without a time, so
    questions about a period are declined rather than left with nothing to answer."""
    linked = [t for t in writer.tables if not writer.standalone(t)]
    return bool(linked) and not any(writer.time_of(t) for t in writer.tables)


def _row_count(writer: _Writer, table: TableInfo, time: str | None) -> None:
    """What a dated table's rows are, counted: customers (one a row, by the day each joined),
    the entity its key names, or an order's payments or items (no key of their own, one a row)."""
    if table.primary_key and writer.standalone(table) and _describes_people(table) \
            and not writer.is_calendar(table):
        _snapshot_count(writer, table, time)
    elif (table.primary_key and not writer.is_calendar(table)) or (
            table.parents and not any(set(c.words) & _QUANTITY for c in table.columns if c.numeric)):
        _entity_count(writer, table, time)
    elif writer.standalone(table) and not table.primary_key and _points_ledger(table):
        _entity_count(writer, table, time)  # a points ledger's entries: "how many redemptions"
        writer.add_synonyms(writer.metrics[-1], ["entries", "transactions", "number of transactions",
                                                 "transaction count", "交易笔数", "记录数"])
    elif writer.standalone(table) and writer.entity_words(table)[-1] in _EVENT_ROWS \
            and not any(set(c.words) & _QUANTITY for c in table.columns if c.numeric):
        _entity_count(writer, table, time)  # 'hotel_bookings' with no id: a row is a booking,
        entity = writer.entity_words(table)  # and the whole of what was brought: "how many bookings"
        noun = naming.plural(entity[-1])
        writer.add_synonyms(writer.metrics[-1], [noun, f"number of {noun}", f"{noun} count",
                                                 naming.count_label_zh(entity[-1:])])


_LEDGER_UNITS = {"points", "point", "credits", "credit", "miles", "stars", "coins", "tokens", "delta", "change"}


def _points_ledger(table: TableInfo) -> bool:
    """A ledger of points (a loyalty program's earn / redeem / expire entries): a count of points
    signed by its direction, some entries adding, some taking away. Its kinds of entry are values
    to filter by ('points earned'), not events each counted apart."""
    return any(c.signed and set(c.words) & _LEDGER_UNITS for c in table.columns)


def _keyed_entity(column: ColumnInfo) -> list[str]:
    return [naming.singular(w) for w in column.words if w not in ("id", "key", "no", "code", "number", "uuid", "guid")]


def _named_by_parent(writer: _Writer, table: TableInfo) -> bool:
    """A keyless table named as the entity one of its parents is keyed by (dunnhumby's
    campaign_table: a row per campaign and household, pointing at campaign_desc keyed by
    CAMPAIGN): its rows are not those entities, the parent's are."""
    entity = writer.entity_words(table)
    return not table.primary_key and any(
        (keyed := _keyed_entity(writer.by_name[p].column(k))) and keyed[-1] == naming.singular(entity[-1])
        for p, k in table.parents.values())


_ITEM_WORDS = ["items", "items ordered", "order items", "line items", "number of items", "products ordered",
               "times ordered", "number of times ordered", "订购数", "订购次数", "商品订购数",
               "items purchased", "订单商品数", "商品件数"]


_HOLDERS = {"subscription": ["subscribers", "number of subscribers", "subscriber count", "订阅者", "订阅用户", "订阅人数"],
            "membership": ["members", "number of members", "member count", "会员数"]}
"""Who holds each row of a file of subscriptions or memberships: one row each, so counting the rows counts them."""


def _new_keyed(writer: _Writer, count: dict[str, Any], entity: list[str], keyed: list[str]) -> None:
    """A file named for its app ('recurly_export') whose key says what a row is ('Subscription
    ID'): its rows counted on the day each began are the new subscriptions, held by subscribers."""
    if not keyed or keyed[-1] == entity[-1] or keyed[-1] not in _HOLDERS:
        return
    writer.add_synonyms(count, [f"new {naming.plural(keyed[-1])}", *_HOLDERS[keyed[-1]], naming.plural(keyed[-1]),
                                *naming.count_words_zh(naming.count_label_zh(keyed[-1:]))])


def _entity_count(writer: _Writer, table: TableInfo, time: str | None) -> None:
    entity = writer.entity_words(table)
    if entity[-1] in _TRANSACTIONS:  # fact_sales: count 'sales transactions', not 'sales'
        entity = [*entity, "transaction"] if entity[-1] != "transaction" else entity
    if _named_by_parent(writer, table):
        entity = [*entity, "record"]
    noun = naming.plural(entity[-1])
    label = naming.label_en([*entity[:-1], noun])
    zh = naming.count_label_zh(entity)
    key = table.column(table.primary_key).clean if table.primary_key else "1"
    writer.add_metric(
        naming.clean_name(" ".join([*entity[:-1], noun])),
        {"table": table.clean, "agg": "count", "expr": key, "time": time},
        label, zh, [f"number of {label.lower()}", f"{' '.join(entity)} count", f"# of {label.lower()}",
                    *naming.count_words_zh(zh), *naming.glossary_synonyms(entity)],
        f"Number of {table.name} rows.")
    count = writer.metrics[-1]
    writer.add_synonyms(count, _HOLDERS.get(entity[-1], []))  # a file of subscriptions: "subscribers by country"
    parents = {naming.singular(w) for p, _ in table.parents.values() for w in writer.by_name[p].words}
    named = {" ".join(naming.singular(w) for w in t.words) for t in writer.by_name.values() if t is not table}
    heads = [naming.singular(w) for t in writer.by_name.values() if t is not table for w in writer.entity_words(t)[-1:]]
    keyed_as = _keyed_entity(table.column(table.primary_key)) if table.primary_key else []
    if len(entity) > 1 and entity[-1] not in named and (entity[0] in parents or (
            entity[-1] in _EVENT_ROWS and entity[-1] not in heads) or (
            keyed_as[-1:] == entity[-1:] and entity[-1] not in heads)):
        # ... and a table whose key names its rows (marketing_campaign_dataset keyed by Campaign_ID): "campaigns"
        # an order's reviews: "how many reviews"; Olist's marketing qualified leads, closed deals: "leads", "deals"
        writer.add_synonyms(count, [noun, f"number of {noun}", f"{noun} count", naming.count_label_zh(entity[-1:])])
        if len(entity) == 2 and entity[0].endswith("ed"):  # closed deals: "deals closed", "deals were closed"
            writer.add_synonyms(count, [f"{noun} {entity[0]}", f"{noun} were {entity[0]}", f"{noun} {entity[0]} count"])
    paired = entity[-1] == "record" and _named_by_parent(writer, table)  # order_products: an (order, product) pair
    if not table.primary_key and not {"item", "line", "detail", "record"} & set(entity[:-1] if paired else entity) \
            and len(table.parents) > 1 \
            and any(writer.is_header(writer.by_name[p]) for p, _ in table.parents.values()):
        writer.add_synonyms(count, _ITEM_WORDS)  # Instacart's order_products__prior: a row per item ordered
    if not table.primary_key:
        _done_words(writer, count, table, time, noun, label)  # hotel_bookings by arrival date: "bookings arrived"
        return
    keyed = _keyed_entity(table.column(table.primary_key))
    counted_elsewhere = time is None and keyed and keyed[-1] in _PERSON and any(
        p == table.name for t in writer.tables for p, _ in t.parents.values())  # households: on the facts
    plain = keyed and (keyed[-1] not in _TRANSACTIONS or keyed[-1] == "transaction")  # never 'sales' counted
    if plain and keyed[-1] != entity[-1] and not counted_elsewhere and not any(keyed[-1] in (naming.singular(w) for w in t.words)
                                                                          for t in writer.by_name.values()
                                                                          if t is not table and not _named_by_parent(writer, t)):
        # subscriptions keyed by user_id: one row per user, so "users" counts them; a points ledger
        # keyed by 'Txn ID': "how many transactions", 8月有多少笔交易
        writer.add_synonyms(count, [naming.plural(keyed[-1]), f"number of {naming.plural(keyed[-1])}",
                                    *(naming.count_words_zh(naming.count_label_zh(keyed[-1:]))
                                      if keyed[-1] in _HEADERS or keyed[-1] == "transaction" else [])])
        # 订单明细 keyed by 订单编号: 订单数
    if entity[-1] in _HEADERS:
        writer.add_synonyms(count, _HEADER_SYNONYMS)
    if time is None:
        return
    _done_words(writer, count, table, time, noun, label)
    if _begins(table, time):  # rows counted on the day they began: "new contacts", "新增线索"
        people = zh.removesuffix("数")
        writer.add_synonyms(count, [f"new {label.lower()}", f"{label.lower()} created", f"{label.lower()} added",
                                    f"{label.lower()} were created", f"{label.lower()} were added",  # "how many deals were created"
                                    f"新增{people}", f"新{people}", f"新增{people}数"])
        _new_keyed(writer, count, entity, keyed)
        became = [naming.singular(w) for w in time.split(".", 1)[1].split("_")]
        for noun in [w for w in became if w in _PERSON and w != entity[-1]][:1]:
            # customers by 'became_member_on': the new members, 每年新增会员数
            zh_noun = naming.count_label_zh([noun]).removesuffix("数")
            writer.add_synonyms(count, [f"new {naming.plural(noun)}", naming.plural(noun),
                                        f"number of {naming.plural(noun)}", f"新增{zh_noun}", f"新增{zh_noun}数",
                                        f"新{zh_noun}", f"{zh_noun}数"])
    signed_up = {"signup", "sign", "registration", "registered", "register", "joined", "join"}
    if _begins(table, time) and (set(entity) & _PERSON or signed_up & set(time.split(".", 1)[1].split("_"))):
        # people, or rows that begin when someone signs up (subscriptions by signup_date)
        writer.add_synonyms(count, _signup_words(label.lower(), zh))


def _done_words(writer: _Writer, count: dict[str, Any], table: TableInfo, time: str | None, noun: str,
                label: str) -> None:
    """Rows counted by a date that says what was done with each (Mailchimp's 'Send Date':
    "campaigns sent"; a booking's arrival date: "bookings arrived")."""
    if time is None:
        return
    done = next((_SENT[w] for w in time.split(".", 1)[1].split("_") if w in _SENT), None)
    if done and time.split(".", 1)[0] == table.clean:
        writer.add_synonyms(count, [f"{noun} {done}", f"{label.lower()} {done}", f"number of {noun} {done}", done])


_SENT = {"send": "sent", "sent": "sent", "publish": "published", "published": "published", "post": "posted",
         "posted": "posted", "launch": "launched", "launched": "launched", "won": "won", "closed": "closed",
         "close": "closed", "signed": "signed", "arrival": "arrived", "arrive": "arrived", "arrived": "arrived"}
"""A row's date that says what was done with it (Mailchimp's 'Send Date'): its rows counted are those sent."""


def _begins(table: TableInfo, time: str) -> bool:
    """The table's time is when each row's entity began (a signup / created / joined date)."""
    column = time.split(".", 1)[1]
    return time.split(".", 1)[0] == table.clean and any(
        c.clean == column and set(c.words) & (_JOIN_EVENTS | _START_WORDS) for c in table.columns)


_START_WORDS = {"start", "started", "began", "begin", "subscribed", "activated", "activation"}
"""A row's date that says when it began ('start_date' of a subscription): its rows counted are the new ones."""


_SALES_WORDS = ["sales", "revenue", "amount", "turnover", "gmv", "销售金额", "收入", "营收", "营业额", "金额", "成交额",
                "销售额"]


def _names_sales(writer: _Writer, table: TableInfo) -> bool:
    """A column of any table already says it holds sales ("revenue", "sales", "amount"); a code
    of the sales ('sales_channel_id' 1/2 on H&M's transactions) holds none."""
    return any(set(c.words) & {"revenue", "sales", "amount", "turnover", "gmv"}
               for t in writer.by_name.values() for c in t.columns if c.numeric and not naming.is_id_like(c.name))


def _signup_words(label: str, zh: str) -> list[str]:
    people = zh.removesuffix("数")
    return ["signed up", "sign ups", "signups", "sign-ups", "new sign-ups", "new signups", "new sign ups",
            "joined", "registered", "registrations", "new registrations", f"new {label}",
            f"{label} signed up", f"{label} who signed up", f"{label} joined", f"{label} who joined",
            f"{label} registered", "注册", "新注册", "注册数", "注册人数", "新注册人数", f"新{people}", f"新{people}数",
            f"注册{people}数", f"新注册{people}"]


def _amounts(writer: _Writer, table: TableInfo, time: str | None) -> None:
    quantity = price = None
    has_amount = False
    for column in table.columns:
        if not _is_measure(table, column):
            continue
        words = column.words
        kind = set(words)
        if kind & _QUANTITY:
            quantity = column
        if "price" in kind and price is None and not kind & _CHARGES:  # 'UnitPrice', not 'UnitPriceDiscount'
            price = column
        if kind & (_MONEY - {"price"}) or _is_order_total(writer, table, words) or "extended" in kind:
            has_amount = True  # 'LineTotal', an 'Extended Price' (price × quantity): the line's sale
        averaged = bool(kind & _AVERAGED - ({"price"} if "extended" in kind else set())) \
            or "/" in column.name or "per" in kind or naming.said_as_rate_zh(column.name) \
            or (column.fraction and not kind & (_MONEY | _QUANTITY))  # "Cost / conv.", a 0.2 'Discount': rates
        agg = "avg" if averaged else "sum"
        base = _amount_words(words, table)
        said_average = bool(base) and base[0] in ("average", "avg", "mean")  # 'adr': average daily rate
        label = naming.label_en((["average"] if averaged and not said_average else []) + base)
        zh = ("平均" if averaged and not said_average else "") + naming.label_zh(base)
        per = _per_period(words, base)
        synonyms = [" ".join(base), column.name.lower(), *naming.glossary_synonyms(base), *_without_own(base, table),
                    *(per if not averaged else [f"average {w}" for w in per])]
        head = _named_head(base)
        others = {naming.singular(w) for c in table.columns if c is not column for w in c.words}
        if head and len(head) < len(base) and not {naming.singular(w) for w in head} & (
                {naming.singular(w) for w in table.words} | (others if len(head) == 1 else set())):
            # "Discount amount" is what "discount(s)" asks for; "claims" stays the claims counted,
            # "conversions" the Conversions column, not its "Conversion value"
            synonyms += [" ".join(head), " ".join([*head[:-1], naming.plural(head[-1])])]
            bare_zh = naming.label_zh(head)
            if bare_zh and bare_zh != zh and len(bare_zh) >= 2:
                synonyms.append(bare_zh)  # "折扣" for 折扣金额
        elif [naming.singular(w) for w in head if w != "extended"] == ["sale"] and not averaged:
            # a sales table's amount: its rows are counted as "sale transactions", so "sales" is the money
            synonyms += ["sales", "sales amount", "销售额"]
        if words[0] == "amount" and len(base) < len(words):  # 'MntWines': what was spent on wines
            thing = " ".join(base)
            synonyms += [f"{thing} spend", f"spend on {thing}", f"amount spent on {thing}", f"spending on {thing}",
                         f"{naming.label_zh(base)}消费", f"{naming.label_zh(base)}花费"]
        if averaged:
            synonyms += [f"avg {' '.join(base)}", f"mean {' '.join(base)}"]
        else:
            synonyms += [f"total {' '.join(base)}", f"{' '.join(base)} total", f"总{naming.label_zh(base)}",
                         *_zh_totals(column.name), *_zh_totals(zh)]
        synonyms += _kind_synonyms(kind, base, table)
        synonyms += _paid_words(column, averaged)
        if "extended" in kind and not averaged and not _names_sales(writer, table):
            synonyms += _SALES_WORDS  # an ERP's 'Extended Price' with no sales column: the sales
        money = bool((kind | {naming.singular(w) for w in kind}) & _MONEY) or _is_order_total(writer, table, words)
        bought = not money and _purchase_amount(column)  # Black Friday's 'Purchase': each one's amount
        money = money or bought
        synonyms += _purchase_amount_words(base, averaged) if bought else []
        if money:
            synonyms += _money_words(writer, table, words, base, averaged)
        fmt = "currency" if money else "number"
        name = column.clean if column.clean not in writer.used else f"{table.clean}_{column.clean}"
        writer.add_metric(("avg_" if averaged else "") + name,
                          {"table": table.clean, "agg": agg, "expr": column.clean, "time": time},
                          label, zh, synonyms, f"{'Average' if averaged else 'Sum'} of {table.name}.{column.name}.", fmt)
        people = time is None or _describes_people(table)
        per_person = writer.standalone(table) and (people or _one_event_a_row(writer, table))
        if (money or per_person) and not averaged:  # a flat file of customers: a row is one customer
            writer.add_metric(f"avg_{name}", {"table": table.clean, "agg": "avg", "expr": column.clean, "time": time},
                              naming.label_en(["average", *base]), "平均" + naming.label_zh(base),
                              [f"avg {' '.join(base)}", f"mean {' '.join(base)}", f"{' '.join(base)} per row",
                                *_paid_words(column, averaged=True),
                               *([f"average {' '.join(base)} amount", f"avg {' '.join(base)} amount",
                                  f"平均{naming.label_zh(base)}金额"] if _purchase_amount(column) else []),
                               *_per_row_words(writer, table, base),
                               *([f"人均{naming.label_zh(base)}"] if money or people else []),
                               *(f"{how} {w}" for w in per for how in ("average", "average number of", "avg"))],
                              f"Average of {table.name}.{column.name} per row.", fmt)
    _derived_sales(writer, table, time, quantity, price, has_amount)


def _purchase_amount(column: ColumnInfo) -> bool:
    """A column named only for a purchase ('Purchase', 'Sale', 'Payment') holding more different
    numbers than a count would (a customer's purchases are a few dozen at most): each one's amount."""
    words = [naming.singular(w) for w in column.words]
    return len(words) == 1 and words[0] in {"purchase", "sale", "payment", "spend"} \
        and column.numeric and not column.fraction and column.distinct > MAX_CATEGORY_VALUES


def _per_row_words(writer: _Writer, table: TableInfo, base: list[str]) -> list[str]:
    """A row's average said per what a row is: "average pageviews per session" on sessions."""
    row = writer.entity_words(table)[-1]
    if row in ("record", "row") or set(base) & {row, naming.plural(row)}:
        return []
    said = " ".join(base)
    return [f"{said} per {row}", f"average {said} per {row}", f"avg {said} per {row}",
            f"每{naming.label_zh([row])}{naming.label_zh(base)}", f"平均每{naming.label_zh([row])}{naming.label_zh(base)}"]


def _zh_totals(name: str) -> list[str]:
    """'退款总金额', '手续费总额', '总手续费': the ways a total of a Chinese amount is asked."""
    name = name.strip()
    if not naming.is_chinese(name):
        return []
    stem = name.removesuffix("金额") if name.endswith("金额") else name.removesuffix("额")
    return [f"{stem}总金额", f"{stem}总额", f"总{name}"] if (stem and stem != name) or name.endswith("费") else []


def _purchase_amount_words(base: list[str], averaged: bool) -> list[str]:
    noun, zh = " ".join(base), naming.label_zh(base)
    words = [f"{noun} amount", f"{noun} value", f"{noun}s", "amount spent", "spend", "spending", f"{zh}金额",
             "消费金额", "消费"]
    return words if averaged else [*words, f"total {noun} amount", f"{noun} total amount", f"总{zh}金额"]


def _one_event_a_row(writer: _Writer, table: TableInfo) -> bool:
    """A keyless file named for what each row is ('hotel_bookings'): a row per booking, so
    "average lead time" is each number's average per row. Not an export of order lines
    (Shopify's '#1001' repeated on each line of an order). A keyed file is one when its key
    names what its rows are."""
    if table.primary_key:  # keyed by its own rows' id (Campaign_ID of a campaigns file): a row per campaign;
        # not a sale or an order (its money per row is the order value the draft derives on its own)
        entity = naming.singular(writer.entity_words(table)[-1])
        return entity not in _TRANSACTIONS | _HEADERS and _keyed_entity(table.column(table.primary_key))[-1:] == [entity]
    return writer.entity_words(table)[-1] in _EVENT_ROWS and not any(c.numbered for c in table.columns)


def _derived_sales(writer: _Writer, table: TableInfo, time: str | None, quantity: ColumnInfo | None,
                   price: ColumnInfo | None, has_amount: bool) -> None:
    """Sales from an order line's quantity and price (net of a fractional discount), or from
    the price alone when each row is one item sold."""
    if quantity is not None and price is not None and not has_amount:
        expr, said = f"{quantity.clean} * {price.clean}", f"{table.name}.{quantity.name} × {table.name}.{price.name}"
        discount = _line_discount(table)
        if discount is not None:  # Northwind's order lines: sales are net of each line's discount
            expr, said = f"{expr} * (1 - COALESCE({discount.clean}, 0))", f"{said} × (1 − {table.name}.{discount.name})"
        writer.add_metric(
            "sales_amount",
            {"table": table.clean, "agg": "sum", "expr": expr, "time": time,
             "description": f"{said.replace(table.name + '.', '')}, summed."},
            "Sales amount", "销售额", _SALES_WORDS,
            f"Sales amount: {said} (derived by the drafter).",
            "currency")
    elif quantity is None and price is not None and table.parents and not _names_sales(writer, table):
        # One row per item sold (an order's lines, no quantity): each price is that line's sale.
        writer.add_metric(
            "sales_amount" if "sales_amount" not in writer.used else f"{table.clean}_sales_amount",
            {"table": table.clean, "agg": "sum", "expr": price.clean, "time": time},
            "Sales amount", "销售额", _SALES_WORDS,
            f"Sales amount: {table.name}.{price.name} summed over its rows, one per item sold "
            "(derived by the drafter: the table has no quantity).",
            "currency")


_RECEIPTS = {"payment", "transaction", "charge", "receipt", "sale"}


def _void_rows(writer: _Writer, table: TableInfo) -> None:
    """A status column that says some rows were never paid or were refunded: the table's money
    leaves those rows out, and their share is the refund rate (``void_rows``)."""
    status = void_rows.void_status(table)
    draft = void_rows.MoneyRows(writer.measures, writer.metrics, writer.used, _unique,
                                lambda item, words: writer.claim_words(item, words, table),
                                lambda item, words: _release(writer, item, words), _REVENUE_WORDS)
    void_rows.cancellation_rate(draft, table)
    if status is None:
        return
    void_rows.leave_out_void_rows(draft, table, status, writer.report)
    void_rows.refund_rate(draft, table, status)


_REVENUE_WORDS = frozenset(w.lower() for w in (
    *(w for w in _SALES_WORDS if w not in ("amount", "金额")), *_AOV_SYNONYMS, "total sales", "total revenue",
    "sales total", "revenue total", "sales amount", "总销售额", "总收入", "销售总额", "总营收", "gross sales", "net sales"))
"""The words of the money that came in (never a column's own 'amount')."""


def _release(writer: _Writer, item: dict[str, Any], words: list[str]) -> None:
    """Take ``words`` off ``item`` so another item can claim them."""
    gone = {w.lower() for w in words}
    item["synonyms"] = [w for w in item.get("synonyms", []) if w.lower() not in gone]
    if not item["synonyms"]:
        del item["synonyms"]
    for word in gone:
        if writer.owners.get(word, (None,))[0] is item:
            del writer.owners[word]


def _payments_are_revenue(writer: _Writer) -> None:
    """Money taken in payments (Sakila's payment.amount, a POS export's transactions) is the
    revenue when nothing else in the data is sales or revenue: "total revenue", "每月的收入"."""
    if "revenue" in writer.owners or "sales" in writer.owners:
        return
    taken = [m for m in writer.metrics if m.get("format") == "currency" and m.get("type") == "simple"
             and (measure := next((x for x in writer.measures if x["name"] == m["measure"]), None)) is not None
             and measure["agg"] == "sum" and measure.get("time")
             and writer.entity_words(writer.by_clean[measure["table"]])[-1] in _RECEIPTS
             and not set(naming.words(measure["expr"])) & _CHARGES]  # Stripe's 'Amount Refunded', 'Fee'
    if len(taken) == 1:
        writer.add_synonyms(taken[0], _SALES_WORDS)
        return
    bought = [m for m in writer.metrics if m.get("format") == "currency" and m.get("type") == "simple"
              and (measure := next((x for x in writer.measures if x["name"] == m["measure"]), None)) is not None
              and measure["agg"] == "sum" and set(naming.words(measure["expr"])) & (_PURCHASE_WORDS | {"payment"})
              and not set(naming.words(measure["expr"])) & (_CHARGES | {"conversion", "conversions"})]
    if len(bought) > 1:  # 有赞's 商品实付金额 beside 订单实付金额: the goods' own amount splits by product too
        bought = [m for m in bought if set(naming.words(_measure_of(writer, m)["expr"])) & _GOODS_WORDS] or bought
    if len(bought) == 1:  # a survey of shoppers' 'Purchase Amount (USD)', a shop's 支付金额: "revenue", 各类别的销售额
        writer.add_synonyms(bought[0], _SALES_WORDS)


_GOODS_WORDS = {"product", "item", "goods", "line", "sku"}
"""An amount paid for the goods of a line, where another is the whole order's (with its shipping)."""


def _measure_of(writer: _Writer, metric: dict[str, Any]) -> dict[str, Any]:
    return next(x for x in writer.measures if x["name"] == metric["measure"])


_PURCHASE_WORDS = {"purchase", "purchases", "order", "orders", "transaction", "invoice", "basket", "checkout", "bill"}
"""What an amount is of when it is what customers paid for what they bought."""


def _catalog_averages(writer: _Writer, table: TableInfo) -> None:
    """A catalog's own numbers (a film's rental rate and length, a track's unit price) averaged
    over its rows: "average rental rate by rating". Never summed (a catalog's rows are no
    events to add up) and never dated (the table has no time)."""
    if not table.primary_key or writer.is_calendar(table):
        return
    for column in table.columns:
        if not _is_measure(table, column) or column.flag:
            continue
        base = _amount_words(column.words, table)
        kind = set(column.words) | {naming.singular(w) for w in column.words}
        fmt = "currency" if kind & _MONEY else "number"
        averaged = bool(set(column.words) & _AVERAGED)
        label = naming.label_en(base if averaged and base[0] == "average" else ["average", *base])
        phrase = " ".join(base)
        writer.add_metric(f"avg_{column.clean}" if f"avg_{column.clean}" not in writer.used else f"avg_{table.clean}_{column.clean}",
                          {"table": table.clean, "agg": "avg", "expr": column.clean, "time": None},
                          label, "平均" + naming.label_zh(base),
                          [f"average {phrase}", f"avg {phrase}", f"mean {phrase}", phrase,
                           f"average {' '.join(writer.entity_words(table))} {phrase}"],
                          f"Average of {table.name}.{column.name} over its rows (derived by the drafter).", fmt)


def _line_discount(table: TableInfo) -> ColumnInfo | None:
    """A line's discount given as a fraction of its price (0.15 = 15% off; every value in 0..1):
    what was sold is price × quantity × (1 − discount). A discount kept as an amount is left
    alone (whether it is per unit or per line is not said)."""
    found = [c for c in table.columns if c.numeric and c.fraction and "discount" in {naming.singular(w) for w in c.words}]
    return found[0] if len(found) == 1 else None


def _named_head(base: list[str]) -> list[str]:
    """The words of an amount's name that say what it is ("discount" of "discount amount"); none
    when they only qualify it ("unit price": "units" are what was sold, not the price of one)."""
    head = [w for w in base if w not in _GENERIC]
    return [] if {naming.singular(w) for w in head} & _AMOUNT_QUALIFIERS else head


def _money_words(writer: _Writer, table: TableInfo, words: list[str], base: list[str], averaged: bool) -> list[str]:
    """More words for an amount of money: an order's bare 'Total' is its sales; 税 is asked as 税额."""
    found = []
    if not averaged and _is_order_total(writer, table, words):
        found += [*_SALES_WORDS, "total sales", "sales total", "order total", "销售额", "总销售额", "订单金额"]
    zh = naming.label_zh(base)
    if zh and not zh[-1:].isascii() and not zh.endswith(("额", "费", "价", "款", "入", "本")):
        found += [f"{zh}额", f"{zh}金额", f"总{zh}额"]
    return found


def _is_order_total(writer: _Writer, table: TableInfo, words: list[str]) -> bool:
    """A bare 'Total' ('Grand Total', 'Total Amount') on a file of orders, invoices or receipts
    is what was sold: 'total sales', 'revenue by city' (Shopify's orders_export, a POS export)
    — unless a column of the data already says sales or revenue."""
    entity = [naming.singular(w) for w in writer.entity_words(table)]
    lines = entity[-1] in _DETAIL_WORDS and any(writer.is_header(writer.by_name[p]) for p, _ in table.parents.values())
    return "total" in words and set(words) <= _GENERIC | {"grand", "order", "invoice"} | ({"line"} if lines else set()) \
        and (entity[-1] in _HEADERS | _TRANSACTIONS or lines or any(c.numbered == "#" for c in table.columns)) and not any(
            set(c.words) & {"revenue", "sales", "turnover", "gmv"} for t in writer.tables for c in t.columns
            if c.numeric and not naming.is_id_like(c.name) and not _snapshot(writer, t)) and not any(
            _amount_paid(c) for c in table.columns)


_PAID_WORDS = ["amount paid", "paid amount", "total paid", "total amount paid", "payment amount", "实付金额", "实付", "实际支付金额", "支付金额"]


def _paid_words(column: ColumnInfo, averaged: bool) -> list[str]:
    """Words of an amount said by its header's own thing ('买家应付邮费': "邮费总额") or as what was
    paid (买家实际支付金额: "实付金额", "amount paid"), in their sum's or their average's form."""
    tail = naming.zh_tail(column.name)
    found = ([f"平均{tail}"] if averaged else [tail, f"{tail}总额", f"总{tail}"]) if tail is not None else []
    if _amount_paid(column):
        found += [f"average {w}" if w.isascii() else f"平均{w}" for w in _PAID_WORDS] if averaged else _PAID_WORDS
    return found


def _amount_paid(column: ColumnInfo) -> bool:
    """What the buyer actually paid (Tmall's 买家实际支付金额, 'Amount Paid'), beside an order's
    'Total' (its list total before discounts, and on orders never paid): the paid one is the sales."""
    words = set(column.words)
    return column.numeric and bool(words & {"payment", "paid"}) and bool(words & {"amount", "total"}) \
        and not words & (_CHARGES | {"due", "payable", "method", "number", "count"}) and not naming.is_id_like(column.name)


def _snapshot(writer: _Writer, table: TableInfo) -> bool:
    """A table of things with figures as of now and no date of any event (AdventureWorks'
    SalesTerritory with its SalesYTD): its 'sales' are no sales of the data's own."""
    return bool(table.primary_key) and writer.time_of(table) is None and any(
        p == table.name for t in writer.tables for p, _ in t.parents.values())


def _kind_synonyms(kind: set[str], base: list[str], table: TableInfo) -> list[str]:
    """Words for what an amount counts: a quantity is units sold; a call file's duration a call's."""
    if kind & _QUANTITY:
        return ["units sold", "quantity sold", "sold", "selling", "items sold", "number of items sold", "units", "number of units",
                "unit sales", "销量", "销售数量", "销售件数"]
    if base == ["duration"] and _rows_are_calls(table):
        return ["call duration", "call length", "length of call", "通话时长", "通话时间"]
    return []


_PERIODS = {"day": "daily", "week": "weekly", "month": "monthly", "year": "yearly"}


def _per_period(words: list[str], base: list[str]) -> list[str]:
    """A count per period ('NumWebVisitsMonth'): 'web visits per month', 'monthly web visits'."""
    if len(base) < 2 or words[0] not in ("number", "count", "total") or base[-1] not in _PERIODS:
        return []
    thing = " ".join(base[:-1])
    return [f"{thing} per {base[-1]}", f"{thing} a {base[-1]}", f"{_PERIODS[base[-1]]} {thing}"]


def _without_own(base: list[str], table: TableInfo) -> list[str]:
    """A payment's 'payment_installments' are its installments (the table's own word dropped)."""
    own = {naming.singular(w) for w in table.words}
    if len(base) > 1 and naming.singular(base[0]) in own and naming.singular(base[0]) not in _PERSON:
        return [" ".join(base[1:])]
    return []


def _amount_words(words: list[str], table: TableInfo) -> list[str]:
    """What an amount column is called: without 'total', without a leading 'number of' /
    'amount of' ('MntWines' → wines, 'NumWebPurchases' → web purchases), and with its
    table's name when only generic words are left ('Amount' on claims → claim amount)."""
    base = [w for w in words if w not in ("total", "sum")] or words
    if set(base) <= {"line", "sub", "grand"}:  # 'LineTotal', 'SubTotal': a total of its own kind
        base = words
    if len(base) > 1 and base[0] in ("number", "amount", "count"):
        base = base[1:]
    if set(base) <= _GENERIC:
        base = [naming.singular(w) for w in table.words] + base
    return base


def _per_parent_entity(writer: _Writer, table: TableInfo) -> None:
    """Amounts per purchase: sales amount per invoice ('average order value'), from a sum on
    lines and the count of their parent (the invoice), or from a header's own amount; on a
    flat file of order lines, per distinct order id."""
    if table.primary_key and writer.is_header(table):
        lines = [t for t in writer.tables if any(p == table.name for p, _ in t.parents.values())
                 and writer.entity_words(t)[-1] in _DETAIL_WORDS]
        if not any(_average_per(writer, t, table, sold_only=True) for t in lines):  # the lines' sales per order
            _average_per(writer, table, table)
    for column in table.columns:
        entity = [naming.singular(w) for w in column.words[:-1]]
        if column.numbered and not naming.is_id_like(column.name):
            entity = _numbered_entity(writer, table, column) or []
        header = _header_named(table, column)  # Online Retail II's 'Invoice': per invoice too
        entity = header or entity
        if (naming.is_id_like(column.name) or column.numbered or header) and entity and entity[-1] in _HEADERS \
                and (column.name not in table.parents or column.name in table.listings):
            distinct = next((m for m in writer.measures if m["table"] == table.clean and m["expr"] == column.clean
                             and (m["agg"] == "count_distinct" or (m["agg"] == "count"
                                                                   and column.name == table.primary_key))), None)
            if distinct is not None and _average_per(writer, table, table, count=distinct, entity=entity):
                _averaged_per_order(writer, table, writer.metrics[-1], entity)
                return
    entity = writer.entity_words(table)
    own = [m for m in writer.measures if m["table"] == table.clean]
    averaged = {m["expr"] for m in own if m["agg"] == "avg"} & {m["expr"] for m in own if m["agg"] == "sum"}
    if table.primary_key and entity[-1] in _TRANSACTIONS and not writer.is_header(table) and averaged:
        _average_is_per_transaction(writer, table, averaged)
    elif table.primary_key and entity[-1] in _TRANSACTIONS and not writer.is_header(table):
        # a row per sale ('Coffee Shop Sales' keyed by transaction_id, no order id): its money
        # per row is the average transaction value, counted as ``_entity_count`` counts the rows
        # (an amount column's own average already is: a star schema's fact_sales)
        transaction = entity if entity[-1] == "transaction" else [*entity, "transaction"]
        if _average_per(writer, table, table, entity=transaction):
            return
    if table.primary_key or not table.parents:
        return
    for parent_name, _ in table.parents.values():
        if _average_per(writer, table, writer.by_name[parent_name]):
            return


def _averaged_per_order(writer: _Writer, table: TableInfo, ratio: dict[str, Any], entity: list[str]) -> None:
    """An amount named for the order ('订单金额', 'Order Amount') on a file whose rows are not
    one per order (a WeChat Pay bill's refund rows, an export's line rows): its average is per
    order, the ratio; the average per row keeps a label that says so ("平均订单金额" is 196.67,
    not the 183.34 a row's average would be)."""
    summed = next((m for m in writer.measures if m["name"] == ratio["numerator"]), None)
    if summed is None or naming.singular(entity[-1]) not in {naming.singular(w) for w in naming.words(summed["expr"])}:
        return
    average = next((x for m in writer.measures if m["table"] == table.clean and m["agg"] == "avg"
                    and m["expr"] == summed["expr"] for x in writer.metrics if x.get("measure") == m["name"]), None)
    if average is None:
        return
    taken = [average["label"], average["label_zh"]]
    for word in taken:
        writer.owners.pop(word.lower(), None)
    average["label"], average["label_zh"] = f"{average['label']} per row", f"每行{average['label_zh']}"
    for key in ("label", "label_zh"):
        writer.owners[average[key].lower()] = (average, "label")
    writer.add_synonyms(ratio, taken)


def _per_customer(writer: _Writer, table: TableInfo) -> None:
    """Where a table's purchases name their customer (a count of distinct customer ids beside
    the count of orders an average order value divides by, on a flat file of lines or on the
    orders its lines point at): sales per customer,
    orders per customer and the repeat purchase rate, which every marketer asks of an order
    export ("revenue per customer by country", "how many customers bought more than once")."""
    own = [m for m in writer.measures if m["table"] == table.clean]
    people = next((m for pattern in CUSTOMER_COLUMNS[:1] for m in own
                   if m["agg"] == "count_distinct" and pattern.match(str(m["expr"]))), None)
    values = [x for x in writer.metrics if x.get("type") == "ratio" and x.get("format") == "currency"
              and any(m["name"] == x.get("denominator") for m in own)]  # the lines' sales may be elsewhere
    revenue = next((x for x in writer.metrics if x.get("name") == "revenue" and x.get("measure")), None)
    # the order value of revenue (orders neither cancelled nor refunded) before a plain total's
    aov = next((x for x in values if revenue is not None and x.get("numerator") == revenue["measure"]),
               values[0] if values else None)
    if people is None or aov is None or any(x.get("denominator") == people["name"] for x in writer.metrics):
        return
    person = next((x for x in writer.metrics if x.get("measure") == people["name"]), None)
    money = next((x for x in writer.metrics if x.get("measure") == aov["numerator"]), None)
    orders = next((m for m in own if m["name"] == aov["denominator"]), None)
    counted = next((x for x in writer.metrics if x.get("measure") == aov["denominator"]), None) or next(
        (x for x in writer.metrics if orders is not None and x.get("type") == "simple" and any(  # its label
            m["name"] == x.get("measure") and m["agg"] == "count" and not m.get("filter") for m in own)), None)
    if person is None or money is None or orders is None or counted is None:
        return
    if orders.get("filter") and not people.get("filter"):  # the people who bought, of the orders that count
        kept = f"{str(people['name']).removesuffix('_m')}_kept_m"
        if not any(m["name"] == kept for m in writer.measures):
            writer.used.add(kept)
            writer.measures.append({**people, "name": kept, "filter": orders["filter"]})
        people = next(m for m in writer.measures if m["name"] == kept)
        if person.get("name") == "buyers":  # the people who bought: not one whose only order was cancelled
            person["measure"] = kept
    who, who_zh = person["label"].lower(), re.sub(r"(?:人数|数量|数)$", "", person["label_zh"]) or "客户"
    one = naming.singular(who.split()[-1]) if who else "customer"
    writer.add_ratio(f"{money['name']} per {one}", aov["numerator"], people["name"], "currency",
                     f"{money['label']} per {one}", f"人均{money['label_zh']}",
                     f"{money['label']} divided by the number of distinct {who}, per group.",
                     [f"revenue per {one}", f"sales per {one}", f"spend per {one}", f"average spend per {one}",
                      f"average revenue per {one}", f"average sales per {one}",
                      "arppu", "人均消费", "人均销售额", "客均消费", "人均消费金额", f"每个{who_zh}的销售额"], table)
    writer.add_ratio(f"{counted['name']} per {one}", aov["denominator"], people["name"], "number",
                     f"{counted['label']} per {one}", f"人均{counted['label_zh']}",
                     f"{counted['label']} divided by the number of distinct {who}, per group (how often each bought).",
                     [f"orders per {one}", f"purchases per {one}", f"average orders per {one}",
                      "purchase frequency", "order frequency", "人均订单数", "人均购买次数", "购买频次"], table)
    repeat: dict[str, Any] = {
        "name": _unique("repeat_purchase_rate", writer.used), "type": "share",
        "share": {"entity": people["expr"], "measure": aov["denominator"], "op": ">=", "value": 2},
        "format": "percent", "label": "Repeat purchase rate", "label_zh": "复购率",
        "description": f"Share of the {who} who bought in the period (and group) with 2 or more "
                       f"{counted['label'].lower()} in it."}
    writer.claim_words(repeat, ["repeat rate", "repurchase rate", "repeat customer rate", "repeat buyer rate",
                                "bought more than once", "ordered more than once", "purchased more than once",
                                "回购率", "重复购买率", "复购"], table)
    writer.metrics.append(repeat)


def _orders_per_customer(writer: _Writer, table: TableInfo) -> None:
    """Orders with no money at all (Instacart's orders.csv: user_id, no price anywhere) still say
    how often each customer ordered: the orders per customer, drafted by ``_per_customer`` only
    beside an order value, and the repeat purchase rate."""
    if naming.singular(writer.entity_words(table)[-1]) not in _HEADERS:
        return
    own = [m for m in writer.measures if m["table"] == table.clean and not m.get("filter")]
    orders = next((m for m in own if m["agg"] == "count"), None)
    people = next((m for pattern in CUSTOMER_COLUMNS[:1] for m in own
                   if m["agg"] == "count_distinct" and pattern.match(str(m["expr"]))), None)
    if orders is None or people is None or any(x.get("denominator") == people["name"] for x in writer.metrics) \
            or any(x.get("numerator") == orders["name"] for x in writer.metrics):
        return
    counted = next((x for x in writer.metrics if x.get("measure") == orders["name"]), None)
    person = next((x for x in writer.metrics if x.get("measure") == people["name"]), None)
    if counted is None or person is None or "customers" not in [w.lower() for w in person.get("synonyms", [])]:
        return
    writer.add_ratio(f"{counted['name']} per customer", orders["name"], people["name"], "number",
                     f"{counted['label']} per customer", f"人均{counted['label_zh']}",
                     f"{counted['label']} divided by the number of distinct customers ({people['expr']}), per group.",
                     ["orders per customer", "purchases per customer", "average orders per customer",
                      "average number of orders per customer", "purchase frequency", "order frequency",
                      "人均订单数", "人均购买次数", "购买频次", "每位客户的订单数"], table)


def _average_is_per_transaction(writer: _Writer, table: TableInfo, averaged: set[str]) -> None:
    """A row per sale whose amount has its own average (Kaggle's supermarket_sales 'Total',
    a star schema's fact_sales): that average is the average transaction value ("aov")."""
    sold = [m for m in writer.measures if m["table"] == table.clean and m["agg"] == "sum" and m["expr"] in averaged
            and any(x.get("measure") == m["name"] and "sales" in x.get("synonyms", ()) for x in writer.metrics)]
    if len(sold) != 1:
        return
    average = next((m for m in writer.measures if m["table"] == table.clean and m["agg"] == "avg"
                    and m["expr"] == sold[0]["expr"]), None)
    metric = next((x for x in writer.metrics if average is not None and x.get("measure") == average["name"]), None)
    if metric is not None:
        writer.add_synonyms(metric, _AOV_SYNONYMS)


def _average_per(writer: _Writer, table: TableInfo, parent: TableInfo, *, count: dict[str, Any] | None = None,
                 entity: list[str] | None = None, sold_only: bool = False) -> bool:
    """The ratio of ``table``'s money sum to ``parent``'s count (or to ``count``, a distinct
    count of ``entity`` ids); False when either is missing or the count already has one. The
    money is what was sold (``sold_only``: nothing else); tax, freight or a fee never is."""
    sums = [m for m in writer.measures if m["table"] == table.clean and m["agg"] == "sum"
            and not set(naming.words(m["expr"])) & _CHARGES
            and any(x.get("measure") == m["name"] and x.get("format") == "currency" for x in writer.metrics)]
    sales = [m for m in sums if any(x.get("measure") == m["name"] and "sales" in x.get("synonyms", ())
                                    for x in writer.metrics)]
    if sold_only:
        sums = sales
    entity = entity or writer.entity_words(parent)
    head = naming.singular(entity[-1])
    # the line's sale, not its freight, per order; else the amount named for the order itself
    # ('订单金额' before '应结订单金额' and '代金券金额' on a WeChat Pay bill)
    money = next(iter(sales or sorted(sums, key=lambda m: (head not in naming.words(m["expr"]),
                                                            len(naming.words(m["expr"]))))), None)
    count = count or next((m for m in writer.measures if m["table"] == parent.clean and m["agg"] == "count"), None)
    if money is None or count is None or any(x.get("denominator") == count["name"] for x in writer.metrics):
        return False
    metric = next(x for x in writer.metrics if x.get("measure") == money["name"])
    label = f"{metric['label']} per {' '.join(entity)}"
    zh_entity = naming.label_zh(entity)
    zh = f"每{zh_entity}{metric['label_zh']}"
    words = " ".join(entity)
    purchase = _AOV_SYNONYMS if entity[-1] in _HEADERS else []
    writer.add_ratio(f"{metric['name']} per {words}", money["name"], count["name"], "currency", label, zh,
                     f"{metric['label']} divided by the number of {parent.name}.",
                     [f"average {words} value", f"avg {words} value", f"{words} value",
                      f"average {metric['label'].lower()} per {words}", f"平均每{zh_entity}{metric['label_zh']}",
                      *(f"平均每{c}{zh_entity}的{metric['label_zh']}" for c in ("张", "个", "笔")),
                      *(f"每{c}{zh_entity}的{metric['label_zh']}" for c in ("张", "个", "笔")),
                      f"{zh_entity}均价", f"平均{zh_entity}金额", *purchase], table)
    return True


_LATER_EVENTS: dict[str, tuple[str, str, list[str]]] = {
    # a date word of a later step → (verb, Chinese, words for the days it took)
    "ship": ("ship", "发货天数", ["shipping time", "time to ship", "ship time", "days to ship", "lead time",
                               "发货时长", "发货时间", "发货周期"]),
    "shipped": ("ship", "发货天数", []), "shipping": ("ship", "发货天数", []),
    "delivered": ("deliver", "送达天数", ["delivery time", "time to deliver", "days to deliver", "delivery days",
                                       "shipping time", "配送时长", "配送天数", "送达时间", "物流时长"]),
    "delivery": ("deliver", "送达天数", []),
    "closed": ("close", "成交天数", ["time to close", "days to close", "sales cycle", "成交周期"]),
    "resolved": ("resolve", "解决天数", ["resolution time", "time to resolve", "days to resolve", "解决时长"]),
}


def _lead_time(writer: _Writer, table: TableInfo) -> None:
    """Days from a row's own date to a later step's date on the same row (Superstore's Order
    Date → Ship Date, Olist's purchase → delivered to the customer): 'average days to ship',
    'delivery time by state', which no column holds. A promised date ('estimated') is no step."""
    time = writer.time_of(table)
    if time is None or time.split(".", 1)[0] != table.clean:
        return
    start = next(c for c in table.columns if c.clean == time.split(".", 1)[1])
    later = sorted((c for c in table.columns if c.temporal and c is not start and not set(c.words) & _DEADLINES
                    and set(c.words) & _LATER_EVENTS.keys()),
                   key=lambda c: (not set(c.words) & _PERSON, table.columns.index(c)))
    if not later:
        return
    column = later[0]
    verb, zh, words = _LATER_EVENTS[next(w for w in column.words if w in _LATER_EVENTS)]
    words = words or next(w for v, _, w in _LATER_EVENTS.values() if v == verb and w)
    name = f"days_to_{verb}"
    if name in writer.used:
        return
    expr = f"date_diff('day', {start.clean}, {column.clean})"
    writer.add_metric(name, {"table": table.clean, "agg": "avg", "expr": expr, "time": time},
                      f"Days to {verb}", zh, [f"days to {verb}", f"average days to {verb}", *words],
                      f"Average days from {start.name} to {column.name} on {table.name} (derived by the drafter).",
                      "number", table)


_MARGIN_WORDS = ["profit margin", "margin", "margins", "profit ratio", "profitability", "margin rate",
                 "profit rate", "net margin", "利润率", "毛利率", "利润占比", "盈利率"]


def _profit_margin(writer: _Writer, table: TableInfo) -> None:
    """Profit over sales on a table that has both summed (Superstore's Profit and Sales): the
    margin a marketer asks for, which neither sum answers alone."""
    sums = {m["expr"]: m for m in writer.measures if m["table"] == table.clean and m["agg"] == "sum"}
    profit = next((sums[c.clean] for c in table.columns if c.clean in sums and "profit" in c.words), None)
    sales = next((sums[c.clean] for c in table.columns if c.clean in sums
                  and set(c.words) & {"sales", "revenue", "turnover"} and "profit" not in c.words), None)
    if profit is None or sales is None or "profit_margin" in writer.used:
        return
    writer.used.add("profit_margin")
    item: dict[str, Any] = {"name": "profit_margin", "type": "ratio", "numerator": profit["name"],
                            "denominator": sales["name"], "format": "percent", "label": "Profit margin",
                            "label_zh": "利润率", "description": f"Profit margin: {profit['expr']} divided by "
                            f"{sales['expr']} on {table.name} (derived by the drafter)."}
    writer.claim_words(item, _MARGIN_WORDS, table)
    writer.metrics.append(item)


def _names_a_ratio(w: set[str]) -> bool:
    """A header that names a ratio of two amounts, not an amount: 'Cost per click', 'Return on
    advertising spend', 'Advertising cost of sales (ACOS)', 'Click-thru rate'."""
    return bool(w & {"per", "rate", "ratio", "ctr", "cpc", "cpa", "cpm", "roas", "acos", "roi", "cvr", "share",
                     "percent", "percentage"}) or {"return", "on"} <= w or ("of" in w and len(w & _MONEY) >= 2)


_FUNNEL_ROLES: dict[str, Callable[[set[str]], bool]] = {
    "impressions": lambda w: bool(w & {"impressions", "impression", "impr"}) and not _names_a_ratio(w),
    "clicks": lambda w: bool(w & {"clicks", "click"}) and not _names_a_ratio(w),
    "cost": lambda w: bool(w & {"cost", "spend", "spent"}) and not _names_a_ratio(w),
    "conversions": lambda w: bool(w & {"conversions", "conversion", "purchases", "results", "leads", "orders"})
    and not w & {"value", "rate", "revenue", "cost", "per"} and not _names_a_ratio(w),
    "value": lambda w: (bool(w & {"revenue", "sales"}) or (bool(w & {"conversion", "conversions", "purchase"})
                                                         and bool(w & {"value", "amount"}))) and not _names_a_ratio(w),
}
"""The columns of an ad-performance export (Facebook, Google Ads, TikTok all have them)."""

_FUNNEL_RATIOS = [
    # name, numerator, denominator, format, label, label_zh, synonyms
    ("ctr", "clicks", "impressions", "percent", "Click-through rate", "点击率",
     ["ctr", "click through rate", "click-through rate", "clickthrough rate", "点击通过率"]),
    ("cpc", "cost", "clicks", "currency", "Cost per click", "单次点击成本",
     ["cpc", "cost per click", "avg cpc", "average cpc", "点击成本", "每次点击成本"]),
    ("cpa", "cost", "conversions", "currency", "Cost per conversion", "单次转化成本",
     ["cpa", "cost per acquisition", "cost per conversion", "cost per result", "cost per action", "转化成本",
      "获客成本", "每次转化成本"]),
    ("conversion_rate", "conversions", "clicks", "percent", "Conversion rate", "转化率",
     ["conversion rate", "cvr", "conv rate", "click to conversion rate", "点击转化率"]),
    ("roas", "value", "cost", "ratio", "Return on ad spend", "投产比",
     ["roas", "return on ad spend", "return on advertising spend", "roi", "广告投产比", "投入产出比", "广告回报率",
      "投放回报率", "广告支出回报率", "支出回报率"]),
    ("acos", "cost", "value", "percent", "Advertising cost of sales", "广告销售成本比",
     ["acos", "advertising cost of sales", "ad cost of sales", "cost of sales", "广告成本占比", "广告花费占比"]),
]
_FUNNEL_WORDS = {
    "cost": ["spend", "ad spend", "cost", "spent", "amount spent", "花费", "投放花费", "广告花费", "消耗"],
    "value": ["revenue", "conversion value", "sales", "收入", "转化价值", "销售额"],
    "conversions": ["conversions", "转化数", "转化"],
    "clicks": ["点击", "点击数", "点击量"],
    "impressions": ["曝光", "曝光量", "展示量", "展现量", "展示次数", "曝光次数"],
}


def _outcome_rate(writer: _Writer, table: TableInfo) -> None:
    """A table each of whose rows is what became of one row of another (Olist's closed deals,
    one per marketing-qualified lead: the link is unique and never empty): its rows per the
    other's are the conversion rate ("lead to deal conversion rate by origin"), which no
    column holds and the two counts alone cannot answer."""
    own = next((m for m in writer.measures if m["table"] == table.clean and m["agg"] == "count"), None)
    if own is None or len(table.parents) != 1:
        return
    ((link, (parent_name, _key)),) = table.parents.items()
    column, parent = table.column(link), writer.by_name[parent_name]
    if column.nulls or column.distinct != table.rows or table.rows * 20 < parent.rows:
        return  # several rows per parent row (an order's items), or a handful: no outcome of each
    base = next((m for m in writer.measures if m["table"] == parent.clean and m["agg"] == "count"), None)
    if base is None or any(x.get("numerator") == own["name"] and x.get("denominator") == base["name"]
                           for x in writer.metrics):
        return
    became, was = writer.entity_words(table), writer.entity_words(parent)
    head, of = naming.plural(became[-1]), was[-1]
    name = _unique(naming.clean_name(f"{head} per {of}"), writer.used)
    converted = became[-1] in _CONVERSIONS  # a lead became a deal; an order got a review (no conversion)
    item: dict[str, Any] = {
        "name": name, "type": "ratio", "numerator": own["name"], "denominator": base["name"], "format": "percent",
        "label": naming.label_en([*became[:-1], head, "per", *was]),
        "label_zh": f"{naming.label_zh(was)}转化率" if converted else f"{naming.label_zh(became[-1:])}率",
        "description": f"{table.name} rows per {parent.name} row: each {' '.join(became)} is one "
                       f"{' '.join(was)}'s outcome (derived by the drafter)."}
    words = [f"{of} to {became[-1]} rate", f"{became[-1]} rate"]
    if converted:
        words += [f"{of} to {became[-1]} conversion rate", f"{of}-to-{became[-1]} conversion rate",
                  f"{of} conversion rate", f"{of} to {became[-1]} conversion", "conversion rate", "conversion",
                  "转化率", f"{naming.label_zh([of])}转化率"]
    writer.claim_words(item, words, table)
    writer.metrics.append(item)


_CONVERSIONS = {"deal", "order", "purchase", "sale", "signup", "subscription", "booking", "customer", "registration",
                "opportunity", "conversion", "win", "account", "contract", "enrollment", "application"}
"""What a row becomes when it converts (a lead becomes a deal): its rate is the conversion rate."""


_ORDER_COUNTS = {"order", "purchase", "transaction", "invoice"}


def _spent_per_order(writer: _Writer, table: TableInfo) -> None:
    """A file of customers with what each spent and how many orders each placed (Shopify's
    customers export: 'Total Spent', 'Total Orders'): their ratio is the average order value,
    which the average of either column is not."""
    sums = {m["expr"]: m for m in writer.measures if m["table"] == table.clean and m["agg"] == "sum"}
    money = [c for c in table.columns if c.clean in sums and {naming.singular(w) for w in c.words} & (_MONEY | {"spent"})
             and not set(c.words) & _CHARGES]
    counted = [c for c in table.columns if c.clean in sums and c.base_type in _WHOLE and not set(c.words) & _MONEY
               and {naming.singular(w) for w in c.words} & _ORDER_COUNTS]
    if len(money) != 1 or len(counted) != 1 or any(x.get("denominator") == sums[counted[0].clean]["name"]
                                                   for x in writer.metrics):
        return
    numerator, denominator = sums[money[0].clean], sums[counted[0].clean]
    metric = next(x for x in writer.metrics if x.get("measure") == numerator["name"])
    unit = next(naming.singular(w) for w in counted[0].words if naming.singular(w) in _ORDER_COUNTS)
    writer.add_ratio(f"{metric['name']} per {unit}", numerator["name"], denominator["name"], "currency",
                     f"{metric['label']} per {unit}", f"每{naming.label_zh([unit])}{metric['label_zh']}",
                     f"{table.name}.{money[0].name} divided by {table.name}.{counted[0].name} (derived by the drafter).",
                     [f"average {unit} value", f"{unit} value", f"average {metric['label'].lower()} per {unit}",
                      *(_AOV_SYNONYMS if unit in _HEADERS else [])], table)


def _funnel_ratios(writer: _Writer, table: TableInfo) -> None:
    """Click-through rate, cost per click, cost per conversion, conversion rate and return on
    ad spend, from an ad export's own columns: a marketer asks for these first, and a sum of
    each alone cannot answer them."""
    sums = {m["expr"]: m for m in writer.measures if m["table"] == table.clean and m["agg"] == "sum"}
    found: dict[str, dict[str, Any]] = {}
    for role, fits in _FUNNEL_ROLES.items():
        column = next((c for c in table.columns if c.clean in sums and fits(set(c.words))), None)
        if column is not None and role not in found:
            found[role] = sums[column.clean]
    if not {"clicks", "cost"} <= found.keys() and not {"impressions", "clicks"} <= found.keys():
        return  # not an ad export
    for role, words in _FUNNEL_WORDS.items():
        metric = next((x for x in writer.metrics if x.get("measure") == found.get(role, {}).get("name")), None)
        if metric is None:
            continue
        if role == "cost" and "ad spend" not in writer.owners:  # not "Ad performance cost"
            writer.owners.pop(metric["label"].lower(), None)
            writer.owners.pop(metric["label_zh"].lower(), None)
            metric["label"], metric["label_zh"] = "Ad spend", "广告花费"
            writer.owners["ad spend"] = writer.owners["广告花费"] = (metric, "label")
        writer.add_synonyms(metric, words)
    for name, numerator, denominator, fmt, label, zh, synonyms in _FUNNEL_RATIOS:
        if numerator not in found or denominator not in found or name in writer.used:
            continue
        headers = _drop_precomputed(writer, table, name)
        writer.used.add(name)
        item: dict[str, Any] = {"name": name, "type": "ratio", "numerator": found[numerator]["name"],
                                "denominator": found[denominator]["name"], "format": fmt, "label": label,
                                "label_zh": zh, "description": f"{label}: {numerator} divided by {denominator} "
                                f"on {table.name} (derived by the drafter)."}
        qualified = _qualified(table, found[numerator], [label.lower(), *synonyms], zh) if numerator == "clicks" else []
        writer.claim_words(item, [*synonyms, *qualified, *headers], table)
        writer.metrics.append(item)
    _per_thousand(writer, table, found)


def _qualified(table: TableInfo, measure: dict[str, Any], words: list[str], zh: str) -> list[str]:
    """A ratio's words with its numerator's qualifier: Meta's 'Link clicks' make the
    click-through rate the 'link click-through rate' (链接点击率)."""
    column = next((c for c in table.columns if c.clean == measure["expr"]), None)
    extra = [w for w in column.words[:-1] if w not in _QUALIFIERS] if column is not None else []
    if not extra:
        return []
    said = " ".join(extra)
    return [*(f"{said} {w}" for w in words if w.isascii()), f"{naming.label_zh(extra)}{zh}"]


def _per_thousand(writer: _Writer, table: TableInfo, found: dict[str, dict[str, Any]]) -> None:
    """Cost per thousand impressions: the spend over the impressions, times 1,000."""
    names = {role: next((x["name"] for x in writer.metrics if x.get("measure") == m["name"]), None)
             for role, m in found.items()}
    cost, impressions = names.get("cost"), names.get("impressions")
    if cost is None or impressions is None or "cpm" in writer.used:
        return
    headers = _drop_precomputed(writer, table, "cpm")
    writer.used.add("cpm")
    item: dict[str, Any] = {"name": "cpm", "type": "derived", "expr": f"1000 * {cost} / {impressions}",
                            "format": "currency", "label": "Cost per thousand impressions", "label_zh": "千次展示成本",
                            "description": f"Spend per 1,000 impressions on {table.name} (derived by the drafter)."}
    writer.claim_words(item, ["cpm", "cost per mille", "cost per thousand", "cost per 1000 impressions",
                              "千次曝光成本", "千次展示费用", *headers], table)
    writer.metrics.append(item)


_PRECOMPUTED: dict[str, Callable[[set[str]], bool]] = {
    "ctr": lambda w: "ctr" in w or {"click", "through"} <= w,
    "cpc": lambda w: "cpc" in w or {"cost", "per", "click"} <= w,
    "cpa": lambda w: "cpa" in w or (bool(w & {"cost"}) and bool(w & {"conv", "conversion", "conversions"})),
    "conversion_rate": lambda w: "cvr" in w or (bool(w & {"conv", "conversion"}) and "rate" in w),
    "roas": lambda w: bool(w & {"roas", "roi"}) or ({"return", "on"} <= w and bool(w & {"spend", "ad", "advertising"})),
    "acos": lambda w: "acos" in w or ({"cost", "of", "sales"} <= w and bool(w & {"ad", "advertising"})),
    "cpm": lambda w: "cpm" in w,
}


def _drop_precomputed(writer: _Writer, table: TableInfo, ratio: str) -> list[str]:
    """An export's own per-row rate ("CTR", "Cost / conv.") averaged over rows weighs a day
    with ten clicks like one with ten thousand; the ratio of the sums replaces it, words and all.
    Returns the headers of the columns left out ('支付ROI'): what the file calls the ratio."""
    fits = _PRECOMPUTED[ratio]
    columns = {c.clean for c in table.columns if fits(set(c.words))}
    gone = {m["name"] for m in writer.measures if m["table"] == table.clean and m["expr"] in columns}
    headers = [c.name.lower() for c in table.columns
               if any(m["name"] in gone and m["expr"] == c.clean for m in writer.measures)]
    for metric in [x for x in writer.metrics if x.get("measure") in gone]:
        writer.metrics.remove(metric)
        for word in (metric["label"], metric["label_zh"], *metric.get("synonyms", [])):
            if writer.owners.get(word.lower(), (None,))[0] is metric:
                del writer.owners[word.lower()]
        writer.report.append(f"{table.name}: left out the average of a per-row rate ({metric['label']}); "
                             f"{ratio.replace('_', ' ')} is computed from the summed columns instead.")
    writer.measures[:] = [m for m in writer.measures if m["name"] not in gone]
    return headers


_RATE_BASES = ("delivery", "session", "impression", "recipient", "visit", "visitor", "user", "send", "view")
"""What a report's rates are out of, most specific first: Mailchimp's rates are of successful
deliveries, GA4's of sessions, an ad's of impressions."""
_QUALIFIERS = {"unique", "total", "all", "distinct"}
_BASE_FORMS = {"delivered": "delivery", "sent": "send"}
"""A base said as what happened to it: Klaviyo's 'Delivered' are the deliveries."""


def _rate_base(column: ColumnInfo) -> str:
    word = naming.singular(column.words[-1])
    return _BASE_FORMS.get(word, word)


def _stem_match(word: str, others: list[str]) -> bool:
    """'opens' is an 'open' rate's, 'engaged' an 'engagement' rate's (same singular or first five letters)."""
    one = naming.singular(word)
    return any(one == naming.singular(o) or (len(one) >= 5 and len(o) >= 5 and one[:5] == o[:5]) for o in others)


def _rates_from_parts(writer: _Writer, table: TableInfo) -> None:
    """A report's own per-row rate ('Open Rate' 23.46%, GA4's 'Engagement rate') averaged over rows
    weighs a campaign sent to 900 like one sent to 18,000; when the file has the rate's parts (the
    'Unique Opens' and the 'Successful Deliveries' it is of), the rate is their ratio, words and all."""
    sums = {m["expr"]: m for m in writer.measures if m["table"] == table.clean and m["agg"] == "sum"}
    counts = [c for c in table.columns if c.clean in sums and not set(c.words) & _MONEY]
    for column in table.columns:
        words = [w for w in column.words if w != "average"]
        per_base = len(words) >= 2 and naming.singular(words[-1]) in _RATE_BASES and (column.fraction or (
            len(words) >= 3 and words[-2] == "per") or column.name.count("/") == 1)  # 'Pages / Session'
        per_base = per_base or ("average" in column.words and words[-1] in _DURATIONS
                                and any(naming.singular(w) in _RATE_BASES for w in words))  # 'Avg. Session Duration'
        if not words or (words[-1] != "rate" and not per_base) or len(words) < 2:
            continue
        averaged = next((m for m in writer.measures if m["table"] == table.clean and m["agg"] == "avg"
                         and m["expr"] == column.clean), None)
        metric = next((x for x in writer.metrics if averaged and x.get("measure") == averaged["name"]), None)
        if metric is None:
            continue
        said = [naming.singular(w) for w in words[:-1]]
        bases = sorted((c for c in counts if _rate_base(c) in _RATE_BASES
                        and set(c.words[:-1]) <= _QUALIFIERS | {"successful"}),
                       key=lambda c: (_rate_base(c) not in said, _RATE_BASES.index(_rate_base(c))))
        if not bases:
            continue
        base = bases[0]
        unit = _rate_base(base)  # GA4's 'Engaged sessions' are the sessions that engaged
        parts = [c for c in counts if c is not base
                 and any(_stem_match(w, said) for w in c.words if w not in _QUALIFIERS and naming.singular(w) != unit)
                 and all(_stem_match(w, said) or naming.singular(w) == unit for w in c.words if w not in _QUALIFIERS)]
        if not parts:
            if averaged is not None:
                _weighted_by_base(writer, table, column, base, metric, averaged, words)
            continue
        part = sorted(parts, key=lambda c: ("unique" not in c.words, table.columns.index(c)))[0]
        _drop_metric(writer, metric, averaged)
        name = _unique(naming.clean_name(" ".join(words)), writer.used)
        label, zh = naming.label_en(words), naming.label_zh(words)
        item: dict[str, Any] = {"name": name, "type": "ratio", "numerator": sums[part.clean]["name"],
                                "denominator": sums[base.clean]["name"], "format": "percent", "label": label,
                                "label_zh": zh, "description": f"{label}: {part.name} divided by {base.name} on "
                                f"{table.name} (derived by the drafter; the file's own {column.name} per row is "
                                "not averaged)."}
        writer.claim_words(item, [" ".join(words), column.name.lower(), metric["label"].lower(),
                                  *metric.get("synonyms", []), *naming.glossary_synonyms(words)], table)
        writer.metrics.append(item)
        writer.report.append(f"{table.name}: {label.lower()} is {part.name} / {base.name}, not the average of "
                             f"its {column.name} column.")


_DURATIONS = {"duration", "length", "time"}

_EVENT_RATES: dict[str, tuple[tuple[str, ...], str, list[str]]] = {
    "unsubscribe": (("delivery", "recipient", "send"), "退订率", ["unsub rate", "opt-out rate", "opt out rate", "退订比例"]),
    "bounce": (("recipient", "send", "delivery"), "退信率", ["bounced rate", "退信比例", "弹回率"]),
    "complaint": (("delivery", "recipient", "send"), "投诉率", ["spam complaint rate", "spam rate"]),
    "install": (("click",), "安装率", ["click to install rate", "click-to-install rate", "install conversion rate",
                                    "点击安装率", "点击到安装转化率"]),
    "open": (("delivery", "recipient", "send"), "打开率", ["email open rate", "opened rate", "邮件打开率", "打开比例"]),
    "click": (("delivery", "recipient", "send"), "点击率", ["click through rate", "click-through rate", "ctr",
                                                            "email click rate", "邮件点击率", "点击比例"]),
}
"""Counts a report keeps without their rate (an email report's 'Unsubscribes', 'Bounces'; an app
report's 'Installs'), each with what it is out of, most usual first."""


_RETAINED = {"retention", "retained", "留存", "留存率"}
_COHORT_BASES = ("install", "new user", "signup", "registration", "download", "user")
"""What an app report's retention is a share of: the row's installs, else its new users."""


def _retention_rates(writer: _Writer, table: TableInfo) -> None:
    """An app report's 'Retention Day 7' per row (a share of that day's installs, as '%' text) is
    the retention of all those installs only weighed by them: sum(rate × installs) / installs,
    never the sum or the plain average of the rows' percentages."""
    sums = {m["expr"]: m for m in writer.measures if m["table"] == table.clean and m["agg"] == "sum"
            and not m.get("filter")}
    bases = {" ".join(naming.singular(w) for w in c.words if w not in _QUALIFIERS): c for c in table.columns
             if c.clean in sums and not set(c.words) & _MONEY}
    base = next((bases[b] for b in _COHORT_BASES if b in bases), None)
    if base is None:
        return
    for column in table.columns:
        if not column.numeric or not column.fraction or not set(column.words) & _RETAINED:
            continue
        days = [w for w in column.words if w.isdigit()]
        if len(days) != 1 or any(m["expr"].startswith(f"{column.clean} *") for m in writer.measures):
            continue
        day = days[0]
        label = f"Day {day} retention"
        if label.lower() in writer.owners:
            continue
        measure = {"table": table.clean, "agg": "sum", "expr": f"{column.clean} * {base.clean}",
                   "name": _unique(f"{column.clean}_weighted_m", writer.used)}
        if sums[base.clean].get("time"):
            measure["time"] = sums[base.clean]["time"]
        writer.measures.append(measure)
        zh = "次日留存率" if day == "1" else f"{day}日留存率"
        item: dict[str, Any] = {"name": _unique(naming.clean_name(f"day {day} retention"), writer.used),
                                "type": "ratio", "numerator": measure["name"], "denominator": sums[base.clean]["name"],
                                "format": "percent", "label": label, "label_zh": zh,
                                "description": f"{column.name} weighed by {base.name} on {table.name} (derived by "
                                               "the drafter; each row's rate is a share of its own installs)."}
        words = [f"day {day} retention rate", f"d{day} retention", f"retention day {day}", f"{day} day retention",
                 f"day-{day} retention", f"{day}-day retention", f"average day {day} retention", f"{day}日留存",
                 column.name.lower(), f"第{day}天留存率", f"第{day}日留存率"]
        if day == "1":
            words += ["next day retention", "次日留存", "1日留存率"]
        writer.claim_words(item, words, table)
        writer.metrics.append(item)
        writer.report.append(f"{table.name}: {label.lower()} is {column.name} weighed by {base.name}.")


def _event_rates(writer: _Writer, table: TableInfo) -> None:
    """The rate of an email's unsubscribes or bounces, an ad's installs per click, when the file
    has the count and its base but no rate column: their ratio, never the sum of a rate."""
    sums = {m["expr"]: m for m in writer.measures if m["table"] == table.clean and m["agg"] == "sum"
            and not m.get("filter")}
    counts = [c for c in table.columns if c.clean in sums and not set(c.words) & _MONEY]
    rated: dict[str, tuple[ColumnInfo, ColumnInfo]] = {}
    for column in counts:
        words = [w for w in column.words if w not in _QUALIFIERS]
        event = naming.singular(words[0]) if len(words) == 1 else ""
        if event not in _EVENT_RATES:
            continue
        units, zh, more = _EVENT_RATES[event]
        label = f"{event.capitalize()} rate"
        if label.lower() in writer.owners or naming.clean_name(label) in writer.used:
            continue
        base = next((c for unit in units for c in counts if c is not column and _rate_base(c) == unit
                     and set(c.words[:-1]) <= _QUALIFIERS | {"successful"}), None)
        if base is None:
            continue
        item: dict[str, Any] = {"name": _unique(naming.clean_name(label), writer.used), "type": "ratio",
                                "numerator": sums[column.clean]["name"], "denominator": sums[base.clean]["name"],
                                "format": "percent", "label": label, "label_zh": zh,
                                "description": f"{label}: {column.name} divided by {base.name} on {table.name} "
                                               "(derived by the drafter)."}
        writer.claim_words(item, [f"{event} rate", f"{naming.plural(event)} rate", f"% {naming.plural(event)}",
                                  *more], table)
        writer.metrics.append(item)
        rated[event] = (column, base)
    _click_to_open(writer, table, sums, rated)


def _click_to_open(writer: _Writer, table: TableInfo, sums: dict[str, dict[str, Any]],
                   rated: dict[str, tuple[ColumnInfo, ColumnInfo]]) -> None:
    """An email report's click-to-open rate (clicks of the opens) and revenue per email sent:
    asked as often as the open rate, and no sum of a column answers them."""
    if "open" in rated and "click" in rated and "click_to_open_rate" not in writer.used:
        opens, clicks = rated["open"][0], rated["click"][0]
        item: dict[str, Any] = {"name": _unique("click_to_open_rate", writer.used), "type": "ratio",
                                "numerator": sums[clicks.clean]["name"], "denominator": sums[opens.clean]["name"],
                                "format": "percent", "label": "Click-to-open rate", "label_zh": "点击打开率",
                                "description": f"Click-to-open rate: {clicks.name} divided by {opens.name} on "
                                               f"{table.name} (derived by the drafter)."}
        writer.claim_words(item, ["click to open rate", "click-to-open rate", "ctor", "click open rate",
                                  "clicks per open", "点击打开率", "打开点击率"], table)
        writer.metrics.append(item)
    sent = next((c for c in table.columns if c.clean in sums and _rate_base(c) == "send"
                 and set(c.words[:-1]) <= _QUALIFIERS | {"email", "emails", "message", "messages"}), None)
    money = [sums[c.clean] for c in table.columns if c.clean in sums and set(c.words) & _MONEY]
    if not rated or sent is None or len(money) != 1 or "revenue_per_email" in writer.used:
        return
    metric = next((x for x in writer.metrics if x.get("measure") == money[0]["name"]), None)
    if metric is None:
        return
    item = {"name": _unique("revenue_per_email", writer.used), "type": "ratio", "numerator": money[0]["name"],
            "denominator": sums[sent.clean]["name"], "format": "currency",
            "label": f"{metric['label']} per email sent", "label_zh": f"每封邮件{metric['label_zh']}",
            "description": f"{metric['label']} divided by {sent.name} on {table.name} (derived by the drafter)."}
    writer.claim_words(item, ["revenue per email", "revenue per email sent", "revenue per send", "rpe",
                              "revenue per recipient", "每封邮件收入", "每封邮件销售额"], table)
    writer.metrics.append(item)


def _weighted_by_base(writer: _Writer, table: TableInfo, column: ColumnInfo, base: ColumnInfo,
                      metric: dict[str, Any], averaged: dict[str, Any], words: list[str]) -> None:
    """A per-row rate whose parts the file lacks (GA's 'Bounce Rate', '% New Sessions', 'Pages /
    Session' by landing page and day) is still the rate of all the rows' sessions: each row's
    rate weighed by its sessions, not the plain average that weighs 50 sessions like 5,000."""
    if base.clean == column.clean or metric.get("type") != "simple":
        return
    sums = {m["expr"]: m for m in writer.measures if m["table"] == table.clean and m["agg"] == "sum"}
    weighted = {"table": table.clean, "agg": "sum", "expr": f"{column.clean} * {base.clean}",
                "name": _unique(f"{column.clean}_weighted_m", writer.used)}
    if averaged.get("time"):
        weighted["time"] = averaged["time"]
    _drop_metric(writer, metric, averaged)
    writer.measures.append(weighted)
    if words[-1] in _DURATIONS:  # 'Avg. Session Duration': the average session duration, in seconds
        words = ["average", *words]
    elif "per" not in words and words[-1] != "rate" and not column.fraction:  # 'Pages / Session': pages per session
        words = [*words[:-1], "per", words[-1]]
    name = _unique(naming.clean_name(" ".join(words)), writer.used)
    label, zh = naming.label_en(words), naming.label_zh(words)
    item: dict[str, Any] = {"name": name, "type": "ratio", "numerator": weighted["name"],
                            "denominator": sums[base.clean]["name"], "format": metric.get("format", "number"),
                            "label": label, "label_zh": zh,
                            "description": f"{label}: {column.name} weighed by {base.name} on {table.name} (derived "
                                           "by the drafter; a row with more of them counts for more)."}
    writer.claim_words(item, [" ".join(words), column.name.lower(), metric["label"].lower(),
                              *metric.get("synonyms", []), *naming.glossary_synonyms(words)], table)
    writer.metrics.append(item)
    writer.report.append(f"{table.name}: {label.lower()} is {column.name} weighed by {base.name}, not its plain "
                         "average over rows.")


_KPI_VISITS = {"session", "visitor", "visit", "user", "click", "traffic"}
_KPI_ORDERS = {"order", "buyer", "conversion", "purchase", "transaction", "customer"}


def _kpis_from_parts(writer: _Writer, table: TableInfo) -> None:
    """A daily KPI export ('Sessions', 'Orders', 'Total sales', 'Conversion rate', 'Average order
    value'; 生意参谋's 访客数, 支付买家数, 支付金额, 支付转化率, 客单价): each day's rate averaged over
    days weighs a quiet day like a busy one and is not the period's rate. Where the file has the
    parts, the conversion rate is orders over visits and the average order value money over
    orders, words and all."""
    sums = {m["expr"]: m for m in writer.measures if m["table"] == table.clean and m["agg"] == "sum"}
    counted = [c for c in table.columns if c.clean in sums and c.base_type in _WHOLE]

    def one(kinds: set[str]) -> ColumnInfo | None:
        found = [c for c in counted if naming.singular(c.words[-1]) in kinds and not set(c.words) & _MONEY]
        bare = [c for c in found if len(c.words) == 1]  # 'Sessions' beside 'New Users': the sessions
        return found[0] if len(found) == 1 else bare[0] if len(bare) == 1 else None

    visits, orders = one(_KPI_VISITS), one(_KPI_ORDERS)
    money = [c for c in table.columns if c.clean in sums and set(c.words) & (_MONEY | {"sales", "gmv"})
             and not set(c.words) & _CHARGES and "average" not in c.words]
    for column in table.columns:
        words = column.words
        if "conversion" in words and words[-1] == "rate" and visits is not None and orders is not None:
            parts = (orders, visits, "percent")
        elif ((words[-2:] == ["order", "value"] and "average" in words) or words == ["aov"]) and orders is not None \
                and len(money) == 1:
            parts = (money[0], orders, "currency")
        else:
            continue
        averaged = next((m for m in writer.measures if m["table"] == table.clean and m["agg"] == "avg"
                         and m["expr"] == column.clean), None)
        metric = next((x for x in writer.metrics if averaged and x.get("measure") == averaged["name"]), None)
        if metric is None:
            continue
        numerator, denominator, fmt = parts
        _drop_metric(writer, metric, averaged)
        said = [w for w in words if w != "average"] if fmt == "percent" else words
        name = _unique(naming.clean_name(" ".join(said)), writer.used)
        label, zh = naming.label_en(said), naming.label_zh(said)
        item: dict[str, Any] = {"name": name, "type": "ratio", "numerator": sums[numerator.clean]["name"],
                                "denominator": sums[denominator.clean]["name"], "format": fmt, "label": label,
                                "label_zh": zh, "description": f"{label}: {numerator.name} divided by {denominator.name} "
                                f"on {table.name} (derived by the drafter; the file's own {column.name} per row is "
                                "not averaged)."}
        extra = ["conversion rate", "conversion", "转化率"] if fmt == "percent" else _AOV_SYNONYMS
        writer.claim_words(item, [" ".join(said), column.name.lower(), metric["label"].lower(),
                                  *metric.get("synonyms", []), *naming.glossary_synonyms(said), *extra], table)
        writer.metrics.append(item)
        writer.report.append(f"{table.name}: {label.lower()} is {numerator.name} / {denominator.name}, not the "
                             f"average of its {column.name} column.")


_ACTIONS = {"purchase", "lead", "result", "install", "signup", "registration", "subscription", "checkout",
            "order", "sale", "booking", "download", "conversion", "event"}
"""What an ad's spend buys, counted in a column: Meta's 'Purchases', 'Results'; GA4's 'Key events'."""
_VISITS = {"session", "user", "visit", "visitor", "customer", "shopper", "buyer", "guest"}
"""What a daily report counts in a column of its own (sessions, Rossmann's Customers): money per one."""


def _per_unit(writer: _Writer, table: TableInfo) -> None:
    """Money per counted thing that no column holds: an ad export's spend per purchase (per lead,
    per install: 'cost per purchase by campaign'), a web analytics file's revenue per session
    or per user ('revenue per session by source / medium')."""
    sums = {m["expr"]: m for m in writer.measures if m["table"] == table.clean and m["agg"] == "sum"}
    metric_of = {x.get("measure"): x for x in writer.metrics if x.get("type") == "simple"}
    spend = next((metric_of[m["name"]] for m in sums.values()
                  if metric_of.get(m["name"], {}).get("label") == "Ad spend"), None)
    revenue = next((metric_of[m["name"]] for m in sums.values() if metric_of.get(m["name"], {}).get("format") == "currency"
                    and {"revenue", "sales"} & set(naming.words(metric_of[m["name"]]["label"]))), None)
    for column in table.columns:
        if column.clean not in sums or set(column.words) & _MONEY or sums[column.clean]["name"] not in metric_of:
            continue
        last = column.words[-1]
        thing = last[:-1] if last.endswith("es") and last[:-1] in _ACTIONS else naming.singular(last)  # purchases
        if spend is not None and thing in _ACTIONS and len(column.words) <= 2:
            zh_bare = naming.label_zh([thing]).removesuffix("量").removesuffix("数")  # 安装量: 每次安装成本
            _unit_ratio(writer, table, spend, metric_of[sums[column.clean]["name"]], column, "Cost", "成本",
                        ["cost per {t}", "spend per {t}", _COST_PER_INITIALS.get(thing, ""), "{z}成本", "每次{z}成本",
                         "单次{z}成本", *([f"{zh_bare}成本", f"每次{zh_bare}成本", f"单次{zh_bare}成本",
                                         f"每个{zh_bare}成本"] if len(column.words) == 1 and zh_bare else [])])
        elif revenue is not None and thing in _VISITS and len(column.words) == 1:
            _unit_ratio(writer, table, revenue, metric_of[sums[column.clean]["name"]], column, revenue["label"],
                        revenue["label_zh"], ["{m} per {t}", "average {m} per {t}", "每{z}{mz}", "{z}均{mz}"])


_COST_PER_INITIALS = {"purchase": "cpp", "install": "cpi", "lead": "cpl", "conversion": "cpa"}
"""What marketers call a cost per thing by its initials (an app's CPI, a B2B campaign's CPL)."""


def _unit_ratio(writer: _Writer, table: TableInfo, money: dict[str, Any], count: dict[str, Any], column: ColumnInfo,
                label: str, zh: str, patterns: list[str]) -> None:
    thing = [w[:-1] if w.endswith("es") and w[:-1] in _ACTIONS else naming.singular(w) for w in column.words]
    said, said_zh = " ".join(thing), naming.label_zh(thing)
    name = naming.clean_name(f"{label} per {said}")
    words = [p.format(t=said, z=said_zh, m=money["label"].lower(), mz=money["label_zh"]) for p in patterns if p]
    same = next((x for x in writer.metrics if x.get("numerator") == money["measure"]
                 and x.get("denominator") == count["measure"]), None)
    if same is not None:  # the cost per conversion is the cost per purchase when purchases are the conversions
        writer.add_synonyms(same, [f"{label.lower()} per {said}", *words])
        return
    if name in writer.used:
        return
    writer.used.add(name)
    item: dict[str, Any] = {"name": name, "type": "ratio", "numerator": money["measure"], "denominator": count["measure"],
                            "format": "currency", "label": f"{label} per {said}", "label_zh": f"每{said_zh}{zh}",
                            "description": f"{money['label']} divided by {column.name} on {table.name} "
                            "(derived by the drafter)."}
    writer.claim_words(item, words, table)
    writer.metrics.append(item)


def _drop_metric(writer: _Writer, metric: dict[str, Any], measure: dict[str, Any] | None) -> None:
    """Take a metric (and its measure) out of the draft, freeing its words."""
    writer.metrics.remove(metric)
    for word in (metric["label"], metric["label_zh"], *metric.get("synonyms", [])):
        if writer.owners.get(word.lower(), (None,))[0] is metric:
            del writer.owners[word.lower()]
    if measure is not None:
        writer.measures.remove(measure)


def _distinct_counts(writer: _Writer, table: TableInfo, time: str | None) -> None:
    """Distinct entities on a fact: parents without a time of their own (customers on
    invoices), and id columns with no table (a flat export's invoice number)."""
    for column in table.columns:
        if column.name == table.primary_key:
            continue
        parent = None if column.name in table.listings else table.parents.get(column.name)
        if parent is not None:
            parent_table = writer.by_name[parent[0]]
            if writer.time_of(parent_table) is not None and parent_table.primary_key:
                _buyers_of_purchases(writer, table, column, parent_table, time)
                continue
            person = _person_behind_key(parent_table)
            if person is not None:  # the persons behind the parent's per-order key, through the join
                _count_distinct(writer, table, person, _person_entity(person), time,
                                expr=f"{parent_table.clean}.{person.clean}")
                continue
            entity = writer.entity_words(parent_table)
            keyed = _keyed_entity(parent_table.column(parent[1]))
            if keyed and keyed[-1] in entity[:-1] and keyed[-1] in _PERSON:
                entity = keyed  # hh_demographic keyed by household_key: the households
            if parent_table.rows <= MAX_CATEGORY_VALUES and not set(entity) & _PERSON and not parent_table.parents \
                    and _named_rows(parent_table):
                continue  # a lookup table (statuses, methods): its dimension says more; not a catalog
                # of products that has suppliers and categories of its own
        elif _numbered_entity(writer, table, column) is not None:
            entity = _numbered_entity(writer, table, column) or []
        elif column.words and column.words[-1] == "session" and column.text and 1 < column.distinct < table.rows:
            entity = ["session"]  # REES46's user_session: the sessions
        elif (who := _person_by_handle(table, column) or _member_of(writer, table, column)) is not None:
            entity = who  # 有赞's 买家昵称 on each order: the buyers; Criteo's 'campaign' code: "how many campaigns"
        elif naming.is_id_like(column.name) and not column.temporal and column.distinct > 1:
            entity = [naming.singular(w) for w in column.words[:-1]]
            entity = [w for w in entity if w not in _WHOLE_WORDS] or entity  # 'parent_order_no': the orders
            repeated_header = bool(entity) and entity[-1] in _HEADERS and column.distinct < table.rows \
                and not (table.primary_key and naming.singular(writer.entity_words(table)[-1]) == entity[-1])
            # Instacart's orders.order_number (a user's 1st, 2nd ... order) counts no orders: the rows are them
            if not entity or not (set(entity) & _PERSON or not column.numeric or repeated_header):
                continue  # a number repeated on an order's lines ('ORDERNUMBER') counts the orders
            if column.values and column.nulls and naming.singular(entity[-1]) not in _ENTITY_NOUNS \
                    and not set(entity) & _PERSON:
                continue  # a short list of optional codes (discount codes): "by discount code" is the dimension
            if naming.singular(entity[-1]) not in _ENTITY_NOUNS:
                entity = [*entity, column.words[-1]]  # 'stock code' → 'Stock codes'

        else:
            continue
        _count_distinct(writer, table, column, entity, time)


_MEMBERS = {"campaign", "ad", "adset", "creative", "store", "shop", "brand", "seller", "advertiser", "publisher",
            "site", "app", "keyword", "merchant", "supplier", "vendor"}


def _named_rows(table: TableInfo) -> bool:
    """A text column naming each row (a status's name, a method's label): a lookup table's
    dimension. Rossmann's 20 stores have a type and an assortment, no name: they are counted."""
    return any(c.text and c.name != table.primary_key and c.distinct * 2 > table.rows for c in table.columns)


def _member_of(writer: _Writer, table: TableInfo, column: ColumnInfo) -> list[str] | None:
    """A column named only for a thing the rows belong to ('campaign', 'Store', 'Brand Name'),
    repeating down a table whose rows are not those things: "how many campaigns" counts its
    distinct values (unless a count of that name is already drafted). Not a number that is an
    amount (UCI bank's 'campaign': the contacts made during the campaign)."""
    if writer.time_of(table) is not None or not writer.standalone(table):
        return None  # a flat log with no calendar only (a dated file splits by store, a catalog by brand)
    words = [naming.singular(w) for w in column.words if w != "name"]
    if len(words) != 1 or words[0] not in _MEMBERS or column.temporal or column.flag or _is_measure(table, column) \
            or not 1 < column.distinct < table.rows or naming.plural(words[0]) in writer.owners \
            or naming.singular(writer.entity_words(table)[-1]) == words[0]:
        return None
    return words


def _buyers_of_purchases(writer: _Writer, table: TableInfo, column: ColumnInfo, people: TableInfo,
                         time: str | None) -> None:
    """The people who bought, counted on the purchases: a table of people with a time of their
    own (users and their sign-up date) counts sign-ups by it, so the purchases' distinct people are
    a metric of another name, the buyers ("buyers last month", "repeat purchase rate", "revenue
    per buyer" on an app database of users and purchases)."""
    entity = writer.entity_words(people)
    if not set(entity) & _PERSON or naming.singular(writer.entity_words(table)[-1]) not in _HEADERS \
            or "buyers" in writer.used or any(m["table"] == table.clean and m["agg"] == "count_distinct"
                                              for m in writer.measures):
        return
    who = naming.plural(entity[-1])
    writer.add_metric("buyers", {"table": table.clean, "agg": "count_distinct", "expr": column.clean, "time": time},
                      "Buyers", "购买人数",
                      ["buyers", "purchasers", "paying " + who, f"{who} who bought", f"{who} who purchased",
                       f"{who} who ordered", f"{who} that bought", f"{who} bought", f"{who} purchased",
                       "number of buyers", "distinct buyers", "unique buyers", "买家数", "购买用户数", "下单人数",
                       "购买过的用户数", "付费用户数"],
                      f"Distinct {column.name} on {table.name}: the {who} who bought.")


def _things_of_an_event_log(writer: _Writer, table: TableInfo, entity: list[str]) -> bool:
    """The items of a flat event log (RetailRocket's itemid on each view): "how many distinct
    items were viewed" counts them, the only handle on items the data has."""
    return naming.singular(entity[-1]) in {"item", "product"} and writer.standalone(table) \
        and _event_column(table) is not None


_HANDLES = {"nickname", "username", "login", "handle"}
"""What names one person across their rows in an export with no customer id (an e-mail is
personal data the guard never reads, not even to count)."""


def _person_by_handle(table: TableInfo, column: ColumnInfo) -> list[str] | None:
    """A person named by a nickname or user name (有赞's 买家昵称) repeating over the
    rows of a table with no id of theirs: its distinct values are the people ("number of
    customers", 买家数)."""
    if not column.text or len(column.words) != 2 or column.words[-1] not in _HANDLES \
            or naming.singular(column.words[0]) not in _PERSON or not 1 < column.distinct < table.rows:
        return None
    person = naming.singular(column.words[0])
    if any(naming.is_id_like(c.name) and naming.singular(c.words[0]) == person for c in table.columns):
        return None  # a 'customer_id' beside it counts them
    return [person]


_PART_WORDS = {"sub", "child", "line", "item", "detail", "split"}
"""A key's first word that makes its rows parts of what the rest names: 抖店's 子订单编号 (a
sub-order) keys the sku lines of the order numbered by 主订单编号."""


_WHOLE_WORDS = {"parent", "main", "master"}
"""A repeated number's qualifier saying it numbers the whole ('parent_order_no' beside 'sub_order_no')."""


def _lines_of(table: TableInfo, words: list[str]) -> list[str] | None:
    """Rows that are the lines of an order whose number repeats on each: Superstore's 'Orders'
    sheet keys its rows by 'Row ID' and carries 'Order ID' on every line of an order, so
    counting its rows counts order lines, not orders (2,150 lines were 886 orders in 2017).
    The repeated number names the table's own entity, or any order/invoice when the key is a
    row number ('Sample - Superstore')."""
    if not table.primary_key:
        return None
    key = table.column(table.primary_key)
    for column in table.columns:
        if column is key or column.temporal or not naming.is_id_like(column.name) \
                or not 1 < column.distinct < table.rows:
            continue
        entity = [naming.singular(w) for w in column.words[:-1]]
        keyed = _keyed_entity(key)
        part = len(keyed) > 1 and keyed[0] in _PART_WORDS and keyed[-1:] == entity[-1:]  # sub_order_no
        if entity and keyed[-1:] == entity[-1:] and not part:
            continue  # Instacart's orders keyed by order_id: 'order_number' (a user's 1st, 2nd ...) is no order
        if entity and (entity == words or ((set(key.words) & {"row", "line"} or part) and entity[-1] in _HEADERS)):
            return [*(w for w in entity if w not in _WHOLE_WORDS), "line"]
    return None


def _numbered_entity(writer: _Writer, table: TableInfo, column: ColumnInfo) -> list[str] | None:
    """What a column of order numbers repeated over a file's line rows counts: Shopify's
    orders_export has one row per line item and the order's '#1001' in 'Name' on each, so
    orders are its distinct values. The entity is the table's when that is an order, invoice,
    receipt ... ('orders_export'); else an order when the numbers start with '#'."""
    if not column.numbered or column.distinct >= table.rows or table.primary_key:
        return _header_named(table, column)
    entity = writer.entity_words(table)
    if naming.singular(entity[-1]) in _HEADERS:
        return [naming.singular(w) for w in entity]
    return ["order"] if column.numbered == "#" else None


def _header_named(table: TableInfo, column: ColumnInfo) -> list[str] | None:
    """A column named only for the purchase each line belongs to ('Invoice' in Online Retail II,
    'Transaction', 'Receipt'), repeating over the lines of a file with no key: its distinct
    values are those purchases ("how many invoices"). 'Order' alone must hold numbers (it may
    be a sort order)."""
    if len(column.words) != 1 or table.primary_key or not MAX_CATEGORY_VALUES < column.distinct < table.rows:
        return None  # a 'Transaction' of debit / credit is a kind of transaction, no number of one
    word = naming.singular(column.words[0])
    if word not in _HEADERS or (word == "order" and not column.numbered) or _purchase_amount(column):
        return None
    return [word]


def _person_behind_key(table: TableInfo) -> ColumnInfo | None:
    """Olist's customers: 'customer_id' is new with every order, 'customer_unique_id' is the
    person. A column named like the key plus 'unique' (or 'global', 'master'), repeating
    across rows, is who the rows are about: counting the key would count each person once
    per order."""
    if not table.primary_key:
        return None
    key = [w for w in table.column(table.primary_key).words]
    for column in table.columns:
        marked = set(column.words) & {"unique", "global", "master"}
        if marked and column.name != table.primary_key and naming.is_id_like(column.name) \
                and [w for w in column.words if w not in marked] == key and 1 < column.distinct < table.rows:
            return column
    return None


def _people_behind_keys(writer: _Writer, table: TableInfo) -> None:
    """The count of the persons behind a per-order key, on their own table (no time of its own:
    '.. in 2018' is refused rather than counted per order)."""
    column = _person_behind_key(table)
    if column is not None and not any(m["expr"] in (column.clean, f"{table.clean}.{column.clean}")
                                      for m in writer.measures if m["agg"] == "count_distinct"):
        _count_distinct(writer, table, column, _person_entity(column), writer.time_of(table))


def _person_entity(column: ColumnInfo) -> list[str]:
    return [naming.singular(w) for w in column.words if w not in ("unique", "global", "master")][:-1] or ["person"]


def _count_distinct(writer: _Writer, table: TableInfo, column: ColumnInfo, entity: list[str],
                    time: str | None, *, expr: str | None = None) -> None:
    label = naming.label_en([*entity[:-1], naming.plural(entity[-1])])
    name = naming.clean_name(label)
    if name in writer.used:
        name = f"{name}_{table.clean}"
    zh = naming.count_label_zh(entity)
    buyers = [f"{label.lower()} bought", f"{label.lower()} who bought", f"{label.lower()} purchased",
              "buyers", "购买人数", "买家数"] if set(entity) & _PERSON else []
    if set(column.words) & {"stock", "product", "item", "sku", "article"}:
        buyers += ["unique products", "distinct products", "number of products", "different products",
                   "产品数", "商品数", "产品种类数"]
    if entity[-1] in _HEADERS and (column.numbered or (column.numeric and not table.primary_key)
                                   or _header_named(table, column)):
        # the order numbers of a file of order lines; a basket id repeated on its lines
        buyers += _HEADER_SYNONYMS
    if entity[-1] in _HEADERS and not table.primary_key and column.text and column.distinct < table.rows:
        buyers += naming.count_words_zh(zh)[2:3]  # 有赞's 订单号 on each line: "一共有多少订单", "已退款的订单有多少"
    if entity[-1] in _HEADERS and column.distinct < table.rows:  # Superstore's Order ID on each line: 多少单
        buyers += _ORDERS_SAID_ZH
    if len(entity) > 1 and entity[-1] in _PERSON:  # GA's fullVisitorId: "unique visitors", "visitors", UV
        head = naming.plural(entity[-1])
        buyers += [head, f"unique {head}", f"distinct {head}", f"number of {head}",
                   *naming.glossary_synonyms(entity[-1:]), *naming.count_words_zh(naming.count_label_zh(entity[-1:]))]
    if _paying_people(writer, table, entity):  # 用户标识 on a bill: the users who paid are its customers
        buyers += ["customers", "number of customers", "customer count", "客户数", "客户数量", "顾客数"]
    if set(entity) & _PERSON:  # "独立用户": the distinct people
        buyers += [f"独立{zh.removesuffix('数')}", f"独立{zh.removesuffix('数')}数"]
    writer.add_metric(name, {"table": table.clean, "agg": "count_distinct", "expr": expr or column.clean,
                             "time": time},
                      label, zh, [*buyers, f"number of {label.lower()}", f"distinct {label.lower()}",
                                  f"unique {label.lower()}",
                                  f"{' '.join(entity)} count",
                                  # a person's bare noun too ("各国家有多少客户") where no table of theirs
                                  # has a name column that the noun would name ("各客户的销售额": by company)
                                  *naming.count_words_zh(zh)[:3 if set(entity) & _PERSON
                                                              and column.name not in table.parents else 2]],
                      f"Distinct {column.name} on {table.name}.")


def _paying_people(writer: _Writer, table: TableInfo, entity: list[str]) -> bool:
    """Users (buyers, members) who paid the amounts on a table, or placed its orders (Instacart's
    orders.user_id, no price anywhere), where nothing else names the customers: "how many
    customers" counts them."""
    return entity[-1] in {"user", "buyer", "member", "shopper"} and (any(
        _is_measure(table, c) and set(c.words) & _MONEY for c in table.columns) or writer.is_header(table)) and not any(
        {"customer", "client"} & {naming.singular(w) for w in [*t.words, *(w for c in t.columns for w in c.words)]}
        for t in writer.tables)


def _is_measure(table: TableInfo, column: ColumnInfo) -> bool:
    if not column.numeric or column.name == table.primary_key or column.name in table.parents:
        return False
    counted = column.words[0] in ("number", "count", "amount", "total")  # 'NumWebVisitsMonth': visits a month
    blocked = set(_without_window(column.words)) & _NOT_MEASURES
    if blocked == {"order"} and (set(column.words) & (_QUANTITY | _MONEY) or column.words[0] == "days"
                                 or _orders_done(column)):
        blocked = set()  # 'OrderQty': an order's quantity, no sort order; 'days_since_prior_order': a gap in days
    if naming.is_id_like(column.name) or (blocked and not counted) or column.flag \
            or _is_code(column) or _names_an_entity(column) or _clock_time(column) or _names_a_kind(column):
        return False
    return column.distinct > 1


_KIND_HEADS = {"region", "browser", "type", "category", "class", "segment", "group", "channel", "country", "city",
               "state", "province", "district", "area", "zone", "territory", "device", "platform", "os", "system",
               "language", "gender", "status", "source", "medium", "tier", "cluster", "geography", "position",
               "placement", "slot", "occupation", "profession", "job", "industry"}


def _names_a_kind(column: ColumnInfo) -> bool:
    """Whole numbers in a column named for a kind of thing (UCI online shoppers' 'Region' 1-9,
    'TrafficType', 'OperatingSystems', 'Browser'): codes for which one, never an amount."""
    words = [w for w in column.words if not w.isdigit()]  # 'Product_Category_1' is a category too
    whole = column.base_type in _WHOLE or column.whole_floats
    return whole and bool(words) and naming.singular(words[-1]) in _KIND_HEADS \
        and words[0] not in ("number", "count", "total", "amount", *_WINDOW_UNITS) \
        and not set(words) & _DURATION_WORDS and not _counts_something(column)


def _orders_done(column: ColumnInfo) -> bool:
    """Klaviyo's 'Placed Order', 'Completed Orders': a whole count of orders something did, no sort order."""
    return column.base_type in _WHOLE and len(column.words) == 2 and column.words[0].endswith("ed") \
        and naming.singular(column.words[1]) == "order"


_WINDOW_UNITS = {"day", "days", "d", "week", "weeks", "hour", "hours", "month", "months"}


def _without_window(words: list[str]) -> list[str]:
    """A header's words without the attribution window it counts over ('7 Day Total Sales',
    '14 Day Total Orders', '1 day view conversions'): a number and a period is how long, no
    calendar part of the row (a 'Day' column is one)."""
    out: list[str] = []
    for i, word in enumerate(words):
        if word in _WINDOW_UNITS and i and words[i - 1].isdigit():
            out.pop()
            continue
        out.append(word)
    return out


def _balance_synonyms(writer: _Writer) -> None:
    """A ledger's signed points summed over every entry are what is left: the points balance,
    the net points ("points balance by store", "积分余额")."""
    for table in writer.tables:
        for column in (c for c in table.columns if c.signed and set(c.words) & _LEDGER_UNITS):
            measure = next((m for m in writer.measures if m["table"] == table.clean and m["agg"] == "sum"
                            and m["expr"] == column.clean and not m.get("filter")), None)
            metric = next((x for x in writer.metrics if measure and x.get("measure") == measure["name"]), None)
            if metric is None:
                continue
            said = " ".join(column.words)
            zh = metric["label_zh"].split(" (")[0]
            writer.add_synonyms(metric, [f"{said} balance", f"net {said}", f"{said} left", "balance", "net balance",
                                         f"{zh}余额", f"剩余{zh}", f"净{zh}"])


def _window_synonyms(writer: _Writer) -> None:
    """A sum over an attribution window ('7 Day Total Orders') is what a marketer calls the
    orders or the total orders: its words without the window, when no other item has them."""
    for metric in [x for x in writer.metrics if x.get("type") == "simple"]:
        measure = next((m for m in writer.measures if m["name"] == metric["measure"]), None)
        table = writer.by_clean.get(measure["table"]) if measure else None
        column = next((c for c in table.columns if c.clean == measure["expr"]), None) if table and measure else None
        if column is None or measure is None or measure["agg"] not in ("sum", "avg"):
            continue
        bare = _without_window(column.words)
        if bare == column.words or not bare:
            continue
        head = [w for w in bare if w != "total"] or bare
        said = [" ".join(head), " ".join(bare), head[-1], f"total {head[-1]}"] if measure["agg"] == "sum" \
            else [f"average {' '.join(head)}"]
        writer.add_synonyms(metric, [*said, naming.label_zh(head)] if measure["agg"] == "sum" else said)


_ORG_NOUNS = {"manufacturer", "supplier", "vendor", "brand", "seller", "merchant", "retailer", "shop", "store",
              "partner", "publisher", "advertiser", "agent", "employee", "salesperson", "rep", "warehouse", "outlet"}
_DURATION_WORDS = {"spent", "since", "duration", "seconds", "secs", "minutes", "mins", "hours", "hrs", "on", "watch", "watched",
                   "load", "loading", "response", "lead", "average", "total", "delivery", "wait", "waiting"}


def _names_an_entity(column: ColumnInfo) -> bool:
    """Whole numbers in a column named by one entity in the singular (dunnhumby's MANUFACTURER,
    Rossmann's Store): which one, not how many. 'Customers' (plural) stays a count."""
    words = column.words
    return column.base_type in _WHOLE and len(words) == 1 and column.name.lower() == words[0] \
        and naming.singular(words[0]) == words[0] and words[0] in _ORG_NOUNS | _ENTITY_NOUNS


def _clock_time(column: ColumnInfo) -> bool:
    """A time of day kept as a number ('TRANS_TIME' 1631 = 16:31): no amount to add up."""
    return "time" in column.words and column.base_type in _WHOLE and not set(column.words) & _DURATION_WORDS


def _is_rating(column: ColumnInfo) -> bool:
    """A review's score of 1 to 5 (or 10): averaged as a metric, and each review compared by it
    ('reviews with a score of 1', '5-star reviews')."""
    numbers = [v for v in column.values if isinstance(v, int)]
    return bool(set(column.words) & {"score", "rating", "stars", "star"}) and column.base_type in _WHOLE \
        and len(numbers) >= 3 and min(numbers) >= 0 and max(numbers) <= 10


def _is_code(column: ColumnInfo) -> bool:
    """Whole numbers that label rather than count: few values spread thinly over a wide range
    (interest 2, 7, 10 ... 114), named by no amount or quantity word. Summed, they mean nothing."""
    numbers = [v for v in column.values if isinstance(v, int)]
    if column.base_type not in _WHOLE or len(numbers) < 5 or set(column.words) & (_MONEY | _QUANTITY | _AVERAGED) \
            or _counts_something(column):  # an email report's 'Opens', 'Bounces' over 40 campaigns: counts
        return False
    return max(numbers) - min(numbers) + 1 > 2 * len(numbers)


def _boolean_dimension(writer: _Writer, data: dict[str, Any], column: ColumnInfo, table: TableInfo) -> None:
    """A yes/no dimension: BOOLEAN, 0/1 (yes is 1) or 'Y'/'N' text (TPC-DS's d_weekend)."""
    words = column.words
    data["type"] = "boolean"
    said = data["label_zh"]
    if len(said) > 1 and not said.isascii() and said.endswith(("量", "数")) and f"是否{said[:-1]}" not in writer.owners:
        writer.owners.pop(said.lower(), None)  # 0/1 'click' is whether a row was clicked (是否点击); 点击量 counts them
        data["label_zh"] = f"是否{said[:-1]}"
        writer.owners[data["label_zh"]] = (data, "label")
    if set(words) <= _OUTCOME_NAMES:
        writer.add_synonyms(data, _OUTCOME_YES)
    yes = _yes_letter(column)
    if yes is not None:
        data.pop("column")
        data["expr"] = f"{column.clean} = '{yes}'"
    elif column.base_type != "BOOLEAN":  # 0/1: yes is 1
        data.pop("column")
        data["expr"] = f"{column.clean} = 1"
    _flag_words(writer, data, words, table)
    meant = _flag_meaning(column)
    day = _day_of_retention(meant)
    if day is not None:  # 'retention_7': "players retained after 7 days"
        writer.add_synonyms(data, [f"retained after {day} days", f"retained after {day} day", f"retained on day {day}",
                                   f"retained for {day} days", f"day {day} retained", f"retained day {day}",
                                   f"{day}日留存的", f"第{day}天留存的"])
    elif meant != ([w for w in words if w not in _FLAG_PREFIXES] or words):  # 'Exited': churned
        zh = naming.label_zh(meant)
        writer.add_synonyms(data, [*meant, *_done_forms(meant), *([zh, f"已{zh}"] if zh and not zh.isascii() else []),
                                   *(["converted", "purchased", "made a purchase", "ended in a purchase",
                                      "with a purchase", "购买", "已购买"] if meant == ["conversion"] else [])])


def _yes_letter(column: ColumnInfo) -> str | None:
    """The 'Y' of a text column holding only 'Y' and 'N' (a warehouse's yes/no flags)."""
    values = [str(v) for v in column.values]
    if not column.text or len(values) != 2 or {v.strip().upper() for v in values} != {"Y", "N"}:
        return None
    return next(v for v in values if v.strip().upper() == "Y").replace("'", "''")


_PRODUCT_HEADS = {"product", "item", "article", "sku", "stock"}
"""Whose description is the product's own ('Description', 'Item Description'); a
'COMMODITY_DESC' describes the commodity, a category of products."""


def _referenced(writer: _Writer, table: TableInfo) -> bool:
    """Another table points at this one (a star schema's store: six stores, six states)."""
    return any(p == table.name for t in writer.tables for p, _ in t.parents.values())


def _dimension(writer: _Writer, table: TableInfo, column: ColumnInfo) -> None:
    words = column.words
    linked = table.parents.get(column.name)
    if column.name == table.primary_key or _audit_stamp(column) or (
            linked is not None and not writer.by_name[linked[0]].natural_key):
        return  # a region linked to its managers' sheet is still the region
    # an address or a number to call is personal; a count of e-mail opens is not ('EmailOpens')
    personal = set(words) & _PII - {"first", "last", "full"} or "name" in words  # GA's fullVisitorId names nobody
    pii = bool(set(words) & _PII) and bool(personal) and not column.temporal and (
        column.text or bool(set(words) & {"phone", "mobile", "telephone", "ssn", "passport", "birth"})) \
        and not _place_of_address(words) and not _qualifies_a_thing(words)
    own = set(table.words) | {naming.singular(w) for w in table.words}
    # 'name', or the column named as its table is (Sakila's city.city, country.country): the row's label
    is_name = bool(set(words) & {"name"} or _named_as_table(writer, table, column)) and column.text and not pii
    described = bool(set(words) & (_NAMEISH - {"name"})) and column.text and not pii
    small = bool(column.values) and column.text and (column.distinct < max(table.rows, 2) or table.natural_key or (
        2 < table.rows <= MAX_CATEGORY_VALUES and not naming.is_id_like(column.name) and not is_name
        and not described and _referenced(writer, table)))  # six stores in six states: the state splits
    medium = (column.text and MAX_CATEGORY_VALUES < column.distinct <= MAX_INDEXED_VALUES
              and column.distinct <= table.rows * 0.5 and not naming.is_id_like(column.name))
    product_code = _only_product_code(table, column)  # Black Friday's Product_ID: "top products" rank its codes
    if not (column.temporal or column.flag or small or medium or is_name or described or pii or product_code):
        return
    if naming.is_id_like(column.name) and not small and not pii and not product_code:
        return  # a 'mobile_number' is still kept private
    base = [w for w in words if w not in _NAMEISH] if is_name else words
    if small and not is_name and len(words) > 1 and words[-1] == "description":
        base = words[:-1]  # 'AGE_DESC' '45-54', 'COMMODITY_DESC': the age band, the commodity itself
    if is_name and (not base or set(base) <= own | {"status", "type", "method"}):
        base = [naming.singular(w) for w in table.words] if set(base) <= own or not base else table.words
    label = naming.label_en(base or words)
    zh = naming.label_zh(base or words)
    name = naming.clean_name(" ".join(base or words))
    if label.lower() in writer.owners or (name in writer.used and not is_name):
        # a name column keeps its free label ("Track" for Track.Name) under a unique name
        prefix = [naming.singular(w) for w in table.words]
        label = naming.label_en([*prefix, *(base or words)])
        zh = naming.label_zh([*prefix, *(base or words)])
        name = naming.clean_name(" ".join([*prefix, *(base or words)]))
    name = _unique(name, writer.used)
    extra = _PRODUCT_WORDS if product_code or (described and _has_product_code(table) and set(words[:-1]) <= _PRODUCT_HEADS) or (
        is_name and base and naming.singular(base[-1]) in {"item", "product"}) else []  # 'Lineitem name'
    data: dict[str, Any] = {"name": name, "table": table.clean, "column": column.clean,
                            "label": label, "label_zh": zh, "description": f"{table.name}.{column.name}."}
    lookup = table.primary_key is not None and not any(c.temporal and not _audit_stamp(c) for c in table.columns)
    if is_name and base and not set(base) <= own and lookup and not _other_name_of(table, column) \
            and not _names_what_it_has(base, own):
        # Shippers' CompanyName: "by shipper", "各物流公司"; a fact's 'Customer Name' names no line
        extra = [*extra, *_entity_words(writer, table)]
    if described and words == ["title"] and not any(set(c.words) & {"name"} for c in table.columns if c.text):
        entity = writer.entity_words(table)  # a campaign's Title: "top campaigns by clicks"
        extra = [*extra, " ".join(entity), " ".join([*entity[:-1], naming.plural(entity[-1])]),
                 f"{' '.join(entity)} name", *naming.glossary_synonyms(entity)]
    writer.claim_words(data, [" ".join(base), " ".join(words), column.name.lower(), *_zh_head(column.name),
                              *naming.glossary_synonyms(base), *extra, *_owner_phrase(writer, table, base or words),
                              *_alternatives(column), *_done_to(words, column), *_place_of(writer, words),
                              *_said_by_thing(table, words, column)], table)
    if column.temporal:
        data["type"] = "time"
    elif column.flag or _yes_letter(column) is not None:
        _boolean_dimension(writer, data, column, table)
    elif pii:
        data["pii"] = True
    elif small and column.text:
        writer.add_synonyms(data, _kind_words(column, label, zh, table))
        grouped = [w for w in words if w not in _NAMEISH]
        if len(grouped) > 1 and grouped[-1] == "group":  # H&M's 'colour_group_name': "sales by colour", 各颜色
            writer.add_synonyms(data, [" ".join(grouped[:-1]), naming.label_zh(grouped[:-1])])
        gendered = bool(set(column.words) & {"gender", "sex"}) or _holds_genders(column)
        if gendered and not set(column.words) & {"gender", "sex"}:  # 'Genre' (Mall Customers): said as gender
            writer.add_synonyms(data, ["gender", "sex", "性别"])
        coded = _GENDER_CODES if gendered else _yes_words(column)
        data["values"] = [{"value": v, **({"label_zh": naming.value_zh(v)} if naming.value_zh(v) else {}),
                           **({"synonyms": words} if (words := coded.get(str(v).strip().lower())
                                                      or naming.value_synonyms(v)) else {})}
                          for v in column.values]
    writer.dimensions.append(data)


_QUALIFIED = {"order", "orders", "app", "device", "campaign", "campaigns", "channel", "platform", "os", "type",
              "share", "traffic", "sessions", "session", "visits", "users"}


def _qualifies_a_thing(words: list[str]) -> bool:
    """A personal word said of a thing, not of a person ('是否手机订单' is a mobile order, 'email
    campaign', 'mobile traffic'): no contact detail of anyone."""
    return any(w in _PII and i + 1 < len(words) and words[i + 1] in _QUALIFIED for i, w in enumerate(words))


_PLACE_OF = {"ship", "shipping", "billing", "bill", "delivery", "customer", "buyer", "shipto", "billto"}
_PLACES = {"city", "state", "country", "region", "province", "zip", "postcode", "district", "county"}
_ADDRESS_WORDS = {"default", "address", "primary", "home", "mailing", "main"}
_AREAS = {"city", "state", "country", "region", "province", "county"}


def _zh_head(name: str) -> list[str]:
    """A Chinese header's thing without its 'name' word ('计划名称' → 计划, '店铺名称' → 店铺) or an
    ad report's '推广' ('推广计划' → 计划): what a user calls the column ('各计划的花费')."""
    stripped = name.strip()
    if not naming.is_chinese(stripped):
        return []
    found: list[str] = []
    for tail in ("名称", "名字", "名"):
        if stripped.endswith(tail) and len(stripped) - len(tail) >= 2:
            stripped = stripped[:-len(tail)]
            found.append(stripped)
            break
    for head in ("推广", "广告", "投放"):  # an ad report's '推广计划', '广告计划名称': the plan (计划)
        if stripped.startswith(head) and len(stripped) - len(head) >= 2:
            found.append(stripped[len(head):])
            break
    if stripped.endswith("计划"):  # read literally by an English speaker: "impressions by ad plan"
        found += ["ad plan", "ad plans", "plan", "plans"]
    return found


def _place_of_address(words: list[str]) -> bool:
    """'Default Address City', 'Address Country Code': the area an address is in, which
    names no one (the street, the zip and the address itself stay private)."""
    area = words[:-1] if words[-1:] == ["code"] else words
    return bool(area) and area[-1] in _AREAS and set(area[:-1]) <= _PLACE_OF | _ADDRESS_WORDS


def _place_of(writer: _Writer, words: list[str]) -> list[str]:
    """'ship-state', 'Billing City': the place an order went to is asked as the place ("top
    states by sales", "sales by city") when no other column of the data is that place (a
    customer's City, a seller's, Shopify's Shipping City beside its Billing City: then the
    word is ambiguous and stays unclaimed)."""
    if words[-2:] in (["country", "code"], ["province", "code"], ["state", "code"]):
        words = words[:-1]  # Shopify's 'Default Address Country Code': the country
    if len(words) < 2 or not set(words[:-1]) <= _PLACE_OF | _ADDRESS_WORDS or words[-1] not in _PLACES \
            or not set(words[:-1]) & (_PLACE_OF | {"address"}):
        return []
    place = words[-1]
    others = [c for t in writer.tables for c in t.columns
              if c.words[-1:] == [place] or c.words[-2:] == [place, "code"]]  # a seller's city too
    return [place, naming.plural(place)] if len(others) == 1 else []


_THING_LABELS = {"location", "detail", "details", "description", "desc", "label", "title", "nickname"}


def _said_by_thing(table: TableInfo, words: list[str], column: ColumnInfo) -> list[str]:
    """'store_location', 'product_detail' (Maven's coffee shop sales: a store is its location,
    a product its detail line) are said by the thing itself: "sales by store", "best selling
    product", when no other text column of the table says what that thing is (its 'type' and
    'category' are kinds of it, not it). A person's location is no person."""
    if len(words) != 2 or words[1] not in _THING_LABELS or not column.text or words[0] in _PERSON:
        return []
    thing = words[0]
    others = [c for c in table.columns if c is not column and c.text and c.words[:1] == [thing]
              and len(c.words) == 2 and c.words[1] in _THING_LABELS | {"name"}]
    zh = naming.label_zh([thing])
    return [] if others else [thing, naming.plural(thing), *([zh] if zh != thing else [])]


_DONE_TO = {"purchased", "bought", "ordered", "sold", "used", "applied", "redeemed", "viewed", "selected"}


def _done_to(words: list[str], column: ColumnInfo) -> list[str]:
    """A column named for what was done to a thing ('Item Purchased', 'Promo Code Used',
    'Discount Applied') is also said by the thing: "top items by revenue", "used a promo code",
    "with a discount"."""
    if len(words) < 2 or words[-1] not in _DONE_TO or column.temporal:
        return []
    thing = words[:-1]
    said = [" ".join(thing), " ".join([*thing[:-1], naming.plural(thing[-1])]), *naming.glossary_synonyms(thing)]
    if column.flag:
        said += [f"{words[-1]} a {' '.join(thing)}", f"{words[-1]} {' '.join(thing)}", f"with a {' '.join(thing)}"]
    return said


_DATE_WORDS = {"date", "at", "on", "time", "datetime", "timestamp", "dt"}


def _alternatives(column: ColumnInfo) -> list[str]:
    """A header naming one thing two ways with a slash ('Country/Region', HubSpot's; 'State/Province'):
    each name alone asks for it ("contacts by country", 各国家). Not 'Session source / medium',
    two things in one value."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z ]*(/[A-Za-z][A-Za-z ]*)+", column.name.strip()):
        return []
    found = []
    for part in column.name.split("/"):
        words = naming.words(part)
        zh = naming.label_zh(words)
        found += [" ".join(words), *([zh] if zh and not zh.isascii() else [])]
    return found


def _named_as_table(writer: _Writer, table: TableInfo, column: ColumnInfo) -> bool:
    """Sakila's city.city, country.country: a linked table's column named exactly as the table
    is its rows' label (never a flat file's, whose name is only the file's)."""
    return not writer.standalone(table) and [naming.singular(w) for w in column.words] == writer.entity_words(table)


def _without_entity(writer: _Writer, table: TableInfo, words: list[str]) -> list[str]:
    """A column named with its table's entity first ('order_dow', 'order_hour_of_day' on
    orders) is also said without it: "orders by day of week", "by hour of day"."""
    entity = writer.entity_words(table)
    if len(words) <= len(entity) or [naming.singular(w) for w in words[:len(entity)]] != entity:
        return []
    rest = words[len(entity):]
    return [" ".join(rest), *naming.glossary_synonyms(rest)]


def _owner_phrase(writer: _Writer, table: TableInfo, words: list[str]) -> list[str]:
    """A column said with whose it is: "film rating", "customer email" (one phrase, so "rentals
    by film rating" is no split by film and by rating). Only for a table others link to."""
    entity = writer.entity_words(table)
    if writer.standalone(table) or [naming.singular(w) for w in words[:len(entity)]] == entity:
        return []
    return [" ".join([*entity, *words])]


_EVENT_DONE = {"return": "returned", "refund": "refunded", "delivery": "delivered", "deliver": "delivered",
               "ship": "shipped", "shipment": "shipped", "cancel": "cancelled", "cancellation": "cancelled",
               "payment": "paid", "pay": "paid", "completion": "completed", "complete": "completed",
               "close": "closed", "closing": "closed", "approval": "approved", "confirmation": "confirmed",
               "dispatch": "dispatched", "fulfillment": "fulfilled", "fulfilment": "fulfilled", "activation": "activated",
               "churn": "churned", "conversion": "converted", "open": "opened", "click": "clicked"}
"""The done form of an event a date column is named by ('return_date' → returned)."""

def _reached_phrases(writer: _Writer) -> None:
    """A breakdown said with whose it is, through links: "film category" (film → film_category
    → category), "customer country" (customer → address → city → country). One phrase, so
    "revenue by film category" is no split by film and by category."""
    for table in writer.tables:
        if writer.standalone(table):
            continue
        entity = writer.entity_words(table)
        reached, frontier = set(), [table.name]
        for _ in range(3):
            frontier = [p for name in frontier for p, _ in writer.by_name[name].parents.values() if p not in reached]
            reached.update(frontier)
        for data in writer.dimensions:
            owner = writer.by_clean.get(data["table"])
            label = data["label"].lower()
            if owner is None or owner.name not in reached or data.get("pii") or data.get("type") == "time" \
                    or label.split()[0] in entity:
                continue
            writer.add_synonyms(data, [f"{' '.join(entity)} {label}"])


_AUDIT_WORDS = {"update", "updated", "modified", "modify", "modification", "changed", "synced", "sync", "etl",
                "loaded", "ingested", "inserted", "rowversion", "refreshed"}


def _audit_stamp(column: ColumnInfo) -> bool:
    """When the row was last written ('last_update' on every Sakila table, AdventureWorks'
    'ModifiedDate', Rails' 'updated_at'): bookkeeping, not when anything happened. Never a
    table's time (every lookup table would get a count by it) nor a breakdown."""
    return column.temporal and bool(set(column.words) & _AUDIT_WORDS)


def _happened_flag(writer: _Writer, table: TableInfo, column: ColumnInfo) -> None:
    """An optional date that says when something happened ('ShippedDate' empty for open
    orders, 'Delivered at', 'Cancelled on') is also a yes/no: "orders that have shipped",
    "not shipped yet", "未发货的订单". Read as a date alone, the words were dropped and every
    order counted."""
    done = [w for w in column.words if w not in _DATE_WORDS]
    verb = _EVENT_DONE.get(done[0], done[0]) if len(done) == 1 else ""
    if not (column.temporal and column.name != table.primary_key and 0 < column.nulls < table.rows
            and len(column.words) > 1 and verb.endswith("ed") and len(verb) >= 5 and verb.isalpha()):
        return
    name = _unique(naming.clean_name(verb), writer.used)
    zh = naming.value_zh(verb) or naming.label_zh([verb])
    done_expr, undone_expr = f"{column.clean} IS NOT NULL", f"{column.clean} IS NULL"
    if verb in _UNDONE and (stage := _decided_stage(table)) is not None:
        # HubSpot fills an open deal's 'Close Date' with when it is expected to close: closed is
        # the stage ('Closed won' or 'Closed lost'), not a filled date
        column_name, won, lost = stage
        done_expr = f"{column_name} IN ('{won}', '{lost}')"
        undone_expr = f"({column_name} IS NULL OR {column_name} NOT IN ('{won}', '{lost}'))"
    data: dict[str, Any] = {"name": name, "table": table.clean, "expr": done_expr,
                            "label": naming.label_en([verb]), "label_zh": zh,
                            "description": f"{table.name}.{column.name} is filled: the {verb} ones "
                                           "(derived by the drafter).", "type": "boolean"}
    writer.claim_words(data, [verb, f"has {verb}", f"have {verb}", f"been {verb}", f"already {verb}"], table)
    writer.dimensions.append(data)
    _happened_count(writer, table, column, verb)
    if verb in _UNDONE:  # 'Close Date' empty: the open deals
        word, zh_word, more = _UNDONE[verb]
        undone: dict[str, Any] = {"name": _unique(naming.clean_name(word), writer.used), "table": table.clean,
                                  "expr": undone_expr, "label": naming.label_en([word]), "label_zh": zh_word,
                                  "description": f"{table.name}.{column.name} is empty: not {verb} yet "
                                                 "(derived by the drafter).", "type": "boolean"}
        writer.claim_words(undone, [word, f"still {word}", *more], table)
        writer.dimensions.append(undone)


_ENDINGS = {"cancelled": ("cancellations", "取消数", ["cancels", "取消", "取消量", "退订数"]),
            "canceled": ("cancellations", "取消数", ["cancels", "取消", "取消量", "退订数"]),
            "churned": ("churns", "流失数", ["churn count", "churned", "流失", "流失量"]),
            "unsubscribed": ("unsubscribes", "退订数", ["unsubscriptions", "opt outs", "退订"]),
            "terminated": ("terminations", "终止数", ["终止"])}
"""An ending a row's optional date says happened (a subscription's 'cancelled_at'): its noun."""


def _happened_count(writer: _Writer, table: TableInfo, column: ColumnInfo, verb: str) -> None:
    """The rows that ended, counted on the day they ended ('cancellations by month', 'churns in
    2024'): the table's own time is when each began, so counting it by that date answers
    something else (the subscriptions started in 2024 that were cancelled since)."""
    if verb not in _ENDINGS:
        return
    time = writer.time_of(table)
    if time is None or time == f"{table.clean}.{column.clean}" or not time.startswith(f"{table.clean}."):
        return
    _recurring_of_live(writer, table, column)
    noun, zh, more = _ENDINGS[verb]
    entity = [naming.plural(w) if i == len(ew) - 1 else w for ew in [writer.entity_words(table)]
              for i, w in enumerate(ew)]
    said = " ".join(entity)
    writer.add_metric(noun, {"table": table.clean, "agg": "count", "expr": "1", "time": f"{table.clean}.{column.clean}",
                             "filter": f"{column.clean} IS NOT NULL"},
                      naming.label_en([noun]), zh,
                      [noun, f"number of {noun}", f"{verb} {said}", f"{said} {verb}", f"{said} were {verb}", f"number of {verb} {said}",
                       f"{verb} count", *more],
                      f"{table.name} rows with {column.name} filled, counted on {column.name} (derived by the drafter).",
                      "number", table)
    base = next((m for m in writer.measures if m["table"] == table.clean and m["agg"] in ("count", "count_distinct")
                 and not m.get("filter") and m.get("time") == time), None)
    rate = _RATE_OF_ENDING.get(verb)
    if base is None or rate is None or rate[0] in writer.used:
        return
    name, label, zh_rate, words = rate
    ended = {"table": table.clean, "agg": base["agg"], "expr": base["expr"], "time": time,
             "filter": f"{column.clean} IS NOT NULL", "name": _unique(f"{name}_ended_m", writer.used)}
    writer.measures.append(ended)
    writer.used.add(name)
    item: dict[str, Any] = {"name": name, "type": "ratio", "numerator": ended["name"], "denominator": base["name"],
                            "format": "percent", "label": label, "label_zh": zh_rate,
                            "description": f"Share of {table.name} rows with {column.name} filled, of all its rows, "
                                           f"by when each began (derived by the drafter)."}
    writer.claim_words(item, words, table)
    writer.metrics.append(item)


_RATE_OF_ENDING = {
    verb: ("churn_rate" if verb in ("churned", "cancelled", "canceled", "terminated") else "unsubscribe_rate",
           "Churn rate" if verb != "unsubscribed" else "Unsubscribe rate", "流失率" if verb != "unsubscribed" else "退订率",
           ["churn rate", "cancellation rate", "cancel rate", "attrition rate", "churn", "取消率", "流失比例"]
           if verb != "unsubscribed" else ["unsubscribe rate", "opt out rate", "退订比例"])
    for verb in _ENDINGS}


_RECURRING = {"mrr", "arr", "recurring"}


def _recurring_of_live(writer: _Writer, table: TableInfo, column: ColumnInfo) -> None:
    """Monthly recurring revenue is that of the subscriptions still running: a cancelled one's
    'mrr' is no longer coming in, so "total MRR" leaves the rows with a cancellation date out."""
    recurring = {c.clean for c in table.columns if c.numeric and set(c.words) & _RECURRING}
    for measure in writer.measures:
        if measure["table"] == table.clean and measure["expr"] in recurring and not measure.get("filter"):
            measure["filter"] = f"{column.clean} IS NULL"
            for metric in (x for x in writer.metrics if x.get("measure") == measure["name"]):
                metric["description"] = f"{metric['description'].rstrip('.')}, of the rows with no {column.name} " \
                                        "(still running)."
            writer.report.append(f"{table.name}: {measure['expr']} counts the rows with no {column.name} only "
                                 "(recurring revenue still coming in).")


_BECAME = {"became", "become", "becomes"}


def _became(writer: _Writer, table: TableInfo, column: ColumnInfo) -> None:
    """A date saying when a row became something (HubSpot's 'Became a Customer Date', 'Became a
    Lead Date'): the rows that did, counted on that day ("customers won last month", "新客户数"),
    a yes/no, and their share of all rows by when each was created ("conversion rate to
    customer by source"). Read as a date alone, "how many customers did we win" found nothing."""
    done = [w for w in column.words if w not in _DATE_WORDS]
    if not done or done[0] not in _BECAME or not column.temporal or not 0 < column.nulls < table.rows:
        return
    noun_words = [naming.singular(w) for w in done[1:] if w not in ("a", "an", "the")]
    time = writer.time_of(table)
    if not 1 <= len(noun_words) <= 2 or time is None or time == f"{table.clean}.{column.clean}" \
            or not time.startswith(f"{table.clean}."):
        return
    noun = " ".join(noun_words)
    plural = " ".join([*noun_words[:-1], naming.plural(noun_words[-1])])
    zh = naming.label_zh(noun_words)
    filled = f"{column.clean} IS NOT NULL"
    flag: dict[str, Any] = {"name": _unique(naming.clean_name(f"became {noun}"), writer.used), "table": table.clean,
                            "expr": filled, "label": f"Became {noun}", "label_zh": f"已成为{zh}",
                            "description": f"{table.name}.{column.name} is filled: the rows that became {plural} "
                                           "(derived by the drafter).", "type": "boolean"}
    writer.claim_words(flag, [f"became a {noun}", f"became an {noun}", f"became {noun}", f"became {plural}"], table)
    writer.dimensions.append(flag)
    new = f"New {plural}"
    writer.add_metric(naming.clean_name(f"new {plural}"),
                      {"table": table.clean, "agg": "count", "expr": "1", "time": f"{table.clean}.{column.clean}",
                       "filter": filled},
                      new, f"新{zh}数",
                      [f"new {plural}", f"{plural} won", f"won {plural}", f"{plural} acquired", f"{plural} gained",
                       f"number of new {plural}", f"{plural} did we win", f"{plural} we won", f"{plural} did we gain",
                       f"{plural} did we acquire", f"{plural} did we get", f"new {noun} count", f"新{zh}", f"新增{zh}",
                       f"新增{zh}数"],
                      f"{table.name} rows with {column.name} filled, counted on {column.name} (derived by the drafter).",
                      "number", table)
    base = next((m for m in writer.measures if m["table"] == table.clean and m["agg"] in ("count", "count_distinct")
                 and not m.get("filter") and m.get("time") == time), None)
    name = naming.clean_name(f"{noun} conversion rate")
    if base is None or name in writer.used:
        return
    reached = {"table": table.clean, "agg": base["agg"], "expr": base["expr"], "time": time, "filter": filled,
               "name": _unique(f"{name}_reached_m", writer.used)}
    writer.measures.append(reached)
    writer.used.add(name)
    label = f"{noun_words[-1].capitalize() if len(noun_words) == 1 else noun.capitalize()} conversion rate"
    rate: dict[str, Any] = {"name": name, "type": "ratio", "numerator": reached["name"], "denominator": base["name"],
                            "format": "percent", "label": label, "label_zh": f"{zh}转化率",
                            "description": f"Share of {table.name} rows with {column.name} filled, of all its rows, "
                                           "by when each was created (derived by the drafter)."}
    writer.claim_words(rate, [f"conversion rate to {noun}", f"{noun} conversion rate", f"conversion to {noun}",
                              f"{noun} rate", f"% became {plural}", "conversion rate", "convert rate", "转化率",
                              f"{zh}转化率", f"转化为{zh}的比例"], table)
    writer.metrics.append(rate)


_UNDONE = {"closed": ("open", "未关闭", ["not closed", "not yet closed", "in progress", "进行中", "未成交", "未结束"])}
"""The word for an event's rows not done yet, when they have one of their own ('open deals')."""


def _names_what_it_has(base: list[str], own: set[str]) -> bool:
    """'product_category_name' on products: the table's own noun and then another one is the
    name of something the row has (its category), not of the row; "top products" grouped by
    it answered with categories."""
    return len(base) > 1 and base[0] in own and not set(base[1:]) <= own


def _other_name_of(table: TableInfo, column: ColumnInfo) -> bool:
    """Another text column names the table's rows more plainly ('Name', 'ProductName' on products)."""
    own = {naming.singular(w) for w in table.words}
    return any(c is not column and c.text and "name" in c.words
               and ({naming.singular(w) for w in c.words} - {"name"} <= own) for c in table.columns)


def _entity_words(writer: _Writer, table: TableInfo) -> list[str]:
    """How a table's rows are named in a question: 'shipper', 'shippers', 'shipper name', 物流公司."""
    entity = [naming.singular(w) for w in writer.entity_words(table)]
    plural = [*entity[:-1], naming.plural(entity[-1])]
    zh = naming.label_zh(entity)
    return [" ".join(entity), " ".join(plural), f"{' '.join(entity)} name", *naming.glossary_synonyms(entity),
            *([zh] if zh and not zh[-1:].isascii() else [])]


_FLAG_PREFIXES = {"is", "has", "was", "did", "flag", "if", "b"}
_GENDER_CODES = {"f": ["female", "women", "woman", "女性"], "m": ["male", "men", "man", "男性"],
                 "female": ["women", "woman", "女性"], "male": ["men", "man", "男性"]}
"""A gender column's one-letter codes, by the words marketers use ("sales for female customers")."""


def _holds_genders(column: ColumnInfo) -> bool:
    """Its values are genders (Male/Female, M/F, 男/女), whatever the header calls it."""
    values = {str(v).strip().lower() for v in column.values}
    return len(values) >= 2 and values <= {"male", "female", "m", "f", "男", "女", "other", "unknown", "u"} \
        and bool(values & {"male", "m", "男"}) and bool(values & {"female", "f", "女"})


_BANDS = re.compile(r"^\s*\d+\s*(-|–|to)\s*\d+\s*$|^\s*\d+\s*\+\s*$")


def _kind_words(column: ColumnInfo, label: str, zh: str, table: TableInfo) -> list[str]:
    """A category is also said as its kind ('contract type', 合同类型); one whose values are
    ranges ('30-34', '65+') as a group or band ('age group', 年龄段). Not when the table has
    that kind as a column of its own (Google Ads' 'Campaign' beside 'Campaign type')."""
    found: list[str] = []
    columns = {" ".join(c.words) for c in table.columns}
    bare = {" ".join(w for w in c.words if w not in _NAMEISH) for c in table.columns}  # H&M's 'product_type_name'
    own = " ".join(column.words)
    if not set(column.words) & {"type", "status", "kind", "category", "group", "band", "class", "year", "quarter",
                                "month", "week", "day", "date"} and f"{own} type" not in columns \
            and f"{label.lower()} type" not in bare:
        found += [f"{label.lower()} type", *([f"{zh}类型"] if zh and not zh.isascii() else [])]
    if sum(bool(_BANDS.match(str(v))) for v in column.values) * 2 > len(column.values) \
            and not columns & {f"{own} group", f"{own} band", f"{own} range"}:
        found += [f"{label.lower()} group", f"{label.lower()} band", f"{label.lower()} range",
                  *([f"{zh}段"] if zh and not zh.isascii() else [])]
    return found


def _yes_words(column: ColumnInfo) -> dict[str, list[str]]:
    """A Yes/No column with a third answer ("No internet service", "unknown"): its Yes and No are said by the
    column's own words ('customers with tech support')."""
    if not any(str(v).strip().lower() == "yes" for v in column.values):
        return {}
    phrases = [" ".join(column.words), *(w for w in naming.glossary_synonyms(column.words) if w.isascii())]
    zh = naming.label_zh(column.words)
    said_zh = zh and not zh.isascii()
    return {"yes": [*(f"{how} {p}" for p in phrases for how in ("with", "with a", "has", "has a", "have a", "in")),
                    *([f"有{zh}"] if said_zh else [])],
            "no": [*(f"{how} {p}" for p in phrases for how in ("no", "without", "without a", "not")),
                   *([f"没有{zh}", f"无{zh}"] if said_zh else [])]}


def _flag_words(writer: _Writer, data: dict[str, Any], words: list[str], table: TableInfo) -> None:
    """'is_won', 'has_churned', 'is_active': the flag is said without its prefix ("won deals",
    "churned customers", "active users"), and its label reads that way."""
    rest = [w for w in words if w not in _FLAG_PREFIXES]
    done = {noun: act for act, noun in _ACT_NOUNS.items()}
    noun = [w for w in rest if w not in ("status", "flag")]
    if len(noun) == 1 and noun[0] in done:  # a yes 'Subscription Status': "subscribed customers"
        writer.add_synonyms(data, [done[noun[0]], noun[0]])
    if len(rest) > 1 and (naming.singular(rest[-1]) == writer.entity_words(table)[-1] or (
            naming.singular(rest[-1]) in _PERSON and _describes_people(table))):
        rest = rest[:-1]  # 'OnlineOrderFlag' on orders: "online orders" are the orders counted, online;
        # 'IsActiveMember' on a file of customers: "active members" are the people counted, active
    if not rest or rest == words:
        done_zh = naming.label_zh(words)  # '已转化' is also said '转化' ('转化的用户')
        writer.add_synonyms(data, [*_done_forms(words), *([done_zh[1:]] if done_zh.startswith("已") else [])])
        return
    phrase = " ".join(rest)
    if phrase not in writer.owners and data["label"].lower() not in {phrase}:
        writer.owners.pop(data["label"].lower(), None)
        data["label"] = naming.label_en(rest)
        writer.owners[phrase] = (data, "label")
    zh = naming.label_zh(rest)
    if zh and not zh.isascii() and zh.lower() not in writer.owners:
        writer.owners.pop(data["label_zh"].lower(), None)
        data["label_zh"] = zh
        writer.owners[zh.lower()] = (data, "label")
    writer.add_synonyms(data, [phrase, *naming.glossary_synonyms(rest), *_done_forms(rest)])


def _done_forms(words: list[str]) -> list[str]:
    """How a yes on a flag is said: 'Churn' → churned, 'Complain' → complained, 'Response'
    → responded, 'AcceptedCmp1' → accepted campaign 1 (already a past form)."""
    head = words[-1] if len(words) == 1 else ""
    if not head.isalpha() or len(head) < 4 or head.endswith(("ed", "ing", "s", "er", "or")):
        return []
    if head.endswith("onse"):
        return [head[:-3] + "nded"]
    return [head + ("d" if head.endswith("e") else "ed")]


_PRODUCT_WORDS = ["product", "products", "item", "items", "产品", "商品"]


def _only_product_code(table: TableInfo, column: ColumnInfo) -> bool:
    """A product's code that is all a file says of its products (no name, no description): the
    products themselves, to rank and split by."""
    return column.text and naming.is_id_like(column.name) and column.name != table.primary_key \
        and [naming.singular(w) for w in column.words[:-1]] in (["product"], ["item"], ["sku"], ["article"]) \
        and 1 < column.distinct <= MAX_INDEXED_VALUES and column.distinct < table.rows \
        and not any(c.text and set(c.words) & _NAMEISH for c in table.columns if c is not column)


def _has_product_code(table: TableInfo) -> bool:
    """A description beside a stock/product/item code names the product (retail lines)."""
    return any(naming.is_id_like(c.name) and set(c.words) & {"stock", "product", "item", "sku", "article"}
               for c in table.columns)


def _table(table: TableInfo) -> dict[str, Any]:
    data: dict[str, Any] = {"name": table.clean}
    if table.clean != table.name:
        data["source"] = table.name
    data["description"] = f"{table.name} ({table.rows:,} rows)."
    if table.primary_key:
        data["primary_key"] = table.column(table.primary_key).clean
    data["columns"] = [{"name": c.clean, "type": c.type,
                        **({"source": c.name} if c.clean != c.name and not c.parts else {}),
                        **({"date_format": c.date_format} if c.date_format else {}),
                        **({"parts": [table.column(p).clean for p in c.parts]} if c.parts else {})}
                       for c in table.columns]
    if table.parents:
        data["many_to_one"] = [{"column": table.column(col).clean, "to": _clean_of(table, parent)}
                               for col, (parent, _) in table.parents.items()]
    return data


def _clean_of(table: TableInfo, parent: str) -> str:
    return naming.clean_name(parent) if parent != table.name else table.clean


# --- never refuse: drop what does not validate, and say so ----------------------------------------

_WHERE = re.compile(r"^(tables|dimensions|measures|metrics)\[(\d+)\]")


def repair_model_data(data: dict[str, Any], report: list[str]) -> dict[str, Any]:
    """Validate; leave out dimensions, measures and metrics with problems (said in
    ``report``) until the model validates, so a draft or an import is always written."""
    for _ in range(8):
        try:
            parse_model(data, source="draft")
            return data
        except ModelValidationError as error:
            dropped = _drop(data, error.problems)
            if not dropped:
                raise
            report += dropped
        except ModelError:
            raise
    return data


def _drop(data: dict[str, Any], problems: Any) -> list[str]:
    doomed: dict[str, set[int]] = {}
    notes = []
    for problem in problems:
        found = _WHERE.match(problem.path)
        if not found or found.group(1) == "tables":
            continue
        doomed.setdefault(found.group(1), set()).add(int(found.group(2)))
        notes.append(f"left out {found.group(1)[:-1]} '{data[found.group(1)][int(found.group(2))].get('name')}': "
                     f"{problem.message}")
    for section, indexes in doomed.items():
        data[section] = [item for i, item in enumerate(data[section]) if i not in indexes]
    names = {m["name"] for m in data.get("measures", [])}
    data["metrics"] = [m for m in data.get("metrics", []) if m.get("measure") in names or m.get("type") != "simple"]
    return notes


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name}_{n}", n + 1
    used.add(candidate)
    return candidate


# --- a file with no date, and yes/no columns ---------------------------------------------------

_DEMOGRAPHIC = {"age", "gender", "sex", "income", "marital", "education", "job", "occupation", "birth", "senior",
                "dependents", "partner", "kidhome", "teenhome", "salary"}
"""Columns that describe a person: a flat file that has them holds one person (customer) a row."""
_PEOPLE_WORDS = ["customers", "clients", "people", "contacts", "number of customers", "number of clients",
                 "customer count", "client count", "客户数", "客户", "人数", "客户数量", "顾客数"]


def _undated(writer: _Writer, table: TableInfo) -> None:
    """A table without a date: a flat file's rows and amounts as of now; any other (a catalog,
    a lookup, customers whose orders are dated) counts and sums nothing by itself."""
    if writer.standalone(table):  # one file of customers / contacts / ads, as of now
        _snapshot_count(writer, table, None)
        if not table.primary_key and not _repeated_person(table):  # Criteo's impressions: "how many users"
            _distinct_counts(writer, table, None)
        _amounts(writer, table, None)
        _wide_total(writer, table, None)
        _flag_rates(writer, table, None)


def _describes_people(table: TableInfo) -> bool:
    """Its columns describe a person (age, income, marital status ...)."""
    return len({w for c in table.columns for w in c.words} & _DEMOGRAPHIC) >= 2


_CALL_WORDS = ["calls", "number of calls", "call count", "calls made", "通话次数", "通话数", "电话次数", "致电次数"]
_CALL_VALUES = {"telephone", "cellular", "phone", "mobile", "landline", "call"}


def _rows_are_calls(table: TableInfo) -> bool:
    """A column saying how each row's contact was made ('cellular', 'telephone'): its rows are calls."""
    return any(c.text and {str(v).strip().lower() for v in c.values} & _CALL_VALUES
               and set(c.words) & {"contact", "channel", "method", "medium"} for c in table.columns)


_SESSION_SIGNS = {"bounce", "exit", "pageviews", "landing", "visitor", "traffic", "referrer", "browser"}
_SESSION_WORDS = ["sessions", "number of sessions", "session count", "visits", "number of visits", "会话数", "会话",
                  "访问次数", "访问数"]


def _rows_are_sessions(table: TableInfo) -> bool:
    """A file of web visits with no id (UCI's online_shoppers_intention: bounce and exit rates, page
    values, the visitor type and traffic type of each): each row is a session, so "how many
    sessions" counts its rows, unless a column counts sessions itself (a report's 'Sessions')."""
    said = {naming.singular(w) for c in table.columns for w in c.words}
    return len(said & _SESSION_SIGNS) >= 3 and not said & {"session", "visit", "sessions", "visits"}


def _snapshot_count(writer: _Writer, table: TableInfo, time: str | None) -> None:
    """The rows of a flat file without a date, counted under what a row is: the key's
    entity ('customerID', 'ad_id'), a person noun of the file name, or — when its columns
    describe people (age, income, marital status ...) — customers."""
    key = table.column(table.primary_key) if table.primary_key else None
    keyed = [naming.singular(w) for w in key.words if w not in ("id", "key", "no", "number", "code")] if key else []
    named = [naming.singular(w) for w in table.words if naming.singular(w) in _PERSON]
    if table.words and naming.singular(table.words[-1]) in _EVENT_WORDS | _EVENT_ROWS:
        named = []  # 'UserBehavior': a row is something a user did, not a user
    people = {w for c in table.columns for w in c.words} & _DEMOGRAPHIC
    repeated = None if key else _repeated_person(table)
    if repeated is not None:  # Black Friday: User_ID on each purchase, with its buyer's age and gender
        _snapshot_of_people(writer, table, repeated, time)
        return
    entity = keyed[-1:] or named[-1:] or (["customer"] if people else writer.entity_words(table))
    noun = naming.plural(entity[-1])
    label = naming.label_en([noun])
    zh = naming.count_label_zh(entity)
    words = [f"number of {noun}", f"{entity[-1]} count", f"# of {noun}", *naming.count_words_zh(zh),
             "rows", "records", "number of rows", "记录数", "行数"]
    if set(entity) & _PERSON or (people and not keyed):
        words += _PEOPLE_WORDS
    if _rows_are_calls(table):  # a telemarketing file: a row is a call made to a client
        words += _CALL_WORDS
    if not table.primary_key and _rows_are_sessions(table):  # UCI online shoppers: a row a visit
        words += _SESSION_WORDS
    words += naming.glossary_synonyms(entity[-1:])  # userid: "players"
    for held in {c.words[-1] for c in table.columns if c.flag and len(c.words) > 1 and c.words[-1] in _PERSON
                 and c.words[-1] != entity[-1]}:  # 'IsActiveMember': "active members", 活跃会员数
        words += [naming.plural(held), *naming.count_words_zh(naming.count_label_zh([held])),
                  naming.label_zh([held])]
    dated = next((c for c in table.columns if time and c.clean == time.split(".", 1)[1]), None)
    if dated is not None and set(dated.words) - {"date", "time", "at", "on", "since"} <= {*entity, *_JOIN_EVENTS}:
        words += _signup_words(noun, zh)  # 'Dt_Customer': the day each became a customer
    writer.add_metric(naming.clean_name(noun), {"table": table.clean, "agg": "count", "time": time,
                                                "expr": key.clean if key else "1"},
                      label, zh, words, f"Number of {table.name} rows (one {' '.join(entity)} each).", table=table)


def _repeated_person(table: TableInfo) -> ColumnInfo | None:
    """A person's id that repeats down a flat file ('User_ID' 420 times over 4,000 rows): the rows
    are what those people did, not the people, though they carry each one's age and gender."""
    for column in table.columns:
        entity = [naming.singular(w) for w in column.words[:-1]]
        if naming.is_id_like(column.name) and not column.temporal and entity and entity[-1] in _PERSON \
                and 1 < column.distinct < table.rows:
            return column
    return None


def _snapshot_of_people(writer: _Writer, table: TableInfo, person: ColumnInfo, time: str | None) -> None:
    """Rows counted as what they are, and the people as their distinct ids: "how many
    customers", "customers by age" count the ids, never the rows."""
    entity = writer.entity_words(table)
    if set(entity) & _PERSON or set(entity) & _ABOUT_PEOPLE:
        entity = ["record"]
    noun = naming.plural(entity[-1])
    zh = naming.count_label_zh(entity)
    writer.add_metric(naming.clean_name(noun), {"table": table.clean, "agg": "count", "time": time, "expr": "1"},
                      naming.label_en([noun]), zh,
                      [f"number of {noun}", f"{entity[-1]} count", *naming.count_words_zh(zh), "rows", "records",
                       "number of rows", "记录数", "行数"], f"Number of {table.name} rows.", table=table)
    before = len(writer.metrics)
    _distinct_counts(writer, table, time)  # the users, and the products they bought
    measures = {m["name"]: m for m in writer.measures}
    for metric in writer.metrics[before:]:
        if measures[metric["measure"]]["expr"] == person.clean:
            writer.add_synonyms(metric, _PEOPLE_WORDS)


_OUTCOME_NAMES = {"y", "target", "label", "outcome", "class", "result"}
"""A yes/no column named only as the thing predicted (UCI's 'y'): the file's outcome."""
_OUTCOME_RATE = ["conversion rate", "success rate", "subscription rate", "yes rate", "take-up rate",
                 "转化率", "成功率", "订阅率"]
_OUTCOME_YES = ["converted", "subscribed", "said yes", "successful", "success", "成功", "已转化", "订阅"]


_SPEND_WORDS = ["total spend", "total spending", "total amount spent", "total spent", "spend in total",
                "总消费", "消费总额", "总花费", "消费总金额"]
"""Only 'total' words: 'spend on gold' and 'average spend on wines' are one column's."""


def _wide_total(writer: _Writer, table: TableInfo, time: str | None) -> None:
    """A wide file's amounts of one kind, one column per thing ('MntWines', 'MntFruits' ...):
    their sum per row is the total spend, which no single column answers."""
    parts = [c for c in table.columns if _is_measure(table, c) and len(c.words) > 1 and c.words[0] == "amount"]
    if len(parts) < 3 or "total_spend" in writer.used:
        return
    expr = " + ".join(c.clean for c in parts)
    note = f"Sum of {', '.join(c.name for c in parts)} (derived by the drafter)."
    writer.add_metric("total_spend", {"table": table.clean, "agg": "sum", "expr": expr, "time": time},
                      "Total spend", "总消费", _SPEND_WORDS, note, "currency", table)
    writer.add_metric("avg_total_spend", {"table": table.clean, "agg": "avg", "expr": expr, "time": time},
                      "Average total spend", "平均总消费", ["avg total spend", "average total spending",
                                                         "人均总消费"], note, "currency", table)


_ACT_NOUNS = {"accepted": "acceptance", "converted": "conversion", "subscribed": "subscription",
              "responded": "response", "clicked": "click", "opened": "open", "purchased": "purchase",
              "redeemed": "redemption", "renewed": "renewal", "cancelled": "cancellation", "canceled": "cancellation",
              "reordered": "reorder", "complain": "complaint", "complained": "complaint"}


_FLAG_MEANS = {"exited": ["churn"], "attrited": ["churn"], "left": ["churn"], "churned": ["churn"],
               "revenue": ["conversion"], "sales": ["conversion"], "sale": ["conversion"],
               "transaction": ["conversion"], "buy": ["conversion"], "bought": ["conversion"]}
"""What a yes/no column means when its name says it another way: Kaggle's bank churn 'Exited' is
the churn; UCI online shoppers' TRUE/FALSE 'Revenue' says the session bought (a conversion),
it holds no money."""
_CONVERTED_WORDS = ["purchases", "number of purchases", "purchase rate", "buy rate", "购买率", "购买次数", "购买数"]
_CHURN_WORDS = ["churners", "number of churners", "流失客户数", "流失人数"]


def _flag_meaning(column: ColumnInfo) -> list[str]:
    words = [w for w in column.words if w not in _FLAG_PREFIXES] or column.words
    return _FLAG_MEANS.get(" ".join(words), words)


def _day_of_retention(words: list[str]) -> str | None:
    """'retention_7', 'retained_d1' (a game's or an app's yes/no per user): the day it is said of."""
    days = [w.removeprefix("d") for w in words if w.removeprefix("d").isdigit()]
    rest = [w for w in words if not w.removeprefix("d").isdigit() and w not in ("day", "days")]
    return days[0] if len(days) == 1 and rest and set(rest) <= _RETAINED else None


def _retention_words(day: str, name: str) -> list[str]:
    words = [f"day {day} retention rate", f"d{day} retention", f"retention day {day}", f"{day} day retention",
             f"day-{day} retention", f"{day}-day retention", f"average day {day} retention", f"{day}日留存",
             f"{day}日留存率", f"第{day}天留存率", f"第{day}日留存率", f"{day}天留存率"]
    return words + (["next day retention", "次日留存", "1日留存率"] if day == "1" else [])


def _flag_rates(writer: _Writer, table: TableInfo, time: str | None) -> None:
    """The share of rows a yes/no column is yes on ('Churn' → churn rate, 'Response' →
    response rate, 0/1 'Complain' → complain rate): the average of the flag as a number."""
    for column in table.columns:
        if not column.flag or column.name == table.primary_key or column.distinct < 2:
            continue
        words = _flag_meaning(column)
        day = _day_of_retention(words)
        if day is not None:  # 'retention_7' True/False: the 7-day retention of the rows
            writer.add_metric(f"day_{day}_retention", {"table": table.clean, "agg": "avg", "time": time,
                                                       "expr": f"CAST({column.clean} AS DOUBLE)"},
                              f"Day {day} retention", "次日留存率" if day == "1" else f"{day}日留存率",
                              _retention_words(day, column.name),
                              f"Share of {table.name} rows where {column.name} is yes (derived by the drafter).",
                              "percent", table)
            continue
        outcome = set(words) <= _OUTCOME_NAMES
        act = _ACT_NOUNS.get(words[0]) if len(words) == 1 else None  # 'converted': the conversion rate
        if len(words) == 1 and words[0] in _ACT_NOUNS.values():
            act = words[0]  # 'Conversion' (0/1): the conversion rate, and its yeses are the conversions
        said = [act] if act else words
        label = naming.label_en([*said, "rate"])
        zh = naming.label_zh(said)
        zh = naming.GLOSSARY.get(f"{act} rate", ("",))[0] or f"{naming.label_zh([act])}率" if act \
            else f"{zh}率" if zh and not zh.isascii() else naming.label_zh([*words, "rate"])
        synonyms = [f"{' '.join(words)} rate", f"% {' '.join(words)}", f"share {' '.join(words)}",
                    f"{' '.join(words)} percentage", *(_OUTCOME_RATE if outcome else [])]
        if act:
            synonyms += [f"{act} rate", f"% {words[0]}", f"share {words[0]}", f"{words[0]} rate"]
        if words[0] in _ACT_NOUNS and len(words) > 1:  # 'AcceptedCmp3': the acceptance rate of campaign 3
            act, of = _ACT_NOUNS[words[0]], " ".join(words[1:])
            synonyms += [f"{act} rate of {of}", f"{act} rate for {of}", f"{of} {act} rate"]
        measure: dict[str, Any] = {"table": table.clean, "agg": "avg", "expr": f"CAST({column.clean} AS DOUBLE)",
                                   "time": time}
        if words != ([w for w in column.words if w not in _FLAG_PREFIXES] or column.words):
            synonyms += [f"{' '.join(column.words)} rate", *(["attrition rate"] if words == ["churn"] else [])]
        if act == "click":  # a row a shown ad, 'click' 0/1 (Avazu, Criteo): its share is the CTR
            synonyms += _CTR_WORDS
        writer.add_metric(f"{column.clean}_rate", measure, label, zh, synonyms,
                          f"Share of {table.name} rows where {column.name} is yes (derived by the drafter).",
                          "percent", table)
        if act == "click":
            _rows_are_impressions(writer, table)
        if words == ["churn"]:  # 'Exited' yes counted: the churned customers
            count = {"table": table.clean, "agg": "sum", "expr": f"CAST({column.clean} AS INTEGER)", "time": time}
            writer.add_metric("churners", count, "Churners", "流失数", ["number churned", *_CHURN_WORDS],
                              f"Number of {table.name} rows where {column.name} is yes (derived by the drafter).",
                              "number", table)
        if act:  # 'converted' yes counted: the conversions
            count = {"table": table.clean, "agg": "sum", "expr": f"CAST({column.clean} AS INTEGER)", "time": time}
            zh_count = naming.label_zh([act])
            writer.add_metric(naming.clean_name(naming.plural(act)), count, naming.label_en([naming.plural(act)]),
                              zh_count if zh_count.endswith(("数", "量")) else f"{zh_count}数",
                              [naming.plural(act), f"number of {naming.plural(act)}", f"{words[0]} count",
                               f"total {naming.plural(act)}",
                               *(_CONVERTED_WORDS if column.words != words and act == "conversion" else [])],
                              f"Number of {table.name} rows where {column.name} is yes (derived by the drafter).",
                              "number", table)


_CTR_WORDS = ["ctr", "click through rate", "click-through rate", "clickthrough rate", "点击率", "点击通过率"]
_IMPRESSION_WORDS = ["impressions", "number of impressions", "impression count", "ads shown", "ad impressions",
                     "曝光量", "曝光数", "展示量", "展现量", "曝光次数", "展示次数"]


def _rows_are_impressions(writer: _Writer, table: TableInfo) -> None:
    """A log of shown ads with a yes/no 'click' and no count of impressions of its own (Avazu's
    train.csv, Criteo's): each row is one impression, so its row count is "how many
    impressions" (曝光量)."""
    if any(set(c.words) & {"impressions", "impression", "impr", "views"} for c in table.columns):
        return
    measures = {m["name"]: m for m in writer.measures}
    for metric in writer.metrics:
        measure = measures.get(metric.get("measure", ""))
        if measure and measure["table"] == table.clean and measure["agg"] == "count" and "filter" not in measure:
            writer.add_synonyms(metric, _IMPRESSION_WORDS)
            return


_WON = {"closed won", "won", "closed-won", "closedwon"}
_LOST = {"closed lost", "lost", "closed-lost", "closedlost"}


def _decided_stage(table: TableInfo) -> tuple[str, str, str] | None:
    """A stage column with a won and a lost outcome (a CRM's 'Deal Stage': 'Closed Won' /
    'Closed Lost'): its clean name and the two values, quoted for SQL."""
    for column in table.columns:
        values = {str(v).strip().lower(): v for v in column.values if isinstance(v, str)}
        won = [values[v] for v in values if v in _WON]
        lost = [values[v] for v in values if v in _LOST]
        if column.text and len(won) == 1 and len(lost) == 1:
            return column.clean, str(won[0]).replace("'", "''"), str(lost[0]).replace("'", "''")
    return None


def _win_rate(writer: _Writer, table: TableInfo, time: str | None) -> None:
    """A stage column with a won and a lost outcome (a CRM's 'Deal Stage': 'Closed Won' /
    'Closed Lost'): the win rate is the won among the decided, open deals left out."""
    if time is None or "win_rate" in writer.used:
        return
    stage = _decided_stage(table)
    if stage is None:
        return
    column = next(c for c in table.columns if c.clean == stage[0])
    quoted = [stage[1], stage[2]]
    measure: dict[str, Any] = {
        "table": table.clean, "agg": "avg", "time": time,
        "expr": f"CASE WHEN {column.clean} = '{quoted[0]}' THEN 1.0 WHEN {column.clean} = '{quoted[1]}' THEN 0.0 END"}
    writer.add_metric("win_rate", measure, "Win rate", "赢单率",
                      ["win rate", "won rate", "close rate", "closing rate", "win ratio", "win percentage",
                       "% won", "赢率", "成交率", "赢单比例"],
                      f"{table.name} rows with {column.name} '{quoted[0]}' among those '{quoted[0]}' or '{quoted[1]}' "
                      "(derived by the drafter; open ones left out).", "percent", table)
    _won_amounts(writer, table, time, column, quoted)


def _won_amounts(writer: _Writer, table: TableInfo, time: str, stage: ColumnInfo, quoted: list[str]) -> None:
    """A deal's amount counts as won revenue only when the deal was won: "won revenue", "average
    deal size" and the open pipeline each sum the amount of their own stages (a Closed Lost
    amount is never revenue), where the plain amount sums every deal."""
    amount = next((m for m in writer.measures if m["table"] == table.clean and m["agg"] == "sum"
                   and not m.get("filter") and any(x.get("measure") == m["name"] and x.get("format") == "currency"
                                                   for x in writer.metrics)
                   and not set(naming.words(m["expr"])) & _CHARGES), None)
    if amount is None:
        return
    column, expr = stage.clean, amount["expr"]
    won, decided = f"{column} = '{quoted[0]}'", f"'{quoted[0]}', '{quoted[1]}'"
    note = f"{amount['expr']} of the {table.name} rows with {stage.name} "
    writer.add_metric("won_amount", {"table": table.clean, "agg": "sum", "expr": expr, "time": time, "filter": won},
                      "Won amount", "赢单金额",
                      ["won revenue", "closed won amount", "closed won revenue", "won deal amount", "won deals amount",
                       "revenue won", "bookings", "revenue", "total revenue", "赢单收入", "成交金额", "收入"],
                      f"{note}'{quoted[0]}' (derived by the drafter; lost and open deals left out).", "currency", table)
    writer.add_metric("average_deal_size", {"table": table.clean, "agg": "avg", "expr": expr, "time": time,
                                            "filter": won},
                      "Average deal size", "平均赢单金额",
                      ["avg deal size", "deal size", "average won deal", "average won amount", "average won deal size",
                       "平均成交金额", "平均单笔赢单金额"],
                      f"Average {note}'{quoted[0]}' (derived by the drafter).", "currency", table)
    named = any(c.words == ["pipeline"] for c in table.columns)  # HubSpot's 'Pipeline' column: "by pipeline"
    writer.add_metric("open_pipeline", {"table": table.clean, "agg": "sum", "expr": expr, "time": time,
                                        "filter": f"({column} IS NULL OR {column} NOT IN ({decided}))"},
                      "Open pipeline", "在途商机金额",
                      [*([] if named else ["pipeline", "pipeline value", "pipeline amount"]), "open pipeline amount",
                       "open opportunity amount", "open deals amount", "商机管道金额", "管道金额", "未结商机金额", "在途金额"],
                      f"{note}neither '{quoted[0]}' nor '{quoted[1]}' (derived by the drafter).", "currency", table)


_GROUPING_IDS = {"category", "brand", "shop", "seller", "merchant", "campaign", "creative", "channel", "source",
                 "class", "group", "segment", "region", "city", "country", "store", "department", "aisle", "genre"}
"""What an id names that groups many rows into a few ('category_id'): a breakdown. An item's or
a product's id names one thing among thousands ("users who viewed items" is no split by item)."""


def _id_dimension(writer: _Writer, table: TableInfo, column: ColumnInfo) -> None:
    """A dated file's number naming a thing it has no table of (Taobao's 'category_id',
    'item_id' on each event): the only handle on that thing, so "top 5 categories by purchases"
    breaks down by it. A person's id is counted, never a breakdown; a key or a link is not one."""
    if column.base_type not in _WHOLE or not naming.is_id_like(column.name) or column.name == table.primary_key \
            or column.name in table.parents or column.distinct < 2 or column.distinct > MAX_INDEXED_VALUES:
        return
    head = [naming.singular(w) for w in column.words if w not in ("id", "key", "code", "no", "number")][-1:]
    if not head or (head[0] not in _GROUPING_IDS and not _things_of_an_event_log(writer, table, head)) \
            or head[0] in (naming.singular(w) for w in table.words) \
            or naming.label_en(head).lower() in writer.owners or naming.plural(head[0]) in writer.owners \
            or any(c is not column and head[0] in (naming.singular(w) for w in c.words) for c in table.columns):
        return  # an order's id counts orders; REES46's category_code beside category_id is the category
    name = _unique(naming.clean_name(head[0]), writer.used)
    zh = naming.label_zh(head)
    data: dict[str, Any] = {"name": name, "table": table.clean, "column": column.clean,
                            "label": naming.label_en(head), "label_zh": zh if zh and not zh.isascii() else
                            naming.label_zh(column.words), "description": f"{table.name}.{column.name}."}
    writer.claim_words(data, [naming.plural(head[0]), " ".join(column.words), column.name.lower(),
                              *naming.glossary_synonyms(head)], table)
    writer.dimensions.append(data)


def _numbered_things(writer: _Writer, table: TableInfo) -> None:
    """A table of things known by number only (Rossmann's store.csv: 'Store' 1..1115, its type,
    assortment, competition; no name): the number is what the facts pointing at it are split by
    ("top 3 stores by sales", "sales by store"), as a name would be. A thing with a name column is
    split by the name; a person's number is counted, never listed."""
    if not table.primary_key or not any(p == table.name for t in writer.tables for p, _ in t.parents.values()):
        return
    key = table.column(table.primary_key)
    if key.base_type not in _WHOLE or not 1 < table.rows <= MAX_INDEXED_VALUES \
            or any(c is not key and c.text and c.distinct * 2 > table.rows for c in table.columns):
        return
    thing = [naming.singular(w) for w in writer.entity_words(table)][-1:]
    if not thing or _keyed_entity(key)[-1:] != thing or thing[0] in _PERSON or thing[0] in _FILE_WORDS | {"row", "record"} \
            or naming.label_en(thing).lower() in writer.owners \
            or any(d["table"] == table.clean and d.get("column") == key.clean for d in writer.dimensions):
        return
    data: dict[str, Any] = {"name": _unique(naming.clean_name(thing[0]), writer.used), "table": table.clean,
                            "column": key.clean, "label": naming.label_en(thing), "label_zh": naming.label_zh(thing),
                            "description": f"{table.name}.{key.name}: the number each {thing[0]} is known by."}
    writer.claim_words(data, [naming.plural(thing[0]), f"{thing[0]} number", f"{thing[0]} id"], table)
    writer.dimensions.append(data)


def _number_dimension(writer: _Writer, table: TableInfo, column: ColumnInfo) -> None:
    """A flat file's whole-number columns ('tenure', 'age', 'Kidhome') filter by number
    ('tenure over 12'); a numeric code with few values ('xyz_campaign_id', 'interest') is a
    breakdown listed by value. 0/1 flags are yes/no dimensions of their own."""
    if not column.numeric or column.flag or column.name == table.primary_key or column.distinct < 2 \
            or column.name in table.parents:  # 'aisle_id' on products: the aisle's own name is its breakdown
        return
    coded = column.base_type in _WHOLE and bool(column.values) and (
        naming.is_id_like(column.name) or not _is_measure(table, column) or not set(column.words) & (
            _MONEY | _QUANTITY | _AVERAGED))
    if naming.is_id_like(column.name) and not coded and column.words[0] not in _PERIODS:
        return  # a WEEK_NO (a week's number, no calendar) is a breakdown; other ids are not
    name = _unique(naming.clean_name(" ".join(column.words)), writer.used)
    label = naming.label_en([w for w in column.words if w != "id"] or column.words)
    data: dict[str, Any] = {"name": name, "table": table.clean, "column": column.clean,
                            "label": label, "label_zh": naming.label_zh(column.words),
                            "description": f"{table.name}.{column.name}."}
    if label.lower() in writer.owners:  # a metric says 'age': the dimension compares each row's
        if set(column.words) & (_MONEY | _QUANTITY) or coded:  # amounts are summed, not compared
            return
        data["label"] = f"{label} (each)"
        data["name"] = _unique(f"{naming.clean_name(' '.join(column.words))}_each", writer.used)
        if data["label_zh"].lower() in writer.owners or data["label_zh"].isascii():
            data["label_zh"] = f"{data['label_zh']}（每位）"
    head = [w for w in column.words if w not in ("id", "key", "code", "no", "number")][-1:]
    said = [head[0], naming.plural(head[0]), naming.label_zh(head)] if naming.is_id_like(column.name) and head else []
    writer.claim_words(data, [" ".join(column.words), column.name.lower(), *said,  # 'xyz_campaign_id': campaign
                              *_without_entity(writer, table, column.words)], table)
    if coded and (naming.is_id_like(column.name) or _is_code(column) or column.distinct <= MAX_CATEGORY_VALUES // 2):
        data["values"] = [{"value": v} for v in column.values]
    else:
        data["type"] = "number"
    writer.dimensions.append(data)

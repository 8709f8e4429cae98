"""Marketing platform exports as their Export buttons write them (Shopify orders, Mailchimp
campaign reports, GA4 report downloads, Meta Ads Manager): each mechanism on two data shapes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from genbi.semantic_layer.introspection import _without_date_range, check_draft, draft_model
from genbi.semantic_layer.sources import open_raw


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _draft(path: Path) -> dict[str, Any]:
    draft = draft_model(path)
    check_draft(draft.text)
    data: dict[str, Any] = yaml.safe_load(draft.text)
    return data


def _metric(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(m for m in data["metrics"] if m["name"] == name)


def _measure(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(m for m in data["measures"] if m["name"] == name)


def _shopify(path: Path, orders: int = 40) -> Path:
    """One row per line item; the order's fields on its first row only."""
    lines = ["Name,Email,Financial Status,Paid at,Subtotal,Total,Created at,Lineitem quantity,Lineitem name,"
             "Lineitem price,Billing City"]
    for n in range(orders):
        city = ["New York", "Toronto", "Austin"][n % 3]
        status = "refunded" if n % 7 == 0 else "paid"
        items = 1 + n % 3
        total = 20.0 * items + 5
        stamp = f"2024-07-{1 + n % 28:02d} 10:{n % 60:02d}:22 -0400"
        for k in range(items):
            head = (f"{status},{stamp},{20.0 * items:.2f},{total:.2f}" if k == 0 else ",,,")
            lines.append(f"#{1001 + n},p{n}@example.com,{head},{stamp},{1 + k % 2},Tee {k},20.00,"
                         f"{city if k == 0 else ''}")
    return _write(path, lines)


def _invoice_lines(path: Path) -> Path:
    """A second shape: an accounting export of invoice lines, the customer and date on the first line."""
    lines = ["Invoice,Customer,Invoice Date,Item,Quantity,Amount"]
    for n in range(30):
        for k in range(1 + n % 4):
            head = f"{['Acme', 'Globex', 'Initech'][n % 3]},2024-03-{1 + n % 28:02d}" if k == 0 else ","
            lines.append(f"INV-{5000 + n},{head},Widget {k},{1 + k},{12.5 * (1 + k):.2f}")
    return _write(path, lines)


# --- header fields on an order's first row only -----------------------------------------------


def test_order_fields_on_the_first_line_row_are_copied_down_the_order(tmp_path: Path) -> None:
    connection = open_raw(_shopify(tmp_path / "orders_export.csv"))
    blank = connection.execute('SELECT COUNT(*) FILTER (WHERE "Billing City" IS NULL), COUNT(*) FILTER '
                               '(WHERE "Financial Status" IS NULL), COUNT(Total), COUNT(*) FROM orders_export').fetchone()
    assert blank is not None and blank[0] == 0 and blank[1] == 0
    assert blank[2] == 40 < blank[3]  # the amount stays on the first row: summed as it is
    by_city = dict(connection.execute('SELECT "Billing City", COUNT(DISTINCT Name) FROM orders_export GROUP BY 1')
                   .fetchall())
    assert by_city == {"New York": 14, "Toronto": 13, "Austin": 13}


def test_invoice_fields_on_the_first_line_are_copied_down_too(tmp_path: Path) -> None:
    connection = open_raw(_invoice_lines(tmp_path / "invoice_lines.csv"))
    found = connection.execute('SELECT COUNT(*) FILTER (WHERE Customer IS NULL), '
                               'COUNT(*) FILTER (WHERE "Invoice Date" IS NULL), COUNT(*) FROM invoice_lines').fetchone()
    assert found is not None and found[:2] == (0, 0) and found[2] == sum(1 + n % 4 for n in range(30))


def test_scattered_blanks_are_not_copied_down(tmp_path: Path) -> None:
    """A blank that is not on a group's later rows (a coupon some lines of an order have) stays blank."""
    lines = ["Order,Coupon,Amount"] + [f"SO-{100 + n // 2},{'SAVE' if n % 4 == 1 else ''},{n}.5" for n in range(40)]
    connection = open_raw(_write(tmp_path / "lines.csv", lines))
    found = connection.execute("SELECT COUNT(Coupon) FROM lines").fetchone()
    assert found == (10,)


# --- eight-digit dates --------------------------------------------------------------------------


def test_yyyymmdd_dates_are_dates_as_numbers_and_as_text(tmp_path: Path) -> None:
    ga4 = _write(tmp_path / "ga4.csv", ["# Traffic acquisition", "# Start date: 20240701",
                                        "Session source / medium,Date,Sessions",
                                        "google / organic,20240701,10", "(direct) / (none),20240702,7"])
    kinds = {r[0]: r[1] for r in open_raw(ga4).execute("DESCRIBE ga4").fetchall()}
    assert kinds["Date"] == "DATE"
    text = _write(tmp_path / "daily.csv", ['Report Day,Order Id,Visits', '"d20240701",20240701,3'])
    text.write_text('Report Day,Order Id,Visits\n"20240701 ",20240701,3\n"20240702",20240702,4\n')
    kinds = {r[0]: r[1] for r in open_raw(text).execute("DESCRIBE daily").fetchall()}
    assert kinds["Report Day"] == "DATE" and kinds["Order Id"] != "DATE"  # an id of eight digits is no date


def test_eight_digits_that_are_no_day_stay_numbers(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.csv", ["Date,n", "20241301,1", "20240102,2"])
    kinds = {r[0]: r[1] for r in open_raw(path).execute("DESCRIBE x").fetchall()}
    assert kinds["Date"] == "BIGINT"


# --- a report's rate from its parts ---------------------------------------------------------------


def test_email_open_rate_is_unique_opens_over_deliveries(tmp_path: Path) -> None:
    lines = ["Title,Send Date,Total Recipients,Successful Deliveries,Unique Opens,Open Rate,Total Opens,"
             "Unique Clicks,Click Rate,Unique Id"]
    for n in range(80):  # more campaigns than a list of codes has values
        sent, opens, clicks = 1000 + 50 * n, 200 + 7 * n, 20 + (n * 13) % 50
        lines.append(f'Newsletter {n},"Jul {1 + n % 28:02d}, 2024 {1 + n // 28:02d}:{n % 60:02d} am",{sent + 9},{sent},{opens},'
                     f"{opens / sent:.2%},{2 * opens},{clicks},{clicks / sent:.2%},{n * 7919:010x}")
    data = _draft(_write(tmp_path / "campaigns.csv", lines))
    rate = _metric(data, "open_rate")
    assert rate["type"] == "ratio"
    assert _measure(data, rate["numerator"])["expr"] == "unique_opens"
    assert _measure(data, rate["denominator"])["expr"] == "successful_deliveries"
    assert "打开率" in (rate["label_zh"], *rate.get("synonyms", []))
    assert _measure(data, _metric(data, "click_rate")["numerator"])["expr"] == "unique_clicks"
    assert not [m for m in data["measures"] if m["agg"] == "avg" and m["expr"] == "open_rate"]
    count = _metric(data, "campaigns")  # unique send times are no calendar: the campaigns are counted
    assert "campaigns sent" in count["synonyms"]


def test_engagement_rate_is_engaged_sessions_over_sessions(tmp_path: Path) -> None:
    lines = ["Date,Session default channel group,Sessions,Engaged sessions,Engagement rate,Key events,"
             "Session key event rate,Total revenue"]
    for n in range(30):
        for k, channel in enumerate(["Organic Search", "Direct", "Paid Social"]):
            sessions, engaged, events = 100 + n % 25 + 10 * k, 50 + n % 25, 3 + k
            lines.append(f"202407{1 + n:02d},{channel},{sessions},{engaged},{engaged / sessions:.4f},{events},"
                         f"{events / sessions:.4f},{events * 61.5:.2f}")
    data = _draft(_write(tmp_path / "channels.csv", lines))
    rate = _metric(data, "engagement_rate")
    assert (_measure(data, rate["numerator"])["expr"], _measure(data, rate["denominator"])["expr"]) == (
        "engaged_sessions", "sessions")
    key = _metric(data, "session_key_event_rate")
    assert _measure(data, key["numerator"])["expr"] == "key_events"
    per = _metric(data, "revenue_per_session")
    assert _measure(data, per["denominator"])["expr"] == "sessions"
    assert any(m["time"] == "channels.date" for m in data["measures"] if "time" in m)  # 20240701 is the time


# --- the order number repeated over line rows ------------------------------------------------------


def test_a_repeated_order_number_counts_orders_and_total_is_sales(tmp_path: Path) -> None:
    data = _draft(_shopify(tmp_path / "orders_export.csv"))
    orders = _metric(data, "orders")
    measure = _measure(data, orders["measure"])
    assert (measure["agg"], measure["expr"]) == ("count_distinct", "name")
    assert measure["time"] == "orders_export.created_at"  # filled on every row, not 'Paid at'
    total = _metric(data, "total")
    # the sales words name the total of the orders paid for (refunded and voided ones left out)
    sales = next(m for m in data["metrics"] if m["label"] == "Revenue")
    assert {"sales", "销售额"} <= set(sales["synonyms"]) and not {"sales", "revenue"} & set(total.get("synonyms", []))
    paid = _measure(data, sales["measure"])
    assert (paid["expr"], paid["agg"]) == (_measure(data, total["measure"])["expr"], "sum")
    assert paid["filter"] == "(financial_status IS NULL OR financial_status NOT IN ('refunded'))"
    aov = next(m for m in data["metrics"] if m["label"] == "Average order value")
    counted = _measure(data, aov["denominator"])
    assert aov["numerator"] == sales["measure"] and counted["expr"] == measure["expr"]
    assert counted["filter"] == paid["filter"]
    line = next(d for d in data["dimensions"] if d.get("column") == "lineitem_name")
    assert line["label"] == "Line item" and "products" in line["synonyms"]


def test_a_hash_order_number_in_a_file_not_named_orders(tmp_path: Path) -> None:
    lines = ["Order,Date,Product,Qty,Grand Total,City"]
    for n in range(30):
        for k in range(1 + n % 2):
            lines.append(f"#{300 + n},2024-05-{1 + n % 28:02d},P{k},{1 + k},{'%.2f' % (9.5 * (n + 1)) if k == 0 else ''},"
                         f"{'Paris' if n % 2 else 'Lyon'}")
    data = _draft(_write(tmp_path / "export.csv", lines))
    orders = next(m for m in data["metrics"] if "number of orders" in m.get("synonyms", []) or m["label"] == "Orders")
    assert _measure(data, orders["measure"])["agg"] == "count_distinct"
    total = next(m for m in data["metrics"] if m.get("measure") and _measure(data, m["measure"])["expr"] == "grand_total"
                 and _measure(data, m["measure"])["agg"] == "sum")
    assert "sales" in total["synonyms"]


def test_a_total_beside_a_sales_column_is_not_the_sales(tmp_path: Path) -> None:
    lines = ["Order ID,Order Date,Sales,Total"] + [f"A{n},2024-01-{1 + n % 28:02d},{n}.5,{n + 3}.5" for n in range(20)]
    data = _draft(_write(tmp_path / "orders.csv", lines))
    total = next(m for m in data["metrics"] if m.get("measure") and _measure(data, m["measure"])["expr"] == "total"
                 and _measure(data, m["measure"])["agg"] == "sum")
    assert "sales" not in total.get("synonyms", [])


# --- an export named after its account and dates ------------------------------------------------


def test_an_export_named_account_level_dates_is_the_level() -> None:
    assert _without_date_range(["northwind", "shop", "campaigns", "jul", "1", "2024", "sep", "30", "2024"]) == [
        "campaigns"]
    assert _without_date_range(["acme", "ad", "sets", "jan", "1", "2024", "jan", "31", "2024"]) == ["ad", "sets"]
    assert _without_date_range(["traffic", "acquisition", "session", "source", "medium"]) == [
        "traffic", "acquisition", "session", "source", "medium"]


def test_meta_ads_campaign_name_and_cost_per_purchase(tmp_path: Path) -> None:
    lines = ['"Reporting starts","Reporting ends","Campaign name","Amount spent (USD)","Impressions","Link clicks",'
             '"Purchases","Leads"']
    for n in range(20):
        for k, name in enumerate(["Prospecting", "Retargeting"]):
            day = f"2024-07-{1 + n:02d}"
            lines.append(f'"{day}","{day}","{name}","{50 + k * 10 + n}","{5000 + n}","{60 + k}","{1 + k}","{k + n % 4}"')
    data = _draft(_write(tmp_path / "Acme-Campaigns-Jul-1-2024-Jul-20-2024.csv", lines))
    campaign = next(d for d in data["dimensions"] if d.get("column") == "campaign_name")
    assert campaign["label"] == "Campaign" and "广告系列" in campaign["synonyms"]
    per = next(m for m in data["metrics"] if "cost per purchase" in (m["label"].lower(), *m.get("synonyms", [])))
    assert _measure(data, per["denominator"])["expr"] == "purchases"
    assert _measure(data, _metric(data, "cost_per_lead")["denominator"])["expr"] == "leads"
    ctr = _metric(data, "ctr")
    assert "link click-through rate" in ctr["synonyms"] and "链接点击率" in ctr["synonyms"]

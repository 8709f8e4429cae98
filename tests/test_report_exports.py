"""Report exports as downloaded (Google Ads' CSV): title lines above the header, numbers printed
for people ('1,974', '$12.50', '3.45%'), '--' for no value, and 'Total: …' rows at the end that
would double every sum if read as records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from genbi.semantic_layer.sources import open_raw

GENBI = [sys.executable, "-m", "genbi"]
CAMPAIGNS = [("Brand - Search", "Search"), ("Summer Sale - PMax", "Performance Max"), ("Retargeting", "Display")]


def _rows() -> list[tuple[str, str, str, int, int, float, float]]:
    rows = []
    for day in range(1, 31):
        for index, (campaign, kind) in enumerate(CAMPAIGNS):
            impressions = 1000 + 137 * day + 911 * index
            clicks = 10 + (day * 7 + index * 13) % 90
            rows.append((campaign, kind, f"2024-07-{day:02d}", impressions, clicks, round(clicks * 0.61, 2),
                         round(clicks * 0.05, 2)))
    return rows


def _google_ads_export(path: Path) -> Path:
    rows = _rows()
    lines = ["Campaign performance report", "July 1, 2024 - July 31, 2024",
             "Campaign,Campaign type,Day,Impr.,Clicks,CTR,Cost,Conversions"]
    for campaign, kind, day, impressions, clicks, cost, conversions in rows:
        lines.append(f'{campaign},{kind},{day},"{impressions:,}",{clicks},{clicks / impressions:.2%},'
                     f'"${cost:,.2f}",{conversions}')
    totals = [sum(r[i] for r in rows) for i in (3, 4, 5, 6)]
    lines.append(f'Total: Account,--,--,"{totals[0]:,}",{totals[1]},--,"${totals[2]:,.2f}",{totals[3]:.2f}')
    lines.append('Total: Search,--,--,"1,000",10,1.00%,$6.10,0.5')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_ads_export_loads_its_records_with_numbers_and_dates(tmp_path: Path) -> None:
    connection = open_raw(_google_ads_export(tmp_path / "campaigns.csv"))
    kinds = dict(connection.execute("SELECT column_name, data_type FROM information_schema.columns").fetchall())
    assert kinds["Day"] == "DATE" and kinds["Impr."] == "DOUBLE" and kinds["CTR"] == "DOUBLE"
    assert kinds["Cost"] == "DOUBLE"
    rows = _rows()
    found = connection.execute('SELECT COUNT(*), SUM("Impr."), SUM("Cost"), MAX("CTR") FROM campaigns').fetchone()
    assert found is not None
    assert found[:3] == (len(rows), sum(r[3] for r in rows), pytest.approx(sum(r[5] for r in rows)))
    assert found[3] == pytest.approx(max(round(r[4] / r[3], 4) for r in rows))  # '3.45%' is 0.0345


def test_names_that_start_with_total_and_codes_of_digits_stay(tmp_path: Path) -> None:
    """Only a total label with nothing else said on the row is a total; digits kept as text are codes."""
    path = tmp_path / "stores.csv"
    path.write_text("Store,City,Zip,Sales\nTotal Wine,Boston,02134,10\nCorner Shop,Austin,,5\n"
                    "Total,Boston,,3\nTotals: East,--,,2\n", encoding="utf-8")
    connection = open_raw(path)
    assert connection.execute("SELECT Store FROM stores ORDER BY Store").fetchall() == [
        ("Corner Shop",), ("Total",), ("Total Wine",)]  # 'Total' with a city said is a record
    assert dict(connection.execute("SELECT column_name, data_type FROM information_schema.columns").fetchall())[
        "Zip"] == "VARCHAR"


def test_asking_an_ads_export_answers_from_its_records(tmp_path: Path) -> None:
    data = _google_ads_export(tmp_path / "campaigns.csv")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENBI_")}
    env.update(GENBI_HOME=str(tmp_path / "home"), HF_HUB_OFFLINE="1")

    def ask(question: str) -> dict[str, object]:
        done = subprocess.run([*GENBI, "ask", question, "--db", str(data), "--json"], capture_output=True,
                              text=True, env=env, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        return dict(json.loads(done.stdout))

    rows = _rows()
    assert ask("total cost")["rows"] == [[pytest.approx(sum(r[5] for r in rows))]]
    by_kind = ask("impressions by campaign type")
    assert [g["name"] for g in by_kind["spec"]["group_by"]] == ["campaign_type"]  # type: ignore[index]  # not the campaign ('campaign type' is its own column)
    got = {row[0]: row[1] for row in by_kind["rows"]}  # type: ignore[attr-defined]
    assert got == {kind: sum(r[3] for r in rows if r[1] == kind) for _, kind in CAMPAIGNS}


@pytest.mark.parametrize(("cell", "want"), [
    ("2024-07-01 10:15:22 -0400", "2024-07-01 10:15:22"),  # Shopify: the shop's own clock, offset dropped
    ("2024-07-01 23:30 +0800", "2024-07-01 23:30:00"),
    ("Jul 01, 2024 09:00 pm", "2024-07-01 21:00:00"),     # Mailchimp
    ("7/1/2024 9:05 AM", "2024-07-01 09:05:00"),
])
def test_platform_export_date_times_become_the_time_column(tmp_path: Path, cell: str, want: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text(f'Name,Created at,Total\n#1001,"{cell}",10\n#1002,,5\n', encoding="utf-8")
    connection = open_raw(path)
    kinds = dict(connection.execute("SELECT column_name, data_type FROM information_schema.columns").fetchall())
    assert kinds["Created at"] == "TIMESTAMP"
    found = connection.execute('SELECT CAST("Created at" AS VARCHAR) FROM export WHERE Name = \'#1001\'').fetchone()
    assert found == (want,)

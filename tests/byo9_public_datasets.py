"""Lookalikes of five more public marketing / e-commerce datasets nobody tuned genbi for (round
byo9), written as they are downloaded (values generated with fixed seeds; nothing copied).

Each generator writes its file(s) into a folder and returns ``(path, clean)``: what the user passes
to ``--db`` (a file or a folder) and the clean values as DataFrames, so the expected answers are
computed in pandas, independently of genbi.

* ``adidas``: Kaggle "Adidas Sales Dataset" (``Adidas US Sales Datasets.csv``, saved from the
  xlsx): a UTF-8 BOM, junk above the header (an empty row, the title 'Adidas Sales Database', an
  empty row), an empty first column on every line, then ``Retailer, Retailer ID, Invoice Date``
  (m/d/yyyy, '1/1/2020'), ``Region, State, City, Product``, ``Price per Unit`` '$50.00',
  ``Units Sold`` '1,200', ``Total Sales`` '$600,000', ``Operating Profit`` '$300,000',
  ``Operating Margin`` '50%' and ``Sales Method`` In-store / Outlet / Online.
* ``hotel``: Kaggle "Hotel booking demand" (``hotel_bookings.csv``): a booking per row; the
  arrival date split into ``arrival_date_year``, ``arrival_date_month`` as a month NAME ('July'),
  ``arrival_date_week_number`` and ``arrival_date_day_of_month``; ``is_canceled`` 0/1,
  ``lead_time``, ``children`` with 'NA', ``country`` ISO3 with 'NULL', ``agent`` / ``company`` ids
  or the text 'NULL', ``adr`` (average daily rate), ``reservation_status`` Check-Out / Canceled /
  No-Show and ``reservation_status_date``.
* ``starbucks``: the Starbucks capstone offers folder (JSON lines, as pandas wrote them):
  ``portfolio.json`` (``reward``, ``channels`` a list, ``difficulty``, ``duration``, ``offer_type``
  bogo / discount / informational, ``id``), ``profile.json`` (``gender`` F / M / O or null,
  ``age`` 118 where unknown, ``id``, ``became_member_on`` as the integer 20170212, ``income``
  null where unknown) and ``transcript.json`` (``person``, ``event`` offer received / offer viewed
  / transaction / offer completed, ``value`` a JSON object {"offer id": ...} / {"amount": 0.83}
  / {"offer_id": ..., "reward": 2}, ``time`` in hours since the test began).
* ``olist_funnel``: Olist's "Marketing Funnel" folder: ``olist_marketing_qualified_leads_dataset.csv``
  (``mql_id``, ``first_contact_date``, ``landing_page_id``, ``origin`` with blanks) and
  ``olist_closed_deals_dataset.csv`` (``mql_id``, ``seller_id``, ``sdr_id``, ``sr_id``,
  ``won_date`` with a time, ``business_segment``, ``lead_type``, ``lead_behaviour_profile``,
  ``has_company``, ``has_gtin``, ``average_stock``, ``business_type``,
  ``declared_product_catalog_size``, ``declared_monthly_revenue``), the deals a subset of the leads.
* ``campaigns``: Kaggle "Marketing Campaign Performance Dataset" (``marketing_campaign_dataset.csv``):
  ``Campaign_ID``, ``Company``, ``Campaign_Type`` (Email / Influencer / Display / Search / Social
  Media), ``Target_Audience`` ('Men 18-24'), ``Duration`` as text ('30 days'), ``Channel_Used``,
  ``Conversion_Rate`` (0.04), ``Acquisition_Cost`` '$16,174.00', ``ROI``, ``Location``,
  ``Language``, ``Clicks``, ``Impressions``, ``Engagement_Score``, ``Customer_Segment`` and
  ``Date`` (yyyy-mm-dd).
"""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

Clean = dict[str, pd.DataFrame]


def _hex(rng: random.Random, n: int = 32) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


# --- Adidas US sales (an xlsx saved as CSV) ---------------------------------------------------

ADIDAS_HEADER = ["Retailer", "Retailer ID", "Invoice Date", "Region", "State", "City", "Product", "Price per Unit",
                 "Units Sold", "Total Sales", "Operating Profit", "Operating Margin", "Sales Method"]
ADIDAS_RETAILERS = [("Foot Locker", 1185732), ("West Gear", 1128299), ("Sports Direct", 1197831),
                    ("Kohl's", 1189833), ("Amazon", 1185732), ("Walmart", 1128299)]
ADIDAS_PLACES = [("Northeast", "New York", "New York"), ("Northeast", "Maine", "Portland"),
                 ("South", "Texas", "Houston"), ("South", "Louisiana", "New Orleans"),
                 ("West", "California", "San Francisco"), ("West", "Washington", "Seattle"),
                 ("Midwest", "Illinois", "Chicago"), ("Midwest", "Ohio", "Columbus"),
                 ("Southeast", "Florida", "Miami"), ("Southeast", "Georgia", "Atlanta")]
ADIDAS_PRODUCTS = [("Men's Street Footwear", 50), ("Men's Athletic Footwear", 45), ("Women's Street Footwear", 40),
                   ("Women's Athletic Footwear", 40), ("Men's Apparel", 45), ("Women's Apparel", 50)]


def adidas(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(901)
    rows = []
    for _ in range(2400):
        retailer, retailer_id = rng.choice(ADIDAS_RETAILERS)
        region, state, city = rng.choice(ADIDAS_PLACES)
        product, base = rng.choice(ADIDAS_PRODUCTS)
        day = date(2020, 1, 1) + timedelta(days=rng.randint(0, 730))
        price = float(base + rng.choice([-10, -5, 0, 0, 5, 10, 15]))
        units = rng.choice([rng.randint(0, 400), rng.randint(400, 1275)])
        total = price * units
        margin = rng.choice([0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55])
        rows.append({"Retailer": retailer, "Retailer ID": retailer_id, "Invoice Date": day, "Region": region,
                     "State": state, "City": city, "Product": product, "Price per Unit": price, "Units Sold": units,
                     "Total Sales": total, "Operating Profit": round(total * margin), "Operating Margin": margin,
                     "Sales Method": rng.choices(["In-store", "Outlet", "Online"], [20, 35, 45])[0]})
    frame = pd.DataFrame(rows)
    path = folder / "Adidas US Sales Datasets.csv"
    width = len(ADIDAS_HEADER) + 1
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([""] * width)
        writer.writerow(["", "Adidas Sales Database"] + [""] * (width - 2))
        writer.writerow([""] * width)
        writer.writerow(["", *ADIDAS_HEADER])
        for row in rows:
            day = row["Invoice Date"]
            writer.writerow(["", row["Retailer"], row["Retailer ID"], f"{day.month}/{day.day}/{day.year}",
                             row["Region"], row["State"], row["City"], row["Product"], f"${row['Price per Unit']:.2f}",
                             f"{row['Units Sold']:,}", f"${row['Total Sales']:,.0f}",
                             f"${row['Operating Profit']:,.0f}", f"{round(row['Operating Margin'] * 100)}%",
                             row["Sales Method"]])
    frame["Invoice Date"] = pd.to_datetime(frame["Invoice Date"])
    return path, {"sales": frame}


# --- Hotel booking demand -------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
HOTEL_COUNTRIES = [("PRT", 40), ("GBR", 10), ("FRA", 9), ("ESP", 7), ("DEU", 6), ("ITA", 3), ("IRL", 3),
                   ("BRA", 2), ("NULL", 1)]
HOTEL_SEGMENTS = [("Online TA", "TA/TO", 47), ("Offline TA/TO", "TA/TO", 20), ("Groups", "TA/TO", 17),
                  ("Direct", "Direct", 10), ("Corporate", "Corporate", 4), ("Complementary", "Direct", 1),
                  ("Aviation", "Corporate", 1)]


def hotel(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(902)
    rows = []
    for _ in range(3000):
        kind = rng.choices(["Resort Hotel", "City Hotel"], [34, 66])[0]
        arrival = date(2015, 7, 1) + timedelta(days=rng.randint(0, 792))
        lead = rng.choice([rng.randint(0, 30), rng.randint(0, 200), rng.randint(100, 450)])
        segment, channel, _w = rng.choices(HOTEL_SEGMENTS, [w for *_, w in HOTEL_SEGMENTS])[0]
        cancel_chance = (0.42 if kind == "City Hotel" else 0.28) + (0.1 if lead > 150 else 0)
        canceled = int(rng.random() < cancel_chance)
        status = ("No-Show" if rng.random() < 0.03 else "Canceled") if canceled else "Check-Out"
        weekend, week = rng.randint(0, 2), rng.randint(0, 5)
        adr = round(rng.uniform(40, 160) * (1.4 if arrival.month in (7, 8) else 1.0), 2)
        country = rng.choices([c for c, _ in HOTEL_COUNTRIES], [w for _, w in HOTEL_COUNTRIES])[0]
        status_day = arrival - timedelta(days=rng.randint(0, lead)) if canceled else arrival + timedelta(days=weekend + week)
        rows.append({"hotel": kind, "is_canceled": canceled, "lead_time": lead, "arrival_date_year": arrival.year,
                     "arrival_date_month": MONTHS[arrival.month - 1],
                     "arrival_date_week_number": arrival.isocalendar()[1],
                     "arrival_date_day_of_month": arrival.day, "stays_in_weekend_nights": weekend,
                     "stays_in_week_nights": week, "adults": rng.choices([1, 2, 3], [20, 75, 5])[0],
                     "children": None if rng.random() < 0.003 else rng.choices([0, 1, 2], [92, 4, 4])[0],
                     "babies": int(rng.random() < 0.01), "meal": rng.choices(["BB", "HB", "SC", "Undefined", "FB"],
                                                                          [77, 12, 9, 1, 1])[0],
                     "country": None if country == "NULL" else country, "market_segment": segment,
                     "distribution_channel": channel, "is_repeated_guest": int(rng.random() < 0.03),
                     "previous_cancellations": rng.choices([0, 1], [95, 5])[0],
                     "previous_bookings_not_canceled": rng.choices([0, 1, 2], [96, 3, 1])[0],
                     "reserved_room_type": rng.choice("AAAADDE"), "assigned_room_type": rng.choice("AAADDEF"),
                     "booking_changes": rng.choices([0, 1, 2], [85, 11, 4])[0],
                     "deposit_type": rng.choices(["No Deposit", "Non Refund", "Refundable"], [87, 12, 1])[0],
                     "agent": rng.choice([9, 240, 1, 14, 7]) if segment != "Direct" else None,
                     "company": rng.choice([40, 223, 67]) if segment == "Corporate" else None,
                     "days_in_waiting_list": 0 if rng.random() < 0.97 else rng.randint(1, 100),
                     "customer_type": rng.choices(["Transient", "Transient-Party", "Contract", "Group"], [75, 21, 3, 1])[0],
                     "adr": adr, "required_car_parking_spaces": int(rng.random() < 0.06),
                     "total_of_special_requests": rng.choices([0, 1, 2, 3], [59, 28, 11, 2])[0],
                     "reservation_status": status, "reservation_status_date": status_day.isoformat(),
                     "arrival": pd.Timestamp(arrival)})
    frame = pd.DataFrame(rows)
    shown = frame.drop(columns="arrival").copy()
    shown["children"] = ["NA" if pd.isna(v) else str(int(v)) for v in frame["children"]]
    for name in ("country", "agent", "company"):
        shown[name] = ["NULL" if pd.isna(v) else (str(int(v)) if isinstance(v, float) else str(v)) for v in frame[name]]
    path = folder / "hotel_bookings.csv"
    shown.to_csv(path, index=False)
    frame["reservation_status_date"] = pd.to_datetime(frame["reservation_status_date"])
    return path, {"bookings": frame}


# --- Starbucks offers (JSON lines) --------------------------------------------------------

STARBUCKS_OFFERS = [(10, ["email", "mobile", "social"], 10, 7, "bogo"), (10, ["web", "email", "mobile", "social"], 10, 5, "bogo"),
                    (0, ["web", "email", "mobile"], 0, 4, "informational"), (5, ["web", "email", "mobile"], 5, 7, "bogo"),
                    (5, ["web", "email"], 20, 10, "discount"), (3, ["web", "email", "mobile", "social"], 7, 7, "discount"),
                    (2, ["web", "email", "mobile", "social"], 10, 10, "discount"),
                    (0, ["email", "mobile", "social"], 0, 3, "informational"),
                    (5, ["web", "email", "mobile", "social"], 5, 5, "bogo"), (2, ["web", "email", "mobile"], 10, 7, "discount")]


def _lines(path: Path, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, separators=(",", ":")) + "\n")


def starbucks(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(903)
    portfolio = [{"reward": r, "channels": c, "difficulty": d, "duration": t, "offer_type": k, "id": _hex(rng)}
                 for r, c, d, t, k in STARBUCKS_OFFERS]
    profile = []
    for _ in range(1500):
        unknown = rng.random() < 0.128
        joined = date(2013, 7, 29) + timedelta(days=rng.randint(0, 1825))
        profile.append({"gender": None if unknown else rng.choices(["M", "F", "O"], [57, 41, 2])[0],
                        "age": 118 if unknown else rng.randint(18, 101), "id": _hex(rng),
                        "became_member_on": int(joined.strftime("%Y%m%d")),
                        "income": None if unknown else float(rng.randrange(30000, 120001, 1000))})
    transcript = []
    for person in profile:
        for received in sorted(rng.sample([0, 168, 336, 408, 504, 576], rng.randint(2, 5))):
            offer = rng.choice(portfolio)
            transcript.append({"person": person["id"], "event": "offer received", "value": {"offer id": offer["id"]},
                               "time": received})
            if rng.random() < 0.7:
                transcript.append({"person": person["id"], "event": "offer viewed",
                                   "value": {"offer id": offer["id"]}, "time": received + rng.randint(0, 48)})
            if offer["offer_type"] != "informational" and rng.random() < 0.45:
                spent = round(rng.uniform(offer["difficulty"], offer["difficulty"] + 20), 2)
                at = received + rng.randint(1, 72)
                transcript.append({"person": person["id"], "event": "transaction", "value": {"amount": spent},
                                   "time": at})
                transcript.append({"person": person["id"], "event": "offer completed",
                                   "value": {"offer_id": offer["id"], "reward": offer["reward"]}, "time": at})
        for _ in range(rng.randint(0, 6)):
            transcript.append({"person": person["id"], "event": "transaction",
                               "value": {"amount": round(rng.uniform(0.05, 30), 2)}, "time": rng.randint(0, 714)})
    transcript.sort(key=lambda record: record["time"])
    folder.mkdir(parents=True, exist_ok=True)
    _lines(folder / "portfolio.json", portfolio)
    _lines(folder / "profile.json", profile)
    _lines(folder / "transcript.json", transcript)
    profile_frame = pd.DataFrame(profile)
    profile_frame["age"] = profile_frame["age"].where(profile_frame["age"] != 118)  # 118 means unknown
    profile_frame["became_member_on"] = pd.to_datetime(profile_frame["became_member_on"].astype(str), format="%Y%m%d")
    events = pd.DataFrame(transcript)
    events["amount"] = [value.get("amount") for value in events["value"]]
    events["reward"] = [value.get("reward") for value in events["value"]]
    events["offer"] = [value.get("offer id") or value.get("offer_id") for value in events["value"]]
    return folder, {"portfolio": pd.DataFrame(portfolio), "profile": profile_frame, "transcript": events}


# --- Olist marketing funnel (two files) ------------------------------------------------------

OLIST_ORIGINS = [("organic_search", 29), ("paid_search", 20), ("social", 17), ("unknown", 14), ("direct_traffic", 6),
                 ("email", 6), ("referral", 3), ("other", 2), ("display", 1.5), ("other_publicities", 1), ("", 0.5)]
OLIST_SEGMENTS = [("home_decor", 12), ("health_beauty", 11), ("car_accessories", 9), ("household_utilities", 7),
                  ("construction_tools_house_garden", 6), ("audio_video_electronics", 6), ("computers", 4),
                  ("pet", 4), ("food_supplement", 3), ("sports_leisure", 3)]


def olist_funnel(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(904)
    leads = []
    pages = [_hex(rng) for _ in range(40)]
    for _ in range(2400):
        day = date(2017, 6, 14) + timedelta(days=rng.randint(0, 350))
        leads.append({"mql_id": _hex(rng), "first_contact_date": day.isoformat(), "landing_page_id": rng.choice(pages),
                      "origin": rng.choices([o for o, _ in OLIST_ORIGINS], [w for _, w in OLIST_ORIGINS])[0]})
    deals = []
    sdrs, srs = [_hex(rng) for _ in range(12)], [_hex(rng) for _ in range(8)]
    for lead in leads:
        chance = {"paid_search": 0.16, "organic_search": 0.13, "unknown": 0.05, "social": 0.07}.get(lead["origin"], 0.09)
        if rng.random() >= chance:
            continue
        won = datetime.fromisoformat(lead["first_contact_date"]) + timedelta(
            days=rng.randint(0, 120), seconds=rng.randint(0, 86399))
        behaviour = rng.choices(["cat", "eagle", "wolf", "shark", "cat, wolf", ""], [45, 12, 9, 3, 1, 30])[0]
        deals.append({"mql_id": lead["mql_id"], "seller_id": _hex(rng), "sdr_id": rng.choice(sdrs), "sr_id": rng.choice(srs),
                      "won_date": won.strftime("%Y-%m-%d %H:%M:%S"),
                      "business_segment": rng.choices([s for s, _ in OLIST_SEGMENTS], [w for _, w in OLIST_SEGMENTS])[0],
                      "lead_type": rng.choices(["online_medium", "online_big", "industry", "offline", "online_small",
                                                "online_beginner", "online_top"], [40, 15, 15, 12, 8, 5, 5])[0],
                      "lead_behaviour_profile": behaviour, "has_company": rng.choice(["", "", "", "True", "False"]),
                      "has_gtin": rng.choice(["", "", "True", "False"]),
                      "average_stock": rng.choice(["", "", "", "5-20", "20-50", "1-5", "200+"]),
                      "business_type": rng.choices(["reseller", "manufacturer", "other", ""], [70, 28, 1, 1])[0],
                      "declared_product_catalog_size": rng.choice(["", "", "", "", "100.0", "50.0", "1000.0"]),
                      "declared_monthly_revenue": rng.choice(["0.0"] * 9 + ["50000.0", "200000.0", "10000.0"])})
    folder.mkdir(parents=True, exist_ok=True)
    leads_frame, deals_frame = pd.DataFrame(leads), pd.DataFrame(deals)
    leads_frame.to_csv(folder / "olist_marketing_qualified_leads_dataset.csv", index=False)
    deals_frame.to_csv(folder / "olist_closed_deals_dataset.csv", index=False)
    leads_frame["first_contact_date"] = pd.to_datetime(leads_frame["first_contact_date"])
    leads_frame["origin"] = leads_frame["origin"].replace("", None)
    deals_frame["won_date"] = pd.to_datetime(deals_frame["won_date"])
    deals_frame["declared_monthly_revenue"] = deals_frame["declared_monthly_revenue"].astype(float)
    for name in ("lead_behaviour_profile", "business_type"):
        deals_frame[name] = deals_frame[name].replace("", None)
    return folder, {"leads": leads_frame, "deals": deals_frame}


# --- Marketing Campaign Performance --------------------------------------------------------

CAMPAIGN_COMPANIES = ["Innovate Industries", "NexGen Systems", "Alpha Innovations", "DataTech Solutions", "TechCorp"]
CAMPAIGN_TYPES = ["Email", "Influencer", "Display", "Search", "Social Media"]
CAMPAIGN_CHANNELS = ["Google Ads", "YouTube", "Instagram", "Website", "Facebook", "Email"]
CAMPAIGN_AUDIENCES = ["Men 18-24", "Women 35-44", "Men 25-34", "All Ages", "Women 25-34"]
CAMPAIGN_CITIES = ["Chicago", "New York", "Los Angeles", "Miami", "Houston"]
CAMPAIGN_SEGMENTS = ["Health & Wellness", "Fashionistas", "Outdoor Adventurers", "Foodies", "Tech Enthusiasts"]


def campaigns(folder: Path) -> tuple[Path, Clean]:
    rng = random.Random(905)
    rows = []
    for n in range(3000):
        kind = rng.choice(CAMPAIGN_TYPES)
        channel = rng.choice(CAMPAIGN_CHANNELS)
        impressions = rng.randint(1000, 10000)
        clicks = rng.randint(100, 1000) + (80 if kind == "Search" else 0)
        rows.append({"Campaign_ID": n + 1, "Company": rng.choice(CAMPAIGN_COMPANIES), "Campaign_Type": kind,
                     "Target_Audience": rng.choice(CAMPAIGN_AUDIENCES), "Duration": rng.choice([15, 30, 45, 60]),
                     "Channel_Used": channel, "Conversion_Rate": round(rng.uniform(0.01, 0.15), 2),
                     "Acquisition_Cost": float(rng.randint(5000, 20000)), "ROI": round(rng.uniform(2.0, 8.0), 2),
                     "Location": rng.choice(CAMPAIGN_CITIES),
                     "Language": rng.choice(["English", "Spanish", "French", "German", "Mandarin"]),
                     "Clicks": clicks, "Impressions": impressions, "Engagement_Score": rng.randint(1, 10),
                     "Customer_Segment": rng.choice(CAMPAIGN_SEGMENTS),
                     "Date": date(2021, 1, 1) + timedelta(days=rng.randint(0, 364))})
    frame = pd.DataFrame(rows)
    shown = frame.copy()
    shown["Duration"] = [f"{d} days" for d in frame["Duration"]]
    shown["Acquisition_Cost"] = [f"${c:,.2f}" for c in frame["Acquisition_Cost"]]
    shown["Date"] = [d.isoformat() for d in frame["Date"]]
    path = folder / "marketing_campaign_dataset.csv"
    shown.to_csv(path, index=False)
    frame["Date"] = pd.to_datetime(frame["Date"])
    return path, {"campaigns": frame}


GENERATORS = {"adidas": adidas, "hotel": hotel, "starbucks": starbucks, "olist_funnel": olist_funnel,
              "campaigns": campaigns}


def build(name: str, folder: Path) -> tuple[Path, Clean]:
    """Write dataset ``name`` into its own subfolder of ``folder`` (a folder dataset is that path)."""
    target = folder / name
    target.mkdir(parents=True, exist_ok=True)
    return GENERATORS[name](target)


if __name__ == "__main__":  # write them all for a look: python tests/byo9_public_datasets.py /tmp/byo9
    import sys

    for key in GENERATORS:
        built, frames = build(key, Path(sys.argv[1]))
        print(key, built, {k: len(v) for k, v in frames.items()}, datetime.now(UTC).isoformat(timespec="seconds"))

"""Two more folders of CSV files marketers bring (values generated; nothing copied).

* ``crm``: a HubSpot/Salesforce-style CRM export: ``contacts.csv`` (``Contact ID``,
  ``Lifecycle Stage`` as HubSpot labels it, ``Lead Source``, ``Contact Owner``, ``Create Date``
  as '2024-03-05 14:22', ``Country/Region``, ``Associated Company ID`` blank for some),
  ``companies.csv`` (``Company ID``, ``Industry``, ``Number of Employees``, ``Annual Revenue``),
  ``deals.csv`` (``Deal ID``, ``Pipeline``, ``Deal Stage`` with 'Closed Won'/'Closed Lost',
  ``Amount``, ``Close Date`` blank for open deals, ``Create Date``, ``Deal Owner``,
  ``Associated Company ID``, ``Deal Type``) and ``deal_contact_associations.csv``
  (``Deal ID``, ``Contact ID``).

* ``adventureworks``: AdventureWorks OLTP tables exported with headers: ``SalesOrderHeader``
  (``OrderDate``, ``OnlineOrderFlag`` 0/1, ``SalesPersonID`` blank for online orders,
  ``SubTotal`` = the sum of its lines, ``TaxAmt``, ``Freight``, ``TotalDue``),
  ``SalesOrderDetail`` (``OrderQty``, ``UnitPrice``, ``UnitPriceDiscount``, ``LineTotal``),
  ``Product`` (``ListPrice``, ``StandardCost``, ``Color`` blank for many,
  ``ProductSubcategoryID`` blank for parts) → ``ProductSubcategory`` → ``ProductCategory``,
  ``Customer`` (``PersonID`` / ``StoreID``) with ``Person`` and ``Store`` keyed by
  ``BusinessEntityID``, ``SalesTerritory`` (``Name``, ``CountryRegionCode``, ``Group``,
  ``SalesYTD``); every table with a ``rowguid`` and a ``ModifiedDate``.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

Rows = list[list[Any]]
Files = list[tuple[str, list[str], Rows]]

_FIRST = ["Emma", "Liam", "Olivia", "Noah", "Ava", "Mia", "Lucas", "Sofia", "Ethan", "Chloe", "Wei", "Yuki",
          "Priya", "Carlos", "Anna", "Tom", "Sara", "Jonas", "Lea", "Omar"]
_LAST = ["Smith", "Garcia", "Chen", "Müller", "Rossi", "Tanaka", "Patel", "Brown", "Silva", "Martin", "Kim",
         "Novak", "Jones", "Dubois", "Wright"]
_OWNERS = ["Alex Rivera", "Jordan Lee", "Sam Taylor", "Morgan Blake", "Casey Park"]
_STAGES = [("Subscriber", 20), ("Lead", 35), ("Marketing Qualified Lead", 15), ("Sales Qualified Lead", 10),
           ("Opportunity", 8), ("Customer", 10), ("Evangelist", 2)]
_SOURCES = [("Organic Search", 25), ("Paid Search", 18), ("Paid Social", 14), ("Email Marketing", 12),
            ("Referrals", 10), ("Direct Traffic", 12), ("Offline Sources", 9)]
_COUNTRIES = [("United States", 40), ("United Kingdom", 12), ("Germany", 10), ("Canada", 9), ("France", 7),
              ("Australia", 6), ("China", 8), ("", 8)]
_INDUSTRIES = ["Computer Software", "Marketing and Advertising", "Retail", "Financial Services", "Hospital & Health Care",
               "Information Technology and Services"]
_DEAL_STAGES = [("Appointment Scheduled", 8), ("Qualified To Buy", 8), ("Presentation Scheduled", 6),
                ("Decision Maker Bought-In", 5), ("Contract Sent", 5), ("Closed Won", 30), ("Closed Lost", 38)]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _crm(rng: random.Random) -> Files:
    start = datetime(2023, 1, 1, 8, 0)
    companies: Rows = []
    for i in range(120):
        created = start + timedelta(days=rng.randint(0, 600), minutes=rng.randint(0, 600))
        companies.append([9000 + i, f"{rng.choice(_LAST)} {rng.choice(['Labs', 'Group', 'Inc.', 'GmbH', 'Co'])}",
                          f"{rng.choice(_LAST).lower()}{i}.com", rng.choice(_INDUSTRIES),
                          rng.choice(["", "10", "50", "250", "1000", "5000"]),
                          rng.choice(["", "500000", "2000000", "15000000", "90000000"]),
                          _pick(rng, _COUNTRIES), rng.choice(_OWNERS), created.strftime("%Y-%m-%d %H:%M")])
    contacts: Rows = []
    for i in range(1500):
        created = start + timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 900))
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        employer = "" if rng.random() < 0.3 else str(rng.choice(companies)[0])
        contacts.append([50001 + i, first, last, f"{first.lower()}.{last.lower()}{i}@example.com",
                         _pick(rng, _STAGES), _pick(rng, _SOURCES), rng.choice(_OWNERS),
                         created.strftime("%Y-%m-%d %H:%M"), _pick(rng, _COUNTRIES), employer,
                         "" if rng.random() < 0.5 else (created + timedelta(days=rng.randint(0, 90))).strftime("%Y-%m-%d %H:%M")])
    deals: Rows = []
    links: Rows = []
    for i in range(400):
        created = start + timedelta(days=rng.randint(0, 650), minutes=rng.randint(0, 900))
        stage = _pick(rng, _DEAL_STAGES)
        closed = "" if not stage.startswith("Closed") else \
            (created + timedelta(days=rng.randint(5, 120))).strftime("%Y-%m-%d %H:%M")
        company = rng.choice(companies)
        pipeline = "Sales Pipeline" if rng.random() < 0.8 else "Renewals"
        amount = "" if rng.random() < 0.05 else str(rng.choice([1500, 2500, 4800, 7500, 12000, 25000, 60000])
                                                     + rng.randint(0, 400) * 5)
        deals.append([700001 + i, f"{company[1]} - {rng.choice(['Annual', 'Pilot', 'Expansion', 'Starter'])}",
                      pipeline, stage, amount, closed, created.strftime("%Y-%m-%d %H:%M"), rng.choice(_OWNERS),
                      company[0], "Existing Business" if pipeline == "Renewals" else rng.choice(["New Business", "New Business", "Existing Business"]),
                      _pick(rng, _SOURCES)])
        members = [c for c in contacts if c[9] == str(company[0])] or contacts
        for contact in rng.sample(members, min(len(members), rng.randint(1, 3))):
            links.append([700001 + i, contact[0], "Deal to Contact"])
    return [
        ("contacts.csv", ["Contact ID", "First Name", "Last Name", "Email", "Lifecycle Stage", "Lead Source",
                          "Contact Owner", "Create Date", "Country/Region", "Associated Company ID", "Last Activity Date"],
         contacts),
        ("companies.csv", ["Company ID", "Company Name", "Company Domain Name", "Industry", "Number of Employees",
                           "Annual Revenue", "Country/Region", "Company Owner", "Create Date"], companies),
        ("deals.csv", ["Deal ID", "Deal Name", "Pipeline", "Deal Stage", "Amount", "Close Date", "Create Date",
                       "Deal Owner", "Associated Company ID", "Deal Type", "Original Source Type"], deals),
        ("deal_contact_associations.csv", ["Deal ID", "Contact ID", "Association Label"], links),
    ]


_AW_CATEGORIES = {"Bikes": ["Mountain Bikes", "Road Bikes", "Touring Bikes"],
                  "Components": ["Handlebars", "Brakes", "Chains", "Wheels"],
                  "Clothing": ["Jerseys", "Shorts", "Gloves", "Caps"],
                  "Accessories": ["Helmets", "Bottles and Cages", "Tires and Tubes"]}
_AW_PRICES = {"Bikes": (540.0, 3580.0), "Components": (20.0, 1400.0), "Clothing": (8.0, 90.0), "Accessories": (2.3, 60.0)}
_AW_TERRITORIES = [("Northwest", "US", "North America"), ("Northeast", "US", "North America"),
                   ("Central", "US", "North America"), ("Southwest", "US", "North America"),
                   ("Southeast", "US", "North America"), ("Canada", "CA", "North America"),
                   ("France", "FR", "Europe"), ("Germany", "DE", "Europe"), ("Australia", "AU", "Pacific"),
                   ("United Kingdom", "GB", "Europe")]
_AW_COLORS = ["Black", "Silver", "Red", "Yellow", "Blue", "Multi", "White", ""]


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128))).upper()


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.000")


def _adventureworks(rng: random.Random) -> Files:
    modified = _stamp(datetime(2014, 6, 30))
    categories: Rows = []
    subcategories: Rows = []
    for c, (category_name, subs) in enumerate(_AW_CATEGORIES.items(), start=1):
        categories.append([c, category_name, _guid(rng), modified])
        for sub_name in subs:
            subcategories.append([len(subcategories) + 1, c, sub_name, _guid(rng), modified])
    products: Rows = []
    for i in range(260):
        part = rng.random() < 0.25
        sub = None if part else rng.choice(subcategories)
        category = list(_AW_CATEGORIES)[sub[1] - 1] if sub else "Components"
        low, high = _AW_PRICES[category]
        price = 0.0 if part else round(rng.uniform(low, high), 4)
        name = f"{sub[2][:-1] if sub else 'Part'} {rng.choice(['LL', 'ML', 'HL'])}-{100 + i}"
        products.append([680 + i, name, f"PR-{1000 + i}", 1 if part else 0, 0 if part else 1,
                         "" if part else rng.choice(_AW_COLORS), 500, 375, round(price * 0.6, 4), price,
                         "" if part else rng.choice(["S", "M", "L", "44", "48", "52"]), "",
                         rng.randint(0, 4), "" if part else rng.choice(["R ", "M ", "T ", "S "]),
                         "" if sub is None else sub[0], _stamp(datetime(2011, 5, 31)), "", _guid(rng), modified])
    sellable = [p for p in products if p[14] != ""]
    territories: Rows = [[i + 1, name, code, group, 0.0, 0.0, 0.0, 0.0, _guid(rng), modified]
                   for i, (name, code, group) in enumerate(_AW_TERRITORIES)]
    people: Rows = []
    stores: Rows = []
    customers: Rows = []
    for i in range(900):
        territory = rng.choices(territories, [14, 10, 6, 16, 6, 12, 9, 9, 11, 7])[0][0]
        if rng.random() < 0.15:
            entity = 300 + len(stores)
            stores.append([entity, f"{rng.choice(_LAST)} Cycles", rng.choice([274, 275, 276, 277]), _guid(rng), modified])
            customers.append([29000 + i, "", entity, territory, f"AW{29000 + i:08d}", _guid(rng), modified])
        else:
            entity = 1700 + len(people)
            people.append([entity, "IN", 0, "", rng.choice(_FIRST), rng.choice(["", "A", "J", "M"]), rng.choice(_LAST),
                           "", rng.randint(0, 2), _guid(rng), modified])
            customers.append([11000 + i, entity, "", territory, f"AW{11000 + i:08d}", _guid(rng), modified])
    headers: Rows = []
    details: Rows = []
    start = datetime(2011, 5, 31)
    totals = [0.0] * len(territories)
    for n in range(2500):
        order = 43659 + n
        customer = rng.choice(customers)
        online = 0 if customer[2] != "" else 1
        day = start + timedelta(days=rng.randint(0, 1126))
        subtotal = 0.0
        for _ in range(rng.randint(1, 5) if online else rng.randint(2, 12)):
            product = rng.choice(sellable)
            quantity = 1 if online else rng.randint(1, 8)
            discount = 0.0 if online or rng.random() < 0.8 else rng.choice([0.02, 0.05, 0.1, 0.15])
            unit = round(product[9] * (1.0 if online else 0.6), 4)
            line = round(unit * (1 - discount) * quantity, 6)
            subtotal += line
            details.append([order, len(details) + 1, "" if online else f"{rng.randint(1000, 9999)}-4{rng.randint(100, 999)}-{rng.choice('ABCDEF')}{rng.randint(1, 9)}",
                            quantity, product[0], 1 if discount == 0 else 2, unit, discount, line, _guid(rng),
                            _stamp(day)])
        subtotal = round(subtotal, 4)
        tax = round(subtotal * 0.08, 4)
        freight = round(subtotal * 0.025, 4)
        territory = customer[3]
        totals[territory - 1] += subtotal
        headers.append([order, 8, _stamp(day), _stamp(day + timedelta(days=12)), _stamp(day + timedelta(days=7)), 5,
                        online, f"SO{order}", "" if online else f"PO{rng.randint(10**9, 10**10 - 1)}",
                        f"10-4020-{customer[0]:06d}", customer[0], "" if online else rng.choice([274, 275, 276, 277]),
                        territory, 1, rng.choice([1, 5]), subtotal, tax, freight, round(subtotal + tax + freight, 4), "",
                        _guid(rng), _stamp(day + timedelta(days=7))])
    for territory in territories:  # this year's and last year's figures: not the order lines' sums
        territory[4] = round(totals[territory[0] - 1] * rng.uniform(0.2, 0.4), 4)
        territory[5] = round(totals[territory[0] - 1] * rng.uniform(0.2, 0.4), 4)
    return [
        ("SalesOrderHeader.csv", ["SalesOrderID", "RevisionNumber", "OrderDate", "DueDate", "ShipDate", "Status",
                                  "OnlineOrderFlag", "SalesOrderNumber", "PurchaseOrderNumber", "AccountNumber",
                                  "CustomerID", "SalesPersonID", "TerritoryID", "BillToAddressID", "ShipMethodID",
                                  "SubTotal", "TaxAmt", "Freight", "TotalDue", "Comment", "rowguid", "ModifiedDate"],
         headers),
        ("SalesOrderDetail.csv", ["SalesOrderID", "SalesOrderDetailID", "CarrierTrackingNumber", "OrderQty",
                                  "ProductID", "SpecialOfferID", "UnitPrice", "UnitPriceDiscount", "LineTotal",
                                  "rowguid", "ModifiedDate"], details),
        ("Product.csv", ["ProductID", "Name", "ProductNumber", "MakeFlag", "FinishedGoodsFlag", "Color",
                         "SafetyStockLevel", "ReorderPoint", "StandardCost", "ListPrice", "Size", "Weight",
                         "DaysToManufacture", "ProductLine", "ProductSubcategoryID", "SellStartDate", "SellEndDate",
                         "rowguid", "ModifiedDate"], products),
        ("ProductSubcategory.csv", ["ProductSubcategoryID", "ProductCategoryID", "Name", "rowguid", "ModifiedDate"],
         subcategories),
        ("ProductCategory.csv", ["ProductCategoryID", "Name", "rowguid", "ModifiedDate"], categories),
        ("Customer.csv", ["CustomerID", "PersonID", "StoreID", "TerritoryID", "AccountNumber", "rowguid",
                          "ModifiedDate"], customers),
        ("Person.csv", ["BusinessEntityID", "PersonType", "NameStyle", "Title", "FirstName", "MiddleName",
                        "LastName", "Suffix", "EmailPromotion", "rowguid", "ModifiedDate"], people),
        ("Store.csv", ["BusinessEntityID", "Name", "SalesPersonID", "rowguid", "ModifiedDate"], stores),
        ("SalesTerritory.csv", ["TerritoryID", "Name", "CountryRegionCode", "Group", "SalesYTD", "SalesLastYear",
                                "CostYTD", "CostLastYear", "rowguid", "ModifiedDate"], territories),
    ]


FOLDERS = {"crm": _crm, "adventureworks": _adventureworks}

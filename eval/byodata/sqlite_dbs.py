"""Deterministic lookalikes of well-known SQLite sample databases, as the ``.sqlite`` file
people download and point ``--db`` at (values generated; nothing copied from the originals).

* ``chinook``: the Chinook music store (``Chinook_Sqlite.sqlite``): PascalCase tables and
  ``...Id`` keys (``Customer.CustomerId``, ``Invoice.CustomerId``, ``InvoiceLine.TrackId``),
  declared types as the original declares them (``NVARCHAR(40)``, ``NUMERIC(10,2)``,
  ``DATETIME`` kept as text '2021-01-01 00:00:00'), an invoice's ``Total`` that is the sum of
  its lines, billing address fields copied from the customer, a chain of lookups (line →
  track → album → artist; track → genre, media type), customers looked after by an employee
  (``SupportRepId`` → ``Employee.EmployeeId``), blank ``Company``/``State``/``Fax`` for many,
  and a playlist link table with a composite key.

* ``northwind``: Northwind Traders (``northwind.db``, the SQLite port): a table named with a
  space (``"Order Details"``, keyed by order and product together), text customer ids
  ('ALFKI'), order lines with ``UnitPrice``, ``Quantity`` and a ``Discount`` fraction (sales are
  price x quantity x (1 - discount)), ``Freight`` on the order, ``ShipVia`` pointing at
  ``Shippers``, ``ShippedDate`` blank for open orders, products with ``UnitsInStock`` and a
  text ``Discontinued`` flag ('0'/'1'), categories with a picture BLOB, employees, suppliers,
  and a couple of customers who never ordered.

* ``sakila``: the Sakila DVD rental store (``sakila.db``): snake_case ids, payments of
  rentals, rentals with a ``return_date`` empty for films still out, stock (``inventory``)
  of films per store, films in categories through a link table (``film_category``), a
  rating ('PG-13'), customers with an ``active`` 0/1 and an address chain address → city →
  country, ``last_update`` stamps on every table.

``build_database(name, folder)`` writes one into ``folder`` and returns the file; the eval
case files beside this module (``eval/byodata/<name>/``) hold hand-written gold SQL over its
tables' real names.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

Rows = list[tuple[Any, ...]]
Table = tuple[str, str, Rows]
"""(name, the CREATE TABLE column list, rows)."""


def build_database(name: str, folder: str | Path) -> Path:
    """Write database ``name`` (one of ``DATABASES``) into ``folder``; same every time."""
    file_name, make = DATABASES[name]
    target = Path(folder) / file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    connection = sqlite3.connect(target)
    try:
        for table, columns, rows in make(random.Random(7)):
            connection.execute(f'CREATE TABLE "{table}" ({columns})')
            if rows:
                marks = ", ".join("?" for _ in rows[0])
                connection.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
        connection.commit()
    finally:
        connection.close()
    return target


# --- Chinook --------------------------------------------------------------------------------

_GENRES = ["Rock", "Jazz", "Metal", "Alternative & Punk", "Rock And Roll", "Blues", "Latin", "Reggae", "Pop",
           "Soundtrack", "Bossa Nova", "Easy Listening", "Heavy Metal", "R&B/Soul", "Electronica/Dance",
           "World", "Hip Hop/Rap", "Classical", "Comedy", "Drama"]
_GENRE_WEIGHTS = [30, 8, 9, 7, 2, 4, 10, 2, 5, 3, 1, 1, 2, 3, 2, 2, 2, 5, 1, 1]
_MEDIA = ["MPEG audio file", "Protected AAC audio file", "Protected MPEG-4 video file", "Purchased AAC audio file",
          "AAC audio file"]
_MEDIA_WEIGHTS = [80, 8, 4, 1, 7]
_WORDS = ["Night", "Fire", "Love", "Road", "Blue", "Dream", "River", "Stone", "Heart", "Light", "Rain", "Wild",
          "Gold", "Shadow", "Sun", "Highway", "Ghost", "City", "Ocean", "Thunder"]
_FIRST = ["Luís", "Leonie", "François", "Bjørn", "František", "Helena", "Astrid", "Daan", "Kara", "Eduardo",
          "Alexandre", "Roberto", "Fernanda", "Mark", "Jennifer", "Frank", "Jack", "Michelle", "Tim", "Dan",
          "Kathy", "Heather", "John", "Robert", "Edward", "Martha", "Aaron", "Ellie", "João", "Madalena",
          "Hannah", "Niklas", "Camille", "Dominique", "Marc", "Wyatt", "Isabelle", "Ladislav", "Hugh", "Lucas",
          "Johannes", "Stanisław", "Enrique", "Joakim", "Emma", "Phil", "Steve", "Mark", "Diego", "Luis",
          "Manoj", "Puja"]
_LAST = ["Gonçalves", "Köhler", "Tremblay", "Hansen", "Wichterlová", "Holý", "Mitchell", "Peeters", "Nielsen",
         "Martins", "Rocha", "Almeida", "Ramos", "Philips", "Peterson", "Harris", "Smith", "Brooks", "Goyer",
         "Miller", "Chase", "Gordon", "Stevens", "Francis", "Silk", "Sullivan", "Brown", "Fernandes", "Sampaio",
         "Schneider", "Schröder", "Dubois", "Lefebvre", "Girard", "Bernard", "Mercier", "Kovács", "Murray",
         "Mancini", "Van der Berg", "Wójcik", "Muñoz", "Johansson", "Taylor", "Hughes", "Murray", "Gutiérrez",
         "Rojas", "Pareek", "Srivastava"]
_PLACES: list[tuple[str, list[tuple[str, str | None]], int]] = [  # country, cities (city, state or None), weight
    ("USA", [("Mountain View", "CA"), ("Redmond", "WA"), ("New York", "NY"), ("Chicago", "IL"), ("Boston", "MA"),
             ("Austin", "TX"), ("Orlando", "FL"), ("Salt Lake City", "UT")], 22),
    ("Canada", [("Toronto", "ON"), ("Montréal", "QC"), ("Vancouver", "BC"), ("Edmonton", "AB")], 14),
    ("Brazil", [("São Paulo", "SP"), ("Rio de Janeiro", "RJ"), ("Brasília", "DF")], 10),
    ("France", [("Paris", None), ("Lyon", None), ("Bordeaux", None), ("Dijon", None)], 9),
    ("Germany", [("Berlin", None), ("Frankfurt", None), ("Stuttgart", None)], 8),
    ("United Kingdom", [("London", None), ("Edinburgh ", None)], 6),
    ("Czech Republic", [("Prague", None)], 4),
    ("Portugal", [("Lisbon", None), ("Porto", None)], 4),
    ("India", [("Delhi", None), ("Bangalore", None)], 4),
    ("Chile", [("Santiago", None)], 2),
    ("Netherlands", [("Amsterdam", "VV")], 2),
    ("Norway", [("Oslo", None)], 2),
    ("Sweden", [("Stockholm", None)], 2),
    ("Australia", [("Sidney", "NSW")], 2),
    ("Argentina", [("Buenos Aires", None)], 2),
]
_COMPANIES = ["Embraer - Empresa Brasileira de Aeronáutica S.A.", "JetBrains s.r.o.", "Woodstock Discos",
              "Banco do Brasil S.A.", "Riotur", "Telus", "Rogers Canada", "Google Inc.", "Microsoft Corporation",
              "Apple Inc."]
_EMPLOYEES = [  # title, reports to, city
    ("General Manager", None), ("Sales Manager", 1), ("Sales Support Agent", 2), ("Sales Support Agent", 2),
    ("Sales Support Agent", 2), ("Sales Support Agent", 2), ("IT Manager", 1), ("IT Staff", 7), ("IT Staff", 7),
]
_AGENTS = [3, 4, 5, 6]


def _datetime(day: date) -> str:
    return f"{day.isoformat()} 00:00:00"


def _chinook(rng: random.Random) -> list[Table]:
    genres = [(i + 1, name) for i, name in enumerate(_GENRES)]
    media = [(i + 1, name) for i, name in enumerate(_MEDIA)]
    artists = [(i + 1, f"{rng.choice(['The ', '', '', ''])}{rng.choice(_WORDS)} {rng.choice(_WORDS)}s")
               for i in range(60)]
    albums = [(i + 1, f"{rng.choice(_WORDS)} {rng.choice(['of ', 'in ', 'and '])}{rng.choice(_WORDS)}",
               rng.randint(1, len(artists))) for i in range(120)]
    tracks = []
    for i in range(600):
        album = rng.randint(1, len(albums))
        medium = rng.choices(range(1, len(media) + 1), _MEDIA_WEIGHTS)[0]
        video = medium == 3
        price = 1.99 if video else 0.99
        composer = None if rng.random() < 0.28 else f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        millis = rng.randint(1_500_000, 3_000_000) if video else rng.randint(90_000, 420_000)
        tracks.append((i + 1, f"{rng.choice(_WORDS)} {rng.choice(_WORDS)}", album, medium,
                       rng.choices(range(1, len(genres) + 1), _GENRE_WEIGHTS)[0], composer, millis,
                       millis * rng.randint(28, 34), price))
    employees = []
    for i, (title, boss) in enumerate(_EMPLOYEES):
        first, last = _FIRST[(i * 7) % len(_FIRST)], _LAST[(i * 5) % len(_LAST)]
        hired = date(2019, 4, 1) + timedelta(days=rng.randint(0, 900))
        born = date(1958, 1, 1) + timedelta(days=rng.randint(0, 12000))
        employees.append((i + 1, last, first, title, boss, _datetime(born), _datetime(hired),
                          f"{rng.randint(1, 999)} {rng.choice(_WORDS)} Street", "Calgary", "AB", "Canada",
                          "T2P 2T3", "+1 (403) 262-3443", "+1 (403) 262-3322",
                          f"{first.lower()}@chinookcorp.com"))
    customers = []
    for i in range(300):
        country, cities, _ = rng.choices(_PLACES, [p[2] for p in _PLACES])[0]
        city, state = rng.choice(cities)
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        company = rng.choice(_COMPANIES) if rng.random() < 0.18 else None
        fax = f"+1 (555) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}" if rng.random() < 0.3 else None
        customers.append((i + 1, first, last, company, f"{rng.randint(1, 999)} {rng.choice(_WORDS)} Avenue",
                          city, state, country, f"{rng.randint(10000, 99999)}",
                          f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}", fax,
                          f"{first.lower()}.{last.lower().replace(' ', '')}{i}@example.com", rng.choice(_AGENTS)))
    invoices: Rows = []
    lines: Rows = []
    start = date(2021, 1, 1)
    for customer in customers:
        for _ in range(rng.choice([3, 5, 6, 7, 7, 8, 9, 12])):
            day = start + timedelta(days=rng.randint(0, 1816))  # to 2025-12-22
            invoice_id = len(invoices) + 1
            total = 0.0
            for _ in range(rng.choice([1, 1, 2, 2, 4, 6, 9, 14])):
                track = rng.choice(tracks)
                quantity = 1 if rng.random() < 0.93 else 2
                lines.append((len(lines) + 1, invoice_id, track[0], track[8], quantity))
                total += track[8] * quantity
            invoices.append((invoice_id, customer[0], _datetime(day), customer[4], customer[5], customer[6],
                             customer[7], customer[8], round(total, 2)))
    invoices.sort(key=lambda r: (r[2], r[0]))
    playlists = [(1, "Music"), (2, "Movies"), (3, "TV Shows"), (4, "90’s Music"), (5, "Grunge"), (6, "Classical")]
    playlist_tracks = sorted({(rng.randint(1, 6), rng.randint(1, len(tracks))) for _ in range(900)})
    return [
        ("Album", "[AlbumId] INTEGER NOT NULL PRIMARY KEY, [Title] NVARCHAR(160) NOT NULL, "
                  "[ArtistId] INTEGER NOT NULL REFERENCES [Artist] ([ArtistId])", albums),
        ("Artist", "[ArtistId] INTEGER NOT NULL PRIMARY KEY, [Name] NVARCHAR(120)", artists),
        ("Customer", "[CustomerId] INTEGER NOT NULL PRIMARY KEY, [FirstName] NVARCHAR(40) NOT NULL, "
                     "[LastName] NVARCHAR(20) NOT NULL, [Company] NVARCHAR(80), [Address] NVARCHAR(70), "
                     "[City] NVARCHAR(40), [State] NVARCHAR(40), [Country] NVARCHAR(40), [PostalCode] NVARCHAR(10), "
                     "[Phone] NVARCHAR(24), [Fax] NVARCHAR(24), [Email] NVARCHAR(60) NOT NULL, "
                     "[SupportRepId] INTEGER REFERENCES [Employee] ([EmployeeId])", customers),
        ("Employee", "[EmployeeId] INTEGER NOT NULL PRIMARY KEY, [LastName] NVARCHAR(20) NOT NULL, "
                     "[FirstName] NVARCHAR(20) NOT NULL, [Title] NVARCHAR(30), "
                     "[ReportsTo] INTEGER REFERENCES [Employee] ([EmployeeId]), [BirthDate] DATETIME, "
                     "[HireDate] DATETIME, [Address] NVARCHAR(70), [City] NVARCHAR(40), [State] NVARCHAR(40), "
                     "[Country] NVARCHAR(40), [PostalCode] NVARCHAR(10), [Phone] NVARCHAR(24), [Fax] NVARCHAR(24), "
                     "[Email] NVARCHAR(60)", employees),
        ("Genre", "[GenreId] INTEGER NOT NULL PRIMARY KEY, [Name] NVARCHAR(120)", genres),
        ("Invoice", "[InvoiceId] INTEGER NOT NULL PRIMARY KEY, "
                    "[CustomerId] INTEGER NOT NULL REFERENCES [Customer] ([CustomerId]), "
                    "[InvoiceDate] DATETIME NOT NULL, [BillingAddress] NVARCHAR(70), [BillingCity] NVARCHAR(40), "
                    "[BillingState] NVARCHAR(40), [BillingCountry] NVARCHAR(40), [BillingPostalCode] NVARCHAR(10), "
                    "[Total] NUMERIC(10,2) NOT NULL", invoices),
        ("InvoiceLine", "[InvoiceLineId] INTEGER NOT NULL PRIMARY KEY, "
                        "[InvoiceId] INTEGER NOT NULL REFERENCES [Invoice] ([InvoiceId]), "
                        "[TrackId] INTEGER NOT NULL REFERENCES [Track] ([TrackId]), "
                        "[UnitPrice] NUMERIC(10,2) NOT NULL, [Quantity] INTEGER NOT NULL", lines),
        ("MediaType", "[MediaTypeId] INTEGER NOT NULL PRIMARY KEY, [Name] NVARCHAR(120)", media),
        ("Playlist", "[PlaylistId] INTEGER NOT NULL PRIMARY KEY, [Name] NVARCHAR(120)", playlists),
        ("PlaylistTrack", "[PlaylistId] INTEGER NOT NULL, [TrackId] INTEGER NOT NULL, "
                          "CONSTRAINT [PK_PlaylistTrack] PRIMARY KEY ([PlaylistId], [TrackId])", playlist_tracks),
        ("Track", "[TrackId] INTEGER NOT NULL PRIMARY KEY, [Name] NVARCHAR(200) NOT NULL, "
                  "[AlbumId] INTEGER REFERENCES [Album] ([AlbumId]), "
                  "[MediaTypeId] INTEGER NOT NULL REFERENCES [MediaType] ([MediaTypeId]), "
                  "[GenreId] INTEGER REFERENCES [Genre] ([GenreId]), [Composer] NVARCHAR(220), "
                  "[Milliseconds] INTEGER NOT NULL, [Bytes] INTEGER, [UnitPrice] NUMERIC(10,2) NOT NULL", tracks),
    ]


# --- Northwind ------------------------------------------------------------------------------

_NW_CATEGORIES = [("Beverages", "Soft drinks, coffees, teas, beers, and ales"),
                  ("Condiments", "Sweet and savory sauces, relishes, spreads, and seasonings"),
                  ("Confections", "Desserts, candies, and sweet breads"),
                  ("Dairy Products", "Cheeses"), ("Grains/Cereals", "Breads, crackers, pasta, and cereal"),
                  ("Meat/Poultry", "Prepared meats"), ("Produce", "Dried fruit and bean curd"),
                  ("Seafood", "Seaweed and fish")]
_NW_PRODUCTS = ["Chai", "Chang", "Aniseed Syrup", "Chef Anton's Cajun Seasoning", "Grandma's Boysenberry Spread",
                "Uncle Bob's Organic Dried Pears", "Northwoods Cranberry Sauce", "Mishi Kobe Niku", "Ikura",
                "Queso Cabrales", "Queso Manchego La Pastora", "Konbu", "Tofu", "Genen Shouyu", "Pavlova",
                "Alice Mutton", "Carnarvon Tigers", "Teatime Chocolate Biscuits", "Sir Rodney's Marmalade",
                "Sir Rodney's Scones", "Gustaf's Knäckebröd", "Tunnbröd", "Guaraná Fantástica",
                "NuNuCa Nuß-Nougat-Creme", "Gumbär Gummibärchen", "Schoggi Schokolade", "Rössle Sauerkraut",
                "Thüringer Rostbratwurst", "Nord-Ost Matjeshering", "Gorgonzola Telino", "Mascarpone Fabioli",
                "Geitost", "Sasquatch Ale", "Steeleye Stout", "Inlagd Sill", "Gravad lax", "Côte de Blaye",
                "Chartreuse verte", "Boston Crab Meat", "Jack's New England Clam Chowder"]
_NW_COUNTRIES = [("Germany", ["Berlin", "München", "Frankfurt a.M.", "Aachen"], 11), ("USA", ["Seattle", "Boise",
                 "Portland", "Anchorage"], 13), ("France", ["Paris", "Lyon", "Marseille", "Nantes"], 11),
                 ("Brazil", ["Rio de Janeiro", "São Paulo", "Campinas"], 9), ("UK", ["London", "Cowes"], 7),
                 ("Spain", ["Madrid", "Barcelona", "Sevilla"], 5), ("Mexico", ["México D.F."], 5),
                 ("Venezuela", ["Caracas", "San Cristóbal"], 4), ("Italy", ["Torino", "Bergamo", "Reggio Emilia"], 3),
                 ("Canada", ["Montréal", "Tsawassen", "Vancouver"], 3), ("Sweden", ["Luleå", "Bräcke"], 2)]
_NW_SHIPPERS = [(1, "Speedy Express", "(503) 555-9831"), (2, "United Package", "(503) 555-3199"),
                (3, "Federal Shipping", "(503) 555-9931")]


def _northwind(rng: random.Random) -> list[Table]:
    categories = [(i + 1, name, text, b"\x15\x1c/\x00") for i, (name, text) in enumerate(_NW_CATEGORIES)]
    suppliers = [(i + 1, f"{rng.choice(_WORDS)} {rng.choice(['Ltd.', 'AG', 'S.A.', 'Co.'])}",
                  rng.choice(_FIRST), rng.choice(_NW_COUNTRIES)[0]) for i in range(12)]
    products = []
    for i, name in enumerate(_NW_PRODUCTS):
        price = round(rng.choice([4.5, 9.0, 10.0, 12.5, 14.0, 18.0, 19.0, 21.35, 25.0, 31.0, 38.0, 43.9, 62.5, 97.0]), 2)
        products.append((i + 1, name, rng.randint(1, len(suppliers)), rng.randint(1, len(categories)),
                         f"{rng.choice([10, 12, 24, 48])} - {rng.choice([250, 500, 550])} g", price,
                         rng.randint(0, 120), rng.choice([0, 0, 10, 40]), rng.choice([0, 5, 10, 25]),
                         "1" if rng.random() < 0.12 else "0"))
    customers = []
    taken: set[str] = set()
    for _ in range(90):
        country, cities, _ = rng.choices(_NW_COUNTRIES, [c[2] for c in _NW_COUNTRIES])[0]
        company = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {rng.choice(['Markt', 'Delicatessen', 'Supermarket', 'Comidas', 'Traders'])}"
        letters = "".join(ch for ch in company.upper() if "A" <= ch <= "Z")
        code = next(letters[:4] + ch for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if letters[:4] + ch not in taken)
        taken.add(code)
        customers.append((code, company, f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                          rng.choice(["Sales Representative", "Owner", "Marketing Manager", "Order Administrator"]),
                          f"{rng.randint(1, 300)} {rng.choice(_WORDS)}str.", rng.choice(cities), None,
                          f"{rng.randint(10000, 99999)}", country, f"030-{rng.randint(1000000, 9999999)}", None))
    ids = [c[0] for c in customers]
    employees = [(i + 1, rng.choice(_LAST), rng.choice(_FIRST),
                  "Sales Manager" if i == 4 else "Vice President, Sales" if i == 1 else "Sales Representative",
                  _datetime(date(1960, 1, 1) + timedelta(days=rng.randint(0, 9000))),
                  _datetime(date(2012, 4, 1) + timedelta(days=rng.randint(0, 700))), "Seattle", "USA")
                 for i in range(9)]
    orders: Rows = []
    lines: Rows = []
    buyers = ids[:-2]  # two customers never ordered
    start = date(2022, 7, 4)
    for order_id in range(10248, 10248 + 830):
        day = start + timedelta(days=(order_id - 10248) * 670 // 830 + rng.randint(0, 1))
        customer = rng.choice(buyers)
        country = next(c[8] for c in customers if c[0] == customer)
        city = next(c[5] for c in customers if c[0] == customer)
        shipped = None if day > date(2024, 4, 20) and rng.random() < 0.5 else _datetime(day + timedelta(days=rng.randint(1, 20)))
        orders.append((order_id, customer, rng.randint(1, 9), _datetime(day), _datetime(day + timedelta(days=28)),
                       shipped, rng.randint(1, 3), round(rng.uniform(0.5, 250.0), 2), f"{customer} shipment",
                       city, None, country))
        for product in rng.sample(products, rng.choice([1, 2, 2, 3, 3, 4, 5])):
            discount = rng.choice([0.0, 0.0, 0.0, 0.05, 0.1, 0.15, 0.2, 0.25])
            lines.append((order_id, product[0], product[5], rng.choice([1, 2, 5, 6, 10, 12, 15, 20, 25, 30, 40]),
                          discount))
    return [
        ("Categories", "[CategoryID] INTEGER PRIMARY KEY AUTOINCREMENT, [CategoryName] TEXT, [Description] TEXT, "
                       "[Picture] BLOB", categories),
        ("Customers", "[CustomerID] TEXT, [CompanyName] TEXT, [ContactName] TEXT, [ContactTitle] TEXT, [Address] TEXT, "
                      "[City] TEXT, [Region] TEXT, [PostalCode] TEXT, [Country] TEXT, [Phone] TEXT, [Fax] TEXT, "
                      "PRIMARY KEY (`CustomerID`)", customers),
        ("Employees", "[EmployeeID] INTEGER PRIMARY KEY AUTOINCREMENT, [LastName] TEXT, [FirstName] TEXT, [Title] TEXT, "
                      "[BirthDate] DATE, [HireDate] DATE, [City] TEXT, [Country] TEXT", employees),
        ("Order Details", "[OrderID] INTEGER NOT NULL, [ProductID] INTEGER NOT NULL, [UnitPrice] NUMERIC NOT NULL DEFAULT 0, "
                          "[Quantity] INTEGER NOT NULL DEFAULT 1, [Discount] REAL NOT NULL DEFAULT 0, "
                          "PRIMARY KEY (\"OrderID\",\"ProductID\"), FOREIGN KEY ([OrderID]) REFERENCES [Orders] ([OrderID]), "
                          "FOREIGN KEY ([ProductID]) REFERENCES [Products] ([ProductID])", lines),
        ("Orders", "[OrderID] INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, [CustomerID] TEXT, [EmployeeID] INTEGER, "
                   "[OrderDate] DATETIME, [RequiredDate] DATETIME, [ShippedDate] DATETIME, [ShipVia] INTEGER, "
                   "[Freight] NUMERIC DEFAULT 0, [ShipName] TEXT, [ShipCity] TEXT, [ShipRegion] TEXT, [ShipCountry] TEXT, "
                   "FOREIGN KEY ([EmployeeID]) REFERENCES [Employees] ([EmployeeID]), "
                   "FOREIGN KEY ([CustomerID]) REFERENCES [Customers] ([CustomerID]), "
                   "FOREIGN KEY ([ShipVia]) REFERENCES [Shippers] ([ShipperID])", orders),
        ("Products", "[ProductID] INTEGER PRIMARY KEY AUTOINCREMENT, [ProductName] TEXT NOT NULL, [SupplierID] INTEGER, "
                     "[CategoryID] INTEGER, [QuantityPerUnit] TEXT, [UnitPrice] NUMERIC DEFAULT 0, "
                     "[UnitsInStock] INTEGER DEFAULT 0, [UnitsOnOrder] INTEGER DEFAULT 0, [ReorderLevel] INTEGER DEFAULT 0, "
                     "[Discontinued] TEXT NOT NULL DEFAULT '0'", products),
        ("Shippers", "[ShipperID] INTEGER PRIMARY KEY AUTOINCREMENT, [CompanyName] TEXT NOT NULL, [Phone] TEXT", _NW_SHIPPERS),
        ("Suppliers", "[SupplierID] INTEGER PRIMARY KEY AUTOINCREMENT, [CompanyName] TEXT NOT NULL, [ContactName] TEXT, "
                      "[Country] TEXT", suppliers),
    ]


# --- Sakila ---------------------------------------------------------------------------------

_SK_CATEGORIES = ["Action", "Animation", "Children", "Classics", "Comedy", "Documentary", "Drama", "Family",
                  "Foreign", "Games", "Horror", "Music", "New", "Sci-Fi", "Sports", "Travel"]
_SK_RATINGS = [("G", 18), ("PG", 19), ("PG-13", 22), ("R", 20), ("NC-17", 21)]
_SK_COUNTRIES = [("India", ["Adoni", "Bhopal", "Chennai"], 12), ("China", ["Baiyin", "Binzhou", "Dalian"], 11),
                 ("United States", ["Akron", "Aurora", "Dallas"], 8), ("Japan", ["Akishima", "Fukuyama"], 6),
                 ("Mexico", ["Acua", "Celaya"], 6), ("Brazil", ["Alvorada", "Anpolis"], 5),
                 ("Russian Federation", ["Balaiha", "Kurgan"], 5), ("Philippines", ["Baybay", "Cabuyao"], 4),
                 ("Turkey", ["Adana", "Batman"], 3), ("Indonesia", ["Ciomas", "Kupang"], 3)]
_STAMP = "2006-02-15 04:34:33"


def _sakila(rng: random.Random) -> list[Table]:
    countries = [(i + 1, name, _STAMP) for i, (name, _, _) in enumerate(_SK_COUNTRIES)]
    cities: Rows = []
    addresses: Rows = []
    for country_id, (_, names, _) in enumerate(_SK_COUNTRIES, start=1):
        for name in names:
            cities.append((len(cities) + 1, name, country_id, _STAMP))
    categories = [(i + 1, name, _STAMP) for i, name in enumerate(_SK_CATEGORIES)]
    films: Rows = []
    film_categories: Rows = []
    for i in range(200):
        rate = rng.choice([0.99, 2.99, 4.99])
        rating = rng.choices([r for r, _ in _SK_RATINGS], [w for _, w in _SK_RATINGS])[0]
        films.append((i + 1, f"{rng.choice(_WORDS).upper()} {rng.choice(_WORDS).upper()}", "A Epic Story",
                      2006, 1, rng.randint(3, 7), rate, rng.randint(46, 185), rng.choice([9.99, 14.99, 19.99, 29.99]),
                      rating, _STAMP))
        film_categories.append((i + 1, rng.randint(1, len(categories)), _STAMP))
    stores = [(1, 1, 1, _STAMP), (2, 2, 2, _STAMP)]
    staff = [(1, "Mike", "Hillyer", 1, 1, _STAMP), (2, "Jon", "Stephens", 2, 2, _STAMP)]
    inventory: Rows = []
    for film in films:
        for _ in range(rng.randint(2, 6)):
            inventory.append((len(inventory) + 1, film[0], rng.randint(1, 2), _STAMP))
    customers: Rows = []
    for i in range(300):
        _, names, _ = rng.choices(_SK_COUNTRIES, [c[2] for c in _SK_COUNTRIES])[0]
        city = rng.choice(names)
        city_id = next(c[0] for c in cities if c[1] == city)
        addresses.append((len(addresses) + 1, f"{rng.randint(1, 1999)} {rng.choice(_WORDS)} Street", "Distrito",
                          city_id, f"{rng.randint(10000, 99999)}", f"{rng.randint(10**9, 10**10 - 1)}", _STAMP))
        first, last = rng.choice(_FIRST).upper(), rng.choice(_LAST).upper()
        customers.append((i + 1, rng.randint(1, 2), first, last, f"{first}.{last}@sakilacustomer.org",
                          addresses[-1][0], 0 if rng.random() < 0.05 else 1,
                          f"2006-02-14 22:04:{rng.randint(10, 59)}", _STAMP))
    rentals: Rows = []
    payments: Rows = []
    start = date(2005, 5, 24)
    for customer in customers:
        for _ in range(rng.randint(12, 40)):
            day = start + timedelta(days=rng.randint(0, 270))
            item = rng.choice(inventory)
            film = films[item[1] - 1]
            out = f"{day.isoformat()} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
            back = None if day > date(2006, 2, 1) and rng.random() < 0.6 else \
                f"{(day + timedelta(days=rng.randint(1, 9))).isoformat()} 10:00:00"
            rentals.append((len(rentals) + 1, out, item[0], customer[0], back, rng.randint(1, 2), _STAMP))
            late = 0.0 if back is None or rng.random() < 0.7 else 1.0 * rng.randint(1, 5)
            payments.append((len(payments) + 1, customer[0], rentals[-1][5], rentals[-1][0],
                             round(film[6] + late, 2), out, _STAMP))
    return [
        ("actor", "actor_id INTEGER PRIMARY KEY, first_name VARCHAR(45), last_name VARCHAR(45), last_update TIMESTAMP",
         [(i + 1, rng.choice(_FIRST).upper(), rng.choice(_LAST).upper(), _STAMP) for i in range(50)]),
        ("address", "address_id INTEGER PRIMARY KEY, address VARCHAR(50), district VARCHAR(20), "
                    "city_id INT REFERENCES city (city_id), postal_code VARCHAR(10), phone VARCHAR(20), "
                    "last_update TIMESTAMP", addresses),
        ("category", "category_id INTEGER PRIMARY KEY, name VARCHAR(25), last_update TIMESTAMP", categories),
        ("city", "city_id INTEGER PRIMARY KEY, city VARCHAR(50), country_id SMALLINT REFERENCES country (country_id), "
                 "last_update TIMESTAMP", cities),
        ("country", "country_id INTEGER PRIMARY KEY, country VARCHAR(50), last_update TIMESTAMP", countries),
        ("customer", "customer_id INTEGER PRIMARY KEY, store_id INT REFERENCES store (store_id), first_name VARCHAR(45), "
                     "last_name VARCHAR(45), email VARCHAR(50), address_id INT REFERENCES address (address_id), "
                     "active CHAR(1) DEFAULT 'Y', create_date TIMESTAMP, last_update TIMESTAMP", customers),
        ("film", "film_id INTEGER PRIMARY KEY, title VARCHAR(255), description BLOB SUB_TYPE TEXT, release_year VARCHAR(4), "
                 "language_id SMALLINT, rental_duration SMALLINT DEFAULT 3, rental_rate DECIMAL(4,2) DEFAULT 4.99, "
                 "length SMALLINT, replacement_cost DECIMAL(5,2) DEFAULT 19.99, rating VARCHAR(10) DEFAULT 'G', "
                 "last_update TIMESTAMP", films),
        ("film_category", "film_id INT REFERENCES film (film_id), category_id SMALLINT REFERENCES category (category_id), "
                          "last_update TIMESTAMP, PRIMARY KEY (film_id, category_id)", film_categories),
        ("inventory", "inventory_id INTEGER PRIMARY KEY, film_id INT REFERENCES film (film_id), "
                      "store_id INT REFERENCES store (store_id), last_update TIMESTAMP", inventory),
        ("payment", "payment_id INTEGER PRIMARY KEY, customer_id INT REFERENCES customer (customer_id), "
                    "staff_id SMALLINT REFERENCES staff (staff_id), rental_id INT REFERENCES rental (rental_id), "
                    "amount DECIMAL(5,2), payment_date TIMESTAMP, last_update TIMESTAMP", payments),
        ("rental", "rental_id INTEGER PRIMARY KEY, rental_date TIMESTAMP, inventory_id INT REFERENCES inventory (inventory_id), "
                   "customer_id INT REFERENCES customer (customer_id), return_date TIMESTAMP, "
                   "staff_id SMALLINT REFERENCES staff (staff_id), last_update TIMESTAMP", rentals),
        ("staff", "staff_id INTEGER PRIMARY KEY, first_name VARCHAR(45), last_name VARCHAR(45), address_id INT, "
                  "store_id INT, last_update TIMESTAMP", staff),
        ("store", "store_id INTEGER PRIMARY KEY, manager_staff_id SMALLINT, address_id INT, last_update TIMESTAMP", stores),
    ]


DATABASES: dict[str, tuple[str, Callable[[random.Random], list[Table]]]] = {
    "chinook": ("Chinook_Sqlite.sqlite", _chinook),
    "northwind": ("northwind.db", _northwind),
    "sakila": ("sakila.db", _sakila),
}

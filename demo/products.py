"""The product catalogue of a beauty and personal-care brand, and who buys what.

Why a module of its own: the catalogue is reference data (its size does not grow with
the number of customers) and basket building needs its prices and popularity; both
live here so that category revenue and AOV come out in a plausible range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genbi.demo.columns import Frame, Labelled
from genbi.demo.sampling import FloatArray, IntArray, normalised

CATEGORIES = ("skincare", "makeup", "haircare", "fragrance", "bodycare", "supplements")
PRODUCTS_PER_CATEGORY = 20
LINES = (
    "Lumière",
    "HydraBloom",
    "Camellia",
    "Jade Dew",
    "Silk Peony",
    "Pure Rice",
    "Velvet",
    "Aqua",
)

ITEMS: dict[str, tuple[str, ...]] = {
    "skincare": (
        "Hydrating Serum 30ml", "Repair Essence 150ml", "Vitamin C Serum 30ml", "Night Cream 50g",
        "Eye Cream 15g", "Cleansing Foam 120g", "Toner 200ml", "Sheet Mask 5pcs",
        "Sunscreen SPF50 50ml", "Retinol Cream 30g", "Day Moisturiser 50ml", "Cleansing Oil 150ml",
        "Exfoliating Toner 150ml", "Essence Water 120ml", "Firming Serum 30ml", "Clay Mask 100g",
        "Lip Balm 4g", "Micellar Water 400ml", "Barrier Cream 50ml", "Travel Kit",
    ),
    "makeup": (
        "Cushion Foundation", "Matte Lipstick", "Lip Glaze", "Eyeshadow Palette", "Mascara",
        "Eyeliner", "Setting Powder", "Blush", "Concealer", "Brow Pencil", "Primer",
        "Highlighter", "Setting Spray", "Liquid Foundation", "Lip Liner", "Bronzer",
        "Tinted Balm", "Makeup Remover", "Brush Set", "Loose Powder",
    ),
    "haircare": (
        "Repair Shampoo", "Scalp Serum", "Conditioner", "Hair Mask", "Hair Oil", "Dry Shampoo",
        "Anti-Dandruff Shampoo", "Leave-in Spray", "Curl Cream", "Heat Protectant",
        "Volume Mousse", "Scalp Scrub", "Colour-Care Shampoo", "Smoothing Serum", "Hair Mist",
        "Keratin Mask", "Travel Set", "Root Spray", "Bond Repair Treatment", "Wide-Tooth Comb Set",
    ),
    "fragrance": (
        "Eau de Parfum 50ml", "Eau de Parfum 100ml", "Eau de Toilette 100ml", "Body Mist",
        "Solid Perfume", "Discovery Set", "Rollerball 10ml", "Hair Perfume", "Scented Candle",
        "Reed Diffuser", "Cologne 75ml", "Perfume Oil", "Gift Set", "Travel Spray 15ml",
        "Eau Fraîche", "Intense Parfum 50ml", "Shower Perfume", "Room Spray", "Sachet Trio",
        "Limited Edition 30ml",
    ),
    "bodycare": (
        "Body Lotion", "Shower Gel", "Body Scrub", "Hand Cream", "Body Oil", "Deodorant",
        "Foot Cream", "Bath Salts", "Body Wash", "Firming Body Cream", "Body Sunscreen",
        "Bubble Bath", "Body Butter", "Hand Wash", "Shaving Gel", "Intimate Wash", "Body Mist",
        "Cooling Gel", "Bath Bomb Set", "Hand Cream Trio",
    ),
    "supplements": (
        "Collagen Drink 10x50ml", "Vitamin C Gummies", "Hyaluronic Capsules", "Probiotic Sachets",
        "Biotin Tablets", "Beauty Sleep Gummies", "Fish Oil Capsules", "Multivitamin",
        "Enzyme Drink", "Iron Gummies", "Glutathione Tablets", "Fibre Powder", "Protein Shake",
        "Lutein Gummies", "Calcium Chews", "Bird's Nest Drink", "Vitamin E Capsules",
        "Green Tea Extract", "Zinc Tablets", "Skin Glow Powder",
    ),
}  # fmt: skip

# per category: typical list price (CNY) and spread (lognormal sigma)
PRICE_LEVEL: dict[str, tuple[float, float]] = {
    "skincare": (250.0, 0.45),
    "makeup": (160.0, 0.35),
    "haircare": (100.0, 0.35),
    "fragrance": (480.0, 0.35),
    "bodycare": (85.0, 0.35),
    "supplements": (160.0, 0.35),
}

# basket share of each category (CATEGORIES order) for a shopper group:
# rows: female young, female mid, female older, male young, male mid, male older, unknown x3
CATEGORY_MIX: FloatArray = np.array(
    [
        [0.33, 0.34, 0.10, 0.08, 0.10, 0.05],
        [0.40, 0.23, 0.11, 0.07, 0.11, 0.08],
        [0.44, 0.14, 0.12, 0.05, 0.12, 0.13],
        [0.38, 0.05, 0.22, 0.14, 0.15, 0.06],
        [0.40, 0.04, 0.22, 0.12, 0.14, 0.08],
        [0.38, 0.03, 0.22, 0.08, 0.16, 0.13],
        [0.36, 0.24, 0.13, 0.08, 0.12, 0.07],
        [0.40, 0.18, 0.13, 0.08, 0.12, 0.09],
        [0.42, 0.12, 0.14, 0.06, 0.13, 0.13],
    ]
)
SHOPPER_GROUPS = CATEGORY_MIX.shape[0]


@dataclass(frozen=True)
class Catalogue:
    """The products, in product_id order (product_id = index + 1)."""

    names: tuple[str, ...]  # product_name
    category: IntArray  # index into CATEGORIES
    price_cents: IntArray  # list price in fen (1/100 CNY)
    popularity: FloatArray  # relative popularity within its category


def build_catalogue(rng: np.random.Generator) -> Catalogue:
    """Twenty products per category with lognormal list prices ending in 9."""
    category = np.repeat(np.arange(len(CATEGORIES)), PRODUCTS_PER_CATEGORY)
    level = np.array([PRICE_LEVEL[name][0] for name in CATEGORIES])[category]
    spread = np.array([PRICE_LEVEL[name][1] for name in CATEGORIES])[category]
    price = level * np.exp(spread * rng.standard_normal(category.size))
    price_yuan = np.maximum(np.round(price / 10.0) * 10.0 - 1.0, 29.0)
    rank = np.concatenate([rng.permutation(PRODUCTS_PER_CATEGORY) for _ in CATEGORIES])
    names = tuple(
        f"{LINES[(index * 7 + 3) % len(LINES)]} {ITEMS[CATEGORIES[cat]][index % PRODUCTS_PER_CATEGORY]}"
        for index, cat in enumerate(category.tolist())
    )
    return Catalogue(
        names=names,
        category=category.astype(np.int64),
        price_cents=(price_yuan * 100).astype(np.int64),
        popularity=1.0 / (rank + 1.0) ** 0.9,
    )


def product_weights(catalogue: Catalogue) -> FloatArray:
    """Per shopper group, the probability of each product being put in a basket."""
    within = (
        catalogue.popularity
        / np.bincount(catalogue.category, weights=catalogue.popularity)[catalogue.category]
    )
    return normalised(CATEGORY_MIX[:, catalogue.category] * within[None, :])


def products_frame(catalogue: Catalogue) -> Frame:
    """The ``products`` table."""
    return {
        "product_id": np.arange(1, len(catalogue.names) + 1, dtype=np.int32),
        "product_name": np.array(catalogue.names, dtype=object),
        "category": Labelled(catalogue.category, CATEGORIES),
        "list_price": catalogue.price_cents / 100.0,
    }

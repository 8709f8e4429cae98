"""Cities customers live in, with their tier, region and share of the customer base.

Why a module of its own: the city list is reference data that must stay consistent (a
city has one tier and one region) and that analysts slice by; keeping it as one table of
constants makes the consistency structural rather than something to check row by row.
"""

from __future__ import annotations

import numpy as np

from genbi.demo.sampling import FloatArray, IntArray

TIERS = ("tier1", "tier2", "tier3")
REGIONS = ("East", "North", "South", "Central", "Southwest", "Northwest", "Northeast")

# city, tier index, region, relative share of customers
CITY_TABLE: tuple[tuple[str, int, str, float], ...] = (
    ("Shanghai", 0, "East", 9.0),
    ("Beijing", 0, "North", 8.0),
    ("Guangzhou", 0, "South", 6.5),
    ("Shenzhen", 0, "South", 6.5),
    ("Hangzhou", 1, "East", 4.2),
    ("Chengdu", 1, "Southwest", 4.2),
    ("Wuhan", 1, "Central", 3.4),
    ("Nanjing", 1, "East", 3.2),
    ("Chongqing", 1, "Southwest", 3.4),
    ("Suzhou", 1, "East", 3.0),
    ("Xi'an", 1, "Northwest", 2.6),
    ("Tianjin", 1, "North", 2.6),
    ("Changsha", 1, "Central", 2.4),
    ("Zhengzhou", 1, "Central", 2.2),
    ("Qingdao", 1, "East", 2.0),
    ("Shenyang", 1, "Northeast", 1.8),
    ("Dongguan", 1, "South", 1.8),
    ("Foshan", 1, "South", 1.6),
    ("Ningbo", 1, "East", 1.6),
    ("Hefei", 1, "East", 1.6),
    ("Kunming", 1, "Southwest", 1.5),
    ("Xiamen", 1, "East", 1.5),
    ("Dalian", 1, "Northeast", 1.3),
    ("Harbin", 1, "Northeast", 1.2),
    ("Jinan", 1, "East", 1.4),
    ("Fuzhou", 1, "East", 1.3),
    ("Wuxi", 1, "East", 1.3),
    ("Lanzhou", 2, "Northwest", 0.9),
    ("Guilin", 2, "South", 0.8),
    ("Luoyang", 2, "Central", 0.8),
    ("Yangzhou", 2, "East", 0.8),
    ("Xining", 2, "Northwest", 0.6),
    ("Yinchuan", 2, "Northwest", 0.6),
    ("Mianyang", 2, "Southwest", 0.7),
    ("Baotou", 2, "North", 0.6),
    ("Jilin", 2, "Northeast", 0.6),
    ("Ganzhou", 2, "East", 0.7),
    ("Zunyi", 2, "Southwest", 0.7),
    ("Yichang", 2, "Central", 0.7),
    ("Haikou", 2, "South", 0.8),
)

CITIES: tuple[str, ...] = tuple(row[0] for row in CITY_TABLE)
CITY_TIER: IntArray = np.array([row[1] for row in CITY_TABLE], dtype=np.int64)
CITY_REGION: IntArray = np.array([REGIONS.index(row[2]) for row in CITY_TABLE], dtype=np.int64)
CITY_WEIGHTS: FloatArray = np.array([row[3] for row in CITY_TABLE])

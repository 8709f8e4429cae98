"""The deterministic demo marketing warehouse: a beauty brand's customers, campaigns,
ad spend, touches, orders, sessions and A/B tests for 2024-2025, in one DuckDB file.

The tables, columns, types and the realism they promise are fixed by the warehouse
contract (spec/warehouse.md); ``schema.py`` holds it as data.

>>> from genbi.demo import generate_warehouse
>>> report = generate_warehouse("demo.duckdb", customers=20_000, seed=42)  # doctest: +SKIP
"""

from genbi.demo.generator import GenerationReport, generate_warehouse

__all__ = ["GenerationReport", "generate_warehouse"]

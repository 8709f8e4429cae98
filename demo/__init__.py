"""The deterministic demo marketing warehouse (contract: docs of issue 3, warehouse.md).

>>> from genbi.demo import generate_warehouse
>>> report = generate_warehouse("demo.duckdb", customers=20_000, seed=42)  # doctest: +SKIP
"""

from genbi.demo.generator import GenerationReport, generate_warehouse

__all__ = ["GenerationReport", "generate_warehouse"]

"""The known change planted in the ``planted_warehouse_path`` fixture (tests/conftest.py)."""

PLANTED_CUT = ("douyin", "2025-10", 0.05)
"""Every douyin campaign spends 5 % of its usual amount in October 2025."""

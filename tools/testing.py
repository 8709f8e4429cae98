"""Helpers for testing tools: the demo warehouse as a role source, or a clear skip."""

from __future__ import annotations

from typing import Any

from .roles import RoleSource


def demo_source(request: Any) -> RoleSource:
    """A pytest helper: roles of the demo model over the session's demo warehouse.

    Skips (with the reason) while ``genbi.demo.generate_warehouse`` does not exist yet.
    """
    import pytest

    import genbi.demo

    if not hasattr(genbi.demo, "generate_warehouse"):
        pytest.skip("genbi.demo.generate_warehouse is not written yet: no demo warehouse")
    from .warehouse import open_source

    return open_source(request.getfixturevalue("warehouse_path"))

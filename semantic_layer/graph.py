"""The join graph: tables linked by many-to-one relationships, and the paths between them.

A measure's rows may be labelled with a dimension only by following many-to-one links from
the measure's table (orders -> customers), never one-to-many (orders -> order_items), which
would repeat rows and double count. The compiler asks this graph for the shortest such
path; validation asks it for cycles and for pairs joined by two different shortest paths.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Edge:
    """``child.column`` references ``parent.parent_column`` (many rows to one)."""

    child: str
    column: str
    parent: str
    parent_column: str


Path = tuple[Edge, ...]


@dataclass(frozen=True)
class JoinGraph:
    edges: tuple[Edge, ...]

    @classmethod
    def from_edges(cls, edges: Iterable[tuple[str, str, str, str]]) -> JoinGraph:
        return cls(tuple(Edge(*edge) for edge in edges))

    def __hash__(self) -> int:
        """The edges' hash, worked out once: every cached path lookup hashes the graph (the
        generated hash went over every edge's four fields each time)."""
        return self._hash

    @functools.cached_property
    def _hash(self) -> int:
        return hash(self.edges)

    def outgoing(self, table: str) -> tuple[Edge, ...]:
        return tuple(e for e in self.edges if e.child == table)

    @functools.lru_cache(maxsize=256)  # noqa: B019 - graphs are few, small and immutable
    def shortest_paths(self, source: str) -> dict[str, list[Path]]:
        """Every shortest many-to-one path from ``source`` to each table it reaches
        (cached: treat the result as read-only)."""
        paths: dict[str, list[Path]] = {source: [()]}
        depth = {source: 0}
        queue = deque([source])
        while queue:
            table = queue.popleft()
            for edge in self.outgoing(table):
                extended = [(*p, edge) for p in paths[table]]
                if edge.parent not in depth:
                    depth[edge.parent] = depth[table] + 1
                    paths[edge.parent] = extended
                    queue.append(edge.parent)
                elif depth[edge.parent] == depth[table] + 1:
                    paths[edge.parent] += extended
        return paths

    def path(self, source: str, target: str) -> Path | None:
        """The shortest path from ``source`` to ``target`` (``()`` for itself), if any."""
        found = self.shortest_paths(source).get(target)
        return found[0] if found else None

    def reachable(self, source: str, target: str) -> bool:
        return target in self.shortest_paths(source)

    def bridge(self, table: str, target: str, tables: Iterable[str]) -> tuple[str, Path] | None:
        """A finer table that links ``table``'s rows to ``target`` without fanning them out.

        Orders can't be labelled with a product category (an order holds several items),
        but they can be filtered by one: "orders containing a skincare item" is
        ``orders.order_id IN (SELECT order_id FROM order_items ... WHERE category = ...)``.
        Returns the finer table (``order_items``) and its many-to-one path to ``table``.
        """
        found: list[tuple[int, int, str, Path]] = []
        for child in tables:
            if child == table:
                continue
            up = self.path(child, table)
            across = self.path(child, target)
            if up and across is not None:
                found.append((len(up), len(across), child, up))
        if not found:
            return None
        _, _, child, up = min(found)
        return child, up

    def ambiguous(self, tables: Iterable[str]) -> list[tuple[str, str, list[Path]]]:
        """``(source, target, paths)`` where two different shortest paths tie."""
        found = []
        for source in tables:
            for target, paths in self.shortest_paths(source).items():
                if len(paths) > 1:
                    found.append((source, target, paths))
        return found

    def cycles(self, tables: Iterable[str]) -> list[list[str]]:
        """Each cycle of many-to-one links, as the tables on it (first table repeated)."""
        cycles: list[list[str]] = []
        seen_sets: set[frozenset[str]] = set()
        for start in tables:
            stack: list[tuple[str, list[str]]] = [(start, [start])]
            while stack:
                table, trail = stack.pop()
                for edge in self.outgoing(table):
                    if edge.parent == start:
                        key = frozenset(trail)
                        if key not in seen_sets:
                            seen_sets.add(key)
                            cycles.append([*trail, start])
                    elif edge.parent not in trail:
                        stack.append((edge.parent, [*trail, edge.parent]))
        return cycles


def describe_path(path: Path) -> str:
    """'orders.customer_id -> customers' style text for messages."""
    return ", ".join(f"{e.child}.{e.column} -> {e.parent}" for e in path) or "(same table)"

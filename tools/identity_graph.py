"""Stitching records into people by shared identifiers, in priority order (pure).

``stitch`` takes one row per record and one column per identifier (phone, union id, e-mail,
device id ...), each identifier's values already coded as integers (-1 = missing), columns in
priority order, and which identifiers a person has at most one of (``unique``: a phone
number, a WeChat union id; a person may well have two e-mail addresses or devices). It is
union-find: for each identifier in turn, records sharing a value are joined — unless the
join would give one person two values of a higher-priority unique identifier (two
different phone numbers are two people, even if they share a device). Such refused joins
are the conflicts, reported per identifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from genbi.lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")


@dataclass
class Stitched:
    """The people found: a label per record and what each identifier did."""

    labels: np.ndarray
    """Person number per record (0..people-1, in order of each person's first record)."""
    merges: list[int]
    """Joins made through each identifier."""
    conflicts: list[int]
    """Joins each identifier proposed that a higher-priority identifier refused."""
    examples: list[tuple[int, int, int, int]] = field(default_factory=list)
    """(identifier level, record a, record b, level that refused) for the first conflicts."""
    unique: list[bool] = field(default_factory=list)
    """Per identifier: one per person (joins giving a person two were refused)."""


def stitch(codes: np.ndarray, unique: list[bool] | None = None, keep_examples: int = 1000) -> Stitched:
    """Union-find over ``codes`` (records x identifiers, -1 = missing), columns by priority;
    ``unique[j]``: a person has at most one value of identifier j (default: all)."""
    n, levels = codes.shape
    unique = [True] * levels if unique is None else list(unique)
    parent = np.arange(n)
    values: dict[int, list[set[int]]] = {}

    def find(i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:  # path compression
            parent[i], i = root, parent[i]
        return int(root)

    def held(root: int) -> list[set[int]]:
        found = values.get(root)
        if found is None:
            found = [{int(v)} if v >= 0 else set() for v in codes[root]]
            values[root] = found
        return found

    merges, conflicts = [0] * levels, [0] * levels
    examples: list[tuple[int, int, int, int]] = []
    for level in range(levels):
        column = codes[:, level]
        present = np.flatnonzero(column >= 0)
        order = present[np.argsort(column[present], kind="stable")]
        sorted_codes = column[order]
        starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]) if len(order) else np.array([], int)
        ends = np.r_[starts[1:], len(order)]
        for start, end in zip(starts, ends, strict=True):
            if end - start < 2:
                continue
            members = order[start:end]
            for other in members[1:]:
                a, b = find(int(members[0])), find(int(other))
                if a == b:
                    continue
                va, vb = held(a), held(b)
                refused = next((h for h in range(level) if unique[h] and va[h] and vb[h] and va[h] != vb[h]), None)
                if refused is not None:
                    conflicts[level] += 1
                    if len(examples) < keep_examples:
                        examples.append((level, int(members[0]), int(other), refused))
                    continue
                if b < a:
                    a, b, va, vb = b, a, vb, va
                parent[b] = a
                for h in range(levels):
                    va[h] |= vb[h]
                values.pop(b, None)
                merges[level] += 1
    roots = np.array([find(i) for i in range(n)])
    _, labels = np.unique(roots, return_inverse=True)  # roots are each person's smallest record
    return Stitched(labels.astype(np.int64), merges, conflicts, examples, unique)

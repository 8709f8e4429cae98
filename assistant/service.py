"""``Assistant.answer``: the one public entry point every front end calls.

It owns the conversation store, picks the brain (the offline planner today; the LLM agent
plugs in behind the same call), compiles the plan through the semantic layer, runs it on
the read-only warehouse and shapes one typed ``Answer``: numbers, chart, narrative and how
the question was read. User mistakes become declines or errors with a message; only our
own bugs raise.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import pickle
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from genbi import settings
from genbi.assistant.access import Access, AccessControl, answer_with_guardrails, mask_chart
from genbi.assistant.answer import Answer, AnswerRequest, Decline, ToolCall
from genbi.assistant.audience_commands import (
    may_be_audience_command,
    mentioned_audience,
    read_audience_command,
)
from genbi.assistant.audiences import (
    AudienceDesk,
    on_saved_audience,
    remember_customers,
    unsupported_use,
    without_name,
)
from genbi.assistant.audit import AuditLog
from genbi.assistant.charts import choose_chart
from genbi.assistant.columns import ColumnInfo
from genbi.assistant.conversation import Conversation, ConversationStore
from genbi.assistant.copywriter import copy_revision
from genbi.assistant.follow_ups import follow_ups
from genbi.assistant.formatting import Language, use_currency
from genbi.assistant.interpretation import counted_rows_label, interpret
from genbi.assistant.labels import member_labels, null_label, time_label
from genbi.assistant.narrative import narrate
from genbi.assistant.period_before import previous_range
from genbi.assistant.periods import (
    Bucket,
    compared_buckets,
    covered_span,
    partial_note,
    trend_buckets,
)
from genbi.assistant.planner import cues
from genbi.assistant.planner.clarify import pick_choice
from genbi.assistant.planner.counted_values import said_as_count
from genbi.assistant.planner.planner import OfflinePlanner, PlannerResult
from genbi.assistant.planner.reading import Reading, copied_reading
from genbi.assistant.planner.text import language_of, normalize
from genbi.assistant.planner.timeparse import describe_range
from genbi.assistant.state import StateStore
from genbi.assistant.tool_answer import tool_answer
from genbi.assistant.values import cached_warehouse_values
from genbi.errors import GenbiError
from genbi.semantic_layer.compiled import CompiledQuery
from genbi.semantic_layer.compiler import compile_spec
from genbi.semantic_layer.guard import policy_scope
from genbi.semantic_layer.model import Aggregation, MetricType, SemanticModel
from genbi.semantic_layer.query_spec import QuerySpec, TimeRange
from genbi.semantic_layer.resolver import PERIOD
from genbi.semantic_layer.result_cache import ResultCache, run_cached
from genbi.semantic_layer.warehouse import HOUSE_DIALECT, Warehouse
from genbi.tools.base import registered_tools
from genbi.tools.copywriting.writer import copy_services, current_services
from genbi.tools.roles import MissingRole, RoleSource

log = logging.getLogger(__name__)
WARM_UP_SESSION = "genbi-warm-up"
COMPILED_KEPT = 256
PLANS_KEPT = 256



@dataclass
class Assistant:
    model: SemanticModel
    warehouse: Warehouse
    as_of: date = settings.DEMO_AS_OF
    planner: OfflinePlanner | None = None
    conversations: ConversationStore = field(default_factory=ConversationStore)
    source: str = ""
    """Where the data comes from, for display ("demo.duckdb")."""
    access: AccessControl | None = None
    """Roles (``roles.yaml``): what each asker may read and see; see ``assistant.access``."""
    audit: AuditLog | None = None
    """Where every answer is recorded; the state directory's audit log by default."""
    charts: bool = True
    """Build a chart for each answer; front ends that never show one (the CLI) switch it off
    and skip loading plotly."""
    model_source: str = ""
    """Which model answers and why, for display ("demo.yaml (the demo model)")."""
    data_end: date | None = None
    """Set when the data ends before today: relative periods count back from this date."""
    _time_ends: dict[str, date | None] = field(default_factory=dict, init=False, repr=False)
    _time_starts: dict[str, date | None] = field(default_factory=dict, init=False, repr=False)
    _compiled: dict[tuple[QuerySpec, date, bool], tuple[SemanticModel, CompiledQuery]] = field(
        default_factory=dict, init=False, repr=False)
    _plans: dict[tuple[str, date, QuerySpec | None], tuple[OfflinePlanner, PlannerResult, bytes | tuple[Any, Any]]] = field(
        default_factory=dict, init=False, repr=False)
    store: StateStore | None = None
    """genbi's own state (saved audiences); the per-user state store when first needed."""
    results: ResultCache | None = field(default_factory=ResultCache.default)
    """Query results shared by every front end on this machine (``semantic_layer.result_cache``);
    None answers every question from the warehouse."""

    def __post_init__(self) -> None:
        # guardrails: roles, the model's column allow-list on the warehouse, the audit log
        use_currency(settings.currency(self.model.currency))
        self.access = self.access or AccessControl.load(self.model)
        if self.warehouse.policy is None:
            self.warehouse.policy = self.access.base_policy
        self.audit = self.audit if self.audit is not None else AuditLog()
        if self.planner is None:
            self.planner = OfflinePlanner(self.model, cached_warehouse_values(self.model, self.warehouse))
        try:  # the guard's one-time work (the warehouse's columns), here rather than in the first answer
            self.warehouse.prepare_guard()
        except GenbiError as problem:  # the first answer meets it again, and says so
            log.info("guard not prepared: %s", problem)
        if self.store is None:  # saved audiences (a SQLite file), opened and read here rather than in the first answer
            desk = self.audience_desk()
            try:
                if desk is not None:
                    desk.names()
            except GenbiError as problem:  # the first answer meets it again
                log.info("saved audiences not read: %s", problem)

    @classmethod
    def open(
        cls, db_path: str | Path, *, model_path: str | Path | None = None,
        as_of: date | str | None = None, llm: bool | None = None,
    ) -> Assistant:
        """An assistant over a warehouse (DuckDB file, CSV/Parquet folder or file, or a URL
        such as postgresql://… or sc://…) and a model.

        ``model_path`` None: the demo model on the demo's tables, else a draft of the
        warehouse (``assistant.workspace``). ``as_of``: a date, 'today', 'data_end', or None
        (the demo's 2025-12-31 on the demo, the real date on other data; relative periods
        then count back from the data's last date when it ends earlier, and answers say so).
        ``llm``: None uses the LLM brain when ``GENBI_LLM_MODEL`` is set; False never does
        (the offline planner answers); True requires it (``ConfigError`` when unset).
        """
        from genbi.assistant.workspace import as_of_and_note, choose_model
        from genbi.semantic_layer.sources import table_sources

        chosen = choose_model(db_path, model_path)
        model = chosen.model
        warehouse = Warehouse.open(db_path, allowed_tables=model.table_names, sources=table_sources(model))
        try:
            day, data_end = as_of_and_note(as_of, demo=chosen.demo, model=model, warehouse=warehouse)
        except BaseException:
            warehouse.close()
            raise
        assistant = cls(model=model, warehouse=warehouse, as_of=day, source=warehouse.shown,
                        model_source=f"{chosen.path or model.name} ({chosen.why})", data_end=data_end)
        if llm is not False:
            from genbi.assistant.agent import build_brain

            assistant.agent = build_brain(assistant, required=bool(llm))
        return assistant

    def warm_up(self) -> None:
        """Answer the model's own example questions (``OfflinePlanner.suggestions``, English and
        Chinese) up to the query, and shape each one's answer from a few made-up rows, without
        running anything, remembering anything or writing an audit record: code paths, regex
        and sqlglot tables and the model's lazy lookups a first question would meet for the
        first time are then ready. Long-running front ends call it once they have opened
        (``assistant.runtime.ready``); a one-shot command does not. Best effort: a question
        that cannot be read or compiled is skipped."""
        if self.planner is None or self.access is None:
            return
        import genbi.assistant.watch.chat  # noqa: F401 - what every answer asks first ("pin this ...")

        access = self.access.for_request(AnswerRequest("", session_id=WARM_UP_SESSION), llm=False)
        for language in ("en", "zh"):
            for question in self.planner.suggestions(language):
                try:
                    self._warm_up(question, access)
                except Exception as problem:  # a warm-up never fails opening
                    log.debug("warm-up skipped %r: %s", question, problem)

    def _warm_up(self, question: str, access: Access) -> Answer | None:
        from genbi.assistant.audit import answer_record, serialized

        assert self.planner is not None
        started = time.perf_counter()
        request = access.mask_request(AnswerRequest(question, session_id=WARM_UP_SESSION, use_cache=False))
        plan = self.planner.plan(request.question, as_of=self.as_of, previous=None)
        if plan.spec is None:
            return None
        spec = access.restrict(plan.spec)
        compiled = compile_spec(spec, self.model, as_of=self.as_of, allow_pii=access.raw_pii)
        self.warehouse.check(compiled.sql, policy=access.compiled_policy, built=_house_tree(compiled))
        result = _MadeUp(rows=self._made_up_rows(compiled), truncated=False)
        answer = self._shape(request, plan.language, spec, plan.notes, compiled, result, self.as_of, {},
                             started, self.brain)
        masked = access.mask(answer)
        serialized(answer_record(request, access.role.name, masked, 0.0))
        return masked

    def _made_up_rows(self, compiled: CompiledQuery) -> tuple[tuple[Any, ...], ...]:
        """Three rows shaped like ``compiled``'s result: the dimension's first members, the
        first days of three months, numbers."""
        rows = []
        for index in range(3):
            row: list[Any] = []
            for column in compiled.columns:
                if column.kind == "metric":
                    row.append(1234.5 * (index + 1))
                elif column.grain is not None:
                    row.append(datetime(self.as_of.year, 1 + index, 1))
                else:
                    members = self.model.dimension(column.ref).values if self.model.has_dimension(column.ref) else []
                    row.append(members[index].value if index < len(members) else f"member {index + 1}")
            rows.append(tuple(row))
        return tuple(rows)

    def data_note(self, spec: QuerySpec, language: str, end: date | None = None) -> str | None:
        """'Your data ends on …; last month = …' when a relative period counts back from the
        data's last date instead of today (``Assistant.open``); ``end``: the date it counted
        back from, when that is the metrics' own (``anchored``)."""
        end = end or self.data_end
        if end is None or spec.time_range is None or spec.time_range.relative is None:
            return None
        words = describe_range(spec.time_range, end, language)
        start, stop = spec.time_range.resolve(end)
        dates = describe_range(TimeRange(start=start, end=stop), end, language) if start and stop else ""
        period = f"{words} = {dates}" if dates and dates != words else words
        names = "、".join(self.model.metric(m).label_zh or m for m in spec.metrics) if language == "zh" else \
            ", ".join(self.model.metric(m).label for m in spec.metrics)
        own = end != self.data_end
        if language == "zh":
            return f"{names + '的' if own else '您的'}数据截至 {end.isoformat()}，相对时间从该日往回算：{period}。"
        return f"{names + ' data' if own else 'Your data'} ends on {end.isoformat()}; '{words}' counts back from it: {period}."

    def anchored(self, spec: QuerySpec) -> date:
        """Today for this spec: where every one of its metrics' data ends earlier than the
        rest of the warehouse (leads up to November beside deals closing next spring) and
        before the period's last day, a relative period counts back from the metrics' own last
        date, not to empty months."""
        if self.data_end is None or spec.time_range is None or spec.time_range.relative is None or spec.periods:
            return self.as_of
        columns = {measure.time for metric in spec.metrics for measure in self.model.metric_measures(metric)
                   if measure.time}
        ends = [self._time_end(column) for column in columns]
        if not ends or any(end is None for end in ends):
            return self.as_of
        own = max(end for end in ends if end is not None)
        if own >= self.as_of:
            return self.as_of
        _, last = spec.time_range.resolve(self.as_of)
        # the metrics' data covers the whole period counted from the warehouse's today (sign-ups
        # to Nov 30 beside orders to Dec 4: "last month" is November for both, not October)
        return self.as_of if last is not None and own >= last else own

    def _time_end(self, time_column: str) -> date | None:
        if time_column not in self._time_ends:
            from genbi.assistant.workspace import time_column_end

            self._time_ends[time_column] = time_column_end(self.warehouse, time_column)
        return self._time_ends[time_column]

    def data_start(self, spec: QuerySpec) -> date | None:
        """The first day every metric of ``spec`` has data, on a warehouse whose window genbi
        measured (not the demo's, which the contract fixes): a compared period that starts
        before it is partial ("2010" of an export that starts on Dec 1, 2010), never a
        like-for-like base for a growth of +6,000%."""
        if self.data_end is None:
            return None
        return self._first_data_day(spec)

    @property
    def brain(self) -> str:
        """The LLM's model name when the LLM brain is on, else "offline planner"."""
        return str(self.agent.name) if self.agent is not None else OfflinePlanner.name

    agent: Any = None
    """An LLM brain with ``answer(request, assistant) -> Answer``; None = offline planner."""
    monitors: Any = None
    """The ``assistant.watch.scheduler.Watcher`` of the process that runs monitors (``genbi
    slack`` / ``genbi watch``); None lists and edits them through the state directory."""

    def answer(self, request: AnswerRequest, *, on_delta: Callable[[str | None], None] | None = None) -> Answer:
        """Answer one question of one conversation; never raises for user mistakes.

        Guardrails: the asker's role sets what every statement may read, the answer is
        masked, and the question is audited (``assistant.access``, ``assistant.audit``).

        ``on_delta`` receives the LLM brain's final narrative as it is written (masked), and
        None when the text so far is to be discarded; the offline planner sends nothing.
        """
        return answer_with_guardrails(self, request, lambda asked: self._answer_unguarded(asked, on_delta))

    def _answer_unguarded(self, request: AnswerRequest,
                          on_delta: Callable[[str | None], None] | None = None) -> Answer:
        conversation = self.conversations.get(request.session_id)
        desk = self.audience_desk()
        command = read_audience_command(request.question, desk.names()) \
            if desk is not None and may_be_audience_command(request.question) else None
        if desk is not None and command is not None:  # "save these customers as …", "我的人群"
            words = request.question
            for name in (command.name, command.new_name):  # "delete audience 铂金召回" is asked in English
                words = without_name(words, name) if name else words
            language: Language = request.language or ("zh" if language_of(words) == "zh" else "en")
            conversation.remember(request.question, None)
            return desk.answer(command, request, language, conversation)
        from genbi.assistant.watch.chat import answer_command, remember_pinnable

        pinned = answer_command(self, request, lambda asked: self._answer_brain(asked, None))
        if pinned is not None:  # "pin this to 'Weekly'", "tell me every Monday …"
            return pinned
        answer = self._answer_brain(request, on_delta)
        remember_pinnable(self, request, answer)
        if not answer.declined:
            remember_customers(conversation, answer)  # what "these customers" means next
        return answer

    def follow_ups(self, answer: Answer) -> tuple[str, ...]:
        """Suggested next questions for ``answer`` (``assistant.follow_ups``): asked of the same
        conversation, each reads as a follow-up of it. Front ends call this after showing the
        answer, so the answer itself never waits for them."""
        assert self.planner is not None
        try:
            return follow_ups(answer, self.model, self.planner, self.as_of)
        except GenbiError as problem:  # a suggestion is a nice-to-have
            log.info("no follow-ups for %r: %s", answer.question, problem)
            return ()

    def audience_desk(self) -> AudienceDesk | None:
        """Saved audiences in genbi's state store; None when the store cannot be opened
        (answers go on without audience commands)."""
        if self.store is None:
            try:
                self.store = StateStore()
            except GenbiError as problem:
                log.warning("saved audiences unavailable: %s", problem)
                return None
        return AudienceDesk(self.store, self.brain, self.model)

    @contextmanager
    def _lend_audiences(self) -> Iterator[None]:
        """Tools read saved audiences ("--audience VIP lapsed") from this assistant's store."""
        if self.audience_desk() is None:
            yield
            return
        with copy_services(writer=current_services().writer, audiences=self.store):
            yield

    def _named_audience(self, question: str) -> str | None:
        """A saved audience the question names, unless the name is also the model's or a tool's
        own word (then the question means that)."""
        desk = self.audience_desk()
        named = mentioned_audience(question, desk.names()) if desk is not None else None
        assert self.planner is not None
        if named is None or normalize(named) in self.planner.vocabulary.terms or _tool_word(named):
            return None
        return named

    def _answer_brain(self, request: AnswerRequest,
                      on_delta: Callable[[str | None], None] | None = None) -> Answer:
        if self.agent is None:
            return self.answer_offline(request)
        if on_delta is None or not hasattr(self.agent, "stream"):
            answer: Answer = self.agent.answer(request, self)
            return answer
        from genbi.assistant.agent.brain import Final, NarrativeDelta, NarrativeReset
        from genbi.semantic_layer.masking import mask_text

        final: Answer | None = None
        for event in self.agent.stream(request, self):
            if isinstance(event, NarrativeDelta):
                on_delta(mask_text(event.text))
            elif isinstance(event, NarrativeReset):
                on_delta(None)
            elif isinstance(event, Final):
                final = event.answer
        assert final is not None, "the brain's stream ends with its answer"
        return final

    def offline_plan(self, request: AnswerRequest) -> PlannerResult:
        """The planner's reading of a question in its conversation (a short reply to a
        clarifying question picks the full question it offered)."""
        assert self.planner is not None
        conversation = self.conversations.get(request.session_id)
        question = _picked_choice(conversation, request.question) or request.question
        named = self._named_audience(question)
        plan = self._plan(without_name(question, named) if named else question,
                          request.as_of or self.as_of, conversation.last_spec)
        if named:  # "write an SMS for VIP lapsed": the copy tool on that saved audience
            call = on_saved_audience(plan.tool_call, named)
            if call is None:
                language = request.language or plan.language
                return PlannerResult(language=language, decline_reason=unsupported_use(named, language),
                                     reading=plan.reading)
            plan = dataclasses.replace(plan, tool_call=call)
        return plan

    def _plan(self, question: str, as_of: date, previous: QuerySpec | None) -> PlannerResult:
        """``planner.plan``, remembered: the planner reads the same question after the same
        spec on the same day the same way, so a re-asked question skips the reading. Each
        caller gets its own reading and tool call (callers may change them): the first the
        planner's own, later ones a copy of what they were when read: a reading of frozen parts
        with its lists copied (``copied_reading``, a tenth of pickling it), else a pickled
        snapshot (a third of a deep copy)."""
        assert self.planner is not None
        key = (question, as_of, previous)
        known = self._plans.get(key)
        if known is not None and known[0] is self.planner:
            kept = known[2]
            if isinstance(kept, Reading):  # a reading of frozen parts: its lists copied
                return dataclasses.replace(known[1], reading=copied_reading(kept), tool_call=None)
            reading, tool_call = pickle.loads(kept) if isinstance(kept, bytes) else copy.deepcopy(kept)
            return dataclasses.replace(known[1], reading=reading, tool_call=tool_call)
        plan = self.planner.plan(question, as_of=as_of, previous=previous)
        snapshot: Reading | bytes | tuple[Any, Any] | None = None
        if plan.tool_call is None and plan.reading is not None:
            snapshot = copied_reading(plan.reading)
        if snapshot is None:
            try:
                snapshot = pickle.dumps((plan.reading, plan.tool_call), protocol=pickle.HIGHEST_PROTOCOL)
            except (pickle.PicklingError, TypeError, AttributeError):  # something pickle cannot take
                snapshot = copy.deepcopy((plan.reading, plan.tool_call))
        if len(self._plans) >= PLANS_KEPT:
            self._plans.pop(next(iter(self._plans)), None)
        self._plans[key] = (self.planner, plan, snapshot)
        return plan

    def answer_offline(self, request: AnswerRequest, *, note: str | None = None,
                       plan: PlannerResult | None = None) -> Answer:
        """The offline planner's answer (also the LLM brain's fallback, with ``note``);
        ``plan`` is ``offline_plan(request)`` when the caller already has it."""
        started = time.perf_counter()
        conversation = self.conversations.get(request.session_id)
        revised = copy_revision(request.question, conversation.last_tool)  # "make it shorter"
        if revised is not None:
            return self.run_tool(revised, request, language=request.language or language_of(request.question),
                                 notes=(note,) if note else ())
        plan = plan if plan is not None else self.offline_plan(request)
        plan = self._tool_followup(request, conversation, plan)
        conversation.extras[_CHOICES] = (plan.suggestions, plan.choice_labels) if plan.choice_labels else None
        language = request.language or plan.language
        timings = {"plan_ms": _ms(started)}
        notes = ((note,) if note else ()) + plan.notes
        if plan.tool_call is not None:
            try:
                return self.run_tool(plan.tool_call, request, language=language, notes=notes, roles_must_exist=True)
            except MissingRole as missing:
                plan = self._metric_plan(request, plan, missing)
                if plan.tool_call is not None:  # neither reading runs on this data: said, no number
                    said = missing.zh if language == "zh" and missing.zh else str(missing)
                    return self._decline(request, language, said, plan.suggestions, timings)
        if plan.spec is None:
            conversation.remember(request.question, None)
            return self._decline(request, language, plan.decline_reason or "", plan.suggestions, timings)
        answer = self.execute(plan.spec, request, language=language, notes=notes, started=started,
                              timings=timings)
        if not answer.error and _nothing_found(plan.spec, answer) \
                and (before := self.before_data(plan.spec, request.as_of or self.as_of, language)) is not None:
            return self._decline(request, language, before, plan.suggestions, timings)
        return answer

    def before_data(self, spec: QuerySpec, as_of: date, language: str) -> str | None:
        """Why ``spec`` is declined when a period it asks about ends before its metrics' data
        starts ("revenue in 2022", "dec 2023 vs dec 2024" of a warehouse from 2024): answered, it
        was an empty number (NULL, or no row for that period) said as if the period had none,
        where the warehouse simply holds nothing that early. Asked only of an answer that found
        nothing (``_nothing_found``): the first day is one more query. None when the data is
        there or its start unknown."""
        ranges = ([spec.time_range] if spec.time_range is not None else []) + list(spec.periods)
        ends = [time_range.resolve(as_of)[1] for time_range in ranges]
        first = self._first_data_day(spec) if ends else None
        if first is None or not any(end is not None and end < first for end in ends):
            return None
        if language == "zh":
            return (f"数据从{first.isoformat()}开始，所问的时间段在那之前，仓库里没有那时的数据；"
                    f"可以问{first.year}年及以后的时间，例如“{first.year}年的销售额”。")
        return (f"The data starts on {first.isoformat()}; a period asked about ends before it, so the "
                f"warehouse holds nothing for it. Ask about {first.year} or later, e.g. 'revenue in "
                f"{first.year}'.")

    def _first_data_day(self, spec: QuerySpec) -> date | None:
        """The first day with data of every time column ``spec``'s metrics count on (the latest
        of their first days); None when one is unknown."""
        from genbi.assistant.workspace import time_column_end

        columns = {measure.time for metric in spec.metrics for measure in self.model.metric_measures(metric)
                   if measure.time}
        for column in columns:
            if column not in self._time_starts:
                self._time_starts[column] = time_column_end(self.warehouse, column, first=True)
        starts = [start for column in columns if (start := self._time_starts[column]) is not None]
        return max(starts) if starts and len(starts) == len(columns) else None

    def _tool_followup(self, request: AnswerRequest, conversation: Conversation, plan: PlannerResult) -> PlannerResult:
        """After a tool's answer, a question that names no metric and no tool of its own ("now by
        campaign", "and the quarter before?") edits that tool call, not an older metric question."""
        last = conversation.last_tool
        if last is None or self.planner is None:
            return plan
        # said as an edit ("now for Champions", "what about orders", "换成邮件"): the last call
        # changed, when it takes what the question names, over the other tool or metric the
        # words alone would ask for (a segment name alone is the RFM tool, a metric a query)
        edit = cues.FOLLOWUP.search(cues.without_politeness(request.question)) is not None
        spec = self.planner.tools.tools.get(last.name)
        if plan.tool_call is not None and not (edit and plan.tool_call.name != last.name):
            return plan
        if plan.reading is not None and plan.reading.metrics and plan.tool_call is None and not (
                edit and spec is not None and "metric" in spec.args_model.model_fields):
            return plan  # a metric question of its own (answered, or declined for its own reason)
        if plan.spec is not None and not edit and said_as_count(request.question):
            return plan  # "how many VIPs do we have": a count of its own, not the tool for VIPs
        followed = self.planner.follow_tool(request.question, last, as_of=request.as_of or self.as_of)
        if followed is None or (followed.tool_call is None and (plan.tool_call is not None or plan.spec is not None)):
            return plan
        return followed

    def _metric_plan(self, request: AnswerRequest, plan: PlannerResult, missing: MissingRole) -> PlannerResult:
        """The question read as metrics when its tool cannot run on this model; the tool
        (which then says which role is missing) when the metrics don't answer it."""
        assert self.planner is not None
        conversation = self.conversations.get(request.session_id)
        metric = self.planner.plan(request.question, as_of=request.as_of or self.as_of,
                                   previous=conversation.last_spec, tools=False)
        return metric if metric.spec is not None else plan

    def execute(
        self,
        spec: QuerySpec,
        request: AnswerRequest,
        *,
        language: str,
        notes: tuple[str, ...] = (),
        brain: str | None = None,
        started: float | None = None,
        timings: dict[str, float] | None = None,
    ) -> Answer:
        """Compile a spec, run it read-only and shape the answer; remembers it for follow-ups.

        Any brain that produced a spec (the planner, the LLM agent's ``query_metrics`` tool)
        comes through here, so every number is computed the same way.
        """
        started = started if started is not None else time.perf_counter()
        timings = dict(timings or {})
        as_of = request.as_of or self.anchored(spec)
        conversation = self.conversations.get(request.session_id)
        brain = brain or self.brain
        assert self.access is not None
        access = self.access.for_request(request, llm=self.agent is not None)  # guardrails
        try:
            spec = access.restrict(spec)  # the role's row filters
            compiled = self._compile(spec, as_of, access.raw_pii)
        except GenbiError as problem:
            conversation.remember(request.question, None)
            assert self.planner is not None
            return self._decline(request, language, str(problem), self.planner.suggestions(language), timings)
        compile_started = time.perf_counter()
        try:
            result, hit = run_cached(self.warehouse, compiled.sql, cache=self.results, role=access.role.name,
                                     policy=access.compiled_policy, use_cache=request.use_cache,
                                     built=_house_tree(compiled))
        except GenbiError as problem:
            log.warning("query failed: %s", problem)
            return Answer(question=request.question, language=language, brain=brain,
                          interpretation=interpret(spec, self.model, as_of, language),
                          spec=spec, sql=compiled.sql, error=str(problem), timings_ms=timings)
        timings["run_ms"] = _ms(compile_started)
        result = dataclasses.replace(result, rows=access.mask_fetched(tuple(compiled.column_names), result.rows))
        conversation.remember(request.question, spec)
        if hit is not None:
            notes = (*notes, cached_note(hit.age_s, language))
        answer = self._shape(request, language, spec, notes, compiled, result, as_of, timings, started, brain)
        return answer if hit is None else dataclasses.replace(answer, cached_age_s=round(hit.age_s, 1))

    def _compile(self, spec: QuerySpec, as_of: date, allow_pii: bool) -> CompiledQuery:
        """``compile_spec``, remembered: the same spec on the same model and day compiles to
        the same SQL, so a repeated or re-asked question skips the compiler."""
        key = (spec, as_of, allow_pii)
        known = self._compiled.get(key)
        if known is not None and known[0] is self.model:
            return known[1]
        compiled = compile_spec(spec, self.model, as_of=as_of, allow_pii=allow_pii)
        if len(self._compiled) >= COMPILED_KEPT:
            self._compiled.pop(next(iter(self._compiled)), None)
        self._compiled[key] = (self.model, compiled)
        return compiled

    def run_tool(
        self, call: ToolCall, request: AnswerRequest, *, language: str, notes: tuple[str, ...] = (),
        brain: str | None = None, roles_must_exist: bool = False,
    ) -> Answer:
        """Run a marketing tool on this warehouse through the model's roles; shape its answer.
        ``roles_must_exist``: a role the model lacks raises ``MissingRole`` (the caller has
        another reading) instead of answering with the error."""
        started = time.perf_counter()
        spec = registered_tools().get(call.name)
        zh = language == "zh"
        if spec is None:
            return self._decline(request, language, f"Unknown tool '{call.name}'.", (), {})
        assert self.access is not None
        try:
            self.access.for_request(request, llm=self.agent is not None).check_tool(call.name)
        except GenbiError as problem:  # a role with row filters
            return self._decline(request, language, str(problem), (), {})
        try:
            args = spec.args_model(**call.arguments)
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
            return self._decline(request, language, f"{call.name}: {problems}", (), {})
        source = RoleSource.from_model(self.model, self.warehouse)
        source.use_cache = request.use_cache
        try:
            with self._lend_audiences():
                result = spec.run(args, source)
        except GenbiError as problem:
            if roles_must_exist and isinstance(problem, MissingRole):
                raise
            said = problem.zh if zh and isinstance(problem, MissingRole) and problem.zh else str(problem)
            return Answer(question=request.question, language=language, brain=brain or self.brain,
                          tool_call=call, error=said, timings_ms={"tool_ms": _ms(started)})
        self.conversations.get(request.session_id).remember(request.question, None, call)
        lang: Language = "zh" if zh else "en"
        return tool_answer(call, result, question=request.question, language=lang, brain=brain or self.brain,
                           model=self.model, notes=notes, timings_ms={"tool_ms": _ms(started)},
                           chart=self.charts)

    def _shape(
        self, request: AnswerRequest, language: str, spec: QuerySpec, notes: tuple[str, ...],
        compiled: CompiledQuery, result: Any, as_of: date, timings: dict[str, float],
        started: float, brain: str,
    ) -> Answer:
        columns = self.column_infos(compiled, language)
        rows = tuple(tuple(row) for row in result.rows)
        period = describe_range(spec.time_range, as_of, language) if spec.time_range else ""
        interpretation = interpret(spec, self.model, as_of, language)
        warnings = list(notes)
        moved = request.as_of is None and self.data_end is not None
        data_note = self.data_note(spec, language, as_of) if moved else None
        if data_note:
            warnings.append(data_note)
        if result.truncated:
            warnings.append(
                f"结果过多，只显示前{len(rows):,}行。" if language == "zh"
                else f"Showing the first {len(rows):,} rows; the result has more."
            )
        lang: Language = "zh" if language == "zh" else "en"
        buckets = self._buckets(spec, columns, rows, as_of, lang, moved)
        columns = [dataclasses.replace(c, value_labels={k: b.name for k, b in buckets.items()})
                   if c.name == PERIOD and c.kind == "dimension" and spec.periods else c for c in columns]
        warnings += [partial_note(b, "", lang) + ("。" if lang == "zh" else ".")
                     for b in buckets.values() if b.partial]
        chart = None
        if self.charts:  # from the fetched rows only; ``with_period_change`` adds a KPI card's change
            chart = choose_chart(columns, rows, title=interpretation, language=language)
        narrative = narrate(columns, rows, language=language, period=period,
                            ranked=bool(spec.order_by), buckets=buckets,
                            top_n=spec.limit if spec.order_by and spec.order_by[0].descending and not spec.offset
                            else None,
                            bottom_n=spec.limit if spec.order_by and not spec.order_by[0].descending and not spec.offset
                            and spec.order_by[0].field in spec.metrics else None,
                            asked=tuple(v for row in spec.share_rows for v in row.values),
                            place=spec.offset + 1 if spec.offset and spec.order_by else None)
        timings["total_ms"] = _ms(started)
        return Answer(
            question=request.question, language=language, brain=brain,
            interpretation=interpretation, spec=spec, sql=compiled.sql,
            columns=tuple(compiled.column_names), rows=rows, truncated=result.truncated,
            chart=chart, narrative=narrative, warnings=tuple(warnings), timings_ms=timings,
            column_info=tuple(columns),
        )

    def _buckets(self, spec: QuerySpec, columns: list[ColumnInfo], rows: tuple[tuple[Any, ...], ...],
                 as_of: date, language: Language, moved: bool) -> dict[date, Bucket]:
        """The calendar periods of a comparison or a trend, with the days the data covers
        (``moved``: today was moved back to where the data ends, ``as_of``)."""
        data_end = as_of if moved else None
        if spec.periods:
            return compared_buckets(spec, as_of, data_end, language, data_start=self.data_start(spec))
        times = [i for i, c in enumerate(columns) if c.kind == "time"]
        if len(times) != 1:
            return {}
        span = covered_span(spec.time_range, as_of, data_end)
        return trend_buckets([r[times[0]] for r in rows], columns[times[0]].grain, span, language)

    def with_period_change(self, answer: Answer, request: AnswerRequest) -> Answer:
        """``answer`` with its KPI card showing the change on the period before: one more
        query, for a single number over a closed period (else ``answer`` as it is).

        Not part of ``answer``: the number is what was asked, and on a big warehouse the
        comparison doubles the time to it. The chat UI shows the answer, then calls this while
        it draws the chart. Same guardrails: the asker's role policy on the statement, the
        result cache, and the new chart masked."""
        spec = answer.spec  # already carries the role's row filters (``execute``)
        if (not self.charts or answer.chart is None or spec is None or answer.error or len(answer.rows) != 1
                or spec.group_by or spec.time_range is None or not answer.column_info):
            return answer
        assert self.access is not None
        access = self.access.for_request(request, llm=self.agent is not None)
        as_of = request.as_of or self.as_of
        with policy_scope(access.policy):
            previous = self._period_before(spec, request, access, as_of)
        if previous is None:
            return answer
        chart = choose_chart(answer.column_info, answer.rows, title=answer.interpretation,
                             language=answer.language, previous=previous)
        return dataclasses.replace(answer, chart=chart if access.raw_pii else mask_chart(chart))

    def _period_before(self, spec: QuerySpec, request: AnswerRequest, access: Access,
                       as_of: date) -> tuple[Any, ...] | None:
        """The same single number for the period before; None when unknown."""
        try:
            compiled = self._compile(spec, as_of, access.raw_pii)
            if compiled.time_range is None or None in compiled.time_range:
                return None
            start, end = compiled.time_range
            assert start is not None and end is not None
            before = spec.model_copy(update={"time_range": previous_range(start, end)})
            earlier = self._compile(before, as_of, access.raw_pii)
            result, _ = run_cached(self.warehouse, earlier.sql, cache=self.results, role=access.role.name,
                                   policy=access.compiled_policy, use_cache=request.use_cache,
                                   built=_house_tree(earlier))
        except GenbiError as problem:
            log.info("no period-before comparison: %s", problem)
            return None
        return tuple(result.rows[0]) if len(result.rows) == 1 else None

    def column_infos(self, compiled: CompiledQuery, language: str) -> list[ColumnInfo]:
        zh = language == "zh"
        lang: Language = "zh" if zh else "en"
        infos = []
        counted = counted_rows_label(compiled.spec, self.model, zh) if compiled.spec is not None else None
        averaged = compiled.spec is not None and compiled.spec.average_per is not None  # "日均销售": no share of a sum
        for column in compiled.columns:
            label = (column.label_zh if zh else column.label) or column.name
            if column.kind == "metric" and counted:  # "Buyers (only customers with Orders > 3)"
                label = f"{label}（{counted}）" if zh else f"{label} ({counted})"
            if column.kind == "metric":
                infos.append(ColumnInfo(column.name, label, "metric", fmt=(column.format or "number"),
                                        additive=column.name == column.ref and not averaged
                                        and self._additive(column.ref)))
            elif column.grain is not None:
                infos.append(ColumnInfo(column.name, time_label(column.ref, label, column.grain.value, lang), "time",
                                        grain=column.grain.value))
            else:
                infos.append(ColumnInfo(column.name, label, "dimension",
                                        value_labels=member_labels(self.model, column.ref, lang),
                                        null_label=null_label(self.model, column.ref, lang)))
        return infos

    def _additive(self, metric_name: str) -> bool:
        metric = self.model.metric(metric_name)
        if metric.type != MetricType.SIMPLE or metric.measure is None:
            return False
        return self.model.measure(metric.measure).agg in (Aggregation.SUM, Aggregation.COUNT)

    def _decline(
        self, request: AnswerRequest, language: str, reason: str, suggestions: tuple[str, ...],
        timings: dict[str, float],
    ) -> Answer:
        return Answer(
            question=request.question, language=language, brain=self.brain,
            decline=Decline(reason=reason, suggestions=suggestions), narrative=reason,
            timings_ms=timings,
        )

    def close(self) -> None:
        self.warehouse.close()
        if self.audit is not None:
            self.audit.close()  # its kept append handle (the next record opens it again)


_CHOICES = "clarification_choices"


def _tool_word(name: str) -> bool:
    """An audience saved under a word tools read themselves ("Champions", "重要挽留客户")."""
    from genbi.tools.rfm import SEGMENTS

    return normalize(name) in {normalize(word) for pair in SEGMENTS.values() for word in pair}


def _picked_choice(conversation: Conversation, reply: str) -> str | None:
    """The full question a short reply to a clarifying question picks ("1", "ad spend")."""
    pending = conversation.extras.get(_CHOICES)
    if not pending:
        return None
    choices, labels = pending
    return pick_choice(reply, choices, labels)


def cached_note(age_s: float, language: str) -> str:
    """Says an answer came from the result cache, and how old it is."""
    minutes = int(age_s // 60)
    if language == "zh":
        age = f"{minutes}分钟前" if minutes else "刚刚"
        return f"结果来自缓存（{age}在相同数据上算出）。"
    age = f"{minutes} min ago" if minutes else "just now"
    return f"From the cache: computed {age} on the same data."


@dataclass(frozen=True)
class _MadeUp:
    """Rows made up for ``Assistant.warm_up`` in the shape of a query result."""

    rows: tuple[tuple[Any, ...], ...]
    truncated: bool


def _house_tree(compiled: CompiledQuery) -> Any:
    """The compiler's tree of ``compiled.sql`` for the warehouse's guard, which reads genbi's
    SQL in the house dialect (None for SQL compiled for another one: the guard parses it)."""
    return compiled.tree if compiled.dialect == HOUSE_DIALECT else None


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _nothing_found(spec: QuerySpec, answer: Answer) -> bool:
    """The answer found nothing for a period it asked about: no row, every number empty, or
    fewer compared periods in its rows than the question set side by side."""
    if not answer.rows:
        return True
    numbers = [i for i, name in enumerate(answer.columns) if name in spec.metrics]
    if numbers and all(row[i] is None for row in answer.rows for i in numbers):
        return True
    if spec.periods and PERIOD in answer.columns:
        at = answer.columns.index(PERIOD)
        return len({row[at] for row in answer.rows}) < len(spec.periods)
    return False

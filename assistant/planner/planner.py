"""The offline planner's front door: a question and the conversation in, a plan out."""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from genbi.assistant.answer import ToolCall
from genbi.assistant.planner.assemble import Unanswerable, assemble, entity_count
from genbi.assistant.planner.checks import future_period_reason
from genbi.assistant.planner.clarify import Clarification
from genbi.assistant.planner.complement_only import read_complement_only
from genbi.assistant.planner.contacted import read_contacted
from genbi.assistant.planner.money_in import read_money_in
from genbi.assistant.planner.never import Never, never_spec, read_never
from genbi.assistant.planner.prepared import prepare
from genbi.assistant.planner.reading import Reading, read
from genbi.assistant.planner.share_members import (
    read_percent_said,
    read_share_members,
    read_tested_share,
)
from genbi.assistant.planner.text import language_of
from genbi.assistant.planner.tool_conditions import unlimited_conditions
from genbi.assistant.planner.tool_customers import customer_where, with_customers
from genbi.assistant.planner.tool_followups import follow_tool
from genbi.assistant.planner.tool_intents import (
    ToolIntent,
    ToolMatcher,
    money_unread,
    tool_arguments,
    uncomparable,
    unknown_subject,
    unused_by_tool,
    validated_arguments,
)
from genbi.assistant.planner.unit_costs import read_unit_cost
from genbi.assistant.planner.units import unit_conflict
from genbi.assistant.planner.unused_mentions import (
    limited_to_joiners,
    names_the_tool,
    unused_mentions,
    unused_reason,
)
from genbi.assistant.planner.verb_rates import read_verb_rate
from genbi.assistant.planner.vocabulary import build_vocabulary
from genbi.semantic_layer.model import Aggregation, Metric, SemanticModel
from genbi.semantic_layer.naming import is_id_like
from genbi.semantic_layer.query_spec import QuerySpec
from genbi.tools.base import registered_tools

MAX_QUESTION_CHARS = 1_000


_FEW_MEMBERS = 20
"""A breakdown with this many members or more (products, stock codes) makes a long example;
one with fewer (a gender, a country) is suggested first."""


@dataclass(frozen=True)
class PlannerResult:
    """A spec to run, or a reason to decline with suggestions; never both."""

    language: str
    spec: QuerySpec | None = None
    notes: tuple[str, ...] = ()
    decline_reason: str | None = None
    suggestions: tuple[str, ...] = ()
    tool_call: ToolCall | None = None
    followup: bool = False
    choice_labels: tuple[str, ...] = ()
    """For a clarifying question: what each suggestion means; a short reply picks one."""
    reading: Reading | None = field(default=None, compare=False, repr=False)


class OfflinePlanner:
    """Deterministic question → spec mapping from the semantic model's own words."""

    name = "offline planner"

    def __init__(self, model: SemanticModel, values: Mapping[str, Iterable[object]] | None = None):
        self.model = model
        self.vocabulary = build_vocabulary(model, values)
        self.tools = ToolMatcher(registered_tools(), frozenset(self.vocabulary.terms))
        named: dict[str, list[str]] = {}  # experiment id -> the words it is said with
        for surface, terms in self.vocabulary.terms.items():
            for term in terms:
                if term.kind == "value" and term.target == "experiment_id":
                    named.setdefault(str(term.value), []).append(surface)
        self.experiments = tuple((name, *surfaces) for name, surfaces in sorted(named.items()))
        self.tools.experiments = self.experiments
        prepare(model, self.vocabulary)  # what the planner works out from the model and its words, before any question

    def plan(self, question: str, *, as_of: date, previous: QuerySpec | None = None,
             tools: bool = True) -> PlannerResult:
        """``tools`` False reads the question as a metric question only (a tool that cannot run
        on this model gives way to the metrics its words also name)."""
        language = language_of(question)
        if not question or not question.strip():
            return self._decline(language, "请输入一个问题。" if language == "zh" else "Please type a question.")
        if len(question) > MAX_QUESTION_CHARS:
            return self._decline(
                language,
                "问题太长了，请精简到一两句话。" if language == "zh"
                else f"That question is too long ({len(question):,} characters); ask it in a sentence or two.",
            )
        reading = read(question, self.vocabulary, as_of)
        never = read_never(question, self.vocabulary, self.model, as_of, language == "zh")
        if never is not None:  # "customers who haven't ordered yet": the rest read, the condition put on after
            reading = never.reading
        only = read_complement_only(question, reading, self.vocabulary, as_of)  # "members only"
        reading = only.reading if only is not None else reading
        contact = read_contacted(reading, self.model, self.vocabulary)  # "how many customers did we email": the touch's channel
        reading = contact.reading if contact is not None else reading
        reading, said, rate_read = self._read_again(question, reading, as_of)
        said = ((only.note,) if only is not None else ()) + ((contact.note,) if contact is not None else ()) + said
        if (conflict := unit_conflict(reading, self.model)) is not None:
            return self._decline(language, conflict, reading)
        nouns = all(entity_count(self.model, m.term.target) or m.term.target in self.vocabulary.people_counts
                    or any(c.start <= m.start and m.end <= c.end for c in reading.metric_conditions)
                    for m in reading.metrics)  # "customer lifetime value": the customers name whose value;
        # "消费超过1000元的客户的流失风险": a metric in a condition says who, not what is asked
        intent = self.tools.match(reading, metrics_are_nouns=nouns)
        tool_words = intent if intent is not None and not reading.write_intent else None
        intent = intent if tools else None
        if intent is not None and not reading.write_intent and never is not None:
            return self._decline(  # "customers who never ordered from the VIP segment": no tool takes "never"
                language, "“从没下过单”不能和分析工具一起用；可以单独问“从没下过单的客户数”。" if language == "zh"
                else f"The {intent.name} tool can't be limited to people who never ordered; ask for 'customers "
                     "who never ordered' on its own.", reading)
        if intent is not None and not reading.write_intent:
            return self._tool_plan(intent, reading, language, as_of)
        try:
            assembly = assemble(reading, self.model, as_of=as_of, previous=previous)
        except Unanswerable as problem:
            return self._decline(language, problem.reason, reading, problem.suggestions)
        except Clarification as close:
            return PlannerResult(language=language, decline_reason=close.question, suggestions=close.choices,
                                 choice_labels=close.labels, reading=reading)
        spec = self._settled(assembly.spec, never, rate_read, language, as_of)
        if isinstance(spec, str):
            return self._decline(language, spec, reading)
        joined: tuple[str, ...] = ()
        if (limited := limited_to_joiners(reading, spec, self.model, as_of, language == "zh")) is not None:
            spec, note = limited  # "revenue from new customers last month": those who signed up then
            joined = (note,)
        if (left_out := self._left_out(reading, spec, tool_words, language)) is not None:
            return self._decline(language, left_out, reading)
        return PlannerResult(
            language=language,
            spec=spec,
            notes=said + tuple(assembly.notes) + joined,
            followup=assembly.followup,
            reading=reading,
        )

    def _tool_plan(self, intent: ToolIntent, reading: Reading, language: str, as_of: date) -> PlannerResult:
        """A tool question: the call, its arguments from the reading, and notes for what no
        setting took."""
        spec = self.tools.tools[intent.name]
        if (unread := money_unread(reading, spec, intent.span, self.model, language == "zh")) is not None:
            return self._decline(language, unread, reading)
        if (apart := uncomparable(reading, spec, as_of, language == "zh")
                or unknown_subject(reading, spec, language == "zh", self.experiments)) is not None:
            return self._decline(language, apart, reading)
        flags = self.vocabulary.boolean_dimensions
        arguments = tool_arguments(spec, reading, as_of=as_of, experiments=self.experiments, flags=flags)
        if (who := customer_where(reading, spec, self.model, as_of, intent.span, flags,
                                  arguments.get("by"))) is not None:
            arguments = with_customers(arguments, spec, who)  # "churn risk for VIP customers"
        asked = getattr(spec.args_model, "missing", None)
        if callable(asked) and (back := asked(arguments, language == "zh")) is not None:
            return PlannerResult(language=language, decline_reason=back[0], suggestions=back[1], reading=reading)
        notes = self._unused_breakdowns(reading, arguments, intent.name, language) + \
            unused_by_tool(reading, arguments, spec, intent.span, language == "zh", intent.audience_of) + \
            unlimited_conditions(reading, arguments, spec, intent.span, flags, language == "zh")
        return PlannerResult(language=language, tool_call=ToolCall(intent.name, arguments), reading=reading,
                             notes=notes)

    def follow_tool(self, question: str, last: ToolCall, *, as_of: date) -> PlannerResult | None:
        """``question`` as a follow-up to the tool call ``last`` ("now by campaign", "and the
        quarter before?"), or None when it is not one (``tool_followups``)."""
        spec = self.tools.tools.get(last.name)
        if spec is None:
            return None
        language = language_of(question)

        def plan(text: str) -> tuple[ToolCall | None, tuple[str, ...], Reading | None]:
            found = self.plan(text, as_of=as_of)
            return found.tool_call, found.notes, found.reading

        followed = follow_tool(question, last, spec, plan, zh=language == "zh", as_of=as_of,
                               validated=lambda arguments: validated_arguments(spec, arguments))
        if followed is None:
            return None
        if followed.call is None:
            return self._decline(language, followed.reason or "", followed.reading)
        return PlannerResult(language=language, tool_call=followed.call, notes=followed.notes, reading=followed.reading)

    def _read_again(self, question: str, reading: Reading, as_of: date) -> tuple[Reading, tuple[str, ...], str | None]:
        """The reading with what a phrase says in other words spelled out, the notes saying so,
        and the rate a verb or price word named ("which channel converts best", "the cheapest
        clicks"): the answer must be that rate."""
        if (money := read_money_in(question, reading, self.vocabulary, self.model, as_of)) is not None:
            # "how much did we make from repeat customers": the money read, then the members named
            members = read_share_members(question, money.reading, self.vocabulary, self.model, as_of)
            if members is not None:
                return members.reading, (money.note, members.note), None
            return money.reading, (money.note,), None
        if (members := read_share_members(question, reading, self.vocabulary, self.model, as_of)) is not None:
            return members.reading, (members.note,), None
        if (tested := read_tested_share(question, reading, self.vocabulary, self.model, as_of)) is not None:
            return tested.reading, (tested.note,), None
        if (percent := read_percent_said(question, reading, self.vocabulary, self.model, as_of)) is not None:
            return percent.reading, (percent.note,) if percent.note else (), None
        if (rate := read_verb_rate(question, reading, self.vocabulary, as_of)) is not None:
            return rate.reading, (rate.note,), rate.metric
        if (cost := read_unit_cost(question, reading, self.vocabulary, as_of)) is not None:
            return cost.reading, (cost.note,), cost.metric
        return reading, (), None

    def _left_out(self, reading: Reading, spec: QuerySpec, tool_words: ToolIntent | None, language: str) -> str | None:
        """Why the spec answers another question: a breakdown, member or group of people the
        question named that it does not use ("weekly orders and city tier" split by week alone);
        None when every one is used. Words that named a tool which gave way are not the question's."""
        dropped = [m for m in unused_mentions(reading, spec, self.model)
                   if tool_words is None or not names_the_tool(m, tool_words)]
        return unused_reason(dropped, spec, self.model, language == "zh") if dropped else None

    def _settled(self, spec: QuerySpec, never: Never | None, rate_read: str | None, language: str,
                 as_of: date) -> QuerySpec | str:
        """The spec with what was read before assembly put back (a never-condition), or why it
        answers another question than the one asked (a rate the verb named, swapped; a period
        still to come, answered as 0)."""
        if (future := future_period_reason(spec, as_of, language == "zh")) is not None:
            return future
        if rate_read is not None and rate_read not in spec.metrics:  # "which sales channel converts best"
            metric = self.model.metric(rate_read)
            return (f"{metric.label_zh or metric.label}不能按这个维度拆分，所以说不出哪个转化最好。" if language == "zh"
                    else f"{metric.label} can't be split that way, so I can't say which converts best "
                         "(another rate in its place would answer another question).")
        if never is not None:
            return never_spec(spec, never, self.model, language == "zh")
        return spec

    def _unused_breakdowns(self, reading: Reading, arguments: dict[str, object], tool: str,
                           language: str) -> tuple[str, ...]:
        """"CLV by acquisition channel": a split the tool can't do is said, not dropped silently."""
        fields = self.tools.tools[tool].args_model.model_fields
        used = {str(v) for v in arguments.values()} | {str(f.default) for f in fields.values()}
        notes = []
        for mention in reading.dimensions:
            name = mention.term.target
            if not mention.grouped or not self.model.has_dimension(name) or any(
                u and (u in name or name in u or u in mention.surface) for u in used if len(u) > 2
            ):
                continue
            dimension = self.model.dimension(name)
            if language == "zh":
                notes.append(f"{tool}工具不能按“{dimension.label_zh or dimension.label}”拆分，以下是它的标准结果。")
            else:
                notes.append(f"The {tool} tool can't split by {dimension.label.lower()}; this is its standard result.")
        return tuple(dict.fromkeys(notes))

    def _decline(
        self, language: str, reason: str, reading: Reading | None = None, suggestions: Iterable[str] = ()
    ) -> PlannerResult:
        return PlannerResult(
            language=language,
            decline_reason=reason,
            suggestions=tuple(suggestions) or self.suggestions(language, reading),
            reading=reading,
        )

    def _less_telling(self, metric: Metric) -> bool:
        """A per-row average of a column ("average unit price") or a count of codes ("stock
        codes") shows a marketer less than sales, orders and customers: suggested after them."""
        if metric.measure is None:
            return False
        measure = self.model.measure(metric.measure)
        counted_codes = measure.agg == Aggregation.COUNT_DISTINCT and any(
            d.column == measure.expr and d.table == measure.table for d in self.model.dimensions)
        return measure.agg == Aggregation.AVG or counted_codes

    def suggestions(self, language: str, reading: Reading | None = None) -> tuple[str, ...]:
        """Close metric names for unknown words, then questions the model can answer."""
        zh = language == "zh"
        close: list[str] = []
        names = {(m.label_zh if zh else m.label): m for m in self.model.metrics}
        for word in reading.unknown if reading else ():
            close += difflib.get_close_matches(word, list(names), n=2, cutoff=0.6)
        examples = [
            f"{names[c].label_zh}按渠道" if zh else f"{c} by channel" for c in dict.fromkeys(close)
        ]
        metrics = sorted(self.model.metrics, key=self._less_telling)[:6]
        listed = [d for d in self.model.dimensions if len(d.values) >= 2]
        few = [d for d in listed if not is_id_like(d.column or d.name) and len(d.values) < _FEW_MEMBERS]
        dims = (few or listed)[:3]
        for metric, dim in zip(metrics, itertools.cycle(dims), strict=False):
            dated = any(m.time for m in self.model.metric_measures(metric.name))  # no date: no "last month"
            split = self.model.can_group_by(metric.name, dim.name)
            examples.append(
                f"{'上个月' if dated else ''}{f'各{dim.label_zh}的' if split else ''}{metric.label_zh}" if zh
                else f"{metric.label}{f' by {dim.label.lower()}' if split else ''}{' last month' if dated else ''}"
            )
        return tuple(dict.fromkeys(examples))[:4]

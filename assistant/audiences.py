"""Saved audiences from the chat: save the customers an answer just showed, list, rename,
delete and export them, in English and Chinese — the same for the UI, Slack and the CLI.

Audiences live in genbi's per-user state store (``assistant.state``). "These customers" are
the last set of customers a tool answered with in the conversation (an RFM segment, a
cluster, a lookalike or churn-risk list); an answer that is not one says so and what to ask.
Each command's answer is an ordinary ``Answer`` (a table of audiences, or the audience's
customer ids for export), so every front end shows, masks and downloads it as usual.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

from genbi.assistant.answer import Answer, AnswerRequest, Decline, ToolCall
from genbi.assistant.audience_commands import AudienceCommand
from genbi.assistant.columns import ColumnInfo
from genbi.assistant.conversation import Conversation
from genbi.assistant.formatting import Language
from genbi.assistant.state import Audience, StateStore
from genbi.assistant.tool_answer import describe_call
from genbi.errors import GenbiError
from genbi.semantic_layer.model import SemanticModel
from genbi.tools.audience_sql import customer_keys
from genbi.tools.base import registered_tools

log = logging.getLogger(__name__)

LAST_CUSTOMERS = "last_customers"
"""Conversation extras key: the ``CustomerSet`` "these customers" refers to."""
MAX_NAME = 80


@dataclass(frozen=True)
class CustomerSet:
    """Customers an answer showed, and how that answer was read (kept with the audience)."""

    ids: tuple[int, ...] | tuple[str, ...]
    description: str
    call: ToolCall | None = None
    """The tool call that found them: saved as the audience's source, described in the
    language of whoever lists it later."""

    @property
    def source(self) -> str:
        if self.call is None:
            return ""
        return json.dumps({"tool": self.call.name, "arguments": self.call.arguments}, ensure_ascii=False,
                          sort_keys=True, default=str)


def answer_customers(answer: Answer) -> CustomerSet | None:
    """The customers ``answer`` is about, when it is a set of customers (a tool's audience)."""
    result = answer.extras.get("tool_result") if answer.extras else None
    ids = getattr(result, "customer_ids", None)
    if ids is None or answer.error or answer.declined:
        return None
    return CustomerSet(customer_keys(ids), answer.interpretation, answer.tool_call)


def remember_customers(conversation: Conversation, answer: Answer) -> None:
    """After a tool answer: what "save these customers" would save (or nothing, when the
    answer is not a set of customers — "these" must never mean an older answer's)."""
    conversation.extras[LAST_CUSTOMERS] = answer_customers(answer)


def _words(language: Language) -> dict[str, str]:
    zh = language == "zh"
    return {
        "title_list": "已保存的人群" if zh else "Saved audiences",
        "title_save": "保存人群" if zh else "Saved audience",
        "title_rename": "重命名人群" if zh else "Renamed audience",
        "title_delete": "删除人群" if zh else "Deleted audience",
        "title_export": "导出人群" if zh else "Audience export",
    }


AUDIENCE_COLUMNS = (
    ("audience", "Audience", "人群", "dimension", "number"),
    ("customers", "Customers", "客户数", "metric", "number"),
    ("built_from", "Built from", "来源", "dimension", "number"),
    ("saved_on", "Saved on", "保存日期", "dimension", "number"),
)


class AudienceDesk:
    """Answers audience commands over one state store."""

    def __init__(self, store: StateStore, brain: str = "offline planner", model: SemanticModel | None = None) -> None:
        self.store = store
        self.brain = brain
        """Named as the answers' brain: the assistant's, so no front end shows a new one."""
        self.model = model
        """Names members when an audience's source is described ("铂金会员")."""

    def built_from(self, audience: Audience, language: Language) -> str:
        """How the audience was found, in ``language`` (its tool call), else as saved."""
        try:
            source = json.loads(audience.source) if audience.source.startswith("{") else None
        except ValueError:
            source = None
        if isinstance(source, dict) and isinstance(source.get("tool"), str):
            call = ToolCall(source["tool"], dict(source.get("arguments") or {}))
            return describe_call(call, language, self.model)
        if audience.source and audience.source in registered_tools():  # ``genbi tool NAME --save-audience``
            return describe_call(ToolCall(audience.source, {}), language, self.model)
        return audience.description or audience.source

    def names(self) -> list[str]:
        try:
            return self.store.audience_names()
        except GenbiError as problem:  # an unreadable state store: no audience commands, answers go on
            log.warning("saved audiences unavailable: %s", problem)
            return []

    def answer(self, command: AudienceCommand, request: AnswerRequest, language: Language,
               conversation: Conversation) -> Answer:
        """The command's answer; a user mistake (unknown name, nothing to save) is a decline."""
        zh = language == "zh"
        try:
            if command.action == "save":
                return self._save(command, request, language, conversation)
            if command.action == "list":
                return self._table(request, language, _words(language)["title_list"], self._listed(language))
            found = self._find(command.name or "")
            if found is None:
                return self._unknown(command.name or "", request, language)
            if command.action == "rename":
                assert command.new_name is not None
                problem = self.name_problem(command.new_name, language, keep=found.name)
                if problem:
                    return self._decline_text(request, language, problem, ())
                renamed = self.store.rename_audience(found.name, command.new_name)
                said = (f"已将人群“{found.name}”重命名为“{renamed.name}”（{renamed.size:,}位客户）。" if zh
                        else f"Renamed the audience “{found.name}” to “{renamed.name}” ({renamed.size:,} customers).")
                return self._table(request, language, f"{_words(language)['title_rename']} · {renamed.name}", said)
            if command.action == "delete":
                self.store.delete_audience(found.name)
                said = (f"已删除人群“{found.name}”（{found.size:,}位客户）。" if zh
                        else f"Deleted the audience “{found.name}” ({found.size:,} customers).")
                return self._table(request, language, f"{_words(language)['title_delete']} · {found.name}", said)
            return self.export(found, request, language)
        except GenbiError as problem:  # the state store itself failed (disk, permissions)
            return self._decline_text(request, language, str(problem), ())

    def _find(self, name: str) -> Audience | None:
        wanted = name.strip().casefold()
        return next((a for a in self.store.audiences() if a.name.casefold() == wanted), None)

    def _unknown(self, name: str, request: AnswerRequest, language: Language) -> Answer:
        known = self.names()
        if language == "zh":
            reason = f"没有名为“{name}”的人群。" + (f"已保存的人群：{'、'.join(known)}。" if known else "还没有保存任何人群。")
        else:
            reason = f"There is no saved audience called “{name}”. " + (
                f"Saved audiences: {', '.join(known)}." if known else "None has been saved yet.")
        listing = ("我的人群",) if language == "zh" else ("list my audiences",)
        return self._decline_text(request, language, reason, listing if known else ())

    def name_problem(self, name: str, language: Language, keep: str | None = None) -> str | None:
        """Why ``name`` can't name an audience (empty, too long, taken), in ``language``."""
        clean = name.strip()
        zh = language == "zh"
        if not clean or len(clean) > MAX_NAME:
            return f"人群名称需要1到{MAX_NAME}个字符。" if zh else f"An audience name needs 1 to {MAX_NAME} characters."
        taken = self._find(clean)
        if keep is not None and taken is not None and taken.name.casefold() != keep.casefold():
            return (f"已经有名为“{taken.name}”的人群，请换个名字或先删除它。" if zh else
                    f"There is already an audience called “{taken.name}”; pick another name or delete it first.")
        return None

    def export(self, audience: Audience, request: AnswerRequest, language: Language) -> Answer:
        """The audience as one row per customer id: the CSV every front end offers is the export."""
        zh = language == "zh"
        origin = self.built_from(audience, language)
        built = (f"，来自{origin}" if zh else f", from {origin}") if origin else ""
        said = (f"人群“{audience.name}”共{audience.size:,}位客户（保存于{audience.created_at[:10]}{built}）；"
                f"全部客户编号在导出的表格文件里。" if zh else
                f"The audience “{audience.name}” holds {audience.size:,} customers (saved {audience.created_at[:10]}"
                f"{built}); the CSV file holds every customer id.")
        label = "客户编号" if zh else "Customer ID"
        return Answer(
            question=request.question, language=language, brain=self.brain,
            interpretation=f"{_words(language)['title_export']} · {audience.name}",
            columns=("customer_id",), rows=tuple((i,) for i in audience.customer_ids), narrative=said,
            column_info=(ColumnInfo("customer_id", label, "dimension"),),
            extras={"audience": audience.name},
        )

    def save(self, name: str, customers: CustomerSet) -> tuple[Audience, Audience | None]:
        """Save ``customers`` as ``name``; returns it and the audience it replaced, if any."""
        previous = next((a for a in self.store.audiences() if a.name.casefold() == name.strip().casefold()), None)
        saved = self.store.save_audience(name, customers.ids, description=customers.description,
                                         source=customers.source)
        return saved, previous

    def _save(self, command: AudienceCommand, request: AnswerRequest, language: Language,
              conversation: Conversation) -> Answer:
        zh = language == "zh"
        customers: CustomerSet | None = conversation.extras.get(LAST_CUSTOMERS)
        if customers is None:
            reason = ("上一个回答不是一组客户，没有可保存的人群。先问出一组客户（如某个RFM分层、相似人群或流失风险客户），再说“把这些客户存为…”。"
                      if zh else "The last answer is not a set of customers, so there is nothing to save. Ask for "
                      "customers first (an RFM segment, a lookalike or churn-risk list), then say "
                      "“save these customers as …”.")
            examples = (("RFM重要价值客户", "找和重要价值客户相似的人群", "流失风险高的客户") if zh else
                        ("RFM Champions", "find customers similar to Champions", "churn risk"))
            return self._decline_text(request, language, reason, examples)
        if not command.name:
            reason = ("请给人群起个名字，例如：把这些客户存为“高价值召回”。" if zh else
                      "Give the audience a name, e.g. save these customers as 'VIP lapsed'.")
            return self._decline_text(request, language, reason, ())
        problem = self.name_problem(command.name, language)
        if problem:
            return self._decline_text(request, language, problem, ())
        saved, previous = self.save(command.name, customers)
        return self._table(request, language, f"{_words(language)['title_save']} · {saved.name}",
                           self.saved_message(saved, previous, language))

    def saved_message(self, saved: Audience, previous: Audience | None, language: Language) -> str:
        """"Saved 2,662 customers (RFM segments · Champions) as the audience “VIP lapsed”. Use it …"."""
        if language == "zh":
            said = f"已将{saved.size:,}位客户（{self.built_from(saved, language)}）保存为人群“{saved.name}”"
            said += f"，替换了原来的{previous.size:,}位客户。" if previous else "。"
            return said + f"之后可以直接用名字：“给{saved.name}写一条短信”、“导出人群{saved.name}”。"
        said = f"Saved {saved.size:,} customers ({self.built_from(saved, language)}) as the audience “{saved.name}”"
        said += f", replacing its previous {previous.size:,}." if previous else "."
        return said + f" Use it by name: “write an SMS for {saved.name}”, “export audience {saved.name}”."

    def _listed(self, language: Language) -> str:
        audiences = self.store.audiences()
        if not audiences:
            return ("还没有保存的人群。先问出一组客户（如“RFM重要价值客户”），再说“把这些客户存为…”。" if language == "zh" else
                    "No saved audiences yet. Ask for customers (e.g. “RFM Champions”), then say "
                    "“save these customers as …”.")
        total = len(audiences)
        return (f"共{total}个已保存的人群。" if language == "zh" else
                f"{total} saved audience{'s' if total != 1 else ''}.")

    def _table(self, request: AnswerRequest, language: Language, title: str, said: str) -> Answer:
        """An answer listing every saved audience, under ``title`` with ``said`` as narrative."""
        zh = language == "zh"
        rows = tuple((a.name, a.size, self.built_from(a, language), a.created_at[:10])
                     for a in self.store.audiences())
        infos = tuple(ColumnInfo(name, zh_label if zh else en_label, kind, fmt=fmt)
                      for name, en_label, zh_label, kind, fmt in AUDIENCE_COLUMNS)
        return Answer(question=request.question, language=language, brain=self.brain, interpretation=title,
                      columns=tuple(c[0] for c in AUDIENCE_COLUMNS), rows=rows, narrative=said,
                      column_info=infos)

    def _decline_text(self, request: AnswerRequest, language: Language, reason: str,
                      suggestions: tuple[str, ...]) -> Answer:
        return Answer(question=request.question, language=language, brain=self.brain,
                      decline=Decline(reason, suggestions), narrative=reason)



AUDIENCE_SELECTORS = ("segment", "cluster", "where", "audience")
"""Tool arguments that choose whose customers a tool works on (a saved audience replaces them)."""


def on_saved_audience(call: ToolCall | None, name: str) -> ToolCall | None:
    """``call`` aimed at the saved audience ``name`` when its tool takes one (the copy tool's
    ``audience``), else None."""
    if call is None:
        return None
    spec = registered_tools().get(call.name)
    if spec is None or "audience" not in spec.args_model.model_fields:
        return None
    kept = {k: v for k, v in call.arguments.items() if k not in AUDIENCE_SELECTORS}
    return ToolCall(call.name, {**kept, "audience": name})


def unsupported_use(name: str, language: Language) -> str:
    """Why a question naming a saved audience can't be answered on it (never all customers)."""
    if language == "zh":
        return (f"“{name}”是已保存的人群。已保存的人群目前可以用来写营销文案（如“给{name}写一条短信”）和导出"
                f"（“导出人群{name}”），指标问题还不能限定在某个人群上。")
    return (f"“{name}” is a saved audience. Saved audiences can be used for marketing copy (“write an SMS for "
            f"{name}”) and exported (“export audience {name}”); a metric question can't be limited to one yet.")


def without_name(question: str, name: str) -> str:
    """The question with the audience's name (and quotes around it) taken out, so its words
    are not read as filters ("VIP" as a tag)."""
    pattern = re.compile(rf"[\"'“”‘’「」『』]?\s*{re.escape(name)}\s*[\"'“”‘’「」『』]?", re.IGNORECASE)
    return " ".join(pattern.sub(" ", question).split())

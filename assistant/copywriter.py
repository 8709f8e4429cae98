"""The LLM side of ``generate_copy``: a ``CopyWriter`` on LangChain structured output, and
the chat's "make it shorter / 换个语气" revisions of the last copy.

The tool (``genbi.tools.copywriting``) owns the audience, its facts, the channel rules and
every check; this writer only drafts. One pydantic model per channel is the structured
output schema (a tool call the model must make; JSON written as text, as small local models
do, is recovered). The prompt is ``prompts/copy/writer.<lang>.jinja``. When drafts break a
rule the tool calls ``write`` once more with the violations in ``request.feedback``.

How a brain uses it (the LLM agent's ``generate_copy`` tool)::

    from genbi.assistant.copywriter import generate_copy_answer
    answer = generate_copy_answer(turn.assistant, ToolCall("generate_copy", args), turn.request,
                                  language=turn.language, chat_model=turn.chat_model,
                                  brain=turn.model_name)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from genbi.assistant.answer import Answer, AnswerRequest, ToolCall
from genbi.assistant.prompts import render_prompt
from genbi.tools.base import ToolError
from genbi.tools.copywriting import CopyRequest, Draft, copy_services, revision
from genbi.tools.copywriting.channels import field_budgets

T = TypeVar("T")
TOOL_NAME = "generate_copy"


class _Variant(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SmsCopy(_Variant):
    text: str = Field(description="The SMS body, without the brand signature and the opt-out.")


class PushCopy(_Variant):
    title: str = Field(description="Notification title.")
    body: str = Field(description="Notification body.")


class EmailCopy(_Variant):
    subject: str
    preheader: str = Field(description="The preview line shown after the subject.")
    body: str = Field(description="Greeting, one or two short paragraphs, sign-off; no unsubscribe footer.")
    cta: str = Field(description="Button text.")


class WeChatCopy(_Variant):
    title: str = Field(description="The template message's title (a service notice).")
    keyword1: str
    keyword2: str
    keyword3: str


class DouyinCopy(_Variant):
    headline: str = Field(description="The ad's creative title.")


class XiaohongshuCopy(_Variant):
    title: str
    body: str = Field(description="The note, with two or three hashtags at the end.")


class SearchCopy(_Variant):
    headline: str
    description: str


class SmsVariants(BaseModel):
    """SMS copy variants."""

    variants: list[SmsCopy]


class PushVariants(BaseModel):
    """App push notification variants."""

    variants: list[PushCopy]


class EmailVariants(BaseModel):
    """Email variants."""

    variants: list[EmailCopy]


class WeChatVariants(BaseModel):
    """WeChat template message variants."""

    variants: list[WeChatCopy]


class DouyinVariants(BaseModel):
    """Douyin ad variants."""

    variants: list[DouyinCopy]


class XiaohongshuVariants(BaseModel):
    """Xiaohongshu note variants."""

    variants: list[XiaohongshuCopy]


class SearchVariants(BaseModel):
    """Search ad variants."""

    variants: list[SearchCopy]


SCHEMAS: dict[str, type[BaseModel]] = {
    "sms": SmsVariants, "app_push": PushVariants, "email": EmailVariants, "wechat": WeChatVariants,
    "douyin": DouyinVariants, "xiaohongshu": XiaohongshuVariants, "search": SearchVariants,
}


class LangChainCopyWriter:
    """Drafts copy with a LangChain chat model's structured output (one schema per channel).

    ``call`` wraps each model request (the agent passes its retry-and-usage wrapper); by
    default the request is made directly.
    """

    retries_on_violation = True

    def __init__(self, chat_model: Any, *, call: Callable[[Callable[[], Any]], Any] | None = None,
                 model_name: str | None = None) -> None:
        self.chat_model = chat_model
        self.call = call or (lambda request: request())
        name = model_name or getattr(chat_model, "model_name", None) or getattr(chat_model, "model", "llm")
        self.name = f"llm:{name}"

    def write(self, request: CopyRequest) -> list[Draft]:
        from langchain_core.messages import HumanMessage

        schema = SCHEMAS[request.channel]
        prompt = copy_prompt(request)
        runnable = self.chat_model.with_structured_output(schema, method="function_calling", include_raw=True)
        try:
            reply = self.call(lambda: runnable.invoke([HumanMessage(prompt)]))
        except _model_errors() as error:
            raise ToolError(f"The language model could not write the copy ({type(error).__name__}).") from None
        parsed = reply.get("parsed") if isinstance(reply, dict) else reply
        if not isinstance(parsed, schema):
            parsed = recover(reply.get("raw") if isinstance(reply, dict) else None, schema)
        if parsed is None:
            raise ToolError("The language model's copy could not be read.")
        return [Draft({k: str(v) for k, v in variant.model_dump().items()}) for variant in parsed.variants]  # type: ignore[attr-defined]


def copy_prompt(request: CopyRequest) -> str:
    """The writer prompt for a request (``prompts/copy/writer.<lang>.jinja``)."""
    return render_prompt(
        "copy/writer", request.language, brand=request.brand, channel=request.channel, goal=request.goal,
        tone=request.tone, audience=request.audience, facts=request.facts, product=request.product or "",
        offer=request.offer or "", link=request.link or "", short=request.short, rules=list(request.rules),
        budgets=field_budgets(request.channel, request.language, request.brand), variants=request.variants,
        feedback=list(request.feedback),
        previous=[json.dumps(d.fields, ensure_ascii=False) for d in request.previous],
    )


_JSON = re.compile(r"\{.*\}", re.DOTALL)


def recover(raw: Any, schema: type[T]) -> T | None:
    """The variants from a reply that wrote its JSON as text (```json fences, a tool-call
    envelope ``{"name": ..., "arguments": {...}}``) instead of calling the schema's tool."""
    content = getattr(raw, "content", None)
    if not isinstance(content, str) or not (found := _JSON.search(content)):
        return None
    try:
        payload = json.loads(found.group())
    except json.JSONDecodeError:
        return None
    if isinstance(payload, dict) and "variants" not in payload:
        payload = payload.get("arguments") or payload.get("parameters") or payload
    try:
        return schema.model_validate(payload)  # type: ignore[attr-defined]
    except ValidationError:
        return None


def _model_errors() -> tuple[type[BaseException], ...]:
    import openai
    from langchain_core.exceptions import OutputParserException

    from genbi.assistant.agent.llm import LlmUnavailable

    return (openai.OpenAIError, OutputParserException, ValidationError, LlmUnavailable)


# --- the chat ------------------------------------------------------------------------------


def generate_copy_answer(
    assistant: Any, call: ToolCall, request: AnswerRequest, *, language: str, chat_model: Any,
    brain: str | None = None, wrap: Callable[[Callable[[], Any]], Any] | None = None,
) -> Answer:
    """Run ``generate_copy`` through ``Assistant.run_tool`` with the LLM drafting the copy."""
    writer = LangChainCopyWriter(chat_model, call=wrap, model_name=brain)
    with copy_services(writer=writer):
        answer: Answer = assistant.run_tool(call, request, language=language, brain=brain)
    return answer


def copy_revision(question: str, last: ToolCall | None) -> ToolCall | None:
    """The last copy's call, changed as a follow-up asks ("make it shorter", "more playful",
    "换个语气", "换成短信", "another batch"); None when the question is something else."""
    if last is None or last.name != TOOL_NAME:
        return None
    arguments = revision(question, dict(last.arguments))
    return ToolCall(TOOL_NAME, arguments) if arguments is not None else None

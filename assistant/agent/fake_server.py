"""A scripted OpenAI-compatible server for tests and plumbing checks — genbi's fake LLM.

Like httpx's ``MockTransport``, the fake ships beside the seam: a plain ``http.server`` in a
thread on 127.0.0.1 that speaks ``/v1/chat/completions`` (JSON and SSE streaming, tool
calls, usage) and ``/v1/models``, answers from a script, records every request, misbehaves
on cue (timeouts, 429, 500, malformed JSON, invalid tool arguments, unknown tools, JSON in
``content``) and stops by itself when idle::

    with ScriptedLLM([call("query_metrics", metrics=["revenue"])]) as server:
        os.environ["OPENAI_BASE_URL"] = server.url
        ...
    server.requests  # what the agent sent

``planner_oracle`` answers like a perfect tool-calling model by asking the offline planner;
run it as a process to point ``genbi eval --llm`` at it::

    python -m genbi.assistant.agent.fake_server --oracle --db demo.duckdb --port 8765
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_SLEEP_S = 5.0


@dataclass(frozen=True)
class Call:
    name: str
    args: dict[str, Any] | str
    """A dict, or a raw argument string (e.g. malformed JSON)."""


@dataclass(frozen=True)
class Step:
    """One scripted response."""

    text: str = ""
    calls: tuple[Call, ...] = ()
    status: int = 200
    retry_after: float | None = None
    delay_s: float = 0.0
    malformed: bool = False


def reply(text: str) -> Step:
    return Step(text=text)


def call(tool: str, /, **args: Any) -> Step:
    return Step(calls=(Call(tool, args),))


def calls(*pairs: tuple[str, dict[str, Any] | str]) -> Step:
    return Step(calls=tuple(Call(name, args) for name, args in pairs))


def json_in_content(name: str | None, args: dict[str, Any], style: str = "fenced") -> Step:
    """A tool call written as text, the way small local models do."""
    body = json.dumps({"name": name, "arguments": args} if name else args, ensure_ascii=False)
    text = {"fenced": f"```json\n{body}\n```", "bare": body,
            "tagged": f"<tool_call>\n{body}\n</tool_call>"}[style]
    return Step(text=text)


def status(code: int, retry_after: float | None = None) -> Step:
    return Step(status=code, retry_after=retry_after)


def slow(seconds: float, then: Step | None = None) -> Step:
    base = then or reply("late")
    return Step(text=base.text, calls=base.calls, delay_s=seconds)


def malformed() -> Step:
    return Step(malformed=True)


Responder = Callable[[dict[str, Any]], Step]


@dataclass
class ScriptedLLM:
    """The server. ``script``: steps answered in order, or a function of the request body."""

    script: Iterable[Step] | Responder = ()
    model: str = "scripted-model"
    idle_timeout_s: float | None = None
    """Stop by itself after this long without a request (a server nobody stops, like the CLI's).
    None: no watchdog; the ``with`` block stops it. Tests leave it None: on a busy machine the
    set-up before a test's first request (seeding the examples index) can outlast any bound."""
    llama_cpp: bool = False
    """Answer ``GET /props`` as a llama.cpp server does (the spec call then sends a grammar)."""
    requests: list[dict[str, Any]] = field(default_factory=list)
    exhausted: int = 0
    """Requests that came after the script ran out (answered with a plain text)."""

    def __post_init__(self) -> None:
        self._responder: Responder | None = self.script if callable(self.script) else None
        self._steps = iter(()) if callable(self.script) else iter(list(self.script))
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._last_seen = time.monotonic()
        self._ids = itertools.count(1)

    # --- lifecycle ---

    def start(self) -> ScriptedLLM:
        handler = _handler_for(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        self._last_seen = time.monotonic()
        if self.idle_timeout_s is not None:
            threading.Thread(target=self._watchdog, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            server, self._server = self._server, None
            server.shutdown()
            server.server_close()

    def __enter__(self) -> ScriptedLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _watchdog(self) -> None:
        assert self.idle_timeout_s is not None
        while self._server is not None:
            if time.monotonic() - self._last_seen > self.idle_timeout_s:
                self.stop()
                return
            time.sleep(0.2)

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    # --- answering ---

    def next_step(self, body: dict[str, Any]) -> Step:
        with self._lock:
            self._last_seen = time.monotonic()
            self.requests.append(body)
            if self._responder is not None:
                return self._responder(body)
            step = next(self._steps, None)
            if step is None:
                self.exhausted += 1
                return reply("(script exhausted)")
            return step

    def completion_id(self) -> str:
        return f"chatcmpl-{next(self._ids)}"

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if "messages" in r]


def _handler_for(server: ScriptedLLM) -> type[BaseHTTPRequestHandler]:
    return type("ScriptedHandler", (_Handler,), {"scripted": server})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    scripted: ScriptedLLM

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._json(200, {"object": "list", "data": [{"id": self.scripted.model, "object": "model"}]})
        elif self.path.rstrip("/") == "/props" and self.scripted.llama_cpp:
            self._json(200, {"default_generation_settings": {"n_ctx": 4096}, "total_slots": 1})
        else:
            self._json(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
            self.close_connection = True

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._json(404, {"error": {"message": "not found"}})
            return
        step = self.scripted.next_step(body)
        if step.delay_s:
            time.sleep(min(step.delay_s, MAX_SLEEP_S))
        if step.status != 200:
            headers = {"retry-after": str(step.retry_after)} if step.retry_after is not None else {}
            self._json(step.status, {"error": {"message": f"scripted {step.status}", "type": "scripted"}},
                       headers)
        elif step.malformed:
            streaming = bool(body.get("stream"))
            broken = b'data: {"id": "x", "choices": [ {"delta": \n\n' if streaming \
                else b'{"id": "x", "choices": [ {"message": '
            self._raw(200, broken, "text/event-stream" if streaming else "application/json")
        elif body.get("stream"):
            self._stream(body, step)
        else:
            self._json(200, _completion(self.scripted, body, step))

    def _json(self, code: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self._raw(code, json.dumps(payload, ensure_ascii=False).encode(), "application/json", headers)

    def _raw(self, code: int, data: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, body: dict[str, Any], step: Step) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("connection", "close")
        self.end_headers()
        for chunk in _chunks(self.scripted, body, step):
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True


def _arguments(args: dict[str, Any] | str) -> str:
    return args if isinstance(args, str) else json.dumps(args, ensure_ascii=False)


def _usage(body: dict[str, Any], step: Step) -> dict[str, int]:
    prompt = len(json.dumps(body.get("messages", []), ensure_ascii=False)) // 4 \
        + len(json.dumps(body.get("tools", []))) // 4
    completion = max(1, (len(step.text) + sum(len(_arguments(c.args)) for c in step.calls)) // 4)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _tool_calls(step: Step) -> list[dict[str, Any]]:
    return [{"id": f"call_{i + 1}", "type": "function",
             "function": {"name": c.name, "arguments": _arguments(c.args)}} for i, c in enumerate(step.calls)]


def _completion(server: ScriptedLLM, body: dict[str, Any], step: Step) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": step.text or None}
    if step.calls:
        message["tool_calls"] = _tool_calls(step)
    return {"id": server.completion_id(), "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", server.model),
            "choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if step.calls else "stop"}],
            "usage": _usage(body, step)}


def _chunks(server: ScriptedLLM, body: dict[str, Any], step: Step) -> Iterable[dict[str, Any]]:
    ident, model, created = server.completion_id(), body.get("model", server.model), int(time.time())

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {"id": ident, "object": "chat.completion.chunk", "created": created, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    yield chunk({"role": "assistant", "content": ""})
    for piece in re.findall(r".{1,12}", step.text, flags=re.DOTALL):
        yield chunk({"content": piece})
    for index, tool_call in enumerate(_tool_calls(step)):
        arguments = tool_call["function"]["arguments"]
        half = len(arguments) // 2
        yield chunk({"tool_calls": [{"index": index, "id": tool_call["id"], "type": "function",
                                     "function": {"name": tool_call["function"]["name"],
                                                  "arguments": arguments[:half]}}]})
        yield chunk({"tool_calls": [{"index": index, "function": {"arguments": arguments[half:]}}]})
    yield chunk({}, "tool_calls" if step.calls else "stop")
    if (body.get("stream_options") or {}).get("include_usage"):
        yield {"id": ident, "object": "chat.completion.chunk", "created": created, "model": model,
               "choices": [], "usage": _usage(body, step)}


# --- a perfect tool caller, for plumbing checks ------------------------------------------

_AS_OF = re.compile(r"as_of[)）]?\s*[:：]\s*(\d{4}-\d{2}-\d{2})")
_PREVIOUS = re.compile(r"^previous_spec: (\{.*\})\s*$", re.MULTILINE)


def planner_oracle(planner: Any) -> Responder:
    """Answer every question with the offline planner's spec as a ``query_metrics`` call
    (or a ``decline``), reading today and the previous query from the system prompt."""
    from genbi.semantic_layer.query_spec import QuerySpec

    def respond(body: dict[str, Any]) -> Step:
        messages = body.get("messages", [])
        last = messages[-1] if messages else {}
        if last.get("role") != "user":
            return reply("Done.")
        system = next((m.get("content", "") for m in messages if m.get("role") == "system"), "")
        found = _AS_OF.search(system)
        as_of = date.fromisoformat(found.group(1)) if found else date.today()
        previous = _PREVIOUS.search(system)
        spec = QuerySpec.model_validate_json(previous.group(1)) if previous else None
        plan = planner.plan(str(last.get("content", "")), as_of=as_of, previous=spec)
        if plan.spec is None:
            return call("decline", reason=plan.decline_reason or "out of scope",
                        suggestions=list(plan.suggestions[:3]))
        return call("query_metrics", **plan.spec.model_dump(mode="json", exclude_defaults=True))

    return respond


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="genbi's scripted OpenAI-compatible server")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", required=True, help="The warehouse the oracle reads values from.")
    parser.add_argument("--oracle", action="store_true", help="Answer with the offline planner.")
    options = parser.parse_args(argv)
    from genbi.assistant.planner.planner import OfflinePlanner
    from genbi.assistant.values import warehouse_values
    from genbi.semantic_layer.loader import load_model
    from genbi.semantic_layer.warehouse import Warehouse

    model = load_model()
    warehouse = Warehouse.open(options.db, allowed_tables=model.table_names)
    planner = OfflinePlanner(model, warehouse_values(model, warehouse))
    warehouse.close()
    server = ScriptedLLM(planner_oracle(planner), idle_timeout_s=3600)
    server._server = ThreadingHTTPServer(("127.0.0.1", options.port), _handler_for(server))
    print(f"scripted LLM (offline-planner oracle) on http://127.0.0.1:{options.port}/v1", flush=True)
    server._server.serve_forever()


if __name__ == "__main__":
    main()

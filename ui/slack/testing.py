"""A fake Slack, shipped beside the bot the way httpx ships ``MockTransport``.

``FakeSlackApi`` is a local Web API server that records every call (chat.postMessage,
chat.update, file uploads …) and answers like Slack; point a ``WebClient`` at it with
``base_url=fake.api_url``. ``signed_headers`` signs a request body the way Slack does, so
tests can drive the bot's HTTP endpoint. Nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_USER = "UGENBI"
BOT_ID = "BGENBI"
TEAM = "T0GENBI"


@dataclass(frozen=True)
class Call:
    """One request the fake received."""

    method: str
    """Web API method ("chat.postMessage"), "upload" for file bytes, "response" for response_url."""
    args: dict[str, Any]
    body: bytes = b""
    token: str | None = None


@dataclass
class FakeSlackApi:
    """A recording fake of the Slack Web API on 127.0.0.1 (start / close, or ``with``)."""

    calls: list[Call] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    """Method → Slack error code to answer with (``{"ok": false, "error": …}``)."""

    def __post_init__(self) -> None:
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        self._files = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="fake-slack", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        """For ``WebClient(base_url=…)``."""
        return f"{self.url}/api/"

    def start(self) -> FakeSlackApi:
        self._thread.start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self._thread.join()
        self.server.server_close()

    def __enter__(self) -> FakeSlackApi:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- for tests ---

    def of(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 20.0) -> list[Call]:
        """The calls of ``method`` once there are at least ``count`` (AssertionError on timeout)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"expected {count} {method} call(s); got {seen}")
                self._changed.wait(left)

    def clear(self) -> None:
        with self._changed:
            self.calls.clear()

    # --- the fake itself ---

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _ts_now(self) -> str:
        return f"1767225600.{next(self._ts):06d}"

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method in self.errors:
            return {"ok": False, "error": self.errors[method]}
        channel = args.get("channel") or args.get("channel_id")
        if method == "auth.test":
            return {"ok": True, "url": "https://genbi-test.slack.com/", "team": "genbi test",
                    "user": "genbi", "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID}
        if method == "chat.postMessage":
            ts = self._ts_now()
            return {"ok": True, "channel": channel, "ts": ts,
                    "message": {"ts": ts, "text": args.get("text", ""), "bot_id": BOT_ID}}
        if method in ("chat.update", "chat.delete"):
            return {"ok": True, "channel": channel, "ts": args.get("ts")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._ts_now()}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._files):08d}"
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = args.get("files")
            listed = json.loads(files) if isinstance(files, str) else (files or [])
            return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")} for f in listed]}
        return {"ok": True}


def _handler(fake: FakeSlackApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            route, _, query = self.path.partition("?")
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            token = (self.headers.get("Authorization") or "").removeprefix("Bearer ") or None
            if route.startswith("/upload/"):
                fake._record(Call("upload", {"file_id": route.rsplit("/", 1)[-1]}, body, token))
                self._send(200, b"OK - %d" % len(body), "text/plain")
                return
            args = dict(parse_qsl(query))
            args.update(_parse(body, self.headers.get("Content-Type") or ""))
            if route.startswith("/response/"):
                fake._record(Call("response", args, body, token))
                self._send(200, b'{"ok": true}')
                return
            method = route.removeprefix("/api/")
            fake._record(Call(method, args, body, token))
            self._send(200, json.dumps(fake.answer(method, args)).encode())

        def _send(self, status: int, payload: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


def _parse(body: bytes, content_type: str) -> dict[str, Any]:
    if not body:
        return {}
    if "json" in content_type:
        parsed = json.loads(body)
        return parsed if isinstance(parsed, dict) else {}
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))


def signed_headers(secret: str, body: str, *, timestamp: int | None = None,
                   content_type: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    """Headers Slack would send with ``body``: ``v0=HMAC-SHA256(secret, "v0:{ts}:{body}")``."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": f"v0={digest}"}

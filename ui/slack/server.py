"""Wiring: the Bolt app, and the two ways Slack reaches it (Socket Mode or HTTP).

HTTP mode serves ``POST /slack/events`` (slash command, events and interactivity all use
that one URL) on a threaded ``http.server``; Bolt checks every request's signature and
timestamp before any listener runs, and answers 401 otherwise. ``GET /health`` says ok.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.error import URLError

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from genbi.errors import ConfigError, GenbiError
from genbi.shutdown import stop_signals, wait
from genbi.ui.slack.bot import SlackBot
from genbi.ui.slack.config import APP_TOKEN, BOT_TOKEN, SlackConfig, SlackMode

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/health"
MAX_BODY = 1_000_000
"""Slack's payloads are a few kB; anything this big is not from Slack."""
WORKERS = 8


def check_token(client: WebClient) -> dict[str, Any]:
    """``auth.test``: who the bot is, or one clear line when Slack refuses the token."""
    try:
        return dict(client.auth_test().data)  # type: ignore[arg-type]
    except SlackApiError as error:
        code = error.response.get("error", "unknown_error")
        raise ConfigError(
            f"Slack rejected {BOT_TOKEN} ({code}).",
            "Copy the Bot User OAuth Token again from OAuth & Permissions (reinstall the app "
            "if its scopes changed).",
        ) from None
    except (URLError, OSError) as error:
        raise GenbiError(f"Could not reach Slack to check {BOT_TOKEN} ({error}).",
                         "Check the network connection or proxy.") from None


def build_app(config: SlackConfig, bot: SlackBot, *, client: WebClient | None = None) -> App:
    """The Bolt app with the bot's listeners; ``client`` points it elsewhere (tests, proxies)."""
    client = client or WebClient(token=config.bot_token.get_secret_value(), base_url=config.api_url)
    secret = config.signing_secret.get_secret_value() if config.signing_secret else ""
    app = App(
        client=client,
        signing_secret=secret,
        token_verification_enabled=False,
        request_verification_enabled=config.mode is SlackMode.HTTP,
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="genbi-slack"),
        name="genbi",
        logger=logging.getLogger("genbi.ui.slack.bolt"),  # Bolt's records go to genbi's log file
    )
    bot.register(app)
    return app


class SlackHttpServer:
    """Bolt over a threaded ``http.server``: enough for one team's bot behind HTTPS.

    >>> server = SlackHttpServer(App(token="xoxb-1", signing_secret="0" * 32,
    ...                              token_verification_enabled=False), port=0)
    >>> server.url.endswith("/slack/events")
    True
    >>> server.close()
    """

    def __init__(self, app: App, *, host: str = "127.0.0.1", port: int = 3000,
                 path: str = EVENTS_PATH) -> None:
        self.path = path
        self.server = ThreadingHTTPServer((host, port), _handler(app, path))
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}{self.path}"

    def serve_forever(self) -> None:
        self.server.serve_forever(poll_interval=0.2)

    def start(self) -> SlackHttpServer:
        """Serve on a background thread (tests, embedding)."""
        self._thread = threading.Thread(target=self.serve_forever, name="genbi-slack-http", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join()
        self.server.server_close()


def _handler(app: App, path: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "genbi-slack"

        def do_POST(self) -> None:
            route, _, query = self.path.partition("?")
            if route != path:
                self._reply(404, b"not found")
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._reply(413, b"too large")
                return
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            headers: dict[str, str | Sequence[str]] = {k.lower(): v for k, v in self.headers.items()}
            response = app.dispatch(BoltRequest(body=body, query=query, headers=headers))
            payload = response.body.encode("utf-8")
            self.send_response(response.status)
            for name, values in response.headers.items():
                if name.lower() != "content-length":
                    for value in values:
                        self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            if self.path.partition("?")[0] == HEALTH_PATH:
                self._reply(200, b"ok")
            else:
                self._reply(404, b"not found")

        def _reply(self, status: int, payload: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s " + format, self.address_string(), *args)

    return Handler


def serve(
    config: SlackConfig,
    db_path: str | Path,
    *,
    host: str = "0.0.0.0",
    port: int = 3000,
    as_of: date | str | None = None,
    announce: Callable[[str], None] = print,
    model_path: str | Path | None = None,
) -> None:
    """Run the bot until interrupted: Socket Mode with an app token, else HTTP on ``port``."""
    from genbi.assistant import Assistant
    from genbi.assistant.runtime import ready

    client = WebClient(token=config.bot_token.get_secret_value(), base_url=config.api_url)
    identity = check_token(client)
    assistant = Assistant.open(db_path, model_path=model_path, as_of=as_of)
    assistant.charts = False  # Slack gets a PNG drawn from the rows (ui.slack.chart), not plotly
    bot = SlackBot(assistant, access=config.access)
    from genbi.ui.slack.monitors import start_watcher

    watcher, watching = start_watcher(assistant, client)
    with stop_signals() as stop:
        try:
            app = build_app(config, bot, client=client)
            ready(assistant)  # warmed up; what opening built stays out of later collections
            who = f"@{identity.get('user', 'genbi')} in {identity.get('team', 'the workspace')}"
            if config.mode is SlackMode.SOCKET:
                _serve_socket_mode(app, config, f"genbi slack: {who}, Socket Mode, over {assistant.source} "
                                   f"with the model {assistant.model_source}. {watching}", announce, stop)
            else:
                server = SlackHttpServer(app, host=host, port=port).start()
                announce(f"genbi slack: {who}, HTTP mode on {server.url} over {assistant.source} "
                         f"with the model {assistant.model_source}; point the "
                         f"app's Request URLs at https://<public host>/slack/events. {watching} Ctrl+C stops it.")
                try:
                    wait(stop)
                finally:
                    server.close()
                announce("genbi slack: stopped.")
        finally:
            watcher.close()
            bot.close(cancel=stop.is_set())
            assistant.close()


def _serve_socket_mode(app: App, config: SlackConfig, banner: str,
                       announce: Callable[[str], None], stop: threading.Event | None = None) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    assert config.app_token is not None
    handler = SocketModeHandler(app, config.app_token.get_secret_value())
    try:
        handler.connect()
    except SlackApiError as error:
        code = error.response.get("error", "unknown_error")
        raise ConfigError(f"Slack rejected {APP_TOKEN} ({code}).",
                          "Generate an app-level token with the connections:write scope "
                          "(Basic Information → App-Level Tokens).") from None
    announce(f"{banner} Ctrl+C stops it.")
    try:
        wait(stop or threading.Event())
        announce("genbi slack: stopped.")
    finally:
        handler.close()

"""``GENBI_LLM_GGUF``: a GGUF model file served in this process by llama-cpp-python.

llama-cpp-python's own OpenAI-compatible app runs on 127.0.0.1 in a daemon thread, so the
embedded model gets exactly the prompts, JSON-schema constraints (as llama.cpp grammars),
tool calls and retries every other endpoint gets — one code path, no second client to keep
in step. Its prompt cache keeps the static prefix of the spec prompt between questions.
Needs the optional extra ``genbi[local]`` (it compiles llama.cpp); CI never does.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import threading
import time
from typing import Any

from genbi.assistant.agent.config import LlmSettings
from genbi.errors import ConfigError

LOAD_TIMEOUT_S = 600.0
"""How long loading the model may take (a 1 GB file on a slow disk, a busy machine)."""
N_CTX = 4096

_served: dict[str, str] = {}
_lock = threading.Lock()


def serve_gguf(settings: LlmSettings) -> LlmSettings:
    """``settings`` pointing at an in-process server for ``settings.gguf`` (started once)."""
    assert settings.gguf
    with _lock:
        url = _served.get(settings.gguf)
        if url is None:
            url = _start(settings.gguf, settings.model)
            _served[settings.gguf] = url
    return dataclasses.replace(settings, base_url=url)


def _start(path: str, alias: str) -> str:
    try:
        import uvicorn
        from llama_cpp.server.app import create_app
        from llama_cpp.server.settings import ModelSettings, ServerSettings
    except ImportError:
        raise ConfigError("GENBI_LLM_GGUF needs llama-cpp-python, which is not installed.",
                          "Install the extra: pip install 'genbi[local]' (it builds llama.cpp, a few "
                          "minutes), or serve the model yourself and set OPENAI_BASE_URL.") from None
    port = _free_port()
    model = ModelSettings(model=path, model_alias=alias, n_ctx=N_CTX, n_threads=os.cpu_count() or 2,
                          verbose=False)
    app = create_app(server_settings=ServerSettings(host="127.0.0.1", port=port), model_settings=[model])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="genbi-gguf", daemon=True)
    thread.start()
    _wait_until_started(server, thread, path)
    return f"http://127.0.0.1:{port}/v1"


def _wait_until_started(server: Any, thread: threading.Thread, path: str) -> None:
    deadline = time.monotonic() + LOAD_TIMEOUT_S
    while not server.started:
        if not thread.is_alive():
            raise ConfigError(f"The GGUF model {path} could not be served.",
                              "Check that the file is a GGUF model llama.cpp can load.")
        if time.monotonic() > deadline:
            raise ConfigError(f"Loading the GGUF model {path} took over {LOAD_TIMEOUT_S:.0f} s.")
        time.sleep(0.1)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

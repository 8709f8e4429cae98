"""``GENBI_LLM_GGUF``: a GGUF model file served in this process by llama.cpp.

llama.cpp's own OpenAI-compatible server runs on 127.0.0.1 inside genbi's process, so the
embedded model gets exactly the prompts, JSON-schema constraints (as llama.cpp grammars),
tool calls and retries every other endpoint gets — one code path, no second client to keep
in step — and its prompt cache keeps the static prefix of the spec prompt between
questions. Two bindings work: ``xllamacpp`` (the native llama-server, prebuilt wheels; the
optional extra ``genbi[local]``) and ``llama-cpp-python[server]`` (compiles llama.cpp, about
an hour on a busy 2-core machine). CI needs neither.
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
        import xllamacpp
    except ImportError:
        return _start_llama_cpp_python(path, alias)
    return _start_xllamacpp(xllamacpp, path, alias)


_servers: list[Any] = []
"""Servers kept alive for the process's lifetime (the native server stops when collected)."""


def _start_xllamacpp(xllamacpp: Any, path: str, alias: str) -> str:
    params = xllamacpp.CommonParams()
    params.model.path = path
    params.model_alias = {alias}
    params.n_ctx = N_CTX
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = os.cpu_count() or 2
    params.port = _free_port()
    params.use_jinja = True  # the model's own chat template, tool calls included
    params.verbosity = 0  # warnings and errors only: genbi's output is not llama.cpp's log
    _servers.append(xllamacpp.Server(params))
    url = f"http://127.0.0.1:{params.port}/v1"
    _wait_until_ready(url, path)
    return url


def _wait_until_ready(url: str, path: str) -> None:
    """Polls /models until the model is loaded (the server answers 503 while it loads)."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + LOAD_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise ConfigError(f"Loading the GGUF model {path} took over {LOAD_TIMEOUT_S:.0f} s.")
        time.sleep(0.5)


def _start_llama_cpp_python(path: str, alias: str) -> str:
    try:
        import uvicorn
        from llama_cpp.server.app import create_app
        from llama_cpp.server.settings import ModelSettings, ServerSettings
    except ImportError:
        raise ConfigError("GENBI_LLM_GGUF needs llama.cpp's Python bindings, which are not installed.",
                          "Install the extra: pip install 'genbi[local]' (xllamacpp, prebuilt), or serve "
                          "the model yourself and set OPENAI_BASE_URL.") from None
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

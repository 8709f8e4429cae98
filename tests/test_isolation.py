"""The test session never writes genbi's state or data into the user's own directories."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from genbi import settings


def test_session_home_is_a_temporary_directory() -> None:
    home = Path(os.environ["GENBI_HOME"]).resolve()
    assert home.is_relative_to(Path(tempfile.gettempdir()).resolve())
    assert settings.state_dir().resolve().is_relative_to(home)
    assert settings.data_dir().resolve().is_relative_to(home)
    assert settings.log_path().resolve().is_relative_to(home)

"""The AWS CLI against the module's sandbox server, as the administrator (``aws``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.awscli_support import AwsCli, cli_env


@pytest.fixture
def aws(sandbox_server: Any, tmp_path: Path) -> AwsCli:
    """``python -m awscli`` with fake credentials, the sandbox server's endpoint, ISO timestamps."""
    return AwsCli(cli_env(sandbox_server.url, tmp_path), tmp_path)

"""A local Amazon Macie that behaves like Macie's member lifecycle, built on moto.

moto's macie2 service lacks CreateMember, GetMember and UpdateMemberSession and models the
member lifecycle loosely. This package extends it through moto's own machinery: a backend
class (:mod:`.models`), response handlers (:mod:`.responses`) and URL routes (:mod:`.urls`),
registered as moto's macie2 backend by :func:`install`. Nothing of moto is copied or forked.

Three ways to use it:

* in tests, :func:`mock_sandbox` (a context manager) or the ``macie_sandbox`` pytest fixture in
  :mod:`macie_members.sandbox.testing`: moto's in-process mock with the extension installed;
* ``macie-members sandbox serve``: a local HTTP server (:mod:`.server`) that the AWS CLI and
  boto3 reach with ``--endpoint-url``;
* ``macie-members --sandbox ...``: an in-process sandbox whose state persists in a JSON file
  (:func:`embedded_sandbox`, :mod:`.state`), so a sequence of shell commands tells one story.

The package keeps its own copy of Macie's domain rules (statuses, id and email checks, limits,
:mod:`.rules`) on purpose: it stands in for the service, so it shares no code with the client.

This package imports moto; nothing outside it (and the CLI's sandbox commands) may import it,
so that ordinary commands start without loading moto.

May import: ``errors``, moto, boto3 and botocore, nothing else of the package (its own copy of
the rules, on purpose); imported only by the CLI's ``sandbox`` commands and, lazily, to install
the embedded sandbox.
"""

from __future__ import annotations

from macie_members.sandbox.botocore_data import share_botocore_data
from macie_members.sandbox.mock import (
    EXTRA_HINT,
    SandboxNotInstalled,
    install,
    mock_sandbox,
    require_extra,
    uninstall,
)
from macie_members.sandbox.state import (
    STATE_VERSION,
    default_state_path,
    dump_state,
    embedded_sandbox,
    load_state,
    read_state_file,
    reset_state_file,
)

__all__ = [
    "EXTRA_HINT", "STATE_VERSION", "SandboxNotInstalled", "default_state_path", "dump_state",
    "embedded_sandbox", "install", "load_state", "mock_sandbox", "read_state_file", "require_extra",
    "reset_state_file", "share_botocore_data", "uninstall",
]

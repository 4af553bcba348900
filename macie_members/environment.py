"""The environment variables macie-members reads for itself, each named once (AWS's own, such
as ``AWS_REGION``, are botocore's and the AWS CLI's, and are read where they are used), and the
output formats (``--output``, ``AWS_DEFAULT_OUTPUT``): the names the CLI's global options need
before anything else is imported, so that ``--help`` imports nothing more.

Part of the vocabulary layer with ``domain``, ``records`` and ``errors``: every layer may name
them, the sandbox included (it reads its state file's path itself).
"""

from __future__ import annotations

SANDBOX_ENV = "MACIE_MEMBERS_SANDBOX"
"""``1``: every command runs against the embedded sandbox, as with ``--sandbox``."""

SANDBOX_STATE_ENV = "MACIE_MEMBERS_SANDBOX_STATE"
"""The embedded sandbox's state file, as with ``--sandbox-state``."""

LOCK_DIR_ENV = "MACIE_MEMBERS_LOCK_DIR"
"""The directory of the run locks (``<account>-<region>.lock``), instead of ``locks`` in the
platform's state directory for macie-members."""

AWS_OUTPUTS = ("json", "text", "table", "yaml", "yaml-stream")
"""The AWS CLI's (v2's) output formats."""

OUTPUTS = (*AWS_OUTPUTS, "csv")
"""``--output``'s values: the AWS CLI's and ours, for documents with rows."""


class _Process:
    """What the program's entry point (:func:`macie_members.cli.main`) tells the run machinery:
    ``ends_with_the_run``, the process exits once its run is over. A finished run then leaves
    its stop signals ignored rather than at their defaults, so that a signal while the process
    exits (a flush, finalizers, the interpreter's shutdown) can't turn it into one killed by
    SIGTERM or a KeyboardInterrupt traceback (run/signals.py). A library caller, and click's test
    runner, never set it: their handlers come back as they were."""

    ends_with_the_run = False


PROCESS = _Process()

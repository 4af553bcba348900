"""The botocore session the sandbox reads botocore's data through (endpoint data, the macie2
model): the run's own once :func:`share_botocore_data` has run, so that the embedded sandbox
parses each of those documents once in the process. Imports nothing of the package."""

from __future__ import annotations

from typing import Any

_shared_session: Any = None


def share_botocore_data(session: Any) -> None:
    """Let moto (and the sandbox's own Region checks, :func:`.rules.offered_regions`) read
    botocore's endpoint data and service models through ``session``, the run's botocore
    session, instead of a boto3 session of their own: each of those documents is then parsed
    once in the process, not once per session (some 7 MiB each for the endpoint data; the
    embedded sandbox's peak memory, benchmarks/memory.py). moto asks its session only which
    partitions and Regions there are, which no profile setting changes."""
    import boto3
    from moto.core.base_backend import AccountSpecificBackend

    global _shared_session
    _shared_session = session
    shared = boto3.Session(botocore_session=session)
    AccountSpecificBackend.get_session = classmethod(lambda cls: shared)  # type: ignore[assignment,method-assign]


def botocore_session() -> Any:
    """The botocore session the sandbox reads botocore's data through: the run's, once
    :func:`share_botocore_data` has run (the embedded sandbox), else botocore's default one."""
    if _shared_session is not None:
        return _shared_session
    import botocore.session

    return botocore.session.get_session()

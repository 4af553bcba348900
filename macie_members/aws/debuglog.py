"""``--debug`` logging that never shows a secret.

``--debug`` logs botocore's requests and responses to stderr, like the AWS CLI, but every line
goes through :class:`RedactingFormatter` first. It removes:

* request signatures (``Signature=…`` in the ``Authorization`` header and in presigned URLs);
* session tokens (``X-Amz-Security-Token`` headers, ``SessionToken`` fields of STS responses);
* secret access keys (``SecretAccessKey`` / ``aws_secret_access_key`` in any form);
* and, literally, every secret string registered with :func:`register_secret` (the resolved
  credentials of each client), wherever it appears.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import TextIO

REDACTED = "***REDACTED***"

_PATTERNS = [
    re.compile(r"(Signature=)[0-9a-fA-F]+"),
    # botocore's signer logs "Signature:" and the raw signature on the next line.
    re.compile(r"(Signature:\s*)[0-9a-fA-F]{16,}"),
    re.compile(r"(X-Amz-Signature=)[0-9a-fA-F]+"),
    re.compile(r"""(['"]?X-Amz-Security-Token['"]?\s*[:=]\s*b?['"]?)[^'",\s}&]+""", re.IGNORECASE),
    re.compile(r"""(['"]?(?:aws_)?session_?token['"]?\s*[:=]\s*b?['"]?)[^'",\s}&<]+""", re.IGNORECASE),
    re.compile(r"""(['"]?(?:aws_)?secret_?access_?key['"]?\s*[:=]\s*b?['"]?)[^'",\s}&<]+""", re.IGNORECASE),
    re.compile(r"(<SecretAccessKey>)[^<]*"),
    re.compile(r"(<SessionToken>)[^<]*"),
]

_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Never log ``value`` (a secret key or a session token) in any form."""
    if value and len(value) >= 8:
        with _secrets_lock:
            _secrets.add(value)


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    with _secrets_lock:
        secrets = list(_secrets)
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def enable(stream: TextIO) -> logging.Handler:
    """Log botocore's and this package's debug messages to ``stream``, redacted."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s - %(threadName)s - %(name)s - %(levelname)s - %(message)s")
    )
    handler.setLevel(logging.DEBUG)
    for name in ("botocore", "urllib3", "macie_members"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    return handler


def disable(handler: logging.Handler) -> None:
    for name in ("botocore", "urllib3", "macie_members"):
        logger = logging.getLogger(name)
        logger.removeHandler(handler)
        logger.setLevel(logging.WARNING)

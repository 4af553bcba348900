"""Macie's modeled errors, shaped as the service sends them.

Each error is a JSON body ``{"__type": Code, "message": ...}`` with the HTTP status of the
model and an ``x-amzn-ErrorType`` header, so botocore raises the modeled exception class
(``client.exceptions.ConflictException`` and so on). ``TooManyRequestsException`` is the one
unmodeled code: real Macie has answered throttled calls with it (HTTP 429), and botocore raises
it as a plain ``ClientError``.
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.exceptions import JsonRESTError

ERROR_STATUS = {
    "ValidationException": 400,
    "ServiceQuotaExceededException": 402,
    "AccessDeniedException": 403,
    "ResourceNotFoundException": 404,
    "ConflictException": 409,
    "ThrottlingException": 429,
    "TooManyRequestsException": 429,
    "UnrecognizedClientException": 403,
    "InternalServerException": 500,
}
REASONS = {
    400: "Bad Request", 402: "Payment Required", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
    429: "Too Many Requests", 500: "Internal Server Error",
}


def error_body(code: str, message: str) -> bytes:
    return json.dumps({"__type": code, "message": message}).encode()


def error_headers(code: str, length: int | None = None) -> list[tuple[str, str]]:
    headers = [("x-amzn-ErrorType", code), ("Content-Type", "application/json")]
    if length is not None:
        headers.append(("Content-Length", str(length)))
    return headers


class MacieError(JsonRESTError):
    error_code = "InternalServerException"

    def __init__(self, message: str) -> None:
        self.code = ERROR_STATUS[self.error_code]
        super().__init__(self.error_code, message)

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return error_headers(self.error_code)


class ValidationException(MacieError):
    error_code = "ValidationException"


class ServiceQuotaExceededException(MacieError):
    error_code = "ServiceQuotaExceededException"


class AccessDeniedException(MacieError):
    error_code = "AccessDeniedException"


class ResourceNotFoundException(MacieError):
    error_code = "ResourceNotFoundException"


class ConflictException(MacieError):
    error_code = "ConflictException"


class UnrecognizedClientException(MacieError):
    """Not in the macie2 model: AWS answers it before the service for a Region the account has
    not enabled (botocore raises it as a plain ClientError)."""

    error_code = "UnrecognizedClientException"

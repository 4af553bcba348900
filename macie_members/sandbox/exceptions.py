"""Macie's modeled errors, shaped as the service sends them.

Each error is a JSON body ``{"__type": Code, "message": ...}`` with the HTTP status of the
model and an ``x-amzn-ErrorType`` header, so botocore raises the modeled exception class
(``client.exceptions.ConflictException`` and so on).
"""

from __future__ import annotations

from typing import Any

from moto.core.exceptions import JsonRESTError

ERROR_STATUS = {
    "ValidationException": 400,
    "ServiceQuotaExceededException": 402,
    "AccessDeniedException": 403,
    "ResourceNotFoundException": 404,
    "ConflictException": 409,
    "ThrottlingException": 429,
    "InternalServerException": 500,
}


class MacieError(JsonRESTError):
    error_code = "InternalServerException"

    def __init__(self, message: str) -> None:
        self.code = ERROR_STATUS[self.error_code]
        super().__init__(self.error_code, message)

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [("x-amzn-ErrorType", self.error_code), ("Content-Type", "application/json")]


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

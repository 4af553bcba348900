"""Typed clients for Macie, STS and EC2: one method per operation, with pacing and retries.

Every request a run makes goes through :meth:`Caller._send` (administrator and member side,
STS included), so every request is retried the same way:

* throttled answers (``ThrottlingException``, ``TooManyRequestsException`` -- what Macie has
  answered on real accounts -- and any HTTP 429), server errors (HTTP 5xx) and connection
  errors are retried, after a jittered exponential pause, up to the run's number of attempts
  (:attr:`macie_members.config.RunConfig.attempts`); every other error is final at once;
* each client has its own :class:`~macie_members.aws.pacing.Pacer` (one client per account and
  Region, so one pacer per account and Region, as the service throttles): a throttled answer
  slows that Region down instead of hammering it;
* a final error is raised as :class:`ApiError` (exit 254; its text is the AWS CLI's sentence and
  its ``error_message`` the service's own message) or :class:`ConnectionFailure` (exit 255);
  configuration problems (no credentials...) as :class:`~macie_members.errors.ConfigError`.

botocore itself makes one attempt per request (see :mod:`macie_members.aws.clients`).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from macie_members.aws.pacing import Pacer
from macie_members.domain import MUTATING
from macie_members.errors import (
    ConfigError,
    ConnectionFailure,
    InputError,
    MacieMembersError,
    ServiceError,
)
from macie_members.records import Ledger

if TYPE_CHECKING:
    from botocore.client import BaseClient
    from mypy_boto3_macie2.client import Macie2Client
    from mypy_boto3_macie2.type_defs import (
        CreateInvitationsResponseTypeDef,
        CreateMemberResponseTypeDef,
        DeclineInvitationsResponseTypeDef,
        DeleteInvitationsResponseTypeDef,
        GetAdministratorAccountResponseTypeDef,
        GetInvitationsCountResponseTypeDef,
        GetMacieSessionResponseTypeDef,
        GetMasterAccountResponseTypeDef,
        GetMemberResponseTypeDef,
        ListInvitationsResponseTypeDef,
        ListMembersResponseTypeDef,
    )
    from mypy_boto3_sts.client import STSClient
    from mypy_boto3_sts.type_defs import AssumeRoleResponseTypeDef, GetCallerIdentityResponseTypeDef

R = TypeVar("R")

THROTTLING_CODES = frozenset({
    "ThrottlingException", "TooManyRequestsException", "Throttling", "ThrottledException",
    "RequestThrottledException", "RequestLimitExceeded", "SlowDown",
})
TRANSIENT_CODES = frozenset({
    "InternalServerException", "InternalServerError", "InternalFailure", "ServiceUnavailable",
    "ServiceUnavailableException", "RequestTimeout", "RequestTimeoutException",
})


class ApiError(ServiceError):
    """The service answered with an error. ``str()`` is the AWS CLI's sentence; ``error_message``
    is the service's own message; ``retries`` how many retries were made before it."""

    def __init__(self, *, code: str, error_message: str, operation: str, region: str | None,
                 retries: int = 0, max_reached: bool = False, http_status: int | None = None) -> None:
        suffix = f" (reached max retries: {retries})" if max_reached else ""
        super().__init__(f"An error occurred ({code}) when calling the {operation} operation{suffix}: {error_message}")
        self.code = code
        self.error_message = error_message
        self.operation = operation
        self.region = region
        self.retries = retries
        self.http_status = http_status


class Abandoned(MacieMembersError):
    """The run is being interrupted: this request was not retried (its outcome is unknown)."""


def retry_kind(exc: BaseException) -> str | None:
    """``"throttled"``, ``"transient"`` or ``None`` (final) for an error of one attempt."""
    import botocore.exceptions as bex

    if isinstance(exc, bex.ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        if code in THROTTLING_CODES or status == 429:
            return "throttled"
        if code in TRANSIENT_CODES or status in (500, 502, 503, 504):
            return "transient"
        return None
    if isinstance(exc, bex.EndpointConnectionError | bex.ConnectTimeoutError | bex.ReadTimeoutError
                  | bex.ConnectionClosedError):
        return "transient"
    return None


def translate(exc: BaseException, *, region: str | None, operation: str = "",
              retries: int = 0, max_reached: bool = False) -> MacieMembersError:
    """A botocore exception as this package's error (and so its exit code)."""
    import botocore.exceptions as bex

    if isinstance(exc, bex.ClientError):
        error = exc.response.get("Error", {})
        message = str(error.get("Message") or "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        code = str(error.get("Code") or status or "Unknown")
        if not error.get("Message") and not error.get("Code"):
            message = str(exc).split(": ", 1)[-1]
        return ApiError(code=code, error_message=message, operation=exc.operation_name or operation,
                        region=region, retries=retries, max_reached=max_reached,
                        http_status=int(status) if status else None)
    if isinstance(exc, bex.ParamValidationError):
        return InputError(str(exc))
    if isinstance(exc, bex.NoCredentialsError):
        return ConfigError('Unable to locate credentials. You can configure credentials by running "aws configure".')
    if isinstance(exc, bex.NoRegionError):
        return ConfigError('You must specify a region. You can also configure your region by running "aws configure".')
    if isinstance(exc, bex.PartialCredentialsError | bex.ProfileNotFound | bex.InvalidRegionError
                  | bex.InvalidConfigError | bex.ConfigParseError | bex.CredentialRetrievalError):
        return ConfigError(str(exc))
    if isinstance(exc, bex.EndpointConnectionError | bex.ConnectTimeoutError | bex.ReadTimeoutError
                  | bex.ConnectionClosedError | bex.SSLError):
        return ConnectionFailure(str(exc))
    if isinstance(exc, bex.BotoCoreError):
        return MacieMembersError(str(exc))
    return MacieMembersError(f"{type(exc).__name__}: {exc}")


def backoff(retry: int) -> float:
    """Seconds before retry number ``retry`` (1, 2...): jittered, doubling, at most 5 s."""
    return random.uniform(0.5, 1.0) * min(5.0, 0.1 * float(2 ** (retry - 1)))


class Caller:
    """Sends one operation with pacing and retries; the base of the typed clients."""

    def __init__(self, client: BaseClient, *, region: str, attempts: int, ledger: Ledger | None = None,
                 pacer: Pacer | None = None, stop: threading.Event | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._raw = client
        self.region = region
        self.attempts = max(1, attempts)
        self.ledger = ledger or Ledger()
        self.pacer = pacer or Pacer()
        self.stop = stop or threading.Event()
        self._sleep = sleep

    def pause(self, retry: int) -> None:
        """The pause before retry number ``retry`` of this client's requests."""
        self._sleep(backoff(retry))

    def _send(self, operation: str, call: Callable[[], R]) -> R:
        import botocore.exceptions

        mutating = operation in MUTATING
        for attempt in range(1, self.attempts + 1):
            self.pacer.wait()
            if attempt == 1:  # counted once it goes out, not while the pacer holds it
                self.ledger.request_sent(mutating)
            try:
                response = call()
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
                kind = retry_kind(exc)
                if kind == "throttled":
                    self.pacer.throttled()
                if kind is None or attempt == self.attempts:
                    self.ledger.request_answered(mutating, refused=True)
                    raise translate(exc, region=self.region, operation=operation, retries=attempt - 1,
                                    max_reached=kind is not None and attempt > 1) from exc
                if self.stop.is_set():
                    self.ledger.request_abandoned(mutating)
                    raise Abandoned(f"{operation} was not retried: the run is being interrupted") from exc
                self.pause(attempt)
                continue
            self.pacer.succeeded()
            self.ledger.request_answered(mutating)
            if isinstance(response, dict):
                response.pop("ResponseMetadata", None)
            return response
        raise AssertionError("unreachable")  # pragma: no cover


class MacieClient(Caller):
    """Macie (macie2) in one Region, as one account (the administrator's, or a member's)."""

    @property
    def _macie(self) -> Macie2Client:
        return self._raw  # type: ignore[return-value]

    # ------------------------------------------------------------------ administrator side

    def create_member(self, **params: Any) -> CreateMemberResponseTypeDef:
        return self._send("CreateMember", lambda: self._macie.create_member(**params))

    def create_invitations(self, **params: Any) -> CreateInvitationsResponseTypeDef:
        return self._send("CreateInvitations", lambda: self._macie.create_invitations(**params))

    def update_member_session(self, **params: Any) -> dict[str, Any]:
        return self._send("UpdateMemberSession", lambda: self._macie.update_member_session(**params))

    def disassociate_member(self, **params: Any) -> dict[str, Any]:
        return self._send("DisassociateMember", lambda: self._macie.disassociate_member(**params))

    def delete_member(self, **params: Any) -> dict[str, Any]:
        return self._send("DeleteMember", lambda: self._macie.delete_member(**params))

    def get_member(self, **params: Any) -> GetMemberResponseTypeDef:
        return self._send("GetMember", lambda: self._macie.get_member(**params))

    def list_members(self, **params: Any) -> ListMembersResponseTypeDef:
        return self._send("ListMembers", lambda: self._macie.list_members(**params))

    # ------------------------------------------------------------------------ member side

    def get_macie_session(self) -> GetMacieSessionResponseTypeDef:
        return self._send("GetMacieSession", self._macie.get_macie_session)

    def enable_macie(self, **params: Any) -> dict[str, Any]:
        return self._send("EnableMacie", lambda: self._macie.enable_macie(**params))

    def list_invitations(self, **params: Any) -> ListInvitationsResponseTypeDef:
        return self._send("ListInvitations", lambda: self._macie.list_invitations(**params))

    def accept_invitation(self, **params: Any) -> dict[str, Any]:
        return self._send("AcceptInvitation", lambda: self._macie.accept_invitation(**params))

    def decline_invitations(self, **params: Any) -> DeclineInvitationsResponseTypeDef:
        return self._send("DeclineInvitations", lambda: self._macie.decline_invitations(**params))

    def delete_invitations(self, **params: Any) -> DeleteInvitationsResponseTypeDef:
        return self._send("DeleteInvitations", lambda: self._macie.delete_invitations(**params))

    def get_invitations_count(self) -> GetInvitationsCountResponseTypeDef:
        return self._send("GetInvitationsCount", self._macie.get_invitations_count)

    def get_administrator_account(self) -> GetAdministratorAccountResponseTypeDef:
        return self._send("GetAdministratorAccount", self._macie.get_administrator_account)

    def get_master_account(self) -> GetMasterAccountResponseTypeDef:
        return self._send("GetMasterAccount", self._macie.get_master_account)

    def disassociate_from_administrator_account(self) -> dict[str, Any]:
        return self._send("DisassociateFromAdministratorAccount",
                          self._macie.disassociate_from_administrator_account)

    def disassociate_from_master_account(self) -> dict[str, Any]:
        return self._send("DisassociateFromMasterAccount", self._macie.disassociate_from_master_account)

    # -------------------------------------------------------------------------- generic

    def call(self, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """The method of ``operation`` (``CreateMember``...) with ``params``: for the drop-in
        commands and the executor, which hold requests as data."""
        method = getattr(self, _method_name(operation), None)
        if method is None:
            raise AssertionError(f"no method for {operation}")  # pragma: no cover
        response: dict[str, Any] = method(**params)
        return response

    def paginate(self, operation: str, params: Mapping[str, Any], *, max_items: int | None = None,
                 page_size: int | None = None, starting_token: str | None = None) -> Any:
        """botocore's page iterator over ``operation``, each page sent through :meth:`call`."""
        from botocore.paginate import Paginator

        model = self._raw.meta.service_model.operation_model(operation)
        # The raw client's own paginator holds the pagination configuration of the operation.
        config = self._raw.get_paginator(_method_name(operation))._pagination_cfg  # type: ignore[attr-defined]
        paginator: Any = Paginator(lambda **kwargs: self.call(operation, kwargs), config, model)  # type: ignore[arg-type]
        pagination = {key: value for key, value in (("MaxItems", max_items), ("PageSize", page_size),
                                                    ("StartingToken", starting_token)) if value is not None}
        return paginator.paginate(**params, PaginationConfig=pagination)

    def read_all(self, operation: str, key: str, params: Mapping[str, Any] | None = None, *,
                 page_size: int | None = None) -> list[Any]:
        """Every item of a paginated list (``key`` of each page): the one pagination loop, botocore's
        (:meth:`paginate`), for every read that needs a whole list."""
        result = self.paginate(operation, params or {}, page_size=page_size).build_full_result()
        return list(result.get(key, []))


class StsClient(Caller):
    @property
    def _sts(self) -> STSClient:
        return self._raw  # type: ignore[return-value]

    def get_caller_identity(self) -> GetCallerIdentityResponseTypeDef:
        return self._send("GetCallerIdentity", self._sts.get_caller_identity)

    def assume_role(self, *, role_arn: str, session_name: str, external_id: str | None = None) -> AssumeRoleResponseTypeDef:
        def send() -> AssumeRoleResponseTypeDef:
            if external_id:
                return self._sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name, ExternalId=external_id)
            return self._sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name)

        return self._send("AssumeRole", send)


def validate_params(service_model: Any, operation: str, params: Mapping[str, Any]) -> None:
    """botocore's own parameter validation, before anything is sent."""
    import botocore.exceptions
    from botocore.validate import validate_parameters

    shape = service_model.operation_model(operation).input_shape
    if shape is None:
        return
    try:
        validate_parameters(dict(params), shape)
    except botocore.exceptions.ParamValidationError as exc:
        raise InputError(str(exc)) from None


def _method_name(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(operation))


class Ec2Client(Caller):
    """EC2, only to ask which Regions are enabled for the account (``--all-regions``)."""

    def describe_regions(self) -> dict[str, Any]:
        raw = self._raw
        response: dict[str, Any] = self._send("DescribeRegions", lambda: raw.describe_regions(AllRegions=True))  # type: ignore[attr-defined]
        return response

"""The client layer: AWS configuration, sessions and typed calls to Macie.

Everything that talks to AWS goes through here, and this is where botocore is imported
(lazily, inside functions), so that ``macie-members --help`` never loads it.

Configuration follows the AWS CLI's precedence, using botocore's own machinery: a command-line
option, then the environment (``AWS_PROFILE``, ``AWS_REGION``, ``AWS_DEFAULT_REGION``,
``AWS_ENDPOINT_URL_MACIE2``, ``AWS_ENDPOINT_URL``, ``AWS_RETRY_MODE``, ``AWS_MAX_ATTEMPTS``,
``AWS_CA_BUNDLE``), then the profile's configuration, then defaults. Two defaults differ from
botocore's and follow AWS CLI v2 instead: ``AWS_REGION`` is honoured (botocore 1.43 ignores it),
and the retry mode is ``standard`` unless the environment or the profile chooses another.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, InputError, MacieMembersError, ServiceError

if TYPE_CHECKING:
    import botocore.session
    from botocore.client import BaseClient


@dataclass(frozen=True)
class AwsSettings:
    """What the global options said; ``None`` means "not given, let the chain decide"."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    verify_ssl: bool = True
    ca_bundle: str | None = None
    read_timeout: int | None = None
    connect_timeout: int | None = None
    max_pool_connections: int = 10
    default_retry_mode: str = "standard"
    max_attempts: int | None = None  # None: AWS_MAX_ATTEMPTS, the profile, botocore's default
    user_agent_extra: str = "macie-members"


class ApiError(ServiceError):
    """The service answered with an error (a botocore ``ClientError``).

    ``str(error)`` is the AWS CLI's sentence: ``An error occurred (Code) when calling the Op
    operation: message``.
    """

    def __init__(self, message: str, *, code: str, operation: str, region: str | None) -> None:
        super().__init__(message)
        self.code = code
        self.operation = operation
        self.region = region
        self.error_message = message


class ConnectionFailure(MacieMembersError):
    """The endpoint could not be reached (exit 255, as the AWS CLI)."""


def _first_env(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


class Aws:
    """One botocore session per run and one client per (service, Region), shared by threads.

    botocore clients are thread-safe; sessions are not, so clients are created under a lock.
    """

    def __init__(self, settings: AwsSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._session: botocore.session.Session | None = None
        self._clients: dict[tuple[str, str | None, str | None], BaseClient] = {}

    @property
    def session(self) -> botocore.session.Session:
        if self._session is None:
            import botocore.exceptions
            import botocore.session

            try:
                session = botocore.session.Session(profile=self.settings.profile)
                session.user_agent_extra = self.settings.user_agent_extra
                session.get_scoped_config()  # fails now, not later, on an unknown profile
            except botocore.exceptions.ProfileNotFound as exc:
                raise ConfigError(str(exc)) from None
            session.register_component("data_loader", _data_loader(session.get_config_variable("data_path")))
            self._session = session
        return self._session

    def scoped_config(self) -> Mapping[str, Any]:
        config: Mapping[str, Any] = self.session.get_scoped_config()
        return config

    def default_region(self) -> str | None:
        """The Region a command uses when ``--region`` is not given."""
        if self.settings.region:
            return self.settings.region
        env = _first_env("AWS_REGION", "AWS_DEFAULT_REGION")
        if env:
            return env
        region = self.session.get_config_variable("region")
        return str(region) if region else None

    def require_region(self) -> str:
        region = self.default_region()
        if not region:
            raise ConfigError(
                'You must specify a region. You can also configure your region by running "aws configure".'
            )
        return region

    def client(self, service: str = "macie2", region: str | None = None, **credentials: str) -> BaseClient:
        region = region or self.require_region()
        key = (service, region, credentials.get("aws_access_key_id"))
        with self._lock:
            cached = self._clients.get(key)
            if cached is not None:
                return cached
            client = self._create_client(service, region, credentials)
            self._clients[key] = client
            return client

    def _create_client(self, service: str, region: str, credentials: dict[str, str]) -> BaseClient:
        import botocore.config
        import botocore.exceptions

        settings = self.settings
        retries: dict[str, Any] = {
            "mode": _first_env("AWS_RETRY_MODE")
            or self.scoped_config().get("retry_mode")
            or settings.default_retry_mode
        }
        if settings.max_attempts is not None and not _first_env("AWS_MAX_ATTEMPTS"):
            retries["total_max_attempts"] = settings.max_attempts
        config = botocore.config.Config(
            retries=retries,  # type: ignore[arg-type]
            read_timeout=_timeout(settings.read_timeout, 60),
            connect_timeout=_timeout(settings.connect_timeout, 60),
            max_pool_connections=settings.max_pool_connections,
        )
        verify: bool | str | None = None
        if not settings.verify_ssl:
            verify = False
        elif settings.ca_bundle:
            verify = settings.ca_bundle
        endpoint = settings.endpoint_url if service == "macie2" else None
        try:
            client = self.session.create_client(
                service,
                region_name=region,
                endpoint_url=endpoint,
                verify=verify,
                config=config,
                **credentials,  # type: ignore[arg-type]
            )
        except botocore.exceptions.InvalidRegionError as exc:
            raise ConfigError(str(exc)) from None
        except botocore.exceptions.ProfileNotFound as exc:
            raise ConfigError(str(exc)) from None
        except ValueError as exc:  # e.g. a malformed endpoint URL
            raise InputError(str(exc)) from None
        _register_secrets(client, credentials)
        return client



def _data_loader(data_path: str | None) -> Any:
    """botocore's data loader (as ``botocore.loaders.create_loader`` makes it), minus a scan
    that costs about 10 ms per client: to load a model without a given API version, botocore
    first lists every service it has data for (some 430 directories, and each one's API versions)
    only to check that the one asked for is among them. Finding the service's latest API version
    is that same check for one service; botocore's own method still runs (and raises its
    UnknownServiceError) for a service it has no data for, or with an explicit API version."""
    import botocore.loaders
    from botocore.exceptions import DataNotFoundError

    class Loader(botocore.loaders.Loader):
        @botocore.loaders.instance_cache
        def load_service_model(self, service_name: str, type_name: str, api_version: str | None = None) -> Any:
            find_extras = getattr(self, "_find_extras", None)
            extras_processor = getattr(self, "_extras_processor", None)
            if api_version is None and find_extras is not None and extras_processor is not None:
                try:
                    latest = self.determine_latest_version(service_name, type_name)
                except DataNotFoundError:
                    pass
                else:
                    model = self.load_data(os.path.join(service_name, latest, type_name))
                    extras_processor.process(model, find_extras(service_name, type_name, latest))
                    return model
            return super().load_service_model(service_name, type_name, api_version)

    if data_path is None:
        return Loader()
    paths = [os.path.expanduser(os.path.expandvars(path)) for path in data_path.split(os.pathsep)]
    return Loader(extra_search_paths=paths)


def _register_secrets(client: BaseClient, credentials: dict[str, str]) -> None:
    """Tell ``--debug`` logging which strings are secrets (it never prints them)."""
    from . import debuglog

    debuglog.register_secret(credentials.get("aws_secret_access_key"))
    debuglog.register_secret(credentials.get("aws_session_token"))
    try:
        signer = getattr(client, "_request_signer", None)
        creds = getattr(signer, "_credentials", None)
        frozen = creds.get_frozen_credentials() if creds is not None else None
    except Exception:  # credentials that can't be resolved fail later, with their own message
        return
    if frozen is not None:
        debuglog.register_secret(frozen.secret_key)
        debuglog.register_secret(frozen.token)


def _timeout(value: int | None, default: int) -> float | None:
    if value is None:
        return default
    return None if value == 0 else float(value)  # 0 means blocking, as in the AWS CLI


def translate(exc: BaseException, *, region: str | None = None) -> MacieMembersError:
    """Map a botocore exception to this package's errors (and so to an exit code)."""
    import botocore.exceptions as bex

    if isinstance(exc, bex.ClientError):
        error = exc.response.get("Error", {})
        return ApiError(
            str(exc),
            code=str(error.get("Code", "Unknown")),
            operation=exc.operation_name,
            region=region,
        )
    if isinstance(exc, bex.ParamValidationError):
        return InputError(str(exc))
    if isinstance(exc, bex.NoCredentialsError):
        return ConfigError(
            'Unable to locate credentials. You can configure credentials by running "aws configure".'
        )
    if isinstance(exc, bex.NoRegionError):
        return ConfigError(
            'You must specify a region. You can also configure your region by running "aws configure".'
        )
    if isinstance(exc, bex.PartialCredentialsError | bex.ProfileNotFound | bex.InvalidRegionError | bex.InvalidConfigError):
        return ConfigError(str(exc))
    if isinstance(exc, bex.EndpointConnectionError | bex.ConnectTimeoutError | bex.ReadTimeoutError | bex.ConnectionClosedError):
        return ConnectionFailure(str(exc))
    if isinstance(exc, bex.SSLError):
        return ConnectionFailure(str(exc))
    if isinstance(exc, bex.BotoCoreError):
        return MacieMembersError(str(exc))
    return MacieMembersError(f"{type(exc).__name__}: {exc}")


def call(client: BaseClient, method: str, /, **params: Any) -> dict[str, Any]:
    """Call ``client.method(**params)``; botocore errors become :class:`MacieMembersError`."""
    import botocore.exceptions

    try:
        response: dict[str, Any] = getattr(client, method)(**params)
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        raise translate(exc, region=client.meta.region_name) from exc
    response.pop("ResponseMetadata", None)
    return response


def _pagination_config(max_items: int | None, page_size: int | None, starting_token: str | None) -> dict[str, Any]:
    """botocore's PaginationConfig from the AWS CLI's --max-items, --page-size, --starting-token."""
    return {
        key: value
        for key, value in (("MaxItems", max_items), ("PageSize", page_size), ("StartingToken", starting_token))
        if value is not None
    }


def full_result(
    client: BaseClient,
    operation: str,
    params: Mapping[str, Any],
    *,
    max_items: int | None = None,
    page_size: int | None = None,
    starting_token: str | None = None,
) -> dict[str, Any]:
    """All pages merged, with ``NextToken`` when ``max_items`` truncated the result (as the
    AWS CLI's ``build_full_result``)."""
    import botocore.exceptions

    config = _pagination_config(max_items, page_size, starting_token)
    paginator = client.get_paginator(operation)
    try:
        result: dict[str, Any] = paginator.paginate(**params, PaginationConfig=config).build_full_result()
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        raise translate(exc, region=client.meta.region_name) from exc
    except ValueError as exc:
        raise InputError(str(exc)) from None
    result.pop("ResponseMetadata", None)
    return result


def text_pages(
    client: BaseClient,
    operation: str,
    params: Mapping[str, Any],
    *,
    max_items: int | None = None,
    page_size: int | None = None,
    starting_token: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """The pages of a paginated operation as the AWS CLI's text output sees them: the result
    keys of each page only, then the resume token when ``max_items`` truncated the result."""
    import botocore.exceptions

    config = _pagination_config(max_items, page_size, starting_token)
    iterator = client.get_paginator(operation).paginate(**params, PaginationConfig=config)
    pages: list[dict[str, Any]] = []
    try:
        for page in iterator:
            current: dict[str, Any] = {}
            for result_key in iterator.result_keys or []:
                current[result_key.expression] = result_key.search(page)
            pages.append(current)
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        raise translate(exc, region=client.meta.region_name) from exc
    except ValueError as exc:
        raise InputError(str(exc)) from None
    token = iterator.resume_token
    return pages, (str(token) if token else None)


def validate_params(client: BaseClient, operation: str, params: Mapping[str, Any]) -> None:
    """botocore's own parameter validation, before anything is sent."""
    import botocore.exceptions
    from botocore.validate import validate_parameters

    model = client.meta.service_model.operation_model(operation)
    if model.input_shape is None:
        return
    try:
        validate_parameters(dict(params), model.input_shape)
    except botocore.exceptions.ParamValidationError as exc:
        raise InputError(str(exc)) from None

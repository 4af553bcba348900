"""botocore clients, made from the run's configuration (botocore is imported only in functions).

One client per (service, Region, credentials), created under a lock and shared by the worker
threads (botocore clients are thread-safe; sessions are not). botocore makes exactly one
attempt per request: retries and pacing are the typed clients' (:mod:`macie_members.aws.client`),
so that every request of every mode is retried the same way.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from macie_members.aws import debuglog
from macie_members.errors import ConfigError, InputError

if TYPE_CHECKING:
    import botocore.session
    from botocore.client import BaseClient

    from macie_members.config import RunConfig


class ClientFactory:
    def __init__(self, config: RunConfig, session: botocore.session.Session) -> None:
        self.config = config
        self.session = session
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str, str | None], BaseClient] = {}

    def client(self, service: str, region: str, credentials: dict[str, str] | None = None) -> BaseClient:
        key = (service, region, (credentials or {}).get("aws_access_key_id"))
        with self._lock:
            cached = self._clients.get(key)
            if cached is None:
                cached = self._clients[key] = self._create(service, region, credentials or {})
            return cached

    def _create(self, service: str, region: str, credentials: dict[str, str]) -> BaseClient:
        import botocore.config
        import botocore.exceptions

        config = self.config
        unsigned: dict[str, Any] = {}
        if config.unsigned:  # --no-sign-request: no credentials are loaded, as AWS CLI v2 does
            from botocore import UNSIGNED

            unsigned["signature_version"] = UNSIGNED
        client_config = botocore.config.Config(
            retries={"mode": "standard", "total_max_attempts": 1},
            read_timeout=config.read_timeout,
            connect_timeout=config.connect_timeout,
            max_pool_connections=max(10, config.max_concurrency),
            **unsigned,
        )
        # --endpoint-url is macie2's only, as the AWS CLI's is its command's service; a sandbox
        # server driven by a `sandbox` command answers every service.
        endpoint = config.sandbox_server or (config.endpoint_url if service == "macie2" else None)
        try:
            client = self.session.create_client(
                service,
                region_name=region,
                endpoint_url=endpoint,
                verify=config.verify,
                config=client_config,
                aws_access_key_id=credentials.get("aws_access_key_id"),
                aws_secret_access_key=credentials.get("aws_secret_access_key"),
                aws_session_token=credentials.get("aws_session_token"),
            )
        except (botocore.exceptions.InvalidRegionError, botocore.exceptions.ProfileNotFound,
                botocore.exceptions.ConfigParseError, botocore.exceptions.NoRegionError) as exc:
            raise ConfigError(str(exc)) from None
        except ValueError as exc:  # e.g. a malformed endpoint URL
            raise InputError(str(exc)) from None
        except botocore.exceptions.BotoCoreError as exc:  # credentials that can't be had, ...
            from macie_members.aws.client import translate

            raise translate(exc, region=region) from None
        _register_secrets(client, credentials)
        return client


def _register_secrets(client: BaseClient, credentials: dict[str, str]) -> None:
    """Tell ``--debug`` logging which strings are secrets (it never prints them)."""
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

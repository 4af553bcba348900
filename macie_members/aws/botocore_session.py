"""The run's botocore session: opened once, with the profile's configuration, the sandbox
installed first when the run uses it, and botocore's data loader minus a costly scan; and the
Region catalog read from botocore's endpoint data (no service model loaded).

botocore (and moto, for the sandbox) are imported inside the functions: ``--help`` loads none.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from macie_members.domain import RegionCatalog
from macie_members.errors import ConfigError, ServiceError

if TYPE_CHECKING:
    import botocore.session

MACIE_ENDPOINT_PREFIX = "macie2"  # the service model's endpointPrefix


def open_session(profile: str | None, *, sandbox: bool) -> tuple[botocore.session.Session, Mapping[str, Any]]:
    """The botocore session of the run, and the profile's configuration (errors: exit 253)."""
    if sandbox:
        # moto hooks botocore when it is imported: before the session is created.
        from macie_members.sandbox import install

        install()
    import botocore.exceptions
    import botocore.session

    try:
        session = botocore.session.Session(profile=profile)
        session.user_agent_extra = "macie-members"
        if sandbox:
            # The in-process sandbox answers on AWS's own endpoints only.
            session.set_config_variable("ignore_configured_endpoint_urls", True)
        scoped: Mapping[str, Any] = session.get_scoped_config()
        _empty_environment_is_unset(session)
        _cache_credentials_as_the_aws_cli(session)
        session.register_component("data_loader", data_loader(session.get_config_variable("data_path")))
        _parse_timestamps_as_the_aws_cli(session, scoped.get("cli_timestamp_format"))
    except botocore.exceptions.ConfigParseError as exc:
        raise ConfigError(f"{exc} (check its syntax: [profile NAME] sections of key = value lines).") from None
    except botocore.exceptions.BotoCoreError as exc:  # ProfileNotFound, ...
        raise ConfigError(str(exc)) from None
    if sandbox:
        from macie_members.sandbox import share_botocore_data

        share_botocore_data(session)  # botocore's data parsed once in the process, not per session
    return session, scoped


# Retry settings that botocore's own clients (the STS client of a role_arn profile's credential
# provider, SSO's...) read from the environment too: an empty value there means unset for them as
# for the run's clients (config.py), not a ValueError traceback when the credentials are fetched.
_RETRY_ENVIRONMENT = {"max_attempts": "AWS_MAX_ATTEMPTS", "retry_mode": "AWS_RETRY_MODE"}


def _empty_environment_is_unset(session: botocore.session.Session) -> None:
    from botocore.configprovider import (
        BOTOCORE_DEFAUT_SESSION_VARIABLES,
        ChainProvider,
        ConstantProvider,
        InstanceVarProvider,
        ScopedConfigProvider,
    )

    store = session.get_component("config_store")
    for name, variable in _RETRY_ENVIRONMENT.items():
        if os.environ.get(variable) != "":
            continue
        config_name, _variable, default, convert = BOTOCORE_DEFAUT_SESSION_VARIABLES[name]
        providers: list[Any] = [InstanceVarProvider(name, session), ScopedConfigProvider(config_name, session)]
        if default is not None:
            providers.append(ConstantProvider(default))
        store.set_config_provider(name, ChainProvider(providers, conversion_func=convert))


# The providers whose temporary credentials the AWS CLI keeps in its cache (awscli's
# customizations/assumerole.py; SSO's: botocore's SSOProvider takes the same cache).
CACHED_PROVIDERS = ("assume-role", "assume-role-with-web-identity", "sso")


def _cache_credentials_as_the_aws_cli(session: botocore.session.Session) -> None:
    """The credentials of a ``role_arn`` (web identity, SSO) profile cached where the AWS CLI
    keeps them, ``~/.aws/cli/cache``: a profile with ``mfa_serial`` asks for the MFA code once
    until they expire, shared with the AWS CLI (the files are botocore's, readable by their
    owner only; nothing here prints them)."""
    from botocore.utils import JSONFileCache

    cache = JSONFileCache(os.path.join(os.path.expanduser("~"), ".aws", "cli", "cache"))
    resolver = session.get_component("credential_provider")
    for name in CACHED_PROVIDERS:
        provider = resolver.get_provider(name)
        if provider is not None:
            provider.cache = cache


class ProfileUnusable(ServiceError):
    """A member account's profile gives no credentials (that account's failure, not the run's)."""

    code = "ProfileUnusable"


def profile_credentials(profile: str) -> dict[str, str]:
    """The credentials of an AWS CLI profile (a member account's own, e.g. an IAM Identity Center
    profile), resolved as the AWS CLI does, with its cache, in AssumeRole's shape."""
    import botocore.exceptions
    import botocore.session

    try:
        session = botocore.session.Session(profile=profile)
        _empty_environment_is_unset(session)
        _cache_credentials_as_the_aws_cli(session)
        credentials = session.get_credentials()
        frozen = credentials.get_frozen_credentials() if credentials is not None else None
    except botocore.exceptions.BotoCoreError as exc:  # ProfileNotFound, an expired SSO token...
        raise ProfileUnusable(f"profile {profile}: {exc}") from None
    if frozen is None:
        raise ProfileUnusable(f"profile {profile}: no credentials")
    return {"AccessKeyId": str(frozen.access_key), "SecretAccessKey": str(frozen.secret_key),
            "SessionToken": frozen.token or ""}


TIMESTAMP_FORMATS = ("iso8601", "wire", "none")  # "none": v1's old name of "wire"


def _parse_timestamps_as_the_aws_cli(session: botocore.session.Session, configured: Any) -> None:
    """Timestamps in answers become what the AWS CLI makes of them: strings, in the profile's
    ``cli_timestamp_format`` (``iso8601``, the v2 default and ours: parsed, then written back in
    ISO 8601; ``wire``: as the service sent them). So ``--query`` runs over the same strings as
    the AWS CLI's (``sort_by(members, &updatedAt)``, ``starts_with(invitedAt, '2026')``), in every
    mode, and every output prints them the same way. (awscli/customizations/scalarparse.py sets
    the same parser; v1's default is ``wire``, v2's ``iso8601``.)"""
    from botocore.utils import parse_timestamp

    value = str(configured or "iso8601")
    if value not in TIMESTAMP_FORMATS:
        raise ConfigError(f"Unknown cli_timestamp_format value: {value}, valid values are \"wire\" or \"iso8601\"")

    def iso_format(text: str) -> str:
        return parse_timestamp(text).isoformat()

    def wire(text: str) -> str:
        return text

    factory = session.get_component("response_parser_factory")
    factory.set_parser_defaults(timestamp_parser=wire if value in ("wire", "none") else iso_format)


def region_catalog(session: botocore.session.Session, *, available: bool = False) -> RegionCatalog:
    """The Regions where Macie is offered, and every Region botocore knows, in every partition;
    with ``available``, also the aws partition's Macie Regions (``--all-regions``).

    Read straight from botocore's endpoint data (what ``get_available_regions`` reads: a
    partition's Regions, and the service's endpoints among them), without loading any service
    model: ``get_available_regions`` loads the model of the service to find its endpoint
    prefix, and EC2's (for every known Region) took most of a one-Region command's startup."""
    offered: set[str] = set()
    known: set[str] = set()
    for partition in session.get_data("endpoints")["partitions"]:
        regions = set(partition.get("regions", {}))
        known |= regions
        endpoints = partition.get("services", {}).get(MACIE_ENDPOINT_PREFIX, {}).get("endpoints", {})
        offered |= {name for name in endpoints if name in regions}
    listed = tuple(sorted(session.get_available_regions("macie2"))) if available else ()
    return RegionCatalog(tuple(sorted(offered)), frozenset(known | offered), listed)


def data_loader(data_path: str | None) -> Any:
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

"""macie_members.config, pure: the run's configuration resolved once from the command line, the
environment, the profile's values and the Region catalog (:func:`~macie_members.config.resolve`,
which checks the options first), then frozen; and the helpers ``parse_regions`` and
``region_problem``. No botocore here: the catalog and the profile are plain data, as
:func:`macie_members.run.session.open_config` hands them over."""

from __future__ import annotations

from typing import Any

import pytest

from macie_members.config import GlobalSettings, RunOptions, Terminal, resolve
from macie_members.domain import RegionCatalog, parse_regions, region_problem
from macie_members.errors import ConfigError, InputError

# The aws partition's Macie Regions (botocore's endpoint data, 2026), and a few Regions of other
# partitions where Macie is not offered.
OFFERED = (
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
    "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1", "eu-south-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-south-1", "sa-east-1", "us-east-1",
    "us-east-2", "us-west-1", "us-west-2",
)
CATALOG = RegionCatalog(offered=OFFERED, known=frozenset({*OFFERED, "cn-north-1", "us-gov-west-1", "mx-central-1"}),
                        available=OFFERED)


# ---------------------------------------------------------------------- configuration


def config(env: dict[str, str] | None = None, terminal: Terminal | None = None, **settings: Any) -> Any:
    """The configuration ``resolve`` makes, with no profile values (an empty AWS config file)."""
    options = settings.pop("options", RunOptions())
    base = {"AWS_DEFAULT_REGION": "us-east-1", **(env or {})}
    return resolve(GlobalSettings(**settings), options, profile={}, catalog=CATALOG, environ=base,
                   terminal=terminal or Terminal())


@pytest.mark.parametrize(("env", "bulk", "attempts"), [
    ({}, False, 3), ({}, True, 8), ({"AWS_RETRY_MODE": "legacy"}, False, 5),
    ({"AWS_MAX_ATTEMPTS": "2"}, True, 2), ({"AWS_MAX_ATTEMPTS": "1"}, False, 1),
])
def test_attempts(env: dict[str, str], bulk: bool, attempts: int) -> None:
    assert config(env, options=RunOptions(bulk=bulk)).attempts == attempts


@pytest.mark.parametrize(("color", "no_color", "tty", "expected"), [
    ("auto", None, True, True), ("auto", None, False, False), ("auto", "1", True, False),
    ("auto", "", True, True),  # NO_COLOR only counts when it is not empty
    ("on", "1", False, True), ("off", None, True, False),
    ("auto", "dumb-terminal", True, False),  # TERM=dumb
])
def test_colour_has_one_precedence(color: str, no_color: str | None, tty: bool, expected: bool) -> None:
    env = {"TERM": "dumb"} if no_color == "dumb-terminal" else {} if no_color is None else {"NO_COLOR": no_color}
    assert config(env, Terminal(stdout_tty=tty), color=color).color is expected


def test_configuration_is_frozen() -> None:
    resolved = config()
    with pytest.raises(AttributeError):
        resolved.output = "text"


@pytest.mark.parametrize(("options", "message"), [
    (RunOptions(regions=("us-east-1",), all_regions=True), "either --regions or --all-regions"),
    (RunOptions(report="r.jsonl"), "produces no result records"),
    (RunOptions(report="r.jsonl", records=True, dry_run=True), "--dry-run"),
    (RunOptions(regions=("us_east_1",)), "not a Region name"),
])
def test_options_refused(options: RunOptions, message: str) -> None:
    with pytest.raises(InputError, match=message):
        config(options=options)


def test_unknown_output_type_from_the_environment() -> None:
    with pytest.raises(ConfigError, match="Unknown output type: xml"):
        config({"AWS_DEFAULT_OUTPUT": "xml"})


def test_concurrency_default_is_16_per_region_at_most_64() -> None:
    assert config(options=RunOptions(regions=("us-east-1", "eu-west-1"))).max_concurrency == 32
    assert config(options=RunOptions(all_regions=True)).max_concurrency == 64
    assert config(options=RunOptions(max_concurrency=3)).max_concurrency == 3


# ------------------------------------------------------------------------- parse_regions


@pytest.mark.parametrize(("values", "regions"), [
    ((), []),
    (("us-east-1",), ["us-east-1"]),
    (("us-east-1,eu-west-1",), ["us-east-1", "eu-west-1"]),
    (("us-east-1", "eu-west-1,ap-south-1"), ["us-east-1", "eu-west-1", "ap-south-1"]),  # repeatable
    ((" us-east-1 , eu-west-1 ",), ["us-east-1", "eu-west-1"]),
    (("eu-west-1,us-east-1,eu-west-1", "us-east-1"), ["eu-west-1", "us-east-1"]),  # first mention's order
    (("us-east-1,,",), ["us-east-1"]),
    (("us-gov-west-1", "cn-north-1"), ["us-gov-west-1", "cn-north-1"]),  # a name: whether Macie is there is later
])
def test_parse_regions(values: tuple[str, ...], regions: list[str]) -> None:
    assert parse_regions(values) == regions


@pytest.mark.parametrize("value", [",", " , ", ",,", ""])
def test_a_regions_list_without_a_region_is_refused(value: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_regions((value,))
    assert str(caught.value) == "Invalid value for --regions: no Region given (a comma list, like us-east-1,eu-west-1)."


@pytest.mark.parametrize("value", ["us_east_1", "US-EAST-1", "useast1", "us-east", "us-east-1a", "x"])
def test_a_name_that_is_no_region_name_is_refused(value: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_regions(("eu-west-1", f"us-east-1,{value}"))
    assert str(caught.value) == f"Invalid value for --regions: {value!r} is not a Region name (like us-east-1)."


# ------------------------------------------------------------------------ region_problem


def test_a_region_where_macie_is_offered_has_no_problem() -> None:
    assert region_problem("eu-west-1", CATALOG.offered, CATALOG.known) is None


def test_a_known_region_without_macie() -> None:
    assert region_problem("cn-north-1", CATALOG.offered, CATALOG.known) == (
        "Macie is not offered in cn-north-1 (botocore's endpoint data)")


@pytest.mark.parametrize(("region", "close"), [("eu-wset-1", "eu-west-1"), ("us-east1", "us-east-1"),
                                                ("ap-southeast-22", "ap-southeast-2")])
def test_an_unknown_name_close_to_a_region_is_taken_for_a_typo(region: str, close: str) -> None:
    assert region_problem(region, CATALOG.offered, CATALOG.known) == f"{region!r} is not a Region: did you mean {close}?"


def test_an_unknown_name_far_from_every_region_gets_no_suggestion() -> None:
    assert region_problem("xx-nowhere-9", CATALOG.offered, CATALOG.known) == "'xx-nowhere-9' is not a Region."


def test_a_typo_is_only_matched_against_regions_where_macie_is_offered() -> None:
    assert region_problem("cn-north-2", ("us-east-1",), frozenset({"us-east-1", "cn-north-1"})) == (
        "'cn-north-2' is not a Region.")


def test_the_configured_region_is_checked_too() -> None:
    with pytest.raises(ConfigError, match="did you mean eu-west-1"):
        config({"AWS_DEFAULT_REGION": "eu-wset-1"})
    with pytest.raises(InputError, match=r"Invalid value for --region: .*did you mean eu-west-1"):
        config(region="eu-wset-1")
    with pytest.raises(InputError, match="Macie is not offered in cn-north-1"):
        config(options=RunOptions(regions=("us-east-1,cn-north-1",)))


# ------------------------------------------------------------- an explicit endpoint URL


@pytest.mark.parametrize("endpoint", [{"endpoint_url": "http://127.0.0.1:5000"},
                                      {"env": {"AWS_ENDPOINT_URL_MACIE2": "http://127.0.0.1:5000"}},
                                      {"env": {"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}}])
def test_an_explicit_endpoint_takes_a_region_botocore_does_not_list(endpoint: dict[str, Any]) -> None:
    env = endpoint.get("env", {})
    settings = {k: v for k, v in endpoint.items() if k != "env"}
    assert config(env, region="ap-southeast-9", **settings).regions == ("ap-southeast-9",)
    assert config(env, options=RunOptions(regions=("ap-southeast-9,eu-west-1",)), **settings).regions == (
        "ap-southeast-9", "eu-west-1")
    with pytest.raises(InputError, match="'nowhere' is not a Region name"):
        config(env, region="nowhere", **settings)


def test_an_endpoint_in_the_profile_counts_too() -> None:
    resolved = resolve(GlobalSettings(region="ap-southeast-9"), RunOptions(),
                       profile={"endpoint_url": "http://127.0.0.1:5000"}, catalog=CATALOG, environ={},
                       terminal=Terminal())
    assert resolved.regions == ("ap-southeast-9",)


def test_without_an_endpoint_a_region_botocore_does_not_list_is_refused() -> None:
    with pytest.raises(InputError, match="did you mean ap-southeast-2"):
        config(region="ap-southeast-9")

"""EC2 ``DescribeRegions`` as the sandbox server answers it: which Regions an account has enabled.

The tool asks it to tell a Region an account has not enabled from bad credentials (both answer
UnrecognizedClientException, see ``models.REGION_DISABLED_ERROR``). moto's own answer lists a
fixed set of Regions as opt-in for every account, and gets some wrong (af-south-1,
ap-southeast-3 and eu-south-1 are opt-in on AWS): the server answers this one action itself,
per account, and hands every other EC2 request to moto.

* A Region of :data:`OPT_IN_REGIONS` is ``opted-in`` for every account (the sandbox's choice: a
  sandbox account has every Region enabled), or ``not-opted-in`` where ``sandbox condition
  --region-disabled`` disabled it for the account;
* any other Region is ``opt-in-not-required`` (enabled for every account, whatever the
  condition: AWS can't disable those).

``AllRegions=true`` lists every Region of the aws partition that botocore knows for EC2,
otherwise only the enabled ones; ``RegionNames`` filters, as EC2 does.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

# The Regions an AWS account must enable before using them: those launched after 20 March 2019
# (AWS Account Management guide, "Enable or disable AWS Regions in your account"), as of botocore's
# EC2 Regions today. Macie is offered in af-south-1, ap-east-1, eu-south-1, il-central-1 and me-south-1.
OPT_IN_REGIONS = frozenset({
    "af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
    "ap-southeast-6", "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1",
    "me-central-1", "me-south-1", "mx-central-1",
})

NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/"


def is_describe_regions(body: bytes) -> bool:
    return urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action") == ["DescribeRegions"]


def opt_in_status(account_id: str, region: str) -> str:
    if region not in OPT_IN_REGIONS:
        return "opt-in-not-required"
    from macie_members.sandbox.models import sandbox_backends

    # dict.get: looking does not create the account's backends (BackendDict's [] would).
    regions: Any = dict.get(sandbox_backends, account_id)
    backend = dict.get(regions, region) if regions is not None else None
    return "not-opted-in" if getattr(backend, "region_disabled", False) else "opted-in"


def describe_regions(account_id: str, body: bytes) -> bytes:
    """The XML answer of a DescribeRegions request (its form-encoded ``body``) for ``account_id``."""
    from macie_members.sandbox.botocore_data import botocore_session

    query = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    every = query.get("AllRegions", ["false"])[0].lower() == "true"
    wanted: Sequence[str] = [v for k, values in query.items() if k.startswith("RegionName.") for v in values]
    items = []
    for region in sorted(botocore_session().get_available_regions("ec2")):
        status = opt_in_status(account_id, region)
        if (wanted and region not in wanted) or (not every and status == "not-opted-in"):
            continue
        items.append(f"<item><regionName>{escape(region)}</regionName>"
                     f"<regionEndpoint>ec2.{escape(region)}.amazonaws.com</regionEndpoint>"
                     f"<optInStatus>{status}</optInStatus></item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<DescribeRegionsResponse xmlns="{NAMESPACE}">'
            f"<requestId>sandbox</requestId><regionInfo>{''.join(items)}</regionInfo>"
            "</DescribeRegionsResponse>").encode()

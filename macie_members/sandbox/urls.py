"""URL routes of the sandbox's macie2 service: every path goes to one handler, which resolves
the operation from botocore's model and answers a modeled error when none matches."""

from __future__ import annotations

from macie_members.sandbox.responses import SandboxMacieResponse

url_bases = [
    r"https?://macie2\.(.+)\.amazonaws\.com",
]

url_paths = {
    "{0}/.*$": SandboxMacieResponse.dispatch,
}

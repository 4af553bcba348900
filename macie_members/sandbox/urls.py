"""URL routes of the sandbox's macie2 service (moto's routes plus the ones moto lacks)."""

from __future__ import annotations

from .responses import SandboxMacieResponse

url_bases = [
    r"https?://macie2\.(.+)\.amazonaws\.com",
]

_dispatch = SandboxMacieResponse.dispatch

url_paths = {
    "{0}/invitations$": _dispatch,
    "{0}/invitations/decline$": _dispatch,
    "{0}/invitations/accept$": _dispatch,
    "{0}/invitations/delete$": _dispatch,
    "{0}/members$": _dispatch,
    "{0}/members/(?P<id>[^/]+)$": _dispatch,
    "{0}/members/disassociate/(?P<id>[^/]+)$": _dispatch,
    "{0}/macie/members/(?P<id>[^/]+)$": _dispatch,
    "{0}/administrator$": _dispatch,
    "{0}/administrator/disassociate$": _dispatch,
    "{0}/master$": _dispatch,
    "{0}/master/disassociate$": _dispatch,
    "{0}/macie$": _dispatch,
    "{0}/session$": _dispatch,
    "{0}/admin$": _dispatch,
}

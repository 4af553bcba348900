"""Client-side checks of what the service would reject anyway.

The AWS CLI (through botocore) checks types, required members and minimums, but lets these
through to the service; macie-members refuses them before sending anything, in the style of
botocore's own report (``Parameter validation failed:`` then one line per problem), exit 252:

* account ids (``account.accountId``, ``id``, ``accountIds[]``) are 12 digits;
* an email has one ``@`` and a dot in its domain;
* at most 50 tags, keys of at most 128 characters, values of at most 256;
* an invitation message of at most 80 characters;
* ``status`` is PAUSED or ENABLED;
* ``onlyAssociated`` is ``true`` or ``false``;
* ``--page-size`` / ``maxResults`` between 1 and 25.

Each check looks only at values of the right type: wrong types are botocore's to report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .errors import InputError

ACCOUNT_ID_RE = re.compile(r"\d{12}")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_TAGS = 50
MAX_TAG_KEY = 128
MAX_TAG_VALUE = 256
MAX_MESSAGE = 80
MAX_PAGE_SIZE = 25
STATUSES = ("PAUSED", "ENABLED")
ONLY_ASSOCIATED = ("true", "false")


class ParameterCheckError(InputError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Parameter validation failed:\n" + "\n".join(problems))


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise ParameterCheckError(problems)


def account_id_problem(name: str, value: Any) -> str | None:
    if isinstance(value, str) and not ACCOUNT_ID_RE.fullmatch(value):
        return f"Invalid value for parameter {name}, value: {value}, valid pattern: 12 digits (an AWS account id)"
    return None


def check_create_member(params: Mapping[str, Any]) -> None:
    problems: list[str] = []
    account = params.get("account")
    if isinstance(account, Mapping):
        problem = account_id_problem("account.accountId", account.get("accountId"))
        if problem:
            problems.append(problem)
        email = account.get("email")
        if isinstance(email, str) and not EMAIL_RE.fullmatch(email):
            problems.append(
                f"Invalid value for parameter account.email, value: {email}, valid pattern: an email address"
            )
    tags = params.get("tags")
    if isinstance(tags, Mapping):
        if len(tags) > MAX_TAGS:
            problems.append(f"Invalid length for parameter tags, value: {len(tags)}, valid max length: {MAX_TAGS}")
        for key, value in tags.items():
            if isinstance(key, str) and len(key) > MAX_TAG_KEY:
                problems.append(f"Invalid length for parameter tags key {key[:20]}..., value: {len(key)}, valid max length: {MAX_TAG_KEY}")
            if isinstance(value, str) and len(value) > MAX_TAG_VALUE:
                problems.append(f"Invalid length for parameter tags.{key}, value: {len(value)}, valid max length: {MAX_TAG_VALUE}")
    _raise_if(problems)


def check_create_invitations(params: Mapping[str, Any]) -> None:
    problems: list[str] = []
    ids = params.get("accountIds")
    if isinstance(ids, list):
        for index, value in enumerate(ids):
            problem = account_id_problem(f"accountIds[{index}]", value)
            if problem:
                problems.append(problem)
    message = params.get("message")
    if isinstance(message, str) and len(message) > MAX_MESSAGE:
        problems.append(f"Invalid length for parameter message, value: {len(message)}, valid max length: {MAX_MESSAGE}")
    _raise_if(problems)


def check_member_id(params: Mapping[str, Any]) -> None:
    problem = account_id_problem("id", params.get("id"))
    _raise_if([problem] if problem else [])


def check_update_member_session(params: Mapping[str, Any]) -> None:
    problems: list[str] = []
    problem = account_id_problem("id", params.get("id"))
    if problem:
        problems.append(problem)
    status = params.get("status")
    if isinstance(status, str) and status not in STATUSES:
        problems.append(f"Invalid value for parameter status, value: {status}, valid choices: {', '.join(STATUSES)}")
    _raise_if(problems)


def check_list_members(params: Mapping[str, Any], *, page_size: int | None = None) -> None:
    problems: list[str] = []
    only = params.get("onlyAssociated")
    if isinstance(only, str) and only not in ONLY_ASSOCIATED:
        problems.append(f"Invalid value for parameter onlyAssociated, value: {only}, valid choices: true, false")
    for name, value in (("maxResults", params.get("maxResults")), ("maxResults", page_size)):
        if isinstance(value, int) and not 1 <= value <= MAX_PAGE_SIZE:
            problems.append(f"Invalid value for parameter {name}, value: {value}, valid range: 1-{MAX_PAGE_SIZE}")
    _raise_if(problems)

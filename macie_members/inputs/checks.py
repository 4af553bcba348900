"""Client-side checks of what the service would reject anyway, with the domain's rules.

The AWS CLI (through botocore) checks types, required members and minimums, but lets these
through to the service; macie-members refuses them before sending anything, in the style of
botocore's own report (``Parameter validation failed:`` then one line per problem), exit 252.
The rules are :mod:`macie_members.domain`'s, the same the CSV reader applies:

* account ids (``account.accountId``, ``id``, ``accountIds[]``) are 12 ASCII digits;
* emails are addresses like ``janedoe@example.com`` (at most 254 characters);
* at most 50 tags, keys of 1 to 128 characters not starting with ``aws:``, values of at most 256;
* an invitation message of at most 80 characters;
* ``status`` is PAUSED or ENABLED; ``onlyAssociated`` is ``true`` or ``false``;
* ``--page-size`` / ``maxResults`` between 1 and 25;
* no value holds bytes that were not UTF-8 (a mistyped argument).

Each check looks only at values of the right type: wrong types are botocore's to report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from macie_members import domain
from macie_members.errors import InputError

MAX_PAGE_SIZE = 25
STATUSES = ("PAUSED", "ENABLED")
ONLY_ASSOCIATED = ("true", "false")


class ParameterCheckError(InputError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Parameter validation failed:\n" + "\n".join(domain.capped(problems)))


def raise_if(problems: list[str]) -> None:
    if problems:
        raise ParameterCheckError(problems)


def account_id_problem(name: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    why = domain.account_id_problem(value)
    return None if why is None else f"Invalid value for parameter {name}, value: {_shown(value)}, {why}"


def email_problem(name: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    why = domain.email_problem(value)
    return None if why is None else f"Invalid value for parameter {name}, value: {_shown(value)}, {why}"


def _shown(value: str) -> str:
    """The value on one line: a control character (a file's final newline...) as its escape."""
    return domain.clip("".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in value))


def text_problems(value: Any, name: str = "") -> list[str]:
    """Values anywhere in ``value`` that hold bytes that were not UTF-8."""
    if isinstance(value, str):
        if domain.undecodable(value):
            shown = value.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
            return [f"Invalid value for parameter {name or 'input'}, value: {domain.clip(shown)}, "
                    "it holds bytes that are not UTF-8 text"]
        return []
    if isinstance(value, Mapping):
        return [p for k, v in value.items() for p in text_problems(k, name) + text_problems(v, f"{name}.{k}".lstrip("."))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in text_problems(v, f"{name}[{i}]")]
    return []


def check_account_ids(ids: Any, name: str = "accountIds") -> list[str]:
    """Each id is an account id, and there is at least one (an empty list is sent by the AWS CLI,
    and answered with nothing done)."""
    if not isinstance(ids, list):
        return []
    if not ids:
        return [f"Invalid length for parameter {name}, value: 0, valid min length: 1"]
    return [p for i, value in enumerate(ids) if (p := account_id_problem(f"{name}[{i}]", value))]


def check_create_member(params: Mapping[str, Any]) -> None:
    problems = text_problems(dict(params))
    account = params.get("account")
    if isinstance(account, Mapping):
        problems += [p for p in (account_id_problem("account.accountId", account.get("accountId")),
                                 email_problem("account.email", account.get("email"))) if p]
    tags = params.get("tags")
    if isinstance(tags, Mapping):
        problems += domain.tag_problems(tags)
    raise_if(problems)


def check_text(params: Mapping[str, Any]) -> None:
    """Only the text rule (no undecodable bytes): for requests without ids to check."""
    raise_if(text_problems(dict(params)))


def check_account_id_list(params: Mapping[str, Any]) -> None:
    """``accountIds`` (create-invitations, decline-invitations, delete-invitations)."""
    raise_if(text_problems(dict(params)) + check_account_ids(params.get("accountIds")))


def check_accept_invitation(params: Mapping[str, Any]) -> None:
    problems = text_problems(dict(params))
    problems += [p for name in ("administratorAccountId", "masterAccount")
                 if name in params and (p := account_id_problem(name, params[name]))]
    raise_if(problems)


def check_create_invitations(params: Mapping[str, Any]) -> None:
    problems = text_problems(dict(params)) + check_account_ids(params.get("accountIds"))
    message = params.get("message")
    if isinstance(message, str) and (problem := domain.message_problem(message)):
        problems.append(problem)
    raise_if(problems)


def check_member_id(params: Mapping[str, Any]) -> None:
    problems = text_problems(dict(params))
    problem = account_id_problem("id", params.get("id"))
    raise_if(problems + ([problem] if problem else []))


def check_update_member_session(params: Mapping[str, Any]) -> None:
    problems = text_problems(dict(params))
    problem = account_id_problem("id", params.get("id"))
    if problem:
        problems.append(problem)
    status = params.get("status")
    if isinstance(status, str) and status not in STATUSES:
        problems.append(f"Invalid value for parameter status, value: {domain.clip(status)}, valid choices: {', '.join(STATUSES)}")
    raise_if(problems)


def check_list_members(params: Mapping[str, Any], *, page_size: int | None = None) -> None:
    """list-members and list-invitations (which has no ``onlyAssociated``)."""
    problems = text_problems(dict(params))
    only = params.get("onlyAssociated")
    if isinstance(only, str) and only not in ONLY_ASSOCIATED:
        problems.append(f"Invalid value for parameter onlyAssociated, value: {domain.clip(only)}, valid choices: true, false")
    for value in (params.get("maxResults"), page_size):
        if isinstance(value, int) and not 1 <= value <= MAX_PAGE_SIZE:
            problems.append(f"Invalid value for parameter maxResults, value: {value}, valid range: 1-{MAX_PAGE_SIZE}")
    raise_if(problems)

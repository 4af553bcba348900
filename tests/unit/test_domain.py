"""macie_members.domain: Macie's member rules (account ids, emails, tags, messages, role names,
the quota's statuses)."""

from __future__ import annotations

import pytest

from macie_members import domain

# -------------------------------------------------------------------------------- domain


@pytest.mark.parametrize("value", ["111111111111", "000000000042"])
def test_account_ids(value: str) -> None:
    assert domain.is_account_id(value) and domain.account_id_problem(value) is None


@pytest.mark.parametrize(("value", "why"), [
    ("11111111111", "has 11 digits"),
    ("1111111111111", "has 13 digits"),
    ("", "is empty"),
    ("١٢٣٤٥٦٧٨٩٠١٢", "ARABIC-INDIC DIGIT ONE"),  # \d would match these: the rule is [0-9]
    ("\uff11" * 12, "FULLWIDTH DIGIT ONE"),
    ("11111111111a", "'a'"),
])
def test_not_account_ids(value: str, why: str) -> None:
    assert not domain.is_account_id(value)
    problem = domain.account_id_problem(value)
    assert problem is not None and why in problem


@pytest.mark.parametrize("email", ["jane@example.com", "o'neil+macie@sub.example.co.uk", "é@exämple.de",
                                   f"{'a' * 64}@example.com"])
def test_valid_emails(email: str) -> None:
    assert domain.email_problem(email) is None


@pytest.mark.parametrize(("email", "why"), [
    ("jane doe@example.com", "contains a space"),
    ("a<b>@example.com", "'<', '>'"),
    ("jane@localhost", "invalid domain"),
    ("jane", "has no @"),
    ("a@b@example.com", "has 2 @ signs"),
    (f"{'a' * 65}@example.com", "65 characters before the @"),
    (f"a@{'b' * 250}.com", "characters long; an email address has at most 254"),
    ("jane\u200b@example.com", "invisible"),
])
def test_invalid_emails(email: str, why: str) -> None:
    problem = domain.email_problem(email)
    assert problem is not None and why in problem


def test_tag_rules() -> None:
    assert domain.tag_problems({"team": "sec"}) == []
    assert domain.tag_problems({f"k{i}": "v" for i in range(50)}) == []
    assert "valid max length: 50" in domain.tag_problems({f"k{i}": "v" for i in range(51)})[0]
    assert "valid min length: 1" in domain.tag_problems({"": "v"})[0]
    assert "aws: is reserved" in domain.tag_problems({"AWS:team": "v"})[0]
    assert "valid max length: 128" in domain.tag_problems({"k" * 129: "v"})[0]
    assert "valid max length: 256" in domain.tag_problems({"k": "v" * 257})[0]


def test_message_and_text_rules() -> None:
    assert domain.message_problem("m" * 80) is None
    assert "valid max length: 80" in (domain.message_problem("m" * 81) or "")
    assert domain.undecodable(b"a\xff".decode("utf-8", "surrogateescape"))
    assert not domain.undecodable("é")


def test_account_id_lists_split_on_commas_and_spaces() -> None:
    assert domain.split_account_ids(["1,2", " 3  4 ", ",,5"]) == ["1", "2", "3", "4", "5"]


def test_removed_and_resigned_free_their_place_in_the_quota() -> None:
    assert domain.quota_count(["Created", "Invited", "Enabled", "Paused", "EmailVerificationFailed",
                               "Removed", "Resigned", "RegionDisabled"]) == 6


@pytest.mark.parametrize(("name", "valid"), [("MacieAccept", True), ("team/MacieAccept", True), ("a+b=c,d.e@f_g-h", True),
                                             ("", False), ("bad role", False), ("x" * 65, False), ("/lead", False),
                                             ("a//b", False)])
def test_role_names(name: str, valid: bool) -> None:
    assert (domain.role_name_problem(name) is None) is valid


@pytest.mark.parametrize(("user", "name"), [
    ("alice", "macie-members-alice"),
    ("Ops User:1", "macie-members-Ops-User-1"),
    ("DOMAIN\\jo", "macie-members-DOMAIN-jo"),
    ("élise", "macie-members-lise"),
    ("", "macie-members"),
    ("???", "macie-members"),
    ("u" * 80, "macie-members-" + "u" * 50),
])
def test_default_session_name_is_sanitised_to_sts_pattern(user: str, name: str) -> None:
    assert domain.default_session_name(user) == name
    assert domain.session_name_problem(name) is None


@pytest.mark.parametrize(("name", "valid"), [
    ("ab", True), ("a", False), ("x" * 64, True), ("x" * 65, False), ("a b", False), ("é1", False),
    ("change+1=2,3.4@ops_-", True),
])
def test_session_name_problem(name: str, valid: bool) -> None:
    assert (domain.session_name_problem(name) is None) is valid


@pytest.mark.parametrize(("value", "valid"), [
    ("ab", True), ("a", False), ("x" * 1224, True), ("x" * 1225, False), ("a b", False), ("urn:x/y-1", True),
])
def test_external_id_problem(value: str, valid: bool) -> None:
    assert (domain.external_id_problem(value) is None) is valid


@pytest.mark.parametrize(("arn", "parts"), [
    ("arn:aws:iam::111111111111:role/R", ("aws", "111111111111", "R")),
    ("arn:aws-cn:iam::111111111111:role/team/R", ("aws-cn", "111111111111", "team/R")),
    ("arn:aws:iam::11111111111:role/R", None),
    ("arn:aws:iam::111111111111:user/R", None),
    ("arn:aws:iam::111111111111:role/bad name", None),
])
def test_role_arn_parts(arn: str, parts: tuple[str, str, str] | None) -> None:
    assert domain.role_arn_parts(arn) == parts


def test_role_arn_for_a_name_or_an_arn() -> None:
    assert domain.role_arn_for("111111111111", "aws-us-gov", "team/R") == "arn:aws-us-gov:iam::111111111111:role/team/R"
    arn = "arn:aws:iam::111111111111:role/Other"
    assert domain.role_arn_for("111111111111", "aws", arn) == arn

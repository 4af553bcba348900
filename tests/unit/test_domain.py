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


# ------------------------------------------------------------------ values echoed in messages


def test_clip_keeps_short_values_and_cuts_long_ones() -> None:
    assert domain.clip("a" * 200) == "a" * 200
    assert domain.clip("a" * 10_000_000) == "a" * 200 + "..."
    assert domain.clip("abcdef", 3) == "abc..."


def test_clip_around_keeps_the_part_a_caret_points_at() -> None:
    text = "x" * 1000 + "!" + "y" * 1000
    shown, index = domain.clip_around(text, 1000, 20)
    assert shown[index] == "!"
    assert shown.startswith("...") and shown.endswith("...")
    shown, index = domain.clip_around(text, len(text), 20)
    assert index == len(shown) and not shown.endswith("...")
    assert domain.clip_around("short", 2) == ("short", 2)


def test_capped_lists_the_first_problems_and_counts_the_rest() -> None:
    assert domain.capped(["a"] * 20) == ["a"] * 20
    assert domain.capped([str(i) for i in range(50_000)]) == [str(i) for i in range(20)] + [
        "... and 49,980 more problems"]
    assert domain.capped(["a"] * 21)[-1] == "... and 1 more problem"

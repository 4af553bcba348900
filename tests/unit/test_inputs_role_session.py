"""The AssumeRole values a run is given or makes (macie_members/inputs/role_session.py)."""

from __future__ import annotations

import pytest

from macie_members.inputs import role_session


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
    assert role_session.default_session_name(user) == name
    assert role_session.session_name_problem(name) is None


@pytest.mark.parametrize(("name", "valid"), [
    ("ab", True), ("a", False), ("x" * 64, True), ("x" * 65, False), ("a b", False), ("é1", False),
    ("change+1=2,3.4@ops_-", True),
])
def test_session_name_problem(name: str, valid: bool) -> None:
    assert (role_session.session_name_problem(name) is None) is valid


@pytest.mark.parametrize(("value", "valid"), [
    ("ab", True), ("a", False), ("x" * 1224, True), ("x" * 1225, False), ("a b", False), ("urn:x/y-1", True),
])
def test_external_id_problem(value: str, valid: bool) -> None:
    assert (role_session.external_id_problem(value) is None) is valid

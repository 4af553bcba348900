"""macie_members.render.aws_output: the ``--output`` dispatcher of a response (json, text, table)."""

from __future__ import annotations

import copy

import pytest

from macie_members.environment import AWS_OUTPUTS as OUTPUT_FORMATS
from macie_members.render.aws_output import render
from tests.support.helpers import list_members_answer

# --------------------------------------------------------------------------- dispatch


def test_render_rejects_unknown_output() -> None:
    assert set(OUTPUT_FORMATS) == {"json", "text", "table", "yaml", "yaml-stream"}
    with pytest.raises(ValueError, match="xml"):
        render({}, output="xml", operation="ListMembers")


def test_render_does_not_mutate_input() -> None:
    response = list_members_answer()
    before = copy.deepcopy(response)
    for output in OUTPUT_FORMATS:
        render(response, output=output, operation="ListMembers")
    assert response == before

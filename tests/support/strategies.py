"""Hypothesis strategies shared by the property tests (tests/properties, and the CLI's in tests/cli)."""

from __future__ import annotations

from hypothesis import strategies as st

_SYNTAX = "ab1=,[]{}'\"\\ \t\n@.-:#/\u00a0ü😀"

any_text = st.one_of(st.text(max_size=40), st.text(alphabet=_SYNTAX, max_size=40))
"""Any text, and text made of the characters of the parameter syntax (shorthand, JSON, paths)."""

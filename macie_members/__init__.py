"""macie-members: manage the members of an invitation-based Amazon Macie organization."""

from __future__ import annotations

__version__ = "0.1.0"

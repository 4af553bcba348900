"""The program's entry point (``macie-members`` and ``python -m macie_members``).

A Ctrl-C while the program is still importing its modules (the first tenth of a second) is
answered as everywhere else: one line, exit 130, no traceback. Nothing has been sent then.
"""

from __future__ import annotations

import sys
from typing import NoReturn


def main() -> NoReturn:
    try:
        from macie_members.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted: no change was made.\n")
        raise SystemExit(130) from None
    run()

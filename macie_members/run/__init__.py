"""One run's machinery: the run session (clients, ledger, report, reads, when a destructive run must be confirmed) and the executor (the thread pool, jobs in order). Ctrl-C: the executor starts no new job and waits for the answers in flight; the session ends the run with exit 130 and the ledger's one line of what was done and what was not.

May import: ``aws``, ``render``, ``plan``, ``inputs``, ``config`` and the root vocabulary; never ``flows`` or ``cli``."""

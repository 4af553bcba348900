"""One run's machinery: the run session (clients, ledger, report, reads) and the executor (the thread pool, jobs in order).

May import: ``aws``, ``render``, ``plan``, ``inputs``, ``config`` and the root vocabulary; never ``flows`` or ``cli``."""

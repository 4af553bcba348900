"""The signals that stop a run: Ctrl-C (SIGINT), SIGTERM and SIGHUP (where the platform has it).

Each one is a stop, as Ctrl-C has always been: the handler raises :class:`KeyboardInterrupt`
in the main thread, so the executor starts no new request and waits for the answers under way,
and the run session ends the run with the exit code of the first signal received
(:data:`macie_members.errors.SIGNAL_EXIT_CODES`). Handlers are installed only in the main
thread (Python allows no other) and the previous ones are restored when the run ends. A signal
the process was started with ignored stays ignored, as Python itself leaves an ignored SIGINT:
``nohup macie-members ...`` survives the terminal closing.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from macie_members.environment import PROCESS
from macie_members.errors import SIGNAL_EXIT_CODES

#: The signals a run treats as a stop, by name; SIGHUP is not on Windows (hence the names).
STOP_SIGNALS = tuple(SIGNAL_EXIT_CODES)


class StopSignals:
    """The stop handlers of one run, and the name of the first stop signal received."""

    def __init__(self) -> None:
        self.received: str | None = None
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # a library caller's thread: its own handlers stay
        for name in STOP_SIGNALS:
            if hasattr(signal, name):
                number = getattr(signal, name)
                if signal.getsignal(number) is signal.SIG_IGN:
                    continue  # `nohup`, a background job's SIGINT: what the caller ignores stays ignored
                self._previous[number] = signal.signal(number, self._handle)

    def restore(self) -> None:
        """The handlers as they were; after a finished run of the program itself
        (:data:`macie_members.environment.PROCESS`), ignored: the process exits next, with the run's code."""
        previous, self._previous = self._previous, {}
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_IGN if self._finished and PROCESS.ends_with_the_run else handler)

    def finish(self) -> None:
        """The run is over (its output printed): a stop signal from now until :meth:`restore`
        changes nothing, so that a finished run never exits as an interrupted one (its
        teardown, closing connections and releasing locks, is not worth stopping)."""
        self._finished = True

    _finished = False

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._finished:
            return
        if self.received is None:
            self.received = signal.Signals(signum).name
        raise KeyboardInterrupt

    @property
    def name(self) -> str:
        """The first stop signal received; ``SIGINT`` for a :class:`KeyboardInterrupt` that no
        handler of this run raised (a Ctrl-C before the handlers were installed)."""
        return self.received or "SIGINT"

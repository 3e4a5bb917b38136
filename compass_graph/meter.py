"""Progress of long steps on a terminal: counts, rate and time left, on one line that rewrites
itself. Where the output is no terminal (a CI log, a pipe), it says nothing until the end."""

import sys
import time
from types import TracebackType
from typing import TextIO


class Meter:
    """Counts the work of one step and shows how it goes."""

    def __init__(
        self, label: str, total: int | None = None, stream: TextIO | None = None, every: float = 0.2
    ) -> None:
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.every = every
        self.done = 0
        self._started = time.monotonic()
        self._shown = 0.0
        self._live = self.stream.isatty()

    def __enter__(self) -> "Meter":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._live:
            self.stream.write("\r\033[K")
        if kind is None and self._live:
            self.stream.write(f"{self.label}: {self.done:,} in {self._elapsed():.1f} s\n")
        self.stream.flush()

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more units of work done, and show it now and then."""
        self.done += count
        now = time.monotonic()
        if self._live and now - self._shown >= self.every:
            self._shown = now
            self.stream.write("\r\033[K" + self.line())
            self.stream.flush()

    def line(self) -> str:
        """Describe the progress so far: count, rate and, with a known total, time left."""
        elapsed = self._elapsed()
        rate = self.done / elapsed if elapsed > 0 else 0.0
        text = f"{self.label}: {self.done:,}"
        if self.total:
            text += f" of {self.total:,} ({100 * self.done / self.total:.0f}%)"
        text += f", {rate:,.0f}/s"
        if self.total and rate > 0:
            text += f", {(self.total - self.done) / rate:.0f} s left"
        return text

    def _elapsed(self) -> float:
        return time.monotonic() - self._started

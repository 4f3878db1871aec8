"""The crawl's ledger: pages committed in batches, a busy database waited out while the crawl goes on,
skipped URLs counted by reason and stored only as a sample; I/O.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable

from rules.records import PageRecord
from storage import Database
from storage.errors import DatabaseBusyError

BATCH_SIZE = 50  # pages per commit: a killed process loses at most one batch
# Pages held in memory while another process holds the database's write lock: the crawl pauses beyond
# this many (a few MB), so memory stays bounded however long the lock is held.
MAX_PENDING = 2_000
SKIPPED_ROWS = 1_000  # skipped URLs stored as rows per run; beyond, they are only counted by reason
ATTEMPT_WAIT = 0.05  # seconds one commit waits for the lock while pages keep coming: the crawl goes on
FIRST_RETRY, LONGEST_RETRY = 0.05, 2.0  # back-off between commit attempts on a busy database

log = logging.getLogger("icp_audit.run")


class Ledger:
    """The batch of pages waiting to be committed, and the counts of skipped URLs by reason."""

    def __init__(
        self,
        db: Database,
        run_id: int,
        *,
        busy_timeout: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db, self.run_id, self.busy_timeout, self._clock = db, run_id, busy_timeout, clock
        self.batch: list[PageRecord] = []
        self.skipped: Counter[str] = Counter()  # every skipped URL by reason kind, stored or not
        self.skipped_rows = 0
        self._busy_since: float | None = None
        self._next_try = 0.0
        self._backoff = FIRST_RETRY
        self.gave_up = False

    def add(self, record: PageRecord) -> None:
        """Add a page; commit the batch once full, unless a busy database asked to wait before trying again."""
        self.batch.append(record)
        if len(self.batch) >= BATCH_SIZE and self._clock() >= self._next_try:
            self._try_commit()

    def add_skipped(self, record: PageRecord, kind: str) -> bool:
        """Count a skipped URL under `kind`; store its row while the run's sample has room (then True)."""
        self.skipped[kind] += 1
        if self.skipped_rows >= SKIPPED_ROWS:
            return False
        self.skipped_rows += 1
        self.add(record)
        return True

    async def settle(self) -> None:
        """Pause the caller while the batch is at MAX_PENDING and the database busy; raises
        DatabaseBusyError once it has been busy for longer than `busy_timeout`."""
        while len(self.batch) >= MAX_PENDING:
            await self._retry()

    async def drain(self) -> None:
        """Commit every page left, waiting out a busy database as `settle` does."""
        while self.batch:
            await self._retry()

    def flush_quietly(self, wait: float | None = None) -> None:
        """On the way out of a failure or a stop: one attempt, no exception, so the run row still closes.
        After giving up on a busy database it does not wait for the lock again; `wait` bounds the wait
        for it otherwise (None: the usual 5 s)."""
        batch, self.batch = self.batch, []
        try:
            self.db.add_pages(self.run_id, batch, wait=0 if self.gave_up else wait)
        except Exception as exc:  # the run is ending anyway: say what was lost
            log.warning("%d pages not stored: %s", len(batch), exc)

    async def _retry(self) -> None:
        await asyncio.sleep(max(0.0, self._next_try - self._clock()))
        self._try_commit()

    def _try_commit(self) -> None:
        try:
            self.db.add_pages(self.run_id, self.batch, wait=ATTEMPT_WAIT)
        except DatabaseBusyError:
            self._busy()
            return
        if self._busy_since is not None:
            log.info("database %s free again after %.1f s", self.db.name, self._clock() - self._busy_since)
        self.batch, self._busy_since, self._next_try, self._backoff = [], None, 0.0, FIRST_RETRY

    def _busy(self) -> None:
        now = self._clock()
        if self._busy_since is None:
            self._busy_since = now
            log.warning(
                "database %s busy (another process holds its write lock): keeping pages in memory"
                " and trying again for up to %g s ([storage] busy_timeout)",
                self.db.name,
                self.busy_timeout,
            )
        waited = now - self._busy_since
        if waited >= self.busy_timeout:
            self.gave_up = True
            raise DatabaseBusyError(
                f"database {self.db.name}: busy for {waited:.1f} s, another process holds its write lock"
                f" ([storage] busy_timeout = {self.busy_timeout:g} s); the run is closed as failed with the"
                " pages stored so far (stop the other writer, or raise busy_timeout)"
            )
        self._next_try = now + self._backoff
        self._backoff = min(self._backoff * 2, LONGEST_RETRY)

"""A stored run's pages as a sequence read from the database a chunk at a time on every pass, so that a
run of 20,000 pages is never held whole in memory (issue 12); storage layer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from itertools import islice
from typing import overload

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rules.model import Finding
from rules.records import PageRecord
from storage.convert import finding, page_record
from storage.models import FindingRow, PageRow

CHUNK = 500  # pages (with their findings) converted and held at a time


class StoredPages(Sequence[PageRecord]):
    """The pages of run `run_id` in insertion order, as they were when loaded (a running run's later
    batches are not seen). Each iteration reads them again, CHUNK at a time. Equal to any sequence of the
    same pages (a tuple, as before)."""

    def __init__(self, session: Callable[[], AbstractContextManager[Session]], run_id: int) -> None:
        self._session, self.run_id = session, run_id
        query = select(func.count(PageRow.id), func.max(PageRow.id)).where(PageRow.run_id == run_id)
        with session() as s:
            count, last = s.execute(query).one()
        self._count, self._last = int(count), int(last or 0)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[PageRecord]:
        last = 0
        while True:
            with self._session() as session:
                chunk = _chunk(session, self.run_id, last, self._last, CHUNK)
            if not chunk:
                return
            yield from chunk
            last = chunk.last_id
            if last >= self._last:  # the last page loaded: no query for an empty chunk
                return

    @overload
    def __getitem__(self, index: int) -> PageRecord: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[PageRecord]: ...

    def __getitem__(self, index: int | slice) -> PageRecord | Sequence[PageRecord]:
        if isinstance(index, slice):
            return tuple(self)[index]
        position = index + self._count if index < 0 else index
        if not 0 <= position < self._count:
            raise IndexError("page index out of range")
        return next(islice(iter(self), position, None))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"StoredPages(run {self.run_id}, {self._count} pages)"


class _Chunk(list[PageRecord]):
    last_id: int = 0


def _chunk(session: Session, run_id: int, after: int, until: int, size: int) -> _Chunk:
    wanted = (PageRow.run_id == run_id, PageRow.id > after, PageRow.id <= until)
    query = select(PageRow).where(*wanted).order_by(PageRow.id).limit(size)
    rows = list(session.scalars(query))
    by_page: dict[int, list[Finding]] = defaultdict(list)
    if rows:
        ids = [row.id for row in rows]
        found = select(FindingRow).where(FindingRow.page_id.in_(ids)).order_by(FindingRow.id)
        for row in session.scalars(found):
            by_page[row.page_id or 0].append(finding(row))
    chunk = _Chunk(page_record(row, by_page.get(row.id, ())) for row in rows)
    chunk.last_id = rows[-1].id if rows else after
    return chunk

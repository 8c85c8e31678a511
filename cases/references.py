"""Case references: ``KTS-<year>-<6-digit sequence>``, one sequence per year.

Gaps are allowed (a rolled-back submission may leave one; a number taken by hand is skipped), duplicates are
not. Safe under concurrency:

1. the counter row is incremented with one ``UPDATE ... SET last = last + 1``, which takes the row's write
   lock until the submitting transaction ends (PostgreSQL), or runs inside a write transaction that SQLite
   (IMMEDIATE mode) already serialises;
2. the first number of a year creates the row inside a savepoint; a parallel creator loses with an
   IntegrityError and goes back to step 1;
3. a number that is already in use (imported or hand-made cases) is skipped.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from cases.models import Enquiry, ReferenceCounter


def reference_format(*, year: int, number: int) -> str:
    return f"KTS-{year}-{number:06d}"


def _increment(*, year: int) -> int | None:
    """``UPDATE ... SET last = last + 1 ... RETURNING last`` (PostgreSQL, SQLite 3.35+): one round trip."""
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last", [year])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def _next_number(*, year: int) -> int:
    for _attempt in range(5):
        number = _increment(year=year)
        if number is not None:
            return number
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, last=1)
            return 1
        except IntegrityError:
            continue  # somebody else created the year's row a moment ago
    raise RuntimeError("reference counter could not be created")  # pragma: no cover


def reference_next(*, year: int) -> str:
    """The next free reference of the year. Must run inside the transaction that stores the enquiry."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reference_next must run inside the submitting transaction")
    while True:
        reference = reference_format(year=year, number=_next_number(year=year))
        if not Enquiry.objects.filter(reference=reference).exists():
            return reference

"""Case references: ``KTS-<year>-<6-digit sequence>``, one sequence per year.

Gaps are allowed (a failed submission may leave one; a number taken by hand is skipped), duplicates are
not. Safe under concurrency:

1. the counter row is incremented with one ``UPDATE ... SET last = last + 1``, which takes the row's write
   lock until its transaction ends (its own, committed at once, when the submission calls it first; PostgreSQL),
   or runs inside a write transaction that SQLite (IMMEDIATE mode) already serialises;
2. the first number of a year creates the row inside a savepoint; a parallel creator loses with an
   IntegrityError and goes back to step 1;
3. a number that is already in use (imported or hand-made cases) is skipped.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from cases.models import Enquiry, ReferenceCounter


def reference_format(*, year: int, number: int) -> str:
    return f"KTS-{year}-{number:06d}"


def _increment(*, year: int) -> tuple[int, bool | None] | None:
    """``UPDATE ... SET last = last + 1 ... RETURNING last`` (PostgreSQL, SQLite 3.35+): one round trip. On
    PostgreSQL the same statement also says whether the number's reference is taken already (step 3), as
    ``reference_format`` writes it; elsewhere that is asked apart (None)."""
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            enquiries = Enquiry._meta.db_table
            cursor.execute(
                f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last, EXISTS ("  # noqa: S608
                f"SELECT 1 FROM {enquiries} WHERE reference = %s || lpad(last::text, greatest(6, length(last::text)), '0'))",
                [year, reference_format(year=year, number=0)[:-6]],
            )
            row = cursor.fetchone()
            return (row[0], row[1]) if row else None
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last", [year])  # noqa: S608
        row = cursor.fetchone()
    return (row[0], None) if row else None


def _next_number(*, year: int) -> tuple[int, bool | None]:
    """The next number of the year and whether its reference is taken (None: not known yet)."""
    for _attempt in range(5):
        found = _increment(year=year)
        if found is not None:
            return found
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, last=1)
            return 1, None
        except IntegrityError:
            continue  # somebody else created the year's row a moment ago
    raise RuntimeError("reference counter could not be created")  # pragma: no cover


def reference_next(*, year: int) -> str:
    """The next free reference of the year.

    Called before the transaction that stores the enquiry (where the caller is not inside another one): the
    UPDATE then commits at once and holds the counter row's lock for one statement. Inside the submitting
    transaction every submission would wait on that row until the one before it commits, which makes the
    counter the bottleneck of parallel submissions (at a million stored cases each insert takes longer, and so
    would the wait). A submission that fails after this leaves a gap, which is allowed."""
    while True:
        number, taken = _next_number(year=year)
        reference = reference_format(year=year, number=number)
        if taken is None:
            taken = Enquiry.objects.filter(reference=reference).exists()
        if not taken:
            return reference

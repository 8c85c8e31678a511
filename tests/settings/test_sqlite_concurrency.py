"""The embedded SQLite default takes parallel writers without "database is locked" (WAL, busy timeout,
IMMEDIATE transactions: settings.env.sqlite_database)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import threading
    import django
    django.setup()
    from django.db import connection, connections, transaction
    from catalogue.models import Topic

    with connection.schema_editor() as editor:
        editor.create_model(Topic)
    connection.close()
    errors = []

    def writer(n):
        try:
            for i in range(40):
                # read, then write in one transaction: the pattern that upgrades a read lock and fails
                # with "database is locked" under DEFERRED transactions
                with transaction.atomic():
                    count = Topic.objects.count()
                    Topic.objects.create(slug=f"t-{n}-{i}", name_de=str(count), name_en=str(count))
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("errors", len(errors), errors[:3])
    print("rows", Topic.objects.count())
    print("journal", connection.cursor().execute("PRAGMA journal_mode").fetchone()[0])
    """
)


def test_eight_parallel_writers_on_the_sqlite_file_all_succeed(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'parallel.sqlite3'}",
        KTS_VAR_DIR=str(tmp_path),
    )

    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "errors 0 []" in result.stdout, result.stdout
    assert "rows 320" in result.stdout and "journal wal" in result.stdout

"""`make bench`: every benchmark, with its figures.

On PostgreSQL (DATABASE_URL names the server; its database is not used) the per-size benchmarks run once per size
of KTS_BENCH_SIZES (default 100000,1000000), each against its own database ``kts_bench_<size>`` that
``benchmarks.data`` builds once and keeps; each module then runs in its own process with DATABASE_URL pointing at
that database and KTS_BENCH_SIZE set. On SQLite they run once at a small size in the configured database.
The others (matching, privacy) run once on the configured database.

    make bench                                       # everything
    .venv/bin/python -m benchmarks benchmarks.stats  # one module (still once per size)
"""

import importlib
import os
import subprocess
import sys

PER_SIZE = [
    "benchmarks.submission",
    "benchmarks.stats",
    "benchmarks.lists",
    "benchmarks.workspace",
    "benchmarks.radar",
]
ONCE = ["benchmarks.matching", "benchmarks.privacy"]
MODULES = ONCE + PER_SIZE
DEFAULT_SIZES = "100000,1000000"


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def _run_once(name: str) -> None:
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        print(f"{name}: not available ({exc})")
        return
    module.main()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
    selected = sys.argv[1:] or MODULES
    url = os.environ.get("DATABASE_URL", "")
    per_size = [name for name in selected if name in PER_SIZE]
    for name in selected:
        if name not in PER_SIZE or not _is_postgres(url):
            _run_once(name)
    if not per_size or not _is_postgres(url):
        return
    from benchmarks.data import bench_database_url

    for size in [int(s) for s in os.environ.get("KTS_BENCH_SIZES", DEFAULT_SIZES).split(",")]:
        env = {**os.environ, "DATABASE_URL": bench_database_url(url, size), "KTS_BENCH_SIZE": str(size)}
        print(f"\n== {size:,} enquiries (database kts_bench_{size})", flush=True)
        subprocess.run([sys.executable, "-m", "benchmarks.data", str(size)], env=env, check=True)  # noqa: S603
        for name in per_size:
            subprocess.run([sys.executable, "-m", name], env=env, check=True)  # noqa: S603


if __name__ == "__main__":
    main()

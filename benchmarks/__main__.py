"""`make bench`: runs every benchmark module and prints its figures."""

import importlib
import os
import sys

MODULES = ["benchmarks.matching", "benchmarks.stats", "benchmarks.privacy", "benchmarks.workspace"]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
    selected = sys.argv[1:] or MODULES
    for name in selected:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            print(f"{name}: not available ({exc})")
            continue
        module.main()


if __name__ == "__main__":
    main()

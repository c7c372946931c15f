"""Import preview time against the number of rows: duplicate detection must not grow with its square.

    uv run python bench/import_preview.py

Builds CSV files of 500, 1,000, 2,000 and 4,000 new questions (each prompt 40 characters of the bank's
references from a random place; every tenth a near copy of an earlier prompt) and times `import_preview` on
each, against an empty bank in an in-memory SQLite database. Prints seconds per file and each time's ratio to
the one before (2.0 when twice the rows is linear; 4.0 is quadratic). Comparing every prompt with every
other, as the preview did before the bigram index, took 2.0, 8.0, 32.9 and 130.8 s here (ratios 4.0).
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rows(count: int, corpus: str, rng: random.Random) -> bytes:
    """`count` prompts, each 40 characters from a random place of the bank's references; every tenth a near
    copy of an earlier prompt."""
    prompts: list[str] = []
    for i in range(count):
        if i % 10 == 9:
            earlier = rng.choice(prompts)
            cut = rng.randrange(len(earlier))
            prompts.append(earlier[:cut] + earlier[cut + 1 :])  # a near copy: a duplicate
        else:
            start = rng.randrange(len(corpus) - 40)
            prompts.append(corpus[start : start + 40])
    return ("prompt,reference_answer\n" + "".join(f'"{p}",答案\n' for p in prompts)).encode()


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from questionbank.bank_files import read_bank
    from questionbank.importers.dispatch import parse_document
    from questionbank.imports import DUPLICATE, import_preview

    corpus = "".join(q.reference_answer for q in read_bank().questions)
    corpus = "".join(char for char in corpus if char not in '"\n\r,')

    previous = 0.0
    for count in (500, 1000, 2000, 4000):
        data = rows(count, corpus, random.Random(count))
        started = time.perf_counter()
        plan = import_preview(parse_document("bench.csv", data))
        seconds = time.perf_counter() - started
        duplicates = sum(row.action == DUPLICATE for row in plan.rows)
        ratio = f", {seconds / previous:.1f}x the time of half as many" if previous else ""
        print(f"{count:5d} rows: preview {seconds:.2f} s ({duplicates} duplicates found){ratio}")
        previous = seconds


if __name__ == "__main__":
    main()

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from questionbank.importers.dispatch import ImportRefused, parse_document
from questionbank.imports import CREATE, DUPLICATE, UPDATE, import_apply, import_preview


class Command(BaseCommand):
    help = "Preview importing a Q&A document (.md/.txt), bank YAML or CSV; --apply writes it (as drafts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--apply", action="store_true", help="write the import (otherwise only preview)")

    def handle(self, *args: Any, file: Path, apply: bool, **options: Any) -> None:
        try:
            parsed = parse_document(file.name, file.read_bytes())
        except (OSError, ImportRefused) as exc:
            raise CommandError(str(exc)) from exc
        plan = import_preview(parsed)
        for row in plan.rows:
            note = f"  (= {row.duplicate_of[:40]}, {row.similarity:.2f})" if row.action == DUPLICATE else ""
            self.stdout.write(f"{row.action:9} line {row.draft.line:4}  {row.draft.prompt[:60]}{note}")
        for warning in plan.warnings:
            self.stderr.write(f"{file.name}: {warning}")
        for error in plan.errors:
            self.stderr.write(f"{file.name}: {error}")
        self.stdout.write(
            f"{plan.count(CREATE)} to create, {plan.count(UPDATE)} to update, "
            f"{plan.count(DUPLICATE)} duplicates, {len(plan.errors)} errors"
        )
        if plan.errors:
            raise CommandError("nothing imported: fix the errors first")
        if apply:
            written = import_apply(plan)
            self.stdout.write(self.style.SUCCESS(f"imported {len(written)} question(s) as drafts"))
        else:
            self.stdout.write("preview only: run again with --apply to import")

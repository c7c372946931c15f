from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from pydantic import ValidationError

from questionbank.bank_files import DATA_DIR
from questionbank.services import bank_export


class Command(BaseCommand):
    help = "Write the question bank, admins' edits included, to the bank files that load_question_bank reads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR)

    def handle(self, *args: object, data_dir: Path, **options: object) -> None:
        try:
            written = bank_export(data_dir=data_dir)
        except ValidationError as exc:
            raise CommandError(
                f"Nothing was written: a question does not fit the bank format: {exc}"
            ) from exc
        self.stdout.write(f"Question bank: {written} questions written to {data_dir}.")

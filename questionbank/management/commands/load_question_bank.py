from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from questionbank.bank_files import DATA_DIR, BankFileError
from questionbank.services import bank_load


class Command(BaseCommand):
    help = (
        "Load the curated question bank from questionbank/data/ (idempotent: a second run changes nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR)

    def handle(self, *args: object, data_dir: Path, **options: object) -> None:
        try:
            report = bank_load(data_dir=data_dir)
        except BankFileError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        self.stdout.write(
            f"Question bank: {len(report.created)} created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged; {report.topics} topics, "
            f"{len(report.created) + len(report.updated) + report.unchanged} questions, "
            f"{report.rubric_points} rubric points."
        )

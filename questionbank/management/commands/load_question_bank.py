from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from questionbank.bank_files import DATA_DIR, BankFileError
from questionbank.services import bank_load


class Command(BaseCommand):
    help = (
        "Load the question bank files: create new questions, update those nobody has edited since the last "
        "load; questions edited in the admin are kept (and listed) unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
        parser.add_argument(
            "--force", action="store_true", help="overwrite questions edited since the last load"
        )

    @no_translations  # the bank's messages in English, like the rest of the command's
    def handle(self, *args: object, data_dir: Path, force: bool, **options: object) -> None:
        try:
            report = bank_load(data_dir=data_dir, force=force)
        except BankFileError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        self.stdout.write(
            f"Question bank: {len(report.created)} created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged; {report.topics} topics, {report.questions} questions, "
            f"{report.rubric_points} rubric points."
        )
        if report.kept_edits:
            self.stdout.write(
                self.style.WARNING(
                    f"Kept {len(report.kept_edits)} question(s) edited since the last load (the files "
                    "differ; export_question_bank writes the edits to the files, --force overwrites them): "
                    + ", ".join(report.kept_edits)
                )
            )
        if report.overwritten:
            self.stdout.write(
                self.style.WARNING(
                    f"Overwrote {len(report.overwritten)} edited question(s) with the files (--force): "
                    + ", ".join(report.overwritten)
                )
            )

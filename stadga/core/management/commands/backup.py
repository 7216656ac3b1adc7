"""`stadga backup FILE`: one archive of the database and the uploaded files, written while the
service runs (see stadga.core.backup for what it holds and why)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from stadga.core.backup import BackupError, backup_write


def progress_printer(command: BaseCommand, verbosity: int) -> Any:
    """Per-model progress lines on stderr, on a terminal (or with -v 2); quiet in cron's mail."""
    if verbosity >= 2 or (verbosity >= 1 and command.stderr.isatty()):

        def say(line: str) -> None:
            command.stderr.write("  " + line, lambda text: text)  # progress is not an error
            command.stderr.flush()

        return say
    return None


class Command(BaseCommand):
    help = (
        "Write a backup of this installation to FILE: every row of the database, read as one "
        "consistent snapshot while the service runs, and every uploaded file, in one "
        "gzip-compressed archive with a manifest of counts and checksums. `stadga restore FILE` "
        "puts it back into an empty installation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive to write (e.g. stadga-2026-11-29.tar.gz).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_write(
                Path(options["file"]), progress=progress_printer(self, options["verbosity"])
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] < 1:  # cron: silence unless something is wrong
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written to %(path)s (%(size)s): %(rows)s rows, %(files)s files.")
                % {
                    "path": summary.path,
                    "size": filesizeformat(summary.path.stat().st_size),
                    "rows": summary.rows,
                    "files": summary.files,
                }
            )
        )

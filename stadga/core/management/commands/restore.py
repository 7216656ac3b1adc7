"""`stadga restore FILE`: put a `stadga backup` archive back into an empty installation, all or
nothing (see stadga.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stadga.core.backup import BackupError, backup_restore
from stadga.core.management.commands.backup import progress_printer


class Command(BaseCommand):
    help = (
        "Restore a backup written by `stadga backup` into this installation, which must be "
        "empty (no municipality, no user): the archive is checked first, then the database is "
        "migrated to the archive's state, every row is loaded in one transaction, the uploaded "
        "files are put back, and counts and checksums are verified. A damaged archive or a "
        "database that holds data changes nothing; the exit status is then 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive `stadga backup` wrote.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_restore(
                Path(options["file"]), progress=progress_printer(self, options["verbosity"])
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = summary.manifest
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored %(path)s (Stadga %(version)s, written %(created)s): %(rows)s rows "
                    "in %(models)s models and %(files)s files; counts and checksums verified."
                )
                % {
                    "path": summary.path,
                    "version": manifest.get("stadga_version", "?"),
                    "created": manifest.get("created_at", "?"),
                    "rows": summary.rows,
                    "models": len(manifest["models"]),
                    "files": summary.files,
                }
            )
        )
        if summary.upgraded:
            self.stdout.write(
                ngettext(
                    "Then upgraded with %(count)s migration of this version.",
                    "Then upgraded with %(count)s migrations of this version.",
                    len(summary.upgraded),
                )
                % {"count": len(summary.upgraded)}
            )

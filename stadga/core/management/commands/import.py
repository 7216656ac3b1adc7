"""`stadga import KIND FILE --municipality SLUG [--dry-run]`: import a spreadsheet (XLSX or CSV)
for any kind an app registers in its tabular.py (e.g. `systems`). All or nothing: on any error
every row error is printed and the exit status is 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stadga.core import tabular
from stadga.core.tabular.commands import municipality_by_slug, user_by_name


class Command(BaseCommand):
    help = (
        "Import a spreadsheet (XLSX or CSV) into a municipality: KIND is what it holds "
        "(e.g. systems). Rows whose key matches update, others create. A file with any error "
        "changes nothing; its errors are printed and the exit status is 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=tabular.kinds(), help="What the file holds.")
        parser.add_argument("file", help="The XLSX or CSV file.")
        parser.add_argument("--municipality", required=True, help="The municipality's short name.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but write nothing."
        )
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=tabular.FORMATS,
            help="Read as this format instead of telling by the content.",
        )
        parser.add_argument(
            "--user", help="The user the change log names (default: the system itself)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_by_slug(options["municipality"])
        actor = user_by_name(options.get("user"))
        data = self.read(Path(options["file"]))
        spec = tabular.get_spec(options["kind"])(municipality=municipality, actor=actor)
        result = spec.import_file(
            data, file_format=options.get("file_format"), dry_run=options["dry_run"]
        )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            count = len(result.errors)
            raise CommandError(
                ngettext(
                    "%(count)s error; nothing was imported.",
                    "%(count)s errors; nothing was imported.",
                    count,
                )
                % {"count": count}
            )
        if options["verbosity"] >= 2:
            for plan in result.changes:
                fields = ", ".join(change.column for change in plan.changes)
                self.stdout.write(
                    f"{plan.row}: {plan.action} {plan.key} {plan.label}"
                    + (f" ({fields})" if fields else "")
                )
        summary = _("Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s.") % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if result.dry_run:
            summary += " " + _("Dry run: nothing was written.")
        self.stdout.write(summary)

    def read(self, path: Path) -> bytes:
        try:
            size = path.stat().st_size
            if size > settings.STADGA_IMPORT_MAX_BYTES:
                raise CommandError(
                    _("The file is larger than %(limit)s; split it into smaller files.")
                    % {"limit": filesizeformat(settings.STADGA_IMPORT_MAX_BYTES)}
                )
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("The file %(path)s cannot be read: %(reason)s")
                % {"path": path, "reason": exc.strerror}
            ) from None

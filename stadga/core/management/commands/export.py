"""`stadga export KIND --municipality SLUG --format xlsx|csv -o FILE`: the municipality's
current objects in the columns `stadga import KIND` reads; `--template` writes just the headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from stadga.core import tabular
from stadga.core.tabular.commands import municipality_by_slug


class Command(BaseCommand):
    help = (
        "Export a municipality's objects of KIND (e.g. systems) as XLSX or CSV, in the columns "
        "the import reads. CSV goes to standard output when no file is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=tabular.kinds(), help="What to export.")
        parser.add_argument("--municipality", required=True, help="The municipality's short name.")
        parser.add_argument(
            "--format", dest="file_format", choices=tabular.FORMATS, default=tabular.XLSX
        )
        parser.add_argument("-o", "--output", help="The file to write (CSV: default stdout).")
        parser.add_argument(
            "--template", action="store_true", help="Only the headers (and, in XLSX, help)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_by_slug(options["municipality"])
        spec = tabular.get_spec(options["kind"])(municipality=municipality)
        objects: Any = []
        if not options["template"]:
            objects = spec.optimise(spec.export_queryset()).iterator(chunk_size=1000)
        output = options.get("output")
        file_format = options["file_format"]
        if file_format == tabular.XLSX and not output:
            raise CommandError(_("An XLSX export needs a file: give it with -o FILE."))
        try:
            if file_format == tabular.XLSX:
                with Path(output).open("wb") as out:  # type: ignore[arg-type]
                    spec.write_xlsx(objects, out, template=options["template"])
            elif output and output != "-":
                with Path(output).open("wb") as out:
                    out.writelines(spec.iter_csv(objects))
            else:
                for chunk in spec.iter_csv(objects):
                    self.stdout.write(chunk.decode("utf-8"), ending="")
        except OSError as exc:
            raise CommandError(
                _("%(path)s cannot be written: %(reason)s")
                % {"path": output, "reason": exc.strerror}
            ) from None

"""`stadga inventory`: the installed-software inventory's tasks on the command line.

    stadga inventory import FILE --municipality SLUG --format csv|glpi-json|intune-csv
                                 [--source NAME] [--skip-broken-rows] [--user USERNAME]

The file becomes the new snapshot of the source, replacing the previous one only once every row is
in. Broken rows refuse the whole file (each is printed with its line) unless --skip-broken-rows is
given; then they are counted and the first of them printed.

Each action is a `Subcommand` below, listed in `SUBCOMMANDS`: to add one, write its class (its
arguments and what it does) and add it to the list.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import IO, Any, ClassVar

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stadga.core.tabular.commands import municipality_by_slug, user_by_name
from stadga.inventory.choices import InventoryFormat
from stadga.inventory.services import (
    ERROR_CAP,
    InventoryImportError,
    format_row_errors,
    inventory_import,
)

# Broken rows printed in the summary of an import that skipped them (all are in the snapshot).
SHOWN_ERRORS = 10


class Subcommand:
    """One action of `stadga inventory`."""

    name: ClassVar[str]
    help: ClassVar[str]

    def __init__(self, command: BaseCommand) -> None:
        self.command = command
        self.stdout = command.stdout
        self.stderr = command.stderr
        self.style = command.style

    @classmethod
    def add_arguments(cls, parser: CommandParser) -> None:
        """The action's own arguments."""

    def handle(self, **options: Any) -> None:
        raise NotImplementedError


def _plain(text: str) -> str:
    """Progress is not an error: no error colour on a terminal's stderr."""
    return text


class Progress:
    """Rows done, on stderr: a bar redrawn in place on a terminal (by bytes read, when the file's
    size is known), a plain line every few seconds otherwise (a log, a pipe)."""

    WIDTH = 30
    PLAIN_EVERY = 5.0  # seconds

    def __init__(self, out: OutputWrapper, file: IO[bytes], size: int | None) -> None:
        self.out = out
        self.file = file
        self.size = size or None
        self.tty = out.isatty()
        self.started = time.monotonic()
        self.last_plain = self.started
        self.drawn = False

    def __call__(self, rows: int) -> None:
        now = time.monotonic()
        fraction = None
        if self.size:
            try:
                fraction = min(self.file.tell() / self.size, 1.0)
            except (OSError, ValueError):
                fraction = None
        if self.tty:
            if fraction is not None:
                filled = int(fraction * self.WIDTH)
                bar = "[" + "#" * filled + "-" * (self.WIDTH - filled) + f"] {fraction:4.0%} "
            else:
                bar = ""
            self.out.write(
                "\r" + bar + _("%(rows)s rows") % {"rows": f"{rows:,}"}, _plain, ending=""
            )
            self.out.flush()
            self.drawn = True
        elif now - self.last_plain >= self.PLAIN_EVERY:
            self.last_plain = now
            self.out.write(
                _("%(rows)s rows read (%(seconds).0f s)")
                % {"rows": f"{rows:,}", "seconds": now - self.started},
                _plain,
            )
            self.out.flush()

    def done(self) -> None:
        if self.drawn:
            self.drawn = False
            self.out.write("", _plain)
            self.out.flush()


class Import(Subcommand):
    """Import an inventory file as the new snapshot of one of a municipality's sources."""

    name = "import"
    help = "Import an installed-software inventory file as its source's new snapshot."

    @classmethod
    def add_arguments(cls, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="The inventory file.")
        parser.add_argument("--municipality", required=True, help="The municipality's short name.")
        parser.add_argument(
            "--format",
            dest="fmt",
            required=True,
            choices=InventoryFormat.values,
            help="The file's format.",
        )
        parser.add_argument(
            "--source",
            help="The source the file comes from, e.g. GLPI (default: the format's name). "
            "Its previous snapshot is replaced.",
        )
        parser.add_argument(
            "--skip-broken-rows",
            action="store_true",
            help="Skip and report rows that cannot be read instead of refusing the file.",
        )
        parser.add_argument(
            "--user", help="The user the change log names (default: the system itself)."
        )

    def handle(self, **options: Any) -> None:
        municipality = municipality_by_slug(options["municipality"])
        actor = user_by_name(options.get("user"))
        path = Path(options["file"])
        fmt = options["fmt"]
        try:
            stream = path.open("rb")
            size = path.stat().st_size
        except OSError as exc:
            raise CommandError(
                _("The file %(path)s cannot be read: %(reason)s")
                % {"path": path, "reason": exc.strerror}
            ) from None
        started = time.monotonic()
        progress = Progress(self.stderr, stream, size)
        try:
            with stream:
                snapshot = inventory_import(
                    municipality=municipality,
                    source_name=options.get("source") or fmt,
                    fmt=fmt,
                    stream=stream,
                    file_name=path.name,
                    actor=actor,
                    on_error="skip" if options["skip_broken_rows"] else "refuse",
                    progress=progress,
                )
        except InventoryImportError as error:
            progress.done()
            if error.errors:
                self.stderr.write(format_row_errors(error.errors))
                if len(error.errors) >= ERROR_CAP:
                    self.stderr.write(
                        _("Reading stopped after %(count)s broken rows.") % {"count": ERROR_CAP}
                    )
            raise CommandError(str(error)) from None
        except OSError as exc:
            progress.done()
            raise CommandError(
                _("The file %(path)s cannot be read: %(reason)s")
                % {"path": path, "reason": exc.strerror or exc}
            ) from None
        progress.done()
        seconds = time.monotonic() - started
        self.stdout.write(
            _(
                "Imported %(file)s into %(source)s: %(rows)s installations on %(devices)s "
                "devices, %(titles)s distinct titles, in %(seconds).1f s."
            )
            % {
                "file": path.name,
                "source": snapshot.source.name,
                "rows": f"{snapshot.rows_imported:,}",
                "devices": f"{snapshot.device_count:,}",
                "titles": f"{snapshot.title_count:,}",
                "seconds": seconds,
            }
        )
        if snapshot.rows_skipped:
            self.stdout.write(
                self.style.WARNING(
                    ngettext(
                        "Skipped %(count)s broken row:",
                        "Skipped %(count)s broken rows:",
                        snapshot.rows_skipped,
                    )
                    % {"count": f"{snapshot.rows_skipped:,}"}
                )
            )
            lines = snapshot.error.splitlines()
            for line in lines[:SHOWN_ERRORS]:
                self.stdout.write("  " + line)
            if snapshot.rows_skipped > SHOWN_ERRORS:
                self.stdout.write(
                    "  "
                    + _("… and %(count)s more.")
                    % {"count": f"{snapshot.rows_skipped - SHOWN_ERRORS:,}"}
                )


SUBCOMMANDS: list[type[Subcommand]] = [Import]


class Command(BaseCommand):
    help = "Installed-software inventory tasks: import an inventory file."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for subcommand in SUBCOMMANDS:
            subcommand.add_arguments(actions.add_parser(subcommand.name, help=subcommand.help))

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        subcommand = next(s for s in SUBCOMMANDS if s.name == action)
        subcommand(self).handle(**options)

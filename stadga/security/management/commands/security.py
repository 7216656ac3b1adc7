"""`stadga security`: the information security tasks of the command line.

    stadga security load-requirements FILE [FILE …] | --shipped

A file with errors loads nothing: every error is printed with its line and the exit status is 1.

Each action is a `Subcommand` below, listed in `SUBCOMMANDS`: to add one, write its class (its
arguments and what it does) and add it to the list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from stadga.security.catalogue import CatalogueError, read_catalogue, shipped_catalogues
from stadga.security.services_classification import requirement_catalogue_load


class Subcommand:
    """One action of `stadga security`."""

    name: ClassVar[str]
    help: ClassVar[str]

    def __init__(self, command: BaseCommand) -> None:
        self.command = command
        self.stdout = command.stdout
        self.style = command.style

    @classmethod
    def add_arguments(cls, parser: CommandParser) -> None:
        """The action's own arguments."""

    def handle(self, **options: Any) -> None:
        raise NotImplementedError


class LoadRequirements(Subcommand):
    """Check and load requirement catalogues (P9.1); a version already loaded is left as it is."""

    name = "load-requirements"
    help = "Check and load requirement catalogues; a version already loaded is left as it is."

    @classmethod
    def add_arguments(cls, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", metavar="FILE", help="YAML catalogue files.")
        parser.add_argument(
            "--shipped", action="store_true", help="Load the catalogues shipped with Stadga."
        )

    def handle(self, **options: Any) -> None:
        paths = [Path(f) for f in options["files"]]
        if options["shipped"]:
            paths += shipped_catalogues()
        if not paths:
            raise CommandError(_("Name the catalogue files to load, or give --shipped."))
        errors: list[str] = []
        failed = 0
        for path in paths:
            try:
                result = requirement_catalogue_load(catalogue=read_catalogue(path), actor=None)
            except CatalogueError as error:
                # Every file is checked, so one run reports every problem of every file.
                failed += 1
                errors += [f"{error.source or path}: {message}" for message in error.messages]
                continue
            catalogue = result.catalogue
            if result.created:
                self.stdout.write(
                    _("Loaded %(key)s version %(version)s (%(count)s requirements) from %(file)s.")
                    % {
                        "key": catalogue.key,
                        "version": catalogue.version,
                        "count": catalogue.requirements.count(),
                        "file": path.name,
                    }
                )
            else:
                self.stdout.write(
                    _("%(key)s version %(version)s is already loaded; nothing was changed.")
                    % {"key": catalogue.key, "version": catalogue.version}
                )
        if failed:
            summary = _("%(failed)s of %(total)s files could not be loaded.") % {
                "failed": failed,
                "total": len(paths),
            }
            raise CommandError("\n".join([*errors, summary]))


SUBCOMMANDS: list[type[Subcommand]] = [LoadRequirements]


class Command(BaseCommand):
    help = "Information security tasks: load requirement catalogues."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for subcommand in SUBCOMMANDS:
            subcommand.add_arguments(actions.add_parser(subcommand.name, help=subcommand.help))

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        subcommand = next(s for s in SUBCOMMANDS if s.name == action)
        subcommand(self).handle(**options)

"""`stadga policy`: load, adopt, compare and list policy libraries (P3.1).

    stadga policy load FILE [FILE …] | --shipped
    stadga policy adopt KEY VERSION --municipality SLUG [--adopted-on DATE] [--decision REF]
    stadga policy compare KEY OLD_VERSION NEW_VERSION
    stadga policy list

A file with errors loads nothing: every error is printed with its line and the exit status is 1.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stadga.core.tabular.commands import municipality_by_slug, user_by_name
from stadga.policy.library import LibraryError, read_library, shipped_libraries
from stadga.policy.models import Policy
from stadga.policy.services_library import (
    DiffStatus,
    diff_counts,
    policy_adopt,
    policy_compare,
    policy_load,
)

MARKS = {
    DiffStatus.ADDED: "+",
    DiffStatus.REMOVED: "-",
    DiffStatus.CHANGED: "~",
    DiffStatus.UNCHANGED: " ",
}


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)r is not a date (YYYY-MM-DD).") % {"value": value}) from None


class Command(BaseCommand):
    help = "Load, adopt, compare and list policy libraries (versioned YAML files of clauses)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        load = actions.add_parser(
            "load",
            help="Check and load library files; a version already loaded is left as it is.",
        )
        load.add_argument("files", nargs="*", metavar="FILE", help="YAML library files.")
        load.add_argument(
            "--shipped", action="store_true", help="Load the libraries shipped with Stadga."
        )

        adopt = actions.add_parser(
            "adopt", help="Record a municipality's decision to adopt a policy version."
        )
        adopt.add_argument("key", help="The library's key, e.g. karlsborg-it-policy-2006.")
        adopt.add_argument("version", help="The version, e.g. 2006-09-25.")
        adopt.add_argument("--municipality", required=True, help="The municipality's short name.")
        adopt.add_argument(
            "--adopted-on", help="The date of the decision, YYYY-MM-DD (default: today)."
        )
        adopt.add_argument("--decision", default="", help="The decision's reference (§, Dnr).")
        adopt.add_argument(
            "--user", help="The user the change log names (default: the system itself)."
        )

        compare = actions.add_parser(
            "compare", help="Compare two versions of a library clause by clause."
        )
        compare.add_argument("key")
        compare.add_argument("old_version")
        compare.add_argument("new_version")

        actions.add_parser("list", help="List the loaded libraries and their versions.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"handle_{action}")(**options)

    # --- load --------------------------------------------------------------------------------

    def handle_load(self, *, files: list[str], shipped: bool, **options: Any) -> None:
        paths = [Path(f) for f in files]
        if shipped:
            paths += shipped_libraries()
        if not paths:
            raise CommandError(_("Name the library files to load, or give --shipped."))
        errors: list[str] = []
        failed = 0
        for path in paths:
            try:
                result = policy_load(library=read_library(path), actor=None)
            except LibraryError as error:
                # Every file is checked, so one run reports every problem of every file.
                failed += 1
                errors += [f"{error.source or path}: {message}" for message in error.messages]
                continue
            policy = result.policy
            if result.created:
                self.stdout.write(
                    _("Loaded %(key)s version %(version)s (%(count)s clauses) from %(file)s.")
                    % {
                        "key": policy.key,
                        "version": policy.version,
                        "count": policy.clauses.count(),
                        "file": path.name,
                    }
                )
            elif result.updated_clauses:
                # The text is the same; Stadga measures some clauses differently (P3.1).
                count = len(result.updated_clauses)
                self.stdout.write(
                    ngettext(
                        "%(key)s version %(version)s is already loaded; updated the rule "
                        "bindings of %(count)s clause (%(clauses)s).",
                        "%(key)s version %(version)s is already loaded; updated the rule "
                        "bindings of %(count)s clauses (%(clauses)s).",
                        count,
                    )
                    % {
                        "key": policy.key,
                        "version": policy.version,
                        "count": count,
                        "clauses": ", ".join(result.updated_clauses),
                    }
                )
            else:
                self.stdout.write(
                    _("%(key)s version %(version)s is already loaded; nothing was changed.")
                    % {"key": policy.key, "version": policy.version}
                )
        if failed:
            summary = _("%(failed)s of %(total)s files could not be loaded.") % {
                "failed": failed,
                "total": len(paths),
            }
            raise CommandError("\n".join([*errors, summary]))

    # --- adopt -------------------------------------------------------------------------------

    def handle_adopt(
        self,
        *,
        key: str,
        version: str,
        municipality: str,
        adopted_on: str | None,
        decision: str,
        user: str | None,
        **options: Any,
    ) -> None:
        target = municipality_by_slug(municipality)
        policy = self.policy(key, version)
        try:
            adoption = policy_adopt(
                municipality=target,
                policy=policy,
                adopted_on=_date(adopted_on) if adopted_on else timezone.localdate(),
                decision_reference=decision,
                actor=user_by_name(user),
            )
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        self.stdout.write(
            _("%(municipality)s adopted %(policy)s on %(date)s.")
            % {
                "municipality": target.name,
                "policy": policy,
                "date": adoption.adopted_on.isoformat(),
            }
        )

    # --- compare -----------------------------------------------------------------------------

    def handle_compare(
        self, *, key: str, old_version: str, new_version: str, **options: Any
    ) -> None:
        old = self.policy(key, old_version)
        new = self.policy(key, new_version)
        diffs = policy_compare(old, new)
        for diff in diffs:
            if diff.status == DiffStatus.UNCHANGED and options["verbosity"] < 2:
                continue
            line = f"{MARKS[DiffStatus(diff.status)]} {diff.clause_id:<8} {diff.status_label}"
            if diff.changed:
                line += ": " + ", ".join(diff.changed_labels)
            self.stdout.write(line)
        counts = diff_counts(diffs)
        self.stdout.write(
            _("%(added)s added, %(removed)s removed, %(changed)s changed, %(unchanged)s unchanged.")
            % counts
        )

    # --- list --------------------------------------------------------------------------------

    def handle_list(self, **options: Any) -> None:
        policies = Policy.objects.annotate(clause_count=Count("clauses")).order_by(
            "key", "adopted_on", "version"
        )
        if not policies:
            self.stdout.write(_("No policy library is loaded."))
            return
        for policy in policies:
            self.stdout.write(
                f"{policy.key}  {policy.version}  {policy.title}  "
                + _("(%(count)s clauses, adopted %(date)s by %(body)s)")
                % {
                    "count": policy.clause_count,  # type: ignore[attr-defined]
                    "date": policy.adopted_on.isoformat(),
                    "body": policy.issuing_body,
                }
            )

    # --- helpers -----------------------------------------------------------------------------

    def policy(self, key: str, version: str) -> Policy:
        try:
            return Policy.objects.get(key=key, version=version)
        except Policy.DoesNotExist:
            raise CommandError(
                _("There is no policy %(key)s version %(version)s; load it first.")
                % {"key": key, "version": version}
            ) from None

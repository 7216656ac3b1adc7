"""`stadga compliance --municipality SLUG [--format text|json] [--board ID] [--department ID]`:
every clause of the municipality's adopted policy with its status and figure (P3.1).

The exit status is 0 whatever the clauses' status: the command reports, it does not judge. It is
1 (a CommandError) only when there is nothing to report on: an unknown municipality, board or
department, or no adopted policy. The JSON is documented in docs/compliance.md.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stadga.core.tabular.commands import municipality_by_slug
from stadga.organisation.models import Board, Department, Municipality
from stadga.policy.choices import Status
from stadga.policy.engine import ClauseResult, Evaluation, evaluate
from stadga.policy.report import evaluation_as_dict

TEXT, JSON = "text", "json"


class Command(BaseCommand):
    help = (
        "Print every clause of the municipality's adopted policy with its compliance status, "
        "figure, responsible role and number of offending objects."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="The municipality's short name.")
        parser.add_argument("--format", dest="output_format", choices=(TEXT, JSON), default=TEXT)
        parser.add_argument("--board", type=int, help="Only the systems of this board (its id).")
        parser.add_argument(
            "--department", type=int, help="Only the systems of this department (its id)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_by_slug(options["municipality"])
        board = self._scope(Board, options.get("board"), municipality, _("board"))
        department = self._scope(
            Department, options.get("department"), municipality, _("department")
        )
        evaluation = evaluate(municipality, board=board, department=department)
        if evaluation is None:
            raise CommandError(
                _(
                    "%(municipality)s has adopted no policy: adopt one before its compliance "
                    "can be evaluated."
                )
                % {"municipality": municipality}
            )
        if options["output_format"] == JSON:
            data = evaluation_as_dict(
                evaluation, municipality=municipality, board=board, department=department
            )
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.write_text(evaluation, municipality=municipality, scope=department or board)

    @staticmethod
    def _scope(
        model: type[Board] | type[Department],
        pk: int | None,
        municipality: Municipality,
        noun: str,
    ) -> Any:
        """The board or department to narrow to; one of another municipality is unknown."""
        if pk is None:
            return None
        found = model.objects.filter(municipality=municipality, pk=pk).first()
        if found is None:
            raise CommandError(
                _("%(municipality)s has no %(noun)s with id %(pk)s.")
                % {"municipality": municipality, "noun": noun, "pk": pk}
            )
        return found

    def write_text(self, evaluation: Evaluation, *, municipality: Municipality, scope: Any) -> None:
        policy = evaluation.policy
        self.stdout.write(f"{policy.display_title} ({policy.version}) — {municipality}")
        if scope is not None:
            self.stdout.write(_("Only: %(scope)s") % {"scope": scope})
        self.stdout.write(
            _("Evaluated at %(time)s")
            % {"time": timezone.localtime(evaluation.evaluated_at).strftime("%Y-%m-%d %H:%M")}
        )
        width = max((len(str(label)) for _value, label in Status.choices), default=0)
        for section, title, results in evaluation.by_section():
            self.stdout.write("")
            self.stdout.write(self.style.MIGRATE_HEADING(f"{section} {title}"))
            for result in results:
                self.stdout.write(self.clause_line(result, municipality=municipality, width=width))
        self.stdout.write("")
        counts = evaluation.counts()
        self.stdout.write(
            " · ".join(f"{label}: {counts[value]}" for value, label in Status.choices)
        )

    def clause_line(self, result: ClauseResult, *, municipality: Municipality, width: int) -> str:
        """`P9.3  Partly met   37 of 40 systems … · System owner · 3 offenders`"""
        clause = result.clause
        label = str(Status(result.status).label).ljust(width)
        styled = {
            Status.MET: self.style.SUCCESS,
            Status.PARTLY_MET: self.style.WARNING,
            Status.NOT_MET: self.style.ERROR,
        }.get(Status(result.status), str)(label)
        parts = [result.figure] if result.figure else []
        if clause.attestation_required:
            parts.append(self.attestation_state(result))
        if not parts:
            parts.append(_("not measured"))
        if clause.responsible_role:
            parts.append(municipality.role_label(clause.responsible_role))
        if result.offender_count:
            parts.append(
                ngettext(
                    "%(count)s offending object",
                    "%(count)s offending objects",
                    result.offender_count,
                )
                % {"count": result.offender_count}
            )
        return f"  {clause.clause_id:<7} {styled}  {' · '.join(parts)}"

    @staticmethod
    def attestation_state(result: ClauseResult) -> str:
        """For a clause a person judges: attested until when, expired, or not yet attested."""
        if result.attestations:
            until = max(a.valid_until for a in result.attestations)
            return _("attested until %(date)s") % {"date": until.isoformat()}
        if result.expired_attestations:
            return _("the attestation has expired")
        return _("not attested")

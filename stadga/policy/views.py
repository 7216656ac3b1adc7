"""The live policy page, the executive board's dashboard (P3.1) and attestations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from stadga.core.views import MunicipalityView
from stadga.organisation.models import Board, Department, Person
from stadga.systems.models import System

from .choices import Status
from .engine import Evaluation, current_adoption, evaluate
from .forms import AttestationForm
from .models import Attestation, Clause, ComplianceSnapshot
from .services_attestations import attestation_create

# How many snapshots the trend shows.
TREND_LENGTH = 30


class PolicyView(MunicipalityView):
    """Who reads compliance: everyone who reads the whole municipality (the IT department, the
    executive board, auditors), and board members, board secretaries and department heads for
    their own share."""

    nav_section = "policy"

    def scope(self) -> tuple[Board | None, Department | None]:
        """The board or department the page is narrowed to: chosen, or forced by the role."""
        m = self.municipality
        if self.access.reads_all(m.pk):
            board = self._pick(Board, "board")
            department = self._pick(Department, "department")
            return board, department
        own_departments = Department.objects.filter(
            municipality=m, pk__in=self.access.department_head_of, archived_at__isnull=True
        )
        own_boards = Board.objects.filter(
            municipality=m, pk__in=self.access.board_of, archived_at__isnull=True
        )
        board = own_boards.first()
        if board is not None:
            return board, None
        department = own_departments.first()
        if department is not None:
            return None, department
        raise PermissionDenied

    def _pick(self, model: type[Board] | type[Department], name: str) -> Any:
        value = self.request.GET.get(name, "")
        if not value.isdigit():
            return None
        return model.objects.filter(
            municipality=self.municipality, pk=int(value), archived_at__isnull=True
        ).first()

    def context(self, **extra: Any) -> dict[str, Any]:
        return super().context(
            can_adopt=self.access.manages_organisation(self.municipality.pk), **extra
        )

    def trend(self) -> list[ComplianceSnapshot]:
        return list(
            ComplianceSnapshot.objects.filter(municipality=self.municipality).order_by("-taken_on")[
                :TREND_LENGTH
            ]
        )[::-1]

    def filter_choices(self) -> dict[str, Any]:
        if not self.access.reads_all(self.municipality.pk):
            return {}
        m = self.municipality
        return {
            "boards": Board.objects.filter(municipality=m, archived_at__isnull=True),
            "departments": Department.objects.filter(municipality=m, archived_at__isnull=True),
        }

    def can_attest(self, clause: Clause) -> bool:
        """The clause's responsible role attests; the IT coordinator may record it for them."""
        m = self.municipality
        if not self.access.persons.get(m.pk):
            return False
        if self.access.manages_organisation(m.pk):
            return True
        return bool(clause.responsible_role) and self.access.has_role(m.pk, clause.responsible_role)


def _status_counts(evaluation: Evaluation) -> list[tuple[str, str, int]]:
    counts = evaluation.counts()
    return [(status.value, str(status.label), counts[status.value]) for status in Status]


class LiveView(PolicyView):
    """The adopted policy as a document, each clause with its status, figure, responsible role,
    offenders and attestations (P3.1)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        board, department = self.scope()
        evaluation = evaluate(self.municipality, board=board, department=department)
        context = self.context(
            evaluation=evaluation,
            board=board,
            department=department,
            trend=self.trend(),
            **self.filter_choices(),
        )
        if evaluation is not None:
            context["status_counts"] = _status_counts(evaluation)
            context["attestable"] = {
                r.clause.pk for r in evaluation.clauses if self.can_attest(r.clause)
            }
        return TemplateResponse(request, "policy/live.html", context)


class DashboardView(PolicyView):
    """The executive board's view (P3.1): compliance per section and per board, and what
    changed since the last snapshot."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.access.reads_all(self.municipality.pk):
            raise PermissionDenied
        evaluation = evaluate(self.municipality)
        context = self.context(evaluation=evaluation, trend=self.trend())
        if evaluation is not None:
            context["status_counts"] = _status_counts(evaluation)
            context["sections"] = [
                (section, title, _count(results))
                for section, title, results in evaluation.by_section()
            ]
            boards = Board.objects.filter(municipality=self.municipality, archived_at__isnull=True)
            context["boards"] = [
                (board, _count(evaluate(self.municipality, board=board).clauses))  # type: ignore[union-attr]
                for board in boards
            ]
            context["changes"] = _changes_since_snapshot(evaluation, self.municipality)
        return TemplateResponse(request, "policy/dashboard.html", context)


def _count(results: list[Any]) -> dict[str, int]:
    counts = {status.value: 0 for status in Status}
    for result in results:
        counts[str(result.status)] += 1
    return counts


def _changes_since_snapshot(evaluation: Evaluation, municipality: Any) -> dict[str, Any]:
    """Clauses whose status differs from the latest snapshot before today."""
    from django.utils import timezone

    snapshot = (
        ComplianceSnapshot.objects.filter(
            municipality=municipality,
            policy=evaluation.policy,
            taken_on__lt=timezone.localdate(),
        )
        .order_by("-taken_on")
        .first()
    )
    if snapshot is None:
        return {"snapshot": None, "changed": []}
    changed = []
    for result in evaluation.clauses:
        before = snapshot.clauses.get(result.clause.clause_id, {}).get("status")
        if before is not None and before != str(result.status):
            changed.append((result, Status(before).label, Status(result.status).label))
    return {"snapshot": snapshot, "changed": changed}


class AttestView(PolicyView):
    """Record an attestation of a clause of the adopted policy."""

    template = "policy/attest.html"

    def setup_clause(self, clause_id: str) -> Clause:
        adoption = current_adoption(self.municipality)
        if adoption is None:
            raise Http404
        clause = get_object_or_404(Clause, policy=adoption.policy, clause_id=clause_id)
        if not self.can_attest(clause):
            raise PermissionDenied
        return clause

    def render(self, clause: Clause, form: AttestationForm) -> HttpResponse:
        return TemplateResponse(
            self.request,
            self.template,
            self.context(clause=clause, form=form),
            status=400 if form.is_bound and form.errors else 200,
        )

    def make_form(self, data: Any = None, files: Any = None) -> AttestationForm:
        return AttestationForm(data, files, municipality=self.municipality, access=self.access)

    def get(self, request: HttpRequest, *args: Any, clause_id: str, **kwargs: Any) -> HttpResponse:
        return self.render(self.setup_clause(clause_id), self.make_form())

    def post(self, request: HttpRequest, *args: Any, clause_id: str, **kwargs: Any) -> HttpResponse:
        clause = self.setup_clause(clause_id)
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid():
            person = Person.objects.get(
                municipality=self.municipality,
                pk__in=self.access.persons[self.municipality.pk],
                archived_at__isnull=True,
            )
            data = {name: form.cleaned_data[name] for name in form.fields}
            try:
                attestation = attestation_create(
                    municipality=self.municipality,
                    clause=clause,
                    data={**data, "attested_by": person},
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The attestation was recorded."))
                return HttpResponseRedirect(attestation.get_absolute_url())
        return self.render(clause, form)


class AttestationDetailView(PolicyView):
    def attestation(self, pk: int) -> Attestation:
        qs = Attestation.objects.filter(municipality=self.municipality).select_related(
            "clause__policy", "attested_by__municipality", "system__municipality", "municipality"
        )
        # Read by those who read the whole policy, by whoever made it, and by those who see
        # the system it speaks for.
        if not self.access.reads_all(self.municipality.pk):
            visible_systems = System.objects.filter(self.access.system_q())
            qs = qs.filter(
                Q(attested_by_id__in=self.access.person_ids) | Q(system__in=visible_systems)
            )
        return get_object_or_404(qs, pk=pk)

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        attestation = self.attestation(pk)
        return TemplateResponse(
            request, "policy/attestation_detail.html", self.context(attestation=attestation)
        )


class AttestationFileView(AttestationDetailView):
    """The evidence file, served only to those who may read the attestation."""

    def get(  # type: ignore[override]
        self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any
    ) -> FileResponse:
        attestation = self.attestation(pk)
        if not attestation.evidence_file:
            raise Http404
        return FileResponse(
            attestation.evidence_file.open("rb"),
            as_attachment=True,
            filename=str(attestation.evidence_file.name).rsplit("/", 1)[-1],
        )

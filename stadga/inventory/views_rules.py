"""Pages of the software dictionary (issue 6 item 2) and the software titles list, under
k/<municipality>/inventory/.

Everyone who reads the whole municipality (the IT department, the executive board's readers,
the auditors) sees the rules and the titles; only those who keep the register (the IT
department, P3.2) edit, try, reorder, import and replay the rules. Every write goes through
`services_rules`, which replays the dictionary over the titles; the pages say how many titles
that changed. The titles list is what the IT coordinator works through to reconcile the
installed software with the catalogue (P5.4, P5.5): by default the titles no rule matches, the
most installed first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stadga.core.tabular import views as tabular_views

from .choices import RuleAction
from .dictionary import Match, Trial, dictionary_try
from .forms_rules import (
    NormalisationRuleForm,
    RuleMoveForm,
    TitleFilterForm,
    TitleOutcome,
    TitleSort,
    prefill,
)
from .models import InventorySource, NormalisationRule, SoftwareTitle, Tally
from .services_rules import (
    dictionary_replay,
    normalisation_rule_archive,
    normalisation_rule_move,
    normalisation_rule_restore,
    normalisation_rule_save,
)
from .tabular import NormalisationRuleTabular
from .views_base import NAV_SECTION
from .views_base import InventoryView as BaseInventoryView

TITLES_PER_PAGE = 25
# The trial lists at most this many changed titles (and says how many there are in all).
TRIAL_CHANGES = 100
TRIAL_MATCHES = 25


class InventoryView(BaseInventoryView):
    """A page of the software dictionary."""

    keeper_only = gettext_lazy("Only the IT department edits the software dictionary.")

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(
            f"inventory:{name}", kwargs={"municipality": self.municipality.slug, **kwargs}
        )

    def get_rule(self, pk: int) -> NormalisationRule:
        return get_object_or_404(
            NormalisationRule.objects.select_related("product", "product_version"),
            municipality=self.municipality,
            pk=pk,
        )


def _changed_message(changed: int) -> str:
    return ngettext(
        "%(count)s software title changed.", "%(count)s software titles changed.", changed
    ) % {"count": changed}


def _add_errors(form: Any, error: ValidationError) -> None:
    """A service's errors on the form's fields where it has them, else on the whole form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# --- the rules, in order ------------------------------------------------------------------------


class RuleListView(InventoryView):
    """The rules in the order they are tried, how many titles each decides now (one aggregate),
    and for the IT department the buttons that move, edit and archive them. `?archived=1`: the
    archived rules."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_reader()
        archived = request.GET.get("archived") == "1"
        rules = list(
            NormalisationRule.objects.filter(
                municipality=self.municipality, archived_at__isnull=not archived
            )
            .select_related("product", "product_version")
            .order_by("position")
        )
        decided: dict[int | None, int] = dict(
            SoftwareTitle.objects.filter(municipality=self.municipality)
            .values("rule")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("rule", "n")
        )
        rows = [
            {
                "rule": rule,
                "titles": decided.get(rule.pk, 0),
                "first": index == 0,
                "last": index == len(rules) - 1,
            }
            for index, rule in enumerate(rules)
        ]
        return TemplateResponse(
            request,
            "inventory/rule_list.html",
            self.context(
                rows=rows,
                archived=archived,
                can_edit=self.may_keep(),
                title_count=sum(decided.values()),
                unknown_count=decided.get(None, 0),
            ),
        )


@dataclass(frozen=True)
class Outcome:
    """What the dictionary makes of a title, as the pages show it."""

    kind: str  # a RuleAction value, or "unknown"
    label: str  # the product (and version) or the new name
    rule_position: int | None
    by_draft: bool = False


UNKNOWN = Outcome("unknown", "", None)


def _version_label(product: Any, version: Any) -> str:
    if product is None:
        return ""
    return f"{product.name} {version.version}" if version is not None else product.name


def stored_outcome(title: SoftwareTitle) -> Outcome:
    """What is stored on a title (read with its rule, product and version)."""
    if title.rule is None:
        return UNKNOWN
    position = title.rule.position
    if title.ignored:
        return Outcome(RuleAction.IGNORE, "", position)
    if title.product is not None:
        return Outcome(
            RuleAction.MAP, _version_label(title.product, title.product_version), position
        )
    return Outcome(RuleAction.RENAME, title.display_name, position)


def match_outcome(match: Match | None, draft: NormalisationRule) -> Outcome:
    """What a rule (with its product and version loaded) makes of a title."""
    if match is None:
        return UNKNOWN
    rule = match.rule
    label = match.display_name
    if match.action == RuleAction.MAP:
        label = _version_label(rule.product, rule.product_version)
    return Outcome(match.action, label, rule.position, by_draft=rule is draft)


class RuleEditView(InventoryView):
    """Create (no pk) or edit a rule. "Try" shows below the form what the draft would do —
    the titles whose result would change, before and after, and titles its pattern matches —
    and saves nothing; "Save" saves through the service, which replays the dictionary."""

    template = "inventory/rule_form.html"

    def setup_rule(self, pk: int | None) -> NormalisationRule | None:
        self.require_keeper()
        if pk is None:
            return None
        rule = self.get_rule(pk)
        if rule.is_archived:
            raise PermissionDenied(_("Restore the rule before editing it."))
        return rule

    def make_form(
        self, rule: NormalisationRule | None, data: Any = None, initial: Any = None
    ) -> NormalisationRuleForm:
        # The form validates a copy: the service compares it with the stored rule and logs only
        # what changed.
        instance = NormalisationRule.objects.get(pk=rule.pk) if rule is not None else None
        return NormalisationRuleForm(
            data,
            instance=instance,
            initial=initial,
            municipality=self.municipality,
            access=self.access,
        )

    def render(
        self, form: NormalisationRuleForm, rule: NormalisationRule | None, **extra: Any
    ) -> HttpResponse:
        return TemplateResponse(
            self.request,
            self.template,
            self.context(form=form, object=rule, list_url=self.url("rule_list"), **extra),
            status=400 if form.is_bound and form.errors else 200,
        )

    def get(
        self, request: HttpRequest, *args: Any, pk: int | None = None, **kwargs: Any
    ) -> HttpResponse:
        rule = self.setup_rule(pk)
        initial = prefill(request.GET) if rule is None else None
        return self.render(self.make_form(rule, initial=initial), rule)

    def post(
        self, request: HttpRequest, *args: Any, pk: int | None = None, **kwargs: Any
    ) -> HttpResponse:
        rule = self.setup_rule(pk)
        form = self.make_form(rule, request.POST)
        if not form.is_valid():
            return self.render(form, rule)
        if "try" in request.POST:
            return self.render(form, rule, trial=self.trial(form.instance))
        data = {name: form.cleaned_data[name] for name in form.fields}
        try:
            saved, changed = normalisation_rule_save(
                municipality=self.municipality, rule=rule, data=data, actor=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.render(form, rule)
        message = (
            _("Rule %(position)s was created.")
            if rule is None
            else _("Rule %(position)s was saved.")
        )
        messages.success(
            request,
            f"{message % {'position': saved.position}} {_changed_message(changed)}",
        )
        return HttpResponseRedirect(f"{self.url('rule_list')}#rule-{saved.pk}")

    def trial(self, draft: NormalisationRule) -> dict[str, Any]:
        """What the draft would do, ready for the page, in three queries whatever the number of
        titles: the rules in force, the titles (read in chunks), the listed titles' stored
        results."""
        result: Trial = dictionary_try(
            municipality=self.municipality,
            draft=draft,
            changes_limit=TRIAL_CHANGES,
            matches_limit=TRIAL_MATCHES,
        )
        stored = SoftwareTitle.objects.select_related("rule", "product", "product_version").in_bulk(
            [change.title_id for change in result.changes]
        )
        changes = [
            {
                "change": change,
                "before": stored_outcome(stored[change.title_id])
                if change.title_id in stored
                else UNKNOWN,
                "after": match_outcome(change.after, draft),
            }
            for change in result.changes
        ]
        matches = [
            {"match": match, "decided_by": match_outcome(match.decided_by, draft)}
            for match in result.matches
        ]
        return {
            "result": result,
            "changes": changes,
            "changes_hidden": result.changed - len(changes),
            "matches": matches,
            "matches_hidden": result.matched - len(matches),
        }


class RuleArchiveView(InventoryView):
    """Archive or restore a rule after a confirmation page; the dictionary is replayed."""

    archiving = True

    def setup_rule(self, pk: int) -> NormalisationRule:
        self.require_keeper()
        return self.get_rule(pk)

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        rule = self.setup_rule(pk)
        return TemplateResponse(
            request,
            "inventory/rule_archive.html",
            self.context(
                object=rule,
                archiving=self.archiving,
                list_url=self.url("rule_list"),
                cancel_url=self.url("rule_list") + ("" if self.archiving else "?archived=1"),
            ),
        )

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        rule = self.setup_rule(pk)
        with transaction.atomic():
            if self.archiving:
                normalisation_rule_archive(rule=rule, actor=request.user, replay=False)
                message = _("Rule %(position)s was archived.")
            else:
                normalisation_rule_restore(rule=rule, actor=request.user, replay=False)
                message = _("Rule %(position)s was restored.")
            changed = dictionary_replay(municipality=self.municipality, actor=request.user)
        messages.success(
            request, f"{message % {'position': rule.position}} {_changed_message(changed)}"
        )
        return HttpResponseRedirect(self.url("rule_list"))


class RuleReorderView(InventoryView):
    """POST: move one rule up or down a place (`direction`), or to a `position`; works as plain
    forms, one per row."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_keeper()
        try:
            pk = int(request.POST.get("rule", ""))
        except ValueError:
            pk = 0
        rule = self.get_rule(pk)
        back = f"{self.url('rule_list')}#rule-{rule.pk}"
        form = RuleMoveForm(request.POST)
        if rule.is_archived or not form.is_valid():
            messages.error(request, _("The rule could not be moved: give a position of 1 or more."))
            return HttpResponseRedirect(back)
        target = self.target(rule, form.cleaned_data)
        if target is None or target == rule.position:
            messages.info(
                request, _("Rule %(position)s stays where it is.") % {"position": rule.position}
            )
            return HttpResponseRedirect(back)
        changed = normalisation_rule_move(rule=rule, position=target, actor=request.user)
        rule.refresh_from_db(fields=["position"])
        messages.success(
            request,
            _("The rule “%(pattern)s” is now rule %(position)s.")
            % {"pattern": rule.pattern, "position": rule.position}
            + " "
            + _changed_message(changed),
        )
        return HttpResponseRedirect(back)

    def target(self, rule: NormalisationRule, data: dict[str, Any]) -> int | None:
        """The position to move to: a neighbour's for up and down, else the one given."""
        direction = data.get("direction")
        in_force = NormalisationRule.objects.filter(
            municipality=self.municipality, archived_at__isnull=True
        )
        if direction == "up":
            neighbour = in_force.filter(position__lt=rule.position).order_by("-position").first()
        elif direction == "down":
            neighbour = in_force.filter(position__gt=rule.position).order_by("position").first()
        else:
            return data["position"]
        return neighbour.position if neighbour is not None else None


class RulesReplayView(InventoryView):
    """POST: replay the dictionary over every title (e.g. after products were renamed or
    archived in the catalogue) and say how many changed."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_keeper()
        changed = dictionary_replay(municipality=self.municipality, actor=request.user)
        messages.success(
            request,
            _("The dictionary was replayed over every title.") + " " + _changed_message(changed),
        )
        return HttpResponseRedirect(self.url("rule_list"))


# --- import and export of the rules -------------------------------------------------------------


class _RuleTabular(tabular_views.TabularView):
    spec_class = NormalisationRuleTabular
    nav_section = NAV_SECTION
    url_names = {
        "list": "inventory:rule_list",
        "import": "inventory:rule_import",
        "confirm": "inventory:rule_import_confirm",
        "template": "inventory:rule_import_template",
        "export": "inventory:rule_export",
    }
    import_template = "inventory/rule_import.html"
    preview_template = "inventory/rule_import_preview.html"

    def may_import(self) -> bool:
        return self.access.reads_all(self.municipality.pk) and self.access.keeps_register(
            self.municipality.pk
        )

    def require_reader(self) -> None:
        if not self.access.reads_all(self.municipality.pk):
            raise PermissionDenied

    def export_queryset(self) -> QuerySet[NormalisationRule]:
        """The rules the list shows: those in force, or the archived ones with `?archived=1`."""
        archived = self.request.GET.get("archived") == "1"
        return NormalisationRule.objects.filter(
            municipality=self.municipality, archived_at__isnull=not archived
        ).order_by("position")


class RuleImportView(_RuleTabular, tabular_views.ImportView):
    pass


class RuleImportConfirmView(_RuleTabular, tabular_views.ImportConfirmView):
    pass


class RuleImportTemplateView(_RuleTabular, tabular_views.TemplateDownloadView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.require_reader()
        return super().get(request, *args, **kwargs)


class RuleExportView(_RuleTabular, tabular_views.ExportView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.require_reader()
        return super().get(request, *args, **kwargs)


# --- the software titles ------------------------------------------------------------------------


def installations_in_current_snapshots(municipality: Any) -> Any:
    """An expression for a title's installations in its municipality's current snapshots (the
    sum of their tallies); reads the current snapshots' ids first (one query)."""
    current = list(
        InventorySource.objects.filter(
            municipality=municipality, current_snapshot__isnull=False
        ).values_list("current_snapshot_id", flat=True)
    )
    if not current:
        return Value(0, output_field=models.BigIntegerField())
    total = (
        Tally.objects.filter(title=OuterRef("pk"), snapshot_id__in=current)
        .order_by()
        .values("title")
        .annotate(total=Sum("installations"))
        .values("total")
    )
    return Coalesce(
        Subquery(total, output_field=models.BigIntegerField()),
        Value(0, output_field=models.BigIntegerField()),
    )


OUTCOME_FILTERS = {
    TitleOutcome.UNKNOWN: Q(rule__isnull=True),
    TitleOutcome.MAPPED: Q(rule__isnull=False, product__isnull=False),
    TitleOutcome.IGNORED: Q(rule__isnull=False, ignored=True),
    TitleOutcome.RENAMED: Q(rule__isnull=False, product__isnull=True, ignored=False),
    TitleOutcome.ALL: Q(),
}

SORTS = {
    TitleSort.MOST_INSTALLED: ("-installations", "name", "publisher", "version", "pk"),
    TitleSort.LEAST_INSTALLED: ("installations", "name", "publisher", "version", "pk"),
    TitleSort.NAME: ("name", "publisher", "version", "pk"),
}


class TitleListView(InventoryView):
    """The municipality's distinct software titles with what the dictionary made of them and
    their installations in the current snapshots; by default the unknown ones, the most
    installed first. A fixed number of queries whatever the number of titles."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_reader()
        form = TitleFilterForm(request.GET)
        chosen = form.values()
        titles = (
            SoftwareTitle.objects.filter(municipality=self.municipality)
            .filter(OUTCOME_FILTERS[chosen["outcome"]])
            .select_related("rule", "product", "product_version")
            .annotate(installations=installations_in_current_snapshots(self.municipality))
        )
        if chosen["q"]:
            titles = titles.filter(
                Q(name__icontains=chosen["q"]) | Q(publisher__icontains=chosen["q"])
            )
        rule = None
        if chosen["rule"]:
            rule = NormalisationRule.objects.filter(
                municipality=self.municipality, pk=chosen["rule"]
            ).first()
            titles = titles.filter(rule_id=chosen["rule"])
        titles = titles.order_by(*SORTS[chosen["sort"]])
        page = Paginator(titles, TITLES_PER_PAGE).get_page(request.GET.get("page"))
        rows = [{"title": title, "outcome": stored_outcome(title)} for title in page]
        return TemplateResponse(
            request,
            "inventory/title_list.html",
            self.context(
                form=form,
                chosen=chosen,
                page=page,
                rows=rows,
                rule=rule,
                can_edit=self.may_keep(),
                sort_installations=(
                    TitleSort.LEAST_INSTALLED
                    if chosen["sort"] == TitleSort.MOST_INSTALLED
                    else TitleSort.MOST_INSTALLED
                ),
            ),
        )

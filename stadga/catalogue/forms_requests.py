"""Forms of the product requests (P5.4), their assessment and decisions, the coordination
inquiries (P8.2), the executive board's exceptions (P5.6) and the catalogue settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadga.cooperation.selectors import partners as group_partners
from stadga.core.forms import ScopedModelForm
from stadga.organisation.choices import BoardKind
from stadga.organisation.models import Municipality
from stadga.systems.models import System

from .choices import Answer, Outcome, RequestStatus, Verdict
from .models import ApprovalStep, CatalogueSettings, PolicyException, ProductRequest
from .services_requests import EXCEPTION_FIELDS, REQUEST_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProductRequestForm(ScopedModelForm):
    """What an employee fills in to request a product (P5.4)."""

    class Meta:
        model = ProductRequest
        fields = list(REQUEST_FIELDS)
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 4}),
            "expected_benefit": forms.Textarea(attrs={"rows": 3}),
            "information_handled": forms.Textarea(attrs={"rows": 3}),
            "systems": forms.SelectMultiple(attrs={"size": 6}),
            "goals": forms.CheckboxSelectMultiple,
        }
        labels = {"goals": _("Goals it serves (P2)")}
        help_texts = {
            "goals": _("The municipality's IT goals the product helps reach."),
            "title": _("In a few words, e.g. 'A tool for digital meetings with citizens'."),
            "product": _("Choose it if the product is already in the catalogue."),
            "product_name": _("Otherwise, write the product's name."),
            "expected_benefit": _(
                "What the municipality gains, for whom, and how you will know (P1.2)."
            ),
            "information_handled": _("What information the product will store or process."),
            "is_in_house_development": _(
                "Built by or for the municipality itself. Not allowed without an exception of "
                "the executive board (P5.6)."
            ),
            "is_unfinished": _(
                "Still under development or not yet in use elsewhere. Not allowed without an "
                "exception of the executive board (P5.6)."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        systems = self.fields["systems"]
        assert isinstance(systems, forms.ModelMultipleChoiceField)
        assert systems.queryset is not None
        current = [getattr(s, "pk", s) for s in self.initial.get("systems") or []]
        visible = System.objects.filter(self.access.system_q()).values("pk")
        systems.queryset = systems.queryset.filter(Q(pk__in=visible) | Q(pk__in=current))
        for name in ("product", "vendor", "category"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.empty_label = _("– not in the catalogue –") if name != "category" else "–"

    def clean_product_name(self) -> str:
        return (self.cleaned_data.get("product_name") or "").strip()

    def clean_vendor_name(self) -> str:
        return (self.cleaned_data.get("vendor_name") or "").strip()


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the request is withdrawn"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AssessmentForm(forms.Form):
    """The IT department's assessment of one criterion, with its note (P5.1–P5.7)."""

    verdict = forms.ChoiceField(label=_("Assessment"), choices=Verdict.choices)
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the assessment rests on."),
    )


class StepDecideForm(forms.Form):
    """One signer's decision on a step, always with written reasons (P5.4)."""

    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reasons for the decision"), widget=forms.Textarea(attrs={"rows": 4})
    )
    constraints = forms.CharField(
        label=_("Constraints"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when approving with constraints, e.g. 'only the web version'."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("outcome") == Outcome.APPROVED_WITH_CONSTRAINTS
            and not (data.get("constraints") or "").strip()
        ):
            self.add_error("constraints", _("State the constraints in words."))
        return data


class PartnerChoiceField(forms.ModelChoiceField):
    """The municipalities in Stadga, the cooperation groups' partners marked as such."""

    group_partner_ids: frozenset[int] = frozenset()

    def label_from_instance(self, obj: Any) -> str:
        if obj.pk in self.group_partner_ids:
            return str(_("%(name)s (partner in a cooperation group)") % {"name": obj.name})
        return str(obj.name)


class RecipientAddForm(forms.Form):
    """Ask one more municipality (P8.2): a partner in Stadga, or another by name. The partners
    in the municipality's cooperation groups come first, then every other municipality."""

    partner = PartnerChoiceField(
        label=_("Municipality in Stadga"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label="–",
        help_text=_("It answers in Stadga; its IT coordinators are notified."),
    )
    organisation_name = forms.CharField(
        label=_("Or another municipality's name"),
        required=False,
        max_length=200,
        help_text=_("You record its answer here when you get it."),
    )
    asked_on = forms.DateField(label=_("Asked on"), widget=DATE, required=False)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, PartnerChoiceField)
        field.group_partner_ids = frozenset(
            partner.municipality.pk for partner in group_partners(municipality)
        )
        field.queryset = (
            Municipality.objects.filter(archived_at__isnull=True)
            .exclude(pk=municipality.pk)
            .annotate(
                is_group_partner=Case(
                    When(pk__in=field.group_partner_ids, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("is_group_partner", "name", "pk")
        )
        if not self.is_bound:
            self.initial.setdefault("asked_on", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        partner, name = data.get("partner"), (data.get("organisation_name") or "").strip()
        if partner is None and not name:
            self.add_error("partner", _("Choose a municipality in Stadga or write its name."))
        elif partner is not None and name:
            self.add_error(
                "organisation_name",
                _("Choose a municipality in Stadga or write a name, not both."),
            )
        return data


ANSWER_CHOICES = [(v, label) for v, label in Answer.choices if v != Answer.NO_ANSWER]


class AnswerForm(forms.Form):
    """A municipality's answer to a coordination inquiry (P8.2)."""

    answer = forms.ChoiceField(label=_("Answer"), choices=ANSWER_CHOICES, widget=forms.RadioSelect)
    answer_text = forms.CharField(
        label=_("Answer in words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. which product you already use, or who to contact."),
    )


class RecordAnswerForm(AnswerForm):
    """The asking IT department records an answer received outside Stadga."""

    answered_on = forms.DateField(label=_("Answered on"), widget=DATE, required=False)
    answered_by_name = forms.CharField(label=_("Answered by"), required=False, max_length=200)


class CloseInquiryForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the answers mean for the request, e.g. a joint procurement."),
    )


class WaiveInquiryForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the inquiry is waived"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PolicyExceptionForm(ScopedModelForm):
    """The executive board's exception from P5.6, as the IT department records it."""

    class Meta:
        model = PolicyException
        fields = list(EXCEPTION_FIELDS)
        widgets = {"decided_on": DATE, "reason": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "system": _("The system in the register the exception is for, or:"),
            "request": _("the product request the exception is for."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        board = self.fields["board"]
        assert isinstance(board, forms.ModelChoiceField) and board.queryset is not None
        board.queryset = board.queryset.filter(kind=BoardKind.EXECUTIVE_BOARD)
        request = self.fields["request"]
        assert isinstance(request, forms.ModelChoiceField) and request.queryset is not None
        request.queryset = request.queryset.filter(
            status__in=(RequestStatus.DRAFT, RequestStatus.SUBMITTED)
        )


class CatalogueSettingsForm(ScopedModelForm):
    """Reminder periods and the neighbours asked before a new business system (P8.2)."""

    class Meta:
        model = CatalogueSettings
        fields = ["request_wait_days", "phase_out_notice_days", "neighbours", "other_neighbours"]
        widgets = {
            "neighbours": forms.CheckboxSelectMultiple,
            "other_neighbours": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        neighbours = self.fields["neighbours"]
        assert isinstance(neighbours, forms.ModelMultipleChoiceField)
        neighbours.queryset = Municipality.objects.filter(archived_at__isnull=True).exclude(
            pk=self.municipality.pk
        )


class ApprovalStepForm(ScopedModelForm):
    """A sign-off after the IT department's, e.g. the department head's above a cost."""

    class Meta:
        model = ApprovalStep
        fields = ["order", "name", "approver", "min_total_cost", "only_business_systems"]

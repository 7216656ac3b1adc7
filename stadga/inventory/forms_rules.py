"""Forms of the software dictionary's pages: a rule, a rule's place in the order, and the filters
of the software titles list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedModelForm

from .choices import RuleAction, RuleField, RuleMatch
from .models import NormalisationRule


class NormalisationRuleForm(ScopedModelForm):
    """Every field of a rule. Products and versions come from the municipality's catalogue (not
    archived); what an action does not use is dropped, so switching a rule from "map" to
    "ignore" needs no clearing of the product first. The model's `clean` reports an invalid
    regular expression on the pattern."""

    class Meta:
        model = NormalisationRule
        fields = [
            "position",
            "field",
            "match",
            "pattern",
            "action",
            "product",
            "product_version",
            "new_name",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "position": _(
                "Rules are tried in this order and the first that matches decides. A position "
                "another rule holds puts this rule in its place and moves the rules after it "
                "down one."
            ),
            "product": _("For a rule that maps: the catalogue product."),
            "product_version": _("Optional, for a rule that maps: one of the product's versions."),
            "new_name": _("For a rule that renames: the name to show."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        position = self.fields["position"]
        assert isinstance(position, forms.IntegerField)
        position.min_value = 1  # the model's validator; the field itself allows 0
        position.widget.attrs["min"] = 1
        product = self.fields["product"]
        version = self.fields["product_version"]
        assert isinstance(product, forms.ModelChoiceField)
        assert isinstance(version, forms.ModelChoiceField)
        # The scoped querysets (this municipality, not archived, plus the current choice), with
        # what the option labels read.
        assert product.queryset is not None and version.queryset is not None
        product.queryset = product.queryset.order_by("name")
        version.queryset = version.queryset.select_related("product").order_by(
            "product__name", "version"
        )
        if self.instance.pk is None and "position" not in self.initial:
            self.initial["position"] = next_position(self.municipality)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action and action != RuleAction.MAP:
            data["product"] = None
            data["product_version"] = None
        if action and action != RuleAction.RENAME:
            data["new_name"] = ""
        return data


def next_position(municipality: Any) -> int:
    """The position after every rule's, archived ones included: a new rule's default place."""
    top = NormalisationRule.objects.filter(municipality=municipality).aggregate(
        top=Max("position")
    )["top"]
    return (top or 0) + 1


def prefill(params: Any) -> dict[str, str]:
    """A new rule's initial field, matching and pattern from the query string (the titles
    list's "new rule" link: `?field=name&match=exact&pattern=…`); unknown values are left out."""
    initial: dict[str, str] = {}
    if params.get("field") in RuleField.values:
        initial["field"] = params["field"]
    if params.get("match") in RuleMatch.values:
        initial["match"] = params["match"]
    if params.get("action") in RuleAction.values:
        initial["action"] = params["action"]
    pattern = params.get("pattern", "").strip()
    if pattern:
        initial["pattern"] = pattern[:500]
    return initial


class RuleMoveForm(forms.Form):
    """Move a rule up or down one place, or to a position."""

    direction = forms.ChoiceField(
        choices=[("up", "up"), ("down", "down"), ("to", "to")], required=False
    )
    position = forms.IntegerField(label=_("New position"), min_value=1, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("direction") in ("", None, "to") and data.get("position") is None:
            raise forms.ValidationError(_("Give the position to move the rule to."))
        return data


class TitleOutcome:
    """What the dictionary made of a title, as the titles list filters it."""

    UNKNOWN = "unknown"
    MAPPED = "mapped"
    IGNORED = "ignored"
    RENAMED = "renamed"
    ALL = "all"

    choices = [
        (UNKNOWN, _("Unknown (no rule matches)")),
        (MAPPED, _("Mapped to a product")),
        (RENAMED, _("Renamed")),
        (IGNORED, _("Ignored")),
        (ALL, _("All titles")),
    ]


class TitleSort:
    MOST_INSTALLED = "-installations"
    LEAST_INSTALLED = "installations"
    NAME = "name"

    choices = [
        (MOST_INSTALLED, _("Most installations first")),
        (LEAST_INSTALLED, _("Fewest installations first")),
        (NAME, _("Name")),
    ]


class TitleFilterForm(forms.Form):
    """The titles list's filters. Without any, the list shows what the IT coordinator works
    through: the titles no rule matches, the most installed first."""

    q = forms.CharField(label=_("Name or publisher"), required=False, max_length=200)
    outcome = forms.ChoiceField(
        label=_("What the dictionary made of it"), choices=TitleOutcome.choices, required=False
    )
    sort = forms.ChoiceField(label=_("Order"), choices=TitleSort.choices, required=False)
    rule = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, params: Any, **kwargs: Any) -> None:
        # Always bound, the defaults filled in, so the form shows the filters in force.
        data = {
            "outcome": TitleOutcome.ALL if params.get("rule") else TitleOutcome.UNKNOWN,
            "sort": TitleSort.MOST_INSTALLED,
        }
        data.update(
            {key: params.get(key) for key in ("q", "outcome", "sort", "rule") if key in params}
        )
        super().__init__(data, **kwargs)

    def values(self) -> dict[str, Any]:
        """The filters in force; a value that does not validate counts as not given."""
        self.is_valid()
        data = self.cleaned_data
        rule = data.get("rule")
        return {
            "q": (data.get("q") or "").strip(),
            "outcome": data.get("outcome") or (TitleOutcome.ALL if rule else TitleOutcome.UNKNOWN),
            "sort": data.get("sort") or TitleSort.MOST_INSTALLED,
            "rule": rule,
        }


__all__ = [
    "NormalisationRuleForm",
    "RuleMoveForm",
    "TitleFilterForm",
    "TitleOutcome",
    "TitleSort",
    "next_position",
    "prefill",
]

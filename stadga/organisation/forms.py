from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from stadga.core.forms import ScopedModelForm

from .choices import Role
from .models import Board, Department, ExternalOrganisation, Municipality, Person, RoleAssignment


class BoardForm(ScopedModelForm):
    class Meta:
        model = Board
        fields = ["name", "short_name", "kind"]


class DepartmentForm(ScopedModelForm):
    class Meta:
        model = Department
        fields = ["name", "board"]


class PersonForm(ScopedModelForm):
    # A username, not a list of every login: logins span municipalities, and their names are
    # not this municipality's to browse.
    user = forms.CharField(
        label=_("Login (username)"),
        required=False,
        max_length=150,
        help_text=_(
            "The username of an existing login. Linking it makes the login a member of the "
            "municipality, with this person's roles."
        ),
    )

    class Meta:
        model = Person
        fields = ["name", "title", "email", "phone", "department", "user"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.user_id and not self.is_bound:
            self.initial["user"] = self.instance.user.get_username()

    def clean_user(self) -> Any:
        username = self.cleaned_data["user"].strip()
        if not username:
            return None
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("There is no login with that username."))
        return user


class ExternalOrganisationForm(ScopedModelForm):
    # A bare "kommun.se" means the https site.
    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = ExternalOrganisation
        fields = ["name", "organisation_number", "responsibilities", "website", "contact"]


class RoleAssignmentForm(ScopedModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["person", "role", "board", "department", "system"]


class MunicipalitySettingsForm(forms.Form):
    """The municipality's names for the roles and the names of its consequence levels."""

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        for role in Role:
            self.fields[f"role_{role.value}"] = forms.CharField(
                label=role.label,
                required=False,
                max_length=100,
                initial=municipality.role_labels.get(role.value, ""),
                help_text=_("Leave empty to use the default name."),
            )
        self.levels = list(municipality.consequence_levels.all())
        for level in self.levels:
            self.fields[f"level_{level.level}_name"] = forms.CharField(
                label=_("Level %(level)s: name") % {"level": level.level},
                max_length=100,
                initial=level.name,
            )
            self.fields[f"level_{level.level}_description"] = forms.CharField(
                label=_("Level %(level)s: description") % {"level": level.level},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=level.description,
            )

    def role_fields(self) -> list[forms.BoundField]:
        return [self[f"role_{role.value}"] for role in Role]

    def level_fields(self) -> list[forms.BoundField]:
        return [
            self[f"level_{level.level}_{part}"]
            for level in self.levels
            for part in ("name", "description")
        ]

    def role_labels(self) -> dict[str, str]:
        return {role.value: self.cleaned_data[f"role_{role.value}"] for role in Role}

    def level_values(self) -> dict[int, tuple[str, str]]:
        return {
            level.level: (
                self.cleaned_data[f"level_{level.level}_name"],
                self.cleaned_data[f"level_{level.level}_description"],
            )
            for level in self.levels
        }

"""Form base classes: choices limited to the municipality, and filters that know it too."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _


def _scope(queryset: QuerySet, municipality: Any) -> QuerySet:
    """Choices from the municipality only, and never archived objects."""
    model = queryset.model
    names = {f.name for f in model._meta.get_fields()}
    if "municipality" in names:
        queryset = queryset.filter(municipality=municipality)
    if "archived_at" in names:
        queryset = queryset.filter(archived_at__isnull=True)
    return queryset


class ScopedModelForm(forms.ModelForm):
    """A model form for one municipality's object: related choices come from that municipality,
    and the instance knows its municipality before validation (so unique checks work)."""

    def __init__(self, *args: Any, municipality: Any, access: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.access = access
        if self.instance.pk is None:
            self.instance.municipality = municipality
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                field.queryset = _scope(field.queryset, municipality)
                # Keep an archived object that is already chosen, so an edit does not drop it.
                current = self.initial.get(self._field_name(field))
                if current:
                    ids = current if isinstance(current, list | tuple) else [current]
                    ids = [getattr(i, "pk", i) for i in ids]
                    field.queryset = field.queryset.model._default_manager.filter(
                        Q(pk__in=field.queryset.values("pk")) | Q(pk__in=ids)
                    )

    def _field_name(self, field: forms.Field) -> str:
        return next(name for name, f in self.fields.items() if f is field)


class ScopedFilterSet(django_filters.FilterSet):
    """A filter set whose related choices come from the municipality in the URL."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields: tuple[str, ...] = ("name",)

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        for f in self.filters.values():
            if isinstance(f, django_filters.ChoiceFilter):  # model choices too
                f.extra["empty_label"] = _("All")
            # django-filter builds a model choice field from the filter's own `queryset`:
            # scope that, so no filter offers another municipality's boards or people.
            queryset = getattr(f, "queryset", None)
            if isinstance(queryset, QuerySet):
                f.queryset = _scope(queryset, municipality)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


def model_label(model: type[Model]) -> str:
    return str(model._meta.verbose_name)

"""The operator's tool: municipalities (the tenants). Everything else is kept in Stadga's own
pages, where the municipality's rules apply; the admin is for superusers only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Municipality
from .services import municipality_create, municipality_update


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "code", "is_demo", "archived_at")
    search_fields = ("name", "slug", "code")
    fields = ("name", "slug", "code", "is_demo", "role_labels")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # municipalities hold public records: never deleted

    def save_model(self, request: HttpRequest, obj: Municipality, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in self.fields}
        if change:
            stored = Municipality.objects.get(pk=obj.pk)
            municipality_update(municipality=stored, data=data, actor=request.user)
        else:
            created = municipality_create(
                slug=data["slug"],
                name=data["name"],
                code=data["code"],
                is_demo=data["is_demo"],
                actor=request.user,
            )
            obj.pk = created.pk

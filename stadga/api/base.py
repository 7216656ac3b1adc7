"""The API's shared machinery: one generic viewset and serializer base every resource builds on.

Every endpoint answers the same questions the UI does, through the same `Access` and selectors:
an object the user may not see is a 404 (never listed, never a 403 with data); one they may see but
not change is a 403. Writes go through the apps' services, never through `serializer.save()`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.db.models import Model, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.relations import ManyRelatedField
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from stadga.core.net import client_ip
from stadga.organisation.access import Access, access_for
from stadga.organisation.models import Municipality
from stadga.organisation.selectors import municipality_list

# Object ids in URLs: digits only, and short enough for a bigint column on every database.
ID_PATTERN = r"[0-9]{1,18}"


def municipality_of(*, access: Access, model: type[Model], pk: int | str) -> Municipality:
    """The municipality an object belongs to, if the user is a member there; else a 404.

    One query; the object itself is then fetched through its app's selector, which applies the
    finer rules (e.g. which systems a board member may read)."""
    owner = model._default_manager.filter(pk=pk).values("municipality_id")[:1]
    return get_object_or_404(municipality_list(access=access).filter(pk=Subquery(owner)))


def flag_archived(request: Request) -> bool:
    """`?archived=true` lists archived objects; a value that is not a boolean is a 400."""
    raw = request.query_params.get("archived")
    if raw in (None, ""):
        return False
    try:
        return serializers.BooleanField().to_internal_value(raw)
    except ValidationError as error:
        raise ValidationError({"archived": error.detail}) from error


class Pagination(PageNumberPagination):
    """Pages of 50 by default; `?page_size=` up to 500 lets a client fetch a register whole."""

    page_size_query_param = "page_size"
    max_page_size = 500


class TokenThrottle(SimpleRateThrottle):
    """Bounds password guessing through the token endpoint, per client address: the one
    `core.net.client_ip` reads, so that behind a reverse proxy every client is not counted as
    the proxy."""

    scope = "token"
    rate = "20/min"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


# --- schema --------------------------------------------------------------------------------------

_SUMMARIES = {
    "list": _("List %(plural)s"),
    "retrieve": _("Read %(name)s"),
    "create": _("Create %(name)s"),
    "update": _("Replace %(name)s"),
    "partial_update": _("Change %(name)s"),
    "archive": _("Archive %(name)s"),
    "restore": _("Restore %(name)s"),
}


_RESOURCE = re.compile(r"^/api/v\d+/([^/{]+)/")


class ApiAutoSchema(AutoSchema):
    """Documents what the generic viewset does: an update is read back with the full
    serializer, archive and restore take no body, and archivable lists take `?archived=`."""

    def _action(self) -> str | None:
        return getattr(self.view, "action", None)

    def get_request_serializer(self) -> Any:
        if self._action() in ("archive", "restore"):
            return None
        return super().get_request_serializer()

    def get_response_serializers(self) -> Any:
        if self._action() in ("update", "partial_update", "archive", "restore"):
            return getattr(self.view, "serializer_class", None)
        return super().get_response_serializers()

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._action() == "list" and getattr(self.view, "archivable", False):
            parameters.append(
                OpenApiParameter(
                    name="archived",
                    type=bool,
                    location=OpenApiParameter.QUERY,
                    # Translated now, in the language the schema is generated in.
                    description=str(_("List archived objects instead of current ones.")),
                )
            )
        return parameters

    def get_tags(self) -> list[str]:
        """One group per resource: the path segment after the version, e.g. `systems`."""
        match = _RESOURCE.match(self.path)
        return [match.group(1)] if match else super().get_tags()

    def get_summary(self) -> str | None:
        template = _SUMMARIES.get(self._action() or "")
        model = getattr(self.view, "model", None)
        if template is None or model is None:
            return super().get_summary()
        meta = model._meta
        return str(template) % {"name": meta.verbose_name, "plural": meta.verbose_name_plural}


# --- serializers ---------------------------------------------------------------------------------

# What a client sees for an id that does not exist or that it may not see: the same words,
# so a 400 never tells one from the other.
NOT_FOUND_MESSAGES = {
    "does_not_exist": _('No object with id "{pk_value}" that you may use.'),
    "incorrect_type": _("Give the object's id as a number."),
}


class UiUrlMixin(serializers.Serializer):
    """`url`: the object's page in the UI, absolute when there is a request to build it from."""

    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, obj: Any) -> str | None:
        path = obj.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ScopedSerializer(UiUrlMixin, serializers.ModelSerializer):
    """A municipality's object: created in a municipality named by slug, referring only to
    objects of that same municipality which the user may see.

    `scoped_fields` maps each related field to the selector of what a body may reference; the
    field's queryset is narrowed to it, so an invisible id is "unknown" — the same 400 as an id
    that does not exist."""

    municipality = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Municipality.objects.none(),
        error_messages={
            "does_not_exist": _("Unknown municipality."),
            "invalid": _("Give the municipality's short name."),
        },
    )
    is_archived = serializers.BooleanField(read_only=True)

    scoped_fields: ClassVar[dict[str, Callable[[Access], QuerySet]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        access = self.access
        scoped = {"municipality": lambda a: municipality_list(access=a), **self.scoped_fields}
        for name, visible in scoped.items():
            field = self.fields.get(name)
            if field is None or field.read_only:
                continue
            relation: Any = field.child_relation if isinstance(field, ManyRelatedField) else field
            # Without a request (e.g. while the schema is generated) nothing may be referenced.
            relation.queryset = visible(access) if access is not None else relation.queryset.none()

    @property
    def access(self) -> Access | None:
        request = self.context.get("request")
        return access_for(request) if request is not None else None

    def target_municipality(self, attrs: Mapping[str, Any]) -> Municipality:
        """The municipality named in a create's body, or the one the object belongs to."""
        return attrs.get("municipality") or self.instance.municipality  # type: ignore[union-attr]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Everything a body refers to belongs to the object's own municipality."""
        municipality = self.target_municipality(attrs)
        errors: dict[str, Any] = {}
        for name in self.scoped_fields:
            value = attrs.get(name)
            related = value if isinstance(value, list | tuple) else [value]
            if any(o is not None and o.municipality_id != municipality.pk for o in related):
                errors[name] = [_("It belongs to another municipality.")]
        if errors:
            raise ValidationError(errors)
        return attrs


# --- viewsets ------------------------------------------------------------------------------------


class GovernedViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """List, read, create, change, archive and restore one kind of governed object.

    A resource declares its model, serializers, filters and the hooks below; reads go through
    its app's selectors, writes through its services. There is no DELETE: public records are
    archived, never deleted (a DELETE is a 405)."""

    model: ClassVar[type[Model]]
    serializer_class: type[serializers.Serializer]
    update_serializer_class: ClassVar[type[serializers.Serializer]]
    archivable: ClassVar[bool] = True
    lookup_value_regex = ID_PATTERN
    pagination_class = Pagination
    schema = ApiAutoSchema()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    # Why a write was refused, for the 403; resources say it in their own words.
    create_denied: ClassVar[Any] = _("You may not create this here.")
    change_denied: ClassVar[Any] = _("You may read this but not change it.")
    archive_denied: ClassVar[Any] = _("You may read this but not archive it.")

    # --- hooks each resource implements ----------------------------------------------------------

    def visible(self, *, archived: bool) -> QuerySet:
        """The selector's list of what the user may see."""
        raise NotImplementedError

    def visible_object(self, *, municipality: Municipality, pk: int) -> Model:
        """The selector's single object, archived or not; a 404 if the user may not see it."""
        raise NotImplementedError

    def may_create(self, municipality: Municipality) -> bool:
        raise NotImplementedError

    def may_change(self, instance: Any) -> bool:
        raise NotImplementedError

    def may_archive(self, instance: Any) -> bool:
        raise NotImplementedError

    def service_create(self, *, municipality: Municipality, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def service_update(self, *, instance: Any, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def service_archive(self, *, instance: Any) -> Model:
        raise NotImplementedError

    def service_restore(self, *, instance: Any) -> Model:
        raise NotImplementedError

    def check_changes(self, *, instance: Any, data: Mapping[str, Any]) -> None:
        """Refuse (403) a change to a field this user may not make; by default all may."""

    # --- plumbing --------------------------------------------------------------------------------

    @property
    def access(self) -> Access:
        return access_for(self.request)

    def get_queryset(self) -> QuerySet:
        archived = flag_archived(self.request) if self.action == "list" else False
        return self.visible(archived=archived)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action in ("update", "partial_update"):
            return self.update_serializer_class
        return self.serializer_class

    def get_object(self) -> Any:
        pk = int(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        municipality = municipality_of(access=self.access, model=self.model, pk=pk)
        instance = self.visible_object(municipality=municipality, pk=pk)
        self.check_object_permissions(self.request, instance)
        return instance

    def represent(self, instance: Any, status: int = 200) -> Response:
        """The object as the client reads it, fetched again through the selector so what it
        sees after a write is exactly what a read would show."""
        fresh = self.visible_object(municipality=instance.municipality, pk=instance.pk)
        serializer = self.serializer_class(fresh, context=self.get_serializer_context())
        return Response(serializer.data, status=status)

    def _refuse_create_early(self, data: Any) -> None:
        """A member without the right gets a 403 before any validation of the body; a
        municipality they are not a member of is left to the serializer ("unknown", a 400)."""
        slug = data.get("municipality") if isinstance(data, Mapping) else None
        if not isinstance(slug, str):
            return
        municipality = municipality_list(access=self.access).filter(slug=slug).first()
        if municipality is not None and not self.may_create(municipality):
            raise PermissionDenied(self.create_denied)

    # --- actions ---------------------------------------------------------------------------------

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        return Response(self.get_serializer(instance).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._refuse_create_early(request.data)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        municipality = data.pop("municipality")
        if not self.may_create(municipality):  # checked early already; kept beside the write
            raise PermissionDenied(self.create_denied)
        instance = self.service_create(municipality=municipality, data=data)
        return self.represent(instance, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        if not self.may_change(instance):
            raise PermissionDenied(self.change_denied)
        if instance.archived_at is not None:  # as in the UI: an archived record is read-only
            raise PermissionDenied(_("It is archived: restore it before changing it."))
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self.check_changes(instance=instance, data=data)
        instance = self.service_update(instance=instance, data=data)
        return self.represent(instance)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @action(detail=True, methods=["post"])
    def archive(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Archive: hidden from lists, kept as a public record, restorable."""
        instance = self.get_object()
        if not self.may_archive(instance):
            raise PermissionDenied(self.archive_denied)
        return self.represent(self.service_archive(instance=instance))

    @action(detail=True, methods=["post"])
    def restore(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Bring an archived object back into the lists."""
        instance = self.get_object()
        if not self.may_archive(instance):
            raise PermissionDenied(self.archive_denied)
        return self.represent(self.service_restore(instance=instance))

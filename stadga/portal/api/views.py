"""API endpoints of residents' messages (P7.1), with the pages' access rules (`portal.access`):
a message is read by its recipient and by those who read everything in the municipality, and
answered, published, closed and forwarded by its recipient and the IT department, through the
same services as the pages. Messages are created only by residents, on the public portal; they
are public records, so neither changed as a whole nor archived here."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from stadga.api.base import GovernedViewSet
from stadga.organisation.models import Municipality, Person

from .. import services
from ..access import answers_message, message_q
from ..choices import MessageKind, MessageStatus, Subject
from ..models import ResidentMessage
from ..selectors_messages import message_get
from . import serializers as s


class ResidentMessageFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(field_name="municipality__slug")
    status = django_filters.ChoiceFilter(choices=MessageStatus.choices)
    kind = django_filters.ChoiceFilter(choices=MessageKind.choices)
    subject = django_filters.ChoiceFilter(choices=Subject.choices)

    class Meta:
        model = ResidentMessage
        fields = ("municipality", "status", "kind", "subject", "system", "recipient")


class ResidentMessageViewSet(GovernedViewSet):
    """Views and questions from residents, and the municipality's answers."""

    model = ResidentMessage
    serializer_class = s.ResidentMessageSerializer
    filterset_class = ResidentMessageFilter
    search_fields = ("reference", "message", "answer")
    ordering_fields = ("created_at", "answered_at", "reference")
    # Received on the portal, never written whole through the API, never archived here.
    http_method_names = ["get", "post", "head", "options"]
    archivable = False
    archive = None  # type: ignore[assignment]
    restore = None  # type: ignore[assignment]
    create_denied = _("Residents send their views and questions through the public portal.")
    change_denied = _("Only the person responsible and the IT department answer a message.")

    def visible(self, *, archived: bool) -> QuerySet[ResidentMessage]:
        access = self.access
        messages = ResidentMessage.objects.filter(archived_at__isnull=not archived)
        if not access.is_operator:
            messages = messages.filter(message_q(access), municipality_id__in=access.member_of)
        return messages.select_related("municipality", "recipient", "answered_by")

    def visible_object(self, *, municipality: Municipality, pk: int) -> ResidentMessage:
        return message_get(self.access, municipality, pk)

    def may_create(self, municipality: Municipality) -> bool:
        return False

    def may_change(self, instance: Any) -> bool:
        return answers_message(self.access, instance)

    def may_archive(self, instance: Any) -> bool:
        return False

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise PermissionDenied(self.create_denied)

    def _writable(self) -> ResidentMessage:
        message = self.get_object()
        if not self.may_change(message):
            raise PermissionDenied(self.change_denied)
        return message

    @extend_schema(request=s.AnswerSerializer, responses=s.ResidentMessageSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Answer the message (e-mailed to the resident if they gave an address); `publish`
        shows the exchange on the portal, if the resident agreed."""
        message = self._writable()
        body = s.AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.represent(
            services.message_answer(
                message=message,
                answer=body.validated_data["answer"],
                publish=body.validated_data["publish"],
                actor=request.user,
            )
        )

    @extend_schema(request=s.PublishSerializer, responses=s.ResidentMessageSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Show an answered exchange on the portal (`published: true`), or take it down."""
        message = self._writable()
        body = s.PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.represent(
            services.message_publish(
                message=message, published=body.validated_data["published"], actor=request.user
            )
        )

    @extend_schema(request=None, responses=s.ResidentMessageSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Close a message that needs no answer or cannot get one."""
        message = self._writable()
        return self.represent(services.message_close(message=message, actor=request.user))

    @extend_schema(request=s.ForwardSerializer, responses=s.ResidentMessageSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Send the message on to a person of the same municipality, who gets it in the inbox."""
        message = self._writable()
        body = s.ForwardSerializer(data=request.data)
        body.fields["recipient"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            municipality=message.municipality, archived_at__isnull=True
        )
        body.is_valid(raise_exception=True)
        return self.represent(
            services.message_forward(
                message=message, recipient=body.validated_data["recipient"], actor=request.user
            )
        )

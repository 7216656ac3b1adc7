"""Residents' messages as the API reads them (P7.1), and the bodies of the actions that answer,
publish, close and forward them. Messages come in through the public portal only."""

from __future__ import annotations

from rest_framework import serializers

from stadga.api.base import ScopedSerializer
from stadga.organisation.models import Person
from stadga.security.api.serializers import InlineChoiceField

from ..choices import MessageKind, MessageStatus, Subject
from ..models import MESSAGE_MAX_LENGTH, ResidentMessage


class ResidentMessageSerializer(ScopedSerializer):
    """A view or question from a resident, with the answer. The resident's name and e-mail
    are personal data: the API shows them, as the message's page does, only to those who read
    the message."""

    kind = InlineChoiceField(choices=MessageKind.choices, read_only=True)
    subject = InlineChoiceField(choices=Subject.choices, read_only=True)
    status = InlineChoiceField(choices=MessageStatus.choices, read_only=True)
    recipient = serializers.IntegerField(source="recipient_id", read_only=True, allow_null=True)
    answered_by = serializers.CharField(source="answered_by.username", read_only=True, default=None)

    class Meta:
        model = ResidentMessage
        fields = (
            "id",
            "municipality",
            "reference",
            "kind",
            "subject",
            "system",
            "plan",
            "product",
            "status_report",
            "clause",
            "message",
            "name",
            "email",
            "publish_consent",
            "language",
            "recipient",
            "status",
            "answer",
            "answered_at",
            "answered_by",
            "published_at",
            "closed_at",
            "is_archived",
            "created_at",
            "url",
        )
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)
    publish = serializers.BooleanField(default=False)


class PublishSerializer(serializers.Serializer):
    published = serializers.BooleanField()


class ForwardSerializer(serializers.Serializer):
    recipient = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())

"""Residents' views and questions inside Stadga (P7.1): the inbox of messages the user may read,
one message with its answer, sending it on, closing it, and its history.

A message is read by its recipient and by those who read everything in the municipality
(`access.message_q`); any other (and another municipality's) is not found. It is answered,
published, sent on and closed by its recipient and the IT department (`access.answers_message`);
another reader who tries gets a 403.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.views import MunicipalityView

from . import services
from .access import answers_message
from .choices import MessageStatus
from .forms import MessageAnswerForm, MessageFilterForm, MessageForwardForm
from .models import PortalSettings, ResidentMessage
from .selectors_messages import message_get, overdue_q, visible_messages

NAV_SECTION = "portal"
PAGE_SIZE = 50


class MessagesView(MunicipalityView):
    nav_section = NAV_SECTION

    def target_days(self) -> int:
        return PortalSettings.for_municipality(self.municipality).answer_target_days

    def list_url(self) -> str:
        return reverse("portal:message_list", kwargs={"municipality": self.municipality.slug})


class MessageListView(MessagesView):
    """The messages the user may read, filtered by status and subject, overdue ones flagged.
    A fixed number of queries, whatever the number of messages."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        target = self.target_days()
        form = MessageFilterForm(request.GET or None)
        filters = form.values()
        queryset = visible_messages(self.access, self.municipality).filter(archived_at__isnull=True)
        if filters.get("status"):
            queryset = queryset.filter(status=filters["status"])
        if filters.get("subject"):
            queryset = queryset.filter(subject=filters["subject"])
        if filters.get("overdue"):
            queryset = queryset.filter(overdue_q(target))
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        today = timezone.localdate()
        rows = []
        for message in page.object_list:
            due_on = services.message_due_on(message, target)
            rows.append(
                {
                    "message": message,
                    "due_on": due_on,
                    "overdue": message.status == MessageStatus.RECEIVED and due_on < today,
                }
            )
        query = request.GET.copy()
        query.pop("page", None)
        return TemplateResponse(
            request,
            "portal/message_list.html",
            self.context(
                form=form,
                page=page,
                rows=rows,
                answer_target_days=target,
                query=query.urlencode(),
            ),
        )


class MessageView(MessagesView):
    """One message the user may read: what it is about, who sent it (personal data: shown only
    here), the answer, and what the user may do with it."""

    message: ResidentMessage

    def setup_message(self, pk: int) -> ResidentMessage:
        self.message = message_get(self.access, self.municipality, pk)
        return self.message

    def may_answer(self) -> bool:
        return answers_message(self.access, self.message) and self.message.archived_at is None

    def render(
        self,
        *,
        answer_form: MessageAnswerForm | None = None,
        forward_form: MessageForwardForm | None = None,
        action_errors: list[str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        message = self.message
        target = self.target_days()
        due_on = services.message_due_on(message, target)
        may_answer = self.may_answer()
        if may_answer:
            answer_form = answer_form or MessageAnswerForm(message=message)
            forward_form = forward_form or MessageForwardForm(
                municipality=self.municipality, message=message
            )
        slug = self.municipality.slug
        about_url = ""
        if message.about is not None:
            about_url = message.about.get_absolute_url()  # type: ignore[attr-defined]
        elif message.clause:
            about_url = reverse("policy:live", kwargs={"municipality": slug})
        return TemplateResponse(
            self.request,
            "portal/message_detail.html",
            self.context(
                object=message,
                message=message,
                about_url=about_url,
                due_on=due_on,
                overdue=message.status == MessageStatus.RECEIVED and due_on < timezone.localdate(),
                answer_target_days=target,
                may_answer=may_answer,
                may_close=may_answer and message.status == MessageStatus.RECEIVED,
                may_publish=may_answer
                and message.publish_consent
                and message.status == MessageStatus.ANSWERED,
                answer_form=answer_form,
                forward_form=forward_form,
                action_errors=action_errors or [],
                list_url=self.list_url(),
                history_url=reverse(
                    "portal:message_history", kwargs={"municipality": slug, "pk": message.pk}
                ),
            ),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_message(pk)
        return self.render()

    def back(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(self.message.get_absolute_url())


class MessageActionView(MessageView):
    """A write on one message: 404 for a message the user may not read, 403 for one they may
    read but not answer; a refused write shows the page again with the reason."""

    def setup_message(self, pk: int) -> ResidentMessage:
        message = super().setup_message(pk)
        if not answers_message(self.access, message):
            raise PermissionDenied(_("Only the person responsible and the IT department may."))
        return message

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_message(pk)
        return self.back()

    def refused(self, error: ValidationError) -> HttpResponse:
        return self.render(action_errors=error.messages, status=400)


class MessageAnswerView(MessageActionView):
    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        message = self.setup_message(pk)
        form = MessageAnswerForm(request.POST, message=message)
        if not form.is_valid():
            return self.render(answer_form=form, status=400)
        try:
            services.message_answer(
                message=message,
                answer=form.cleaned_data["answer"],
                publish=bool(form.cleaned_data.get("publish")),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(answer_form=form, status=400)
        if message.email:
            messages.success(request, _("The answer was saved and e-mailed to the resident."))
        else:
            messages.success(
                request,
                _(
                    "The answer was saved. The resident gave no address: they read it on their "
                    "receipt page."
                ),
            )
        return self.back()


class MessageForwardView(MessageActionView):
    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        message = self.setup_message(pk)
        form = MessageForwardForm(request.POST, municipality=self.municipality, message=message)
        if not form.is_valid():
            return self.render(forward_form=form, status=400)
        recipient = form.cleaned_data["recipient"]
        try:
            services.message_forward(message=message, recipient=recipient, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.render(forward_form=form, status=400)
        messages.success(
            request, _("The message was sent on to %(person)s.") % {"person": recipient}
        )
        # The sender may no longer read it (it is no longer theirs): back to the list then.
        if message_get_or_none(self, message.pk) is None:
            return HttpResponseRedirect(self.list_url())
        return self.back()


def message_get_or_none(view: MessagesView, pk: int) -> ResidentMessage | None:
    return visible_messages(view.access, view.municipality).filter(pk=pk).first()


class MessageCloseView(MessageActionView):
    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        message = self.setup_message(pk)
        try:
            services.message_close(message=message, actor=request.user)
        except ValidationError as error:
            return self.refused(error)
        messages.success(request, _("The message was closed without an answer."))
        return self.back()


class MessagePublishView(MessageActionView):
    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        message = self.setup_message(pk)
        published = request.POST.get("published") == "1"
        try:
            services.message_publish(message=message, published=published, actor=request.user)
        except ValidationError as error:
            return self.refused(error)
        if published:
            messages.success(request, _("The message and its answer are published on the portal."))
        else:
            messages.success(request, _("The message was taken off the portal."))
        return self.back()


class MessageHistoryView(MessageView):
    """Who did what with the message and when (the change log), for those who may read it."""

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        message = self.setup_message(pk)
        entries = (
            LogEntry.objects.get_for_object(message).select_related("actor").order_by("-timestamp")
        )
        return TemplateResponse(
            request,
            "core/object_history.html",
            self.context(
                object=message,
                entries=entries,
                list_url=self.list_url(),
                verbose_name_plural=ResidentMessage._meta.verbose_name_plural,
            ),
        )

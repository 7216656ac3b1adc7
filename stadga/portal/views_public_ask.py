"""Residents' views and questions on the public portal (P7.1): the form, and the receipt that
is the resident's only way back to their message and its answer.

The form is sent without a CSRF token: the public pages are cached and the same for everyone, so
they carry no token, and there is nothing to forge. The resident is anonymous (no session, no
login), and a forged submission could only do what anyone may do openly: send a message. The
protection that matters here is against spam (`spam.py`), not against cross-site requests.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from stadga.organisation.models import Municipality

from . import selectors_public, services, spam
from .asking import ASK_FIELDS, ask_about
from .choices import MessageStatus
from .forms_public import ResidentMessageForm
from .models import ResidentMessage
from .views_public_base import PublicView


@dataclass
class ResolvedSubject:
    """What a message is about, as the portal publishes it: `ask` for the template, `values`
    for the service (a model instance, or a clause's ID), `dropped` when the address named
    something that is not (or no longer) published."""

    ask: dict[str, Any] = field(default_factory=ask_about)
    values: dict[str, Any] = field(default_factory=dict)
    dropped: bool = False


def _lookup(municipality: Municipality, name: str, raw: str) -> tuple[Any, str] | None:
    """The published object (or clause) `raw` names, with its label; None if there is none."""
    if name == "clause":
        from stadga.policy.engine import current_adoption

        adoption = current_adoption(municipality)
        if adoption is None or len(raw) > 20:
            return None
        clause = adoption.policy.clauses.filter(clause_id=raw).only("clause_id").first()
        if clause is None:
            return None
        return clause.clause_id, _("clause %(clause)s of the IT policy") % {"clause": raw}
    try:
        pk = int(raw)
    except ValueError:
        return None
    if not 0 < pk < 2**31:
        return None
    queryset = {
        "system": selectors_public.public_systems,
        "plan": selectors_public.public_plans,
        "product": selectors_public.public_products,
        "status_report": selectors_public.public_reports,
    }[name](municipality)
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        return None
    label = getattr(obj, "name", "") if name in ("system", "product") else str(obj)
    return obj, label


def resolve_subject(municipality: Municipality, data: Any) -> ResolvedSubject:
    """The subject named in `data` (a query string or the form's body): the first of the
    subject fields that is given. One or two queries."""
    for name in ASK_FIELDS:
        raw = str(data.get(name, "") or "").strip()
        if not raw:
            continue
        found = _lookup(municipality, name, raw)
        if found is None:
            return ResolvedSubject(dropped=True)
        value, label = found
        key = value if name == "clause" else value.pk
        return ResolvedSubject(ask=ask_about(name, key, label), values={name: value})
    return ResolvedSubject()


@method_decorator(csrf_exempt, name="dispatch")  # see the module's docstring
class AskView(PublicView):
    """The full form (GET, cached like every public page: it depends only on its address) and
    its submission (POST, never cached)."""

    template_name = "portal/public/ask.html"

    def render_form(
        self,
        *,
        form: ResidentMessageForm | None,
        subject: ResolvedSubject,
        status: int = 200,
        refusal: str = "",
        refusal_title: str = "",
    ) -> HttpResponse:
        response = self.render(
            self.template_name,
            self.context(
                ask=subject.ask,
                ask_form=form,
                dropped=subject.dropped,
                refusal=refusal,
                refusal_title=refusal_title,
                answer_target_days=self.portal.answer_target_days,
            ),
        )
        response.status_code = status
        return response

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(form=None, subject=resolve_subject(self.municipality, request.GET))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        general = ResolvedSubject()
        if spam.body_too_large(request):
            return self.render_form(
                form=None,
                subject=general,
                status=413,
                refusal_title=_("Your message is too large"),
                refusal=_(
                    "The message could not be received: it is larger than the form allows. "
                    "Shorten it, at most 5,000 characters, and send it again."
                ),
            )
        if spam.rate_limited(request, self.municipality.pk):
            return self.render_form(
                form=None,
                subject=general,
                status=429,
                refusal_title=_("Too many messages just now"),
                refusal=_(
                    "We have received many messages in a short time, so this one could not be "
                    "received. Wait a while, at most an hour, and send it again. You can also "
                    "reach the municipality by e-mail or telephone."
                ),
            )
        subject = resolve_subject(self.municipality, request.POST)
        form = ResidentMessageForm(request.POST)
        if spam.honeypot_filled(request.POST):
            spam.count_message(request, self.municipality.pk)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Your message was not sent, because a field meant to be left empty was "
                    "filled in (perhaps by your browser). Check your message and send it again."
                ),
            )
            return self.render_form(form=form, subject=subject, status=400)
        if subject.dropped:
            form.is_valid()
            form.add_error(
                None,
                _(
                    "What you wrote about is no longer among the published information. Send "
                    "the message again and it goes to the IT department."
                ),
            )
            return self.render_form(form=form, subject=subject, status=400)
        if not form.is_valid():
            if form.has_error("message", "too_many_links"):
                spam.count_message(request, self.municipality.pk)
            return self.render_form(form=form, subject=subject, status=400)
        try:
            message = services.message_submit(
                municipality=self.municipality,
                data={**form.cleaned_data, **subject.values},
                language=get_language() or "",
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.render_form(form=form, subject=ResolvedSubject(), status=400)
        spam.count_message(request, self.municipality.pk)
        return HttpResponseRedirect(message.get_receipt_url(), status=303)


class ReceiptView(PublicView):
    """The resident's receipt: reference, status, what happens next, and the answer once
    given. Never cached, never indexed; the address (its token) is the only key to it."""

    cached = False

    def get(self, request: HttpRequest, *args: Any, token: str, **kwargs: Any) -> HttpResponse:
        if len(token) > 64:
            raise Http404
        message = (
            ResidentMessage.objects.filter(municipality=self.municipality, receipt_token=token)
            .select_related("system", "plan", "plan__board", "product", "status_report")
            .first()
        )
        if message is None:
            raise Http404
        target = self.portal.answer_target_days
        received = timezone.localdate(message.created_at)
        response = self.render(
            "portal/public/receipt.html",
            self.context(
                message=message,
                received_on=received,
                due_on=received + datetime.timedelta(days=target),
                answer_target_days=target,
                answered=message.status == MessageStatus.ANSWERED,
                closed=message.status == MessageStatus.CLOSED,
            ),
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        # The token is in the address: it must not leave in a Referer header.
        response["Referrer-Policy"] = "no-referrer"
        return response

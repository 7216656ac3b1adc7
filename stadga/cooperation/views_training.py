"""The partners' training sessions open to partners' staff (P8.1, P6.2): the sessions of the
partners that share their training, a booking form per session for one of the municipality's
own people, and its own bookings with a cancel button each. A booking's cancel page also serves
the giver's training managers, from the session's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.views import MunicipalityView
from stadga.training.access import keeps_training

from . import selectors_training as selectors
from . import services_training as services
from .forms_training import PartnerBookingForm
from .models import PartnerBooking

NAV_SECTION = "cooperation"


class PartnerSessionsView(MunicipalityView):
    """Every member reads the partners' sessions and the municipality's bookings; those who may
    book (the IT coordinator, the IT department, a department head for their staff) get a form
    per session. A fixed number of queries, whatever the number of sessions."""

    nav_section = NAV_SECTION

    def render_page(
        self,
        *,
        bound: PartnerBookingForm | None = None,
        bound_session: int | None = None,
        status: int = 200,
    ) -> HttpResponse:
        people = selectors.bookable_people(access=self.access, municipality=self.municipality)
        rows = []
        for session in selectors.partner_sessions(self.municipality):
            free = max(0, session.capacity - session.places_taken)  # type: ignore[attr-defined]
            form = None
            if people:
                form = (
                    bound
                    if bound is not None and bound_session == session.pk
                    else PartnerBookingForm(people=people, session_pk=session.pk)
                )
            rows.append({"session": session, "free": free, "form": form})
        bookings = selectors.own_bookings(self.municipality)
        now = timezone.now()
        return TemplateResponse(
            self.request,
            "cooperation/partner_sessions.html",
            self.context(
                rows=rows,
                form=bound,
                bookings=bookings,
                may_book=bool(people),
                cancellable={
                    b.pk
                    for b in bookings
                    if b.session.starts_at > now
                    and services.may_book_partner_place(self.access, self.municipality.pk, b.person)
                },
            ),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_page()


class PartnerBookView(PartnerSessionsView):
    """POST: book the chosen person on a partner's session; a refusal is shown on the form,
    with the page around it."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.http_method_not_allowed(request, *args, **kwargs)

    def post(
        self, request: HttpRequest, *args: Any, session_pk: int, **kwargs: Any
    ) -> HttpResponse:
        session = selectors.partner_session_get(self.municipality, session_pk)
        people = selectors.bookable_people(access=self.access, municipality=self.municipality)
        if not people:
            raise PermissionDenied
        form = PartnerBookingForm(request.POST, people=people, session_pk=session.pk)
        if form.is_valid():
            person = form.cleaned_data["person"]
            try:
                services.booking_create(
                    municipality=self.municipality,
                    session=session,
                    person=person,
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(person)s has a place on %(course)s.")
                    % {"person": person, "course": session.course},
                )
                return HttpResponseRedirect(
                    reverse(
                        "cooperation:partner_sessions",
                        kwargs={"municipality": self.municipality.slug},
                    )
                )
        return self.render_page(bound=form, bound_session=session.pk, status=400)


class PartnerBookingCancelView(MunicipalityView):
    """GET: asks to confirm (no script needed); POST: cancels. For the booking municipality's
    IT coordinator and those who may book the person, and for the giver's training managers;
    a booking of neither municipality is a 404."""

    nav_section = NAV_SECTION

    def setup_booking(self, pk: int) -> PartnerBooking:
        booking = selectors.booking_get(self.municipality, pk)
        own = booking.municipality_id == self.municipality.pk
        if own:
            allowed = services.may_book_partner_place(
                self.access, self.municipality.pk, booking.person
            )
        else:
            allowed = keeps_training(self.access, self.municipality.pk)
        if not allowed:
            raise PermissionDenied
        return booking

    def back(self, booking: PartnerBooking) -> str:
        if booking.municipality_id == self.municipality.pk:
            return reverse(
                "cooperation:partner_sessions", kwargs={"municipality": self.municipality.slug}
            )
        return booking.session.get_absolute_url()

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        booking = self.setup_booking(pk)
        return TemplateResponse(
            request,
            "cooperation/partner_booking_cancel.html",
            self.context(booking=booking, back_url=self.back(booking)),
        )

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        booking = self.setup_booking(pk)
        try:
            services.booking_cancel(booking=booking, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The place of %(person)s on %(course)s was cancelled.")
                % {"person": booking.person, "course": booking.session.course},
            )
        return HttpResponseRedirect(self.back(booking))

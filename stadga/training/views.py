"""The pages of courses, sessions, booking, attendance and people's competence (P6).

Who may see and do what is in `access.py`: courses and sessions are read by every member and
kept by the IT department; a person books themselves, a department head books their staff
(P6.2); a person's competence is read by the person, their department head and those who read
everything. One who may not read something gets a 404; a reader who may not write gets a 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadga.core.views import (
    MunicipalityView,
    ObjectArchiveView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    Registration,
)
from stadga.organisation.access import Access
from stadga.organisation.models import Department, Person

from . import forms, selectors, services_courses, services_records, services_sessions
from .access import keeps_training, may_book, reads_everyone, reads_training
from .choices import RegistrationStatus
from .filters import CourseFilterSet, TrainingSessionFilterSet
from .models import Course, TrainingSession
from .tables import CourseTable, TrainingSessionTable

NAV_SECTION = "training"


@dataclass(frozen=True)
class NamedRegistration(Registration):
    """A registration whose URL names use a shorter prefix than the model's name (e.g.
    `session_detail` for `TrainingSession`, as the model's `get_absolute_url` expects)."""

    url_prefix: str = ""

    @property
    def name(self) -> str:
        return self.url_prefix or super().name


class RefusingArchiveView(ObjectArchiveView):
    """Archive or restore; a refusal of the service (e.g. a course with sessions ahead) is
    shown on the object's page instead of failing."""

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        try:
            return super().post(request, *args, pk=pk, **kwargs)
        except ValidationError as error:
            obj = self.get_object(pk)
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(obj.get_absolute_url())


def registration_urls(
    reg: Registration,
    detail: type[ObjectDetailView] = ObjectDetailView,
    edit: type[ObjectEditView] = ObjectEditView,
) -> list:
    """`Registration.urls()`, with an archive that reports a refusal instead of failing and,
    if given, a detail view of one's own."""
    n = reg.name
    return [
        path("", ObjectListView.as_view(registration=reg), name=f"{n}_list"),
        path("new/", edit.as_view(registration=reg), name=f"{n}_create"),
        path("<int:pk>/", detail.as_view(registration=reg), name=f"{n}_detail"),
        path("<int:pk>/edit/", edit.as_view(registration=reg), name=f"{n}_edit"),
        path(
            "<int:pk>/archive/",
            RefusingArchiveView.as_view(registration=reg, archiving=True),
            name=f"{n}_archive",
        ),
        path(
            "<int:pk>/restore/",
            RefusingArchiveView.as_view(registration=reg, archiving=False),
            name=f"{n}_restore",
        ),
        path("<int:pk>/history/", ObjectHistoryView.as_view(registration=reg), name=f"{n}_history"),
    ]


def _keeps(access: Access, obj: Any) -> bool:
    return keeps_training(access, obj.municipality_id)


# --- courses -----------------------------------------------------------------------------------


def _course_context(access: Access, course: Course) -> dict[str, Any]:
    return {
        "sessions": selectors.course_sessions(course),
        "systems": list(course.systems.order_by("name", "pk")),
        "requirements": selectors.course_requirements(course),
        "keeps": keeps_training(access, course.municipality_id) and not course.is_archived,
    }


course_views = Registration(
    model=Course,
    nav_section=NAV_SECTION,
    list_queryset=selectors.course_list,
    get_object=selectors.course_get,
    table=CourseTable,
    filterset=CourseFilterSet,
    form=forms.CourseForm,
    create=services_courses.course_create,
    update=lambda obj, data, actor: services_courses.course_update(
        course=obj, data=data, actor=actor
    ),
    archive=lambda obj, actor: services_courses.course_archive(course=obj, actor=actor),
    restore=lambda obj, actor: services_courses.course_restore(course=obj, actor=actor),
    can_create=lambda access, municipality: keeps_training(access, municipality.pk),
    can_edit=_keeps,
    can_archive=_keeps,
    detail_template="training/course_detail.html",
    detail_context=_course_context,
)


# --- sessions ----------------------------------------------------------------------------------


def _session_context(access: Access, session: TrainingSession) -> dict[str, Any]:
    """What the session page shows and offers this user; the booking part is added by
    `SessionDetailView` (it needs the request)."""
    now = timezone.now()
    keeps = keeps_training(access, session.municipality_id)
    places = selectors.session_places(session)
    open_for_booking = (
        session.cancelled_at is None and not session.is_archived and session.starts_at > now
    )
    departments = list(session.departments.all())
    # Who is booked is part of each person's competence (access.py): the whole list to those
    # who read everyone's, a department head their staff, anyone else themselves; the figures
    # are for all.
    if reads_everyone(access, session.municipality_id):
        shown = places.registrations
    else:
        shown = [
            r
            for r in places.registrations
            if r.person_id in access.person_ids
            or r.person.department_id in access.department_head_of
        ]
    return {
        "places": places,
        "shown_registrations": shown,
        "all_shown": len(shown) == len(places.registrations),
        "departments": departments,
        "keeps": keeps,
        "open_for_booking": open_for_booking,
        "may_cancel": keeps and session.cancelled_at is None and not session.is_archived,
        # Partners' staff booked on the session (P8.1): named to those who read everyone's
        # bookings; the IT department may give a partner's place up before the session.
        "show_partner_bookings": reads_everyone(access, session.municipality_id),
        "may_cancel_partner_bookings": open_for_booking and keeps,
        "may_record_attendance": keeps
        and session.cancelled_at is None
        and not session.is_archived
        and session.starts_at <= now,
    }


session_views = NamedRegistration(
    model=TrainingSession,
    url_prefix="session",
    nav_section=NAV_SECTION,
    list_queryset=selectors.session_list,
    get_object=selectors.session_get,
    table=TrainingSessionTable,
    filterset=TrainingSessionFilterSet,
    form=forms.TrainingSessionForm,
    create=services_sessions.session_create,
    update=lambda obj, data, actor: services_sessions.session_update(
        session=obj, data=data, actor=actor
    ),
    archive=lambda obj, actor: services_sessions.session_archive(session=obj, actor=actor),
    restore=lambda obj, actor: services_sessions.session_restore(session=obj, actor=actor),
    can_create=lambda access, municipality: keeps_training(access, municipality.pk),
    can_edit=lambda access, obj: _keeps(access, obj) and obj.cancelled_at is None,
    can_archive=_keeps,
    list_template="training/session_list.html",
    detail_template="training/session_detail.html",
    detail_context=_session_context,
)


class SessionEditView(ObjectEditView):
    """The generic create and edit; a new session may start from a course (`?course=<id>`, the
    course page's "New session")."""

    def make_form(self, obj: Any, data: Any = None) -> Any:
        form = super().make_form(obj, data)
        course = self.request.GET.get("course", "")
        if obj is None and data is None and course.isdigit():
            form.initial["course"] = int(course)
        return form


class SessionDetailView(ObjectDetailView):
    """The session page: its registrations, and the booking a user may make — themselves
    ("Book me"), or a department head their staff in one go (P6.2); `?person=<id>` ticks a
    person in advance (the coverage page links here)."""

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, pk=pk, **kwargs)
        assert isinstance(response, TemplateResponse)
        ctx = response.context_data
        assert ctx is not None
        session = ctx["object"]
        ctx.update(_booking_context(self.access, session, request.GET, ctx))
        if ctx["may_record_attendance"]:
            ctx["attendance_form"] = forms.AttendanceForm(registrations=ctx["places"].holding)
        return response


def _booking_context(
    access: Access, session: TrainingSession, query: Any, ctx: dict[str, Any]
) -> dict[str, Any]:
    if not ctx["open_for_booking"]:
        return {}
    municipality_id = session.municipality_id
    me = next(
        (r for r in ctx["places"].registrations if r.person_id in access.person_ids),
        None,
    )
    booked_ids = {
        r.person_id for r in ctx["places"].registrations if r.status in services_sessions.ACTIVE
    }
    result: dict[str, Any] = {
        "my_registration": me if me is not None and me.person_id in booked_ids else None,
        "may_book_self": bool(access.persons.get(municipality_id))
        and (me is None or me.person_id not in booked_ids),
        "cancellable": {
            r.pk
            for r in ctx["places"].registrations
            if r.status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)
            and may_book(access, municipality_id, r.person.department_id)
        },
    }
    department = None
    keeps = keeps_training(access, municipality_id)
    preselect: Person | None = None
    person_id = query.get("person")
    if person_id and str(person_id).isdigit():
        preselect = Person.objects.filter(
            municipality_id=municipality_id, archived_at__isnull=True, pk=int(person_id)
        ).first()
        if preselect is not None and not may_book(access, municipality_id, preselect.department_id):
            preselect = None
    if keeps:
        departments = Department.objects.filter(
            municipality_id=municipality_id, archived_at__isnull=True
        ).order_by("name", "pk")
        for_ids = [d.pk for d in ctx["departments"]]
        if for_ids:
            departments = departments.filter(pk__in=for_ids)
        chooser = forms.DepartmentChoiceForm(query or None, departments=departments)
        if chooser.is_bound and chooser.is_valid():
            department = chooser.cleaned_data["department"]
        elif preselect is not None and preselect.department_id:
            department = preselect.department
        result["department_chooser"] = chooser
    people = selectors.bookable_people(access=access, session=session, department=department)
    if people:
        initial = [preselect.pk] if preselect is not None else []
        result["booking_form"] = forms.BookingForm(people=people, initial={"people": initial})
    if preselect is not None and preselect.pk not in {p.pk for p in people}:
        refusal = services_sessions.booking_refusal(session, preselect)
        if preselect.pk in booked_ids:
            refusal = _("%(person)s is already booked on this session.") % {"person": preselect}
        result["preselect_refusal"] = refusal
    return result


class SessionActionView(MunicipalityView):
    """A POST on one session: book, cancel a place, record attendance, cancel the session."""

    nav_section = NAV_SECTION
    session: TrainingSession

    def setup_session(self, pk: int) -> TrainingSession:
        self.session = selectors.session_get(
            access=self.access, municipality=self.municipality, pk=pk
        )
        return self.session

    def back(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(self.session.get_absolute_url())

    def refused(self, error: ValidationError) -> HttpResponseRedirect:
        for message in error.messages:
            messages.error(self.request, message)
        return self.back()


def _booked_message(registrations: list[Any]) -> str:
    placed = [r for r in registrations if r.status == RegistrationStatus.REGISTERED]
    waiting = [r for r in registrations if r.status == RegistrationStatus.WAITING]
    parts = []
    if placed:
        parts.append(
            _("Booked: %(people)s.") % {"people": ", ".join(str(r.person) for r in placed)}
        )
    if waiting:
        parts.append(
            _("On the waiting list: %(people)s.")
            % {"people": ", ".join(str(r.person) for r in waiting)}
        )
    return " ".join(parts)


class BookView(SessionActionView):
    """POST `me=1`: book oneself; POST `people=<id>…`: book the ticked people, each of whom the
    user may book (their department head, the IT department)."""

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        session = self.setup_session(pk)
        municipality_id = self.municipality.pk
        if request.POST.get("me"):
            person = selectors.my_person(access=self.access, municipality=self.municipality)
            if person is None:
                raise PermissionDenied
            try:
                registration = services_sessions.register(
                    session=session, person=person, actor=request.user
                )
            except ValidationError as error:
                return self.refused(error)
            messages.success(request, _booked_message([registration]))
            return self.back()
        ids = [int(v) for v in request.POST.getlist("people") if str(v).isdigit()]
        if not ids:
            messages.error(request, _("Tick at least one person to book."))
            return self.back()
        people = list(
            Person.objects.filter(municipality_id=municipality_id, pk__in=ids).order_by(
                "name", "pk"
            )
        )
        if len(people) != len(set(ids)):
            raise Http404
        if not all(may_book(self.access, municipality_id, p.department_id) for p in people):
            raise PermissionDenied
        try:
            registrations = services_sessions.register_many(
                session=session, people=people, actor=request.user
            )
        except ValidationError as error:
            return self.refused(error)
        messages.success(request, _booked_message(registrations))
        return self.back()


class RegistrationCancelView(SessionActionView):
    """POST: give up a place (one's own, or for a person one may book)."""

    def post(
        self, request: HttpRequest, *args: Any, pk: int, registration: int, **kwargs: Any
    ) -> HttpResponse:
        session = self.setup_session(pk)
        row = selectors.registration_get(access=self.access, session=session, pk=registration)
        own = row.person_id in self.access.person_ids
        if not own and not may_book(self.access, self.municipality.pk, row.person.department_id):
            raise PermissionDenied
        try:
            services_sessions.registration_cancel(registration=row, actor=request.user)
        except ValidationError as error:
            return self.refused(error)
        messages.success(
            request, _("The place of %(person)s was cancelled.") % {"person": row.person}
        )
        return self.back()


class AttendanceView(SessionActionView):
    """POST the attendance form of the session page: the IT department, once it started."""

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        session = self.setup_session(pk)
        if not keeps_training(self.access, self.municipality.pk):
            raise PermissionDenied
        form = forms.AttendanceForm(
            request.POST, registrations=selectors.session_places(session).holding
        )
        form.is_valid()  # checkboxes only: every submission is valid
        try:
            services_sessions.attendance_record(
                session=session, attended=form.attended(), actor=request.user
            )
        except ValidationError as error:
            return self.refused(error)
        messages.success(request, _("The attendance was saved."))
        return self.back()


class SessionCancelView(SessionActionView):
    """Cancel a session after a confirmation page (with a message to those booked)."""

    def setup_session(self, pk: int) -> TrainingSession:
        session = super().setup_session(pk)
        if not keeps_training(self.access, self.municipality.pk):
            raise PermissionDenied
        if session.cancelled_at is not None or session.is_archived:
            raise PermissionDenied
        return session

    def render(self, form: forms.SessionCancelForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "training/session_cancel.html",
            self.context(
                object=self.session,
                form=form,
                booked=selectors.session_places(self.session).taken,
            ),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_session(pk)
        return self.render(forms.SessionCancelForm())

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        session = self.setup_session(pk)
        form = forms.SessionCancelForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            services_sessions.session_cancel(
                session=session, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            return self.refused(error)
        messages.success(request, _("The session was cancelled and those booked were told."))
        return self.back()


# --- people's competence -----------------------------------------------------------------------


class PersonCompetenceView(MunicipalityView):
    """A person's competence: records (valid, expiring, expired), registrations and the systems
    they use; the IT department adds and archives records by hand."""

    nav_section = NAV_SECTION
    template = "training/person_competence.html"

    def render_person(self, person: Person, **extra: Any) -> HttpResponse:
        municipality_id = self.municipality.pk
        return TemplateResponse(
            self.request,
            self.template,
            self.context(
                person=person,
                competence=selectors.person_competence(person),
                keeps=keeps_training(self.access, municipality_id),
                may_book=may_book(self.access, municipality_id, person.department_id),
                is_me=person.pk in self.access.person_ids,
                **extra,
            ),
        )

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        person = selectors.person_get(access=self.access, municipality=self.municipality, pk=pk)
        return self.render_person(person)


class MyTrainingView(PersonCompetenceView):
    """The logged-in user's own competence and bookings, in this municipality."""

    template = "training/my_training.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = selectors.my_person(access=self.access, municipality=self.municipality)
        if person is None:
            return TemplateResponse(request, self.template, self.context(person=None))
        return self.render_person(person)


class RecordCreateView(MunicipalityView):
    """Record by hand that a person completed a course (the IT department)."""

    nav_section = NAV_SECTION
    person: Person

    def setup_person(self, pk: int) -> Person:
        self.person = selectors.person_get(
            access=self.access, municipality=self.municipality, pk=pk
        )
        if not keeps_training(self.access, self.municipality.pk):
            raise PermissionDenied
        return self.person

    def make_form(self, data: Any = None) -> forms.CompetenceRecordForm:
        form = forms.CompetenceRecordForm(data, municipality=self.municipality, access=self.access)
        form.instance.person = self.person
        return form

    def render(self, form: forms.CompetenceRecordForm) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "training/person_record_form.html",
            self.context(person=self.person, form=form),
            status=400 if form.is_bound and form.errors else 200,
        )

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_person(pk)
        return self.render(self.make_form())

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        self.setup_person(pk)
        form = self.make_form(request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.fields}
            try:
                services_records.record_create(
                    municipality=self.municipality,
                    data={**data, "person": self.person},
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The competence record was saved."))
                return HttpResponseRedirect(_person_url(self.person))
        return self.render(form)


def _person_url(person: Person) -> str:
    return reverse(
        "training:person_competence",
        kwargs={"municipality": person.municipality.slug, "pk": person.pk},
    )


class RecordArchiveView(MunicipalityView):
    """POST: archive a record made by mistake (the IT department); it stops counting."""

    nav_section = NAV_SECTION

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        record = selectors.record_get(access=self.access, municipality=self.municipality, pk=pk)
        if not keeps_training(self.access, self.municipality.pk):
            raise PermissionDenied
        services_records.record_archive(record=record, actor=request.user)
        messages.success(request, _("The competence record was archived."))
        return HttpResponseRedirect(_person_url(record.person))


# --- settings ----------------------------------------------------------------------------------


class SettingsView(MunicipalityView):
    """Reminder periods and the watch log's interval: every member reads them, the IT
    department changes them."""

    nav_section = NAV_SECTION

    def make_form(self, data: Any = None) -> forms.TrainingSettingsForm:
        row = selectors.settings_for(self.municipality)
        return forms.TrainingSettingsForm(
            data,
            instance=row if row.pk else None,
            municipality=self.municipality,
            access=self.access,
        )

    def render(self, form: forms.TrainingSettingsForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "training/settings.html",
            self.context(form=form, can_edit=keeps_training(self.access, self.municipality.pk)),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reads_training(self.access, self.municipality.pk):
            raise Http404
        return self.render(self.make_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reads_training(self.access, self.municipality.pk):
            raise Http404
        if not keeps_training(self.access, self.municipality.pk):
            raise PermissionDenied
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        services_courses.settings_update(
            municipality=self.municipality,
            data={name: form.cleaned_data[name] for name in form.fields},
            actor=request.user,
        )
        messages.success(request, _("The settings were saved."))
        return HttpResponseRedirect(
            reverse("training:settings", kwargs={"municipality": self.municipality.slug})
        )

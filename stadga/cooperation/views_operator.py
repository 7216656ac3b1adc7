"""The operator's pages for cooperation groups (issue 10; P8.1), under /operator/groups/.

The operator (a superuser) forms a group, adds and removes members and ends the group; what a
member shares is its own IT coordinator's choice, so these pages show the choices but never the
data shared. Anyone else logged in gets a 404, as on the operator's other pages. Every write goes
through `stadga.cooperation.services`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from stadga.organisation.views_operator import OperatorView

from . import selectors, services
from .choices import SHARING_CATEGORIES
from .forms_operator import GroupForm, MemberAddForm
from .models import CooperationGroup, Membership


def _current_members() -> Prefetch[Any]:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(archived_at__isnull=True)
        .select_related("municipality")
        .order_by("municipality__name", "pk"),
        to_attr="current_memberships",
    )


def _groups() -> QuerySet[CooperationGroup]:
    """The groups that have not ended, each with its current members. Two queries."""
    return selectors.group_list().prefetch_related(_current_members())


def _group(pk: int) -> CooperationGroup:
    """A group that has not ended, with its current members; a 404 for any other."""
    return get_object_or_404(_groups(), pk=pk)


class GroupListView(OperatorView):
    """The installation's cooperation groups and their members."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return TemplateResponse(
            request, "cooperation/operator/group_list.html", {"groups": list(_groups())}
        )


class GroupAddView(OperatorView):
    template_name = "cooperation/operator/group_form.html"

    def render(self, form: GroupForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(self.request, self.template_name, {"form": form}, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(GroupForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = GroupForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            group = services.group_create(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.render(form, status=400)
        messages.success(
            request,
            _("The cooperation group %(group)s was formed. Add its members.")
            % {"group": group.name},
        )
        return redirect("operator:group_detail", pk=group.pk)


class GroupDetailView(OperatorView):
    """A group's members and what each has chosen to share (the choices only), with the forms
    to add a member, remove one and end the group."""

    template_name = "cooperation/operator/group_detail.html"

    def render(
        self, group: CooperationGroup, form: MemberAddForm, status: int = 200
    ) -> HttpResponse:
        members = [
            (membership, [SHARING_CATEGORIES[n] for n in membership.shared_categories])
            for membership in group.current_memberships  # type: ignore[attr-defined]
        ]
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "group": group,
                "members": members,
                "form": form,
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        group = _group(pk)
        return self.render(group, MemberAddForm(group=group))


class MemberAddView(GroupDetailView):
    """Adds the municipality chosen on the group's page; errors come back on that page."""

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        return redirect("operator:group_detail", pk=pk)

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        group = _group(pk)
        form = MemberAddForm(request.POST, group=group)
        if not form.is_valid():
            return self.render(group, form, status=400)
        municipality = form.cleaned_data["municipality"]
        try:
            services.membership_add(group=group, municipality=municipality, actor=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.render(group, form, status=400)
        messages.success(
            request,
            _(
                "%(municipality)s is now a member of %(group)s. It shares nothing until its IT "
                "coordinator chooses what to share."
            )
            % {"municipality": municipality.name, "group": group.name},
        )
        return redirect("operator:group_detail", pk=group.pk)


class _ConfirmView(OperatorView):
    """A confirmation page (GET) and the action (POST): works without JavaScript."""

    template_name = "cooperation/operator/confirm.html"

    def render(self, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return TemplateResponse(self.request, self.template_name, context, status=status)


class MemberRemoveView(_ConfirmView):
    def membership(self, pk: int, member: int) -> tuple[CooperationGroup, Membership]:
        group = _group(pk)
        current: list[Membership] = group.current_memberships  # type: ignore[attr-defined]
        membership = next((m for m in current if m.pk == member), None)
        if membership is None:  # another group's, or one who left already
            raise Http404
        return group, membership

    def context(self, group: CooperationGroup, membership: Membership) -> dict[str, Any]:
        return {
            "group": group,
            "title": _("Remove %(municipality)s from %(group)s")
            % {"municipality": membership.municipality.name, "group": group.name},
            "explanation": _(
                "Its sharing with the group stops at once: the other members no longer see what "
                "it shares, and it no longer sees theirs. It can be added again; it then starts "
                "from sharing nothing."
            ),
            "button": _("Remove the member"),
        }

    def get(
        self, request: HttpRequest, *args: Any, pk: int, member: int, **kw: Any
    ) -> HttpResponse:
        group, membership = self.membership(pk, member)
        return self.render(self.context(group, membership))

    def post(
        self, request: HttpRequest, *args: Any, pk: int, member: int, **kw: Any
    ) -> HttpResponse:
        group, membership = self.membership(pk, member)
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except ValidationError as error:
            context = self.context(group, membership)
            context["errors"] = error.messages
            return self.render(context, status=400)
        messages.success(
            request,
            _("%(municipality)s is no longer a member of %(group)s.")
            % {"municipality": membership.municipality.name, "group": group.name},
        )
        return redirect("operator:group_detail", pk=group.pk)


class GroupEndView(_ConfirmView):
    def context(self, group: CooperationGroup) -> dict[str, Any]:
        return {
            "group": group,
            "title": _("End %(group)s") % {"group": group.name},
            "explanation": _(
                "Nothing is shared through the group any more, at once. The group and its "
                "history are kept in the change log; it cannot be restarted here."
            ),
            "button": _("End the group"),
        }

    def get(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        return self.render(self.context(_group(pk)))

    def post(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        group = _group(pk)
        try:
            services.group_archive(group=group, actor=request.user)
        except ValidationError as error:
            context = self.context(group)
            context["errors"] = error.messages
            return self.render(context, status=400)
        messages.success(request, _("%(group)s has ended.") % {"group": group.name})
        return redirect("operator:group_list")

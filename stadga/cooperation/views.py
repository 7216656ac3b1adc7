"""The cooperation pages (P8.1): the municipality's groups and partners, its own sharing
choices, and which partners run or approve a product. Every member reads; only the IT
coordinator changes what the municipality shares."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from stadga.core.views import MunicipalityView

from . import selectors, services
from .access import manages_sharing
from .choices import SHARING_CATEGORIES, SHARING_SHORT
from .forms import CompareForm, SharingForm

NAV_SECTION = "cooperation"


class OverviewView(MunicipalityView):
    """The municipality's groups, each with its members and what they share, and the
    municipality's own choices with a form per group."""

    nav_section = NAV_SECTION

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        groups: dict[int, dict[str, Any]] = {}
        for membership in selectors.group_memberships(self.municipality):
            entry = groups.setdefault(
                membership.group_id, {"group": membership.group, "own": None, "partners": []}
            )
            if membership.municipality_id == self.municipality.pk:
                entry["own"] = membership
                entry["form"] = SharingForm(membership=membership)
            else:
                flags = [getattr(membership, name) for name in SHARING_CATEGORIES]
                entry["partners"].append((membership, flags))
        return TemplateResponse(
            request,
            "cooperation/overview.html",
            self.context(
                groups=list(groups.values()),
                categories=list(SHARING_SHORT.values()),
                can_edit=manages_sharing(self.access, self.municipality.pk),
                compare_form=CompareForm(),
            ),
        )


class SharingView(MunicipalityView):
    """Saves the municipality's choices for one of its groups (the IT coordinator)."""

    nav_section = NAV_SECTION

    def post(self, request: HttpRequest, *args: Any, group_pk: int, **kwargs: Any) -> HttpResponse:
        membership = selectors.own_membership(self.municipality, group_pk)
        if not manages_sharing(self.access, self.municipality.pk):
            raise PermissionDenied
        form = SharingForm(request.POST, membership=membership)
        overview = reverse("cooperation:overview", kwargs={"municipality": self.municipality.slug})
        if not form.is_valid():  # check boxes cannot be invalid; a tampered post is told so
            messages.error(request, _("The sharing choices could not be read. Try again."))
            return HttpResponseRedirect(overview)
        try:
            _membership, changed = services.sharing_update(
                membership=membership, data=form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(overview)
        if changed:
            messages.success(
                request,
                _("What %(municipality)s shares with %(group)s was saved.")
                % {"municipality": self.municipality.name, "group": membership.group.name},
            )
        else:
            messages.info(request, _("Nothing was changed."))
        return HttpResponseRedirect(overview)


class LeaveView(MunicipalityView):
    """The IT coordinator takes the municipality out of one of its groups (P8.1): a page that
    says what stops, and a POST that leaves. The sharing stops at once; the operator adds the
    municipality again if it wants back in, and it then starts from sharing nothing."""

    nav_section = NAV_SECTION
    template_name = "cooperation/leave.html"

    def membership(self, group_pk: int) -> Any:
        membership = selectors.own_membership(self.municipality, group_pk)
        if not manages_sharing(self.access, self.municipality.pk):
            raise PermissionDenied
        return membership

    def render(self, membership: Any, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            self.request,
            self.template_name,
            self.context(
                membership=membership,
                group=membership.group,
                shared_labels=[SHARING_CATEGORIES[n] for n in membership.shared_categories],
            ),
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, group_pk: int, **kwargs: Any) -> HttpResponse:
        return self.render(self.membership(group_pk))

    def post(self, request: HttpRequest, *args: Any, group_pk: int, **kwargs: Any) -> HttpResponse:
        membership = self.membership(group_pk)
        try:
            services.membership_leave(membership=membership, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.render(membership, status=400)
        messages.success(
            request,
            _("%(municipality)s has left %(group)s and shares nothing with it any more.")
            % {"municipality": self.municipality.name, "group": membership.group.name},
        )
        return HttpResponseRedirect(
            reverse("cooperation:overview", kwargs={"municipality": self.municipality.slug})
        )


class CompareView(MunicipalityView):
    """Which partners run or approve a product of a given name, at which phase, with contacts
    where shared: the basis for joint procurement (P8.1, P8.2)."""

    nav_section = NAV_SECTION

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        searched = "q" in request.GET
        form = CompareForm(request.GET if searched else None)
        valid = searched and form.is_valid()
        rows = selectors.comparison(self.municipality, form.cleaned_data["q"]) if valid else None
        return TemplateResponse(
            request,
            "cooperation/compare.html",
            self.context(
                form=form,
                rows=rows,
                query=form.cleaned_data["q"] if valid else "",
                found=sum(1 for row in rows if row.has_findings) if rows else 0,
            ),
            status=400 if searched and not valid else 200,
        )

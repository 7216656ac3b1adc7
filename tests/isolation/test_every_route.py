"""Every route of the application, visited as the IT coordinator of another municipality (issue
10, item 5; P8.3): nothing of municipality A is read or written by the strongest user of B, which
shares no cooperation group with A, nor of C, which does but to which A has opted in to nothing.

The routes are read from the URL configuration, so a new route fails `test_every_route_is_covered`
until it is added to `ROUTES`, which says how each route's arguments are filled (`S`: a logged-in
page under /k/<slug>/; `P`: a public page under /p/<slug>/) or why it holds no municipality's data
(`X`). The admin (superusers only) and the API (tests/isolation/test_every_api.py walks its router)
are covered as namespaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import World, row_counts

LOGIN = "/accounts/login/"
COVERED_NAMESPACES = {
    "admin": "Django's admin: superusers only, not a municipality's workspace",
    "api": "walked endpoint by endpoint in test_every_api.py",
    "operator": "the installation's operator: superusers only (test_operator_refuses_...)",
}


@dataclass(frozen=True)
class Spec:
    """How one route's keyword arguments are filled. A value "app.Model" is the pk of the victim's
    first object of that model; "app.Model#attr" an attribute of it (dots follow relations), so
    that a child and its parent in one URL belong together; "=text" is the text itself."""

    kwargs: dict[str, str] = field(default_factory=dict)
    public: bool = False

    def fill(self, world: World, slug: str) -> dict[str, Any]:
        filled: dict[str, Any] = {"municipality": slug}
        for name, how in self.kwargs.items():
            if how.startswith("="):
                filled[name] = how[1:]
                continue
            label, _, attr = how.partition("#")
            value: Any = world.first(label)
            for part in (attr or "pk").split("."):
                value = getattr(value, part)
            filled[name] = value
        return filled

    @property
    def takes_objects(self) -> bool:
        return any(not how.startswith("=") for how in self.kwargs.values())


@dataclass(frozen=True)
class Exempt:
    reason: str


def S(**kwargs: str) -> Spec:
    return Spec(kwargs=kwargs)


def P(**kwargs: str) -> Spec:
    return Spec(kwargs=kwargs, public=True)


def X(reason: str) -> Exempt:
    return Exempt(reason)


ROUTES: dict[str, Spec | Exempt] = {
    "home": X("the start page: redirects to the user's own municipality"),
    "health": X(
        "the health endpoint for monitoring: no login, answers only ok/error and the version"
    ),
    "healthz": X("liveness probe: no municipality data"),
    "accessibility": X("the installation's accessibility statement: no municipality data"),
    "login": X("authentication"),
    "logout": X("authentication"),
    "set_language": X("Django i18n: sets the language cookie"),
    "policies:list": X("the shared policy library: the same for every municipality"),
    "policies:compare": X("the shared policy library: the same for every municipality"),
    "policies:detail": X("the shared policy library: the same for every municipality"),
    "requirements:list": X("the shared requirement catalogues: the same for every municipality"),
    "requirements:detail": X("the shared requirement catalogues: the same for every municipality"),
    "notifications:inbox": S(),
    "notifications:calendar": S(),
    "notifications:calendar_feed": X(
        "a capability URL: the secret token is the credential (tested in notifications)"
    ),
    "organisation:overview": S(),
    "organisation:settings": S(),
    "organisation:board_list": S(),
    "organisation:board_create": S(),
    "organisation:board_detail": S(pk="organisation.Board"),
    "organisation:board_edit": S(pk="organisation.Board"),
    "organisation:board_archive": S(pk="organisation.Board"),
    "organisation:board_restore": S(pk="organisation.Board"),
    "organisation:board_history": S(pk="organisation.Board"),
    "organisation:department_list": S(),
    "organisation:department_create": S(),
    "organisation:department_detail": S(pk="organisation.Department"),
    "organisation:department_edit": S(pk="organisation.Department"),
    "organisation:department_archive": S(pk="organisation.Department"),
    "organisation:department_restore": S(pk="organisation.Department"),
    "organisation:department_history": S(pk="organisation.Department"),
    "organisation:person_list": S(),
    "organisation:person_create": S(),
    "organisation:person_detail": S(pk="organisation.Person"),
    "organisation:person_edit": S(pk="organisation.Person"),
    "organisation:person_archive": S(pk="organisation.Person"),
    "organisation:person_restore": S(pk="organisation.Person"),
    "organisation:person_history": S(pk="organisation.Person"),
    "organisation:externalorganisation_list": S(),
    "organisation:externalorganisation_create": S(),
    "organisation:externalorganisation_detail": S(pk="organisation.ExternalOrganisation"),
    "organisation:externalorganisation_edit": S(pk="organisation.ExternalOrganisation"),
    "organisation:externalorganisation_archive": S(pk="organisation.ExternalOrganisation"),
    "organisation:externalorganisation_restore": S(pk="organisation.ExternalOrganisation"),
    "organisation:externalorganisation_history": S(pk="organisation.ExternalOrganisation"),
    "organisation:roleassignment_list": S(),
    "organisation:roleassignment_create": S(),
    "organisation:roleassignment_detail": S(pk="organisation.RoleAssignment"),
    "organisation:roleassignment_edit": S(pk="organisation.RoleAssignment"),
    "organisation:roleassignment_archive": S(pk="organisation.RoleAssignment"),
    "organisation:roleassignment_restore": S(pk="organisation.RoleAssignment"),
    "organisation:roleassignment_history": S(pk="organisation.RoleAssignment"),
    "policy:live": S(),
    "policy:dashboard": S(),
    "policy:attest": S(clause_id="=P3.1"),
    "policy:attestation_detail": S(pk="policy.Attestation"),
    "policy:attestation_file": S(pk="policy.Attestation"),
    "policy:adopt": S(),
    "security:overview": S(),
    "security:system_classification": S(system_pk="systems.System"),
    "security:informationtype_list": S(),
    "security:informationtype_create": S(),
    "security:informationtype_detail": S(pk="security.InformationType"),
    "security:informationtype_edit": S(pk="security.InformationType"),
    "security:informationtype_archive": S(pk="security.InformationType"),
    "security:informationtype_restore": S(pk="security.InformationType"),
    "security:informationtype_history": S(pk="security.InformationType"),
    "security:classification_import": S(),
    "security:classification_import_confirm": S(),
    "security:classification_import_template": S(),
    "security:classification_export": S(),
    "security:settings": S(),
    "security:measure_list": S(),
    "security:measure_create": S(),
    "security:measure_detail": S(pk="security.Measure"),
    "security:measure_edit": S(pk="security.Measure"),
    "security:measure_archive": S(pk="security.Measure"),
    "security:measure_restore": S(pk="security.Measure"),
    "security:measure_history": S(pk="security.Measure"),
    "security:measure_evidence": S(pk="security.Measure"),
    "security:followup_create": S(pk="security.Measure"),
    "security:gap": S(),
    "security:action_plan": S(),
    "security:shortfallnotice_list": S(),
    "security:shortfallnotice_history": S(pk="security.ShortfallNotice"),
    "security:shortfallnotice_create": S(),
    "security:shortfallnotice_detail": S(pk="security.ShortfallNotice"),
    "security:shortfallnotice_acknowledge": S(pk="security.ShortfallNotice"),
    "security:shortfallnotice_decide": S(pk="security.ShortfallNotice"),
    "security:incident_list": S(),
    "security:incident_create": S(),
    "security:incident_detail": S(pk="security.Incident"),
    "security:incident_edit": S(pk="security.Incident"),
    "security:incident_archive": S(pk="security.Incident"),
    "security:incident_restore": S(pk="security.Incident"),
    "security:incident_history": S(pk="security.Incident"),
    "security:incident_mark_sent": S(pk="security.Incident", which="=early_warning"),
    "security:incident_close": S(pk="security.Incident"),
    "security:register_export": S(),
    "security:processingactivity_list": S(),
    "security:processingactivity_create": S(),
    "security:processingactivity_detail": S(pk="security.ProcessingActivity"),
    "security:processingactivity_edit": S(pk="security.ProcessingActivity"),
    "security:processingactivity_archive": S(pk="security.ProcessingActivity"),
    "security:processingactivity_restore": S(pk="security.ProcessingActivity"),
    "security:processingactivity_history": S(pk="security.ProcessingActivity"),
    "catalogue:search": S(),
    "catalogue:vendor_list": S(),
    "catalogue:vendor_create": S(),
    "catalogue:vendor_detail": S(pk="catalogue.Vendor"),
    "catalogue:vendor_edit": S(pk="catalogue.Vendor"),
    "catalogue:vendor_archive": S(pk="catalogue.Vendor"),
    "catalogue:vendor_restore": S(pk="catalogue.Vendor"),
    "catalogue:vendor_history": S(pk="catalogue.Vendor"),
    "catalogue:productcategory_list": S(),
    "catalogue:productcategory_create": S(),
    "catalogue:productcategory_detail": S(pk="catalogue.ProductCategory"),
    "catalogue:productcategory_edit": S(pk="catalogue.ProductCategory"),
    "catalogue:productcategory_archive": S(pk="catalogue.ProductCategory"),
    "catalogue:productcategory_restore": S(pk="catalogue.ProductCategory"),
    "catalogue:productcategory_history": S(pk="catalogue.ProductCategory"),
    "catalogue:product_import": S(),
    "catalogue:product_import_confirm": S(),
    "catalogue:product_import_template": S(),
    "catalogue:product_export": S(),
    "catalogue:product_phase": S(pk="catalogue.Product"),
    "catalogue:productversion_create": S(pk="catalogue.Product"),
    "catalogue:productversion_edit": S(pk="catalogue.ProductVersion"),
    "catalogue:productversion_archive": S(pk="catalogue.ProductVersion"),
    "catalogue:productversion_restore": S(pk="catalogue.ProductVersion"),
    "catalogue:product_list": S(),
    "catalogue:product_create": S(),
    "catalogue:product_detail": S(pk="catalogue.Product"),
    "catalogue:product_edit": S(pk="catalogue.Product"),
    "catalogue:product_archive": S(pk="catalogue.Product"),
    "catalogue:product_restore": S(pk="catalogue.Product"),
    "catalogue:product_history": S(pk="catalogue.Product"),
    "catalogue:system_products": S(system_pk="systems.System"),
    "catalogue:productrequest_list": S(),
    "catalogue:productrequest_history": S(pk="catalogue.ProductRequest"),
    "catalogue:productrequest_create": S(),
    "catalogue:productrequest_detail": S(pk="catalogue.ProductRequest"),
    "catalogue:productrequest_edit": S(pk="catalogue.ProductRequest"),
    "catalogue:productrequest_submit": S(pk="catalogue.ProductRequest"),
    "catalogue:productrequest_withdraw": S(pk="catalogue.ProductRequest"),
    "catalogue:productrequest_assess": S(pk="catalogue.ProductRequest", criterion="=established"),
    "catalogue:productrequest_decide": S(
        pk="catalogue.RequestStep#request_id", step="catalogue.RequestStep"
    ),
    "catalogue:productrequest_recipient_add": S(pk="catalogue.CoordinationInquiry#request_id"),
    "catalogue:productrequest_record_answer": S(
        pk="catalogue.InquiryRecipient#inquiry.request_id", recipient="catalogue.InquiryRecipient"
    ),
    "catalogue:productrequest_inquiry_close": S(pk="catalogue.CoordinationInquiry#request_id"),
    "catalogue:productrequest_inquiry_waive": S(pk="catalogue.CoordinationInquiry#request_id"),
    "catalogue:inquiries_received": S(),
    "catalogue:inquiry_answer": S(recipient="catalogue.InquiryRecipient"),
    "catalogue:policyexception_list": S(),
    "catalogue:policyexception_create": S(),
    "catalogue:settings": S(),
    "catalogue:approvalstep_list": S(),
    "catalogue:approvalstep_create": S(),
    "catalogue:approvalstep_detail": S(pk="catalogue.ApprovalStep"),
    "catalogue:approvalstep_edit": S(pk="catalogue.ApprovalStep"),
    "catalogue:approvalstep_archive": S(pk="catalogue.ApprovalStep"),
    "catalogue:approvalstep_restore": S(pk="catalogue.ApprovalStep"),
    "catalogue:approvalstep_history": S(pk="catalogue.ApprovalStep"),
    "catalogue:uniformity": S(),
    "inventory:overview": S(),
    "inventory:unapproved": S(),
    "inventory:device_list": S(),
    "inventory:device_detail": S(pk="inventory.Device"),
    "inventory:rule_list": S(),
    "inventory:rule_create": S(),
    "inventory:rule_update": S(pk="inventory.NormalisationRule"),
    "inventory:rule_archive": S(pk="inventory.NormalisationRule"),
    "inventory:rule_restore": S(pk="inventory.NormalisationRule"),
    "inventory:rule_reorder": S(),
    "inventory:rules_replay": S(),
    "inventory:rule_import": S(),
    "inventory:rule_import_confirm": S(),
    "inventory:rule_import_template": S(),
    "inventory:rule_export": S(),
    "inventory:title_list": S(),
    "inventory:source_list": S(),
    "inventory:source_detail": S(pk="inventory.InventorySource"),
    "inventory:snapshot_detail": S(pk="inventory.Snapshot"),
    "inventory:snapshot_fail": S(pk="inventory.Snapshot"),
    "inventory:upload": S(),
    "inventory:departments": S(),
    "itgroup:group": S(),
    "itgroup:settings": S(),
    "itgroup:itgroupmember_list": S(),
    "itgroup:itgroupmember_create": S(),
    "itgroup:itgroupmember_detail": S(pk="itgroup.ITGroupMember"),
    "itgroup:itgroupmember_edit": S(pk="itgroup.ITGroupMember"),
    "itgroup:itgroupmember_archive": S(pk="itgroup.ITGroupMember"),
    "itgroup:itgroupmember_restore": S(pk="itgroup.ITGroupMember"),
    "itgroup:itgroupmember_history": S(pk="itgroup.ITGroupMember"),
    "itgroup:itgroupmeeting_list": S(),
    "itgroup:itgroupmeeting_create": S(),
    "itgroup:itgroupmeeting_detail": S(pk="itgroup.ITGroupMeeting"),
    "itgroup:itgroupmeeting_edit": S(pk="itgroup.ITGroupMeeting"),
    "itgroup:itgroupmeeting_archive": S(pk="itgroup.ITGroupMeeting"),
    "itgroup:itgroupmeeting_restore": S(pk="itgroup.ITGroupMeeting"),
    "itgroup:itgroupmeeting_history": S(pk="itgroup.ITGroupMeeting"),
    "itgroup:meeting_attendance": S(pk="itgroup.ITGroupMeeting"),
    "itgroup:meeting_minutes": S(pk="itgroup.ITGroupMeeting"),
    "itgroup:meeting_approve": S(pk="itgroup.ITGroupMeeting"),
    "itgroup:meeting_convene": S(pk="itgroup.ITGroupMeeting"),
    "itgroup:meeting_pdf": S(pk="itgroup.ITGroupMeeting"),
    "itgroup:decision_create": S(pk="itgroup.ITGroupMeeting"),
    "itgroup:decision_edit": S(
        pk="itgroup.MeetingDecision#meeting_id", decision="itgroup.MeetingDecision"
    ),
    "systems:system_import": S(),
    "systems:system_import_confirm": S(),
    "systems:system_import_template": S(),
    "systems:system_export": S(),
    "systems:externalresponsibility_list": S(),
    "systems:externalresponsibility_create": S(),
    "systems:externalresponsibility_detail": S(pk="systems.ExternalResponsibility"),
    "systems:externalresponsibility_edit": S(pk="systems.ExternalResponsibility"),
    "systems:externalresponsibility_archive": S(pk="systems.ExternalResponsibility"),
    "systems:externalresponsibility_restore": S(pk="systems.ExternalResponsibility"),
    "systems:externalresponsibility_history": S(pk="systems.ExternalResponsibility"),
    "systems:system_list": S(),
    "systems:system_create": S(),
    "systems:system_detail": S(pk="systems.System"),
    "systems:system_edit": S(pk="systems.System"),
    "systems:system_archive": S(pk="systems.System"),
    "systems:system_restore": S(pk="systems.System"),
    "systems:system_history": S(pk="systems.System"),
    "plans:rollup": S(),
    "plans:settings": S(),
    "plans:rent": S(),
    "plans:premises_tenants": S(pk="plans.Premises"),
    "plans:premises_list": S(),
    "plans:premises_create": S(),
    "plans:premises_detail": S(pk="plans.Premises"),
    "plans:premises_edit": S(pk="plans.Premises"),
    "plans:premises_archive": S(pk="plans.Premises"),
    "plans:premises_restore": S(pk="plans.Premises"),
    "plans:premises_history": S(pk="plans.Premises"),
    "plans:goal_list": S(),
    "plans:goal_create": S(),
    "plans:goal_detail": S(pk="plans.Goal"),
    "plans:goal_edit": S(pk="plans.Goal"),
    "plans:goal_archive": S(pk="plans.Goal"),
    "plans:goal_restore": S(pk="plans.Goal"),
    "plans:goal_history": S(pk="plans.Goal"),
    "plans:costcategory_list": S(),
    "plans:costcategory_create": S(),
    "plans:costcategory_detail": S(pk="plans.CostCategory"),
    "plans:costcategory_edit": S(pk="plans.CostCategory"),
    "plans:costcategory_archive": S(pk="plans.CostCategory"),
    "plans:costcategory_restore": S(pk="plans.CostCategory"),
    "plans:costcategory_history": S(pk="plans.CostCategory"),
    "plans:planitem_create": S(),
    "plans:planitem_import": S(),
    "plans:planitem_import_confirm": S(),
    "plans:planitem_import_template": S(),
    "plans:planitem_export": S(),
    "plans:planitem_costs": S(pk="plans.PlanItem"),
    "plans:planitem_follow_up": S(pk="plans.PlanItem"),
    "plans:planitem_list": S(),
    "plans:planitem_detail": S(pk="plans.PlanItem"),
    "plans:planitem_edit": S(pk="plans.PlanItem"),
    "plans:planitem_archive": S(pk="plans.PlanItem"),
    "plans:planitem_restore": S(pk="plans.PlanItem"),
    "plans:planitem_history": S(pk="plans.PlanItem"),
    "plans:itplan_adopt": S(pk="plans.ITPlan"),
    "plans:itplan_follow_up": S(pk="plans.ITPlan"),
    "plans:itplan_evaluate": S(pk="plans.ITPlan"),
    "plans:itplan_copy": S(pk="plans.ITPlan"),
    "plans:itplan_pdf": S(pk="plans.ITPlan"),
    "plans:itplan_list": S(),
    "plans:itplan_create": S(),
    "plans:itplan_detail": S(pk="plans.ITPlan"),
    "plans:itplan_edit": S(pk="plans.ITPlan"),
    "plans:itplan_archive": S(pk="plans.ITPlan"),
    "plans:itplan_restore": S(pk="plans.ITPlan"),
    "plans:itplan_history": S(pk="plans.ITPlan"),
    "statusreports:statusreport_list": S(),
    "statusreports:statusreport_create": S(),
    "statusreports:statusreport_detail": S(pk="statusreports.StatusReport"),
    "statusreports:statusreport_edit": S(pk="statusreports.StatusReport"),
    "statusreports:statusreport_archive": S(pk="statusreports.StatusReport"),
    "statusreports:statusreport_restore": S(pk="statusreports.StatusReport"),
    "statusreports:statusreport_history": S(pk="statusreports.StatusReport"),
    "statusreports:statusreport_issue": S(pk="statusreports.StatusReport"),
    "statusreports:statusreport_pdf": S(pk="statusreports.StatusReport"),
    "training:course_list": S(),
    "training:course_create": S(),
    "training:course_detail": S(pk="training.Course"),
    "training:course_edit": S(pk="training.Course"),
    "training:course_archive": S(pk="training.Course"),
    "training:course_restore": S(pk="training.Course"),
    "training:course_history": S(pk="training.Course"),
    "training:session_list": S(),
    "training:session_create": S(),
    "training:session_detail": S(pk="training.TrainingSession"),
    "training:session_edit": S(pk="training.TrainingSession"),
    "training:session_archive": S(pk="training.TrainingSession"),
    "training:session_restore": S(pk="training.TrainingSession"),
    "training:session_history": S(pk="training.TrainingSession"),
    "training:session_book": S(pk="training.TrainingSession"),
    "training:registration_cancel": S(
        pk="training.Registration#session_id", registration="training.Registration"
    ),
    "training:session_attendance": S(pk="training.TrainingSession"),
    "training:session_cancel": S(pk="training.TrainingSession"),
    "training:person_competence": S(pk="organisation.Person"),
    "training:record_create": S(pk="organisation.Person"),
    "training:record_archive": S(pk="training.CompetenceRecord"),
    "training:my_training": S(),
    "training:settings": S(),
    "training:plan_adopt": S(pk="training.TrainingPlan"),
    "training:plan_follow_up": S(pk="training.TrainingPlan"),
    "training:planline_create": S(pk="training.TrainingPlan"),
    "training:planline_edit": S(
        pk="training.TrainingPlanLine#plan_id", line="training.TrainingPlanLine"
    ),
    "training:planline_archive": S(
        pk="training.TrainingPlanLine#plan_id", line="training.TrainingPlanLine"
    ),
    "training:plan_list": S(),
    "training:plan_create": S(),
    "training:plan_detail": S(pk="training.TrainingPlan"),
    "training:plan_edit": S(pk="training.TrainingPlan"),
    "training:plan_archive": S(pk="training.TrainingPlan"),
    "training:plan_restore": S(pk="training.TrainingPlan"),
    "training:plan_history": S(pk="training.TrainingPlan"),
    "training:watchnote_list": S(),
    "training:watchnote_create": S(),
    "training:watchnote_detail": S(pk="training.WatchNote"),
    "training:watchnote_edit": S(pk="training.WatchNote"),
    "training:watchnote_archive": S(pk="training.WatchNote"),
    "training:watchnote_restore": S(pk="training.WatchNote"),
    "training:watchnote_history": S(pk="training.WatchNote"),
    "training:attendance_import": S(),
    "training:attendance_import_confirm": S(),
    "training:attendance_import_template": S(),
    "training:requirement_list": S(),
    "training:requirement_create": S(),
    "training:requirement_detail": S(pk="training.TrainingRequirement"),
    "training:requirement_edit": S(pk="training.TrainingRequirement"),
    "training:requirement_archive": S(pk="training.TrainingRequirement"),
    "training:requirement_restore": S(pk="training.TrainingRequirement"),
    "training:requirement_history": S(pk="training.TrainingRequirement"),
    "training:coverage": S(),
    "training:system_users": S(system="systems.System"),
    "training:system_use_end": S(system="training.SystemUse#system_id", use="training.SystemUse"),
    "training:system_use_restore": S(
        system="training.SystemUse#system_id", use="training.SystemUse"
    ),
    "cooperation:overview": S(),
    "cooperation:compare": S(),
    "cooperation:sharing": S(group_pk="cooperation.CooperationGroup"),
    "cooperation:group_compliance": S(group_pk="cooperation.CooperationGroup"),
    "cooperation:partner_sessions": S(),
    "cooperation:partner_book": S(session_pk="training.TrainingSession"),
    "cooperation:partner_booking_cancel": S(pk="cooperation.PartnerBooking"),
    "cooperation:leave": S(group_pk="cooperation.CooperationGroup"),
    "portal:message_list": S(),
    "portal:message_detail": S(pk="portal.ResidentMessage"),
    "portal:message_answer": S(pk="portal.ResidentMessage"),
    "portal:message_forward": S(pk="portal.ResidentMessage"),
    "portal:message_close": S(pk="portal.ResidentMessage"),
    "portal:message_publish": S(pk="portal.ResidentMessage"),
    "portal:message_history": S(pk="portal.ResidentMessage"),
    "portal:settings": S(),
    "portal:statement": S(),
    "public:home": P(),
    "public:policy": P(),
    "public:system_list": P(),
    "public:system_detail": P(pk="systems.System"),
    "public:decision_list": P(),
    "public:product_detail": P(pk="catalogue.Product"),
    "public:plan_list": P(),
    "public:plan_detail": P(pk="plans.ITPlan"),
    "public:report_list": P(),
    "public:report_detail": P(pk="statusreports.StatusReport"),
    "public:contacts": P(),
    "public:answers": P(),
    "public:language": P(code="=en"),
    "public:data": P(),
    "public:catalog": P(),
    "public:catalog_rdf": P(),
    "public:dataset": P(dataset="=systems", fmt="=csv"),
    "public:ask": P(),
    "public:receipt": P(token="portal.ResidentMessage#receipt_token"),
    "public:accessibility": P(),
}


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """(name, full pattern) of every URL pattern under `resolver`; unnamed ones as ("", pattern)."""
    found: list[tuple[str, str]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            found.append((name, prefix + str(entry.pattern)))
    return found


def application_routes() -> dict[str, str]:
    """Every named route outside the namespaces covered elsewhere, with its pattern."""
    routes: dict[str, str] = {}
    for name, pattern in walk(get_resolver()):
        top = (name or "").split(":")[0] if ":" in (name or "") else ""
        if top in COVERED_NAMESPACES:
            continue
        if not name:
            # Only the admin has unnamed patterns (its catch-all and its redirects).
            assert pattern.startswith("admin/"), f"unnamed route {pattern!r}: give it a name"
            continue
        routes[name] = pattern
    return routes


def test_every_route_is_covered() -> None:
    routes = application_routes()
    missing = sorted(set(routes) - set(ROUTES))
    assert not missing, "\n".join(
        f"new route {name} ({routes[name]}) has no isolation coverage: add it to ROUTES"
        for name in missing
    )
    gone = sorted(set(ROUTES) - set(routes))
    assert not gone, f"ROUTES names routes that no longer exist: {gone}"


def test_the_covered_namespaces_exist() -> None:
    namespaces = {name.split(":")[0] for name, _ in walk(get_resolver()) if ":" in name}
    assert set(COVERED_NAMESPACES) <= namespaces


# Routes where B's user reaches A's data; each is a leak, recorded until it is fixed.
KNOWN_LEAKS: dict[str, str] = {}


# Routes that are a 404 even for A's own IT coordinator on a GET, and why.
OWNER_404: dict[str, str] = {}


def _params(public: bool) -> list[Any]:
    params = []
    for name, spec in sorted(ROUTES.items()):
        if not isinstance(spec, Spec) or spec.public is not public:
            continue
        marks = []
        if name in KNOWN_LEAKS:
            marks.append(pytest.mark.xfail(reason=KNOWN_LEAKS[name], strict=True))
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def _refused(response: Any, *, anonymous: bool = False) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    return anonymous and response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.django_db
@pytest.mark.parametrize("name", _params(public=False))
def test_other_municipality_reads_and_writes_nothing(name: str, world: World, client: Any) -> None:
    spec = ROUTES[name]
    assert isinstance(spec, Spec)
    victims_url = reverse(name, kwargs=spec.fill(world, world.victim.slug))
    before = row_counts()

    anonymous = client.get(victims_url)
    assert _refused(anonymous, anonymous=True), (victims_url, anonymous.status_code)

    if spec.takes_objects:
        # The control: A's own IT coordinator finds the object, so B's 404 below is isolation,
        # not a filler pointing at nothing.
        client.force_login(world.owner_user)
        own = client.get(victims_url)
        assert own.status_code != 404 or name in OWNER_404, (victims_url, "owner", own.status_code)

    for who, municipality, user in world.attackers():
        client.force_login(user)
        urls = [victims_url]
        if spec.takes_objects:
            # A's objects under the attacker's own slug, where its user holds every right.
            urls.append(reverse(name, kwargs=spec.fill(world, municipality.slug)))
        for url in urls:
            response = client.get(url)
            assert _refused(response), (who, url, "GET", response.status_code)
            response = client.post(url, {})
            assert _refused(response), (who, url, "POST", response.status_code)

    assert row_counts() == before, f"{name}: a request of another municipality wrote something"


@pytest.mark.django_db
@pytest.mark.parametrize("name", _params(public=True))
def test_public_page_shows_only_its_own_municipality(name: str, world: World, client: Any) -> None:
    """Public pages are public by design; under an attacker's slug they must not show A's
    objects, nor A's name (the partner's portal does not tell of its cooperation either)."""
    spec = ROUTES[name]
    assert isinstance(spec, Spec)
    before = row_counts()
    for _who, municipality, _user in world.attackers():
        url = reverse(name, kwargs=spec.fill(world, municipality.slug))
        response = client.get(url)
        if spec.takes_objects:
            assert response.status_code == 404, (url, response.status_code)
        else:
            assert response.status_code < 500, (url, response.status_code)
            body = response.content.decode(errors="replace")
            assert world.victim.name not in body, f"{url} shows {world.victim.name}"
    assert row_counts() == before, f"{name}: a public page wrote something"


@pytest.mark.django_db
def test_admin_refuses_a_municipality_user(world: World, client: Any) -> None:
    """The admin namespace is exempt above because only superusers get in: B's coordinator,
    strongest in B, is sent to the admin's login for the index and for A's municipality row."""
    client.force_login(world.attacker_user)
    for url in (
        reverse("admin:index"),
        reverse("admin:organisation_municipality_change", args=[world.victim.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith(reverse("admin:login")), url


@pytest.mark.django_db
def test_operator_refuses_a_municipality_user(world: World, client: Any) -> None:
    """The operator namespace is exempt above because only superusers get in: every operator
    page, read from the URL configuration (the victim's group and membership filling its
    arguments), is a 404 for the attackers and for A's own coordinator, strongest in their
    municipalities, and nothing is written."""
    membership = world.first("cooperation.Membership")
    values = {"pk": membership.group_id, "member": membership.pk}
    routes = {
        name: pattern for name, pattern in walk(get_resolver()) if name.startswith("operator:")
    }
    assert len(routes) >= 8, routes
    before = row_counts()
    users = [user for _who, _m, user in world.attackers()] + [world.owner_user]
    for user in users:
        client.force_login(user)
        for name, pattern in sorted(routes.items()):
            kwargs = {arg: values[arg] for arg in re.findall(r"<(?:\w+:)?(\w+)>", pattern)}
            url = reverse(name, kwargs=kwargs)
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url, {"slug": "x", "name": "X"}).status_code == 404, (user, url)
    assert row_counts() == before

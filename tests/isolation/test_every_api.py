"""Every API endpoint, used by the IT coordinator of another municipality (issue 10, item 5; P8.3):
lists and filters return nothing of municipality A, A's objects are 404 (or 403), and no write on
them goes through.

The endpoints are read from the DRF router, so a new viewset fails `test_every_endpoint_is_covered`
until `ENDPOINTS` says which model it serves (or why it holds no municipality's data).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse

from stadga.api.urls import router

from .conftest import SCOPE_PATHS, World, row_counts

SHARED = "the shared library: the same for every municipality, owned by none"

# basename -> the model whose objects the endpoint serves (its detail takes their pk), or the
# reason it has no municipality-owned objects to protect.
ENDPOINTS: dict[str, str] = {
    "municipality": "organisation.Municipality",
    "consequencelevel": "organisation.ConsequenceLevel",
    "board": "organisation.Board",
    "department": "organisation.Department",
    "person": "organisation.Person",
    "roleassignment": "organisation.RoleAssignment",
    "externalorganisation": "organisation.ExternalOrganisation",
    "system": "systems.System",
    "externalresponsibility": "systems.ExternalResponsibility",
    "policy": "shared: " + SHARED,
    "clause": "shared: " + SHARED,
    "policyadoption": "policy.PolicyAdoption",
    "compliance": "policy.PolicyAdoption",  # a list only: the live compliance per clause
    "compliancesnapshot": "policy.ComplianceSnapshot",
    "informationtype": "security.InformationType",
    "requirementcatalogue": "shared: " + SHARED,
    "requirement": "shared: " + SHARED,
    "measure": "security.Measure",
    "followup": "security.FollowUp",
    "shortfallnotice": "security.ShortfallNotice",
    "incident": "security.Incident",
    "processingactivity": "security.ProcessingActivity",
    "securitysettings": "security.SecuritySettings",
    "vendor": "catalogue.Vendor",
    "productcategory": "catalogue.ProductCategory",
    "product": "catalogue.Product",
    "productversion": "catalogue.ProductVersion",
    "phasedecision": "catalogue.PhaseDecision",
    "productrequest": "catalogue.ProductRequest",
    "inventorysource": "inventory.InventorySource",
    "inventorysnapshot": "inventory.Snapshot",
    "softwaretitle": "inventory.SoftwareTitle",
    "normalisationrule": "inventory.NormalisationRule",
    "installation": "inventory.Installation",
    "itgroupmember": "itgroup.ITGroupMember",
    "itgroupmeeting": "itgroup.ITGroupMeeting",
    "goal": "plans.Goal",
    "costcategory": "plans.CostCategory",
    "itplan": "plans.ITPlan",
    "planitem": "plans.PlanItem",
    "premises": "plans.Premises",
    "tenancy": "plans.Tenancy",
    "statusreport": "statusreports.StatusReport",
    "residentmessage": "portal.ResidentMessage",
    "course": "training.Course",
    "trainingsession": "training.TrainingSession",
    "registration": "training.Registration",
    "competencerecord": "training.CompetenceRecord",
    "systemuse": "training.SystemUse",
    "trainingrequirement": "training.TrainingRequirement",
    "trainingplan": "training.TrainingPlan",
    "trainingplanline": "training.TrainingPlanLine",
    "watchnote": "training.WatchNote",
}

# Endpoints whose detail is looked up by the municipality's slug rather than a pk.
BY_SLUG = {"municipality", "securitysettings"}

# Lists that serve one municipality named in `?municipality=<slug>` (400 without it).
BY_PARAMETER = {"compliance", "installation"}

# Lists whose rows carry no "id" of the model (the compliance report is clause by clause).
NO_IDS = {"compliance"} | BY_SLUG

# Extra actions whose URL takes a second id: the victim's object for it.
# (endpoint, the id's name in the action's url_path) -> (model, how its parent's pk is read).
ACTION_KWARGS: dict[tuple[str, str], tuple[str, str]] = {
    ("itgroupmeeting", "decision_pk"): ("itgroup.MeetingDecision", "meeting_id"),
}

# Endpoints where B's user reaches A's data; each is a leak, recorded until it is fixed.
KNOWN_LEAKS: dict[str, str] = {}


def registered() -> dict[str, Any]:
    return {basename: viewset for _prefix, viewset, basename in router.registry}


def test_every_endpoint_is_covered() -> None:
    endpoints = registered()
    missing = sorted(set(endpoints) - set(ENDPOINTS))
    assert not missing, "\n".join(
        f"new API endpoint {name} has no isolation coverage: add it to ENDPOINTS"
        for name in missing
    )
    gone = sorted(set(ENDPOINTS) - set(endpoints))
    assert not gone, f"ENDPOINTS names endpoints that no longer exist: {gone}"


def _params() -> list[Any]:
    params = []
    for name, what in sorted(ENDPOINTS.items()):
        if what.startswith("shared: "):
            continue
        marks = []
        if name in KNOWN_LEAKS:
            marks.append(pytest.mark.xfail(reason=KNOWN_LEAKS[name], strict=True))
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def _victims_ids(world: World, label: str) -> set[int]:
    model = apps.get_model(label)
    path = SCOPE_PATHS.get(label, "municipality")
    value = world.victim.pk if path == "pk" else world.victim
    return set(model._default_manager.filter(**{path: value}).values_list("pk", flat=True))


def _ids(payload: Any) -> set[Any]:
    """Every "id" in a list response, paginated or not."""
    rows = payload.get("results", payload) if isinstance(payload, dict) else payload
    if isinstance(rows, dict):
        rows = [rows]
    return {row.get("id") for row in rows if isinstance(row, dict)}


def _url(name: str, action: str, **kwargs: Any) -> str | None:
    try:
        return reverse(f"api:{name}-{action}", kwargs=kwargs)
    except NoReverseMatch:
        return None


@pytest.mark.django_db
@pytest.mark.parametrize("name", _params())
def test_endpoint_gives_nothing_of_another_municipality(
    name: str, world: World, client: Any
) -> None:
    label = ENDPOINTS[name]
    viewset = registered()[name]
    victim = world.victim
    victims_ids = _victims_ids(world, label)
    assert victims_ids, f"the isolation data has no {label} of the victim"
    obj = world.first(label)
    key = victim.slug if name in BY_SLUG else obj.pk
    lookup = viewset.lookup_field if name in BY_SLUG else "pk"
    before = row_counts()

    anonymous = client.get(_url(name, "list"))
    assert anonymous.status_code in (401, 403), anonymous.status_code

    # The control: A's own IT coordinator sees A's objects in the list and the detail, so the
    # checks below look at the right ids and URLs.
    client.force_login(world.owner_user)
    own_query = f"?municipality={victim.slug}" if name in BY_PARAMETER else ""
    own_list = client.get(f"{_url(name, 'list')}{own_query}")
    assert own_list.status_code == 200, own_list.status_code
    if name not in NO_IDS:
        assert _ids(json.loads(own_list.content)) & victims_ids, f"{name}: no ids in the list"
    own_detail = _url(name, "detail", **{lookup: key})
    if own_detail is not None:
        assert client.get(own_detail).status_code == 200, own_detail

    # The stranger and the partner (see conftest) in turn.
    for _who, _municipality, user in world.attackers():
        client.force_login(user)
        # The list, and its filters pointed at A's municipality and objects.
        list_url = _url(name, "list")
        assert list_url is not None
        system = world.first("systems.System")
        for query in (
            "",
            f"?municipality={victim.slug}",
            f"?municipality={victim.pk}",
            f"?system={system.pk}",
            f"?id={obj.pk}",
            f"?search={str(obj)[:20]}",
        ):
            response = client.get(list_url + query)
            assert response.status_code in (200, 400, 403, 404), (query, response.status_code)
            if name in BY_PARAMETER and victim.slug in query:
                assert response.status_code in (403, 404), (query, response.status_code)
            if response.status_code == 200:
                payload = json.loads(response.content)
                if name not in NO_IDS:
                    leaked = _ids(payload) & victims_ids
                    assert not leaked, f"{list_url}{query} lists A's {label} {sorted(leaked)}"
                assert f'"{victim.slug}"' not in response.content.decode(), f"{list_url}{query}"

        # The detail, read and written.
        detail = _url(name, "detail", **{lookup: key})
        if detail is not None:
            assert client.get(detail).status_code in (403, 404), detail
            for method in (client.patch, client.put, client.delete):
                response = method(detail, data="{}", content_type="application/json")
                assert response.status_code in (403, 404, 405), (
                    detail,
                    method,
                    response.status_code,
                )

        # A create aimed at A's municipality.
        response = client.post(
            list_url,
            data=json.dumps({"municipality": victim.slug}),
            content_type="application/json",
        )
        assert response.status_code in (400, 403, 404, 405), (list_url, response.status_code)

        # Every extra action on A's object.
        for action in viewset.get_extra_actions():
            kwargs: dict[str, Any] = {lookup: key} if action.detail else {}
            for kwarg in re.findall(r"\(\?P<(\w+)>", action.url_path):
                assert (name, kwarg) in ACTION_KWARGS, f"{name}.{action.url_name}: add {kwarg}"
                child_label, parent = ACTION_KWARGS[name, kwarg]
                child = world.first(child_label)
                kwargs = {lookup: getattr(child, parent), kwarg: child.pk}
            url = _url(name, action.url_name, **kwargs)
            assert url is not None, action.url_name
            for method in action.mapping:
                response = getattr(client, method)(url, data="{}", content_type="application/json")
                if action.detail:
                    assert response.status_code in (403, 404, 405), (
                        url,
                        method,
                        response.status_code,
                    )
                elif response.status_code == 200:
                    leaked = _ids(json.loads(response.content)) & victims_ids
                    assert not leaked, f"{url} lists A's {label} {sorted(leaked)}"

    assert row_counts() == before, f"{name}: a request of another municipality wrote something"

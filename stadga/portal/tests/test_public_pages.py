"""The public portal's pages (P7.1, P2.2): what each shows, what none ever shows, 404s for
what is not public, filters and paging, the language switch, and query counts that do not grow
with the rows."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from stadga.catalogue.choices import Phase
from stadga.catalogue.models import PhaseDecision
from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.plans.choices import PlanStatus
from stadga.plans.models import Goal
from stadga.plans.tests.factories import PlanItemFactory, adopted_plan, cost
from stadga.policy.models import Attestation, Clause, Policy, PolicyAdoption
from stadga.policy.registry import Offender, RuleContext, RuleResult, rule
from stadga.portal.choices import MessageStatus
from stadga.portal.models import PortalSettings
from stadga.portal.selectors_public import public_report_figures
from stadga.security.models import Incident
from stadga.statusreports.tests.helpers import report
from stadga.systems.models import System
from stadga.testing.factories import (
    BoardFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PersonFactory,
    PortalSettingsFactory,
    ProductFactory,
    ResidentMessageFactory,
    RoleAssignmentFactory,
    SystemFactory,
    SystemProductFactory,
    member,
)

pytestmark = pytest.mark.django_db

# Distinctive texts that must never reach a public page.
SECRETS = (
    "HEMLIG-KLASSNINGSMOTIVERING",
    "HEMLIG-ANTECKNING",
    "HEMLIG-INCIDENT",
    "HEMLIG-BRISTANMALAN",
    "HEMLIG-PROGRAMVARA",
    "HEMLIGT-SYSTEM",
    "HEMLIG-PLANANTECKNING",
    "HEMLIG-PRODUKTANTECKNING",
    "HEMLIG-OFFENDER",
    "Attestant Hemligsson",
    "SAKERHETSFIGUR",
    "Anna Invanare",
    "anna@invanare.example",
    "HEMLIGT-UTKAST",
    "987654",
)


@rule("test.portal_pages.owners", clauses=["Q1.1"], title="Every system has an owner")
def _owners(ctx: RuleContext) -> RuleResult:
    rows = list(System.objects.filter(municipality=ctx.municipality, archived_at__isnull=True))
    kept = sum(1 for s in rows if s.system_owner_id)
    return RuleResult.from_counts(kept=kept, total=len(rows), summary=f"OPPEN-FIGUR {kept}")


@rule("test.portal_pages.security", clauses=["Q9.1"], title="Every system is protected")
def _security(ctx: RuleContext) -> RuleResult:
    rows = list(System.objects.filter(municipality=ctx.municipality, archived_at__isnull=True))
    return RuleResult.from_counts(
        kept=0,
        total=len(rows),
        summary=f"SAKERHETSFIGUR {len(rows)}",
        offenders=[Offender(label="HEMLIG-OFFENDER", url="/x/")],
    )


def adopt_policy(municipality: Municipality) -> Policy:
    policy, _created = Policy.objects.get_or_create(
        key="test-portal-pages",
        version="1",
        defaults={"title": "Portalpolicy", "issuing_body": "KF", "adopted_on": "2006-09-25"},
    )
    if not policy.clauses.exists():
        for order, (clause_id, section, title, text, rules, attest) in enumerate(
            [
                (
                    "Q1.1",
                    "1",
                    "Ansvar",
                    "Varje system har en ägare.",
                    ["test.portal_pages.owners"],
                    False,
                ),
                ("Q1.2", "1", "Ansvar", "IT är en resurs.", [], True),
                (
                    "Q9.1",
                    "9",
                    "IT-säkerhet",
                    "Systemen skyddas.",
                    ["test.portal_pages.security"],
                    False,
                ),
            ]
        ):
            Clause.objects.create(
                policy=policy,
                clause_id=clause_id,
                order=order,
                section=section,
                section_title=title,
                text=text,
                rule_ids=rules,
                attestation_required=attest,
            )
    PolicyAdoption.objects.create(
        municipality=municipality, policy=policy, adopted_on=datetime.date(2006, 9, 25)
    )
    return policy


def url(m: Municipality, name: str, *args: Any) -> str:
    return reverse(f"public:{name}", args=[m.slug, *args])


def world(m: Municipality) -> dict[str, Any]:
    """A municipality with one of everything the portal shows, and secrets beside it."""
    today = timezone.localdate()
    board = BoardFactory(municipality=m, name="Barn- och utbildningsnämnden")
    department = DepartmentFactory(municipality=m, board=board, name="Skolförvaltningen")
    owner = PersonFactory(
        municipality=m,
        name="Olle Ägare",
        title="Skolchef",
        email="olle.agare@kommun.example",
        phone="0505-123 45",
    )
    system = SystemFactory(
        municipality=m,
        board=board,
        department=department,
        system_owner=owner,
        name="Elevregistret",
        purpose="Registrerar elever.",
        is_public=True,
        classification_justification="HEMLIG-KLASSNINGSMOTIVERING",
        notes="HEMLIG-ANTECKNING",
        user_count=987654,
    )
    hidden = SystemFactory(municipality=m, board=board, department=None, name="HEMLIGT-SYSTEM")
    RoleAssignmentFactory(person=owner, role=Role.SYSTEM_OWNER, system=system)
    RoleAssignmentFactory(
        person=PersonFactory(municipality=m, name="Dold Ägare"),
        role=Role.SYSTEM_OWNER,
        system=hidden,
    )
    coordinator = PersonFactory(municipality=m, name="Ida Samordnare", title="IT-samordnare")
    RoleAssignmentFactory(person=coordinator, role=Role.IT_COORDINATOR)
    product = ProductFactory(
        municipality=m, name="Skolwebben", phase=Phase.APPROVED, notes="HEMLIG-PRODUKTANTECKNING"
    )
    SystemProductFactory(system=system, product=product)
    PhaseDecision.objects.create(
        municipality=m,
        product=product,
        phase=Phase.APPROVED,
        effective_from=today,
        reason="Uppfyller kraven på tillgänglighet.",
    )
    unassessed = ProductFactory(municipality=m, name="Obedömd", phase=Phase.NOT_ASSESSED)
    plan = adopted_plan(m, today.year, board=board, notes="HEMLIG-PLANANTECKNING")
    item = PlanItemFactory(
        plan=plan, title="Nya elevdatorer", department=department, description="Byte av datorer."
    )
    item.goals.add(Goal.objects.get(municipality=m, code="P2.2"))
    item.systems.add(system, hidden)
    cost(item, today.year, investment=120000, running=30000)
    draft = adopted_plan(m, today.year, board=BoardFactory(municipality=m), status=PlanStatus.DRAFT)
    PlanItemFactory(plan=draft, title="HEMLIGT-UTKAST")
    Incident.objects.create(
        municipality=m,
        title="HEMLIG-INCIDENT-RAD",
        description="x",
        discovered_at=timezone.now(),
    )
    issued = report(
        m,
        issued_on=today,
        title="Lägesrapport våren",
        commentary="Arbetet går framåt.",
        content={
            "compliance": {
                "policy": "Portalpolicy",
                "counts": {},
                "clauses": [
                    {
                        "clause": "Q1.1",
                        "section": "1",
                        "text": "Ägare",
                        "status": "met",
                        "figure": "RAPPORT-FIGUR 5 av 5",
                        "change": "unchanged",
                    },
                    {
                        "clause": "Q9.1",
                        "section": "9",
                        "text": "Skydd",
                        "status": "not_met",
                        "figure": "SAKERHETSFIGUR 0 av 5",
                        "change": "worsened",
                    },
                ],
            },
            "shortfall_notices": {
                "open": 1,
                "acknowledged": 0,
                "items": [{"title": "HEMLIG-BRISTANMALAN"}],
            },
            "product_requests": {
                "decided": 7,
                "approved": 5,
                "approved_with_constraints": 1,
                "rejected": 1,
                "waiting": 2,
                "waiting_since": None,
            },
            "plans": {
                "year": today.year,
                "boards": [
                    {
                        "board": "Barn- och utbildningsnämnden",
                        "plan_status": "adopted",
                        "items": {"done": 3},
                        "total": 4,
                    }
                ],
            },
            "incidents": {
                "total": 1,
                "significant": 1,
                "open": 1,
                "items": [{"title": "HEMLIG-INCIDENT"}],
            },
            "installed_software": {"installations": 5, "unknown": "HEMLIG-PROGRAMVARA"},
        },
    )
    draft_report = report(m, title="HEMLIGT-UTKAST rapport")
    answered = ResidentMessageFactory(
        municipality=m,
        system=system,
        subject="system",
        name="Anna Invanare",
        email="anna@invanare.example",
        message="Vem får se elevernas betyg?",
        answer="Bara lärare och rektor.",
        status=MessageStatus.ANSWERED,
        answered_at=timezone.now(),
        publish_consent=True,
        published_at=timezone.now(),
    )
    unpublished = ResidentMessageFactory(
        municipality=m, message="HEMLIG-ANTECKNING i ett opublicerat meddelande"
    )
    person = PersonFactory(municipality=m, name="Attestant Hemligsson")
    policy = adopt_policy(m)
    Attestation.objects.create(
        municipality=m,
        clause=policy.clauses.get(clause_id="Q1.2"),
        statement="Intygat",
        attested_by=person,
        valid_from=today - datetime.timedelta(days=1),
        valid_until=today + datetime.timedelta(days=300),
    )
    return {
        "board": board,
        "system": system,
        "hidden": hidden,
        "product": product,
        "unassessed": unassessed,
        "plan": plan,
        "draft": draft,
        "report": issued,
        "draft_report": draft_report,
        "message": answered,
        "unpublished": unpublished,
    }


def every_page(m: Municipality, w: dict[str, Any]) -> list[str]:
    return [
        url(m, "home"),
        url(m, "policy"),
        url(m, "system_list"),
        url(m, "system_detail", w["system"].pk),
        url(m, "decision_list"),
        url(m, "product_detail", w["product"].pk),
        url(m, "plan_list"),
        url(m, "plan_detail", w["plan"].pk),
        url(m, "report_list"),
        url(m, "report_detail", w["report"].pk),
        url(m, "contacts"),
        url(m, "answers"),
    ]


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


class TestWhatThePagesShow:
    def test_every_page_has_one_h1_a_unique_title_and_no_session_token_or_script(
        self, client: Any, published: Municipality
    ) -> None:
        w = world(published)
        titles = set()
        for address in every_page(published, w):
            response = client.get(address)
            page = text(response)
            assert page.count("<h1") == 1, address
            titles.add(re.search(r"<title>(.*?)</title>", page, re.S).group(1))  # type: ignore[union-attr]
            assert "csrfmiddlewaretoken" not in page and "<script" not in page, address
            assert settings.CSRF_COOKIE_NAME not in response.cookies, address
            assert settings.SESSION_COOKIE_NAME not in response.cookies, address
            for table in re.findall(r"<table.*?</table>", page, re.S):
                assert "<caption" in table and 'scope="col"' in table, address
        assert len(titles) == len(every_page(published, w))

    def test_private_fields_never_reach_any_page(
        self, client: Any, published: Municipality
    ) -> None:
        w = world(published)
        for address in every_page(published, w):
            page = text(client.get(address))
            for secret in SECRETS:
                assert secret not in page, (secret, address)

    def test_home(self, client: Any, published: Municipality) -> None:
        w = world(published)
        PortalSettings.objects.filter(municipality=published).update(
            introduction="Välkommen till kommunens IT.", contact_phone="0505-100 00"
        )
        page = text(client.get(url(published, "home")))
        assert "Välkommen till kommunens IT." in page
        assert "it@kommun.example" in page and "0505-100 00" in page
        assert url(published, "product_detail", w["product"].pk) in page
        assert url(published, "plan_detail", w["plan"].pk) in page
        assert url(published, "plan_detail", w["draft"].pk) not in page
        assert url(published, "report_detail", w["report"].pk) in page
        # The policy at a glance: the three clauses are counted by status.
        assert 'class="figure">1</span>' in page

    def test_policy_shows_status_and_figures_but_not_section_9s_figure(
        self, client: Any, published: Municipality
    ) -> None:
        world(published)
        page = text(client.get(url(published, "policy")))
        assert "Varje system har en ägare." in page and "OPPEN-FIGUR 2" in page
        assert "Systemen skyddas." in page and 'id="Q9.1"' in page
        assert "status--not_met" in page
        assert "SAKERHETSFIGUR" not in page and "HEMLIG-OFFENDER" not in page
        assert "Attestant Hemligsson" not in page
        assert 'href="#section-9"' in page

    def test_policy_links_each_clause_to_the_ask_page_when_it_exists(
        self, client: Any, published: Municipality
    ) -> None:
        world(published)
        page = text(client.get(url(published, "policy")))
        ask = reverse("public:ask", args=[published.slug])
        assert f"{ask}?clause=Q9.1" in page

    def test_without_an_adopted_policy(self, client: Any, published: Municipality) -> None:
        with translation.override("sv"):  # the page's language
            nothing_yet = gettext(
                "The municipality has not yet adopted an IT policy in this service."
            )
        for address in (url(published, "policy"), url(published, "home")):
            page = text(client.get(address))
            assert nothing_yet.rstrip(".") in page, address
            assert 'class="clause' not in page and 'class="figure"' not in page

    def test_system_detail(self, client: Any, published: Municipality) -> None:
        w = world(published)
        page = text(client.get(url(published, "system_detail", w["system"].pk)))
        for shown in (
            "Elevregistret",
            "Registrerar elever.",
            "Skolförvaltningen",
            "Olle Ägare",
            "Skolchef",
            "olle.agare@kommun.example",
            "0505-123 45",
            "Skolwebben",
            "Nya elevdatorer",
            "Vem får se elevernas betyg?",
            "Bara lärare och rektor.",
        ):
            assert shown in page, shown
        crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group(0)  # type: ignore[union-attr]
        assert url(published, "system_list") in crumbs and 'aria-current="page"' in crumbs

    def test_product_detail_and_decisions(self, client: Any, published: Municipality) -> None:
        w = world(published)
        page = text(client.get(url(published, "product_detail", w["product"].pk)))
        assert "Uppfyller kraven på tillgänglighet." in page
        assert url(published, "system_detail", w["system"].pk) in page
        listing = text(client.get(url(published, "decision_list")))
        assert "Skolwebben" in listing and "Uppfyller kraven på tillgänglighet." in listing
        assert "Skolwebben" in text(client.get(url(published, "decision_list") + "?phase=approved"))
        assert "Skolwebben" not in text(
            client.get(url(published, "decision_list") + "?phase=retired")
        )
        bad = text(client.get(url(published, "decision_list") + "?phase=nonsense"))
        assert "notice--warning" in bad and "Skolwebben" in bad

    def test_plans_and_goals(self, client: Any, published: Municipality) -> None:
        w = world(published)
        listing = text(client.get(url(published, "plan_list")))
        assert url(published, "plan_detail", w["plan"].pk) in listing
        assert url(published, "plan_detail", w["draft"].pk) not in listing
        assert "§ 12" in listing
        # P2.2 serves one initiative costing 120 000 + 30 000 this year.
        row = re.search(r"P2\.2.*?</tr>", listing, re.S).group(0)  # type: ignore[union-attr]
        assert re.search(r"<td>1</td><td>120.000</td><td>30.000</td><td>150.000</td>", row), row
        page = text(client.get(url(published, "plan_detail", w["plan"].pk)))
        for shown in (
            "Nya elevdatorer",
            "Byte av datorer.",
            "Kortare handläggningstider.",
            "Bättre service till invånarna.",
            "Skolförvaltningen",
            "Elevregistret",
        ):
            assert shown in page, shown
        assert "HEMLIGT-SYSTEM" not in page

    def test_report_detail_only_the_public_figures(
        self, client: Any, published: Municipality
    ) -> None:
        w = world(published)
        page = text(client.get(url(published, "report_detail", w["report"].pk)))
        assert "Arbetet går framåt." in page and "RAPPORT-FIGUR 5 av 5" in page
        assert "Q9.1" in page and "SAKERHETSFIGUR" not in page
        assert "<dd>7</dd>" in page  # requests decided
        assert "Barn- och utbildningsnämnden" in page
        listing = text(client.get(url(published, "report_list")))
        assert "Lägesrapport våren" in listing and "HEMLIGT-UTKAST" not in listing

    def test_a_malformed_report_reads_as_having_no_figures(self, published: Municipality) -> None:
        broken = report(
            published,
            issued_on=timezone.localdate(),
            content={"compliance": [1], "plans": "x", "product_requests": {"decided": "many"}},
        )
        figures = public_report_figures(broken)
        assert figures["compliance"] is None and figures["plans"] is None
        assert figures["product_requests"]["decided"] == 0

    def test_contacts(self, client: Any, published: Municipality) -> None:
        w = world(published)
        page = text(client.get(url(published, "contacts")))
        assert "Ida Samordnare" in page and "Olle Ägare" in page
        assert url(published, "system_detail", w["system"].pk) in page
        assert "Dold Ägare" not in page and "HEMLIGT-SYSTEM" not in page
        assert published.role_label(Role.SYSTEM_OWNER) in page

    def test_answers_never_name_the_resident(self, client: Any, published: Municipality) -> None:
        w = world(published)
        page = text(client.get(url(published, "answers")))
        assert "Vem får se elevernas betyg?" in page and "Bara lärare och rektor." in page
        assert url(published, "system_detail", w["system"].pk) in page
        assert "Anna Invanare" not in page and "anna@invanare.example" not in page
        # About a system no longer public: the exchange stays, the system is not named.
        System.objects.filter(pk=w["system"].pk).update(is_public=False)
        cache.clear()
        page = text(client.get(url(published, "answers")))
        assert "Vem får se elevernas betyg?" in page and "Elevregistret" not in page


class TestRegisterSearchAndPaging:
    def test_search_and_board_filter(self, client: Any, published: Municipality) -> None:
        w = world(published)
        other_board = BoardFactory(municipality=published, name="Socialnämnden")
        SystemFactory(
            municipality=published,
            board=other_board,
            department=None,
            name="Omsorgssystemet",
            purpose="Hemtjänst",
            is_public=True,
        )
        base = url(published, "system_list")
        page = text(client.get(base))
        assert "Elevregistret" in page and "Omsorgssystemet" in page
        assert "HEMLIGT-SYSTEM" not in page
        assert "Omsorgssystemet" not in text(client.get(base + "?q=elever"))
        assert "Omsorgssystemet" in text(client.get(base + "?q=hemtj"))
        page = text(client.get(f"{base}?board={w['board'].pk}"))
        assert "Elevregistret" in page and "Omsorgssystemet" not in page
        for bad in ("?board=abc", "?board=999999", "?q=" + "x" * 500):
            page = text(client.get(base + bad))
            assert "notice--warning" in page, bad

    def test_pagination(self, client: Any, published: Municipality) -> None:
        board = BoardFactory(municipality=published)
        for i in range(51):
            SystemFactory(
                municipality=published,
                board=board,
                department=None,
                name=f"System {i:03d}",
                is_public=True,
            )
        base = url(published, "system_list")
        first = text(client.get(base + "?q=System"))
        assert "System 049" in first and "System 050" not in first
        assert 'href="?q=System&amp;page=2"' in first and 'rel="next"' in first
        second = text(client.get(base + "?q=System&page=2"))
        assert "System 050" in second and 'rel="prev"' in second
        assert "System 000" in text(client.get(base + "?page=abc"))
        assert "System 050" in text(client.get(base + "?page=999"))


class TestNotPublic:
    def test_an_unpublished_portal_is_404_everywhere(self, client: Any) -> None:
        m = MunicipalityFactory()
        settings_row = PortalSettingsFactory(municipality=m, is_published=False)
        w = world(m)
        pages = [*every_page(m, w), url(m, "language", "en")]
        for address in pages:
            assert client.get(address).status_code == 404, address
        settings_row.delete()
        for address in pages:
            assert client.get(address).status_code == 404, address

    def test_another_municipalitys_objects_are_404(
        self, client: Any, published: Municipality
    ) -> None:
        other = MunicipalityFactory()
        PortalSettingsFactory(municipality=other)
        w = world(other)
        for name, key in (
            ("system_detail", "system"),
            ("product_detail", "product"),
            ("plan_detail", "plan"),
            ("report_detail", "report"),
        ):
            assert client.get(url(published, name, w[key].pk)).status_code == 404, name
            assert client.get(url(other, name, w[key].pk)).status_code == 200, name

    def test_what_is_not_public_is_404(self, client: Any, published: Municipality) -> None:
        w = world(published)
        for name, key in (
            ("system_detail", "hidden"),
            ("plan_detail", "draft"),
            ("report_detail", "draft_report"),
            ("product_detail", "unassessed"),
        ):
            assert client.get(url(published, name, w[key].pk)).status_code == 404, name
        w["system"].archived_at = timezone.now()
        w["system"].save(update_fields=["archived_at"])
        assert client.get(url(published, "system_detail", w["system"].pk)).status_code == 404


class TestLanguage:
    def test_sets_the_cookie_and_goes_back_to_a_local_page(
        self, client: Any, published: Municipality
    ) -> None:
        back = url(published, "system_list")
        response = client.get(url(published, "language", "en") + f"?next={back}")
        assert response.status_code == 302 and response["Location"] == back
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        assert "no-store" in response["Cache-Control"]
        assert '<html lang="en">' in text(client.get(back))
        response = client.get(url(published, "language", "sv") + f"?next={back}")
        assert '<html lang="sv">' in text(client.get(back))

    @pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "", "x"])
    def test_never_to_another_site(self, client: Any, published: Municipality, target: str) -> None:
        response = client.get(url(published, "language", "en"), {"next": target})
        assert response.status_code == 302 and response["Location"] == url(published, "home")

    def test_only_known_languages(self, client: Any, published: Municipality) -> None:
        assert client.get(url(published, "language", "de")).status_code == 404


def hub(m: Municipality) -> dict[str, Any]:
    """A public system, a product and an adopted plan that `grow` hangs rows on."""
    board = BoardFactory(municipality=m)
    return {
        "system": SystemFactory(municipality=m, board=board, is_public=True),
        "product": ProductFactory(municipality=m),
        "plan": adopted_plan(m, timezone.localdate().year, board=board),
    }


def grow(m: Municipality, hubs: dict[str, Any], n: int) -> None:
    """`n` more of everything: public systems (each on its own product and the hub's), their
    owners, product decisions, boards' adopted plans, the hub plan's items (with goals, costs
    and systems), published exchanges about the hub system and issued reports."""
    today = timezone.localdate()
    goal = Goal.objects.get(municipality=m, code="P2.1")
    for _i in range(n):
        board = BoardFactory(municipality=m)
        system = SystemFactory(municipality=m, board=board, is_public=True)
        RoleAssignmentFactory(person=system.system_owner, role=Role.SYSTEM_OWNER, system=system)
        product = ProductFactory(municipality=m)
        SystemProductFactory(system=system, product=product)
        SystemProductFactory(system=system, product=hubs["product"])
        SystemProductFactory(system=hubs["system"], product=product)
        for decided in (product, hubs["product"]):
            PhaseDecision.objects.create(
                municipality=m,
                product=decided,
                phase=Phase.APPROVED,
                effective_from=today,
                reason="Skäl",
            )
        adopted_plan(m, today.year, board=board)
        item = PlanItemFactory(plan=hubs["plan"], department=system.department)
        item.goals.add(goal)
        item.systems.add(system, hubs["system"])
        cost(item, today.year, investment=100)
        cost(item, today.year + 1, running=50)
        ResidentMessageFactory(
            municipality=m,
            system=hubs["system"],
            answer="Svar",
            status=MessageStatus.ANSWERED,
            answered_at=timezone.now(),
            publish_consent=True,
            published_at=timezone.now(),
        )
        report(m, issued_on=today)


class TestQueryCounts:
    """Item 6: constant in the rows, at most one query on a cached hit."""

    def pages(self, m: Municipality, hubs: dict[str, Any]) -> list[str]:
        return [
            url(m, "home"),
            url(m, "policy"),
            url(m, "system_list"),
            url(m, "system_list") + "?q=System",
            url(m, "decision_list"),
            url(m, "plan_list"),
            url(m, "report_list"),
            url(m, "contacts"),
            url(m, "answers"),
            url(m, "system_detail", hubs["system"].pk),
            url(m, "product_detail", hubs["product"].pk),
            url(m, "plan_detail", hubs["plan"].pk),
        ]

    def test_constant_in_the_rows(
        self, client: Any, published: Municipality, django_assert_max_num_queries: Any
    ) -> None:
        adopt_policy(published)
        hubs = hub(published)
        grow(published, hubs, 2)
        small = {}
        for address in self.pages(published, hubs):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                text(client.get(address))
            small[address] = len(queries)
        grow(published, hubs, 18)
        for address in self.pages(published, hubs):
            cache.clear()
            with django_assert_max_num_queries(small[address]):
                text(client.get(address))
        # The pages did list the rows they were measured with.
        cache.clear()
        page = text(client.get(url(published, "system_list")))
        assert page.count(f"/p/{published.slug}/systems/") >= 21
        page = text(client.get(url(published, "plan_detail", hubs["plan"].pk)))
        assert page.count('class="plan-item"') == 20

    def test_a_logged_in_reader_costs_no_more_than_anyone(
        self, client: Any, published: Municipality
    ) -> None:
        world(published)
        pages = []
        for login in (False, True):
            cache.clear()
            if login:
                client.force_login(member(published, Role.IT_COORDINATOR))
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url(published, "system_list"))
            assert settings.CSRF_COOKIE_NAME not in response.cookies
            sql = [q["sql"] for q in queries.captured_queries]
            # What the middleware reads (the session and the user, for the change log's actor)
            # comes before the page; the page itself reads neither.
            first = next(i for i, q in enumerate(sql) if "portal_portalsettings" in q)
            pages.append(sql[first:])
        assert len(pages[1]) == len(pages[0])
        assert not any("django_session" in q or "auth_user" in q for q in pages[1])


def test_each_page_sets_what_the_residents_form_is_about(
    client: Any, published: Municipality
) -> None:
    w = world(published)
    expected = {
        url(published, "home"): {"field": "", "value": "", "label": ""},
        url(published, "system_detail", w["system"].pk): {
            "field": "system",
            "value": w["system"].pk,
            "label": "Elevregistret",
        },
        url(published, "product_detail", w["product"].pk): {
            "field": "product",
            "value": w["product"].pk,
            "label": "Skolwebben",
        },
        url(published, "plan_detail", w["plan"].pk): {
            "field": "plan",
            "value": w["plan"].pk,
            "label": str(w["plan"]),
        },
        url(published, "report_detail", w["report"].pk): {
            "field": "status_report",
            "value": w["report"].pk,
            "label": "Lägesrapport våren",
        },
    }
    for address, ask in expected.items():
        response = client.get(address)
        assert response.status_code == 200
        assert response.context["ask"] == ask, address

"""Load the demo municipality through the same services every other write goes through.

Loading is idempotent: every object is looked up by its natural key (slug, name, system ID,
username) and created only if it is missing, so a second run creates nothing, changes nothing and
writes nothing to the change log. Objects that already exist are left as they are, so what someone
changed while trying the demo survives a reload.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import cached_property

from stadga.catalogue.access import can_sign_step
from stadga.catalogue.choices import Outcome
from stadga.catalogue.models import (
    ApprovalStep,
    CatalogueSettings,
    PhaseDecision,
    Product,
    ProductCategory,
    ProductRequest,
    ProductVersion,
    SystemProduct,
    Vendor,
)
from stadga.catalogue.services_catalogue import (
    product_category_create,
    product_create,
    product_version_create,
    system_products_set,
    vendor_create,
)
from stadga.catalogue.services_inquiries import inquiry_answer, inquiry_waive
from stadga.catalogue.services_phases import product_phase_set
from stadga.catalogue.services_requests import (
    approval_step_create,
    assessment_record,
    catalogue_settings_update,
    request_create,
    request_submit,
    step_decide,
)
from stadga.core.services import object_archive
from stadga.inventory.choices import InventoryFormat
from stadga.inventory.dictionary import dictionary_apply
from stadga.inventory.models import InventorySource, NormalisationRule
from stadga.inventory.services import inventory_import
from stadga.inventory.services_rules import normalisation_rule_create
from stadga.organisation import services as org
from stadga.organisation.access import Access
from stadga.organisation.models import (
    Board,
    Department,
    ExternalOrganisation,
    Municipality,
    Person,
    RoleAssignment,
)
from stadga.plans.models import Goal
from stadga.policy.library import read_library, shipped_libraries
from stadga.policy.models import Policy, PolicyAdoption
from stadga.policy.services_library import policy_adopt, policy_load
from stadga.security.catalogue import read_catalogue, shipped_catalogues
from stadga.security.models import (
    Incident,
    InformationType,
    Measure,
    ProcessingActivity,
    ShortfallNotice,
)
from stadga.security.requirements import current_requirements
from stadga.security.services_classification import (
    information_type_create,
    requirement_catalogue_load,
)
from stadga.security.services_incidents import EARLY_WARNING, incident_mark_sent, incident_report
from stadga.security.services_measures import follow_up_record, measure_create
from stadga.security.services_notices import shortfall_notice_file
from stadga.security.services_register import processing_activity_create
from stadga.systems import services as systems
from stadga.systems.models import ExternalResponsibility, System

from . import DEMO_PASSWORD, OPERATOR_USERNAME, data
from . import data_catalogue as catalogue
from . import data_inventory as inventory

# The demo is loaded by the system itself, not by a person (the change log shows no user).
ACTOR = None

# The demo municipality has adopted the shipped 2006 policy (P3.1). The council's date is the
# policy's own; the minutes' paragraph is invented for the demo, like everything in it.
POLICY_KEY = "karlsborg-it-policy-2006"
POLICY_VERSION = "2006-09-25"
POLICY_ADOPTED_ON = datetime.date(2006, 9, 25)
POLICY_DECISION_REFERENCE = "KF § 87/2006"


class Writer(Protocol):
    """Where progress goes: a text stream, or a management command's stdout."""

    def write(self, text: str, /) -> object: ...


class DemoConflict(Exception):
    """The database holds a real municipality where the demo would go; the demo never touches it."""


def load_demo(*, stdout: Writer | None = None) -> Municipality:
    """Create whatever of the demo municipality is missing, in one transaction; return it.

    Raises DemoConflict if a municipality that is not demo data already has the demo's short name
    or municipality code.
    """
    with transaction.atomic():
        loader = _Loader()
        municipality = loader.load()
    if stdout is not None:
        if loader.created:
            done = ", ".join(f"{n} {what}" for what, n in loader.created.items())
            stdout.write(f"Created {done}.\n")
        else:
            stdout.write("The demo municipality is already loaded; nothing was changed.\n")
    return municipality


class _Loader:
    """One load: resolves the data's references by name and counts what it creates."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.boards: dict[str, Board] = {}
        self.departments: dict[str, Department] = {}
        self.people: dict[str, Person] = {}
        self.systems: dict[str, System] = {}

    def load(self) -> Municipality:
        m = self.municipality()
        self.load_boards(m)
        self.load_departments(m)
        self.load_people(m)
        self.load_external_organisations(m)
        self.load_systems(m)
        self.load_external_responsibilities(m)
        self.load_roles(m)
        self.load_operator()
        self.load_policy(m)
        self.load_security(m)
        self.load_catalogue(m)
        self.load_inventory(m)
        self.load_itgroup(m)
        self.load_plans(m)
        self.load_statusreports(m)
        self.load_training(m)
        self.load_portal(m)
        self.load_cooperation(m)
        return m

    def municipality(self) -> Municipality:
        existing = Municipality.objects.filter(slug=data.MUNICIPALITY_SLUG).first()
        if existing is None:
            existing = Municipality.objects.filter(code=data.MUNICIPALITY_CODE).first()
        if existing is not None:
            # Never mix demo data into a real municipality, nor take over its short name or code.
            if not existing.is_demo or existing.slug != data.MUNICIPALITY_SLUG:
                raise DemoConflict(
                    f"The municipality {existing.name!r} ({existing.slug}, {existing.code}) is not "
                    f"the demo; the demo needs the short name {data.MUNICIPALITY_SLUG!r} and "
                    f"code {data.MUNICIPALITY_CODE}."
                )
            return existing
        m = org.municipality_create(
            slug=data.MUNICIPALITY_SLUG,
            name=data.MUNICIPALITY_NAME,
            code=data.MUNICIPALITY_CODE,
            is_demo=True,
            actor=ACTOR,
        )
        org.municipality_update(
            municipality=m, data={"role_labels": dict(data.ROLE_LABELS)}, actor=ACTOR
        )
        self.created["municipality"] += 1
        return m

    def load_boards(self, m: Municipality) -> None:
        self.boards = {b.name: b for b in Board.objects.filter(municipality=m)}
        for item in data.BOARDS:
            if item.name not in self.boards:
                self.boards[item.name] = org.board_create(
                    municipality=m,
                    data={"name": item.name, "short_name": item.short_name, "kind": item.kind},
                    actor=ACTOR,
                )
                self.created["boards"] += 1

    def load_departments(self, m: Municipality) -> None:
        self.departments = {d.name: d for d in Department.objects.filter(municipality=m)}
        for item in data.DEPARTMENTS:
            if item.name not in self.departments:
                self.departments[item.name] = org.department_create(
                    municipality=m,
                    data={"name": item.name, "board": self.boards[item.board]},
                    actor=ACTOR,
                )
                self.created["departments"] += 1

    def load_people(self, m: Municipality) -> None:
        self.people = {}
        for person in Person.objects.filter(municipality=m).order_by("pk"):
            self.people.setdefault(person.name, person)
        for item in data.PEOPLE:
            if item.name in self.people:
                self.give_login(self.people[item.name], item)
                continue
            user = self.demo_user(item, item.username) if item.username else None
            self.people[item.name] = org.person_create(
                municipality=m,
                data={
                    "name": item.name,
                    "title": item.title,
                    "email": item.email,
                    "phone": item.phone,
                    "department": self.departments[item.department] if item.department else None,
                    "user": user,
                },
                actor=ACTOR,
            )
            if item.left:
                object_archive(instance=self.people[item.name], actor=ACTOR)
            self.created["people"] += 1

    def give_login(self, person: Person, item: data.PersonData) -> None:
        """A demo person loaded before the data gave them a login gets it, unless they have one
        or the username is someone else's (e.g. the head of the central office, P9.6)."""
        if not item.username or person.user_id is not None or person.archived_at is not None:
            return
        if get_user_model().objects.filter(username=item.username).exists():
            return
        org.person_update(
            person=person, data={"user": self.demo_user(item, item.username)}, actor=ACTOR
        )

    def demo_user(self, item: data.PersonData, username: str) -> Any:
        """The login of a demo person; an existing account keeps its password."""
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            first_name, _, last_name = item.name.partition(" ")
            user = User(
                username=username,
                email=item.email,
                first_name=first_name,
                last_name=last_name,
                password=self.password_hash,
            )
            user.save()
            self.created["demo logins"] += 1
        return user

    def load_operator(self) -> None:
        """The installation's superuser (no person in any municipality: it runs the server)."""
        User = get_user_model()
        if not User.objects.filter(username=OPERATOR_USERNAME).exists():
            User(
                username=OPERATOR_USERNAME,
                email=f"{OPERATOR_USERNAME}@{data.EMAIL_DOMAIN}",
                is_staff=True,
                is_superuser=True,
                password=self.password_hash,
            ).save()
            self.created["demo logins"] += 1

    @cached_property
    def password_hash(self) -> str:
        # Hashed once for all accounts: the password is published, and hashing it for each of
        # them took most of the load's time.
        return make_password(DEMO_PASSWORD)

    def load_external_organisations(self, m: Municipality) -> None:  # P3.11
        existing = set(
            ExternalOrganisation.objects.filter(municipality=m).values_list("name", flat=True)
        )
        for item in data.EXTERNAL_ORGANISATIONS:
            if item.name not in existing:
                org.external_organisation_create(
                    municipality=m,
                    data={
                        "name": item.name,
                        "responsibilities": item.responsibilities,
                        "contact": item.contact,
                    },
                    actor=ACTOR,
                )
                self.created["external organisations"] += 1

    def load_systems(self, m: Municipality) -> None:
        self.systems = {s.identifier: s for s in System.objects.filter(municipality=m)}
        # Dependencies on a system listed later are set once every system exists.
        pending: list[data.SystemData] = []
        for item in data.SYSTEMS:
            if item.identifier in self.systems:
                continue
            known = [self.systems[i] for i in item.depends_on if i in self.systems]
            self.systems[item.identifier] = systems.system_create(
                municipality=m, data={**self._system_fields(item), "depends_on": known}, actor=ACTOR
            )
            if len(known) < len(item.depends_on):
                pending.append(item)
            self.created["systems"] += 1
        for item in pending:
            systems.system_update(
                system=self.systems[item.identifier],
                data={"depends_on": [self.systems[i] for i in item.depends_on]},
                actor=ACTOR,
            )

    def load_external_responsibilities(self, m: Municipality) -> None:  # P3.11
        """What the external organisations answer for in the systems. One archived by a user
        stays archived: a second load adds only what was never recorded."""
        organisations = {o.name: o for o in ExternalOrganisation.objects.filter(municipality=m)}
        recorded = set(
            ExternalResponsibility.objects.filter(municipality=m).values_list(
                "organisation__name", "system__identifier", "kind"
            )
        )
        for item in data.EXTERNAL_RESPONSIBILITIES:
            # A system that older, smaller data did not have yet gets its share on a later load.
            if (item.organisation, item.system, item.kind) in recorded or (
                item.system not in self.systems
            ):
                continue
            systems.external_responsibility_create(
                system=self.systems[item.system],
                data={
                    "organisation": organisations[item.organisation],
                    "kind": item.kind,
                    "description": item.description,
                },
                actor=ACTOR,
            )
            self.created["external responsibilities"] += 1

    def _system_fields(self, item: data.SystemData) -> dict[str, Any]:
        confidentiality, integrity, availability, traceability = item.classification
        return {
            "identifier": item.identifier,
            "name": item.name,
            "purpose": item.purpose,
            "board": self.boards[item.board],
            "department": self.departments[item.department] if item.department else None,
            "system_owner": self.people[item.system_owner] if item.system_owner else None,
            "contacts": [self.people[name] for name in item.contacts],
            "lifecycle_phase": item.lifecycle_phase,
            "in_production_from": item.in_production_from,
            "phase_out_from": item.phase_out_from,
            "retired_on": item.retired_on,
            "system_type": item.system_type,
            "user_count": item.user_count,
            "personal_data": item.personal_data,
            "confidentiality": confidentiality,
            "integrity": integrity,
            "availability": availability,
            "traceability": traceability,
            "classification_justification": item.justification,
            "is_public": item.is_public,
            "notes": item.notes,
        }

    def load_roles(self, m: Municipality) -> None:
        held: set[tuple[int, str, int | None, int | None]] = set(
            RoleAssignment.objects.filter(municipality=m, archived_at__isnull=True).values_list(
                "person_id", "role", "board_id", "department_id"
            )
        )
        for item in data.ROLES:
            person = self.people[item.person]
            board = self.boards[item.board] if item.board else None
            department = self.departments[item.department] if item.department else None
            key = (
                person.pk,
                str(item.role),
                board.pk if board else None,
                department.pk if department else None,
            )
            if key in held:
                continue
            org.role_assign(
                municipality=m,
                data={
                    "person": person,
                    "role": item.role,
                    "board": board,
                    "department": department,
                },
                actor=ACTOR,
            )
            held.add(key)
            self.created["role assignments"] += 1

    def load_policy(self, m: Municipality) -> None:  # P3.1
        """The shipped policy libraries, and the demo's adoption of the 2006 policy."""
        for path in shipped_libraries():
            result = policy_load(library=read_library(path), actor=ACTOR)
            if result.created:
                self.created["policy versions"] += 1
            if result.updated_clauses:
                # A demo loaded by an older Stadga: the same text, measured by newer rules.
                self.created["policy clauses measured anew"] += len(result.updated_clauses)
        # The baseline security requirements that classification triggers (P9.1).
        for path in shipped_catalogues():
            if requirement_catalogue_load(catalogue=read_catalogue(path), actor=ACTOR).created:
                self.created["requirement catalogues"] += 1
        policy = Policy.objects.get(key=POLICY_KEY, version=POLICY_VERSION)
        # An adoption someone archived while trying the demo stays archived.
        if not PolicyAdoption.objects.filter(municipality=m, policy=policy).exists():
            policy_adopt(
                municipality=m,
                policy=policy,
                adopted_on=POLICY_ADOPTED_ON,
                decision_reference=POLICY_DECISION_REFERENCE,
                actor=ACTOR,
            )
            self.created["policy adoptions"] += 1

    # --- Information security (P9) -----------------------------------------------------------

    def load_security(self, m: Municipality) -> None:
        """The security records of `data`, through the security services. What someone already
        has (an information type, measure, notice, incident or processing activity of the same
        name) is left as it is; a follow-up is recorded only with its new measure. Records of a
        system the data no longer holds (an older, smaller demo) are skipped."""
        today = timezone.localdate()
        self.load_information_types(m, today)
        measures = self.load_measures(m, today)
        self.load_processing_activities(m, measures)
        self.load_shortfall_notices(m, measures)
        self.load_incidents(m)

    def load_information_types(self, m: Municipality, today: datetime.date) -> None:  # P9.1
        existing = set(
            InformationType.objects.filter(municipality=m).values_list("system_id", "name")
        )
        for item in data.INFORMATION_TYPES:
            system = self.systems.get(item.system)
            if system is None or (system.pk, item.name) in existing:
                continue
            confidentiality, integrity, availability, traceability = item.levels
            information_type_create(
                system=system,
                data={
                    "name": item.name,
                    "description": item.description,
                    "personal_data": item.personal_data,
                    "sensitive_personal_data": item.sensitive_personal_data,
                    "confidentiality": confidentiality,
                    "integrity": integrity,
                    "availability": availability,
                    "traceability": traceability,
                    "justification": item.justification,
                    "classified_on": today - datetime.timedelta(days=item.classified_days_ago),
                },
                actor=ACTOR,
            )
            self.created["information types"] += 1

    def load_measures(
        self, m: Municipality, today: datetime.date
    ) -> dict[tuple[str | None, str], Measure]:  # P9.4, P9.5
        """The measures, by (system ID, title), those that were there before included."""
        requirements = {r.code: r for r in current_requirements()}
        by_system = {s.pk: identifier for identifier, s in self.systems.items()}
        measures: dict[tuple[str | None, str], Measure] = {}
        for measure in Measure.objects.filter(municipality=m).order_by("pk"):
            key = (by_system.get(measure.system_id) if measure.system_id else None, measure.title)
            measures.setdefault(key, measure)
        for item in data.MEASURES:
            system = self.systems.get(item.system) if item.system else None
            if (item.system and system is None) or (item.system, item.title) in measures:
                continue
            fields: dict[str, Any] = {
                "system": system,
                "requirement": requirements.get(item.requirement) if item.requirement else None,
                "title": item.title,
                "description": item.description,
                "status": item.status,
                "responsible": self.people[item.responsible],
                "evidence": item.evidence,
                "not_applicable_reason": item.not_applicable_reason,
            }
            if item.planned_in_days is not None:
                fields["planned_for"] = today + datetime.timedelta(days=item.planned_in_days)
            if item.follow_up_months is not None:
                fields["follow_up_months"] = item.follow_up_months
            measure = measure_create(municipality=m, data=fields, actor=ACTOR)
            measures[(item.system, item.title)] = measure
            self.created["measures"] += 1
            for follow_up in sorted(item.follow_ups, key=lambda f: -f.days_ago):
                follow_up_record(
                    measure=measure,
                    data={
                        "performed_on": today - datetime.timedelta(days=follow_up.days_ago),
                        "performed_by": self.people[follow_up.performed_by],
                        "checked": follow_up.checked,
                        "effect": follow_up.effect,
                        "action": follow_up.action,
                    },
                    actor=ACTOR,
                )
                self.created["follow-ups"] += 1
        return measures

    def load_processing_activities(
        self, m: Municipality, measures: dict[tuple[str | None, str], Measure]
    ) -> None:  # P9.2, GDPR art. 30
        existing = set(
            ProcessingActivity.objects.filter(municipality=m).values_list("board_id", "name")
        )
        for item in data.PROCESSING_ACTIVITIES:
            board = self.boards[item.board]
            if (board.pk, item.name) in existing:
                continue
            processing_activity_create(
                municipality=m,
                data={
                    "board": board,
                    "name": item.name,
                    "purposes": item.purposes,
                    "legal_basis": item.legal_basis,
                    "legal_basis_detail": item.legal_basis_detail,
                    "data_subjects": item.data_subjects,
                    "personal_data_categories": item.personal_data_categories,
                    "sensitive_data": item.sensitive_data,
                    "recipients": item.recipients,
                    "third_country_transfers": item.third_country_transfers,
                    "erasure_time_limits": item.erasure_time_limits,
                    "dpia_done": item.dpia_done,
                    "processor_agreements": item.processor_agreements,
                    "systems": [self.systems[i] for i in item.systems if i in self.systems],
                    "security_measures": [measures[k] for k in item.measures if k in measures],
                },
                actor=ACTOR,
            )
            self.created["processing activities"] += 1

    def demo_login(self, m: Municipality, username: str) -> Any:
        """The login a record is filed as (the services file notices and incidents as a
        person), or None when that demo person has no login here."""
        person = Person.objects.filter(
            municipality=m, user__username=username, archived_at__isnull=True
        ).first()
        return person.user if person is not None else None

    def load_shortfall_notices(
        self, m: Municipality, measures: dict[tuple[str | None, str], Measure]
    ) -> None:  # P9.6
        existing = set(
            ShortfallNotice.objects.filter(municipality=m).values_list("title", flat=True)
        )
        for item in data.SHORTFALL_NOTICES:
            writer = self.demo_login(m, item.writer)
            systems_named = [self.systems[i] for i in item.systems if i in self.systems]
            if item.title in existing or writer is None or not systems_named:
                continue
            # Filed as its writer: the service checks that they own a system it names, and
            # tells the department head at once (their inbox shows it).
            shortfall_notice_file(
                municipality=m,
                data={
                    "title": item.title,
                    "need": item.need,
                    "risk": item.risk,
                    "estimated_cost": item.estimated_cost,
                    "systems": systems_named,
                    "measures": [measures[k] for k in item.measures if k in measures],
                    "department": self.departments[item.department] if item.department else None,
                    "board": self.boards[item.board] if item.board else None,
                },
                actor=writer,
            )
            self.created["shortfall notices"] += 1

    def load_incidents(self, m: Municipality) -> None:
        existing = set(Incident.objects.filter(municipality=m).values_list("title", flat=True))
        types = {
            (t.system_id, t.name): t
            for t in InformationType.objects.filter(municipality=m, archived_at__isnull=True)
        }
        now = timezone.now()
        for item in data.INCIDENTS:
            reporter = self.demo_login(m, item.reporter)
            affected = [self.systems[i] for i in item.systems if i in self.systems]
            if item.title in existing or reporter is None or not affected:
                continue
            discovered_at = now - datetime.timedelta(hours=item.discovered_hours_ago)
            information_types = [
                types[(self.systems[i].pk, name)]
                for i, name in item.information_types
                if i in self.systems and (self.systems[i].pk, name) in types
            ]
            incident = incident_report(
                municipality=m,
                data={
                    "title": item.title,
                    "description": item.description,
                    "discovered_at": discovered_at,
                    "significant": item.significant,
                    "systems": affected,
                    "information_types": information_types,
                },
                actor=reporter,
            )
            if item.early_warning_after_hours is not None:
                incident_mark_sent(
                    incident=incident,
                    which=EARLY_WARNING,
                    at=discovered_at + datetime.timedelta(hours=item.early_warning_after_hours),
                    actor=reporter,
                )
            self.created["incidents"] += 1

    # --- The product catalogue and product requests (P4.1, P5.1–P5.7, P8.2) --------------------

    def load_catalogue(self, m: Municipality) -> None:
        """Categories, vendors, products with their versions and the IT department's decisions,
        which products the systems run on, and the product requests of `data_catalogue`.

        What exists is left as it is: a product is matched by name, and gets the demo's
        decisions only while it has none (e.g. one the migration of the register's free-text
        vendor made, not yet assessed); a system gets the demo's products only while it runs on
        none; a request is matched by its title."""
        today = timezone.localdate()
        # The IT coordinator decides (P5.4): as their login, in their name.
        coordinator = self.demo_login(m, "it.samordnare")
        decided_by = self.people.get(data.IT_COORDINATOR)
        categories = self.load_categories(m)
        vendors = self.load_vendors(m, today)
        products = self.load_products(m, today, categories, vendors)
        versions = self.load_versions(m, today, products)
        self.load_phase_decisions(m, today, products, coordinator, decided_by)
        self.load_system_products(m, products, versions)
        if coordinator is not None:
            # The demo is Swedish: what the services name from the vocabulary (a step's name)
            # is stored in the installation's language, not the command's.
            with translation.override(settings.LANGUAGE_CODE):
                self.load_product_requests(m, products, vendors, categories, coordinator)

    def load_categories(self, m: Municipality) -> dict[str, ProductCategory]:
        categories = {c.name: c for c in ProductCategory.objects.filter(municipality=m)}
        for item in catalogue.CATEGORIES:
            if item.name not in categories:
                categories[item.name] = product_category_create(
                    municipality=m,
                    data={
                        "name": item.name,
                        "description": item.description,
                        "is_business_system": item.is_business_system,
                    },
                    actor=ACTOR,
                )
                self.created["product categories"] += 1
        return categories

    def load_vendors(self, m: Municipality, today: datetime.date) -> dict[str, Vendor]:  # P5.2
        vendors = {v.name: v for v in Vendor.objects.filter(municipality=m)}
        for item in catalogue.VENDORS:
            if item.name not in vendors:
                vendors[item.name] = vendor_create(
                    municipality=m,
                    data={
                        "name": item.name,
                        "market_standing": item.market_standing,
                        "long_term_prospects": item.long_term_prospects,
                        "assessed_on": catalogue.resolve(item.assessed_on, today),
                        "notes": item.notes,
                    },
                    actor=ACTOR,
                )
                self.created["vendors"] += 1
        return vendors

    def load_products(
        self,
        m: Municipality,
        today: datetime.date,
        categories: dict[str, ProductCategory],
        vendors: dict[str, Vendor],
    ) -> dict[str, Product]:
        products = {p.name: p for p in Product.objects.filter(municipality=m)}
        for item in catalogue.PRODUCTS:
            if item.name in products:
                continue
            products[item.name] = product_create(
                municipality=m,
                data={
                    "name": item.name,
                    "kind": item.kind,
                    "category": categories[item.category],
                    "vendor": vendors[item.vendor] if item.vendor else None,
                    "description": item.description,
                    "end_of_support": catalogue.resolve(item.end_of_support, today),
                    "notes": item.notes,
                },
                actor=ACTOR,
            )
            self.created["products"] += 1
        return products

    def load_versions(
        self, m: Municipality, today: datetime.date, products: dict[str, Product]
    ) -> dict[tuple[str, str], ProductVersion]:
        """The versions, by (product name, version), those that were there before included."""
        names = {p.pk: name for name, p in products.items()}
        versions = {
            (names[v.product_id], v.version): v
            for v in ProductVersion.objects.filter(municipality=m)
            if v.product_id in names
        }
        for item in catalogue.PRODUCTS:
            for version in item.versions:
                if (item.name, version.version) in versions:
                    continue
                versions[(item.name, version.version)] = product_version_create(
                    product=products[item.name],
                    data={
                        "version": version.version,
                        "general_availability": catalogue.resolve(
                            version.general_availability, today
                        ),
                        "end_of_sale": catalogue.resolve(version.end_of_sale, today),
                        "end_of_support": catalogue.resolve(version.end_of_support, today),
                    },
                    actor=ACTOR,
                )
                self.created["product versions"] += 1
        return versions

    def load_phase_decisions(
        self,
        m: Municipality,
        today: datetime.date,
        products: dict[str, Product],
        coordinator: Any,
        decided_by: Person | None,
    ) -> None:  # P5.4
        decided = set(
            PhaseDecision.objects.filter(municipality=m).values_list("product_id", flat=True)
        )
        for item in catalogue.PRODUCTS:
            product = products[item.name]
            if product.pk in decided:
                continue
            for decision in item.decisions:
                # A fixed date the calendar has not reached yet takes effect today.
                on = min(catalogue.resolve(decision.on, today) or today, today)
                product_phase_set(
                    product=product,
                    phase=decision.phase,
                    reason=decision.reason,
                    effective_from=on,
                    ends_on=catalogue.resolve(decision.ends_on, today),
                    constraints=decision.constraints,
                    decided_by=decided_by,
                    actor=coordinator,
                )
                self.created["phase decisions"] += 1

    def load_system_products(
        self,
        m: Municipality,
        products: dict[str, Product],
        versions: dict[tuple[str, str], ProductVersion],
    ) -> None:  # P5.4, P4.1
        linked = set(
            SystemProduct.objects.filter(system__municipality=m).values_list("system_id", flat=True)
        )
        wanted: dict[str, list[tuple[Product, ProductVersion | None]]] = {}
        for link in catalogue.LINKS:
            version = link.version or catalogue.LINK_VERSIONS.get((link.system, link.product))
            wanted.setdefault(link.system, []).append(
                (products[link.product], versions[(link.product, version)] if version else None)
            )
        for identifier, links in wanted.items():
            system = self.systems.get(identifier)
            if system is None or system.pk in linked:
                continue
            system_products_set(system=system, links=links, actor=ACTOR)
            self.created["products of systems"] += len(links)

    def load_product_requests(
        self,
        m: Municipality,
        products: dict[str, Product],
        vendors: dict[str, Vendor],
        categories: dict[str, ProductCategory],
        coordinator: Any,
    ) -> None:  # P5.4, P5.6, P8.2
        """The requests, each taken as far as its stage through the request services, as the
        people whose turn it is: the requester writes and submits, the IT coordinator assesses,
        records the neighbours' answers and decides, the department head signs."""
        if not CatalogueSettings.objects.filter(municipality=m).exists():
            catalogue_settings_update(
                municipality=m,
                data={"other_neighbours": "\n".join(catalogue.OTHER_NEIGHBOURS)},
                actor=coordinator,
            )
        steps = set(ApprovalStep.objects.filter(municipality=m).values_list("name", flat=True))
        for order, name, approver, min_total_cost, only_business in catalogue.APPROVAL_STEPS:
            if name not in steps:
                approval_step_create(
                    municipality=m,
                    data={
                        "order": order,
                        "name": name,
                        "approver": approver,
                        "min_total_cost": min_total_cost,
                        "only_business_systems": only_business,
                    },
                    actor=coordinator,
                )
                self.created["approval steps"] += 1
        existing = set(
            ProductRequest.objects.filter(municipality=m).values_list("title", flat=True)
        )
        goals = {g.code: g for g in Goal.objects.filter(municipality=m)}
        for item in catalogue.REQUESTS:
            requester = self.demo_login(m, item.requester)
            if item.title in existing or requester is None:
                continue
            request = request_create(
                municipality=m,
                data={
                    "title": item.title,
                    "product": products[item.product] if item.product else None,
                    "product_name": item.product_name,
                    "vendor": vendors[item.vendor] if item.vendor else None,
                    "vendor_name": item.vendor_name,
                    "kind": item.kind,
                    "category": categories[item.category] if item.category else None,
                    "reason": item.reason,
                    "department": self.departments[item.department],
                    "one_time_cost": item.one_time_cost,
                    "yearly_cost": item.yearly_cost,
                    "goals": [goals[code] for code in item.goals if code in goals],
                    "expected_benefit": item.expected_benefit,
                    "information_handled": item.information_handled,
                    "personal_data": item.personal_data,
                    "is_business_system": item.is_business_system,
                    "is_in_house_development": item.is_in_house_development,
                    "systems": [self.systems[i] for i in item.systems if i in self.systems],
                },
                actor=requester,
            )
            self.created["product requests"] += 1
            if item.stage == "draft":
                continue
            request_submit(request=request, actor=requester)
            for assessment in item.assessments:
                assessment_record(
                    request=request,
                    criterion=assessment.criterion,
                    verdict=assessment.verdict,
                    note=assessment.note,
                    actor=coordinator,
                )
            if item.answers:
                recipients = {r.name: r for r in request.inquiry.recipients.all()}
                for answer in item.answers:
                    recipient = recipients.get(answer.municipality)
                    if recipient is None or answer.answer is None:
                        continue
                    answerer, by_name = coordinator, answer.answered_by_name
                    if recipient.partner is not None:
                        # A neighbour already in Stadga (a request loaded after the group was)
                        # answers there itself, as its IT coordinator (P8.2).
                        answerer, by_name = self.partner_coordinator(recipient.partner), ""
                        if answerer is None:
                            continue
                    inquiry_answer(
                        recipient=recipient,
                        answer=answer.answer,
                        answer_text=answer.text,
                        answered_by_name=by_name,
                        actor=answerer,
                    )
            if item.inquiry_waived:
                inquiry_waive(
                    inquiry=request.inquiry, reason=item.inquiry_waived, actor=coordinator
                )
            if item.outcome is None:
                continue
            step_decide(
                step=request.steps.get(order=1),
                outcome=item.outcome,
                reason=item.decision_reason,
                constraints=item.constraints,
                actor=coordinator,
            )
            head = self.demo_login(m, item.department_head) if item.department_head else None
            step = request.steps.filter(order=2).first()
            # Signed only by one who may (an older demo's head may lack the role).
            if step is not None and head is not None and can_sign_step(Access.for_user(head), step):
                step_decide(
                    step=step,
                    outcome=Outcome.APPROVED,
                    reason=item.department_head_reason,
                    actor=head,
                )

    def partner_coordinator(self, partner: Municipality) -> Any:
        """The demo login of a neighbour's IT coordinator, or None."""
        from .data_cooperation import NEIGHBOURS

        username = next((n.username for n in NEIGHBOURS if n.slug == partner.slug), None)
        return self.demo_login(partner, username) if username else None

    # --- The installed-software inventory (P5.4, P5.5) -------------------------------------------

    def load_inventory(self, m: Municipality) -> None:
        """The software dictionary of `data_inventory`, then its GLPI export of the computers,
        imported as any export is (the import classifies the titles with the dictionary and
        writes the report's tallies).

        The dictionary is loaded only while the municipality has no rules, and the export only
        while it has no source of that name: a dictionary someone has edited, or a newer import,
        is left as it is."""
        if not NormalisationRule.objects.filter(municipality=m).exists():
            self.load_normalisation_rules(m)
        if not InventorySource.objects.filter(municipality=m, name=inventory.SOURCE_NAME).exists():
            snapshot = inventory_import(
                municipality=m,
                source_name=inventory.SOURCE_NAME,
                fmt=InventoryFormat.CSV,
                stream=io.BytesIO(inventory.inventory_csv(timezone.localdate())),
                file_name=inventory.FILE_NAME,
                actor=ACTOR,
            )
            self.created["inventory snapshots"] += 1
            self.created["installations"] += snapshot.rows_imported

    def load_normalisation_rules(self, m: Municipality) -> None:
        """Every rule of the demo's dictionary, in order, then one replay over the titles there
        are (none on a first load: the import classifies its own)."""
        products = {p.name: p for p in Product.objects.filter(municipality=m)}
        versions = {
            (v.product_id, v.version): v for v in ProductVersion.objects.filter(municipality=m)
        }
        for number, item in enumerate(inventory.RULES, start=1):
            product = products.get(item.product) if item.product else None
            if item.product and product is None:
                continue  # a product renamed since: the rule would map to nothing
            normalisation_rule_create(
                municipality=m,
                data={
                    "position": number * inventory.POSITION_STEP,
                    "field": item.field,
                    "match": item.match,
                    "pattern": item.pattern,
                    "action": item.action,
                    "product": product,
                    "product_version": (
                        versions.get((product.pk, item.version))
                        if product is not None and item.version
                        else None
                    ),
                    "new_name": item.new_name,
                    "notes": item.notes,
                },
                actor=ACTOR,
                replay=False,
            )
            self.created["normalisation rules"] += 1
        dictionary_apply(municipality=m, actor=ACTOR)

    def load_itgroup(self, m: Municipality) -> None:  # P3.12
        """The IT group, its members and meetings (`data_itgroup`), filed by the coordinator."""
        from . import data_itgroup

        created = data_itgroup.load_itgroup(
            municipality=m,
            people=self.people,
            departments=self.departments,
            coordinator=self.demo_login(m, "it.samordnare"),
        )
        self.created.update(created)

    # --- The boards' IT plans (P1.2, P2, P3.3–P3.9) -----------------------------------------------

    def load_plans(self, m: Municipality) -> None:
        """The boards' IT plans of `data_plans`, through the plan services."""
        from .data_plans import load_plans

        def count(what: str) -> None:
            self.created[what] += 1

        load_plans(m, count)

    # --- The status reports to the management group (P3.13) --------------------------------------

    def load_statusreports(self, m: Municipality) -> None:
        """One status report issued earlier in the year (`data_statusreports`), by the IT
        coordinator."""
        from .data_statusreports import load_statusreports

        created = load_statusreports(
            municipality=m, coordinator=self.demo_login(m, "it.samordnare")
        )
        self.created.update(created)

    # --- Training and competence (P6) ------------------------------------------------------------

    def load_training(self, m: Municipality) -> None:
        """Courses, requirements, system users, sessions, completions, the departments' training
        plans and the IT department's watch log (`data_training`), filed by the IT coordinator."""
        from .data_training import load_training

        created = load_training(
            municipality=m,
            people=self.people,
            departments=self.departments,
            actor=self.demo_login(m, "it.samordnare"),
        )
        self.created.update(created)

    # --- The public portal (P7.1) -----------------------------------------------------------------

    def load_portal(self, m: Municipality) -> None:
        """The portal published with its accessibility statement, and residents' views and
        questions (`data_portal`), answered by the IT coordinator and the school board's
        secretary."""
        from .data_portal import load_portal

        created = load_portal(
            municipality=m,
            coordinator=self.demo_login(m, "it.samordnare"),
            secretary=self.demo_login(m, "bun.sekreterare"),
        )
        self.created.update(created)

    # --- The neighbours and the cooperation group (P8.1–P8.3) -------------------------------------

    def load_cooperation(self, m: Municipality) -> None:
        """Hjo and Tibro, onboarded as the operator onboards a municipality, with the shared
        policy, and the group "Östra Skaraborg" they form with Karlsborg (`data_cooperation`).
        Karlsborg's IT coordinator names them as its neighbours in Stadga."""
        from .data_cooperation import load_cooperation

        created = load_cooperation(
            home=m,
            coordinator=self.demo_login(m, "it.samordnare"),
            password_hash=self.password_hash,
            policy=Policy.objects.filter(key=POLICY_KEY, version=POLICY_VERSION).first(),
            conflict=DemoConflict,
        )
        self.created.update(created)

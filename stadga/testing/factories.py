"""factory-boy factories for every governed model. They save directly: they build test data,
they are not a write path of the product."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone

from stadga.catalogue.choices import Phase
from stadga.catalogue.models import (
    Product,
    ProductCategory,
    ProductRequest,
    ProductVersion,
    SystemProduct,
    Vendor,
)
from stadga.organisation.choices import Role
from stadga.organisation.models import (
    Board,
    Department,
    ExternalOrganisation,
    Municipality,
    Person,
    RoleAssignment,
)
from stadga.organisation.services import DEFAULT_CONSEQUENCE_LEVELS
from stadga.portal.models import PortalSettings, ResidentMessage
from stadga.systems.choices import LifecyclePhase
from stadga.systems.models import System
from stadga.training.choices import CourseKind, RecordSource, RegistrationStatus, RequirementScope
from stadga.training.models import (
    CompetenceRecord,
    Course,
    Registration,
    SystemUse,
    TrainingPlan,
    TrainingPlanLine,
    TrainingRequirement,
    TrainingSession,
    WatchNote,
)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class MunicipalityFactory(factory.django.DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"kommun-{n}")
    name = factory.Sequence(lambda n: f"Kommun {n}")
    # Four digits, like a real municipality code, but always 9000-9999, which no Swedish
    # municipality has: a long run never reaches the demo's 1446 or a code a test writes out.
    code = factory.Sequence(lambda n: f"{9000 + n % 1000:04d}")

    @factory.post_generation
    def consequence_levels(
        obj: Municipality, create: bool, extracted: object, **kwargs: object
    ) -> None:
        if create:
            for level, name, description in DEFAULT_CONSEQUENCE_LEVELS:
                obj.consequence_levels.create(level=level, name=name, description=description)


class BoardFactory(factory.django.DjangoModelFactory[Board]):
    class Meta:
        model = Board

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Nämnd {n}")


class DepartmentFactory(factory.django.DjangoModelFactory[Department]):
    class Meta:
        model = Department

    board = factory.SubFactory(BoardFactory)
    municipality = factory.SelfAttribute("board.municipality")
    name = factory.Sequence(lambda n: f"Förvaltning {n}")


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class ExternalOrganisationFactory(factory.django.DjangoModelFactory[ExternalOrganisation]):
    class Meta:
        model = ExternalOrganisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Bolag {n} AB")
    responsibilities = "Ortsnät"


class SystemFactory(factory.django.DjangoModelFactory[System]):
    class Meta:
        model = System
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    board = factory.SubFactory(BoardFactory, municipality=factory.SelfAttribute("..municipality"))
    department = factory.SubFactory(
        DepartmentFactory,
        board=factory.SelfAttribute("..board"),
    )
    system_owner = factory.SubFactory(
        PersonFactory, municipality=factory.SelfAttribute("..municipality")
    )
    # Not the "SYS-NNNN" of the demo and of identifiers tests write out, which it could meet.
    identifier = factory.Sequence(lambda n: f"F-{n + 1:05d}")
    name = factory.Sequence(lambda n: f"System {n}")
    purpose = "Verksamhetsstöd"
    lifecycle_phase = LifecyclePhase.IN_PRODUCTION
    confidentiality = 2
    integrity = 2
    availability = 2
    traceability = 1


class RoleAssignmentFactory(factory.django.DjangoModelFactory[RoleAssignment]):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(PersonFactory)
    municipality = factory.SelfAttribute("person.municipality")
    role = Role.IT_COORDINATOR


def member(municipality: Municipality, role: str | None = None, **scope: object):
    """A user linked to a person in `municipality`, holding `role` over `scope` if given."""
    user = UserFactory()
    person = PersonFactory(municipality=municipality, user=user, name=f"{user.username} Testsson")
    if role:
        RoleAssignmentFactory(person=person, role=role, **scope)
    return user


# --- the product catalogue ------------------------------------------------------------------------


class VendorFactory(factory.django.DjangoModelFactory[Vendor]):
    class Meta:
        model = Vendor

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Leverantör {n} AB")


class ProductCategoryFactory(factory.django.DjangoModelFactory[ProductCategory]):
    class Meta:
        model = ProductCategory

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Kategori {n}")


class ProductFactory(factory.django.DjangoModelFactory[Product]):
    """A product; `phase` is set directly (tests of the phase services use the services)."""

    class Meta:
        model = Product

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Produkt {n}")
    vendor = factory.SubFactory(VendorFactory, municipality=factory.SelfAttribute("..municipality"))
    category = factory.SubFactory(
        ProductCategoryFactory, municipality=factory.SelfAttribute("..municipality")
    )
    phase = Phase.APPROVED


class ProductVersionFactory(factory.django.DjangoModelFactory[ProductVersion]):
    class Meta:
        model = ProductVersion

    product = factory.SubFactory(ProductFactory)
    municipality = factory.SelfAttribute("product.municipality")
    version = factory.Sequence(lambda n: f"{n + 1}.0")


class SystemProductFactory(factory.django.DjangoModelFactory[SystemProduct]):
    class Meta:
        model = SystemProduct

    system = factory.SubFactory(SystemFactory)
    product = factory.SubFactory(
        ProductFactory, municipality=factory.SelfAttribute("..system.municipality")
    )


class ProductRequestFactory(factory.django.DjangoModelFactory[ProductRequest]):
    """A draft request by a person of a department; submit it with the services."""

    class Meta:
        model = ProductRequest

    municipality = factory.SubFactory(MunicipalityFactory)
    department = factory.SubFactory(
        DepartmentFactory,
        board=factory.SubFactory(
            BoardFactory, municipality=factory.SelfAttribute("...municipality")
        ),
    )
    requested_by = factory.SubFactory(
        PersonFactory, municipality=factory.SelfAttribute("..municipality")
    )
    title = factory.Sequence(lambda n: f"Behov {n}")
    product_name = factory.Sequence(lambda n: f"Ny produkt {n}")
    reason = "Verksamheten behöver det."


# --- training -------------------------------------------------------------------------------------


class CourseFactory(factory.django.DjangoModelFactory[Course]):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Kurs {n}")
    kind = CourseKind.GENERAL

    @factory.post_generation
    def systems(obj: Course, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            obj.systems.set(extracted)  # type: ignore[arg-type]


class TrainingSessionFactory(factory.django.DjangoModelFactory[TrainingSession]):
    """A session a week from now; pass `departments=[...]` to limit who may book."""

    class Meta:
        model = TrainingSession
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    municipality = factory.SelfAttribute("course.municipality")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0)
    )
    capacity = 10
    place = "Stadshuset, sal 1"

    @factory.post_generation
    def departments(
        obj: TrainingSession, create: bool, extracted: object, **kwargs: object
    ) -> None:
        if create and extracted:
            obj.departments.set(extracted)  # type: ignore[arg-type]


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    session = factory.SubFactory(TrainingSessionFactory)
    municipality = factory.SelfAttribute("session.municipality")
    person = factory.SubFactory(PersonFactory, municipality=factory.SelfAttribute("..municipality"))
    status = RegistrationStatus.REGISTERED


class CompetenceRecordFactory(factory.django.DjangoModelFactory[CompetenceRecord]):
    """A record completed today, valid for the course's validity (as `record_create` sets it)."""

    class Meta:
        model = CompetenceRecord

    course = factory.SubFactory(CourseFactory)
    municipality = factory.SelfAttribute("course.municipality")
    person = factory.SubFactory(PersonFactory, municipality=factory.SelfAttribute("..municipality"))
    completed_on = factory.LazyFunction(datetime.date.today)
    valid_until = factory.LazyAttribute(lambda r: r.course.valid_until(r.completed_on))
    source = RecordSource.MANUAL


class SystemUseFactory(factory.django.DjangoModelFactory[SystemUse]):
    class Meta:
        model = SystemUse

    system = factory.SubFactory(SystemFactory)
    municipality = factory.SelfAttribute("system.municipality")
    person = factory.SubFactory(PersonFactory, municipality=factory.SelfAttribute("..municipality"))


class TrainingRequirementFactory(factory.django.DjangoModelFactory[TrainingRequirement]):
    """A requirement on a role (system owners by default); for a system's users pass
    `scope=RequirementScope.SYSTEM_USERS, role="", system=...`."""

    class Meta:
        model = TrainingRequirement

    course = factory.SubFactory(CourseFactory)
    municipality = factory.SelfAttribute("course.municipality")
    scope = RequirementScope.ROLE
    role = Role.SYSTEM_OWNER


class TrainingPlanFactory(factory.django.DjangoModelFactory[TrainingPlan]):
    """This year's plan of a new department of `municipality` unless `department` is given
    (then pass its municipality too)."""

    class Meta:
        model = TrainingPlan

    municipality = factory.SubFactory(MunicipalityFactory)
    department = factory.LazyAttribute(
        lambda o: DepartmentFactory(board=BoardFactory(municipality=o.municipality))
    )
    year = factory.LazyFunction(lambda: datetime.date.today().year)


class TrainingPlanLineFactory(factory.django.DjangoModelFactory[TrainingPlanLine]):
    class Meta:
        model = TrainingPlanLine

    plan = factory.SubFactory(TrainingPlanFactory)
    municipality = factory.SelfAttribute("plan.municipality")
    description = factory.Sequence(lambda n: f"Utbildning {n}")
    participants = 5
    cost = Decimal("1000")


class WatchNoteFactory(factory.django.DjangoModelFactory[WatchNote]):
    class Meta:
        model = WatchNote
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Omvärldsnotering {n}")
    noted_on = factory.LazyFunction(datetime.date.today)


# --- the public portal ----------------------------------------------------------------------------


class PortalSettingsFactory(factory.django.DjangoModelFactory[PortalSettings]):
    """A municipality's portal, published."""

    class Meta:
        model = PortalSettings

    municipality = factory.SubFactory(MunicipalityFactory)
    is_published = True
    contact_email = "it@kommun.example"


class ResidentMessageFactory(factory.django.DjangoModelFactory[ResidentMessage]):
    """A resident's question, received (not through the service: no notification is sent)."""

    class Meta:
        model = ResidentMessage

    municipality = factory.SubFactory(MunicipalityFactory)
    reference = factory.Sequence(lambda n: f"2026-{n + 1:04d}")
    message = "Vilka system hanterar mina personuppgifter?"
    email = "invanare@example.se"

"""The API, mounted at `api/` by the root URLconf: version 1 of the endpoints, the OpenAPI schema
and the reference page built from it."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from stadga.catalogue.api import views as catalogue
from stadga.catalogue.api import views_requests as catalogue_requests
from stadga.inventory.api import views as inventory
from stadga.itgroup.api import views as itgroup
from stadga.organisation.api import views as organisation
from stadga.plans.api import views as plans
from stadga.policy.api import views as policy
from stadga.portal.api import views as portal
from stadga.security.api import views as security
from stadga.statusreports.api import views as statusreports
from stadga.systems.api import views as systems
from stadga.training.api import views as training

from . import views

app_name = "api"

router = DefaultRouter()
router.register("municipalities", organisation.MunicipalityViewSet, basename="municipality")
router.register(
    "consequence-levels", organisation.ConsequenceLevelViewSet, basename="consequencelevel"
)
router.register("boards", organisation.BoardViewSet, basename="board")
router.register("departments", organisation.DepartmentViewSet, basename="department")
router.register("people", organisation.PersonViewSet, basename="person")
router.register("role-assignments", organisation.RoleAssignmentViewSet, basename="roleassignment")
router.register(
    "external-organisations",
    organisation.ExternalOrganisationViewSet,
    basename="externalorganisation",
)
router.register("systems", systems.SystemViewSet, basename="system")
router.register(
    "external-responsibilities",
    systems.ExternalResponsibilityViewSet,
    basename="externalresponsibility",
)
router.register("policies", policy.PolicyViewSet, basename="policy")
router.register("clauses", policy.ClauseViewSet, basename="clause")
router.register("policy-adoptions", policy.PolicyAdoptionViewSet, basename="policyadoption")
router.register("compliance", policy.ComplianceViewSet, basename="compliance")
router.register(
    "compliance-snapshots", policy.ComplianceSnapshotViewSet, basename="compliancesnapshot"
)
router.register("information-types", security.InformationTypeViewSet, basename="informationtype")
router.register(
    "requirement-catalogues",
    security.RequirementCatalogueViewSet,
    basename="requirementcatalogue",
)
router.register("requirements", security.RequirementViewSet, basename="requirement")
router.register("measures", security.MeasureViewSet, basename="measure")
router.register("follow-ups", security.FollowUpViewSet, basename="followup")
router.register("shortfall-notices", security.ShortfallNoticeViewSet, basename="shortfallnotice")
router.register("incidents", security.IncidentViewSet, basename="incident")
router.register(
    "processing-activities", security.ProcessingActivityViewSet, basename="processingactivity"
)
router.register("security-settings", security.SecuritySettingsViewSet, basename="securitysettings")
router.register("vendors", catalogue.VendorViewSet, basename="vendor")
router.register("product-categories", catalogue.ProductCategoryViewSet, basename="productcategory")
router.register("products", catalogue.ProductViewSet, basename="product")
router.register("product-versions", catalogue.ProductVersionViewSet, basename="productversion")
router.register("phase-decisions", catalogue.PhaseDecisionViewSet, basename="phasedecision")
router.register(
    "product-requests", catalogue_requests.ProductRequestViewSet, basename="productrequest"
)
router.register("inventory-sources", inventory.InventorySourceViewSet, basename="inventorysource")
router.register("inventory-snapshots", inventory.SnapshotViewSet, basename="inventorysnapshot")
router.register("software-titles", inventory.SoftwareTitleViewSet, basename="softwaretitle")
router.register(
    "normalisation-rules", inventory.NormalisationRuleViewSet, basename="normalisationrule"
)
router.register("installations", inventory.InstallationViewSet, basename="installation")
router.register("resident-messages", portal.ResidentMessageViewSet, basename="residentmessage")
router.register("it-group-members", itgroup.ITGroupMemberViewSet, basename="itgroupmember")
router.register("it-group-meetings", itgroup.ITGroupMeetingViewSet, basename="itgroupmeeting")
router.register("goals", plans.GoalViewSet, basename="goal")
router.register("cost-categories", plans.CostCategoryViewSet, basename="costcategory")
router.register("it-plans", plans.ITPlanViewSet, basename="itplan")
router.register("plan-items", plans.PlanItemViewSet, basename="planitem")
router.register("premises", plans.PremisesViewSet, basename="premises")
router.register("tenancies", plans.TenancyViewSet, basename="tenancy")
router.register("status-reports", statusreports.StatusReportViewSet, basename="statusreport")
router.register("courses", training.CourseViewSet, basename="course")
router.register("training-sessions", training.TrainingSessionViewSet, basename="trainingsession")
router.register("registrations", training.RegistrationViewSet, basename="registration")
router.register("competence-records", training.CompetenceRecordViewSet, basename="competencerecord")
router.register("system-uses", training.SystemUseViewSet, basename="systemuse")
router.register(
    "training-requirements", training.TrainingRequirementViewSet, basename="trainingrequirement"
)
router.register("training-plans", training.TrainingPlanViewSet, basename="trainingplan")
router.register(
    "training-plan-lines", training.TrainingPlanLineViewSet, basename="trainingplanline"
)
router.register("watch-notes", training.WatchNoteViewSet, basename="watchnote")

urlpatterns = [
    path("v1/auth/token/", views.ObtainTokenView.as_view(), name="token"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.api_docs, name="docs"),
    path("docs/<slug:tag>/", views.api_docs_resource, name="docs_resource"),
]

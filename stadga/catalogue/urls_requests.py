"""Product requests (P5.4), their decisions and coordination inquiries (P8.2), inquiries
received from other municipalities, the executive board's exceptions (P5.6) and the catalogue
settings, under k/<municipality>/catalogue/.

A request has a list, a form, its page, an edit and its history: no archive (it is a record,
withdrawn instead), plus the actions on its page.
"""

from django.urls import include, path

from . import views_requests as views
from .views_settings import CatalogueSettingsView, approval_step_views

_REQUEST_PAGES = {"productrequest_list", "productrequest_history"}

request_urls = [
    *(p for p in views.request_views.urls() if p.name in _REQUEST_PAGES),
    path("new/", views.RequestEditView.as_view(), name="productrequest_create"),
    path("<int:pk>/", views.RequestPageView.as_view(), name="productrequest_detail"),
    path("<int:pk>/edit/", views.RequestEditView.as_view(), name="productrequest_edit"),
    path("<int:pk>/submit/", views.RequestSubmitView.as_view(), name="productrequest_submit"),
    path("<int:pk>/withdraw/", views.RequestWithdrawView.as_view(), name="productrequest_withdraw"),
    path(
        "<int:pk>/assess/<slug:criterion>/",
        views.RequestAssessView.as_view(),
        name="productrequest_assess",
    ),
    path(
        "<int:pk>/steps/<int:step>/decide/",
        views.StepDecideView.as_view(),
        name="productrequest_decide",
    ),
    path(
        "<int:pk>/inquiry/recipients/",
        views.RecipientAddView.as_view(),
        name="productrequest_recipient_add",
    ),
    path(
        "<int:pk>/inquiry/recipients/<int:recipient>/answer/",
        views.RecordAnswerView.as_view(),
        name="productrequest_record_answer",
    ),
    path(
        "<int:pk>/inquiry/close/",
        views.InquiryCloseView.as_view(),
        name="productrequest_inquiry_close",
    ),
    path(
        "<int:pk>/inquiry/waive/",
        views.InquiryWaiveView.as_view(),
        name="productrequest_inquiry_waive",
    ),
]

exception_urls = [
    *(p for p in views.exception_views.urls() if p.name == "policyexception_list"),
    path("new/", views.PolicyExceptionCreateView.as_view(), name="policyexception_create"),
]

urlpatterns = [
    path("requests/", include(request_urls)),
    path("inquiries/", views.InquiriesReceivedView.as_view(), name="inquiries_received"),
    path(
        "inquiries/<int:recipient>/answer/",
        views.InquiryAnswerView.as_view(),
        name="inquiry_answer",
    ),
    path("exceptions/", include(exception_urls)),
    path("settings/", CatalogueSettingsView.as_view(), name="settings"),
    path("settings/steps/", include(approval_step_views.urls())),
]

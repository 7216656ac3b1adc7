from django.urls import path

from . import views_operator

app_name = "operator"

urlpatterns = [
    path("", views_operator.MunicipalityListView.as_view(), name="municipality_list"),
    path("add/", views_operator.MunicipalityAddView.as_view(), name="municipality_add"),
]

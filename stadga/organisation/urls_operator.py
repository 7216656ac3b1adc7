from django.urls import path

from stadga.cooperation import views_operator as groups

from . import views_operator

app_name = "operator"

urlpatterns = [
    path("", views_operator.MunicipalityListView.as_view(), name="municipality_list"),
    path("add/", views_operator.MunicipalityAddView.as_view(), name="municipality_add"),
    # Cooperation groups (P8.1): the operator forms them and places the members.
    path("groups/", groups.GroupListView.as_view(), name="group_list"),
    path("groups/add/", groups.GroupAddView.as_view(), name="group_add"),
    path("groups/<int:pk>/", groups.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<int:pk>/members/", groups.MemberAddView.as_view(), name="group_member_add"),
    path(
        "groups/<int:pk>/members/<int:member>/remove/",
        groups.MemberRemoveView.as_view(),
        name="group_member_remove",
    ),
    path("groups/<int:pk>/end/", groups.GroupEndView.as_view(), name="group_end"),
]

from typing import Any

import pytest

from stadga.organisation.models import Municipality
from stadga.testing.factories import MunicipalityFactory, UserFactory, member


@pytest.mark.django_db
def test_operator_adds_municipality_with_default_scale(client: Any) -> None:
    operator = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(operator)
    response = client.post(
        "/admin/organisation/municipality/add/",
        {"name": "Tibro kommun", "slug": "tibro", "code": "1472", "role_labels": "{}"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    tibro = Municipality.objects.get(slug="tibro")
    assert [lv.level for lv in tibro.consequence_levels.all()] == [1, 2, 3, 4]


@pytest.mark.django_db
def test_admin_is_closed_to_municipality_staff(client: Any) -> None:
    municipality = MunicipalityFactory()
    user = member(municipality, "it_coordinator")
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get("/admin/organisation/municipality/").status_code == 403


@pytest.mark.django_db
def test_admin_never_deletes(client: Any) -> None:
    municipality = MunicipalityFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = f"/admin/organisation/municipality/{municipality.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Municipality.objects.filter(pk=municipality.pk).exists()

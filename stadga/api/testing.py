"""The generic API test matrix: a test class declares a resource, how to make one, a create body
and an update body, and which roles read or keep it; it inherits tests of every endpoint — list,
detail, create, update, archive, restore, DELETE — as anonymous, as a member without the role, as
a reader, as the keeper and as a user of another municipality (always a 404, never listed)."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlencode

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality
from stadga.testing.factories import (
    MunicipalityFactory,
    PersonFactory,
    RoleAssignmentFactory,
    member,
)


def api_url(name: str, *args: object, **query: object) -> str:
    """`api_url("system-list", municipality="x")` → `/api/v1/systems/?municipality=x`."""
    url = reverse(f"api:{name}", args=args)
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


def ui_url(obj: Any) -> str:
    """The object's UI page as the API reports it."""
    return f"http://testserver{obj.get_absolute_url()}"


def client_for(user: Any | None) -> APIClient:
    """A client logged in through the session (the token is tested on its own)."""
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content.decode()[:2000]
    return {row["id"] for row in response.json()["results"]}


DENIED_ANONYMOUS = (401, 403)  # DRF answers 403 when the first authenticator is the session's


@pytest.mark.django_db
class ApiMatrix:
    """Subclass, set `resource` (the router's basename) and implement `make`, `create_data`
    and `update_data`."""

    resource: ClassVar[str]
    keeper_role: ClassVar[str] = Role.IT_COORDINATOR
    reader_role: ClassVar[str] = Role.AUDITOR
    member_sees: ClassVar[bool] = True  # may a member without any role (an employee) read them?
    list_rows: ClassVar[tuple[int, int]] = (10, 200)

    # --- to implement ----------------------------------------------------------------------------

    def make(self, municipality: Municipality, **kwargs: Any) -> Any:
        raise NotImplementedError

    def create_data(self, municipality: Municipality) -> dict[str, Any]:
        """A valid body, `municipality` (the slug) included."""
        raise NotImplementedError

    def update_data(self, obj: Any) -> dict[str, Any]:
        """A valid PATCH body that changes `obj`."""
        raise NotImplementedError

    # --- helpers ---------------------------------------------------------------------------------

    @pytest.fixture
    def municipality(self) -> Any:
        return MunicipalityFactory()

    @pytest.fixture
    def obj(self, municipality: Municipality) -> Any:
        return self.make(municipality)

    @pytest.fixture
    def outsider(self) -> Any:
        """The IT coordinator of another municipality: all-powerful there, nobody here."""
        elsewhere: Any = MunicipalityFactory()
        return member(elsewhere, Role.IT_COORDINATOR)

    def list_url(self, **query: object) -> str:
        return api_url(f"{self.resource}-list", **query)

    def detail_url(self, obj: Any, action: str = "") -> str:
        if action:
            return api_url(f"{self.resource}-{action}", obj.pk)
        return api_url(f"{self.resource}-detail", obj.pk)

    def assert_unchanged(self, obj: Any, log_entries_before: int) -> None:
        fresh = type(obj).objects.get(pk=obj.pk)
        for field, value in self.update_data(obj).items():
            assert _plain(getattr(fresh, _attname(fresh, field))) != _plain(value), field
        assert fresh.archived_at == obj.archived_at
        assert LogEntry.objects.count() == log_entries_before

    def assert_matches(self, data: dict[str, Any], body: dict[str, Any]) -> None:
        """What the API answers has the values the body gave."""
        for field, value in body.items():
            answered = data[field]
            if isinstance(value, list):
                assert sorted(answered) == sorted(value), field
            else:
                assert answered == value, field

    # --- anonymous -------------------------------------------------------------------------------

    def test_anonymous_is_refused(self, obj: Any) -> None:
        client = client_for(None)
        body = self.create_data(obj.municipality)
        before = LogEntry.objects.count()
        responses = [
            client.get(self.list_url()),
            client.get(self.detail_url(obj)),
            client.post(self.list_url(), body, format="json"),
            client.patch(self.detail_url(obj), self.update_data(obj), format="json"),
            client.post(self.detail_url(obj, "archive")),
        ]
        for response in responses:
            assert response.status_code in DENIED_ANONYMOUS, response.request["PATH_INFO"]
            assert "results" not in response.json() and "id" not in response.json()
        self.assert_unchanged(obj, before)

    # --- another municipality --------------------------------------------------------------------

    def test_other_municipality_sees_nothing_and_gets_404(self, obj: Any, outsider: Any) -> None:
        client = client_for(outsider)
        assert obj.pk not in ids(client.get(self.list_url()))
        assert obj.pk not in ids(client.get(self.list_url(municipality=obj.municipality.slug)))
        before = LogEntry.objects.count()
        assert client.get(self.detail_url(obj)).status_code == 404
        update = self.update_data(obj)
        assert client.patch(self.detail_url(obj), update, format="json").status_code == 404
        assert client.put(self.detail_url(obj), update, format="json").status_code == 404
        assert client.post(self.detail_url(obj, "archive")).status_code == 404
        assert client.post(self.detail_url(obj, "restore")).status_code == 404
        self.assert_unchanged(obj, before)

    def test_other_municipality_cannot_create_there(self, obj: Any, outsider: Any) -> None:
        """Not a 403: that would tell the outsider the municipality exists."""
        client = client_for(outsider)
        body = self.create_data(obj.municipality)
        before = LogEntry.objects.count()
        response = client.post(self.list_url(), body, format="json")
        assert response.status_code == 400
        with translation.override("sv"):
            assert response.json()["municipality"] == [translation.gettext("Unknown municipality.")]
        assert LogEntry.objects.count() == before

    def test_other_municipality_archived_objects_are_not_listed(
        self, obj: Any, outsider: Any
    ) -> None:
        client_for(member(obj.municipality, self.keeper_role)).post(self.detail_url(obj, "archive"))
        assert obj.pk not in ids(client_for(outsider).get(self.list_url(archived="true")))

    # --- a member without the role ---------------------------------------------------------------

    def test_member_without_role(self, obj: Any) -> None:
        client = client_for(member(obj.municipality, Role.EMPLOYEE))
        assert (obj.pk in ids(client.get(self.list_url()))) is self.member_sees
        assert client.get(self.detail_url(obj)).status_code == (200 if self.member_sees else 404)
        body = self.create_data(obj.municipality)
        before = LogEntry.objects.count()
        create = client.post(self.list_url(), body, format="json")
        assert create.status_code == 403, create.content
        # Refused before the body is validated: a half body teaches nothing about the rules.
        bare = {"municipality": obj.municipality.slug}
        assert client.post(self.list_url(), bare, format="json").status_code == 403
        hidden_or_denied = 403 if self.member_sees else 404
        update = client.patch(self.detail_url(obj), self.update_data(obj), format="json")
        assert update.status_code == hidden_or_denied
        assert client.post(self.detail_url(obj, "archive")).status_code == hidden_or_denied
        self.assert_unchanged(obj, before)

    # --- a reader --------------------------------------------------------------------------------

    def test_reader_reads_but_does_not_write(self, obj: Any) -> None:
        client = client_for(member(obj.municipality, self.reader_role))
        assert obj.pk in ids(client.get(self.list_url()))
        detail = client.get(self.detail_url(obj))
        assert detail.status_code == 200
        assert detail.json()["id"] == obj.pk
        assert detail.json()["municipality"] == obj.municipality.slug
        assert detail.json()["url"] == ui_url(obj)
        body = self.create_data(obj.municipality)
        before = LogEntry.objects.count()
        create = client.post(self.list_url(), body, format="json")
        assert create.status_code == 403
        update = client.patch(self.detail_url(obj), self.update_data(obj), format="json")
        assert update.status_code == 403
        assert "id" not in update.json()
        assert client.post(self.detail_url(obj, "archive")).status_code == 403
        self.assert_unchanged(obj, before)

    # --- the keeper ------------------------------------------------------------------------------

    def test_keeper_creates(self, municipality: Municipality) -> None:
        user = member(municipality, self.keeper_role)
        body = self.create_data(municipality)
        response = client_for(user).post(self.list_url(), body, format="json")
        assert response.status_code == 201, response.content.decode()
        data = response.json()
        self.assert_matches(data, body)
        created = self.model_class().objects.get(pk=data["id"])
        assert created.municipality == municipality
        entry = LogEntry.objects.get_for_object(created).get(action=LogEntry.Action.CREATE)
        assert entry.actor == user

    def test_keeper_updates(self, obj: Any) -> None:
        user = member(obj.municipality, self.keeper_role)
        body = self.update_data(obj)
        response = client_for(user).patch(self.detail_url(obj), body, format="json")
        assert response.status_code == 200, response.content.decode()
        self.assert_matches(response.json(), body)
        fresh = type(obj).objects.get(pk=obj.pk)
        for field, value in body.items():
            assert _plain(getattr(fresh, _attname(fresh, field))) == _plain(value), field
        update = LogEntry.objects.get_for_object(obj).filter(action=LogEntry.Action.UPDATE).get()
        assert update.actor == user

    def test_keeper_cannot_move_an_object_to_another_municipality(self, obj: Any) -> None:
        """Even a keeper in both: the municipality is read-only once the object exists."""
        user = member(obj.municipality, self.keeper_role)
        other = MunicipalityFactory()
        RoleAssignmentFactory(
            person=PersonFactory(municipality=other, user=user), role=self.keeper_role
        )
        client = client_for(user)
        response = client.patch(self.detail_url(obj), {"municipality": other.slug}, format="json")
        assert response.status_code == 200
        assert response.json()["municipality"] == obj.municipality.slug
        assert type(obj).objects.get(pk=obj.pk).municipality_id == obj.municipality_id

    def test_keeper_archives_and_restores_nothing_is_deleted(self, obj: Any) -> None:
        client = client_for(member(obj.municipality, self.keeper_role))
        archived = client.post(self.detail_url(obj, "archive"))
        assert archived.status_code == 200
        assert archived.json()["is_archived"] is True
        assert type(obj).objects.get(pk=obj.pk).archived_at is not None
        assert obj.pk not in ids(client.get(self.list_url()))
        assert obj.pk in ids(client.get(self.list_url(archived="true")))
        assert client.get(self.detail_url(obj)).status_code == 200  # still readable
        update = client.patch(self.detail_url(obj), self.update_data(obj), format="json")
        assert update.status_code == 403  # but read-only until restored
        restored = client.post(self.detail_url(obj, "restore"))
        assert restored.status_code == 200
        assert restored.json()["is_archived"] is False
        assert obj.pk in ids(client.get(self.list_url()))

    def test_delete_does_not_exist(self, obj: Any) -> None:
        client = client_for(member(obj.municipality, self.keeper_role))
        assert client.delete(self.detail_url(obj)).status_code == 405
        assert type(obj).objects.filter(pk=obj.pk, archived_at__isnull=True).exists()

    def test_archived_flag_must_be_a_boolean(self, obj: Any) -> None:
        client = client_for(member(obj.municipality, self.keeper_role))
        response = client.get(self.list_url(archived="maybe"))
        assert response.status_code == 400
        assert "archived" in response.json()

    # --- query counts ----------------------------------------------------------------------------

    def test_list_query_count_does_not_grow_with_rows(self, municipality: Municipality) -> None:
        client = client_for(member(municipality, self.keeper_role))
        counts = []
        made = 0
        for rows in self.list_rows:
            self.make_many(municipality, rows - made)
            made = rows
            with CaptureQueriesContext(connection) as queries:
                response = client.get(self.list_url(page_size=500))
            assert len(ids(response)) >= rows
            counts.append(len(queries))
        assert counts[0] == counts[1], counts

    # --- what the subclass may override ----------------------------------------------------------

    def make_many(self, municipality: Municipality, count: int) -> None:
        for _ in range(count):
            self.make(municipality)

    def model_class(self) -> Any:
        raise NotImplementedError


def _attname(obj: Any, field: str) -> str:
    """`board` → `board_id`: compare foreign keys by id."""
    model_field = obj._meta.get_field(field)
    return model_field.attname if model_field.many_to_one else field


def _plain(value: Any) -> Any:
    return getattr(value, "pk", value)

"""The generic view matrix (NetBox's and Zulip's habit): a test class declares a model, how to
make one, valid form data and which roles read or keep it, and inherits tests of every page —
list, detail, create, edit, archive, restore, history — as anonymous, as a member without the
role, as a reader, as a keeper, and as a user of another municipality (always a 404)."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadga.organisation.choices import Role
from stadga.organisation.models import Municipality

from .factories import MunicipalityFactory, member


@pytest.mark.django_db
class ViewMatrix:
    """Subclass, set the class attributes and implement `make`, `form_data` and `edit_data`."""

    url_prefix: ClassVar[str]  # e.g. "systems" for /k/<slug>/systems/
    keeper_role: ClassVar[str] = Role.IT_COORDINATOR
    reader_role: ClassVar[str] = Role.AUDITOR
    member_sees: ClassVar[bool] = True  # may a member without any role read these objects?
    list_rows: ClassVar[tuple[int, int]] = (10, 200)

    # --- to implement ---

    def make(self, municipality: Municipality, **kwargs: Any) -> Any:
        raise NotImplementedError

    def form_data(self, municipality: Municipality) -> dict[str, Any]:
        raise NotImplementedError

    def edit_data(self, obj: Any) -> dict[str, Any]:
        raise NotImplementedError

    def list_field(self, obj: Any) -> str:
        """Markup that identifies `obj`'s row in the list page: the link to it."""
        return f'href="{obj.get_absolute_url()}"'

    # --- helpers ---

    @pytest.fixture
    def municipality(self) -> Municipality:
        return MunicipalityFactory.create()

    @pytest.fixture
    def obj(self, municipality: Municipality) -> Any:
        return self.make(municipality)

    @pytest.fixture
    def outsider(self) -> Any:
        """The IT coordinator of another municipality: all-powerful there, nobody here."""
        return member(MunicipalityFactory.create(), Role.IT_COORDINATOR)

    def url(self, municipality: Municipality, action: str = "", pk: int | None = None) -> str:
        path = f"/k/{municipality.slug}/{self.url_prefix}/"
        if pk is not None:
            path += f"{pk}/"
        return path + (f"{action}/" if action else "")

    def all_urls(self, obj: Any) -> list[str]:
        m = obj.municipality
        return [
            self.url(m),
            self.url(m, "new"),
            self.url(m, pk=obj.pk),
            self.url(m, "edit", obj.pk),
            self.url(m, "archive", obj.pk),
            self.url(m, "restore", obj.pk),
            self.url(m, "history", obj.pk),
        ]

    # --- anonymous ---

    def test_anonymous_is_sent_to_login(self, client: Any, obj: Any) -> None:
        for url in self.all_urls(obj):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/"), url
        response = client.post(self.url(obj.municipality, "edit", obj.pk), self.edit_data(obj))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    # --- another municipality ---

    def test_other_municipality_gets_404_everywhere(
        self, client: Any, obj: Any, outsider: Any
    ) -> None:
        client.force_login(outsider)
        for url in self.all_urls(obj):
            assert client.get(url).status_code == 404, url
        edit, create = self.edit_data(obj), self.form_data(obj.municipality)
        before = LogEntry.objects.count()
        m = obj.municipality
        assert client.post(self.url(m, "edit", obj.pk), edit).status_code == 404
        assert client.post(self.url(m, "archive", obj.pk)).status_code == 404
        assert client.post(self.url(m, "new"), create).status_code == 404
        assert LogEntry.objects.count() == before

    def test_other_municipality_url_with_own_slug_is_404(self, client: Any, obj: Any) -> None:
        """The object's id under a municipality the user does belong to is still not found."""
        own = MunicipalityFactory.create()
        client.force_login(member(own, Role.IT_COORDINATOR))
        assert client.get(self.url(own, pk=obj.pk)).status_code == 404
        assert client.get(self.url(own, "edit", obj.pk)).status_code == 404
        assert client.get(self.url(own, "history", obj.pk)).status_code == 404

    # --- a member without the role ---

    def test_member_without_role(self, client: Any, obj: Any) -> None:
        m = obj.municipality
        client.force_login(member(m))
        listing = client.get(self.url(m))
        assert listing.status_code == 200
        assert (self.list_field(obj) in listing.content.decode()) is self.member_sees
        expected = 200 if self.member_sees else 404
        assert client.get(self.url(m, pk=obj.pk)).status_code == expected
        assert client.get(self.url(m, "new")).status_code == 403
        assert client.get(self.url(m, "edit", obj.pk)).status_code == (
            403 if self.member_sees else 404
        )
        response = client.post(self.url(m, "edit", obj.pk), self.edit_data(obj))
        assert response.status_code in (403, 404)
        assert client.post(self.url(m, "archive", obj.pk)).status_code in (403, 404)

    # --- a reader ---

    def test_reader_reads_but_does_not_write(self, client: Any, obj: Any) -> None:
        m = obj.municipality
        client.force_login(member(m, self.reader_role))
        listing = client.get(self.url(m))
        assert listing.status_code == 200
        assert self.list_field(obj) in listing.content.decode()
        assert client.get(self.url(m, pk=obj.pk)).status_code == 200
        assert client.get(self.url(m, "history", obj.pk)).status_code == 200
        assert client.get(self.url(m, "new")).status_code == 403
        assert client.get(self.url(m, "edit", obj.pk)).status_code == 403
        assert client.post(self.url(m, "edit", obj.pk), self.edit_data(obj)).status_code == 403
        assert client.post(self.url(m, "archive", obj.pk)).status_code == 403

    # --- the keeper ---

    def test_keeper_creates(self, client: Any, municipality: Municipality) -> None:
        user = member(municipality, self.keeper_role)
        client.force_login(user)
        assert client.get(self.url(municipality, "new")).status_code == 200
        model = self.model_class()
        before = model.objects.filter(municipality=municipality).count()
        response = client.post(self.url(municipality, "new"), self.form_data(municipality))
        assert response.status_code == 302, response.content.decode()[:3000]
        created = model.objects.filter(municipality=municipality).latest("pk")
        assert model.objects.filter(municipality=municipality).count() == before + 1
        assert response["Location"] == created.get_absolute_url()
        entry = LogEntry.objects.get_for_object(created).get()
        assert entry.actor == user

    def test_keeper_edits_and_history_shows_who(self, client: Any, obj: Any) -> None:
        m = obj.municipality
        user = member(m, self.keeper_role)
        client.force_login(user)
        assert client.get(self.url(m, "edit", obj.pk)).status_code == 200
        response = client.post(self.url(m, "edit", obj.pk), self.edit_data(obj))
        assert response.status_code == 302, response.content.decode()[:3000]
        obj.refresh_from_db()
        for field, value in self.edited_values().items():
            assert str(getattr(obj, field)) == str(value)
        update = LogEntry.objects.get_for_object(obj).filter(action=LogEntry.Action.UPDATE).get()
        assert update.actor == user
        history = client.get(self.url(m, "history", obj.pk)).content.decode()
        assert user.username in history
        for text in self.history_texts():
            assert text in history

    def test_keeper_gets_errors_for_invalid_input(self, client: Any, obj: Any) -> None:
        m = obj.municipality
        client.force_login(member(m, self.keeper_role))
        data = self.invalid_data(obj)
        before = LogEntry.objects.count()
        response = client.post(self.url(m, "edit", obj.pk), data)
        assert response.status_code == 400
        assert 'class="error-summary"' in response.content.decode()
        assert LogEntry.objects.count() == before

    def test_keeper_archives_and_restores_nothing_is_deleted(self, client: Any, obj: Any) -> None:
        m = obj.municipality
        client.force_login(member(m, self.keeper_role))
        assert client.get(self.url(m, "archive", obj.pk)).status_code == 200
        assert client.post(self.url(m, "archive", obj.pk)).status_code == 302
        obj.refresh_from_db()
        assert obj.is_archived
        assert self.list_field(obj) not in client.get(self.url(m)).content.decode()
        assert self.list_field(obj) in client.get(self.url(m) + "?archived=1").content.decode()
        assert client.get(self.url(m, pk=obj.pk)).status_code == 200  # still readable
        assert client.get(self.url(m, "edit", obj.pk)).status_code == 403  # but not editable
        assert client.post(self.url(m, "restore", obj.pk)).status_code == 302
        obj.refresh_from_db()
        assert not obj.is_archived
        with pytest.raises(PermissionError):
            obj.delete()

    # --- query counts ---

    def test_list_query_count_does_not_grow_with_rows(
        self, client: Any, municipality: Municipality
    ) -> None:
        client.force_login(member(municipality, self.keeper_role))
        counts = []
        made = 0
        for rows in self.list_rows:
            for _ in range(rows - made):
                self.make(municipality)
            made = rows
            with CaptureQueriesContext(connection) as queries:
                response = client.get(self.url(municipality) + "?per_page=500")
                assert response.status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts

    # --- what the subclass may override ---

    def edited_values(self) -> dict[str, Any]:
        return {"name": "Ändrat namn"}

    def history_texts(self) -> list[str]:
        """What the history page must show after the edit."""
        return [str(value) for value in self.edited_values().values()]

    def invalid_data(self, obj: Any) -> dict[str, Any]:
        return {**self.edit_data(obj), "name": ""}

    def model_class(self) -> Any:
        raise NotImplementedError

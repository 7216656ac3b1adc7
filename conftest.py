import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests run against Swedish, the default language; fixed secret so runs are repeatable."""
    settings.LANGUAGE_CODE = "sv"
    # Hashing passwords for real would be most of the suite's time; the hasher is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo municipality's pk, loaded once per test module (each test of the module then runs
    in a savepoint of its own, so what one test changes the next does not see) and rolled back
    after the module's last test. Loading the demo takes seconds, and a dozen modules look at
    it; a module whose tests need an empty database before or after loads it itself."""
    from django.db import transaction
    from django.test import override_settings

    from stadga.demo.load import load_demo

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with fast, django_db_blocker.unblock(), transaction.atomic():
        pk = load_demo().pk
        yield pk
        transaction.set_rollback(True)


@pytest.fixture
def demo_karlsborg(demo_loaded, db):
    """The demo municipality (see `demo_loaded`), fetched afresh for each test."""
    from stadga.organisation.models import Municipality

    return Municipality.objects.get(pk=demo_loaded)


@pytest.fixture
def english(client, settings):
    """Pages (the test client's language cookie) and messages in English, whatever the Swedish
    translation: tests assert the English msgids. A module may define its own."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield

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

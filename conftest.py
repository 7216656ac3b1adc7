import pytest


@pytest.fixture(autouse=True)
def _english_free_settings(settings):
    """Tests run against Swedish, the default language; fixed secret so runs are repeatable."""
    settings.LANGUAGE_CODE = "sv"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

"""The requirement catalogues (shared by every municipality), mounted at requirements/."""

app_name = "requirements"

urlpatterns: list = []

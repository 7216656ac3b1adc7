"""The policy libraries (shared by every municipality), mounted at policies/."""

app_name = "policies"

urlpatterns: list = []

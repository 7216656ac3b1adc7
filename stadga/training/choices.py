from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseKind(models.TextChoices):
    """What a course teaches (P6.2): general IT skills, information security awareness, or one
    system (a business system's basic or further training, P6.3)."""

    GENERAL = "general", _("General IT skills")
    SECURITY = "security", _("Information security awareness")
    SYSTEM = "system", _("System-specific")


class SessionMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")


class RegistrationStatus(models.TextChoices):
    """A place on a session: booked, waiting for a place, cancelled; after the session the
    attendance is recorded as attended or absent."""

    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")


class RecordSource(models.TextChoices):
    """Where a competence record comes from."""

    SESSION = "session", _("Attendance at a session")
    IMPORT = "import", _("Imported attendance list")
    MANUAL = "manual", _("Recorded by hand")


class RequirementScope(models.TextChoices):
    """Who a training requirement applies to (P6): the holders of a role (e.g. every system
    owner has the security course) or the users of a system (e.g. every user of the finance
    system has its basic course)."""

    ROLE = "role", _("Holders of a role")
    SYSTEM_USERS = "system_users", _("Users of a system")


class TrainingPlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    FOLLOWED_UP = "followed_up", _("Followed up")

"""The demo municipality: a fictional but realistic Karlsborg to try Stadga on (`stadga demo`).

This module is imported by the login page, so it holds only constants and no model imports: the
accounts listed there while a demo municipality is loaded, and their shared password.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Published on the login page and in the README on purpose: demo data is not secret. The loader
# never loads it into a database that already holds a real municipality under the same name.
DEMO_PASSWORD = "stadga-demo"  # noqa: S105

# (username, what the account shows) — one account per kind of user the design names.
DEMO_ACCOUNTS: list[tuple[str, str | Promise]] = [
    ("it.samordnare", _("IT coordinator — sees and keeps everything")),
    ("it.tekniker", _("IT technician — keeps the system register")),
    ("ks.ordforande", _("Chair of the executive board — reads everything")),
    ("revisor", _("Auditor — reads everything")),
    ("kommundirektor", _("Head of the central office — receives its shortfall notices")),
    ("socialchef", _("Head of social services — the department's systems")),
    ("bun.ledamot", _("Member of the education board — the board's systems")),
    ("bun.sekreterare", _("Secretary of the education board — the board's IT plan")),
    ("ekonomichef", _("Finance manager — system owner of the finance systems")),
    ("medarbetare", _("Employee — no special role")),
    ("hjo.samordnare", _("IT coordinator of Hjo — a neighbour in the cooperation group")),
    ("tibro.samordnare", _("IT coordinator of Tibro — a neighbour in the cooperation group")),
    ("operator", _("Operator — runs the installation (superuser)")),
]

# The operator account runs the installation and is linked to no person in any municipality.
OPERATOR_USERNAME = "operator"

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "OPERATOR_USERNAME"]

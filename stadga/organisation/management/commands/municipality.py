"""`stadga municipality`: the operator adds municipalities to the installation (issue 10).

    stadga municipality add SLUG --name NAME --code CODE
        [--adopt-policy KEY [--policy-version VERSION] | --no-policy]
        [--adopted-on YYYY-MM-DD] [--decision-reference TEXT]
        [--coordinator-name NAME --coordinator-email EMAIL [--coordinator-username USERNAME]]
    stadga municipality list

Everything is written in one transaction through `municipality_onboard`, or nothing is: every bad
input is printed and the exit status is 1. The change log names the system itself (no actor), as
for the demo loader, unless --user names the operator's login.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _

from stadga.core.tabular.commands import user_by_name
from stadga.organisation.selectors import municipalities_with_members
from stadga.organisation.services import municipality_onboard
from stadga.policy.models import Policy

# The option each of the service's inputs came from, so an error names what to correct.
OPTIONS = {
    "slug": "SLUG",
    "name": "--name",
    "code": "--code",
    "policy": "--adopt-policy",
    "adopted_on": "--adopted-on",
    "decision_reference": "--decision-reference",
    "coordinator_name": "--coordinator-name",
    "coordinator_email": "--coordinator-email",
    "coordinator_username": "--coordinator-username",
}


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("--adopted-on: %(value)r is not a date (YYYY-MM-DD).") % {"value": value}
        ) from None


def _policy(key: str, version: str | None) -> Policy:
    """The named version of a loaded policy library, or its latest one."""
    policies = Policy.objects.filter(key=key)
    if version:
        policies = policies.filter(version=version)
    policy = policies.order_by("-adopted_on", "-version").first()
    if policy is None:
        if version:
            message = _(
                "--adopt-policy: there is no loaded policy %(key)s version %(version)s; "
                "load it first (stadga policy load)."
            ) % {"key": key, "version": version}
        else:
            message = _(
                "--adopt-policy: there is no loaded policy %(key)s; load it first "
                "(stadga policy load --shipped, or stadga policy list to see what is loaded)."
            ) % {"key": key}
        raise CommandError(message)
    return policy


class Command(BaseCommand):
    help = "Add a municipality to the installation, or list the installation's municipalities."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        add = actions.add_parser(
            "add",
            help="Add a municipality with its consequence scale, optionally its policy and its "
            "first IT coordinator.",
        )
        add.add_argument("slug", metavar="SLUG", help="The short name in addresses, e.g. hjo.")
        add.add_argument("--name", required=True, help="The name, e.g. 'Hjo kommun'.")
        add.add_argument("--code", required=True, help="The four-digit municipality code.")
        policy = add.add_mutually_exclusive_group()
        policy.add_argument(
            "--adopt-policy", metavar="KEY", help="Adopt this loaded policy library (its key)."
        )
        policy.add_argument(
            "--no-policy",
            action="store_true",
            help="Adopt no policy now (the default); adopt one later with stadga policy adopt.",
        )
        add.add_argument(
            "--policy-version", help="The version to adopt (default: the latest loaded)."
        )
        add.add_argument("--adopted-on", help="The date of the decision (default: today).")
        add.add_argument("--decision-reference", default="", help="E.g. 'KF § 112'.")
        add.add_argument("--coordinator-name", default="", help="The first IT coordinator.")
        add.add_argument("--coordinator-email", default="")
        add.add_argument(
            "--coordinator-username", default="", help="The login (default: the e-mail address)."
        )
        add.add_argument(
            "--user", help="The login the change log names (default: the system itself)."
        )

        actions.add_parser("list", help="List the installation's municipalities.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"handle_{action}")(**options)

    # --- add ---------------------------------------------------------------------------------

    def handle_add(
        self,
        *,
        slug: str,
        name: str,
        code: str,
        adopt_policy: str | None,
        policy_version: str | None,
        adopted_on: str | None,
        decision_reference: str,
        coordinator_name: str,
        coordinator_email: str,
        coordinator_username: str,
        user: str | None,
        **options: Any,
    ) -> None:
        if policy_version and not adopt_policy:
            raise CommandError(_("--policy-version: give --adopt-policy KEY too."))
        try:
            onboarding = municipality_onboard(
                slug=slug,
                name=name,
                code=code,
                policy=_policy(adopt_policy, policy_version) if adopt_policy else None,
                adopted_on=_date(adopted_on) if adopted_on else None,
                decision_reference=decision_reference,
                coordinator_name=coordinator_name,
                coordinator_email=coordinator_email,
                coordinator_username=coordinator_username,
                actor=user_by_name(user),
            )
        except ValidationError as error:
            raise CommandError(self.error_lines(error)) from None

        municipality = onboarding.municipality
        self.stdout.write(
            _(
                "Added %(name)s (short name %(slug)s, code %(code)s) with the default "
                "consequence scale."
            )
            % {"name": municipality.name, "slug": municipality.slug, "code": municipality.code}
        )
        if onboarding.adoption is not None:
            self.stdout.write(
                _("%(name)s adopted %(policy)s on %(date)s.")
                % {
                    "name": municipality.name,
                    "policy": onboarding.adoption.policy,
                    "date": onboarding.adoption.adopted_on.isoformat(),
                }
            )
        else:
            self.stdout.write(
                _(
                    "No policy was adopted. Adopt one later with: stadga policy adopt KEY "
                    "VERSION --municipality %(slug)s"
                )
                % {"slug": municipality.slug}
            )
        if onboarding.login is not None:
            username = onboarding.login.get_username()
            self.stdout.write(
                _(
                    "%(person)s is the IT coordinator, with the login “%(username)s”. It has no "
                    "password yet; set one with: stadga changepassword %(username)s"
                )
                % {"person": onboarding.coordinator, "username": username}
            )
        self.stdout.write(
            _("Start page: %(path)s") % {"path": reverse("organisation:overview", args=[slug])}
        )

    @staticmethod
    def error_lines(error: ValidationError) -> str:
        if not hasattr(error, "error_dict"):
            return "\n".join(error.messages)
        return "\n".join(
            f"{OPTIONS.get(key, key)}: {message}"
            for key, messages in error.message_dict.items()
            for message in messages
        )

    # --- list --------------------------------------------------------------------------------

    def handle_list(self, **options: Any) -> None:
        rows = [
            (
                m.slug,
                m.code,
                m.name,
                _("demo") if m.is_demo else "",
                _("archived") if m.archived_at else "",
                str(m.member_count),  # type: ignore[attr-defined]
            )
            for m in municipalities_with_members()
        ]
        if not rows:
            self.stdout.write(_("The installation has no municipality yet."))
            return
        header = (_("slug"), _("code"), _("name"), _("demo"), _("archived"), _("members"))
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            )

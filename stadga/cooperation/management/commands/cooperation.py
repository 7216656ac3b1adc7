"""`stadga cooperation …`: the operator forms cooperation groups and places members (P8.1).

    stadga cooperation list
    stadga cooperation create NAME [--description TEXT] --user OPERATOR
    stadga cooperation add GROUP SLUG --user OPERATOR
    stadga cooperation remove GROUP SLUG --user OPERATOR
    stadga cooperation end GROUP --user OPERATOR

GROUP is the group's name or number. What a member shares is not set here: that is the member's
own IT coordinator's choice, made in Stadga.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from stadga.cooperation import services
from stadga.cooperation.choices import SHARING_CATEGORIES
from stadga.cooperation.models import CooperationGroup, Membership
from stadga.cooperation.selectors import group_list
from stadga.core.tabular.commands import municipality_by_slug, user_by_name


def group_by_name(value: str) -> CooperationGroup:
    groups = group_list()
    found = (groups.filter(pk=int(value)).first() if value.isdigit() else None) or groups.filter(
        name=value
    ).first()
    if found is None:
        raise CommandError(_("There is no cooperation group “%(name)s”.") % {"name": value})
    return found


class Command(BaseCommand):
    help = "List, form and end cooperation groups, and add or remove their members (the operator)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="The groups, their members and what each shares.")
        create = actions.add_parser("create", help="Form a cooperation group.")
        create.add_argument("name")
        create.add_argument("--description", default="")
        for name, text in (("add", "Add a member."), ("remove", "Take a member out.")):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("group", help="The group's name or number.")
            sub.add_argument("municipality", help="The municipality's short name.")
        end = actions.add_parser("end", help="End a cooperation group (it is archived).")
        end.add_argument("group", help="The group's name or number.")
        for sub in actions.choices.values():
            if sub.prog.split()[-1] != "list":
                sub.add_argument(
                    "--user", required=True, help="The operator (a superuser) the change log names."
                )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            self.list_groups()
            return
        actor = user_by_name(options["user"])
        try:
            if action == "create":
                group = services.group_create(
                    name=options["name"], description=options["description"], actor=actor
                )
                self.stdout.write(
                    _("Formed %(group)s (%(pk)s).") % {"group": group, "pk": group.pk}
                )
            elif action == "add":
                group = group_by_name(options["group"])
                municipality = municipality_by_slug(options["municipality"])
                services.membership_add(group=group, municipality=municipality, actor=actor)
                self.stdout.write(
                    _(
                        "%(municipality)s is a member of %(group)s; it shares nothing until its IT "
                        "coordinator chooses to."
                    )
                    % {"municipality": municipality, "group": group}
                )
            elif action == "remove":
                group = group_by_name(options["group"])
                municipality = municipality_by_slug(options["municipality"])
                membership = Membership.objects.filter(
                    group=group, municipality=municipality, archived_at__isnull=True
                ).first()
                if membership is None:
                    raise CommandError(
                        _("%(municipality)s is not a member of %(group)s.")
                        % {"municipality": municipality, "group": group}
                    )
                services.membership_remove(membership=membership, actor=actor)
                self.stdout.write(
                    _("%(municipality)s has left %(group)s.")
                    % {"municipality": municipality, "group": group}
                )
            else:
                group = group_by_name(options["group"])
                services.group_archive(group=group, actor=actor)
                self.stdout.write(_("%(group)s has ended.") % {"group": group})
        except PermissionDenied as error:
            raise CommandError(str(error) or _("Only the operator may do that.")) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def list_groups(self) -> None:
        groups = group_list().annotate(
            members=Count("memberships", filter=Q(memberships__archived_at__isnull=True))
        )
        memberships = (
            Membership.objects.filter(archived_at__isnull=True, group__archived_at__isnull=True)
            .select_related("municipality")
            .order_by("municipality__name")
        )
        by_group: dict[int, list[Membership]] = {}
        for membership in memberships:
            by_group.setdefault(membership.group_id, []).append(membership)
        for group in groups:
            self.stdout.write(f"{group.pk}\t{group.name}\t{group.members}")  # type: ignore[attr-defined]
            for membership in by_group.get(group.pk, []):
                shared = ", ".join(str(SHARING_CATEGORIES[c]) for c in membership.shared_categories)
                self.stdout.write(
                    f"\t{membership.municipality.slug}\t{shared or _('shares nothing')}"
                )

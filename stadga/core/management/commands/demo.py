"""`stadga demo`: load the demo municipality, a fictional Karlsborg, and list its logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stadga.catalogue.models import Product, ProductRequest
from stadga.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from stadga.demo.load import DemoConflict, load_demo
from stadga.organisation.models import Board, Department, Municipality, Person
from stadga.systems.models import System


class Command(BaseCommand):
    help = (
        "Load the demo municipality (a fictional Karlsborg with boards, people, about 40 IT "
        "systems, a catalogue of about 150 products and a few product requests) and its demo "
        "logins. Safe to run again: what exists is left as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only if the database holds no municipality at all (keeps real data).",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and Municipality.objects.exists():
            self.stdout.write("The database already holds a municipality; the demo was not loaded.")
            demo = Municipality.objects.filter(
                slug="karlsborg", is_demo=True, archived_at__isnull=True
            ).first()
            if demo is not None:  # its logins still work: say which they are
                self.summary(demo)
            return
        try:
            municipality = load_demo(stdout=self.stdout)
        except DemoConflict as error:
            raise CommandError(str(error)) from error
        self.summary(municipality)

    def summary(self, municipality: Municipality) -> None:
        figures = ", ".join(
            f"{model.objects.filter(municipality=municipality).count()} {label}"
            for model, label in (
                (Board, "boards"),
                (Department, "departments"),
                (Person, "people"),
                (System, "IT systems"),
                (Product, "products"),
                (ProductRequest, "product requests"),
            )
        )
        self.stdout.write(
            self.style.SUCCESS(f"{municipality.name} ({municipality.slug}), demo data: {figures}.")
        )
        self.stdout.write(f"\nDemo logins, all with the password {DEMO_PASSWORD!r}:")
        width = max(len(username) for username, _ in DEMO_ACCOUNTS)
        for username, description in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<{width}}  {description}")
        self.stdout.write(
            self.style.WARNING(
                "\nThe demo password is published: never load the demo on a server that others "
                "can reach and that holds real data."
            )
        )

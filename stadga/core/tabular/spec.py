"""A spec declares one kind of sheet (columns, key, services); the registry finds it by name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, Any, ClassVar

from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from .columns import Column, Lookup


class TabularSpec:
    """How one kind of object is imported and exported. Subclass, declare, register::

        @tabular.register
        class ProductTabular(tabular.TabularSpec):
            kind = "products"                 # stadga import products FILE …
            model = Product
            key = "identifier"                # the field of the column that finds existing rows
            sheet_title = "Produkter"
            filename = "produkter"
            columns = [Column("Produkt-id", "identifier", Text(), required=True), …]

            def create(self, data): return product_create(municipality=self.municipality,
                                                          data=data, actor=self.actor)
            def update(self, instance, data): return product_update(product=instance,
                                                                    data=data, actor=self.actor)

    An instance is one run for one municipality and actor; parsers cache their lookups on it.
    """

    kind: ClassVar[str]
    model: ClassVar[type[Model]]
    columns: ClassVar[list[Column]]
    key: ClassVar[str]
    label_field: ClassVar[str] = "name"
    sheet_title: ClassVar[str] = "Data"
    filename: ClassVar[str] = "export"
    # Whether a row with a blank key creates an object with a key from `new_key`.
    auto_key: ClassVar[bool] = False
    title: ClassVar[str | Promise] = ""

    def __init__(self, *, municipality: Any, actor: Any = None) -> None:
        self.municipality = municipality
        self.actor = actor
        self.cache: dict[Any, Any] = {}

    # --- what an app declares ---------------------------------------------------------------

    def get_queryset(self) -> QuerySet:
        """Every object an import may match by key, archived ones included (so a row for an
        archived object is refused rather than creating a duplicate)."""
        return self.model._default_manager.filter(municipality=self.municipality)

    def export_queryset(self) -> QuerySet:
        """What the command line exports: the municipality's current objects."""
        return self.get_queryset().filter(archived_at__isnull=True)

    def create(self, data: dict[str, Any]) -> Model:
        """Create one object through the app's service."""
        raise NotImplementedError

    def update(self, instance: Model, data: dict[str, Any]) -> tuple[Model, bool]:
        """Change one object through the app's service; `data` holds only what differs."""
        raise NotImplementedError

    def is_archived(self, instance: Model) -> bool:
        return getattr(instance, "archived_at", None) is not None

    def new_key(self, taken: set[str]) -> str:
        """A key for a row that has none (only with `auto_key`)."""
        raise NotImplementedError

    def archived_message(self, key: str) -> str:
        from django.utils.translation import gettext as _

        return _("“%(key)s” is archived; restore it before importing changes to it.") % {"key": key}

    # --- derived ----------------------------------------------------------------------------

    @classmethod
    def key_column(cls) -> Column:
        return next(c for c in cls.columns if c.field == cls.key)

    def complete_row(self, values: dict[str, Any]) -> None:
        """Add values a row does not state as a column, once its cells are read: e.g. a key made
        of several columns (an information type is keyed by its system and its name). A cell
        that failed to parse is absent from `values`; its error is already reported."""

    @classmethod
    def column_for(cls, field: str) -> Column | None:
        return next((c for c in cls.columns if c.field == field), None)

    def optimise(self, queryset: QuerySet) -> QuerySet:
        """Fetch what the columns show up front: a constant number of queries for any size."""
        single = [
            c.field for c in self.columns if isinstance(c.parser, Lookup) and not c.parser.many
        ]
        many = [c.field for c in self.columns if c.parser.many]
        return queryset.select_related(*single).prefetch_related(*many)

    # --- entry points -----------------------------------------------------------------------

    def import_file(
        self, data: bytes, *, file_format: str | None = None, dry_run: bool = False
    ) -> Any:
        """Check the file and, unless `dry_run` or anything is wrong, write it: all or nothing.
        Returns an `ImportResult`."""
        from .importing import run_import

        return run_import(self, data, file_format=file_format, dry_run=dry_run)

    def write_xlsx(
        self, objects: Iterable[Model], out: IO[bytes], *, template: bool = False
    ) -> None:
        """Write `objects` as a workbook to `out`; `template` adds a sheet explaining columns."""
        from .exporting import write_xlsx

        write_xlsx(self, objects, out, template=template)

    def iter_csv(self, objects: Iterable[Model]) -> Iterator[bytes]:
        """`objects` as CSV for Swedish Excel (UTF-8 with BOM, `;`), one encoded row at a time."""
        from .exporting import iter_csv

        return iter_csv(self, objects)


_registry: dict[str, type[TabularSpec]] = {}
_discovered = False


def register(spec: type[TabularSpec]) -> type[TabularSpec]:
    """Class decorator: make `spec` available to `stadga import/export KIND` by its kind."""
    existing = _registry.get(spec.kind)
    if existing is not None and existing is not spec:
        raise ValueError(f"Tabular kind {spec.kind!r} is registered twice")
    _registry[spec.kind] = spec
    return spec


def _discover() -> None:
    # Each app declares its specs in <app>/tabular.py, found the way the admin finds admin.py.
    global _discovered
    if not _discovered:
        autodiscover_modules("tabular")
        _discovered = True


def kinds() -> list[str]:
    _discover()
    return sorted(_registry)


def get_spec(kind: str) -> type[TabularSpec]:
    """The spec registered for `kind`; KeyError if none."""
    _discover()
    return _registry[kind]

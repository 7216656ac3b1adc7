"""Import and export of spreadsheets (XLSX and CSV), for any kind of object an app declares.

An app describes its sheet once, in `<app>/tabular.py`, as a `TabularSpec` subclass with a list
of `Column`s (Swedish header, model field, parser) and the services that write; `@register`
makes it available to `stadga import KIND` / `stadga export KIND` and to the generic views in
`stadga.core.tabular.views`. The same columns are read and written, so an export imports back
unchanged. See `stadga/systems/tabular.py` for a complete example.

    spec = get_spec("systems")(municipality=m, actor=user)
    result = spec.import_file(data, dry_run=True)     # ImportResult: errors and per-row plans
    spec.write_xlsx(queryset, out)                    # or: b"".join(spec.iter_csv(queryset))
"""

from .columns import (
    Boolean,
    CellError,
    Choice,
    Column,
    Date,
    Integer,
    Lookup,
    ManyLookup,
    Parser,
    SelfReferences,
    Text,
)
from .importing import CREATE, UNCHANGED, UPDATE, Change, ImportResult, RowError, RowPlan
from .reading import CSV, FORMATS, XLSX, TabularError, detect_format, read_table
from .spec import TabularSpec, get_spec, kinds, register

__all__ = [
    "CREATE",
    "CSV",
    "FORMATS",
    "UNCHANGED",
    "UPDATE",
    "XLSX",
    "Boolean",
    "CellError",
    "Change",
    "Choice",
    "Column",
    "Date",
    "ImportResult",
    "Integer",
    "Lookup",
    "ManyLookup",
    "Parser",
    "RowError",
    "RowPlan",
    "SelfReferences",
    "TabularError",
    "TabularSpec",
    "Text",
    "detect_format",
    "get_spec",
    "kinds",
    "read_table",
    "register",
]

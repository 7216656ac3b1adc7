"""Table base class: accessible markup (caption, scoped headers, aria-sort) from one template."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables


class ScopedTable(tables.Table):
    """A table of one municipality's objects; the first column links to the object."""

    def __init__(self, data: Any, *args: Any, municipality: Any = None, **kwargs: Any) -> None:
        self.municipality = municipality
        super().__init__(data, *args, **kwargs)

    class Meta:
        attrs = {"class": "table"}
        empty_text = ""

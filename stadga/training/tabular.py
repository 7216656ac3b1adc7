"""The training app's spreadsheets, found by `stadga import` (which discovers each app's
tabular.py): attendance lists, declared in `imports.py`."""

from .imports import AttendanceTabular

__all__ = ["AttendanceTabular"]

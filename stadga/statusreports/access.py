"""Who may see and write status reports (P3.13).

The IT coordinator reports, so whoever keeps the register (`Access.keeps_register`: the IT
department) writes and issues reports; those who read everything (`Access.reads_all`: the IT
department, the executive board, auditors) read them. To anyone else the pages are not found.
"""

from __future__ import annotations

from stadga.organisation.access import Access


def writes_reports(access: Access, municipality_id: int) -> bool:
    return access.keeps_register(municipality_id)


def reads_reports(access: Access, municipality_id: int) -> bool:
    return access.reads_all(municipality_id)

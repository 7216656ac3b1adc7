"""Calendar arithmetic the policy's intervals need ("every six months", "twelve months after the
classification"): whole calendar months, a day past the month's end becoming its last day
(31 March less one month is 28 or 29 February), as dateutil's `relativedelta` counts."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus calendar months."""
    return day + relativedelta(months=months)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """`day` less calendar months."""
    return day - relativedelta(months=months)

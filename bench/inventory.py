"""Benchmark: import an installed-software inventory of 1,000,000 installations and reconcile it
against the catalogue (issue 6; P5.4, P5.5).

    .venv/bin/python bench/inventory.py [--rows 1000000] [--devices 5000] [--titles 30000]
                                        [--products 5000] [--rules 300] [--seed 1]

Writes a generic inventory CSV to a temporary directory, one row at a time (the file is never held
in memory), and builds a municipality with 36 departments, a catalogue of `--products` products in
every phase and a software dictionary of `--rules` normalisation rules. Then it times, end to end,
`stadga.inventory.services.inventory_import` of that file (broken rows skipped), which streams the
rows in, creates the titles and devices, switches the snapshot and has the dictionary classify the
new titles; then the reconciliation of the new snapshot. In the same run, on the same database, the
baseline: the same file loaded as raw text rows into a plain unindexed table (`COPY` on PostgreSQL,
one `executemany` per batch on SQLite). It prints rows per second, the import's peak memory and the
ratio to the baseline. Nothing is asserted: the figures are for a reader.

Runs on a throwaway SQLite database in a temporary directory, or on `DATABASE_URL` if it is set.
The import commits batch by batch as it does in production, so on a real database nothing can be
rolled back: everything the benchmark wrote (its municipality and all that hangs on it, its
change-log entries, the baseline's table) is deleted at the end instead, also when it fails.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DEPARTMENTS = 36
BOARDS = 12
VENDORS = 400
CATEGORIES = 30
# The file's header: the Swedish names a municipality's own export would use, `;`-separated as
# Excel on Swedish Windows saves CSV.
HEADER = [
    "Enhet",
    "Användare",
    "Förvaltning",
    "Programvara",
    "Version",
    "Utgivare",
    "Installerad",
    "Arkitektur",
]
DELIMITER = ";"
BASELINE_TABLE = "bench_inventory_raw"
FLOOR_TABLE = "bench_inventory_floor"
MB = 1024 * 1024


def configure(workdir: str) -> str:
    """Point Django at the benchmark's database before it is set up; returns what it uses."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadga.settings")
    # The generated secret key and any files go to the temporary directory, not the repo's var/.
    os.environ.setdefault("STADGA_VAR_DIR", workdir)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
        return "SQLite (temporary)"
    return "DATABASE_URL"


# --- the synthetic world ---------------------------------------------------------------------

# Syllables for program and vendor names: Swedish-looking, short, deterministic.
_STEMS = (  # noqa: SIM905
    "Arkiv Bild Data Doku Eko Fakt Geo Hälso Info Kart Kom Lön Mat Nät Plan Rapp Skol Sign Stat "
    "Tid Upph Vård Åter Bok Cad Diar Ekon Foto Grafik Jour Kalk Konf Läro Mejl Mobi Ordn Pdf "
    "Prov Rit Säk Scan Sync Tele Text Ljud Film"
).split()
_SUFFIXES = "sys flow pro net hub kit desk view base link plus works cloud point".split()  # noqa: SIM905
# Titles that are not programs anyone approves: updates, drivers, runtimes (ignore rules).
_NOISE = (
    ("Security Update for Microsoft Windows (KB{n})", "Microsoft Corporation"),
    ("Update for Microsoft Office (KB{n})", "Microsoft Corporation"),
    ("Intel(R) Chipset Device Driver {n}", "Intel Corporation"),
    ("Realtek Audio Driver {n}", "Realtek Semiconductor Corp."),
    ("Microsoft Visual C++ Redistributable (x64) {n}", "Microsoft Corporation"),
)


@dataclass
class World:
    """What the file and the database are generated from: the distinct raw titles with their
    popularity, the products, and the rules (as plain values, before Django is set up)."""

    titles: list[tuple[str, str, str]] = field(default_factory=list)
    cumulative_weights: list[float] = field(default_factory=list)
    # name, vendor index, category index, phase
    products: list[tuple[str, int, int, str]] = field(default_factory=list)
    # position, field, match, pattern, action, product index or None, new name
    rules: list[tuple[int, str, str, str, str, int | None, str]] = field(default_factory=list)
    vendors: list[str] = field(default_factory=list)


def _word(rng: random.Random) -> str:
    return rng.choice(_STEMS) + rng.choice(_SUFFIXES)


def world_build(*, titles: int, products: int, rules: int, seed: int) -> World:
    """Distinct titles grouped into base programs (one base has several versions), popularity
    Zipf-like by base, noise titles (updates, drivers, runtimes) among them; products named after
    the popular bases; rules ordered as a municipality writes them: broad ignore rules first, then
    renames and maps (exact names, regular expressions for names with a suffix, publishers), a
    version rule last."""
    rng = random.Random(seed)
    world = World()
    world.vendors = [f"{_word(rng)} {n} AB" for n in range(VENDORS)]
    bases = max(1, titles // 8)
    # Each base: (name, publisher, kind). One in seven is noise; the rest are programs.
    base_specs: list[tuple[str, str, str]] = []
    product_of_base: dict[int, int] = {}
    for b in range(bases):
        if b % 7 == 3:
            template, publisher = _NOISE[b % len(_NOISE)]
            base_specs.append((template.format(n=5_000_000 + b), publisher, "noise"))
        else:
            base_specs.append(
                (f"{_word(rng)} {_word(rng).capitalize()} {b}", world.vendors[b % VENDORS], "app")
            )
    # Versions per base: every base has one, the rest go to bases at random, more to popular ones.
    base_rank = list(range(bases))
    rng.shuffle(base_rank)  # base_rank[r] is the base of popularity rank r
    base_weight = [0.0] * bases
    for rank, b in enumerate(base_rank):
        base_weight[b] = 1.0 / (rank + 1) ** 0.9
    versions = [1] * bases
    cumulative_base = list(_accumulate(base_weight))
    for _ in range(titles - bases):
        versions[_pick(rng, cumulative_base)] += 1
    # Products: the programs that rules will map come first, named exactly as their base (an
    # exact rule) or as its stem (a regular-expression rule); the rest of the catalogue is
    # software, hardware and services nobody reports as installed.
    phases = (
        ["approved"] * 45
        + ["approved_with_constraints"] * 12
        + ["phase_out"] * 10
        + ["retired"] * 8
        + ["not_assessed"] * 15
        + ["evaluation"] * 3
        + ["rejected"] * 7
    )
    map_rules = rules * 8 // 10
    rename_rules = rules // 10
    ignore_rules = rules - map_rules - rename_rules
    popular_programs = [b for b in base_rank if base_specs[b][2] == "app"]
    mapped = popular_programs[:map_rules]
    regex_mapped = set(mapped[1::3])  # a third of the mapped programs need a regular expression
    renamed = popular_programs[map_rules : map_rules + rename_rules]
    for index, b in enumerate(mapped):
        name = base_specs[b][0]
        if b in regex_mapped:
            # The inventory reports "<name> (x64 sv-SE)"; the product is "<name>".
            base_specs[b] = (f"{name} (x64 sv-SE)", base_specs[b][1], "app")
        product_of_base[b] = index
        world.products.append((name, b % VENDORS, index % CATEGORIES, rng.choice(phases)))
    for n in range(len(world.products), products):
        world.products.append(
            (f"Katalogprodukt {n}", n % VENDORS, n % CATEGORIES, rng.choice(phases))
        )
    # Titles, each with its weight: the base's popularity spread over its versions.
    weights: list[float] = []
    for b, (name, publisher, _kind) in enumerate(base_specs):
        share = base_weight[b] / versions[b]
        for k in range(versions[b]):
            version = f"{1 + k // 10}.{k % 10}.{rng.randrange(1000, 9999)}"
            if k and k % 29 == 0:
                version = f"0.{k}.0-beta"
            world.titles.append((name, publisher, version))
            weights.append(share * (2.0 if k == versions[b] - 1 else 1.0))
    world.cumulative_weights = list(_accumulate(weights))
    # Rules, in order: broad ignores, then exact ignores of single noise programs, then maps (by
    # name, by expression, now and then by publisher) with renames among them, a version rule
    # last.
    ordered: list[tuple[str, str, str, str, int | None, str]] = [
        ("name", "regex", r"^(security )?update for .*\(kb\d+\)", "ignore", None, ""),
        ("name", "regex", r"driver", "ignore", None, ""),
        ("name", "regex", r"visual c\+\+ .*redistributable", "ignore", None, ""),
    ]
    noise_bases = [b for b in base_rank if base_specs[b][2] == "noise"]
    for b in noise_bases[: max(0, ignore_rules - 5)]:
        ordered.append(("name", "exact", base_specs[b][0], "ignore", None, ""))
    renames = iter(renamed)
    for index, b in enumerate(mapped):
        name = base_specs[b][0]
        if index % 8 == 0 and (r := next(renames, None)) is not None:
            ordered.append(("name", "exact", base_specs[r][0], "rename", None, f"{name} Suite"))
        if b in regex_mapped:
            pattern = "^" + re.escape(name.casefold()) + r"\b"
            ordered.append(("name", "regex", pattern, "map", product_of_base[b], ""))
        elif index % 23 == 5:
            # A publisher rule: whatever that vendor ships is its suite.
            ordered.append(("publisher", "exact", base_specs[b][1], "map", product_of_base[b], ""))
        else:
            ordered.append(("name", "exact", name, "map", product_of_base[b], ""))
    for r in renames:
        ordered.append(("name", "exact", base_specs[r][0], "rename", None, f"Program {r}"))
    while len(ordered) < rules - 1:
        ordered.append(
            ("name", "exact", f"Avinstallerat program {len(ordered)}", "ignore", None, "")
        )
    ordered.append(("version", "regex", r"-beta$", "ignore", None, ""))
    world.rules = [(position, *rule) for position, rule in enumerate(ordered[:rules], start=1)]
    return world


def _accumulate(values: list[float]) -> list[float]:
    total = 0.0
    out = []
    for value in values:
        total += value
        out.append(total)
    return out


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    return bisect.bisect(cumulative, rng.random() * cumulative[-1])


def file_write(path: Path, world: World, *, rows: int, devices: int, seed: int) -> int:
    """Write the inventory CSV one row at a time and return its size in bytes. Each device has
    `rows / devices` distinct titles drawn by popularity; its department is one of the 36, with a
    few devices in a department the municipality does not know or none; one install date in
    twenty is missing."""
    rng = random.Random(seed + 1)
    base_date = datetime.date(2015, 1, 1).toordinal()
    arches = ["x64"] * 7 + ["x86"] * 2 + [""]
    titles = len(world.titles)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=DELIMITER)
        writer.writerow(HEADER)
        for device in range(devices):
            need = rows // devices + (1 if device < rows % devices else 0)
            need = min(need, titles)
            if device % 50 == 7:
                department = "Okänd förvaltning"
            elif device % 100 == 13:
                department = ""
            else:
                department = f"Förvaltning {device % DEPARTMENTS}"
            name, user = f"PC{device:05d}", f"anv{device:05d}"
            chosen: dict[int, None] = {}
            while len(chosen) < need:
                for index in rng.choices(
                    range(titles), cum_weights=world.cumulative_weights, k=need - len(chosen)
                ):
                    chosen[index] = None
                if len(chosen) < need and len(chosen) > titles // 2:
                    # Nearly every title already: fill in order rather than draw for ever.
                    for index in range(titles):
                        if len(chosen) >= need:
                            break
                        chosen.setdefault(index, None)
            for index in chosen:
                title, publisher, version = world.titles[index]
                installed = (
                    ""
                    if rng.random() < 0.05
                    else datetime.date.fromordinal(base_date + rng.randrange(4000)).isoformat()
                )
                writer.writerow(
                    (
                        name,
                        user,
                        department,
                        title,
                        version,
                        publisher,
                        installed,
                        rng.choice(arches),
                    )
                )
    return path.stat().st_size


def municipality_build(world: World) -> Any:
    """The municipality, its boards and departments, vendors, categories, products (their phases
    set directly, as the data is synthetic) and rules, all bulk-created."""
    from stadga.catalogue.choices import ProductKind
    from stadga.catalogue.models import Product, ProductCategory, Vendor
    from stadga.inventory.models import NormalisationRule
    from stadga.organisation.choices import BoardKind
    from stadga.organisation.models import Board, Department, Municipality

    used = set(Municipality.objects.values_list("code", flat=True))
    code = next(f"{n:04d}" for n in range(9999, 0, -1) if f"{n:04d}" not in used)
    municipality = Municipality.objects.create(
        slug=f"bench-inventory-{time.time_ns()}", name="Benchkommun", code=code
    )
    boards = Board.objects.bulk_create(
        Board(
            municipality=municipality,
            name=f"Nämnd {n}",
            kind=BoardKind.EXECUTIVE_BOARD if n == 0 else BoardKind.BOARD,
        )
        for n in range(BOARDS)
    )
    Department.objects.bulk_create(
        Department(municipality=municipality, board=boards[n % BOARDS], name=f"Förvaltning {n}")
        for n in range(DEPARTMENTS)
    )
    vendors = Vendor.objects.bulk_create(
        Vendor(municipality=municipality, name=name) for name in world.vendors
    )
    categories = ProductCategory.objects.bulk_create(
        ProductCategory(municipality=municipality, name=f"Kategori {n}") for n in range(CATEGORIES)
    )
    today = datetime.date.today()
    products = Product.objects.bulk_create(
        (
            Product(
                municipality=municipality,
                name=name,
                kind=ProductKind.SOFTWARE,
                vendor=vendors[vendor],
                category=categories[category],
                phase=phase,
                phase_since=today - datetime.timedelta(days=400),
                # Half the phase-outs have passed their end date: they count as retired.
                phase_ends_on=(
                    today + datetime.timedelta(days=(90 if n % 2 else -30))
                    if phase == "phase_out"
                    else None
                ),
                constraints="Endast med licens från IT-avdelningen."
                if phase == "approved_with_constraints"
                else "",
            )
            for n, (name, vendor, category, phase) in enumerate(world.products)
        ),
        batch_size=1000,
    )
    NormalisationRule.objects.bulk_create(
        (
            NormalisationRule(
                municipality=municipality,
                position=position,
                field=rule_field,
                match=match,
                pattern=pattern,
                action=action,
                product=products[product] if product is not None else None,
                new_name=new_name,
            )
            for position, rule_field, match, pattern, action, product, new_name in world.rules
        ),
        batch_size=1000,
    )
    return municipality


# --- measuring -------------------------------------------------------------------------------


class PeakMemory:
    """The process's resident set size (RSS) and its high-water mark, from /proc on Linux.

    `reset()` clears the kernel's high-water mark (writing 5 to /proc/self/clear_refs), so `peak`
    afterwards is the peak of what ran since, and `peak - before` the memory that run added on top
    of the interpreter, Django and the benchmark's own data. Elsewhere `peak` is the process's
    lifetime peak (`getrusage`) and cannot be reset."""

    def __init__(self) -> None:
        self.before = self.rss()
        self.reset_works = False
        try:
            Path("/proc/self/clear_refs").write_text("5")
            self.reset_works = self._status("VmHWM") is not None
        except OSError:
            pass

    @staticmethod
    def _status(key: str) -> int | None:
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return None

    def rss(self) -> int:
        return self._status("VmRSS") or 0

    @property
    def peak(self) -> int:
        if self.reset_works:
            return self._status("VmHWM") or 0
        kilobytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return kilobytes * 1024


def median_seconds(func: Callable[[], Any], runs: int) -> tuple[float, Any]:
    timings = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), result


def parse_only(path: Path) -> tuple[int, float]:
    """Read the file with the import's parser and do nothing else: the Python cost of reading."""
    from stadga.inventory.parsers import RawInstallation, parse

    count = 0
    start = time.process_time()
    with path.open("rb") as stream:
        for row in parse(stream, "csv"):
            count += isinstance(row, RawInstallation)
    return count, time.process_time() - start


def baseline(path: Path) -> tuple[str, float, int]:
    """Load the file's raw rows, as text, into a plain unindexed table; return what was done,
    the seconds it took and the rows loaded. The table is dropped afterwards."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    table = quote(BASELINE_TABLE)
    columns = [
        "device",
        "user_name",
        "department",
        "name",
        "version",
        "publisher",
        "installed",
        "arch",
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TABLE {table} ({', '.join(f'{c} text' for c in columns)})")
    try:
        with path.open("rb") as stream:
            if connection.vendor == "postgresql":
                what = "COPY into a plain (logged, not temporary, not UNLOGGED) table, no indexes"
                start = time.perf_counter()
                with connection.cursor() as cursor:
                    options = f"FORMAT csv, HEADER true, DELIMITER '{DELIMITER}'"
                    with cursor.copy(f"COPY {table} FROM STDIN ({options})") as copy:
                        while chunk := stream.read(1024 * 1024):
                            copy.write(chunk)
                seconds = time.perf_counter() - start
            else:
                what = "csv.reader + executemany per 5,000 rows into a plain table, no indexes"
                start = time.perf_counter()
                text = (line.decode("utf-8") for line in stream)
                reader = csv.reader(text, delimiter=DELIMITER)
                next(reader)
                placeholders = ", ".join(["%s"] * len(columns))
                insert = f"INSERT INTO {table} VALUES ({placeholders})"
                with transaction.atomic(), connection.cursor() as cursor:
                    batch: list[list[str]] = []
                    for row in reader:
                        batch.append(row)
                        if len(batch) >= 5000:
                            cursor.executemany(insert, batch)
                            batch = []
                    if batch:
                        cursor.executemany(insert, batch)
                seconds = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            loaded = cursor.fetchone()[0]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
    return what, seconds, loaded


def storage_floor(snapshot: Any, workdir: str) -> tuple[float, int]:
    """PostgreSQL only: the seconds `COPY` takes to write the snapshot's installations, already
    resolved to their keys (no parsing, no lookups, no tallies), into a fresh table with the
    installation table's key and indexes; and the rows written. The least any import that keeps
    the installations indexed must spend, to set beside the baseline."""
    from django.db import connection

    from stadga.inventory.models import Installation

    table = connection.ops.quote_name(FLOOR_TABLE)
    source = connection.ops.quote_name(Installation._meta.db_table)
    rows_file = Path(workdir) / "installations.copy"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TABLE {table} (LIKE {source} INCLUDING INDEXES)")
        query = f"COPY (SELECT * FROM {source} WHERE snapshot_id = %s) TO STDOUT"
        with rows_file.open("wb") as out, cursor.copy(query, [snapshot.pk]) as copy:
            for chunk in copy:
                out.write(chunk)
    try:
        with rows_file.open("rb") as stream, connection.cursor() as cursor:
            start = time.perf_counter()
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                while chunk := stream.read(1024 * 1024):
                    copy.write(chunk)
            seconds = time.perf_counter() - start
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            written = cursor.fetchone()[0]
    finally:
        rows_file.unlink()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
    return seconds, written


def reconciliation_report(municipality: Any) -> Callable[[], Any]:
    """The reconciliation report of the municipality's current snapshots, as its page asks for it:
    totals, per department, per product, the trend (`stadga.inventory.reconciliation.report`)."""
    from stadga.inventory.reconciliation import report

    return lambda: report(municipality)


def cleanup(municipality_id: int, log_after: int) -> None:
    """Delete everything the benchmark wrote to a real database, in one transaction: its
    change-log entries, the rows of its snapshots, and every row of every table that belongs to
    its municipality — whatever created them (an app may add rows for a new municipality) — then
    the municipality. Plain DELETEs: the models would refuse, or log each row. Django's foreign
    keys are checked at commit, so the order of the tables does not matter."""
    from auditlog.models import LogEntry
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import Q

    from stadga.inventory.models import Device, Installation, Snapshot, Tally
    from stadga.organisation.models import Municipality

    quote = connection.ops.quote_name
    snapshots = f"SELECT id FROM {quote(Snapshot._meta.db_table)} WHERE municipality_id = %s"
    with transaction.atomic():
        LogEntry.objects.filter(pk__gt=log_after).filter(
            Q(additional_data__municipality_id=municipality_id)
            | Q(
                content_type=ContentType.objects.get_for_model(Municipality),
                object_pk=str(municipality_id),
            )
        ).delete()
        with connection.cursor() as cursor:
            for loaded in (Tally, Installation, Device):
                cursor.execute(
                    f"DELETE FROM {quote(loaded._meta.db_table)} "
                    f"WHERE snapshot_id IN ({snapshots})",
                    [municipality_id],
                )
            for model in apps.get_models():
                if not model._meta.managed or model._meta.proxy:
                    continue
                for field in model._meta.concrete_fields:
                    if field.many_to_one and field.related_model is Municipality and field.column:
                        cursor.execute(
                            f"DELETE FROM {quote(model._meta.db_table)} "
                            f"WHERE {quote(field.column)} = %s",
                            [municipality_id],
                        )
            cursor.execute(
                f"DELETE FROM {quote(Municipality._meta.db_table)} WHERE id = %s",
                [municipality_id],
            )


# --- the run ---------------------------------------------------------------------------------


class Stopwatch:
    """Where an import's time goes: wraps a few of the loader's steps (if they still have the
    names they had when this was written) and the connection's commit, and adds up the time
    of each. Times are exclusive: a commit inside the switch counts as a commit, not as the
    switch; so the steps and the rest add up to the whole. A few hundred calls in all, so the
    wrapping costs nothing measurable."""

    STEPS = (
        ("new titles", "_Loader", "_create_titles"),
        ("new devices", "_Loader", "_create_devices"),
        ("installations written", None, "_write_installations"),
        ("dictionary", None, "dictionary_apply"),
        ("tallies", None, "tally_write"),
        ("figures", None, "snapshot_figures"),
        ("switch", None, "_switch"),
    )

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._undo: list[Callable[[], None]] = []
        self._inner: list[float] = []  # per open call: the time spent in wrapped calls inside it

    def _wrap(self, owner: Any, attribute: str, label: str) -> None:
        original = getattr(owner, attribute, None)
        if original is None:
            return
        self.seconds[label] = 0.0

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            self._inner.append(0.0)
            try:
                return original(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                self.seconds[label] += elapsed - self._inner.pop()
                if self._inner:
                    self._inner[-1] += elapsed

        setattr(owner, attribute, timed)
        self._undo.append(lambda: setattr(owner, attribute, original))

    def __enter__(self) -> Stopwatch:
        from django.db import connection

        from stadga.inventory import services

        for label, class_name, attribute in self.STEPS:
            owner = getattr(services, class_name, None) if class_name else services
            if owner is not None:
                self._wrap(owner, attribute, label)
        self._wrap(connection, "commit", "commits")
        return self

    def __exit__(self, *exc: object) -> None:
        from django.db import connection

        while self._undo:
            self._undo.pop()()
        connection.__dict__.pop("commit", None)

    def summary(self, total: float) -> str:
        rest = total - sum(self.seconds.values())
        parts = [f"{label} {value:.2f} s" for label, value in self.seconds.items()]
        parts.append(f"reading the file and the loader's own work {rest:.2f} s")
        return "; ".join(parts)


@dataclass
class ImportFigures:
    seconds: float
    cpu_seconds: float
    peak: int
    before: int
    reset_works: bool
    breakdown: str
    snapshot: Any


def timed_import(municipality: Any, path: Path, profile: str | None) -> ImportFigures:
    """Import the file once, end to end, measuring its time, its peak memory and where the time
    goes."""
    from stadga.inventory.services import inventory_import

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    with Stopwatch() as stopwatch:
        memory = PeakMemory()
        start = time.perf_counter()
        cpu_start = time.process_time()
        if profiler is not None:
            profiler.enable()
        with path.open("rb") as stream:
            snapshot = inventory_import(
                municipality=municipality,
                source_name="Bench",
                fmt="csv",
                stream=stream,
                file_name=path.name,
                actor=None,
                on_error="skip",
            )
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(str(profile))
    return ImportFigures(
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        peak=memory.peak,
        before=memory.before,
        reset_works=memory.reset_works,
        breakdown=stopwatch.summary(seconds),
        snapshot=snapshot,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="installations in the file")
    parser.add_argument("--devices", type=int, default=5000, help="devices in the file")
    parser.add_argument("--titles", type=int, default=30_000, help="distinct raw titles")
    parser.add_argument("--products", type=int, default=5000, help="catalogue products")
    parser.add_argument("--rules", type=int, default=300, help="normalisation rules")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the reconciliation")
    parser.add_argument(
        "--baseline-runs", type=int, default=3, help="runs of the baseline; the median is printed"
    )
    parser.add_argument(
        "--no-reimport",
        action="store_true",
        help="skip the second import of the same file (which replaces the first snapshot)",
    )
    parser.add_argument(
        "--profile", metavar="FILE", help="write a cProfile of the first import to FILE"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="stadga-bench-") as workdir:
        database = configure(workdir)
        import django

        django.setup()
        from auditlog.models import LogEntry
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from stadga.inventory.models import Installation, SoftwareTitle, Tally

        call_command("migrate", verbosity=0)
        real_database = database == "DATABASE_URL"
        log_after = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

        started = time.perf_counter()
        world = world_build(
            titles=args.titles, products=args.products, rules=args.rules, seed=args.seed
        )
        path = Path(workdir) / "inventory.csv"
        size = file_write(path, world, rows=args.rows, devices=args.devices, seed=args.seed)
        written = time.perf_counter() - started
        started = time.perf_counter()
        municipality = municipality_build(world)
        built = time.perf_counter() - started
        del world  # the titles and their weights: not the import's memory

        try:
            parse_seconds, (parsed, parse_cpu) = median_seconds(lambda: parse_only(path), 1)
            first = timed_import(municipality, path, args.profile)
            snapshot = first.snapshot
            rows = snapshot.rows_imported
            classified = SoftwareTitle.objects.filter(
                municipality=municipality, rule__isnull=False
            ).count()
            stored = Installation.objects.filter(snapshot=snapshot).count()
            tallies = Tally.objects.filter(snapshot=snapshot).count()

            reconcile = reconciliation_report(municipality)
            first_start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                figures = reconcile()
            first_reconcile = time.perf_counter() - first_start
            reconcile_seconds, figures = median_seconds(reconcile, args.runs)

            second = None if args.no_reimport else timed_import(municipality, path, None)

            runs = [baseline(path) for _ in range(args.baseline_runs)]
            baseline_what = runs[0][0]
            baseline_seconds = statistics.median(seconds for _what, seconds, _rows in runs)
            baseline_rows = runs[0][2]
            last = first.snapshot if second is None else second.snapshot
            floors = (
                [storage_floor(last, workdir) for _ in range(args.baseline_runs)]
                if connection.vendor == "postgresql"
                else []
            )

            def memory(figures: ImportFigures) -> str:
                reset = "reset before the import" if figures.reset_works else "process lifetime"
                return (
                    f"{figures.peak / MB:.0f} MB RSS ({reset}), "
                    f"{(figures.peak - figures.before) / MB:+.0f} MB on the "
                    f"{figures.before / MB:.0f} MB before it"
                )

            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            print(
                f"database:           {connection.vendor} ({database}); "
                f"{os.cpu_count()} cores, load average {load} at the end; "
                f"Python {sys.version.split()[0]}"
            )
            print(
                f"file:               {args.rows:,} rows, {size / MB:.0f} MB, {args.devices:,} "
                f"devices, {args.titles:,} titles (written in {written:.1f} s)"
            )
            print(
                f"catalogue:          {args.products:,} products, {args.rules} rules "
                f"(built in {built:.1f} s)"
            )
            print(
                f"parse only:         {parse_seconds:.2f} s ({parse_cpu:.2f} s CPU), "
                f"{parsed / parse_seconds:,.0f} rows/s (the parser alone, no database)"
            )
            print(
                f"import:             {first.seconds:.2f} s, {rows / first.seconds:,.0f} rows/s "
                f"({rows:,} imported, {snapshot.rows_skipped} skipped, {stored:,} stored, "
                f"{snapshot.device_count:,} devices, {snapshot.title_count:,} titles, "
                f"{classified:,} matched a rule)"
            )
            print(f"  where:            {first.breakdown}")
            print(f"  Python's CPU:     {first.cpu_seconds:.2f} s of the {first.seconds:.2f} s")
            print(f"  peak memory:      {memory(first)}")
            if second is not None:
                print(
                    f"re-import:          {second.seconds:.2f} s, "
                    f"{second.snapshot.rows_imported / second.seconds:,.0f} rows/s (the same "
                    "file again: every title known, the first snapshot replaced and deleted)"
                )
                print(f"  where:            {second.breakdown}")
                print(
                    f"  Python's CPU:     {second.cpu_seconds:.2f} s of the {second.seconds:.2f} s"
                )
                print(f"  peak memory:      {memory(second)}")
            print(
                f"reconciliation:     {reconcile_seconds * 1000:.0f} ms (median of {args.runs}; "
                f"first {first_reconcile * 1000:.0f} ms), {len(queries)} queries — "
                f"reconciliation.report, what the report page shows, over {tallies:,} tallies"
            )
            print(f"  figures:          {figures_summary(figures)}")
            slowest = max(queries.captured_queries, key=lambda query: float(query["time"]))
            print(
                f"  slowest query:    {float(slowest['time']) * 1000:.0f} ms (first run): "
                f"{' '.join(slowest['sql'].split())[:160]}…"
            )
            print(
                f"baseline:           {baseline_seconds:.2f} s (median of {len(runs)}), "
                f"{baseline_rows / baseline_seconds:,.0f} rows/s ({baseline_rows:,} rows) — "
                f"{baseline_what}"
            )
            ratios = f"import {first.seconds / baseline_seconds:.1f}×"
            if second is not None:
                ratios += f", re-import {second.seconds / baseline_seconds:.1f}×"
            print(f"ratio:              {ratios} the baseline")
            if floors:
                floor_seconds = statistics.median(seconds for seconds, _rows in floors)
                print(
                    f"storage floor:      {floor_seconds:.2f} s (median of {len(floors)}), "
                    f"{floor_seconds / baseline_seconds:.1f}× the baseline — COPY of the "
                    f"{floors[0][1]:,} installations already resolved to keys into a table with "
                    "the installation table's key and two indexes: what keeping them indexed "
                    "costs before any parsing, lookup or tally"
                )
        finally:
            if real_database:
                cleanup(municipality.pk, log_after)


def figures_summary(figures: Any) -> str:
    """Installations per reconciliation status, as shares of all (ignored titles included)."""
    shares = {str(status): count for status, count in figures.totals.per_status.items()}
    shares["ignored"] = figures.ignored
    total = sum(shares.values()) or 1
    return ", ".join(
        f"{key} {count / total:.0%}"
        for key, count in sorted(shares.items(), key=lambda item: -item[1])
    )


if __name__ == "__main__":
    main()

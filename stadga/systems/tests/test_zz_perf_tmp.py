import time, pytest
from stadga.systems.tests.test_import import org, record, sheet, do_import  # noqa
from stadga.systems.models import System

@pytest.mark.django_db
@pytest.mark.parametrize("n", [2000])
def test_perf(org, n):
    rows = [record(System_id=f"SYS-{i:05d}", Namn=f"S{i}", Beroenden=f"SYS-{i+1:05d}" if i < n-1 else "") for i in range(n)]
    data = sheet(*rows)
    t = time.perf_counter(); r = do_import(org, data, dry_run=True); t1 = time.perf_counter()-t
    assert r.ok, r.errors[:3]
    t = time.perf_counter(); r = do_import(org, data); t2 = time.perf_counter()-t
    from stadga.systems.tabular import SystemTabular
    import io
    s = SystemTabular(municipality=org["municipality"]); out = io.BytesIO()
    t = time.perf_counter(); s.write_xlsx(s.optimise(s.export_queryset()), out); t3 = time.perf_counter()-t
    t = time.perf_counter(); r = do_import(org, out.getvalue()); t4 = time.perf_counter()-t
    assert r.unchanged == n
    print(f"\nn={n} dry={t1:.1f}s commit={t2:.1f}s export={t3:.1f}s reimport={t4:.1f}s")

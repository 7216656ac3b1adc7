from stadga.core.pdf import render_pdf
from stadga.testing.factories import MunicipalityFactory


def test_render_pdf_gives_a_pdf(db, tmp_path) -> None:
    pdf = render_pdf("core/pdf_base.html", {"municipality": MunicipalityFactory.build()})
    assert pdf.startswith(b"%PDF-")

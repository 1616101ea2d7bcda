"""A chart's drawing for the PDF: the operators the charts stage made beside its PNG.

The charts stage draws each chart once and keeps it, besides the PNG for Word, as
PDF drawing operators (`briefgen.charts.pdf_operators`): paths in points, text
outlined, no page resource named. The writer copies them into its page as they
are, so nothing is converted here. A figure without operators (a picture staff
put in an edited .docx, a drawing that needed transparency) is placed as its PNG.
"""

from __future__ import annotations

from briefgen.charts import PdfOps, pdf_operators
from briefgen.model import Figure

# What a Picture draws: a chart's operators (width × height points); None means its PNG.
Drawing = PdfOps


def load_drawing(fig: Figure) -> Drawing | None:
    """The figure's operators, or None when it has none (then its PNG is placed)."""
    return pdf_operators(fig)

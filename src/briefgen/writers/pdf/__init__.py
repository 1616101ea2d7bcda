"""The PDF writer (ReportLab): `write_pdf` sets a document model in the house style.

    writer       write_pdf, PdfWriter: collect → plan fonts → build → paginate → platypus
    collect      the model as typed items (items), every character noted for the fonts
    fontplan     which embedded face draws each character of each role
    text         spans made into measured characters (Composer, Chars, Setting)
    draw         one broken line put on the canvas
    flowables    TextBlock, Picture, Grid on the platypus protocol
    pagination   headings kept with their text, figures floated
    build        items made into flowables (tables, the board)
    drawings     a chart's PDF operators, made by the charts stage
    page         page furniture: the masthead rule and issue line, page numbers
    rl_compat    every ReportLab internal, and the ToUnicode patch
"""

from __future__ import annotations

from briefgen.writers.pdf.writer import PdfWriter, write_pdf

__all__ = ["PdfWriter", "write_pdf"]

"""The Word writer: the document model into a .docx built on the house reference document."""

from briefgen.writers.docx.writer import write_docx

__all__ = ["write_docx"]

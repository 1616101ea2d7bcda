"""Readers: sources into the document model."""

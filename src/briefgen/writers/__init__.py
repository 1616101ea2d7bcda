"""Writers turn the document model into files. They never parse text."""

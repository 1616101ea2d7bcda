"""Configuration: the house style and the brief spec, read from YAML with line numbers."""

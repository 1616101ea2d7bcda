"""briefgen: statistics, templates and prose in; a house-style policy brief out."""

__version__ = "0.1.0"

"""catalog-graph: government information-disclosure catalogs into a legal knowledge graph."""

__version__ = "0.1.0"

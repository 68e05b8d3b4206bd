"""``catalog-graph serve``: the graph of a build as a read-only SPARQL endpoint and a query page.

- :mod:`~catalog_graph.serve.answer`: answering one SPARQL request against the store (content
  negotiation, refusing updates, result caps, the service description);
- :mod:`~catalog_graph.serve.pool`: the worker processes that answer queries within a deadline;
- :mod:`~catalog_graph.serve.http`: the HTTP server, its routes and the page's assets (``web/``).
"""

from catalog_graph.serve.http import make_server, serve_until_stopped

__all__ = ["make_server", "serve_until_stopped"]

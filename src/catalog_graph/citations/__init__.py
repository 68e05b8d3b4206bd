"""A text → the citations in it, unresolved: ``find_citations``.

``find`` scans the text; ``title_spans`` finds titles in marks and laws' names; ``titles`` reads
what a title says (kind, issuers, key); ``docnumbers`` finds and normalizes 发文字号;
``provisions`` reads 第N条/款/项. Resolving them to regulations is ``catalog_graph.resolve``'s
job: nothing here imports it.
"""

from catalog_graph.citations.find import find_citations

__all__ = ["find_citations"]

"""The RDF namespaces of the graph, defined once: every module, query and page takes its
prefixes from here (``PREFIXES``), in this fixed order."""

from __future__ import annotations

CG = "https://w3id.org/catalog-graph/ontology#"
ELI = "http://data.europa.eu/eli/ontology#"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"

PREFIXES: dict[str, str] = {
    "cg": CG, "eli": ELI, "dcterms": DCTERMS, "skos": SKOS, "prov": PROV, "time": TIME,
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL,
}

LANGUAGE = "zh"  # the language of everything read from a catalog

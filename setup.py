"""Packaging glue that pyproject.toml cannot express: ship ``ontology/`` inside the package.

The ontology lives at the repository root, beside ``src/``. A wheel carries a copy of it as
``catalog_graph/ontology/``, which ``catalog_graph.paths.ontology_dir`` finds at run time; an
editable install reads the checkout's folder instead. MANIFEST.in puts ``ontology/`` in the
sdist, so a wheel built from the sdist has it too.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ONTOLOGY = Path(__file__).resolve().parent / "ontology"


class BuildPyWithOntology(build_py):
    """``build_py`` that also copies ``ontology/`` to ``catalog_graph/ontology/``."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's ontology/
            return
        if not ONTOLOGY.is_dir():
            raise FileNotFoundError(f"{ONTOLOGY}: the ontology folder is missing")
        self.copy_tree(str(ONTOLOGY), str(Path(self.build_lib) / "catalog_graph" / "ontology"))


setup(cmdclass={"build_py": BuildPyWithOntology})

# Two commands do all set-up on a fresh machine:
#   make demo   build the graph of the catalogs in raw/ into out/
#   make test   run the test suite
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: demo test serve viz lint bench clean

demo: $(VENV)/.installed
	$(BIN)/catalog-graph build raw/ -o out/
	@echo ""
	@echo "Built out/. Next (nothing to activate):"
	@echo "  make serve                                   browse and query out/ at http://127.0.0.1:8000/"
	@echo "  make viz                                     out/graph.html, a picture of the graph"
	@echo "  .venv/bin/catalog-graph query --list         the bundled SPARQL questions"
	@echo "  .venv/bin/catalog-graph query --example most-cited-regulations"
	@echo "  .venv/bin/catalog-graph build YOUR/FOLDER -o mine/    your own catalogs, any format"

serve: $(VENV)/.installed
	@test -d out/store || $(MAKE) --no-print-directory demo
	$(BIN)/catalog-graph serve out/

viz: $(VENV)/.installed
	@test -d out/store || $(MAKE) --no-print-directory demo
	$(BIN)/catalog-graph viz out/ -o out/graph.html
	@echo "Open out/graph.html in a browser."

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench tools

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,ocr]'
	$(BIN)/pip install -q --no-deps 'rapidocr_onnxruntime==1.4.4' || echo "OCR engine not \
	installed (rapidocr_onnxruntime 1.4.4 needs Python < 3.13): scans will not be read"
	touch $@

clean:
	rm -rf out $(VENV) build dist src/*.egg-info

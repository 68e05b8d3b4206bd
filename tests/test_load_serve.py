"""The endpoint under load (a smaller run of bench/load_serve.py): 50 clients at once on
loopback running example queries get zero errors, a runaway query is stopped by the time limit
while the others are answered, and bad requests are refused with their status. No timing
assertions: every request has a timeout, the load a deadline, only outcomes are checked."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator

import pytest

from tests.support import ROOT, SAMPLE

TIME_LIMIT = 3.0  # the server's --timeout

_spec = importlib.util.spec_from_file_location("load_serve", ROOT / "bench" / "load_serve.py")
load_serve = importlib.util.module_from_spec(_spec)
sys.modules["load_serve"] = load_serve  # its dataclasses look their module up
_spec.loader.exec_module(load_serve)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    from catalog_graph.batch.build import build

    out = tmp_path_factory.mktemp("load") / "out"
    build([SAMPLE, ROOT / "tests" / "hostile" / "script_cells.html"], out, workers=1)
    srv = load_serve.start_server(out, workers=2, timeout=TIME_LIMIT)
    yield srv
    srv.stop()


def test_fifty_clients_at_once_get_zero_errors_while_a_runaway_query_is_stopped(server) -> None:
    queries = load_serve.example_queries()
    assert len(queries) >= 10
    load = load_serve.run_load(server, queries[:4], clients=50, rounds=1, deadline=120)
    assert load.errors == []
    assert len(load.latencies) == 50 * 4
    assert load.runaway is not None
    assert load.runaway.status == 503 and b"time limit" in load.runaway.body
    assert load.answered_during_runaway > 0


def test_every_example_query_answers_with_sparql_results(server) -> None:
    for name, sparql in load_serve.example_queries():
        reply = load_serve.post_query(server, sparql)
        assert reply.status == 200 and load_serve.is_results(reply.body), (name, reply.body[:200])


def test_bad_requests_are_refused_with_their_status_and_the_server_carries_on(server) -> None:
    refused = load_serve.refusals(server)
    assert [(what, got) for what, expected, got in refused if got != expected] == []
    assert len(refused) >= 10
    first = load_serve.example_queries()[0][1]
    assert load_serve.post_query(server, first).status == 200


def test_a_long_chain_of_terms_is_stopped_not_fatal_to_the_worker(server) -> None:
    chain = "SELECT * WHERE { ?s ?p ?o FILTER(" + "+".join(["1"] * 20_000) + ") } LIMIT 1"
    reply = load_serve.post_query(server, chain)
    assert reply.status in (200, 503), reply.body[:200]
    for _ in range(3):  # both workers still answer
        assert load_serve.post_query(server, load_serve.example_queries()[0][1]).status == 200

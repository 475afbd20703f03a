"""Issue 11: network work that always ends, never fetches what it shouldn't, never caches a
bad answer, and doesn't wait in line. Every fault is a real server on 127.0.0.1; deadlines
are small, and long waits go through an injected sleep, so each test ends within seconds."""

from __future__ import annotations

import asyncio
import json

import pytest
from conftest import one_section_catalog, snapshot
from fakeapi import ATOM, JSON, FaultServer, Reply, answer, drip, endless_body, hang_up, in_turn, slow_headers

from vrlcat.sources.http import HttpSession, RunClock, Unavailable
from vrlcat.sources.settings import NetworkSettings
from vrlcat.store import load_catalog


@pytest.fixture
def empty(tmp_path):
    return one_section_catalog(tmp_path / "catalog", "entries: []\n")


def links_catalog(root, urls, prose=""):
    """A catalog whose entries' websites are `urls` (and `prose` in list.yaml's page)."""
    page = f"  - text: '{prose}'\n" if prose else ""
    (root / "sections").mkdir(parents=True)
    (root / "list.yaml").write_text(f"page:\n  - sections\n{page}sections:\n  - {{id: a, title: A, level: 2}}\n")
    (root / "sections" / "a.yaml").write_text("entries:\n" + "".join(
        f"  - title: P{n}\n    url: https://example.org/p{n}\n    date: 2025-01\n    website: {url}\n"
        for n, url in enumerate(urls)))
    return root


def outcomes(result) -> dict:
    return {r["url"]: r for r in json.loads(result.stdout)}


# --- deadlines -------------------------------------------------------------------------


def test_a_byte_drip_from_arxiv_ends_at_the_deadline(run, services, empty, monkeypatch):
    feed = services.arxiv_feeds["1605.08386"].body
    with FaultServer({"/api/query": drip(feed, 0.05)}) as arxiv:
        monkeypatch.setenv("VRLCAT_ARXIV_API", f"{arxiv.url}/api/query")
        monkeypatch.setenv("VRLCAT_HTTP_TIMEOUT", "0.5")
        result = run("add", "--catalog", empty, "1605.08386", "--section", "a")
        assert result.exit_code == 2
        assert result.stderr.strip() == ("error: the arXiv API gave no answer (no complete answer within 0.5 s); "
                                         "nothing was changed")
        assert 0 < arxiv.sent["/api/query"] < len(feed)  # it had started answering, and was cut off
        assert len(arxiv.seen) == 1  # a deadline passed is not retried


def test_check_links_ends_at_the_deadline_for_slow_headers_and_slow_bodies(run, tmp_path, monkeypatch):
    monkeypatch.setenv("VRLCAT_ALLOW_PRIVATE", "1")
    routes = {"/headers": slow_headers(30), "/body": in_turn(lambda h, s: answer(h, 405), drip(b"x" * 1000, 0.05))}
    with FaultServer(routes) as slow:
        root = links_catalog(tmp_path / "catalog", [f"{slow.url}/headers", f"{slow.url}/body"])
        result = run("check-links", "--catalog", root, "--timeout", "0.5", "--format", "json")
        found = outcomes(result)
        assert result.exit_code == 1
        for path in ("/headers", "/body"):
            assert found[slow.url + path]["outcome"] == "broken"
            assert found[slow.url + path]["detail"] == "no complete answer within 0.5 s"


def test_a_huge_body_behind_a_refused_head_is_not_downloaded(run, tmp_path, monkeypatch):
    monkeypatch.setenv("VRLCAT_ALLOW_PRIVATE", "1")
    with FaultServer({"/huge": endless_body()}) as huge:
        root = links_catalog(tmp_path / "catalog", [f"{huge.url}/huge"])
        result = run("check-links", "--catalog", root, "--format", "json")
        assert outcomes(result)[f"{huge.url}/huge"]["outcome"] == "ok"
        assert [method for method, _ in huge.seen] == ["HEAD", "GET"]
        # 1.5 GB announced; what was written is what the socket buffers took before vrlcat hung up
        assert huge.sent["/huge"] < 32 * 1024 * 1024


# --- breaker, Retry-After, budget, waits shown ---------------------------------------------


def repositories_catalog(root, count):
    return one_section_catalog(root, "entries:\n" + "".join(
        f"  - title: P{n}\n    arxiv: '2501.0000{n}'\n    date: 2025-01\n    code: https://github.com/o/r{n}\n"
        "    website: https://example.org\n" for n in range(count)))


def test_a_github_answering_500_forever_is_given_up_after_three_failures(run, services, tmp_path, monkeypatch):
    root = repositories_catalog(tmp_path / "catalog", 6)
    services.arxiv_papers = {f"2501.0000{n}": {"id": f"2501.0000{n}", "title": f"P{n}", "published": "2025-01-02"}
                             for n in range(6)}
    with FaultServer({"*": lambda h, s: answer(h, 500, b"oops")}) as github:
        monkeypatch.setenv("VRLCAT_GITHUB_API", github.url)
        monkeypatch.setenv("VRLCAT_HTTP_PER_HOST", "1")  # one at a time, so the count is exact
        result = run("refresh", "--catalog", root, "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert len(github.seen) == 3  # not 6 repositories x 4 tries
        problems = json.loads(result.stdout)["problems"]
        assert any("HTTP 500 after" in p for p in problems)
        host = github.url.removeprefix("http://")
        assert f"{host} was given up (3 failures in a row (last: HTTP 500)); 5 requests to it skipped" in problems


def test_a_dead_service_costs_one_deadline_not_one_per_request(run, services, tmp_path, monkeypatch):
    root = repositories_catalog(tmp_path / "catalog", 6)
    services.arxiv_papers = {f"2501.0000{n}": {"id": f"2501.0000{n}", "title": f"P{n}", "published": "2025-01-02"}
                             for n in range(6)}
    with FaultServer({"*": slow_headers(30)}) as github:
        monkeypatch.setenv("VRLCAT_GITHUB_API", github.url)
        monkeypatch.setenv("VRLCAT_HTTP_TIMEOUT", "0.3")
        monkeypatch.setenv("VRLCAT_HTTP_PER_HOST", "3")
        result = run("refresh", "--catalog", root, "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert len(github.seen) == 3  # the first three time out together; the rest are skipped
        assert any("requests to it skipped" in p for p in json.loads(result.stdout)["problems"])


def session_run(settings, work, waits):
    """Run `work(session)` with a sleep that records instead of waiting."""

    async def record(seconds):
        waits.append(seconds)

    clock = RunClock(settings.budget, sleep=record, notify=waits.append)

    async def main():
        async with HttpSession(settings, clock=clock) as session:
            return await work(session)

    return asyncio.run(main())


def test_retry_after_is_honoured_shown_and_counted_against_the_budget():
    limited = in_turn(lambda h, s: answer(h, 429, b"slow down", {"Retry-After": "30"}),
                      lambda h, s: answer(h, 200, b"{}", JSON))
    with FaultServer({"/x": limited}) as server:
        waits = []
        got = session_run(NetworkSettings(), lambda s: s.fetch("GET", f"{server.url}/x"), waits)
        assert got.status == 200
        host = server.url.removeprefix("http://")
        assert waits == [f"waiting 30 s for {host}: rate limit", 30.0]
    with FaultServer({"/x": lambda h, s: answer(h, 429, b"", {"Retry-After": "30"})}) as server:
        waits = []
        with pytest.raises(Unavailable, match=r"rate limit: waiting 30 s would pass the run's 20 s budget"):
            session_run(NetworkSettings(budget=20), lambda s: s.fetch("GET", f"{server.url}/x"), waits)
        assert waits == [] and len(server.seen) == 1


def test_a_retry_after_past_the_cap_gives_the_host_up_at_once(run, services, empty, monkeypatch):
    services.scripts["/arxiv"] = [Reply(429, b"Rate exceeded.", {"Retry-After": "3600"})]
    result = run("add", "--catalog", empty, "1605.08386", "--section", "a")
    assert result.exit_code == 2
    assert "rate limit: asked to wait 3600 s, more than the 60 s vrlcat waits (VRLCAT_HTTP_MAX_WAIT)" in result.stderr
    assert len(services.seen("/arxiv")) == 1


def test_a_transient_failure_then_recovery(run, services, empty, monkeypatch):
    ok = Reply(200, json.dumps({"githubRepo": "https://github.com/o/heat", "projectPage": None}).encode(), JSON)
    services.scripts["/hf/api/papers/1605.08386"] = [Reply(503, b"busy"), ok]
    services.github["o/heat"] = Reply(200, b'{"full_name": "o/heat", "archived": false}')
    with FaultServer({"/api/query": in_turn(hang_up, lambda h, s: answer(
            h, 200, services.arxiv_feeds["1605.08386"].body, ATOM))}) as arxiv:
        monkeypatch.setenv("VRLCAT_ARXIV_API", f"{arxiv.url}/api/query")
        result = run("add", "--catalog", empty, "1605.08386", "--section", "a")
        assert result.exit_code == 0, result.stderr
        assert len(arxiv.seen) == 2
    assert load_catalog(empty).catalog.section("a").entries[0].code == "https://github.com/o/heat"


@pytest.mark.parametrize("name, value", [("VRLCAT_HTTP_RETRIES", "-1"), ("VRLCAT_HTTP_TIMEOUT", "nan"),
                                         ("VRLCAT_HTTP_TIMEOUT", "0"), ("VRLCAT_HTTP_BUDGET", "soon"),
                                         ("VRLCAT_ALLOW_PRIVATE", "maybe")])
def test_a_bad_setting_is_one_line_naming_it(run, services, empty, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    for args in (["add", "1605.08386", "--section", "a"], ["refresh"], ["check-links"]):
        result = run(*args[:1], "--catalog", empty, *args[1:])
        assert result.exit_code == 2
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(f"error: {name}={value!r}")
    assert services.requests == []

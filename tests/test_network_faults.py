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
        f"  - title: P{n}\n    arxiv: '2501.0000{n}'\n    date: 2025-01\n    website: {url}\n"
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
        problems = json.loads(result.stdout)["problems"]
        assert sum("no complete answer within 0.3 s" in p and "GitHub gave no answer" in p for p in problems) == 3
        host = github.url.removeprefix("http://")
        assert (f"{host} was given up (no complete answer within 0.3 s, without any answer before); "
                "3 requests to it skipped") in problems


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


# --- check-links safety ---------------------------------------------------------------------


def test_loopback_in_any_spelling_is_refused_in_fields_and_prose(run, tmp_path):
    with FaultServer({"*": lambda h, s: answer(h, 200, b"secret")}) as inside:
        port = inside.url.rsplit(":", 1)[1]
        spellings = [f"http://{host}:{port}/x" for host in
                     ("localhost", "127.1", "0.0.0.0", "2130706433", "0x7f.0.0.1", "[::ffff:127.0.0.1]")]
        root = links_catalog(tmp_path / "catalog", spellings, prose=f"See http://127.0.0.1:{port}/prose here.")
        result = run("check-links", "--catalog", root, "--format", "json")
        found = outcomes(result)
        assert result.exit_code == 1
        for url in [*spellings, f"http://127.0.0.1:{port}/prose"]:
            assert found[url]["outcome"] == "broken", url
            assert "non-public address" in found[url]["detail"] and "--allow-private" in found[url]["detail"]
        assert inside.seen == []  # not one request reached the server
        allowed = run("check-links", "--catalog", root, "--allow-private", "--format", "json")
        assert outcomes(allowed)[f"http://127.0.0.1:{port}/prose"]["outcome"] == "ok"


def test_a_redirect_hop_to_a_private_address_is_refused(run, tmp_path, monkeypatch):
    """127.0.0.1 stands for a public host here (the check is patched to refuse only
    127.0.0.2): the first hop is fetched, the hop to the 'private' one is not."""
    monkeypatch.setattr("vrlcat.sources.guard.is_refused_address", lambda address: address == "127.0.0.2")
    with FaultServer({"*": lambda h, s: answer(h, 200, b"metadata")}, host="127.0.0.2") as private, \
            FaultServer({"/moved": lambda h, s: answer(h, 301, headers={"Location": f"{private.url}/latest"})}) as public:
        root = links_catalog(tmp_path / "catalog", [f"{public.url}/moved"])
        result = run("check-links", "--catalog", root, "--format", "json")
        found = outcomes(result)[f"{public.url}/moved"]
        assert found["outcome"] == "broken" and "127.0.0.2 is the non-public address" in found["detail"]
        assert public.seen == [("HEAD", "/moved")] and private.seen == []


def test_fix_rewrites_same_site_redirects_only(run, tmp_path, monkeypatch):
    monkeypatch.setenv("VRLCAT_ALLOW_PRIVATE", "1")
    with FaultServer({"*": lambda h, s: answer(h, 200, b"elsewhere")}, host="127.0.0.2") as other:
        def moved_to(location):
            return lambda h, s: answer(h, 301, headers={"Location": location})

        routes = {"/same": moved_to("/same-new"), "/cross": moved_to(f"{other.url}/taken-over"),
                  "/old-login": moved_to("/login?next=/paper"), "/space": moved_to("/new page"),
                  "*": lambda h, s: answer(h, 200, b"ok")}
        with FaultServer(routes) as site:
            urls = [f"{site.url}/{name}" for name in ("same", "cross", "old-login", "space")]
            root = links_catalog(tmp_path / "catalog", urls)
            result = run("check-links", "--catalog", root, "--fix")
            assert result.exit_code == 0, result.stdout
            assert result.stderr.count("fixed: ") == 1 and f"fixed: {site.url}/same -> {site.url}/same-new" in result.stderr
            text = (root / "sections" / "a.yaml").read_text()
            assert f"{site.url}/same-new" in text
            for url in urls[1:]:
                assert f"website: {url}\n" in text  # left as written
            assert "(--fix leaves it: it leads to another site)" in result.stdout
            assert "(--fix leaves it: it leads to a login or consent page)" in result.stdout
            assert "(--fix leaves it: the new address is malformed)" in result.stdout


def test_only_definitive_results_are_cached_and_recheck_failed_asks_again(run, tmp_path, monkeypatch):
    monkeypatch.setenv("VRLCAT_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("VRLCAT_HTTP_RETRIES", "0")
    gone = in_turn(lambda h, s: answer(h, 404), lambda h, s: answer(h, 200))
    routes = {"/gone": gone, "/busy": in_turn(lambda h, s: answer(h, 503), lambda h, s: answer(h, 200)),
              "/fine": lambda h, s: answer(h, 200)}
    with FaultServer(routes) as server:
        root = links_catalog(tmp_path / "catalog", [f"{server.url}/{p}" for p in ("gone", "busy", "fine")])
        first = outcomes(run("check-links", "--catalog", root, "--format", "json"))
        assert [first[f"{server.url}/{p}"]["outcome"] for p in ("gone", "busy", "fine")] == ["broken"] * 2 + ["ok"]
        server.seen.clear()
        second = outcomes(run("check-links", "--catalog", root, "--format", "json"))
        assert server.seen == [("HEAD", "/busy")]  # a 503 is not cached; 404 and 200 are
        assert second[f"{server.url}/busy"]["outcome"] == "ok"
        assert second[f"{server.url}/gone"]["outcome"] == "broken"
        server.seen.clear()
        third = outcomes(run("check-links", "--catalog", root, "--recheck-failed", "--format", "json"))
        assert server.seen == [("HEAD", "/gone")]
        assert third[f"{server.url}/gone"]["outcome"] == "ok"


# --- answers checked before use -----------------------------------------------------------------


@pytest.mark.parametrize("body, content_type, message", [
    (b"<html><body>Down for maintenance</body></html>", "text/html", "text/html, not an Atom feed"),
    (b"<html><body>Down for maintenance<br></body></html>", "application/atom+xml", "not well-formed XML"),
    ((b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/1605.08386v1</id>'
      b"<title> </title><published>2016-05-26T00:00:00Z</published></entry></feed>"), "application/atom+xml",
     "a blank title for 1605.08386"),
])
def test_a_bad_arxiv_answer_is_an_error_never_cached_never_written(run, services, empty, body, content_type,
                                                                   message):
    services.scripts["/arxiv"] = [Reply(200, body, {"Content-Type": content_type})]
    before = snapshot(empty)
    result = run("add", "--catalog", empty, "1605.08386", "--section", "a")
    assert result.exit_code == 2 and message in result.stderr
    assert snapshot(empty) == before
    del services.scripts["/arxiv"]
    assert run("add", "--catalog", empty, "1605.08386", "--section", "a").exit_code == 0
    assert len(services.seen("/arxiv")) == 2  # the bad answer was not taken from a cache


def test_refresh_with_an_html_page_from_arxiv_fails_and_writes_nothing(run, services, tmp_path):
    root = repositories_catalog(tmp_path / "catalog", 3)
    services.scripts["/arxiv"] = [Reply(200, b"<html>maintenance</html>", {"Content-Type": "text/html"})]
    before = snapshot(root)
    result = run("refresh", "--catalog", root)
    assert result.exit_code == 2 and "not an Atom feed" in result.stderr
    assert "problems" not in result.stdout
    assert snapshot(root) == before


@pytest.mark.parametrize("body, content_type, message", [
    (b"[" * 100_000 + b"]" * 100_000, "application/json", "malformed JSON"),
    (b"<html>busy</html>", "text/html", "answered text/html, not JSON"),
    (b'{"githubRepo": 42}', "application/json", "answered a int for 'githubRepo'"),
    (b'{"githubRepo": "https://github.com/o/r\\nevil"}', "application/json", "malformed URL"),
])
def test_a_bad_hugging_face_answer_is_a_warning_and_not_cached(run, services, empty, body, content_type, message):
    services.scripts["/hf"] = [Reply(200, body, {"Content-Type": content_type})]
    result = run("add", "--catalog", empty, "1605.08386", "--section", "a", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert message in result.stderr and "(not used, not cached)" in result.stderr
    run("add", "--catalog", empty, "1605.08386", "--section", "a", "--dry-run")
    assert len(services.seen("/hf")) == 2


# --- not waiting in line --------------------------------------------------------------------------


def test_refresh_asks_hugging_face_and_github_several_at_a_time_and_arxiv_alone(run, services, tmp_path):
    root = one_section_catalog(tmp_path / "catalog", "entries:\n" + "".join(
        f"  - title: P{n}\n    arxiv: '2501.000{n:02d}'\n    date: 2025-01\n    code: https://github.com/o/r{n}\n"
        for n in range(20)))
    services.arxiv_papers = {f"2501.000{n:02d}": {"id": f"2501.000{n:02d}", "title": f"P{n}",
                                                  "published": "2025-01-02"} for n in range(20)}
    for n in range(20):
        services.hf[f"2501.000{n:02d}"] = {"githubRepo": None, "projectPage": None}
        services.github[f"o/r{n}"] = Reply(200, json.dumps({"full_name": f"o/r{n}"}).encode(), delay=0.1)
    services.scripts["/hf"] = [Reply(200, b'{"githubRepo": null}', JSON, delay=0.1)]
    result = run("refresh", "--catalog", root, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert 2 <= services.max_in_flight["hf"] <= 8 and 2 <= services.max_in_flight["github"] <= 8
    assert services.max_in_flight["arxiv"] == 1


def test_httpcore_finds_sniffio():
    """Without sniffio httpcore retries a failing import on every request."""
    import importlib.metadata

    import sniffio  # noqa: F401

    assert any(r.startswith("sniffio") for r in importlib.metadata.requires("vrlcat"))


def test_proxies_come_from_the_environment_except_for_no_proxy(monkeypatch):
    from vrlcat.sources.http import environment_proxy

    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("https_proxy", "http://proxy.internal:3128")
    monkeypatch.setenv("no_proxy", "export.arxiv.org")
    assert environment_proxy("https", "api.github.com") == "http://proxy.internal:3128"
    assert environment_proxy("https", "export.arxiv.org") is None
    assert environment_proxy("http", "api.github.com") is None

"""vrlcat refresh and vrlcat check-links against a loopback server (no internet).

Feeds for the repository's ids are built by fakeapi.synthetic_feed in the shape of the
recorded ones: no recording holds these papers."""

from __future__ import annotations

import json

import pytest

from conftest import one_section_catalog, snapshot, write
from fakeapi import Reply
from vrlcat.store import load_catalog


def repository_papers(catalog):
    """What a faithful arXiv would answer for every arXiv entry of a catalog."""
    papers = {}
    for _, entry in load_catalog(catalog).catalog.entries():
        if entry.arxiv:
            month = f"20{entry.arxiv[:2]}-{entry.arxiv[2:4]}"
            papers[entry.arxiv] = {"id": entry.arxiv, "title": entry.title, "published": f"{month}-15"}
    return papers


def test_refresh_of_the_repository_list_makes_the_fewest_arxiv_requests_and_caches(run, services, repo_catalog):
    services.arxiv_papers = repository_papers(repo_catalog)
    before = snapshot(repo_catalog)
    first = run("refresh", "--catalog", repo_catalog, "--format", "json")
    assert first.exit_code == 0, first.stderr
    report = json.loads(first.stdout)
    arxiv_requests = services.seen("/arxiv")
    assert len(services.arxiv_papers) > 100 and len(arxiv_requests) == report["arxiv_requests"] == 2
    assert all(len(r.query["id_list"]) <= 100 for r in arxiv_requests)
    assert arxiv_requests[1].at - arxiv_requests[0].at >= 0.3
    assert report["changes"] == []
    assert [p for p in report["problems"] if not p.startswith("GitHub has no repository")] == []
    assert snapshot(repo_catalog) == before
    seen = len(services.requests)
    again = run("refresh", "--catalog", repo_catalog, "--format", "json")
    assert again.exit_code == 0 and json.loads(again.stdout)["arxiv_requests"] == 0
    assert [r.path for r in services.requests[seen:]] == []  # all from the cache
    fresh = run("refresh", "--catalog", repo_catalog, "--no-cache", "--section", "mllm", "--format", "json")
    assert json.loads(fresh.stdout)["arxiv_requests"] == 1


@pytest.fixture
def small(tmp_path):
    root = tmp_path / "catalog"
    one_section_catalog(root, "entries:\n"
          "  - title: Old Title  # keep this comment\n    arxiv: '2501.00001'\n    date: 2025-01\n"
          "    code: https://github.com/old/name\n"
          "  - title: Second\n    arxiv: '2501.00002'\n    date: 2025-01\n")
    return root


def test_refresh_applies_titles_venues_links_and_renames(run, services, small):
    services.arxiv_papers = {
        "2501.00001": {"id": "2501.00001", "title": "New Title", "published": "2025-01-03"},
        "2501.00002": {"id": "2501.00002", "title": "Second", "published": "2025-01-04",
                       "comment": "Accepted to CVPR 2025"}}
    services.hf["2501.00002"] = {"githubRepo": "https://github.com/two/repo", "projectPage": "https://two.example.org"}
    services.github["old/name"] = Reply(200, b'{"full_name": "new/name", "archived": true}')
    services.github["two/repo"] = Reply(200, b'{"full_name": "two/repo", "archived": false}')
    dry = run("refresh", "--catalog", small, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "  - Old Title\n  + New Title" in dry.stdout
    assert "problem: https://github.com/old/name is archived" in dry.stdout
    assert (small / "sections" / "a.yaml").read_text().startswith("entries:\n  - title: Old Title  # keep")
    result = run("refresh", "--catalog", small)
    assert result.exit_code == 0, result.stderr
    assert "title (arXiv's title differs; kept yours (--take title takes arXiv's))" in result.stdout
    text = (small / "sections" / "a.yaml").read_text()
    assert "title: Old Title  # keep this comment" in text  # a curated title is never overwritten by default
    assert run("refresh", "--catalog", small, "--take", "title").exit_code == 0
    text = (small / "sections" / "a.yaml").read_text()
    assert "title: New Title  # keep this comment" in text
    entries = {e.arxiv: e for _, e in load_catalog(small).catalog.entries()}
    assert entries["2501.00001"].code == "https://github.com/new/name"
    second = entries["2501.00002"]
    assert (second.venue, second.code, second.website) == ("CVPR 2025", "https://github.com/two/repo",
                                                           "https://two.example.org")
    assert "refresh: arXiv 2/2" in result.stderr  # plain progress lines when not on a terminal


def test_a_failure_mid_way_leaves_the_catalog_unchanged(run, services, repo_catalog, monkeypatch):
    monkeypatch.setenv("VRLCAT_ARXIV_DELAY", "0.05")
    # another host name for arXiv, so answers of the others on 127.0.0.1 do not reset its failure count
    monkeypatch.setenv("VRLCAT_ARXIV_API", services.url.replace("127.0.0.1", "localhost") + "/arxiv/api/query")
    papers = repository_papers(repo_catalog)
    first_id = next(iter(papers))
    papers[first_id]["title"] = "A Title arXiv Changed"  # the first batch brings a change...
    services.arxiv_papers = papers
    feeds = []

    def first_batch_only(method, path, query, original=services.reply):
        if path.startswith("/arxiv"):
            if feeds:
                return Reply(503, b"busy")  # ...and the second batch never comes
            feeds.append(path)
        return original(method, path, query)

    monkeypatch.setattr(services, "reply", first_batch_only)
    before = snapshot(repo_catalog)
    result = run("refresh", "--catalog", repo_catalog)
    assert result.exit_code == 2 and "HTTP 503" in result.stderr
    assert len(services.seen("/arxiv")) == 4  # one good batch, then three failures in a row: given up
    assert snapshot(repo_catalog) == before


@pytest.fixture
def linked(tmp_path, services, monkeypatch):
    monkeypatch.setenv("VRLCAT_ALLOW_PRIVATE", "1")  # the test server is on 127.0.0.1
    root = tmp_path / "catalog"
    base = f"{services.url}/links"
    entries = [("fine", "/fine"), ("missing", "/missing"), ("moved", "/moved1"), ("slow", "/slow"),
               ("limited", "/limited"), ("flaky", "/flaky"), ("nohead", "/nohead")]
    write(root / "list.yaml", "settings:\n  link_ignore: ['*/ignored*']\npage:\n  - sections\n"
          f"  - text: 'See [this]({base}/prose) and {base}/ignored-page, https://arxiv.org/abs/2501.00001 "
          "and ![badge](https://img.shields.io/badge/x-1-blue).'\n"
          "sections:\n  - {id: a, title: A, level: 2}\n")
    write(root / "sections" / "a.yaml", "entries:\n" + "".join(
        f"  - title: {name}\n    arxiv: '2501.0000{n}'\n    date: 2025-01\n    website: {base}{path}\n"
        for n, (name, path) in enumerate(entries, 1)))
    services.links["/links/moved1"] = Reply(301, b"", {"Location": f"{base}/moved2"})
    services.links["/links/moved2"] = Reply(308, b"", {"Location": "/links/moved3"})
    services.links["/links/missing"] = Reply(404, b"gone")
    services.links["/links/slow"] = Reply(200, b"late", delay=2)
    services.links["/links/nohead"] = Reply(200, b"ok", refuse_head=True)
    services.scripts["/links/limited"] = [Reply(429, b"", {"Retry-After": "1"}), Reply(200, b"ok")]
    services.scripts["/links/flaky"] = [Reply(503, b""), Reply(200, b"ok")]
    return root


def test_check_links_outcomes(run, services, linked):
    result = run("check-links", "--catalog", linked, "--timeout", "1", "--format", "json")
    assert result.exit_code == 1  # broken links
    outcomes = {r["url"].rsplit("/", 1)[1]: r for r in json.loads(result.stdout)}
    assert outcomes["fine"]["outcome"] == "ok"
    assert outcomes["missing"]["outcome"] == "broken" and outcomes["missing"]["status"] == 404
    assert outcomes["moved1"]["outcome"] == "redirected" and outcomes["moved1"]["permanent"]
    assert outcomes["moved1"]["final"].endswith("/links/moved3")
    assert outcomes["slow"]["outcome"] == "broken" and "within 1 s" in outcomes["slow"]["detail"]
    assert outcomes["limited"]["outcome"] == "ok" and outcomes["flaky"]["outcome"] == "ok"
    limited = services.seen("/links/limited")
    assert len(limited) == 2 and limited[1].at - limited[0].at >= 1.0
    assert outcomes["nohead"]["outcome"] == "ok"
    assert [r.method for r in services.seen("/links/nohead")] == ["HEAD", "GET"]
    assert outcomes["prose"]["outcome"] == "ok" and outcomes["prose"]["places"][0]["what"] == "prose"
    assert outcomes["ignored-page"]["outcome"] == "skipped"
    assert outcomes["2501.00001"]["detail"] == "arXiv (known from the API)"
    assert outcomes["x-1-blue"]["detail"] == "badge image"
    assert not services.seen("/links/ignored")


def test_check_links_fix_rewrites_permanent_redirects_and_caches(run, services, linked):
    services.links["/links/slow"] = Reply(200, b"ok")
    result = run("check-links", "--catalog", linked, "--fix")
    assert "fixed: " in result.stderr and "moved3" in (linked / "sections" / "a.yaml").read_text()
    assert "| ok | redirected | broken | skipped |\n|---|---|---|---|\n| 6 | 1 | 1 | 3 |" in result.stdout
    count = len(services.requests)
    again = run("check-links", "--catalog", linked)
    # within the cache age, a re-run asks only about the one new URL --fix wrote
    assert [r.path for r in services.requests[count:]] == ["/links/moved3"]
    assert again.exit_code == 1 and "broken" in again.stdout


def test_per_host_concurrency_is_bounded(run, services, tmp_path, monkeypatch):
    monkeypatch.setenv("VRLCAT_ALLOW_PRIVATE", "1")
    root = tmp_path / "catalog"
    base = f"{services.url}/links"
    one_section_catalog(root, "entries:\n" + "".join(
        f"  - title: P{n}\n    url: {base}/p{n}\n    date: 2025-01\n" for n in range(30)))
    for n in range(30):
        services.links[f"/links/p{n}"] = Reply(200, b"ok", delay=0.1)
    result = run("check-links", "--catalog", root, "--concurrency", "20")
    assert result.exit_code == 0, result.stdout
    assert services.max_in_flight["links"] <= 4
    assert services.max_in_flight["links"] >= 2  # and it does run in parallel


def test_curated_dates_and_venues_are_kept_and_missing_ones_filled(run, services, tmp_path):
    root = tmp_path / "catalog"
    one_section_catalog(root, "entries:\n"
                        "  - {title: One, arxiv: '2501.00001', date: 2024-12, venue: My Venue}\n"
                        "  - {title: Two, arxiv: '2501.00002'}\n")
    services.arxiv_papers = {
        "2501.00001": {"id": "2501.00001", "title": "One", "published": "2025-01-03", "comment": "ICML 2025"},
        "2501.00002": {"id": "2501.00002", "title": "Two", "published": "2025-01-04"}}
    result = run("refresh", "--catalog", root)
    assert result.exit_code == 0, result.stderr
    assert "1 changes in 1 files, 1 differences in your titles, dates and venues kept" in result.stdout
    entries = {e.arxiv: e for _, e in load_catalog(root).catalog.entries()}
    assert (entries["2501.00001"].date, entries["2501.00001"].venue) == ("2024-12", "My Venue")
    assert entries["2501.00002"].date == "2025-01"  # missing: filled
    assert run("refresh", "--catalog", root, "--take", "all").exit_code == 0
    assert load_catalog(root).catalog.section("a").entries[0].date == "2025-01"
    assert run("refresh", "--catalog", root, "--take", "titel").exit_code == 2

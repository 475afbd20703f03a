"""`vrlcat add` end to end through the CLI, against a loopback server replaying
recorded arXiv responses. Hugging Face and GitHub replies are built in the
documented shapes (no recording of those endpoints exists; see fixtures/README.md)."""

from __future__ import annotations

import pytest

from conftest import snapshot, write
from fakeapi import ATOM, Reply, combined_feed
from vrlcat.add import fetch_drafts
from vrlcat.store import load_catalog

LIST = """\
title: Test List
page:
  - sections
sections:
  - id: math
    title: Mathematics
    level: 2
    description: Random walks, lattices and combinatorics.
  - id: comms
    title: Communications
    level: 2
"""
MATH = """\
# Papers on random walks.
entries:
  - title: Random walks on lattice points   # a hand-written comment
    arxiv: '1401.00001'
    date: 2014-01
  - title: Markov bases of fibers
    arxiv: '1301.00001'
    date: 2013-01
"""


@pytest.fixture
def catalog(tmp_path):
    root = tmp_path / "catalog"
    write(root / "list.yaml", LIST)
    write(root / "sections" / "math.yaml", MATH)
    return root


def add(run, catalog, *args):
    return run("add", "--catalog", catalog, *args)


def test_adds_a_complete_entry_in_date_order_keeping_comments(run, services, catalog):
    services.hf["1605.08386"] = {"id": "1605.08386", "githubRepo": "https://github.com/Tom/heatbath.git",
                                 "projectPage": "https://tom.github.io/heatbath/"}
    services.github["Tom/heatbath"] = Reply(200, b'{"full_name": "tom-k/heat-bath", "archived": false}')
    result = add(run, catalog, "https://arxiv.org/pdf/1605.08386v1", "--section", "math")
    assert result.exit_code == 0, result.stderr
    text = (catalog / "sections" / "math.yaml").read_text()
    assert text.startswith("# Papers on random walks.\nentries:\n  - title: Heat-bath random walks with Markov bases\n")
    assert "  - title: Random walks on lattice points   # a hand-written comment\n" in text
    loaded = load_catalog(catalog)
    new = loaded.catalog.section("math").entries[0]
    assert (new.arxiv, new.date) == ("1605.08386", "2016-05")
    assert new.authors == ["Caprice Stanley", "Tobias Windisch"]
    assert new.code == "https://github.com/tom-k/heat-bath"  # normalised, then GitHub's current name
    assert new.website == "https://tom.github.io/heatbath/"
    assert "README.md" in result.stdout  # re-rendered in the same batch (workflow.finish)
    [arxiv_request] = services.seen("/arxiv")
    assert arxiv_request.query["id_list"] == ["1605.08386"]
    assert "vrlcat" in arxiv_request.headers["User-Agent"]


@pytest.mark.parametrize("form, expected", [
    ("1605.08386", "1605.08386"),
    ("arXiv:1605.08386v1", "1605.08386"),
    ("http://www.arxiv.org/abs/1605.08386/?x=1#top", "1605.08386"),
    ("https://export.arxiv.org/pdf/1605.08386.pdf", "1605.08386"),
    ("https://huggingface.co/papers/1605.08386", "1605.08386"),
    ("astro-ph/0601001", "astro-ph/0601001"),
    ("https://arxiv.org/abs/quant-ph/0201082v1", "quant-ph/0201082"),
])
def test_every_id_form_fetches_the_bare_id(run, services, catalog, form, expected):
    result = add(run, catalog, form, "--section", "math", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert services.seen("/arxiv")[0].query["id_list"] == [expected]
    assert f"(https://arxiv.org/abs/{expected})" in result.stdout


def test_malformed_ids_are_refused_without_a_request(run, services, catalog):
    result = add(run, catalog, "https://example.org/paper/1605.08386", "--section", "math")
    assert result.exit_code == 2
    assert "not an arXiv id or URL" in result.stderr and "--url --title --date" in result.stderr
    assert services.requests == []


def test_several_ids_are_fetched_in_one_request(run, services, catalog):
    services.arxiv_feeds["1605.08386,1707.08567"] = Reply(200, combined_feed(
        "arxiv_api_1605.08386.xml", "arxiv_api_1707.08567.xml"), ATOM)
    result = add(run, catalog, "1605.08386", "1707.08567", "--section", "math")
    assert result.exit_code == 0, result.stderr
    assert len(services.seen("/arxiv")) == 1
    ids = [e.arxiv for e in load_catalog(catalog).catalog.section("math").entries]
    assert ids == ["1707.08567", "1605.08386", "1401.00001", "1301.00001"]  # newest first


def test_an_unknown_id_changes_nothing(run, services, catalog):
    before = snapshot(catalog)
    result = add(run, catalog, "0808.05394", "1707.08567", "--section", "math")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: arXiv has no paper 0808.05394"
    assert snapshot(catalog) == before


def test_arxiv_error_answer_for_a_bad_id_is_one_line(run, services, catalog):
    services.scripts["/arxiv"] = [services.arxiv_feeds["abc"]]
    result = add(run, catalog, "1605.08386", "--section", "math")
    assert result.exit_code == 2 and "HTTP 400" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_429_is_retried_after_retry_after_then_succeeds(run, services, catalog):
    services.scripts["/arxiv"] = [Reply(429, b"Rate exceeded.", {"Retry-After": "1"}),
                                  services.arxiv_feeds["1605.08386"]]
    result = add(run, catalog, "1605.08386", "--section", "math")
    assert result.exit_code == 0, result.stderr
    first, second = services.seen("/arxiv")
    assert second.at - first.at >= 1.0


def test_503_forever_gives_up_and_changes_nothing(run, services, catalog, monkeypatch):
    monkeypatch.setenv("VRLCAT_ARXIV_DELAY", "0.05")
    # another host name for arXiv, so Hugging Face's answers on 127.0.0.1 do not reset its failure count
    monkeypatch.setenv("VRLCAT_ARXIV_API", services.url.replace("127.0.0.1", "localhost") + "/arxiv/api/query")
    services.scripts["/arxiv"] = [Reply(503, b"busy")]
    before = snapshot(catalog)
    result = add(run, catalog, "1605.08386", "--section", "math")
    assert result.exit_code == 2 and "HTTP 503 after 3 tries" in result.stderr
    assert len(services.seen("/arxiv")) == 3  # three failures in a row: the host is given up
    assert snapshot(catalog) == before


def test_requests_to_arxiv_are_spaced(run, services, catalog):
    services.scripts["/arxiv"] = [Reply(503, b"busy"), Reply(503, b"busy"), services.arxiv_feeds["1605.08386"]]
    assert add(run, catalog, "1605.08386", "--section", "math").exit_code == 0
    times = [r.at for r in services.seen("/arxiv")]
    assert all(later - earlier >= 0.3 for earlier, later in zip(times, times[1:], strict=False))


def test_a_timeout_is_one_line(run, services, catalog):
    services.scripts["/arxiv"] = [Reply(200, b"", delay=3)]
    result = add(run, catalog, "1605.08386", "--section", "math", "--dry-run")
    assert result.exit_code == 2 and "no complete answer within 1 s" in result.stderr


def test_no_network_is_one_line(run, catalog, monkeypatch):
    monkeypatch.setenv("VRLCAT_ARXIV_API", "http://127.0.0.1:9/api/query")
    monkeypatch.setenv("VRLCAT_HTTP_RETRIES", "0")
    result = add(run, catalog, "1605.08386", "--section", "math")
    assert result.exit_code == 2 and "the arXiv API gave no answer (cannot connect" in result.stderr


def test_an_html_page_instead_of_a_feed_is_an_error_not_a_missing_paper(run, services, catalog):
    services.scripts["/arxiv"] = [Reply(200, b"<html>maintenance</html>", {"Content-Type": "text/html"})]
    before = snapshot(catalog)
    result = add(run, catalog, "1605.08386", "--section", "math")
    assert result.exit_code == 2 and "answered text/html, not an Atom feed" in result.stderr
    assert snapshot(catalog) == before


def test_hugging_face_404_and_github_rate_limit_are_warnings(run, services, catalog):
    services.github["o/r"] = Reply(403, b'{"message": "API rate limit exceeded"}',
                                   {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"})
    result = add(run, catalog, "1605.08386", "--section", "math", "--code", "https://github.com/o/r/tree/main")
    assert result.exit_code == 0, result.stderr
    assert "warning: Hugging Face has no page for 1605.08386" in result.stderr
    assert "warning: GitHub rate limit reached" in result.stderr
    assert load_catalog(catalog).catalog.section("math").entries[0].code == "https://github.com/o/r"


def test_without_any_code_the_entry_is_added_without_a_star_badge(run, services, catalog):
    result = add(run, catalog, "1605.08386", "--section", "math", "--dry-run")
    assert "no code repository found for 1605.08386" in result.stderr
    assert "Star" not in result.stdout


def test_duplicates_are_refused_by_id_in_any_form_and_a_same_title_is_a_warning(run, services, catalog):
    write(catalog / "sections" / "comms.yaml", "entries:\n  - title: Heat-bath random walks with Markov bases\n"
          "    url: https://example.org/x\n    date: 2016-05\n  - title: Other\n    arxiv: '1707.08567'\n")
    before = snapshot(catalog)
    by_id = add(run, catalog, "https://arxiv.org/pdf/1707.08567v2", "--section", "math")
    assert by_id.exit_code == 1 and "comms.yaml:5: section 'comms' already has '1707.08567'" in by_id.stderr
    assert services.requests == []
    assert snapshot(catalog) == before
    by_title = add(run, catalog, "1605.08386", "--section", "math")  # other links: maybe another paper
    assert by_title.exit_code == 0, by_title.stderr
    assert "warning: possible duplicate: " in by_title.stderr and "comms.yaml:2: section 'comms'" in by_title.stderr


def test_dry_run_prints_the_rendered_entry_and_writes_nothing(run, services, catalog):
    services.hf["1605.08386"] = {"githubRepo": None, "projectPage": "https://heat.example.org"}
    before = snapshot(catalog)
    result = add(run, catalog, "1605.08386", "--section", "math", "--dry-run", "--venue", "ICML 2024")
    assert result.exit_code == 0, result.stderr
    assert "sections/math.yaml" in result.stdout
    assert ("+ [Heat-bath random walks with Markov bases](https://arxiv.org/abs/1605.08386) (May. 2016, ICML 2024)\n"
            "  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/1605.08386)\n"
            "  [![Website](https://img.shields.io/badge/Website-9cf)](https://heat.example.org)\n") in result.stdout
    assert snapshot(catalog) == before


def test_without_a_section_and_no_terminal_it_exits_2_with_suggestions(run, services, catalog):
    before = snapshot(catalog)
    result = add(run, catalog, "1605.08386")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    asked = next(i for i, line in enumerate(lines) if "no --section given for 1605.08386" in line)
    assert "pass --section ID" in lines[asked] and "--yes" in lines[asked]
    assert lines[asked + 1].startswith("  1. math")
    assert len(lines) == asked + 2  # 'comms' has no entries and nothing in common: not suggested
    assert snapshot(catalog) == before


def test_on_a_terminal_the_user_picks_a_suggestion(run, services, catalog, monkeypatch):
    write(catalog / "sections" / "comms.yaml", "entries:\n  - title: Channel coding theory\n"
          "    url: https://example.org/x\n    date: 2016-05\n")
    monkeypatch.setattr("vrlcat.terminal.interactive", lambda: True)
    result = run("add", "--catalog", catalog, "1605.08386", input="mathz\n2\ny\n")
    assert result.exit_code == 0, result.stderr
    assert "no section 'mathz' (did you mean 'math'?)" in result.stdout  # asked again
    assert "closest sections:\n  1. math" in result.stdout
    assert "to section 'comms'" in result.stdout


def test_on_a_terminal_add_shows_the_entry_and_asks_first(run, services, catalog, monkeypatch):
    monkeypatch.setattr("vrlcat.terminal.interactive", lambda: True)
    before = snapshot(catalog)
    result = run("add", "--catalog", catalog, "1605.08386", "--section", "math", input="n\n")
    assert result.exit_code == 1
    assert "adding to" in result.stdout and "[Heat-bath random walks with Markov bases]" in result.stdout
    assert snapshot(catalog) == before


def test_yes_takes_the_best_suggestion(run, services, catalog):
    result = add(run, catalog, "1605.08386", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "to section 'math'" in result.stdout


def test_unknown_section(run, services, catalog):
    result = add(run, catalog, "1605.08386", "--section", "nope")
    assert result.exit_code == 2 and "unknown section id 'nope'" in result.stderr


def test_version_one_date_and_wrapped_titles_from_the_classic_feed(services, catalog):
    loaded = load_catalog(catalog)
    [draft] = fetch_drafts(loaded, ["1111.2011v2"])
    assert draft.entry.date == "2011-11"  # published (v1), not updated (v2, 2012-04)
    assert draft.entry.title == ("Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large "
                                 "Connectivity Limit")
    assert draft.entry.doi == "10.1103/PhysRevB.85.115117"


def test_a_paper_not_on_arxiv_is_added_by_hand(run, catalog):
    result = add(run, catalog, "--url", "https://openreview.net/forum?id=x", "--title", "A  Paper",
                 "--date", "2024-05", "--venue", "ICLR 2024", "--section", "comms")
    assert result.exit_code == 0, result.stderr
    entry = load_catalog(catalog).catalog.section("comms").entries[0]
    assert (entry.title, entry.url, entry.venue, entry.arxiv) == ("A Paper", "https://openreview.net/forum?id=x",
                                                                   "ICLR 2024", None)


def test_render_on_add_re_renders_the_readme_in_the_same_write(run, services, catalog):
    write(catalog / "list.yaml", LIST.replace("page:", "settings:\n  render_on_add: README.md\npage:"))
    result = add(run, catalog, "1605.08386", "--section", "math")
    assert result.exit_code == 0, result.stderr
    assert "Heat-bath random walks" in (catalog.parent / "README.md").read_text()
    assert run("render", "--catalog", catalog, "--check", catalog.parent / "README.md").exit_code == 0


def test_links_and_venues_are_read_from_the_abstract_and_comment():
    from vrlcat.add import links_in_text
    from vrlcat.sources.arxiv import Paper

    code, site = links_in_text("Code: https://github.com/Org/Repo/tree/main. Project page: https://org.io/x. "
                               "Data at https://example.org/data and https://arxiv.org/abs/2501.00001.")
    assert (code, site) == ("https://github.com/Org/Repo", "https://org.io/x")
    assert links_in_text("See https://someone.github.io/proj/ for videos.") == (None, "https://someone.github.io/proj/")
    assert links_in_text("Data at https://example.org/data.") == (None, None)
    paper = Paper("2501.00001", "T", "2025-01", comment="Accepted to CVPR 2025; 12 pages")
    assert paper.venue == "CVPR 2025"
    assert Paper("2501.00001", "T", "2025-01", journal_ref="ICML'24 workshop").venue == "ICML 2024"
    assert Paper("2501.00001", "T", "2025-01", comment="20 pages, 3 figures").venue is None

"""Whole-process timings of vrlcat's network commands against loopback services.

    python benchmarks/bench_network.py [--runs 3] [--only refresh links dead]

- refresh: the repository's catalog, arXiv / Hugging Face / GitHub each on its own
  loopback server answering after 100 ms, arXiv's real 3 s spacing (target <= 6 s).
- links: check-links of 2,000 URLs over 20 loopback hosts answering after 50 ms
  (target <= 2.5 s wall, <= 1.5 s CPU).
- dead: refresh again with one service dead (refusing, silent, or 500 forever):
  what it adds to the healthy run (target <= 10 s).

Servers run in this process on threads (Nagle off); vrlcat runs in a child process,
whose CPU time is read from getrusage. Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

REPO = Path(__file__).resolve().parent.parent


class Server(ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True


def serve(answer, latency: float) -> ThreadingHTTPServer:
    """A loopback server calling `answer(method, path, query) -> (status, content_type, body)` after `latency` s."""

    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _serve(self):
            parts = urlsplit(self.path)
            time.sleep(latency)
            status, content_type, body = answer(self.command, parts.path, parse_qs(parts.query))
            if status is None:  # silent: hold the connection and never answer
                time.sleep(3600)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_HEAD = _serve

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def arxiv_answer(method, path, query):
    ids = query.get("id_list", [""])[0].split(",")
    entries = "".join(f"<entry><id>http://arxiv.org/abs/{i}v1</id><title>Paper {i}</title>"
                      f"<published>2025-01-02T00:00:00Z</published><summary>s</summary>"
                      f"<author><name>A. Author</name></author></entry>" for i in ids if i)
    feed = f'<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'
    return 200, "application/atom+xml", feed.encode()


def hf_answer(method, path, query):
    return 200, "application/json", b'{"githubRepo": null, "projectPage": null}'


def github_answer(method, path, query):
    name = path.removeprefix("/repos/")
    return 200, "application/json", json.dumps({"full_name": name, "archived": False}).encode()


def run_child(args: list[str], env: dict) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system) of one vrlcat run, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "vrlcat", *args], env=env, capture_output=True, text=True,
                          check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        print(f"  (exit {done.returncode}: {done.stderr.strip().splitlines()[-1]})", flush=True)
    return wall, cpu, done.stdout


def refresh_env(folder: Path, arxiv: str, hf: str, github: str) -> dict:
    return {**os.environ, "VRLCAT_CACHE_DIR": str(folder / "cache"), "VRLCAT_ARXIV_API": f"{arxiv}/api/query",
            "VRLCAT_HF_API": hf, "VRLCAT_GITHUB_API": github}


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def bench_refresh(runs: int, latency: float = 0.1, dead: bool = False) -> None:
    services = {"arxiv": serve(arxiv_answer, latency), "hf": serve(hf_answer, latency),
                "github": serve(github_answer, latency)}
    urls = {name: url_of(server) for name, server in services.items()}
    with tempfile.TemporaryDirectory() as folder:
        catalog = Path(folder) / "catalog"
        shutil.copytree(REPO / "catalog", catalog)
        args = ["refresh", "--catalog", str(catalog), "--dry-run", "--no-cache", "--format", "json"]
        base = [run_child(args, refresh_env(Path(folder), urls["arxiv"], urls["hf"], urls["github"]))
                for _ in range(runs)]
        healthy = statistics.median(wall for wall, _, _ in base)
        requests = json.loads(base[-1][2])["arxiv_requests"]
        print(f"| refresh, repository catalog, services at {latency * 1000:.0f} ms | {healthy:.2f} s "
              f"| {statistics.median(cpu for _, cpu, _ in base):.2f} s | {requests} arXiv requests |", flush=True)
        if not dead:
            return
        faults = {"refusing connections": lambda: closed_port_url(),
                  "accepting, never answering": lambda: url_of(serve(lambda m, p, q: (None, "", b""), 0)),
                  "HTTP 500 forever": lambda: url_of(serve(lambda m, p, q: (500, "text/plain", b"down"), latency))}
        for service in ("hf", "github", "arxiv"):
            for fault, make in faults.items():
                broken = {**urls, service: make()}
                wall, cpu, _ = run_child(args, refresh_env(Path(folder), broken["arxiv"], broken["hf"],
                                                             broken["github"]))
                print(f"| refresh with {service} {fault} | {wall:.2f} s | {cpu:.2f} s "
                      f"| adds {wall - healthy:+.2f} s |", flush=True)


def bench_links(runs: int, count: int = 2000, hosts: int = 20, latency: float = 0.05) -> None:
    servers = [serve(lambda m, p, q: (200, "text/html", b"ok"), latency) for _ in range(hosts)]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "catalog"
        (root / "sections").mkdir(parents=True)
        (root / "list.yaml").write_text("page: [sections]\nsections:\n  - {id: a, title: A, level: 2}\n")
        lines = "".join(f"  - title: P{i}\n    url: {url_of(servers[i % hosts])}/p{i}\n    date: '2025-01'\n"
                        for i in range(count))
        (root / "sections" / "a.yaml").write_text("entries:\n" + lines)
        env = {**os.environ, "VRLCAT_CACHE_DIR": str(Path(folder) / "cache"), "VRLCAT_ALLOW_PRIVATE": "1"}
        args = ["check-links", "--catalog", str(root), "--no-cache"]
        measured = [run_child(args, env) for _ in range(runs)]
    ok = measured[0][2].splitlines()[-2].split("|")[1].strip() if measured[0][2] else "?"
    print(f"| check-links, {count:,} URLs on {hosts} hosts at {latency * 1000:.0f} ms "
          f"| {statistics.median(w for w, _, _ in measured):.2f} s "
          f"| {statistics.median(c for _, c, _ in measured):.2f} s | {ok} ok |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=["refresh", "links", "dead"])
    options = parser.parse_args()
    print("| run | wall (median) | CPU | notes |\n|---|---|---|---|")
    if "links" in options.only:
        bench_links(options.runs)
    if "refresh" in options.only or "dead" in options.only:
        bench_refresh(options.runs, dead="dead" in options.only)


if __name__ == "__main__":
    main()

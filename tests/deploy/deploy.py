#!/usr/bin/env python3
"""Deploys a generated site to a local S3-compatible server twice and checks
that the second deploy, after one edit, uploads only the files whose bytes
changed: issue 26, point 4.

1. writes a corpus with the benchmark's generator and builds it;
2. starts moto's S3 server on 127.0.0.1 (a free port), makes a bucket;
3. `rclone sync --checksum` uploads every file (counted from rclone's log
   and from the server's request log);
4. edits one event's title, builds again into the same folder, and works
   out from the two builds' manifest.json files which files changed;
5. syncs again: the uploaded, deleted and changed sets must be the same,
   and `rclone check --checksum` must find the bucket equal to the output.

Usage: deploy.py --annals BIN --moto-server BIN [--events N --articles M]
Prints one line per step with its time, and "ok" or "FAIL ..." last.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# The benchmark's generator sits beside the repository (or beside the folder
# of worktrees that holds it).
GEN = next((p for p in (REPO.parent / "shared" / "bench" / "gen_corpus.py",
                        REPO.parent.parent / "shared" / "bench" / "gen_corpus.py") if p.is_file()),
           REPO.parent / "shared" / "bench" / "gen_corpus.py")


def fail(msg):
    print(f"FAIL {msg}", flush=True)
    sys.exit(1)


def step(what, started):
    print(f"  {what} ({time.monotonic() - started:.1f} s)", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, server, seconds=60):
    """Until `url` answers (any HTTP status), the server exits or time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            fail(f"the S3 server exited with status {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    fail(f"the S3 server did not answer at {url} within {seconds} s")


def manifest(out):
    """path -> sha256 of every file of a build (manifest.json lists all but itself)."""
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = {f["path"]: f["sha256"] for f in data["files"]}
    files["manifest.json"] = hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()
    return files


def rclone(args, env, log=None):
    cmd = ["rclone", *args]
    if log:
        cmd += ["-v", "--log-file", str(log)]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr[-2000:]}")
    return r


def uploads(log):
    """(uploaded paths, deleted paths) from an rclone -v log."""
    up, gone = set(), set()
    for line in Path(log).read_text(encoding="utf-8").splitlines():
        m = re.search(r"INFO\s+:\s+(.+?): (Copied \((?:new|replaced existing)\)|Deleted)$", line)
        if m:
            (gone if m.group(2) == "Deleted" else up).add(m.group(1))
    return up, gone


def puts(server_log, bucket, since=0):
    """Object PUT requests the server logged after byte `since`, and the new end."""
    text = Path(server_log).read_text(encoding="utf-8", errors="replace")
    n = len(re.findall(rf'"PUT /{bucket}/[^ ?]+[^"]* HTTP/1\.[01]" 200', text[since:]))
    return n, len(text)


def edit_one_event(src):
    """Appends " (edited)" to the first event title of the corpus; returns the file."""
    for path in sorted((src / "content" / "events").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        m = re.search(r"^(\s*-?\s*title: )(.+)$", text, re.M)
        if m:
            line = m.group(0)
            title = m.group(2)
            if title[:1] in "\"'":
                edited = f"{m.group(1)}{title[:-1]} (edited){title[-1]}"
            else:
                edited = f"{m.group(1)}{title} (edited)"
            path.write_text(text.replace(line, edited, 1), encoding="utf-8")
            return path
    fail(f"no event title to edit under {src}/content/events")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--annals", required=True)
    ap.add_argument("--moto-server", required=True)
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--gen", default=str(GEN), help="the benchmark's gen_corpus.py")
    ap.add_argument("--work", default="/dev/shm" if Path("/dev/shm").is_dir() else None,
                    help="where the corpus, the output and the server's log go (default /dev/shm)")
    ap.add_argument("--transfers", type=int, default=16)
    args = ap.parse_args()
    if not Path(args.gen).is_file():
        fail(f"no corpus generator at {args.gen} (give --gen)")
    work = Path(tempfile.mkdtemp(prefix="annals-deploy-", dir=args.work))
    server = None
    total = time.monotonic()
    try:
        src, out = work / "site", work / "out"
        t = time.monotonic()
        subprocess.run([sys.executable, args.gen, "--events", str(args.events), "--articles",
                        str(args.articles), "--format", "annals", str(src)],
                       check=True, stdout=subprocess.DEVNULL)
        step(f"corpus of {args.events}+{args.articles} entries written", t)
        t = time.monotonic()
        build = [args.annals, "--root", str(src), "build", "--output", str(out)]
        subprocess.run(build, check=True, stdout=subprocess.DEVNULL)
        first = manifest(out)
        step(f"built: {len(first)} files", t)

        port = free_port()
        server_log = work / "s3.log"
        with open(server_log, "w") as logf:
            server = subprocess.Popen([args.moto_server, "-H", "127.0.0.1", "-p", str(port)],
                                      stdout=logf, stderr=subprocess.STDOUT)
        wait_for(f"http://127.0.0.1:{port}/", server)
        # Only this test's settings: no AWS profile, CA bundle or rclone
        # configuration of the machine's (an AWS_CA_BUNDLE stops rclone's
        # S3 client on a plain-HTTP endpoint).
        (work / "rclone.conf").write_text("")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RCLONE_"))}
        env.update(RCLONE_CONFIG=str(work / "rclone.conf"),
                   RCLONE_CONFIG_DEST_TYPE="s3",
                   RCLONE_CONFIG_DEST_PROVIDER="Other",
                   RCLONE_CONFIG_DEST_ENDPOINT=f"http://127.0.0.1:{port}",
                   RCLONE_CONFIG_DEST_ACCESS_KEY_ID="test",
                   RCLONE_CONFIG_DEST_SECRET_ACCESS_KEY="test",
                   RCLONE_CONFIG_DEST_REGION="us-east-1",
                   RCLONE_CONFIG_DEST_FORCE_PATH_STYLE="true")
        rclone(["mkdir", "dest:site"], env)
        # --fast-list: one recursive listing instead of one per folder (far
        # fewer requests to a server with thousands of folders).
        sync = ["sync", str(out), "dest:site", "--checksum", "--fast-list", "--transfers", str(args.transfers),
                "--checkers", str(args.transfers * 2)]

        t = time.monotonic()
        rclone(sync, env, log=work / "sync1.log")
        up, gone = uploads(work / "sync1.log")
        put_count, mark = puts(server_log, "site")
        step(f"first deploy: {len(up)} files uploaded (server: {put_count} PUTs)", t)
        if up != set(first):
            fail(f"first deploy uploaded {len(up)} files, the build has {len(first)}")
        if put_count != len(up):
            fail(f"the server logged {put_count} PUTs for {len(up)} uploads")

        edited = edit_one_event(src)
        t = time.monotonic()
        subprocess.run(build, check=True, stdout=subprocess.DEVNULL)
        second = manifest(out)
        changed = {p for p, h in second.items() if first.get(p) != h}
        removed = set(first) - set(second)
        step(f"one title edited in {edited.relative_to(src)}, rebuilt: "
             f"{len(changed)} files changed or new, {len(removed)} gone", t)
        if not changed:
            fail("the edit changed no file")
        if len(changed) <= 40:
            print("    " + " ".join(sorted(changed)), flush=True)

        t = time.monotonic()
        rclone(sync, env, log=work / "sync2.log")
        up, gone = uploads(work / "sync2.log")
        put_count, _ = puts(server_log, "site", mark)
        step(f"second deploy: {len(up)} files uploaded, {len(gone)} deleted "
             f"(server: {put_count} PUTs)", t)
        if up != changed:
            extra, missing = sorted(up - changed), sorted(changed - up)
            fail(f"uploaded {len(up)}, changed {len(changed)}; "
                 f"uploaded unchanged: {extra[:5]}; changed not uploaded: {missing[:5]}")
        if gone != removed:
            fail(f"deleted {sorted(gone)[:5]}, gone from the build {sorted(removed)[:5]}")
        if put_count != len(up):
            fail(f"the server logged {put_count} PUTs for {len(up)} uploads")

        t = time.monotonic()
        rclone(["check", str(out), "dest:site", "--checksum", "--one-way", "--fast-list",
                "--checkers", str(args.transfers * 2)], env)
        step("rclone check --checksum: the bucket equals the output", t)
        print(f"ok   deploy: {len(first)} files, then {len(up)} uploaded after one edit "
              f"({time.monotonic() - total:.0f} s in all)")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

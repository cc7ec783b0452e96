#!/usr/bin/env bash
# Bounded load test of `stemma serve` on loopback (issue 7): requests per
# second, p50 and p99 latency and errors for POST /api/query and
# POST /api/compare against an index of the fr-press corpus. Uses wrk
# (Debian package wrk); at most ~50 s of load in all.
#
#   bench/load/run.sh              (after cargo build --release -p stemma-cli)
#   STEMMA_BIN=... DURATION=20s CONNECTIONS=4 bench/load/run.sh
#   MIN_SHARED=2 TARGETS=/api/query bench/load/run.sh   (the library's candidate bound)
#
# The corpus is read at run time from ../shared/data/fr-press (publishers'
# texts: nothing of it is written into the repository); the index is built
# into target/frpress-index when absent. Request bodies are built from a few
# articles into a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/../.."

bin="${STEMMA_BIN:-${CARGO_TARGET_DIR:-target}/release/stemma}"
corpus="${FRPRESS:-../shared/data/fr-press/fr_press_gilets_jaunes.jsonl}"
index="${FRPRESS_INDEX:-target/frpress-index}"
duration="${DURATION:-20s}"
connections="${CONNECTIONS:-4}"
articles="${ARTICLES:-20}"

command -v wrk >/dev/null || { echo "bench/load: needs wrk (apt-get install wrk)" >&2; exit 2; }
[ -x "$bin" ] || { echo "bench/load: no stemma at $bin (cargo build --release -p stemma-cli)" >&2; exit 2; }
[ -f "$corpus" ] || { echo "bench/load: no fr-press corpus at $corpus; skipped" >&2; exit 0; }
# An index this stemma cannot open (absent, or written in an older format)
# is built afresh.
if ! "$bin" stats --index "$index" >/dev/null 2>&1; then
  echo "bench/load: building $index"
  rm -rf "$index"
  "$bin" index "$corpus" --series-field outlet --index "$index" >/dev/null
fi

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -INT "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$bin" serve --index "$index" --addr 127.0.0.1:0 >"$tmp/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$tmp/serve.log" || true)"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "bench/load: the server did not start:" >&2; cat "$tmp/serve.log" >&2; exit 1; }

# Bodies: every 250th article of the corpus (up to $articles) as a query;
# for compare, each article's id against its best version's id (found by one
# query each, before the timed run).
python3 - "$corpus" "$url" "$articles" "$tmp" "${MIN_SHARED:-}" <<'PY'
import json, sys, urllib.parse, urllib.request
corpus, url, n, tmp, min_shared = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
docs = []
with open(corpus, encoding="utf-8") as f:
    for i, line in enumerate(f):
        if i % 250 == 0:
            r = json.loads(line)
            if len(r.get("text", "")) > 500:
                docs.append(r)
        if len(docs) >= n:
            break
pairs = []
with open(f"{tmp}/query.jsonl", "w") as q:
    for d in docs:
        body = {"text": d["text"], "name": "load-test"}
        if min_shared:
            body["min_shared"] = int(min_shared)
        q.write(json.dumps(body) + "\n")
        req = urllib.request.Request(url + "api/documents/" + urllib.parse.quote(str(d["id"]), safe="") + "/versions?top=1")
        rep = json.load(urllib.request.urlopen(req, timeout=60))
        other = rep["results"][0]["id"] if rep["results"] else None
        if other:
            pairs.append((str(d["id"]), other))
with open(f"{tmp}/compare.jsonl", "w") as c:
    for a, b in pairs:
        c.write(json.dumps({"a": {"id": a}, "b": {"id": b}}) + "\n")
sizes = [len(d["text"]) for d in docs]
print(f"bench/load: {len(docs)} query bodies ({min(sizes)}-{max(sizes)} chars), {len(pairs)} compare pairs")
PY

echo "bench/load: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); index: $("$bin" stats --index "$index" | sed -n 2p | sed 's/^ *//')"
echo "bench/load: wrk -t1 -c$connections -d$duration, server and client on this machine"
fail=0
for target in ${TARGETS:-/api/query /api/compare}; do
  name="${target##*/}"
  out="$(TARGET="$target" BODIES="$tmp/$name.jsonl" wrk -t1 -c"$connections" -d"$duration" --timeout 30s -s bench/load/post.lua "$url")"
  line="$(grep '^RESULT' <<<"$out")"
  echo "$line"
  grep -q ' errors=0 ' <<<"$line" || fail=1
done
exit "$fail"

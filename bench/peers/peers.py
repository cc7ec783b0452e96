"""Near-duplicate peers (datasketch, rensa) on a synthetic corpus from `synth`.

    python peers.py --tool rensa|datasketch --corpus C.jsonl [--truth T.jsonl]
                    [--threshold 0.8] [--num-perm 128] [--shingle 5] [--bands B]
    python peers.py --evaluate CLUSTERS.jsonl --corpus C.jsonl [--truth T.jsonl]

Each tool runs the whole job the way its documentation shows, timed from
the first byte read to the clusters: read the JSONL, shingle each text
(word n-grams of the lower-cased `\\w+` words, joined by a space), MinHash,
LSH index, query every document, verify each candidate by the estimated
Jaccard similarity (>= threshold, as stemma does), union-find clusters, keep
the earliest (by date, then input order). Peak memory is this process's
maximum resident set size (getrusage), Python and numpy included.

Banding: datasketch picks (bands, rows) itself (minimal weighted false
positive and negative areas); rensa needs a number of bands dividing
num_perm, so the same criterion is applied to the divisors only (8 bands of
16 rows at 0.8 and 128 permutations, as rensa's own benchmark uses).

`--evaluate` scores a clusters file (one JSON array of document numbers per
line, as `neardup_bench --clusters` writes) with the same code, so stemma and
the peers are scored identically.
"""

import argparse
import json
import re
import resource
import sys
import time

WORD = re.compile(r"\w+")


def shingles(text, n):
    words = WORD.findall(text.lower())
    if not words:
        return []
    if len(words) < n:
        return [" ".join(words)]
    return [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]


def read_corpus(path):
    """Yields (text, date) per line; an unreadable line keeps its place."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                rec = json.loads(line)
                yield rec.get("text") or "", rec.get("date")
            except ValueError:
                yield "", None


class UnionFind:
    def __init__(self, n):
        self.parent = list(range(n))

    def find(self, x):
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb


def clusters_and_keep(n, pairs, dates):
    uf = UnionFind(n)
    for a, b in pairs:
        uf.union(a, b)
    groups = {}
    for d in range(n):
        groups.setdefault(uf.find(d), []).append(d)
    clusters = sorted((m for m in groups.values() if len(m) > 1), key=lambda m: m[0])
    kept = [min(m, key=lambda d: (dates[d] is None, dates[d] or "", d)) for m in clusters]
    # Earliest date first, undated last, then input order.
    dropped = sum(len(m) - 1 for m in clusters)
    return clusters, kept, dropped


def rensa_bands(threshold, num_perm):
    from datasketch.lsh import _false_negative_probability, _false_positive_probability

    best = None
    for b in range(1, num_perm + 1):
        if num_perm % b:
            continue
        r = num_perm // b
        err = 0.5 * _false_positive_probability(threshold, b, r) + 0.5 * _false_negative_probability(threshold, b, r)
        if best is None or err < best[0]:
            best = (err, b, r)
    return best[1], best[2]


def run_rensa(args):
    from rensa import RMinHash, RMinHashLSH

    b = args.bands or rensa_bands(args.threshold, args.num_perm)[0]
    lsh = RMinHashLSH(args.threshold, args.num_perm, b)
    mhs, dates, live = [], [], []
    batch_texts = []
    seed = 42

    def flush():
        sets = [shingles(t, args.shingle) for t in batch_texts]
        ms = RMinHash.from_token_sets(sets, args.num_perm, seed)
        base = len(mhs)
        # rensa's bulk insert (sequential keys); documents without shingles
        # are inserted too but never queried nor verified.
        lsh.insert_many(ms, base)
        mhs.extend(ms)
        live.extend(base + k for k, s in enumerate(sets) if s)
        batch_texts.clear()

    # Batches of 1,000 documents: rensa's batch calls want lists of token
    # lists, and 1,000 documents' shingles as Python strings already take
    # ~45 MB (10,000 took 830 MB of peak memory).
    for text, date in read_corpus(args.corpus):
        batch_texts.append(text)
        dates.append(date)
        if len(batch_texts) == 1000:
            flush()
    flush()
    pairs = []
    t = args.threshold
    live_set = set(live)
    for i, cands in zip(live, lsh.query_all([mhs[i] for i in live])):
        m = mhs[i]
        for j in cands:
            if j > i and j in live_set and m.jaccard(mhs[j]) >= t:
                pairs.append((i, j))
    return len(mhs), pairs, dates, (b, args.num_perm // b)


def run_datasketch(args):
    from datasketch import MinHash, MinHashLSH

    if args.bands:
        lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm, params=(args.bands, args.num_perm // args.bands))
    else:
        lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    base = MinHash(num_perm=args.num_perm, seed=1)
    mhs, dates, live = [], [], []
    for i, (text, date) in enumerate(read_corpus(args.corpus)):
        s = shingles(text, args.shingle)
        # Copying a template reuses its permutations (what MinHash.bulk does).
        m = base.copy()
        m.update_batch([x.encode("utf-8") for x in s])
        mhs.append(m)
        dates.append(date)
        if s:
            lsh.insert(i, m)
            live.append(i)
    pairs = []
    t = args.threshold
    for i in live:
        m = mhs[i]
        for j in lsh.query(m):
            if j > i and m.jaccard(mhs[j]) >= t:
                pairs.append((i, j))
    return len(mhs), pairs, dates, (lsh.b, lsh.r)


def read_truth(path, n):
    copy = [None] * n
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r["doc"] < n:
                copy[r["doc"]] = (r["source"], r["kind"])
    return copy


def evaluate(clusters, truth):
    """Recall per kind (a copy in its source's cluster) and pairwise precision
    (pairs inside clusters whose documents share a source)."""
    n = len(truth)
    cluster_of = [-1] * n
    for c, m in enumerate(clusters):
        for d in m:
            cluster_of[d] = c
    found = {"exact": [0, 0], "edited": [0, 0], "partial": [0, 0]}
    for d, c in enumerate(truth):
        if c:
            src, kind = c
            found[kind][1] += 1
            found[kind][0] += int(cluster_of[d] != -1 and cluster_of[d] == cluster_of[src])
    related = pairs = 0
    for m in clusters:
        pairs += len(m) * (len(m) - 1) // 2
        roots = {}
        for d in m:
            r = truth[d][0] if truth[d] else d
            roots[r] = roots.get(r, 0) + 1
        related += sum(c * (c - 1) // 2 for c in roots.values())
    recall = {k: (v[0] / v[1] if v[1] else 0.0) for k, v in found.items()}
    return recall, found, (related / pairs if pairs else 1.0), related, pairs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", choices=["rensa", "datasketch"])
    ap.add_argument("--evaluate")
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--truth")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--shingle", type=int, default=5)
    ap.add_argument("--bands", type=int)
    args = ap.parse_args()
    truth_path = args.truth or re.sub(r"\.jsonl$", "", args.corpus) + ".truth.jsonl"

    if args.evaluate:
        with open(args.evaluate) as f:
            clusters = [json.loads(line) for line in f if line.strip()]
        n = sum(1 for _ in open(args.corpus, "rb"))
        recall, found, precision, related, pairs = evaluate(clusters, read_truth(truth_path, n))
        print(f"{args.evaluate}: recall {found}, precision {precision:.4f} ({related}/{pairs})")
        print("RESULT " + json.dumps({"recall": recall, "precision": precision}))
        return

    import importlib.metadata as md

    version = md.version(args.tool)
    t0 = time.perf_counter()
    run = run_rensa if args.tool == "rensa" else run_datasketch
    n, pairs, dates, (b, r) = run(args)
    clusters, _kept, dropped = clusters_and_keep(n, sorted(pairs), dates)
    seconds = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss / 1024
    # CPU time of all the process's threads (rensa's batch calls may use
    # several): cpu / wall is the number of cores it kept busy.
    cpu = usage.ru_utime + usage.ru_stime
    recall, found, precision, related, npairs = evaluate(clusters, read_truth(truth_path, n))
    print(
        f"{args.tool} {version} on {args.corpus} ({n} documents), threshold {args.threshold}, "
        f"{args.num_perm} permutations, {args.shingle}-word shingles, {b} bands x {r} rows"
    )
    print(f"  {seconds:.2f} s ({cpu:.1f} s CPU), peak RSS {peak:.0f} MB; {len(pairs)} verified pairs, {len(clusters)} clusters, {dropped} dropped")
    for k, (f_, a) in found.items():
        print(f"  recall {k:8} {recall[k]:.3f} ({f_}/{a})")
    print(f"  precision {precision:.4f} ({related}/{npairs} pairs in clusters are copy-related)")
    print(
        "RESULT "
        + json.dumps(
            {
                "tool": f"{args.tool} {version}",
                "docs": n,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_mb": peak,
                "threshold": args.threshold,
                "num_perm": args.num_perm,
                "shingle": args.shingle,
                "bands": b,
                "rows": r,
                "recall": recall,
                "precision": precision,
                "dropped": dropped,
                "clusters": len(clusters),
            }
        )
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()

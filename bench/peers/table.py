"""Prints the markdown table of bench/peers/run.sh's results.jsonl (the last
result of each tool, corpus size, threshold, banding and thread count)."""

import json
import sys

rows = {}
for line in open(sys.argv[1] if len(sys.argv) > 1 else "target/neardup/results.jsonl"):
    if not line.strip() or line.startswith("#"):
        continue
    r = json.loads(line)
    key = (r["docs"], r["threshold"], r["tool"], r.get("threads", 1), r["bands"], r["rows"])
    rows[key] = r

print("| tool | docs | threshold | bands × rows | threads | seconds | peak MB | recall exact | recall edited | recall partial | precision |")
print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
for key in sorted(rows, key=lambda k: (k[0], -k[1], k[2] != "stemma-neardup", k[2], -k[3], k[4])):
    r = rows[key]
    rec = r["recall"]
    print(
        f"| {r['tool']} | {r['docs']:,} | {r['threshold']} | {r['bands']} × {r['rows']} | {r.get('threads', 1)} "
        f"| {r['seconds']:.1f} | {r['peak_mb']:.0f} | {rec['exact']:.3f} | {rec['edited']:.3f} | {rec['partial']:.3f} "
        f"| {r['precision']:.4f} |"
    )

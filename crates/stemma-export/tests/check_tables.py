"""Reads the tables written by tests/roundtrip.rs back with independent
readers (pyarrow for Parquet, the csv and json modules for CSV and JSONL)
and compares every value with the expected rows.

Usage: check_tables.py PLAN.json. The plan names the expected rows (floats
as the hex of their IEEE bits, so comparisons are bit-exact) and the files
to check, with what their Parquet metadata must say. Prints one line per
file; on the first difference prints what differs and exits 1.
"""
import csv
import io
import json
import math
import struct
import sys

import pyarrow as pa
import pyarrow.parquet as pq

ARROW_TYPES = {"int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_(), "string": pa.string()}
PHYSICAL = {"int64": "INT64", "float64": "DOUBLE", "bool": "BOOLEAN", "string": "BYTE_ARRAY"}


def fail(msg):
    print("MISMATCH: " + msg)
    sys.exit(1)


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(h):
    return struct.unpack("<d", struct.pack("<Q", int(h, 16)))[0]


def same_float(got, want):
    """Bit-exact, except that any NaN equals any NaN."""
    if not isinstance(got, float):
        return False
    if math.isnan(want):
        return math.isnan(got)
    return bits(got) == bits(want)


def same(ty, got, want):
    if want is None:
        return got is None
    if ty == "float64":
        return same_float(got, want)
    if ty == "int64":
        return type(got) is int and got == want
    if ty == "bool":
        return type(got) is bool and got == want
    return type(got) is str and got == want


def load_expected(plan):
    cols = plan["columns"]
    rows = []
    for r in plan["rows"]:
        row = []
        for c, v in zip(cols, r):
            row.append(from_bits(v) if (c["type"] == "float64" and v is not None) else v)
        rows.append(row)
    return cols, rows


def compare_rows(what, cols, got_rows, rows, ty_of=None):
    if len(got_rows) != len(rows):
        fail(f"{what}: {len(got_rows)} rows, expected {len(rows)}")
    for i, (g, w) in enumerate(zip(got_rows, rows)):
        for c, gv, wv in zip(cols, g, w):
            ty = ty_of(c) if ty_of else c["type"]
            if not same(ty, gv, wv):
                fail(f"{what}: row {i} column {c['name']!r}: got {gv!r}, expected {wv!r}")


def expected_stats(ty, values):
    """(null_count, (min, max) or None) as the writer must state them."""
    nulls = sum(v is None for v in values)
    vals = [v for v in values if v is not None]
    if ty == "float64":
        vals = [v for v in vals if not math.isnan(v)]
    if not vals:
        return nulls, None
    if ty == "string":
        enc = [v.encode("utf-8") for v in vals]
        lo, hi = min(enc), max(enc)
        if len(lo) > 64 or len(hi) > 64:
            return nulls, None
        return nulls, (lo.decode("utf-8"), hi.decode("utf-8"))
    lo, hi = min(vals), max(vals)
    if ty == "float64":
        # The spec's zero rule: a zero minimum is -0.0, a zero maximum +0.0.
        lo = -0.0 if lo == 0 else lo
        hi = 0.0 if hi == 0 else hi
    return nulls, (lo, hi)


def check_parquet(f, cols, rows):
    path = f["path"]
    pf = pq.ParquetFile(path)
    md = pf.metadata
    if not md.created_by.startswith("stemma version "):
        fail(f"{path}: created_by {md.created_by!r}")
    if md.num_rows != len(rows):
        fail(f"{path}: num_rows {md.num_rows}, expected {len(rows)}")
    n_groups = md.num_row_groups
    if "row_groups" in f and n_groups != f["row_groups"]:
        fail(f"{path}: {n_groups} row groups, expected {f['row_groups']}")
    if n_groups < f.get("min_row_groups", 0):
        fail(f"{path}: {n_groups} row groups, expected at least {f['min_row_groups']}")

    # Schema as pyarrow sees it, and the Parquet annotations behind it.
    schema = pf.schema_arrow
    if schema.names != [c["name"] for c in cols]:
        fail(f"{path}: column names {schema.names}")
    for i, c in enumerate(cols):
        field = schema.field(i)
        if field.type != ARROW_TYPES[c["type"]] or field.nullable != c["nullable"]:
            fail(f"{path}: column {c['name']!r} read as {field.type} nullable={field.nullable}")
        leaf = pf.schema.column(i)
        if leaf.physical_type != PHYSICAL[c["type"]] or leaf.max_definition_level != int(c["nullable"]):
            fail(f"{path}: column {c['name']!r} is {leaf.physical_type}, def level {leaf.max_definition_level}")
        if c["type"] == "string" and (leaf.logical_type.type != "STRING" or leaf.converted_type != "UTF8"):
            fail(f"{path}: column {c['name']!r} logical {leaf.logical_type} converted {leaf.converted_type}")

    # Every value, through the whole-file reader.
    table = pq.read_table(path)
    got = list(zip(*[table.column(i).to_pylist() for i in range(len(cols))])) if rows else []
    compare_rows(path, cols, got, rows)

    # Row group by row group: metadata, statistics, and the group's values.
    start = 0
    for g in range(n_groups):
        rg = md.row_group(g)
        part = rows[start : start + rg.num_rows]
        got = pf.read_row_group(g)
        compare_rows(f"{path} row group {g}", cols, list(zip(*[got.column(i).to_pylist() for i in range(len(cols))])), part)
        for j, c in enumerate(cols):
            cc = rg.column(j)
            if cc.compression != f["codec"]:
                fail(f"{path} rg {g} {c['name']!r}: codec {cc.compression}, expected {f['codec']}")
            if cc.num_values != rg.num_rows:
                fail(f"{path} rg {g} {c['name']!r}: num_values {cc.num_values}")
            nulls, mm = expected_stats(c["type"], [r[j] for r in part])
            st = cc.statistics
            if st is None or not st.has_null_count or st.null_count != nulls:
                fail(f"{path} rg {g} {c['name']!r}: null_count {st and st.null_count}, expected {nulls}")
            if mm is None:
                if st.has_min_max:
                    fail(f"{path} rg {g} {c['name']!r}: min/max {st.min!r}/{st.max!r}, expected none")
            else:
                if not st.has_min_max:
                    fail(f"{path} rg {g} {c['name']!r}: no min/max, expected {mm!r}")
                for label, gv, wv in (("min", st.min, mm[0]), ("max", st.max, mm[1])):
                    if not same(c["type"], gv, wv):
                        fail(f"{path} rg {g} {c['name']!r}: {label} {gv!r}, expected {wv!r}")
        start += rg.num_rows
    if start != len(rows):
        fail(f"{path}: row groups hold {start} rows, expected {len(rows)}")

    # Filters pushed down to the statistics must still find every row.
    for j, c in enumerate(cols):
        if c["type"] not in ("int64", "string") or not rows:
            continue
        present = sorted(r[j] for r in rows if r[j] is not None)
        if not present:
            continue
        pivot = present[len(present) // 2]
        want = sum(1 for r in rows if r[j] is not None and r[j] >= pivot)
        n = pq.read_table(path, filters=[(c["name"], ">=", pivot)]).num_rows
        if n != want:
            fail(f"{path}: filter {c['name']!r} >= {pivot!r} gave {n} rows, expected {want}")
    return f"{n_groups} row groups, {f['codec']}"


def check_csv(f, cols, rows):
    path = f["path"]
    with open(path, newline="", encoding="utf-8") as fh:
        raw = fh.read()
    if raw and not raw.endswith("\r\n"):
        fail(f"{path}: records must end with CRLF")
    # newline="": quoted fields hold CR and LF, which must reach the parser untouched.
    records = list(csv.reader(io.StringIO(raw, newline="")))
    if records[0] != [c["name"] for c in cols]:
        fail(f"{path}: header {records[0]!r}")
    body = records[1:]
    if len(body) != len(rows):
        fail(f"{path}: {len(body)} records, expected {len(rows)}")
    for i, (rec, want) in enumerate(zip(body, rows)):
        if len(rec) != len(cols):
            fail(f"{path}: record {i} has {len(rec)} fields")
        for c, text, wv in zip(cols, rec, want):
            ty = c["type"]
            if wv is None:
                ok = text == ""
            elif ty == "float64":
                ok = text != "" and same_float(float(text), wv)
            elif ty == "int64":
                ok = text == str(wv)
            elif ty == "bool":
                ok = text == ("true" if wv else "false")
            else:
                ok = text == wv
            if not ok:
                fail(f"{path}: record {i} column {c['name']!r}: {text!r}, expected {wv!r}")
    return f"{len(body)} records"


def check_jsonl(f, cols, rows):
    path = f["path"]
    with open(path, encoding="utf-8", newline="") as fh:
        lines = fh.read().split("\n")
    if lines[-1] != "":
        fail(f"{path}: the last line must end with a newline")
    lines = lines[:-1]
    if len(lines) != len(rows):
        fail(f"{path}: {len(lines)} lines, expected {len(rows)}")
    names = [c["name"] for c in cols]
    got = []
    for i, line in enumerate(lines):
        obj = json.loads(line)
        if list(obj.keys()) != names:
            fail(f"{path}: line {i} keys {list(obj.keys())}")
        got.append([obj[n] for n in names])
    # JSON has no NaN or infinities: the writer puts null there.
    want = [
        [None if (c["type"] == "float64" and v is not None and not math.isfinite(v)) else v for c, v in zip(cols, r)]
        for r in rows
    ]
    compare_rows(path, cols, got, want)
    return f"{len(lines)} lines"


def main():
    with open(sys.argv[1], encoding="utf-8") as fh:
        plan = json.load(fh)
    cols, rows = load_expected(plan)
    checks = {"parquet": check_parquet, "csv": check_csv, "jsonl": check_jsonl}
    for f in plan["files"]:
        f_rows = rows if f.get("rows", "all") == "all" else []
        print(f"ok {f['format']} {f['path']}: {checks[f['format']](f, cols, f_rows)}")
    print(f"pyarrow {pa.__version__}")


if __name__ == "__main__":
    main()

"""Checks quant-calibrate's error report against figures computed here.

usage: check-report.py REPORT.json REPORT.csv FLOAT_OUT.npy FQ_OUT.npy [N]

The output row's SQNR and max abs error must equal those of the two output
arrays (the float model and the fake-quant model run by quant-run); the CSV
must hold the JSON's figures; with N, the mixed-precision section must keep
the N first ops of a ranking sorted by SQNR, and none of them may appear
among the quantized values. Standard library only (runs under lit's Python).
"""

import csv
import json
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "python"))
from npyfile import read_npy  # noqa: E402


def read_npy_f32(path):
    return read_npy(path)[1]


def fail(message):
    print("check-report: " + message)
    sys.exit(1)


report = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
x = read_npy_f32(sys.argv[3])
y = read_npy_f32(sys.argv[4])

signal = sum(v * v for v in x)
noise = sum((a - b) ** 2 for a, b in zip(x, y))
sqnr = 10 * math.log10(signal / noise)
max_err = max(abs(a - b) for a, b in zip(x, y))
out = report["outputs"][0]
if abs(out["sqnr_db"] - sqnr) > 0.01:
    fail("output SQNR %.4f dB, recomputed %.4f dB" % (out["sqnr_db"], sqnr))
if abs(out["max_abs_error"] - max_err) > 1e-5:
    fail("output max abs error %g, recomputed %g" % (out["max_abs_error"], max_err))
if out["elements"] != len(x):
    fail("output elements %d, arrays hold %d" % (out["elements"], len(x)))

json_rows = report["values"] + report["outputs"]
if len(rows) != len(json_rows):
    fail("CSV has %d rows, JSON %d" % (len(rows), len(json_rows)))
for row, value in zip(rows, json_rows):
    if row["name"] != value["name"] or int(row["elements"]) != value["elements"]:
        fail("CSV row %s differs from JSON %s" % (row["name"], value["name"]))
    if abs(float(row["sqnr_db"]) - value["sqnr_db"]) > 0.01:
        fail("CSV SQNR of %s differs from JSON" % row["name"])

if len(sys.argv) > 5:
    n = int(sys.argv[5])
    mixed = report["mixed_precision"]
    ranking = mixed["ranking"]
    sqnrs = [r["output_sqnr_db"] for r in ranking]
    if sqnrs != sorted(sqnrs, reverse=True):
        fail("ranking not sorted: %s" % sqnrs)
    if mixed["keep_float"] != [r["name"] for r in ranking[:n]]:
        fail("kept %s, ranking starts %s" % (mixed["keep_float"], ranking[:n]))
    names = {v["name"] for v in report["values"]}
    if names & set(mixed["keep_float"]):
        fail("a float op is still quantized: %s" % (names & set(mixed["keep_float"])))
    if abs(mixed["output_sqnr_db"] - out["sqnr_db"]) > 1e-9:
        fail("search SQNR %g, report SQNR %g" % (mixed["output_sqnr_db"], out["sqnr_db"]))
    if n == 1 and abs(mixed["output_sqnr_db"] - sqnrs[0]) > 1e-9:
        fail("one op in float: SQNR %g, ranking says %g" % (mixed["output_sqnr_db"], sqnrs[0]))
print("check-report: ok, output SQNR %.2f dB" % sqnr)

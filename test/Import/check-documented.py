"""Checks that every op `quant-translate --list-onnx-ops` prints is named in a doc.

usage: check-documented.py OPS.txt DOC.md
Prints each op type the doc does not mention and exits 1 if there is one.
"""
import re
import sys

ops = [line.split()[0] for line in open(sys.argv[1]) if line.strip()]
doc = open(sys.argv[2]).read()
missing = [op for op in ops if not re.search(r"\b%s\b" % re.escape(op), doc)]
for op in missing:
    print("not documented: " + op)
print("%d ops, %d documented" % (len(ops), len(ops) - len(missing)))
sys.exit(1 if missing else 0)

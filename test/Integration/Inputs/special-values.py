"""Writes and inspects f32 inputs full of the values a maximum gets wrong.

usage: special-values.py write OUT.npy N H W C
       special-values.py count OUT.npy
       special-values.py same A.npy B.npy

`write` writes an N x H x W x C array mixing ordinary values with +0, -0,
NaN, +inf and -inf, some windows holding only zeros of both signs (the
pattern is fixed, so the test is reproducible). `count` prints how many of
an output's values are NaN, -0 and +0, so that a test can tell that those
cases reached the output. `same` compares two outputs bit for bit (any
NaN equal to any NaN; -0 and +0 differ). Standard library only (runs under lit's Python).
"""

import math
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "python"))
from npyfile import read_npy  # noqa: E402


def write(path, n, h, w, c):
    rng = random.Random(20261124)
    values = []
    for _ in range(n):
        for y in range(h):
            for x in range(w):
                for ch in range(c):
                    r = rng.random()
                    if (y // 3 + x // 3) % 4 == 0:
                        # Zero-only blocks: which zero a maximum returns.
                        v = rng.choice([0.0, -0.0])
                    elif r < 0.04:
                        v = float("nan")
                    elif r < 0.06:
                        v = rng.choice([float("inf"), float("-inf")])
                    elif r < 0.3:
                        v = rng.choice([0.0, -0.0])
                    else:
                        v = -abs(rng.gauss(0.0, 1.0))
                    values.append(v)
    shape = "(%d, %d, %d, %d)" % (n, h, w, c)
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode())
        f.write(struct.pack("<%df" % len(values), *values))


def count(path):
    values = read_npy(path)[1]
    nan = sum(math.isnan(v) for v in values)
    neg = sum(v == 0 and math.copysign(1.0, v) < 0 for v in values)
    pos = sum(v == 0 and math.copysign(1.0, v) > 0 for v in values)
    print("NaN %d, -0 %d, +0 %d of %d" % (nan, neg, pos, len(values)))


def same(a, b):
    xs, ys = read_npy(a)[1], read_npy(b)[1]
    equal = sum(struct.pack("<f", x) == struct.pack("<f", y) or
                (math.isnan(x) and math.isnan(y)) for x, y in zip(xs, ys))
    print("bit for bit %d/%d" % (equal, len(xs)))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], *map(int, sys.argv[3:7]))
    elif sys.argv[1] == "same":
        same(sys.argv[2], sys.argv[3])
    else:
        count(sys.argv[2])

"""Measures a float exp's accuracy.

usage: exp-accuracy.py write INPUT.npy N LO HI
       exp-accuracy.py check INPUT.npy OUT.npy REF.npy MAX_ULP

`write` writes N evenly spaced f32 values from LO to HI. `check` compares
OUT (the code under test) with REF (libm's expf through the reference
lowering), both exp of INPUT: the largest distance in units in the last
place where the result is a normal number (below that, the absolute error
must stay under the smallest normal), the largest error relative to exp in
double precision, and the fraction equal to REF; "(ok)" when the distance
is at most MAX_ULP and infinities and NaNs fall where REF's do. Standard
library only (runs under lit's Python).
"""

import math
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "python"))
from npyfile import read_npy  # noqa: E402

SMALLEST_NORMAL = 1.1754943508222875e-38


def write(path, n, lo, hi):
    values = [lo + (hi - lo) * i / (n - 1) for i in range(n)]
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d,), }" % n
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode())
        f.write(struct.pack("<%df" % n, *values))


def bits(x):
    return struct.unpack("<i", struct.pack("<f", x))[0]


def check(inputs, out, ref, max_ulp):
    xs = read_npy(inputs)[1]
    ys = read_npy(out)[1]
    rs = read_npy(ref)[1]
    worst_ulp, worst_rel, equal, ok = 0, 0.0, 0, True
    for x, y, r in zip(xs, ys, rs):
        equal += y == r or (math.isnan(y) and math.isnan(r))
        if math.isinf(r) or math.isnan(r) or math.isinf(y) or math.isnan(y):
            ok = ok and (y == r or (math.isnan(y) and math.isnan(r)))
            continue
        if r < SMALLEST_NORMAL:
            ok = ok and abs(y - r) < SMALLEST_NORMAL
            continue
        worst_ulp = max(worst_ulp, abs(bits(y) - bits(r)))
        worst_rel = max(worst_rel, abs(y - math.exp(x)) / math.exp(x))
    ok = ok and worst_ulp <= max_ulp
    print("exp: %d values, max %d ulp from libm, max relative error %.2e, "
          "equal to libm %d/%d %s" % (len(xs), worst_ulp, worst_rel, equal,
                                      len(xs), "(ok)" if ok else "(FAILED)"))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]),
              float(sys.argv[5]))
    else:
        check(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))

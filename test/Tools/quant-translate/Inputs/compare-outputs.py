"""Compares two printouts of cross-harness.c (lines "item index bits value").

  compare-outputs.py host.txt other.txt exact   every bit pattern equal
  compare-outputs.py host.txt other.txt RTOL    |a - b| <= RTOL * max(1, |a|)

Prints the counts and the largest difference; exits 1 on a mismatch."""
import sys


def read(path):
    rows = []
    with open(path) as f:
        for line in f:
            item, index, bits, value = line.split()
            rows.append((int(item), int(index), bits, float(value)))
    return rows


host, other, mode = read(sys.argv[1]), read(sys.argv[2]), sys.argv[3]
if len(host) != len(other) or not host:
    print(f"different lengths: {len(host)} and {len(other)}")
    sys.exit(1)
bad, worst = 0, 0.0
for (i, k, hb, hv), (j, l, ob, ov) in zip(host, other):
    if (i, k) != (j, l):
        print(f"misaligned at {i} {k}")
        sys.exit(1)
    diff = abs(hv - ov)
    worst = max(worst, diff)
    if mode == "exact":
        bad += hb != ob
    else:
        bad += diff > float(mode) * max(1.0, abs(hv))
print(f"{len(host) - bad} of {len(host)} {'bit-equal' if mode == 'exact' else 'within'}; "
      f"max abs difference {worst:.3g}")
sys.exit(1 if bad else 0)

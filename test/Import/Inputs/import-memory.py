"""Measures quant-translate's peak memory on the import of large weights.

usage: import-memory.py QUANT_TRANSLATE WORKDIR MB
       import-memory.py shared WORKDIR

Writes two ONNX models by hand (protobuf encoding, standard library only:
lit's Python has no onnx): x[1,K] -> Gemm(transB=1, W1[N,K]) -> Gemm(W2[N,N])
with two weights of MB megabytes each, and the same graph with 4 KB weights.
Imports both to bytecode and prints the peak resident memory of the large
import beyond the small one's (the tool's own baseline), as a multiple of
the weights' size: the model's bytes, a transposed copy of W1 and the
module's copies must not all be held at once; "(ok)" when under 2.

`shared` writes shared.onnx, where both Gemms read one weight (through an
Identity for the second), and copies.onnx, the same with two equal
weights: a weight freed after its first reader would break the first.
"""

import os
import resource
import struct
import subprocess
import sys


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, wire, payload):
    key = varint((number << 3) | wire)
    if wire == 0:
        return key + varint(payload)
    return key + varint(len(payload)) + payload


def string(number, s):
    return field(number, 2, s.encode() if isinstance(s, str) else s)


def value_info(name, dims):
    shape = b"".join(field(1, 2, field(1, 0, d)) for d in dims)
    tensor_type = field(1, 0, 1) + field(2, 2, shape)  # elem_type FLOAT
    return string(1, name) + field(2, 2, field(1, 2, tensor_type))


def initializer(name, dims, seed):
    count = 1
    for d in dims:
        count *= d
    # Distinct values, so that no constant folds to a splat.
    data = struct.pack("<%df" % count, *((seed + i) % 251 / 251.0 for i in range(count)))
    return (b"".join(field(1, 0, d) for d in dims) + field(2, 0, 1) +
            string(8, name) + string(9, data))


def gemm(name, a, b, out, trans_b):
    node = string(1, a) + string(1, b) + string(2, out) + string(3, name) + string(4, "Gemm")
    if trans_b:
        node += field(5, 2, string(1, "transB") + field(3, 0, 1) + field(20, 0, 2))
    return node


def model(path, n, shared=None):
    k = n
    second = "w2"
    nodes = b""
    if shared is not None:
        second = "w1_alias" if shared else "w2"
        if shared:
            nodes = field(1, 2, string(1, "w1") + string(2, "w1_alias") +
                          string(3, "alias") + string(4, "Identity"))
    graph = (nodes + field(1, 2, gemm("fc1", "x", "w1", "h", True)) +
             field(1, 2, gemm("fc2", "h", second, "y", shared is not None)) +
             string(2, "g") +
             field(5, 2, initializer("w1", [n, k], 1)) +
             field(5, 2, initializer("w2", [n, n], 1 if shared is not None else 2)) +
             field(11, 2, value_info("x", [1, k])) +
             field(12, 2, value_info("y", [1, n])))
    opset = string(1, "") + field(2, 0, 13)
    with open(path, "wb") as f:
        f.write(field(1, 0, 8) + field(8, 2, opset) + field(7, 2, graph))


def peak_kb(tool, src, dst):
    # ru_maxrss of the children waited for so far: the largest of them, so
    # each import runs in its own child process that reports back.
    code = ("import resource, subprocess, sys\n"
            "subprocess.run(sys.argv[1:], check=True)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", code, tool, "--import-onnx", src,
                          "--emit-bytecode", "-o", dst],
                         check=True, capture_output=True, text=True).stdout
    return int(out.split()[-1])


def main():
    if sys.argv[1] == "shared":
        model(os.path.join(sys.argv[2], "shared.onnx"), 24, shared=True)
        model(os.path.join(sys.argv[2], "copies.onnx"), 24, shared=False)
        return
    tool, work, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
    n = int((mb * 1024 * 1024 / 4) ** 0.5)
    big, small = os.path.join(work, "big.onnx"), os.path.join(work, "small.onnx")
    model(big, n)
    model(small, 32)
    weights = 2 * n * n * 4
    base = peak_kb(tool, small, os.path.join(work, "small.mlirbc"))
    peak = peak_kb(tool, big, os.path.join(work, "big.mlirbc"))
    ratio = (peak - base) * 1024 / weights
    print("import: weights %.0f MB, peak %.0f MB above the tool's own %.0f MB: "
          "%.2f x the weights %s" % (weights / 2**20, (peak - base) / 1024, base / 1024,
                                     ratio, "(ok)" if ratio < 2 else "(FAILED)"))


if __name__ == "__main__":
    main()

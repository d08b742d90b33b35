"""Seeds the fuzzers' corpora from the test suite's own inputs (nothing is
committed twice): make-corpus.py SRC OUT writes OUT/npy (the .npy inputs of
the tests), OUT/onnx (the small ONNX models), OUT/mlir (every lit test file
split at '// -----'), OUT/fixed-point (13-byte scale/value records), and
copies test/Fuzz/regressions/<target>/ (inputs that crashed once) into the
matching corpus."""
import glob
import os
import shutil
import struct
import sys

src, out = sys.argv[1], sys.argv[2]
for name in ("npy", "onnx", "mlir", "fixed-point"):
    os.makedirs(os.path.join(out, name), exist_ok=True)


def copy(pattern, target, limit):
    for path in sorted(glob.glob(os.path.join(src, pattern), recursive=True)):
        if os.path.getsize(path) <= limit:
            shutil.copy(path, os.path.join(out, target, os.path.basename(path)))


copy("test/**/*.npy", "npy", 1 << 16)
copy("test/Import/Inputs/*.onnx", "onnx", 1 << 15)
for path in sorted(glob.glob(os.path.join(src, "test/**/*.mlir"), recursive=True)):
    chunks = open(path).read().split("// -----")
    for k, chunk in enumerate(chunks):
        if len(chunk) <= 1 << 14:
            base = os.path.basename(path)
            with open(os.path.join(out, "mlir", f"{base}-{k}"), "w") as f:
                f.write(chunk)
for k, (scale, value) in enumerate([(0.5, 7), (1e-3, -1000), (3.0e-12, 2**31 - 1),
                                    (1.9999999, -(2**31)), (2.0**-35, 12345)]):
    with open(os.path.join(out, "fixed-point", f"seed{k}"), "wb") as f:
        f.write(struct.pack("<di", scale, value) + bytes([0]))
mapping = {"onnx-import": "onnx", "fixed-point": "fixed-point",
           "npy": "npy", "mlir-pipelines": "mlir"}
for target, corpus in mapping.items():
    for path in glob.glob(os.path.join(src, "test/Fuzz/regressions", target, "*")):
        shutil.copy(path, os.path.join(out, corpus, "regression-" + os.path.basename(path)))

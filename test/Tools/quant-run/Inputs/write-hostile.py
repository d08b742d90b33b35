"""Writes hostile inputs for quant-run into the directory argv[1]: a .npy
header whose shape product wraps around 2^64 to zero (a zero-byte payload
then "matched"), and an IDX header announcing 2^96 bytes."""
import os
import struct
import sys

out = sys.argv[1]
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"
header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
with open(os.path.join(out, "wrap.npy"), "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
with open(os.path.join(out, "huge.idx"), "wb") as f:
    f.write(bytes([0, 0, 8, 3]) + struct.pack(">III", 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF))

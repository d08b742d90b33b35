"""Reads .npy files with the standard library only (lit's Python has no
NumPy): little-endian f4, i4 and i8 arrays in C order."""

import ast
import struct


def read_npy(path):
    """Returns (shape, flat list of values)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY":
        raise ValueError(path + " is not a .npy file")
    header_len = struct.unpack("<H", data[8:10])[0]
    header = ast.literal_eval(data[10:10 + header_len].decode("latin1"))
    shape = header["shape"]
    count = 1
    for d in shape:
        count *= d
    fmt = {"<f4": "f", "<i4": "i", "<i8": "q"}[header["descr"]]
    size = struct.calcsize(fmt)
    body = data[10 + header_len:10 + header_len + size * count]
    return shape, list(struct.unpack("<%d%s" % (count, fmt), body))

//===- Npy.cpp - NumPy .npy arrays ----------------------------------------===//
//
// Part of quant-opt. Format: "\x93NUMPY", major, minor, header length (2
// bytes in v1, 4 in v2/v3, little-endian), then a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded so the
// data starts at a multiple of 64 bytes.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Runtime/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir::quantsim;
using llvm::StringRef;

namespace {
struct DTypeInfo {
  DType dtype;
  const char *descr;
  const char *name;
  size_t size;
};
constexpr DTypeInfo kDTypes[] = {
    {DType::F32, "<f4", "f32", 4}, {DType::F64, "<f8", "f64", 8},
    {DType::I8, "|i1", "i8", 1},   {DType::U8, "|u1", "u8", 1},
    {DType::I32, "<i4", "i32", 4}, {DType::I64, "<i8", "i64", 8},
};
const DTypeInfo &info(DType dtype) {
  for (const DTypeInfo &i : kDTypes)
    if (i.dtype == dtype)
      return i;
  llvm_unreachable("unknown dtype");
}

llvm::Error error(StringRef name, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "'" + name + "': " + message);
}

/// The text after `'key':` in a header dict, trimmed.
std::optional<StringRef> field(StringRef header, StringRef key) {
  size_t pos = header.find(("'" + key + "'").str());
  if (pos == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(pos + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  return rest.ltrim();
}
} // namespace

StringRef mlir::quantsim::npyDescr(DType dtype) { return info(dtype).descr; }
StringRef mlir::quantsim::dtypeName(DType dtype) { return info(dtype).name; }
size_t mlir::quantsim::dtypeSize(DType dtype) { return info(dtype).size; }

NpyArray::NpyArray(DType dtype, llvm::ArrayRef<int64_t> shape)
    : dtype(dtype), shape(shape.begin(), shape.end()) {
  data.resize(numElements() * dtypeSize(dtype));
}

int64_t NpyArray::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

llvm::Expected<uint64_t>
mlir::quantsim::checkedByteSize(DType dtype, llvm::ArrayRef<int64_t> shape,
                                const llvm::Twine &what) {
  uint64_t bytes = dtypeSize(dtype);
  for (int64_t d : shape) {
    if (d < 0)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          what + ": negative dimension in " + describe(dtype, shape));
    if (d != 0 && bytes > kMaxArrayBytes / static_cast<uint64_t>(d))
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          what + ": " + describe(dtype, shape) + " is larger than " +
              llvm::Twine(kMaxArrayBytes >> 30) + " GiB");
    bytes *= static_cast<uint64_t>(d);
  }
  if (bytes > kMaxArrayBytes)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   what + ": " + describe(dtype, shape) +
                                       " is larger than " +
                                       llvm::Twine(kMaxArrayBytes >> 30) +
                                       " GiB");
  return bytes;
}

double NpyArray::at(int64_t i) const {
  switch (dtype) {
  case DType::F32:
    return as<float>()[i];
  case DType::F64:
    return as<double>()[i];
  case DType::I8:
    return as<int8_t>()[i];
  case DType::U8:
    return as<uint8_t>()[i];
  case DType::I32:
    return as<int32_t>()[i];
  case DType::I64:
    return static_cast<double>(as<int64_t>()[i]);
  }
  llvm_unreachable("unknown dtype");
}

std::string mlir::quantsim::describe(DType dtype,
                                     llvm::ArrayRef<int64_t> shape) {
  std::string s;
  for (int64_t d : shape)
    s += (d < 0 ? std::string("?") : std::to_string(d)) + "x";
  return s + dtypeName(dtype).str();
}

llvm::Expected<NpyArray> mlir::quantsim::parseNpy(StringRef bytes,
                                                  StringRef name) {
  if (!bytes.starts_with("\x93NUMPY"))
    return error(name, "not a .npy file (bad magic)");
  if (bytes.size() < 10)
    return error(name, "truncated header");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) |
                static_cast<unsigned char>(bytes[9]) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return error(name, "truncated header");
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = headerLen << 8 | static_cast<unsigned char>(bytes[8 + i]);
    headerStart = 12;
  } else {
    return error(name, "unsupported .npy version " + llvm::Twine(major));
  }
  if (bytes.size() < headerStart + headerLen)
    return error(name, "truncated header");
  StringRef header = bytes.substr(headerStart, headerLen);

  std::optional<StringRef> descr = field(header, "descr");
  if (!descr || descr->size() < 2 || !descr->starts_with("'"))
    return error(name, "header has no 'descr'");
  StringRef d = descr->drop_front().take_until([](char c) { return c == '\''; });
  NpyArray array;
  bool known = false;
  for (const DTypeInfo &i : kDTypes) {
    StringRef want = i.descr;
    // '<i1' / '|u1' and '=f4' style spellings of the same type.
    if (d == want || (d.size() == 3 && want.drop_front() == d.drop_front() &&
                      (d[0] == '<' || d[0] == '|' || d[0] == '='))) {
      array.dtype = i.dtype;
      known = true;
    }
  }
  if (!known)
    return error(name, "unsupported dtype '" + d +
                           "' (supported: f32, f64, i8, u8, i32, i64, "
                           "little-endian)");

  std::optional<StringRef> fortran = field(header, "fortran_order");
  if (!fortran)
    return error(name, "header has no 'fortran_order'");
  if (fortran->starts_with("True"))
    return error(name, "Fortran-order arrays are not supported");

  std::optional<StringRef> shapeText = field(header, "shape");
  if (!shapeText || !shapeText->starts_with("("))
    return error(name, "header has no 'shape'");
  StringRef dims = shapeText->drop_front().take_until(
      [](char c) { return c == ')'; });
  llvm::SmallVector<StringRef> parts;
  dims.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return error(name, "bad dimension '" + part + "' in shape");
    array.shape.push_back(dim);
  }

  size_t dataStart = headerStart + headerLen;
  auto checked = checkedByteSize(array.dtype, array.shape, "'" + name + "'");
  if (!checked)
    return checked.takeError();
  size_t expected = static_cast<size_t>(*checked);
  if (bytes.size() - dataStart != expected)
    return error(name, llvm::formatv("holds {0} data bytes but {1} needs {2}",
                                     bytes.size() - dataStart,
                                     describe(array.dtype, array.shape),
                                     expected));
  array.data.assign(bytes.begin() + dataStart, bytes.end());
  return array;
}

llvm::Expected<NpyArray> mlir::quantsim::readNpy(StringRef path) {
  // A device or a pipe (/dev/zero) would be read without end.
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status))
    return error(path, "cannot open: " + ec.message());
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return error(path, "not a regular file");
  if (status.getSize() > kMaxArrayBytes + (1 << 20))
    return error(path, llvm::formatv("is {0} bytes, larger than an array "
                                     "quant-run reads ({1} GiB)",
                                     status.getSize(), kMaxArrayBytes >> 30));
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return error(path, "cannot open: " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
}

llvm::Error mlir::quantsim::writeNpy(StringRef path, const NpyArray &array) {
  std::string dict = "{'descr': '" + npyDescr(array.dtype).str() +
                     "', 'fortran_order': False, 'shape': (";
  for (int64_t d : array.shape)
    dict += std::to_string(d) + ", ";
  if (array.shape.size() > 1)
    dict.erase(dict.size() - 2); // "(2, 3)" but "(4,)"
  else if (array.shape.size() == 1)
    dict.erase(dict.size() - 1);
  dict += "), }";
  size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict += '\n';

  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return error(path, "cannot write: " + ec.message());
  out << "\x93NUMPY" << '\x01' << '\x00';
  out << static_cast<char>(dict.size() & 0xff)
      << static_cast<char>(dict.size() >> 8);
  out << dict;
  out.write(array.data.data(), array.data.size());
  out.close();
  if (out.has_error()) {
    std::error_code ec = out.error();
    out.clear_error(); // or the stream's destructor aborts
    return error(path, "write failed: " + ec.message());
  }
  return llvm::Error::success();
}

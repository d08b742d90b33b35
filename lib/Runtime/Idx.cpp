//===- Idx.cpp - IDX datasets ---------------------------------------------===//
//
// Part of quant-opt. Format: two zero bytes, a type code (0x08: unsigned
// byte), the number of dimensions, each dimension as a big-endian 32-bit
// integer, then the data. zlib's gz reader accepts plain files too.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Runtime/Idx.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FormatVariadic.h"

#include <zlib.h>

using namespace mlir::quantsim;

static llvm::Error error(llvm::StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "'" + path + "': " + message);
}

llvm::Expected<NpyArray> mlir::quantsim::readIdx(llvm::StringRef path) {
  gzFile file = gzopen(path.str().c_str(), "rb");
  if (!file)
    return error(path, "cannot open");
  llvm::scope_exit closer([&] { gzclose(file); });
  auto readAll = [&](void *buffer, size_t bytes) {
    char *out = static_cast<char *>(buffer);
    while (bytes > 0) {
      unsigned chunk = static_cast<unsigned>(std::min<size_t>(bytes, 1 << 30));
      int got = gzread(file, out, chunk);
      if (got <= 0)
        return false;
      out += got;
      bytes -= static_cast<size_t>(got);
    }
    return true;
  };

  unsigned char magic[4];
  if (!readAll(magic, 4))
    return error(path, "truncated IDX header");
  if (magic[0] != 0 || magic[1] != 0)
    return error(path, "not an IDX file (bad magic)");
  if (magic[2] != 0x08)
    return error(path, llvm::formatv("IDX type code {0:x2} is not supported "
                                     "(only unsigned bytes, 0x08)",
                                     magic[2]));
  unsigned rank = magic[3];
  if (rank == 0 || rank > 4)
    return error(path, "IDX rank " + llvm::Twine(rank) + " is not supported");
  NpyArray array;
  array.dtype = DType::U8;
  for (unsigned d = 0; d < rank; ++d) {
    unsigned char be[4];
    if (!readAll(be, 4))
      return error(path, "truncated IDX header");
    array.shape.push_back(static_cast<int64_t>(be[0]) << 24 | be[1] << 16 |
                          be[2] << 8 | be[3]);
  }
  auto bytes = checkedByteSize(array.dtype, array.shape,
                               "'" + path + "': the header announces");
  if (!bytes)
    return bytes.takeError();
  array.data.resize(static_cast<size_t>(*bytes));
  if (!readAll(array.data.data(), array.data.size()))
    return error(path, "truncated: the header announces " +
                           describe(array.dtype, array.shape));
  return array;
}

llvm::Expected<NpyArray>
mlir::quantsim::readIdxImages(llvm::StringRef path, double scale,
                              int64_t offset, int64_t count,
                              llvm::ArrayRef<int64_t> itemShape) {
  auto images = readIdx(path);
  if (!images)
    return images.takeError();
  int64_t n = images->shape.empty() ? 0 : images->shape[0];
  if (count < -1)
    return error(path, "--count " + llvm::Twine(count) + " is negative");
  if (count == -1) // all after the offset
    count = n - offset;
  if (offset < 0 || offset > n || count <= 0 || count > n - offset)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("'{0}' has {1} images; --offset {2} --count {3} is out of "
                      "range",
                      path, n, offset, count));
  if (images->dtype != DType::U8)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'" + path + "' does not hold u8 images");
  int64_t perImage = images->numElements() / std::max<int64_t>(n, 1);
  int64_t perItem = 1;
  for (int64_t d : itemShape)
    perItem *= d;
  if (perItem != perImage)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("'{0}' has {1} values per image; the model expects {2} "
                      "per item",
                      path, perImage, perItem));
  llvm::SmallVector<int64_t> shape{count};
  shape.append(itemShape.begin(), itemShape.end());
  NpyArray array(DType::F32, shape);
  const uint8_t *bytes = images->as<uint8_t>() + offset * perImage;
  for (int64_t i = 0; i < count * perImage; ++i)
    array.as<float>()[i] = static_cast<float>(bytes[i] * scale);
  return array;
}

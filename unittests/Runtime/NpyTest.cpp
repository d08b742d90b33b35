//===- NpyTest.cpp - .npy reading and writing -----------------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Runtime/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace mlir::quantsim;

namespace {

std::string tempPath(const char *name) {
  llvm::SmallString<128> path;
  llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, path);
  llvm::sys::path::append(path, std::string("quant-opt-npytest-") + name);
  return std::string(path);
}

TEST(Npy, RoundTripsEveryDType) {
  for (DType dtype : {DType::F32, DType::F64, DType::I8, DType::U8, DType::I32,
                      DType::I64}) {
    NpyArray a(dtype, {2, 3});
    for (size_t i = 0; i < a.data.size(); ++i)
      a.data[i] = static_cast<char>(i * 7 + 1);
    std::string path = tempPath("roundtrip.npy");
    ASSERT_FALSE(static_cast<bool>(writeNpy(path, a)));
    auto b = readNpy(path);
    ASSERT_TRUE(static_cast<bool>(b)) << llvm::toString(b.takeError());
    EXPECT_EQ(b->dtype, dtype);
    EXPECT_EQ(b->shape, a.shape);
    EXPECT_EQ(b->data, a.data);
    llvm::sys::fs::remove(path);
  }
}

TEST(Npy, ShapesOfRankZeroAndOne) {
  for (llvm::SmallVector<int64_t> shape :
       {llvm::SmallVector<int64_t>{}, llvm::SmallVector<int64_t>{5}}) {
    NpyArray a(DType::F32, shape);
    std::string path = tempPath("rank.npy");
    ASSERT_FALSE(static_cast<bool>(writeNpy(path, a)));
    auto b = readNpy(path);
    ASSERT_TRUE(static_cast<bool>(b)) << llvm::toString(b.takeError());
    EXPECT_EQ(b->shape, shape);
    llvm::sys::fs::remove(path);
  }
}

TEST(Npy, HeaderIsAlignedTo64Bytes) {
  NpyArray a(DType::I8, {3});
  std::string path = tempPath("align.npy");
  ASSERT_FALSE(static_cast<bool>(writeNpy(path, a)));
  uint64_t size = 0;
  ASSERT_FALSE(llvm::sys::fs::file_size(path, size));
  EXPECT_EQ((size - 3) % 64, 0u);
  llvm::sys::fs::remove(path);
}

TEST(Npy, RejectsMalformedInput) {
  auto expectError = [](llvm::StringRef bytes, llvm::StringRef message) {
    auto a = parseNpy(bytes, "t.npy");
    ASSERT_FALSE(static_cast<bool>(a));
    std::string got = llvm::toString(a.takeError());
    EXPECT_NE(got.find(message), std::string::npos) << got;
  };
  expectError("", "bad magic");
  expectError("\x93NUMPY", "truncated header");
  expectError(llvm::StringRef("\x93NUMPY\x01\x00\xff\x00{", 11),
              "truncated header");
  expectError(llvm::StringRef("\x93NUMPY\x09\x00\x00\x00", 10),
              "unsupported .npy version 9");
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': "
                       "(2, -3), }";
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8) +
                      static_cast<char>(header.size()) + '\0' + header;
  expectError(bytes, "bad dimension '-3'");
}

} // namespace

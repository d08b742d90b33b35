//===- QuantParamsTest.cpp - reading quant types --------------------------===//
//
// Part of quant-opt. Types built in C++ skip the parser's checks; the
// verifier must still catch them.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/QuantParams.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

#include <limits>

using namespace mlir;
using namespace mlir::quantsim;

namespace {

class QuantParamsTest : public ::testing::Test {
protected:
  QuantParamsTest() {
    context.loadDialect<quant::QuantDialect>();
    context.getDiagEngine().registerHandler([this](Diagnostic &diag) {
      lastError = diag.str();
      return success();
    });
  }

  FailureOr<QuantParams> read(Type qtype, ArrayRef<int64_t> shape) {
    lastError.clear();
    auto tensor = RankedTensorType::get(shape, Float32Type::get(&context));
    return getQuantParams(qtype, tensor, [&] {
      return emitError(UnknownLoc::get(&context));
    });
  }

  Type i8() { return IntegerType::get(&context, 8); }
  Type f32() { return Float32Type::get(&context); }

  MLIRContext context;
  std::string lastError;
};

TEST_F(QuantParamsTest, PerTensorSigned) {
  auto type = quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, i8(), f32(), 0.5, -3, -128, 127);
  FailureOr<QuantParams> params = read(type, {4});
  ASSERT_TRUE(succeeded(params));
  EXPECT_FALSE(params->isPerAxis());
  EXPECT_EQ(params->scales[0], 0.5);
  EXPECT_EQ(params->zeroPoints[0], -3);
  EXPECT_EQ(params->qmin, -128);
  EXPECT_EQ(params->qmax, 127);
  EXPECT_EQ(params->storageWidth, 8u);
}

TEST_F(QuantParamsTest, PerAxis) {
  auto type = quant::UniformQuantizedPerAxisType::get(
      quant::QuantizationFlags::Signed, i8(), f32(), {0.1, 0.2, 0.3},
      {0, 0, 0}, /*quantizedDimension=*/1, -127, 127);
  FailureOr<QuantParams> params = read(type, {2, 3});
  ASSERT_TRUE(succeeded(params));
  EXPECT_EQ(params->axis, 1);
  EXPECT_EQ(params->numChannels(), 3u);
  EXPECT_EQ(params->qmin, -127);

  EXPECT_TRUE(failed(read(type, {3, 2})));
  EXPECT_EQ(lastError,
            "tensor has 2 elements along axis 1 but the quantization type "
            "has 3 scales");
  EXPECT_TRUE(failed(read(type, {3})));
  EXPECT_EQ(lastError, "quantized axis 1 is out of range for a tensor of rank 1");
  EXPECT_TRUE(failed(read(type, {3, ShapedType::kDynamic})));
  EXPECT_EQ(lastError,
            "per-axis quantization needs a static size along axis 1");
}

TEST_F(QuantParamsTest, RejectsScalesTheParserWouldRefuse) {
  // UniformQuantizedType::get does not verify; these come from C++ callers.
  for (double scale : {0.0, -1.0, std::numeric_limits<double>::infinity(),
                       std::numeric_limits<double>::quiet_NaN(), 1e300}) {
    auto type = quant::UniformQuantizedType::get(
        quant::QuantizationFlags::Signed, i8(), f32(), scale, 0, -128, 127);
    EXPECT_TRUE(failed(read(type, {4}))) << scale;
    EXPECT_NE(lastError.find("must be positive and finite in f32"),
              std::string::npos)
        << lastError;
  }
}

TEST_F(QuantParamsTest, RejectsZeroPointOutsideStorage) {
  auto type = quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, i8(), f32(), 0.5, 300, -128, 127);
  EXPECT_TRUE(failed(read(type, {4})));
  EXPECT_EQ(lastError,
            "zero point 300 is outside the storage range [-128, 127]");
}

TEST_F(QuantParamsTest, RejectsWideStorage) {
  auto type = quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, IntegerType::get(&context, 32), f32(),
      0.5, 0, std::numeric_limits<int32_t>::min(),
      std::numeric_limits<int32_t>::max());
  EXPECT_TRUE(failed(read(type, {4})));
  EXPECT_EQ(lastError, "storage type of 32 bits is not supported; fake "
                       "quantization needs 2 to 16 bits");
}

TEST_F(QuantParamsTest, RejectsElementTypeMismatch) {
  auto type = quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, i8(), f32(), 0.5, 0, -128, 127);
  auto f16Tensor = RankedTensorType::get({4}, Float16Type::get(&context));
  EXPECT_TRUE(failed(getQuantParams(
      type, f16Tensor, [&] { return emitError(UnknownLoc::get(&context)); })));
  EXPECT_EQ(lastError,
            "expressed type 'f32' does not match element type 'f16'");
}

TEST_F(QuantParamsTest, RejectsNonQuantType) {
  EXPECT_TRUE(failed(read(f32(), {4})));
  EXPECT_EQ(lastError, "expected a !quant.uniform type, got 'f32'");
}

} // namespace

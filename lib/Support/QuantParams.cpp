//===- QuantParams.cpp - quantization parameters of a quant type ----------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Support/QuantParams.h"
#include "quant-opt/Support/Calibration.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <cmath>

using namespace mlir;
using namespace mlir::quantsim;

/// Reports a bad scale or zero point; names the channel when per-axis.
static InFlightDiagnostic
channelError(function_ref<InFlightDiagnostic()> emitError, bool perAxis,
             size_t channel) {
  InFlightDiagnostic diag = emitError();
  if (perAxis)
    diag << "channel " << channel << ": ";
  return diag;
}

FailureOr<QuantParams>
mlir::quantsim::getQuantParams(Type qtype, RankedTensorType tensorType,
                               function_ref<InFlightDiagnostic()> emitError) {
  auto quantType = dyn_cast_or_null<quant::QuantizedType>(qtype);
  if (!quantType)
    return emitError() << "expected a !quant.uniform type, got " << qtype;

  QuantParams params;
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(quantType)) {
    params.scales.push_back(uniform.getScale());
    params.zeroPoints.push_back(uniform.getZeroPoint());
  } else if (auto perAxis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(quantType)) {
    llvm::append_range(params.scales, perAxis.getScales());
    llvm::append_range(params.zeroPoints, perAxis.getZeroPoints());
    params.axis = perAxis.getQuantizedDimension();
  } else {
    return emitError() << "unsupported quantization type " << qtype
                       << "; expected a per-tensor or per-axis !quant.uniform";
  }

  params.storageWidth = quantType.getStorageTypeIntegralWidth();
  if (params.storageWidth < kMinStorageWidth ||
      params.storageWidth > kMaxStorageWidth)
    return emitError() << "storage type of " << params.storageWidth
                       << " bits is not supported; fake quantization needs "
                       << kMinStorageWidth << " to " << kMaxStorageWidth
                       << " bits";
  params.isSigned = quantType.isSigned();
  params.qmin = quantType.getStorageTypeMin();
  params.qmax = quantType.getStorageTypeMax();
  if (params.qmin >= params.qmax)
    return emitError() << "empty storage range [" << params.qmin << ", "
                       << params.qmax << "]";

  Type expressed = quantType.getExpressedType();
  if (!expressed.isF32())
    return emitError() << "expressed type " << expressed
                       << " is not supported; expected f32";
  if (tensorType && tensorType.getElementType() != expressed)
    return emitError() << "expressed type " << expressed
                       << " does not match element type "
                       << tensorType.getElementType();

  if (params.scales.empty() ||
      params.scales.size() != params.zeroPoints.size())
    return emitError() << "quantization type has " << params.scales.size()
                       << " scales and " << params.zeroPoints.size()
                       << " zero points";

  bool perAxis = params.isPerAxis();
  for (size_t i = 0, e = params.scales.size(); i < e; ++i) {
    double scale = params.scales[i];
    float scaleF32 = static_cast<float>(scale);
    if (!(scale > 0.0) || !std::isfinite(scale) || !(scaleF32 > 0.0f) ||
        !std::isfinite(scaleF32))
      return channelError(emitError, perAxis, i)
             << "scale " << scale << " must be positive and finite in f32";
    int64_t zp = params.zeroPoints[i];
    if (zp < params.qmin || zp > params.qmax)
      return channelError(emitError, perAxis, i)
             << "zero point " << zp << " is outside the storage range ["
             << params.qmin << ", " << params.qmax << "]";
  }

  if (perAxis && tensorType) {
    int64_t axis = *params.axis;
    int64_t rank = tensorType.getRank();
    if (axis < 0 || axis >= rank)
      return emitError() << "quantized axis " << axis
                         << " is out of range for a tensor of rank " << rank;
    int64_t dim = tensorType.getDimSize(axis);
    if (ShapedType::isDynamic(dim))
      return emitError() << "per-axis quantization needs a static size along "
                            "axis "
                         << axis;
    if (dim != static_cast<int64_t>(params.scales.size()))
      return emitError() << "tensor has " << dim << " elements along axis "
                         << axis << " but the quantization type has "
                         << params.scales.size() << " scales";
  }
  return params;
}

Type mlir::quantsim::buildQuantType(MLIRContext *context,
                                    const QuantScheme &scheme,
                                    ArrayRef<ScaleZeroPoint> params,
                                    std::optional<int32_t> axis) {
  auto storage = IntegerType::get(context, scheme.bits);
  auto f32 = Float32Type::get(context);
  unsigned flags = scheme.isSigned ? quant::QuantizationFlags::Signed : 0;
  auto scaleOf = [](double s) {
    return static_cast<double>(static_cast<float>(std::max(s, 0x1p-100)));
  };
  if (!axis)
    return quant::UniformQuantizedType::get(
        flags, storage, f32, scaleOf(params[0].scale), params[0].zeroPoint,
        scheme.qmin(), scheme.qmax());
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  for (const ScaleZeroPoint &p : params) {
    scales.push_back(scaleOf(p.scale));
    zeroPoints.push_back(p.zeroPoint);
  }
  return quant::UniformQuantizedPerAxisType::get(
      flags, storage, f32, scales, zeroPoints, *axis, scheme.qmin(),
      scheme.qmax());
}

QuantScheme mlir::quantsim::schemeOf(const QuantParams &params) {
  QuantScheme scheme;
  scheme.bits = params.storageWidth;
  scheme.isSigned = params.isSigned;
  scheme.narrowRange = params.isSigned && params.qmin != scheme.qmin();
  int64_t middle = params.isSigned ? 0 : (scheme.qmin() + scheme.qmax() + 1) / 2;
  scheme.symmetric = llvm::all_of(params.zeroPoints,
                                  [&](int64_t zp) { return zp == middle; });
  return scheme;
}

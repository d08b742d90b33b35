//===- Constants.h - compile-time rearrangement of constants ----*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_SUPPORT_CONSTANTS_H
#define QUANTOPT_SUPPORT_CONSTANTS_H

#include "mlir/IR/BuiltinAttributes.h"

#include <vector>

namespace mlir {
namespace quantsim {

/// `value` with its dimensions permuted: result dimension i is source
/// dimension perm[i] (tosa.transpose's convention). Any element type.
DenseElementsAttr permuteConstant(DenseElementsAttr value,
                                  ArrayRef<int64_t> perm);

/// The packed little-endian elements `raw` of `type` (whole-byte elements)
/// permuted as above, packed the same way.
std::vector<char> permuteBytes(RankedTensorType type, ArrayRef<char> raw,
                               ArrayRef<int64_t> perm);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_SUPPORT_CONSTANTS_H

//===- Constants.h - compile-time rearrangement of constants ----*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_SUPPORT_CONSTANTS_H
#define QUANTOPT_SUPPORT_CONSTANTS_H

#include "mlir/IR/BuiltinAttributes.h"

namespace mlir {
namespace quantsim {

/// `value` with its dimensions permuted: result dimension i is source
/// dimension perm[i] (tosa.transpose's convention). Any element type.
DenseElementsAttr permuteConstant(DenseElementsAttr value,
                                  ArrayRef<int64_t> perm);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_SUPPORT_CONSTANTS_H

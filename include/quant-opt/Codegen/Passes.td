//===- Passes.td - quant-opt code generation passes --------*- tablegen -*-===//
//
// Part of quant-opt. Passes of the lowering to native code.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_CODEGEN_PASSES_TD
#define QUANTOPT_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def QuantSimLowerStridedCopiesPass
    : Pass<"quantsim-lower-strided-copies", "::mlir::func::FuncOp"> {
  let summary = "Rewrite memref.copy of non-contiguous buffers to linalg.copy";
  let description = [{
    `finalize-memref-to-llvm` lowers a `memref.copy` between contiguous
    buffers to `memcpy`, but one involving a strided view (e.g. the interior
    of a padded buffer after bufferizing `tosa.pad`) to a call to
    `memrefCopy` in MLIR's C runner library. Generated code, JIT or AOT, must
    not depend on that library, so this pass turns such copies into
    `linalg.copy`, which becomes plain loops.

    Before:

    ```mlir
    memref.copy %src, %view : memref<1x4x4x3xi8> to memref<1x4x4x3xi8, strided<[108, 18, 3, 1], offset: 21>>
    ```

    After:

    ```mlir
    linalg.copy ins(%src : memref<1x4x4x3xi8>) outs(%view : memref<1x4x4x3xi8, strided<[108, 18, 3, 1], offset: 21>>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // QUANTOPT_CODEGEN_PASSES_TD

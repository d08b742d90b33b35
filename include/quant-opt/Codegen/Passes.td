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

def QuantSimInterchangeForVectorizationPass
    : Pass<"quantsim-interchange-for-vectorization", "::mlir::func::FuncOp"> {
  let summary = "Make the output's contiguous dimension the innermost loop "
                "of linalg.generic ops where all operands allow it";
  let description = [{
    LLVM's loop vectorizer turns an innermost loop into vector code when its
    accesses are contiguous. For a matmul `C[m, n] += A[m, k] * B[k, n]` in
    the default order (m, n, k) the innermost loop walks B with a stride; in
    the order (m, k, n) every access is contiguous (C and B) or invariant (A).
    This pass moves the loop of the output's last dimension innermost when it
    is parallel and every input either does not use it or uses it as its own
    last dimension, keeping the other loops in order. Each output element
    still accumulates its reduction in the same order, so results are
    bit-identical, floats included.

    Before (generalized batch matmul, loops b, m, n, k):

    ```mlir
    linalg.generic {indexing_maps = [(b, m, n, k) -> (b, m, k),
                                     (b, m, n, k) -> (b, k, n),
                                     (b, m, n, k) -> (b, m, n)],
                    iterator_types = [parallel, parallel, parallel, reduction]}
    ```

    After (loops b, m, k, n):

    ```mlir
    linalg.generic {indexing_maps = [(b, m, k, n) -> (b, m, k),
                                     (b, m, k, n) -> (b, k, n),
                                     (b, m, k, n) -> (b, m, n)],
                    iterator_types = [parallel, parallel, reduction, parallel]}
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def QuantSimPackConvWeightsPass
    : Pass<"quantsim-pack-conv-weights", "::mlir::func::FuncOp"> {
  let summary = "Repack constant conv2d filters from FHWC to HWCF at compile "
                "time";
  let description = [{
    TOSA's conv2d filters are FHWC: the output channel comes first, so no
    loop order makes both the filter and the output contiguous in the output
    channel. For a constant filter, this pass rewrites
    `linalg.conv_2d_nhwc_fhwc(_q)` to `linalg.conv_2d_nhwc_hwcf(_q)`
    (upstream's `linalg::transposeConv2D`) and folds the filter transpose
    into a new constant, so the repacking costs nothing at run time and
    `--quantsim-interchange-for-vectorization` can make the output channel
    the innermost, vectorizable loop. Same products and sums in the same
    order: results are unchanged.

    Before:

    ```mlir
    %w = arith.constant dense<...> : tensor<8x3x3x4xi8>
    %0 = linalg.conv_2d_nhwc_fhwc_q {...} ins(%x, %w, %xzp, %wzp : ...) outs(%acc : tensor<1x8x8x8xi32>)
    ```

    After:

    ```mlir
    %w = arith.constant dense<...> : tensor<3x3x4x8xi8>
    %0 = linalg.conv_2d_nhwc_hwcf_q {...} ins(%x, %w, %xzp, %wzp : ...) outs(%acc : tensor<1x8x8x8xi32>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // QUANTOPT_CODEGEN_PASSES_TD

//===- Passes.td - quant-opt code generation passes --------*- tablegen -*-===//
//
// Part of quant-opt. Passes of the lowering to native code.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_CODEGEN_PASSES_TD
#define QUANTOPT_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

// The options of every target-dependent pass (empty: the host). The C++
// pipeline options (quant-opt/Codegen/Pipelines.h) carry the same three
// fields and hand them over as a CodegenTarget.
defvar QuantSimTargetOptions = [
  Option<"targetTriple", "target-triple", "std::string", "\"\"",
         "target triple (default: the host)">,
  Option<"targetCPU", "target-cpu", "std::string", "\"\"",
         "target CPU name (default: the host CPU for the host triple)">,
  Option<"targetFeatures", "target-features", "std::string", "\"\"",
         "extra LLVM target features, e.g. '-avx512vnni'">,
];

def QuantSimLegalizeTosaForLinalgPass
    : Pass<"quantsim-legalize-tosa-for-linalg", "::mlir::func::FuncOp"> {
  let summary = "Refuse or rewrite valid TOSA that upstream's lowering to "
                "linalg gets wrong";
  let description = [{
    The first pass of both lowerings to native code. TOSA's verifier
    accepts some IR that `--tosa-to-linalg` and the int8 kernels then fail
    on with messages about IR the user never wrote:

    * a `tosa.rescale` whose result shape differs from its input's (a
      rescale is elementwise) is reported here, naming the op;
    * an integer `tosa.depthwise_conv2d` with a 1x1 kernel and padding,
      which a quantized depthwise layer lowers to: upstream's optional
      decomposition turns it into a multiply and pads the widened i32
      product with the i8 zero point, which does not verify. The padding is
      made an explicit `tosa.pad` of the input with its zero point, so the
      convolution has none; the result is the same.

    Before:

    ```mlir
    %y = tosa.depthwise_conv2d %x, %w, %b, %xzp, %wzp {pad = array<i64: 1, 1, 1, 1>, ...} : (tensor<1x4x4x2xi8>, tensor<1x1x2x1xi8>, ...) -> tensor<1x6x6x2xi32>
    ```

    After:

    ```mlir
    %p = tosa.pad %x, %padding, %xzp : (tensor<1x4x4x2xi8>, !tosa.shape<8>, tensor<1xi8>) -> tensor<1x6x6x2xi8>
    %y = tosa.depthwise_conv2d %p, %w, %b, %xzp, %wzp {pad = array<i64: 0, 0, 0, 0>, ...} : (tensor<1x6x6x2xi8>, ...) -> tensor<1x6x6x2xi32>
    ```
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

def QuantSimByteConstantsPass
    : Pass<"quantsim-byte-constants", "::mlir::ModuleOp"> {
  let summary = "Give constant globals (weights) the type of a flat byte "
                "array";
  let description = [{
    Runs on the LLVM dialect. A constant `llvm.mlir.global` whose value is a
    dense or `dense_resource` attribute of whole-byte integers or floats
    becomes an `!llvm.array<N x i8>` of the same bytes (the same resource
    blob: nothing is copied), aligned at least as its elements were. Its
    uses are unchanged: with opaque pointers, `llvm.mlir.addressof` is the
    same address whatever the global's type.

    `finalize-memref-to-llvm` gives a weight tensor a nested array type
    (`[512 x [512 x [3 x [3 x float]]]]`); the translation to LLVM IR then
    builds one uniqued constant per innermost row (262,144 of them for that
    tensor), and the assembly printer writes float arrays one element at a
    time. As one byte array, a weight is one constant, which the printer
    writes in one piece. VGG-11 float (531 MB of weights): LLVM IR
    translation 6.3 s to 0.5 s, machine code 5.2 s to 1.1 s.

    Before:

    ```mlir
    llvm.mlir.global private constant @w(dense_resource<w> : tensor<4x2x3xf32>)
        {addr_space = 0 : i32} : !llvm.array<4 x array<2 x array<3 x f32>>>
    ```

    After:

    ```mlir
    llvm.mlir.global private constant @w(dense_resource<w> : tensor<96xi8>)
        {addr_space = 0 : i32, alignment = 4 : i64} : !llvm.array<96 x i8>
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def QuantSimCacheTemporariesPass
    : Pass<"quantsim-cache-temporaries", "::mlir::ModuleOp"> {
  let summary = "Keep freed temporaries for the next call instead of "
                "returning them to the system";
  let description = [{
    Runs on the LLVM dialect, after `finalize-memref-to-llvm` with
    `use-generic-functions`, and defines the two functions that conversion
    calls (`_mlir_memref_to_llvm_alloc`, `_mlir_memref_to_llvm_free`), with
    internal linkage, as a cache of freed blocks in front of libc's `malloc`
    and `free`: a freed block goes into one of 256 slots (libc's `free` when
    all are taken); an allocation takes the smallest cached block that holds
    it (`malloc` when none does). A spinlock guards the slots, so calls from
    several threads are safe. A model's temporaries are then allocated on
    its first call and reused by the next ones: glibc returns blocks over
    its mmap threshold to the system on `free`, and without the cache every
    call of a batch-64 model page-faulted its intermediate tensors in again.
    The cached blocks are freed at exit (`llvm.mlir.global_dtors`).

    Before (what `finalize-memref-to-llvm{use-generic-functions}` leaves):

    ```mlir
    llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
    llvm.func @_mlir_memref_to_llvm_free(!llvm.ptr)
    ```

    After (abridged):

    ```mlir
    llvm.mlir.global internal @_qo_temporaries_cache() : !llvm.array<256 x ptr>
    llvm.mlir.global internal @_qo_temporaries_cache_lock(0 : i32) : i32
    llvm.func internal @_mlir_memref_to_llvm_alloc(%size: i64) -> !llvm.ptr {
      // spin on the lock (atomicrmw xchg), take a cached block of exactly
      // %size or the smallest larger one, else malloc(%size + 64)
    }
    llvm.func internal @_mlir_memref_to_llvm_free(%p: !llvm.ptr) {
      // into the first empty slot, else free()
    }
    llvm.mlir.global_dtors ctors = [@_qo_temporaries_cache_release], ...
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def QuantSimOutlineLoopNestsPass
    : Pass<"quantsim-outline-loop-nests", "::mlir::ModuleOp"> {
  let summary = "Move each top-level loop nest of a function into a "
                "function of its own";
  let description = [{
    Runs on memrefs and loops, before the LLVM back end. Each loop at the
    top level of a function's body (a layer after lowering: a kernel, a
    pool, a copy) becomes a private, `noinline` function with internal
    linkage, called where the loop was. Buffers and other values the nest
    uses become arguments; constants and `memref.get_global` are cloned
    into the new function instead. The new function's name is the caller's,
    `_nest`, the nest's index and the layer's name (the first NameLoc in the
    loop's location, an ONNX node's name after import), so a profile names
    the layer.

    LLVM optimizes a function at a time, and some of its loop passes
    (IndVarSimplify above all) take time that grows faster than linearly
    with the number of loops in one function: DenseNet-121 lowered to one
    function of about 4,000 loops spent two minutes in IndVarSimplify alone.
    One function per nest keeps every function small. The arithmetic is
    unchanged.

    Before:

    ```mlir
    func.func @main(%a: memref<4xf32>, %b: memref<4xf32>) {
      %c0 = arith.constant 0 : index
      %c4 = arith.constant 4 : index
      %c1 = arith.constant 1 : index
      scf.for %i = %c0 to %c4 step %c1 {
        %x = memref.load %a[%i] : memref<4xf32>
        memref.store %x, %b[%i] : memref<4xf32>
      } loc("relu1")
      return
    }
    ```

    After:

    ```mlir
    func.func @main(%a: memref<4xf32>, %b: memref<4xf32>) {
      call @main_nest0_relu1(%a, %b) : (memref<4xf32>, memref<4xf32>) -> ()
      return
    }
    func.func private @main_nest0_relu1(%a: memref<4xf32>, %b: memref<4xf32>)
        attributes {llvm.linkage = #llvm.linkage<internal>,
                    passthrough = ["noinline"]} {
      %c0 = arith.constant 0 : index
      %c4 = arith.constant 4 : index
      %c1 = arith.constant 1 : index
      scf.for %i = %c0 to %c4 step %c1 { ... }
      return
    }
    ```
  }];
  let options = [
    Option<"minNests", "min-nests", "unsigned", "2",
           "outline only in functions with at least this many top-level "
           "loop nests">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def QuantSimParallelizeLoopsPass
    : Pass<"quantsim-parallelize-loops", "::mlir::func::FuncOp"> {
  let summary = "Turn the kernels' loops over the batch and the output rows "
                "into scf.parallel";
  let description = [{
    Runs on memrefs, after bufferization. The kernels (conv/matmul,
    depthwise, pools) mark their loop over the batch, and the loop over the
    output rows that is its whole body, `quantsim.parallel`: each iteration
    writes its own rows of the output and reads nothing another writes. The
    outermost marked loop becomes an `scf.parallel`, two-dimensional (batch
    x rows) when the row loop is perfectly nested in it, so that a batch of
    one still splits into rows. `convert-scf-to-openmp` then runs it on
    OpenMP's threads. Each output element is computed by the same code as
    in the serial loop, so results do not depend on the thread count.

    Linalg ops left for the generic path (elementwise chains, layers without
    a kernel) whose first iterator is parallel are lowered to loops here,
    before `convert-linalg-to-loops`, their first loop (and the second,
    when also a parallel iterator) marked the same way with the nest's
    iteration count.

    The attribute's value is the nest's work in multiply-adds (taps for
    pools); a nest with less than `min-work` stays serial: starting and
    joining threads costs a few microseconds, more than a small layer takes
    (the Fashion-MNIST CNN at batch 1 ran 40% slower on two threads with
    every kernel parallel).

    Before:

    ```mlir
    scf.for %n = %c0 to %c64 step %c1 {
      %c0_0 = arith.constant 0 : index
      %c28 = arith.constant 28 : index
      scf.for %oh = %c0_0 to %c28 step %c1 {
        ...
      } {quantsim.parallel = 57802752 : i64}
    } {quantsim.parallel = 57802752 : i64}
    ```

    After:

    ```mlir
    scf.parallel (%n, %oh) = (%c0, %c0_0) to (%c64, %c28) step (%c1, %c1) {
      ...
    }
    ```
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", "1 << 20",
           "leave nests of fewer multiply-adds serial">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def QuantSimApproximateMathPass
    : Pass<"quantsim-approximate-math", "::mlir::func::FuncOp"> {
  let summary = "Replace f32 exp, sigmoid and SiLU by arithmetic that LLVM vectorizes";
  let description = [{
    A sigmoid as tosa-to-linalg and the kernels' epilogues write it,
    `1 / (exp(-x) + 1)`, and a SiLU, `x` times that, on f32 scalars or
    vectors, become 16 (SiLU 18) operations with no call and no exp: `x`
    clamped to [-88.7228, 87.33], `n = round(-x log2(e))` by adding
    `1.5 * 2^23 + 126` (whose mantissa then ends in `n + 126`), `q = x + n
    ln(2)` in two steps, a degree-5 polynomial for `exp(-q)`, `2^(n-1)` from
    the sum's bits shifted into the exponent, and one division (a SiLU
    divides `x`, or `x * 0` below the clamp, where the reference's exp is
    infinite). Within 4 (sigmoid) and 5 (SiLU) units in the last place of
    the reference lowering's, relative error 2.3e-7 and 2.1e-7 against
    the exact functions, infinities, NaNs and signs as the reference's
    (`test/Integration/sigmoid-accuracy.mlir`).

    Other `math.exp` on f32 (softmax, `tosa.exp`) become upstream's
    polynomial approximation: the input clamped to [-87.8, 88.8], `k =
    floor(x * log2(e) + 1/2)`, `r = x - k * ln(2)` in two steps, a degree-6
    polynomial in `r` (fma), and `2^k` put back through the exponent bits,
    within 5 units in the last place of libm's
    (`test/Integration/exp-accuracy.mlir`); below the smallest normal
    number they may differ by less than it.

    Both are plain arithmetic, which LLVM's loop vectorizer turns into
    vector code, where a call of libm's `expf` keeps the loop scalar. Other
    functions and types keep their libm calls. `--quantsim-cpu-codegen`
    runs this pass unless `exact-math` is set; the reference lowering never
    does.

    Before:

    ```mlir
    %e = math.exp %x : f32
    %n = arith.negf %v : f32
    %en = math.exp %n : f32
    %d = arith.addf %en, %one : f32
    %s = arith.divf %one, %d : f32
    ```

    After (abridged):

    ```mlir
    %t = math.fma %xc, %log2e, %half : f32
    %k = math.floor %t : f32
    ...
    %p = math.fma %r, %c6, %c5 : f32
    ...
    %e = arith.mulf %poly, %pow2k : f32
    ...
    %t2 = math.fma %vc, %minus_log2e, %magic : f32
    %bits = arith.bitcast %t2 : f32 to i32
    %shifted = arith.shli %bits, %c23 : i32
    %pow2 = arith.bitcast %shifted : i32 to f32
    %e2 = arith.mulf %poly2, %pow2 : f32
    %d = arith.addf %e2, %one : f32
    %s = arith.divf %one, %d : f32
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def QuantSimLoopHintsPass
    : Pass<"quantsim-loop-hints", "::mlir::func::FuncOp"> {
  let summary = "Tell LLVM not to unroll the loops it vectorizes";
  let description = [{
    Runs on loops, before `convert-scf-to-cf`. An `scf.for` with no vector
    op inside (an elementwise op, a copy, a pool without a kernel: scalar
    code that LLVM's loop vectorizer turns into vector code) gets
    `llvm.loop.unroll.disable`, which scf-to-cf and the LLVM translation
    carry to the loop's latch branch. The vectorizer still interleaves
    (several vector registers per iteration); the unroller no longer fully
    unrolls the resulting vector loop when its trip count is small, which
    multiplied its code up to fifteenfold (a loop over 960 channels) for no
    measurable speed, and made LLVM's later passes slow on big models. The
    kernels' loops (explicit vector code) keep LLVM's defaults, and so do
    loops of fewer than 8 iterations (a window's taps): LLVM must stay free
    to unroll those fully, which is what lets the loops around them
    vectorize (MobileNetV2's int8 depthwise layers ran 6x slower with their
    3x3 loops kept rolled). Loops around a `memref.copy` (a concat's or a
    pad's row copies) are marked whatever their trip count: LLVM expands
    each row's memcpy inline, and a fully unrolled 7x7 nest of them made
    one block that instruction selection and scheduling took 5 ms over, for
    each of DenseNet-121's 600 such nests.

    Before:

    ```mlir
    scf.for %c = %c0 to %c960 step %c1 {
      %x = memref.load %in[%c] : memref<960xf32>
      %y = arith.maximumf %x, %zero : f32
      memref.store %y, %out[%c] : memref<960xf32>
    }
    ```

    After:

    ```mlir
    scf.for %c = %c0 to %c960 step %c1 {
      ...
    } {loop_annotation = #llvm.loop_annotation<unroll = <disable = true>>}
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def QuantSimFreeAfterLastUsePass
    : Pass<"quantsim-free-after-last-use", "::mlir::func::FuncOp"> {
  let summary = "Free each temporary right after its last use";
  let description = [{
    Ownership-based buffer deallocation frees a block's buffers at the end
    of the block: every intermediate tensor of a model stayed allocated
    until the model returned, and each layer wrote its output into memory
    that no other layer had used in the call (29 MB for MobileNetV2 at
    224x224, most of a 32 MB L3). This pass moves a `memref.dealloc` of a
    buffer allocated in the same block to just after the block's last op
    that uses the buffer or a value derived from it (a view, a loop
    carrying it, anything produced by an op that uses it, counted at the
    op of the block that holds the use). The next allocation can then take
    the block just freed, still in cache (the temporaries cache hands out
    the smallest free block that fits). Buffers used outside their block
    are left alone.

    Before:

    ```mlir
    %a = memref.alloc() : memref<64xf32>
    linalg.fill ins(%x : f32) outs(%a : memref<64xf32>)
    %v = memref.subview %a[0] [32] [1] : memref<64xf32> to memref<32xf32, strided<[1]>>
    memref.copy %v, %out : memref<32xf32, strided<[1]>> to memref<32xf32>
    %b = memref.alloc() : memref<64xf32>
    linalg.fill ins(%x : f32) outs(%b : memref<64xf32>)
    memref.dealloc %a : memref<64xf32>
    memref.dealloc %b : memref<64xf32>
    ```

    After:

    ```mlir
    %a = memref.alloc() : memref<64xf32>
    linalg.fill ins(%x : f32) outs(%a : memref<64xf32>)
    %v = memref.subview %a[0] [32] [1] : memref<64xf32> to memref<32xf32, strided<[1]>>
    memref.copy %v, %out : memref<32xf32, strided<[1]>> to memref<32xf32>
    memref.dealloc %a : memref<64xf32>
    %b = memref.alloc() : memref<64xf32>
    linalg.fill ins(%x : f32) outs(%b : memref<64xf32>)
    memref.dealloc %b : memref<64xf32>
    ```
  }];
}

def QuantSimPlanArenaPass
    : Pass<"quantsim-plan-arena", "::mlir::func::FuncOp"> {
  let summary = "Place a function's temporaries in one block at offsets "
                "fixed at compile time";
  let description = [{
    Runs after `--quantsim-free-after-last-use`. Every temporary of the
    function (a `memref.alloc` with a static shape and the identity layout,
    freed by one `memref.dealloc` in its block after its last use, counted
    as that pass counts it) becomes a `memref.view` of one byte buffer
    allocated at the function's entry and freed after the last of them. A
    temporary of a loop's body (scf.for, scf.if between it and the
    function's body; with `parallel`, no loop marked to run on threads)
    counts as live while the loop runs: its iterations reuse its bytes. Two temporaries share bytes only when one is
    freed before the other is allocated. Offsets are chosen largest
    temporary first, each at the lowest offset (a multiple of its
    alignment) that overlaps no temporary placed before it and live at the
    same time. A call then allocates one block instead of one per layer,
    and the bytes it needs are known at compile time (the arena's type).
    With `workspace-argument`, a public function takes the arena from its
    caller instead (quant-translate --workspace), even for one temporary,
    and allocates none of them.

    Before:

    ```mlir
    %a = memref.alloc() : memref<64xf32>
    linalg.fill ins(%x : f32) outs(%a : memref<64xf32>)
    memref.copy %a, %out : memref<64xf32> to memref<64xf32>
    memref.dealloc %a : memref<64xf32>
    %b = memref.alloc() : memref<16xf32>
    linalg.fill ins(%x : f32) outs(%b : memref<16xf32>)
    memref.copy %b, %out2 : memref<16xf32> to memref<16xf32>
    memref.dealloc %b : memref<16xf32>
    ```

    After:

    ```mlir
    %arena = memref.alloc() {alignment = 64 : i64} : memref<256xi8>
    %c0 = arith.constant 0 : index
    %a = memref.view %arena[%c0][] : memref<256xi8> to memref<64xf32>
    linalg.fill ins(%x : f32) outs(%a : memref<64xf32>)
    memref.copy %a, %out : memref<64xf32> to memref<64xf32>
    %c0_0 = arith.constant 0 : index
    %b = memref.view %arena[%c0_0][] : memref<256xi8> to memref<16xf32>
    linalg.fill ins(%x : f32) outs(%b : memref<16xf32>)
    memref.copy %b, %out2 : memref<16xf32> to memref<16xf32>
    memref.dealloc %arena : memref<256xi8>
    ```
  }];
  let options = [
    Option<"alignment", "alignment", "uint64_t", /*default=*/"64",
           "alignment in bytes of every temporary in the arena (a power "
           "of two; a larger alignment of its own wins)">,
    Option<"parallel", "parallel", "bool", /*default=*/"false",
           "the loops marked quantsim.parallel will run their iterations "
           "on threads (--quantsim-parallelize-loops): temporaries "
           "allocated in them stay allocations of their own">,
    Option<"workspaceArgument", "workspace-argument", "bool",
           /*default=*/"false",
           "in public functions, take the arena as a trailing "
           "memref<Nxi8> argument instead of allocating it (the caller "
           "passes the memory), and set the function's "
           "quantsim.workspace_bytes and quantsim.workspace_alignment "
           "attributes to its size and alignment">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def QuantSimLowerStridedCopiesPass
    : Pass<"quantsim-lower-strided-copies", "::mlir::func::FuncOp"> {
  let summary = "Rewrite memref.copy of non-contiguous buffers to row "
                "copies or linalg.copy";
  let description = [{
    `finalize-memref-to-llvm` lowers a `memref.copy` between contiguous
    buffers to `memcpy`, but one involving a strided view (the interior of a
    padded buffer after bufferizing `tosa.pad`, a concat's slot in its
    output) to a call to `memrefCopy` in MLIR's C runner library. Generated
    code, JIT or AOT, must not depend on that library, so this pass rewrites
    such copies:

    - when the innermost dimensions are contiguous in both buffers (a row of
      channels, or of a padded image's width and channels), as loops over
      the outer dimensions around a `memref.copy` of one contiguous row,
      which becomes a `memcpy` of a constant size (LLVM inlines small ones
      as vector moves);
    - otherwise as `linalg.copy`, which becomes plain loops.

    Before:

    ```mlir
    memref.copy %src, %view : memref<1x4x4x3xi8> to memref<1x4x4x3xi8, strided<[108, 18, 3, 1], offset: 21>>
    ```

    After (rows of 4x3 contiguous bytes):

    ```mlir
    scf.for %h = %c0 to %c4 step %c1 {
      %s = memref.subview %src[0, %h, 0, 0] [1, 1, 4, 3] [1, 1, 1, 1] : memref<1x4x4x3xi8> to memref<1x1x4x3xi8, strided<[48, 12, 3, 1], offset: ?>>
      %d = memref.subview %view[0, %h, 0, 0] [1, 1, 4, 3] [1, 1, 1, 1] : memref<1x4x4x3xi8, strided<[108, 18, 3, 1], offset: 21>> to memref<1x1x4x3xi8, strided<[108, 18, 3, 1], offset: ?>>
      memref.copy %s, %d : memref<1x1x4x3xi8, strided<[48, 12, 3, 1], offset: ?>> to memref<1x1x4x3xi8, strided<[108, 18, 3, 1], offset: ?>>
    }
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect"];
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
    bit-identical, floats included. Trailing dimensions of size 1 do not
    count as the last: a depthwise conv with a channel multiplier of 1
    writes N x H x W x C x 1, and its channel loop moves inside the taps.
    EfficientNet-B0 int8, whose squeeze-and-excitation averages are such
    convs over whole feature maps, ran 21% faster (7.7 to 6.1 ms).

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

def QuantSimFuseElementwisePass
    : Pass<"quantsim-fuse-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Fuse chains of elementwise linalg.generic ops into one";
  let description = [{
    A producer `linalg.generic` with all-parallel loops whose result has one
    use, by another elementwise `linalg.generic`, is merged into its
    consumer (upstream's elementwise fusion patterns, without the reshape
    propagation of `linalg-fuse-elementwise-ops`, which raises the rank of
    generics around reshapes and hides contiguous loops from LLVM's
    vectorizer). A BatchNorm's multiply and add and the ReLU after them, or
    a quantize, rescales, add, requantize and dequantize, become one loop
    nest: each element goes through the same operations in the same order,
    and no intermediate tensor is written.

    Then an elementwise generic whose destination is a new tensor, and one
    of whose inputs (of the same type, read at the same index, produced in
    the function) has no other use, takes that input as its destination:
    bufferization writes the result over the input in place, into lines
    just read, instead of write-allocating a new buffer (ResNet-50 float,
    whose residual adds then write over a branch: 37.2 to 36.6 ms per call
    side by side, AOT).

    Before:

    ```mlir
    %m = linalg.generic {...} ins(%x, %scale : tensor<1x14x14x512xf32>, tensor<1x1x1x512xf32>) outs(%e0 : tensor<1x14x14x512xf32>) {
      ^bb0(%a: f32, %b: f32, %o: f32):
        %p = arith.mulf %a, %b : f32
        linalg.yield %p : f32
    } -> tensor<1x14x14x512xf32>
    %r = linalg.generic {...} ins(%m, %shift : tensor<1x14x14x512xf32>, tensor<1x1x1x512xf32>) outs(%e1 : tensor<1x14x14x512xf32>) {
      ^bb0(%a: f32, %b: f32, %o: f32):
        %s = arith.addf %a, %b : f32
        linalg.yield %s : f32
    } -> tensor<1x14x14x512xf32>
    ```

    After:

    ```mlir
    %r = linalg.generic {...} ins(%x, %scale, %shift : tensor<1x14x14x512xf32>, tensor<1x1x1x512xf32>, tensor<1x1x1x512xf32>) outs(%e1 : tensor<1x14x14x512xf32>) {
      ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
        %p = arith.mulf %a, %b : f32
        %s = arith.addf %p, %c : f32
        linalg.yield %s : f32
    } -> tensor<1x14x14x512xf32>
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

def QuantSimSinkTransposesPass
    : Pass<"quantsim-sink-transposes", "::mlir::func::FuncOp"> {
  let summary = "Move NHWC/NCHW transposes below slices, concatenations and "
                "channel shuffles, where they fold with their inverses";
  let description = [{
    The ONNX importer keeps activations NHWC and transposes them to NCHW
    where an op's semantics are NCHW's: ShuffleNet's channel split (slices),
    concatenation and channel shuffle (reshape, 5-D transpose, reshape) run
    on NCHW tensors between NHWC convolutions, each layer paying whole-tensor
    transposes both ways. Three rewrites move a transpose towards its users:

    * `slice(transpose(x, P))` becomes `transpose(slice(x), P)` when slices
      are all that read the transpose;
    * `concat(transpose(a, P), transpose(b, P))` becomes
      `transpose(concat(a, b), P)`, the axis mapped through P, when each
      transpose is read by the concat alone;
    * the NCHW channel shuffle of `transpose(y, [0, 3, 1, 2])` (reshape to
      N x G x C/G x H x W, swap dimensions 1 and 2, reshape back) becomes
      the same shuffle on y in NHWC (reshape to N x H x W x G x C/G, swap
      the last two, reshape back), then the transpose.

    Consecutive transposes then compose and identities fold (TOSA's own
    canonicalization), so an NCHW round trip between two NHWC layers goes.
    Only where data goes changes; the values are the same.

    Before:

    ```mlir
    %t = tosa.transpose %y {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x4x4x8xf32>) -> tensor<1x8x4x4xf32>
    %s = tosa.slice %t, %start, %size : (tensor<1x8x4x4xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x4x4xf32>
    %u = tosa.transpose %s {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
    ```

    After:

    ```mlir
    %u = tosa.slice %y, %start2, %size2 : (tensor<1x4x4x8xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x4x4xf32>
    ```
  }];
}

def QuantSimCPUKernelsPass
    : Pass<"quantsim-cpu-kernels", "::mlir::func::FuncOp"> {
  let summary = "Lower int8 conv2d/matmul + requantize chains, f32 "
                "conv2d/matmul/depthwise + bias + activation, and max pools to "
                "register-tiled, vectorized loop nests (VNNI where available)";
  let description = [{
    Matches, on integer TOSA, a `tosa.conv2d` or `tosa.matmul` with i8
    operands, a constant filter with weight zero point 0 and i32
    accumulation, followed (through single uses) by an optional constant
    bias `tosa.add` (matmul), a `tosa.rescale` to i8 and an optional
    `tosa.clamp`, and replaces the chain by one loop nest on tensors:

    - the filter is repacked at compile time into 16-channel x 4-input-channel
      blocks (64 bytes, one zmm register), zero-padded;
    - the input is padded (with its zero point) to a multiple of 4 channels
      and shifted to u8 (`x xor 0x80`, i.e. x + 128), so that `vpdpbusd`
      (u8 x s8 -> i32) applies;
    - the zero point and that shift fold into a per-channel compensation
      term computed from the constant filter: `bias - (zp + 128) * sum(w)`;
    - a register tile of up to 8 output pixels x 4 vectors of 16 channels
      accumulates in i32 vectors over taps and channel groups;
    - the requantize (tosa.rescale's exact arithmetic: a widening 32x32->64
      vector multiply, rounding, shift) and the clamp run on the tile's
      accumulators, and only the i8 results are stored.

    Each dot step is a `quantsim.dot_u8s8`, which `--quantsim-lower-dot`
    turns into `llvm.x86.avx512.vpdpbusd.512` on x86 with AVX-512 VNNI and
    into the same sum with widened vector multiplies elsewhere. Results are
    bit-identical to the reference lowering in both cases (integer sums
    wrap identically). Chains that do not match (non-zero weight zero point,
    non-constant filter, other rounding modes) are left to the generic path.

    With `float-kernels` (the default) it does the same for f32: a
    `tosa.conv2d` with a constant filter and bias (and zero zero points), or
    a `tosa.matmul` with a constant B and an optional constant per-column
    bias `tosa.add`, each with the elementwise ops after it that apply to
    its registers (clamps, sigmoid, multiplies and adds by a one-element
    constant, and gates `x * f(x)` such as SiLU and HardSwish, each with
    tosa-to-linalg's arithmetic), becomes a loop nest of the same shape whose filter is packed into
    16-channel f32 vectors at compile time. Each step broadcasts one input
    value and multiplies it with a weight vector, then adds (not a fused
    multiply-add), starting from the conv's bias or the matmul's zero, over
    taps and channels in the reference lowering's order: the results are
    bit-identical to it.

    With `winograd=4` (or 2), an f32 3x3 stride-1 conv with input and
    output channels multiples of 16 and at least 36 tiles per image (16
    with 128 output channels or more) is computed by Winograd's
    F(4x4, 3x3) (F(2x2, 3x3)) instead: the filter transformed at compile
    time into one C x F matrix per point of the 6x6 (4x4) grid, each
    tile's input window transformed with additions (and a few multiplies
    by 2, 4, 5), one matmul per point through the same f32 kernel, and the
    output transform with the bias and the activation on the registers, in
    chunks of tile rows that stay in L2. A quarter (four ninths) of the
    multiplies; the sums differ from the direct convolution's in the last
    bits. The CPU pipeline sets `winograd=4` unless `exact-math` is set.

    An f32 `tosa.depthwise_conv2d` with a constant filter of channel
    multiplier 1 and a constant bias (and its activation, as above) becomes
    loops over tiles of 8 pixels and, inside, 16-channel blocks: one weight
    vector per tap, multiplied with each pixel's input vector and added to
    its accumulator;
    the sums start at zero and the bias is added after them, as the
    reference lowering does, so results are bit-identical.

    An NHWC `tosa.max_pool2d` (i8, or f32 with NaN propagation) with static
    shapes becomes loops over output pixels that take each window's maximum
    a vector register of channels at a time (the generic path's pooling
    loops stayed scalar); maximum is exact in any order. An f32
    `tosa.avg_pool2d` without padding takes the same loops, summing from
    zero over the taps in order and dividing by the window size as the
    reference lowering does.

    A kernel whose result only a `tensor.pad` reads writes into the padded
    tensor's interior (only the border is filled), and kernels whose
    results only a `tosa.concat` reads write into their slices of it (the
    other operands are copied in): no copy of those results. Concats that
    each take the operands of an earlier one and more after them (a
    DenseNet block's) become leading slices of one tensor that each operand
    is inserted into once.

    Before:

    ```mlir
    %acc = tosa.conv2d %x, %w, %bias, %xzp, %wzp {...} : (...) -> tensor<1x8x8x32xi32>
    %y = tosa.rescale %acc, %mult, %shift, %izp, %ozp {...} : (...) -> tensor<1x8x8x32xi8>
    ```

    After (abridged):

    ```mlir
    %u = arith.xori %padded, %c128 : tensor<1x10x10x4xi8>
    %y = scf.for %n ... scf.for %oh ... scf.for %block ... scf.for %ow ... {
      %acc:16 = scf.for %kh ... scf.for %kw ... scf.for %g ... {
        %w0 = vector.transfer_read %packed[...] : tensor<2x3x3x1x64xi8>, vector<64xi8>
        %a = vector.bitcast ... : vector<16xi32> to vector<64xi8>
        %d = quantsim.dot_u8s8 %acc0, %a, %w0 : vector<64xi8> -> vector<16xi32>
      }
      ... arith.muli %wide, %mult : vector<16xi64> ... arith.shrsi ...
      vector.transfer_write %q, %out[...] : vector<16xi8>, tensor<1x8x8x32xi8>
    }
    ```
  }];
  let options = !listconcat(QuantSimTargetOptions, [
    Option<"floatKernels", "float-kernels", "bool", "true",
           "also lower f32 conv2d/matmul chains to register-tiled loop nests">,
    Option<"winograd", "winograd", "int64_t", "0",
           "compute f32 3x3 stride-1 convolutions with enough tiles by "
           "Winograd's F(m x m, 3 x 3), m = this (2 or 4; 0: directly, "
           "bit-identical to the reference)">
  ]);
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::quantsim::QuantSimDialect"];
}

def QuantSimLowerDotPass
    : Pass<"quantsim-lower-dot", "::mlir::func::FuncOp"> {
  let summary = "Lower quantsim.dot_u8s8 to AVX-512 VNNI or portable vector "
                "arithmetic, and no-NaN f32 maxima to vrangeps";
  let description = [{
    On an x86 target with AVX-512 VNNI, a 16-lane `quantsim.dot_u8s8`
    becomes `llvm.x86.avx512.vpdpbusd.512`. Anywhere else it becomes the
    same sum in plain vector ops: zero-/sign-extend to i32, multiply, and add
    the four strided slices (`vector.shuffle`) to the accumulator. Both are
    exact (wrapping i32). It runs after bufferization: the intrinsic call has
    unknown memory effects, which buffer deallocation refuses.

    On x86 with AVX-512 DQ it also turns a 16-lane f32 `arith.maximumf`
    marked `nnan` (the max pools' maximum, whose NaNs they handle apart)
    into `llvm.x86.avx512.mask.range.ps.512` with immediate 5: the larger
    value, its sign from the comparison, so +0 above -0, which is
    `arith.maximumf` exactly when neither operand is NaN, in one
    instruction (LLVM lowers the `nnan` maximum to four).

    Before:

    ```mlir
    %r = quantsim.dot_u8s8 %acc, %a, %b : vector<64xi8> -> vector<16xi32>
    ```

    After (with VNNI):

    ```mlir
    %r = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%acc, %a, %b) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
    ```

    After (without):

    ```mlir
    %aw = arith.extui %a : vector<64xi8> to vector<64xi32>
    %bw = arith.extsi %b : vector<64xi8> to vector<64xi32>
    %p = arith.muli %aw, %bw : vector<64xi32>
    %p0 = vector.shuffle %p, %p [0, 4, 8, ...] : vector<64xi32>, vector<64xi32>
    %s0 = arith.addi %acc, %p0 : vector<16xi32>
    ...
    ```
  }];
  let options = QuantSimTargetOptions;
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

#endif // QUANTOPT_CODEGEN_PASSES_TD

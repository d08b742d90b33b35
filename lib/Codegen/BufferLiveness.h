//===- BufferLiveness.h - where a buffer of a block is last used -*- C++ -*-===//
//
// Part of quant-opt. Private to lib/Codegen: shared by the passes that free
// temporaries after their last use and that plan them into one arena.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_CODEGEN_BUFFERLIVENESS_H
#define QUANTOPT_LIB_CODEGEN_BUFFERLIVENESS_H

namespace mlir {
class Block;
class Operation;
class Value;

namespace quantsim {

/// The last op of `block` (the buffer's defining op, or one holding a use in
/// its regions) that uses `buffer` or a value derived from it, `ignore`
/// aside. A value is derived when an op of the block that uses the buffer
/// or a derived value (anywhere in its regions) produces it: views, casts, a
/// loop that carries the buffer, a pointer taken as an index. Null when an
/// op outside `block` uses one.
Operation *lastUseInBlock(Block *block, Value buffer, Operation *ignore);

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_LIB_CODEGEN_BUFFERLIVENESS_H

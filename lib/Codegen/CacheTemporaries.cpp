//===- CacheTemporaries.cpp - reuse freed temporaries across calls --------===//
//
// Part of quant-opt. Implements --quantsim-cache-temporaries: defines the
// allocation functions that finalize-memref-to-llvm calls with
// use-generic-functions (`_mlir_memref_to_llvm_alloc` and `_free`) as a
// best-fit cache of freed blocks in front of malloc/free, so that a model's
// temporaries are malloc'ed on its first call and reused by the next ones
// instead of being mapped and faulted in again each call. See
// docs/CPUKernels.md.
//
//===----------------------------------------------------------------------===//

#include "quant-opt/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir {
namespace quantsim {
#define GEN_PASS_DEF_QUANTSIMCACHETEMPORARIESPASS
#include "quant-opt/Codegen/Passes.h.inc"
} // namespace quantsim
} // namespace mlir

using namespace mlir;

namespace {

constexpr StringLiteral kAllocName = "_mlir_memref_to_llvm_alloc";
constexpr StringLiteral kFreeName = "_mlir_memref_to_llvm_free";
/// Cached blocks: each holds its capacity in a header of kHeader bytes
/// (which keeps malloc's alignment) before the memory handed out. Slots at
/// and above the high-water mark (a global) have never held a block, so
/// the scans stop there: a small model scans a few slots, a large one
/// (ResNet-50: over 32 temporaries per call) up to the number it frees.
constexpr int64_t kSlots = 256;
constexpr int64_t kHeader = 64;

class CacheBuilder {
public:
  CacheBuilder(ModuleOp module)
      : module(module), b(module.getContext()), loc(module.getLoc()),
        ptr(LLVM::LLVMPointerType::get(module.getContext())),
        i64(b.getI64Type()), i32(b.getI32Type()), i8(b.getI8Type()) {}

  /// Defines `alloc` and `free` (declared here when null) as the cache.
  void build(LLVM::LLVMFuncOp alloc, LLVM::LLVMFuncOp free);

private:
  Value constant(OpBuilder &b, Type type, int64_t v) {
    return LLVM::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, v));
  }
  /// The address of slot `i` (an i64).
  Value slot(OpBuilder &b, Value i) {
    Value base = LLVM::AddressOfOp::create(b, loc, ptr, slotsName);
    return LLVM::GEPOp::create(b, loc, ptr, slotsType, base,
                               ArrayRef<LLVM::GEPArg>{0, i});
  }
  /// A loop over the slots: `header` receives the index (block argument 0)
  /// and `carried`, and branches to `exit` (with the carried values) after
  /// the last slot, else to a new body block, returned with its index. The
  /// body ends with nextSlot().
  Block *slotLoop(OpBuilder &b, Region &region, Value bound, ValueRange init,
                  Block *exit, Value &index, SmallVectorImpl<Value> &carried);
  /// The high-water mark: slots at and above it have never held a block.
  Value loadUsed(OpBuilder &b) {
    return LLVM::LoadOp::create(
        b, loc, i64, LLVM::AddressOfOp::create(b, loc, ptr, usedName),
        /*alignment=*/8);
  }
  void storeUsed(OpBuilder &b, Value used) {
    LLVM::StoreOp::create(b, loc, used,
                          LLVM::AddressOfOp::create(b, loc, ptr, usedName),
                          /*alignment=*/8);
  }
  /// When `cond` holds: stores `stored` into `slotPtr`, unlocks and returns
  /// `result` (nothing when null). Continues in a new block otherwise.
  void storeAndReturnIf(OpBuilder &b, Region &region, Value cond, Value stored,
                        Value slotPtr, Value result) {
    Block *taken = new Block(), *next = new Block();
    region.push_back(taken);
    region.push_back(next);
    LLVM::CondBrOp::create(b, loc, cond, taken, next);
    b.setInsertionPointToStart(taken);
    LLVM::StoreOp::create(b, loc, stored, slotPtr, /*alignment=*/8);
    unlock(b);
    LLVM::ReturnOp::create(b, loc, result ? ValueRange{result} : ValueRange{});
    b.setInsertionPointToStart(next);
  }
  void nextSlot(OpBuilder &b, Value index, ValueRange carried, Block *header) {
    Value next = LLVM::AddOp::create(b, loc, index, constant(b, i64, 1));
    SmallVector<Value> args = {next};
    llvm::append_range(args, carried);
    LLVM::BrOp::create(b, loc, args, header);
  }
  Value offset(OpBuilder &b, Value p, int64_t bytes) {
    return LLVM::GEPOp::create(b, loc, ptr, i8, p,
                               ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(bytes)});
  }
  /// Spins until the cache's lock is taken.
  void lock(OpBuilder &b, Block *spin, Block *locked);
  void unlock(OpBuilder &b) {
    Value lockPtr = LLVM::AddressOfOp::create(b, loc, ptr, lockName);
    LLVM::StoreOp::create(b, loc, constant(b, i32, 0), lockPtr, /*alignment=*/4,
                          /*isVolatile=*/false, /*isNonTemporal=*/false,
                          /*isInvariantLoad=*/false,
                          LLVM::AtomicOrdering::release);
  }
  LLVM::LLVMFuncOp declare(StringRef name, Type result, ArrayRef<Type> args);
  void buildAlloc(LLVM::LLVMFuncOp alloc, LLVM::LLVMFuncOp malloc);
  void buildFree(LLVM::LLVMFuncOp free, LLVM::LLVMFuncOp libcFree);
  void buildRelease(LLVM::LLVMFuncOp release, LLVM::LLVMFuncOp libcFree);

  ModuleOp module;
  OpBuilder b;
  Location loc;
  Type ptr, i64, i32, i8;
  LLVM::LLVMArrayType slotsType;
  std::string slotsName = "_qo_temporaries_cache";
  std::string lockName = "_qo_temporaries_cache_lock";
  std::string usedName = "_qo_temporaries_cache_used";
};

} // namespace

LLVM::LLVMFuncOp CacheBuilder::declare(StringRef name, Type result,
                                       ArrayRef<Type> args) {
  if (auto f = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
    return f;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(module.getBody());
  return LLVM::LLVMFuncOp::create(b, loc, name,
                                  LLVM::LLVMFunctionType::get(result, args));
}

void CacheBuilder::lock(OpBuilder &b, Block *spin, Block *locked) {
  LLVM::BrOp::create(b, loc, ValueRange{}, spin);
  b.setInsertionPointToStart(spin);
  Value lockPtr = LLVM::AddressOfOp::create(b, loc, ptr, lockName);
  Value old = LLVM::AtomicRMWOp::create(b, loc, LLVM::AtomicBinOp::xchg,
                                        lockPtr, constant(b, i32, 1),
                                        LLVM::AtomicOrdering::acquire);
  Value free = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, old,
                                    constant(b, i32, 0));
  LLVM::CondBrOp::create(b, loc, free, locked, spin);
  b.setInsertionPointToStart(locked);
}

Block *CacheBuilder::slotLoop(OpBuilder &b, Region &region, Value bound,
                              ValueRange init, Block *exit, Value &index,
                              SmallVectorImpl<Value> &carried) {
  Block *header = new Block(), *body = new Block();
  region.push_back(header);
  region.push_back(body);
  header->addArgument(i64, loc);
  for (Value v : init)
    header->addArgument(v.getType(), loc);
  SmallVector<Value> args = {constant(b, i64, 0)};
  llvm::append_range(args, init);
  LLVM::BrOp::create(b, loc, args, header);
  b.setInsertionPointToStart(header);
  Value i = header->getArgument(0);
  Value more =
      LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ult, i, bound);
  LLVM::CondBrOp::create(b, loc, more, body, ValueRange{}, exit,
                         header->getArguments().drop_front());
  b.setInsertionPointToStart(body);
  index = i;
  carried.assign(header->getArguments().drop_front().begin(),
                 header->getArguments().end());
  return header;
}

void CacheBuilder::buildAlloc(LLVM::LLVMFuncOp alloc,
                              LLVM::LLVMFuncOp malloc) {
  // A cached block of exactly `size` bytes, else the smallest cached block
  // that holds it, else malloc (with a header).
  Region &region = alloc.getBody();
  Block *entry = alloc.addEntryBlock(b);
  Block *spin = new Block(), *locked = new Block(), *scanned = new Block(),
        *claim = new Block(), *fresh = new Block(), *failed = new Block();
  for (Block *block : {spin, locked})
    region.push_back(block);
  OpBuilder b(entry, entry->end());
  Value size = entry->getArgument(0);
  lock(b, spin, locked);
  Value null = LLVM::ZeroOp::create(b, loc, ptr);
  // One scan of the slots. A model allocates the same sizes on every call:
  // a block of exactly the size asked for is taken as soon as it is found;
  // meanwhile the smallest one that holds it is remembered (best block,
  // its slot, its capacity: carried through the loop).
  Value i;
  SmallVector<Value> carried;
  Block *header = slotLoop(b, region, loadUsed(b),
                           {null, null, constant(b, i64, -1)}, scanned, i,
                           carried);
  Value best = carried[0], bestSlot = carried[1], bestCap = carried[2];
  Value s = slot(b, i);
  Value p = LLVM::LoadOp::create(b, loc, ptr, s, /*alignment=*/8);
  Value empty = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, p, null);
  // An empty slot's "capacity" is read from the slot itself (0).
  Value headerPtr = LLVM::SelectOp::create(b, loc, empty, s, p);
  Value cap = LLVM::LoadOp::create(b, loc, i64, headerPtr, /*alignment=*/8);
  Value notEmpty =
      LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ne, p, null);
  Value exact = LLVM::AndOp::create(
      b, loc, notEmpty,
      LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, cap, size));
  storeAndReturnIf(b, region, exact, null, s, offset(b, p, kHeader));
  Value fits = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::uge, cap,
                                    size);
  Value smaller = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ult, cap,
                                       bestCap);
  Value better = LLVM::AndOp::create(
      b, loc, notEmpty, LLVM::AndOp::create(b, loc, fits, smaller));
  nextSlot(b, i,
           {LLVM::SelectOp::create(b, loc, better, p, best),
            LLVM::SelectOp::create(b, loc, better, s, bestSlot),
            LLVM::SelectOp::create(b, loc, better, cap, bestCap)},
           header);

  for (Block *block : {scanned, claim, fresh, failed})
    region.push_back(block);
  scanned->addArgument(ptr, loc);
  scanned->addArgument(ptr, loc);
  scanned->addArgument(i64, loc);
  b.setInsertionPointToStart(scanned);
  best = scanned->getArgument(0);
  bestSlot = scanned->getArgument(1);
  Value found =
      LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ne, best, null);
  LLVM::CondBrOp::create(b, loc, found, claim, fresh);

  b.setInsertionPointToStart(claim);
  LLVM::StoreOp::create(b, loc, null, bestSlot, /*alignment=*/8);
  unlock(b);
  LLVM::ReturnOp::create(b, loc, offset(b, best, kHeader));

  b.setInsertionPointToStart(fresh);
  unlock(b);
  Value total = LLVM::AddOp::create(b, loc, size, constant(b, i64, kHeader));
  Value block =
      LLVM::CallOp::create(b, loc, malloc, ValueRange{total}).getResult();
  Value isNull =
      LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, block, null);
  Block *ok = new Block();
  region.push_back(ok);
  LLVM::CondBrOp::create(b, loc, isNull, failed, ok);
  b.setInsertionPointToStart(failed);
  LLVM::ReturnOp::create(b, loc, null);
  b.setInsertionPointToStart(ok);
  LLVM::StoreOp::create(b, loc, size, block, /*alignment=*/8);
  LLVM::ReturnOp::create(b, loc, offset(b, block, kHeader));
}

void CacheBuilder::buildFree(LLVM::LLVMFuncOp free,
                             LLVM::LLVMFuncOp libcFree) {
  // Into the first empty slot; to libc's free when all are taken.
  Region &region = free.getBody();
  Block *entry = free.addEntryBlock(b);
  Block *done = new Block(), *spin = new Block(), *locked = new Block(),
        *full = new Block();
  for (Block *block : {done, spin, locked})
    region.push_back(block);
  OpBuilder b(entry, entry->end());
  Value q = entry->getArgument(0);
  Value null = LLVM::ZeroOp::create(b, loc, ptr);
  Value isNull = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, q, null);
  Block *go = new Block();
  region.push_back(go);
  LLVM::CondBrOp::create(b, loc, isNull, done, go);
  b.setInsertionPointToStart(done);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
  b.setInsertionPointToStart(go);
  Value p = offset(b, q, -kHeader);
  lock(b, spin, locked);
  Value i;
  SmallVector<Value> carried;
  Value used = loadUsed(b);
  Block *header = slotLoop(b, region, used, {}, full, i, carried);
  Value s = slot(b, i);
  Value held = LLVM::LoadOp::create(b, loc, ptr, s, /*alignment=*/8);
  Value empty =
      LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, held, null);
  storeAndReturnIf(b, region, empty, p, s, Value());
  nextSlot(b, i, {}, header);
  // No hole below the mark: the slot at the mark, while there is one.
  region.push_back(full);
  b.setInsertionPointToStart(full);
  Block *grow = new Block(), *toLibc = new Block();
  region.push_back(grow);
  region.push_back(toLibc);
  Value room = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ult, used,
                                    constant(b, i64, kSlots));
  LLVM::CondBrOp::create(b, loc, room, grow, toLibc);
  b.setInsertionPointToStart(grow);
  LLVM::StoreOp::create(b, loc, p, slot(b, used), /*alignment=*/8);
  storeUsed(b, LLVM::AddOp::create(b, loc, used, constant(b, i64, 1)));
  unlock(b);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
  b.setInsertionPointToStart(toLibc);
  unlock(b);
  LLVM::CallOp::create(b, loc, libcFree, ValueRange{p});
  LLVM::ReturnOp::create(b, loc, ValueRange{});
}

void CacheBuilder::buildRelease(LLVM::LLVMFuncOp release,
                                LLVM::LLVMFuncOp libcFree) {
  // At exit: every cached block back to libc (no lock: nothing runs then).
  Region &region = release.getBody();
  Block *entry = release.addEntryBlock(b);
  Block *done = new Block();
  OpBuilder b(entry, entry->end());
  Value null = LLVM::ZeroOp::create(b, loc, ptr);
  Value i;
  SmallVector<Value> carried;
  Block *header = slotLoop(b, region, loadUsed(b), {}, done, i, carried);
  Value s = slot(b, i);
  Value p = LLVM::LoadOp::create(b, loc, ptr, s, /*alignment=*/8);
  LLVM::CallOp::create(b, loc, libcFree, ValueRange{p}); // free(NULL) is fine
  LLVM::StoreOp::create(b, loc, null, s, /*alignment=*/8);
  nextSlot(b, i, {}, header);
  region.push_back(done);
  b.setInsertionPointToStart(done);
  storeUsed(b, constant(b, i64, 0));
  LLVM::ReturnOp::create(b, loc, ValueRange{});
}

void CacheBuilder::build(LLVM::LLVMFuncOp alloc, LLVM::LLVMFuncOp free) {
  MLIRContext *ctx = module.getContext();
  if (!free)
    free = declare(kFreeName, LLVM::LLVMVoidType::get(ctx), {ptr});
  slotsType = LLVM::LLVMArrayType::get(ptr, kSlots);
  b.setInsertionPointToStart(module.getBody());
  auto slots = LLVM::GlobalOp::create(b, loc, slotsType, /*isConstant=*/false,
                                      LLVM::Linkage::Internal, slotsName,
                                      Attribute(), /*alignment=*/8);
  {
    // Zero-initialized.
    Block *init = new Block();
    slots.getInitializerRegion().push_back(init);
    OpBuilder ib(init, init->end());
    LLVM::ReturnOp::create(ib, loc, LLVM::ZeroOp::create(ib, loc, slotsType));
  }
  LLVM::GlobalOp::create(b, loc, i32, /*isConstant=*/false,
                         LLVM::Linkage::Internal, lockName,
                         b.getI32IntegerAttr(0), /*alignment=*/4);
  LLVM::GlobalOp::create(b, loc, i64, /*isConstant=*/false,
                         LLVM::Linkage::Internal, usedName,
                         b.getI64IntegerAttr(0), /*alignment=*/8);
  LLVM::LLVMFuncOp malloc = declare("malloc", ptr, {i64});
  LLVM::LLVMFuncOp libcFree =
      declare("free", LLVM::LLVMVoidType::get(ctx), {ptr});
  b.setInsertionPointToEnd(module.getBody());
  auto release = LLVM::LLVMFuncOp::create(
      b, loc, "_qo_temporaries_cache_release",
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {}),
      LLVM::Linkage::Internal);
  // Called once per temporary: inlined, their loops multiplied a large
  // model's code (DenseNet-121 int8: LLVM optimization and machine code
  // 30% slower).
  for (LLVM::LLVMFuncOp f : {alloc, free}) {
    f.setLinkage(LLVM::Linkage::Internal);
    f.setNoInline(true);
  }
  buildAlloc(alloc, malloc);
  buildFree(free, libcFree);
  buildRelease(release, libcFree);
  LLVM::GlobalDtorsOp::create(
      b, loc, b.getArrayAttr({FlatSymbolRefAttr::get(release)}),
      b.getI32ArrayAttr({65535}), b.getArrayAttr({LLVM::ZeroAttr::get(ctx)}));
}

namespace {

struct QuantSimCacheTemporariesPass
    : quantsim::impl::QuantSimCacheTemporariesPassBase<
          QuantSimCacheTemporariesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto alloc = module.lookupSymbol<LLVM::LLVMFuncOp>(kAllocName);
    auto free = module.lookupSymbol<LLVM::LLVMFuncOp>(kFreeName);
    if (!alloc && !free)
      return;
    // A module whose only buffers are returned allocates and never frees
    // (the reverse cannot happen): build() declares free then.
    if (!alloc || !alloc.isExternal() || (free && !free.isExternal())) {
      module.emitError("quantsim-cache-temporaries: expected declarations of ")
          << kAllocName << " and " << kFreeName
          << " (finalize-memref-to-llvm with use-generic-functions)";
      return signalPassFailure();
    }
    CacheBuilder(module).build(alloc, free);
  }
};

} // namespace

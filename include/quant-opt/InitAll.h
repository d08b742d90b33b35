//===- InitAll.h - register every dialect and pass --------------*- C++ -*-===//
//
// Part of quant-opt. What the tools register: every upstream dialect,
// extension and pass a quantization compiler meets, plus quant-opt's own.
// A compiler that links quant-opt as a backend calls these too.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_INITALL_H
#define QUANTOPT_INITALL_H

namespace mlir {
class DialectRegistry;

namespace quantsim {

/// Upstream dialects and their interface extensions, plus quantsim.
void registerAllDialects(DialectRegistry &registry);

/// Upstream passes, quant-opt's passes and its named pipelines.
void registerAllPasses();

} // namespace quantsim
} // namespace mlir

#endif // QUANTOPT_INITALL_H

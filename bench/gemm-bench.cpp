//===- gemm-bench.cpp - int8 and fp32 GEMM: quant-opt vs oneDNN -----------===//
//
// Part of quant-opt. Benchmark, not a test: for each shape M x N x K, times
// quant-opt's code for tosa.matmul (u8 x s8 -> s32, as i8 with a -128 zero
// point, and f32 x f32 -> f32) and oneDNN's matmul primitive (u8 x s8 -> s32
// and f32) in the same process, single-threaded, and prints median times,
// GOPS (2 M N K / time) and ratios. quant-opt's code is whatever pipeline the
// JIT session uses (today: the scalar reference lowering at LLVM -O3 for the
// host CPU, which LLVM may auto-vectorize).
//
//   build/bin/quant-opt-gemm-bench [--runs=N] [--shapes=MxNxK,...]
//
//===----------------------------------------------------------------------===//

#include "quant-opt/InitAll.h"
#include "quant-opt/Runtime/JitSession.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <dlfcn.h>
#include <functional>
#include <random>

using namespace mlir;
using namespace mlir::quantsim;
namespace cl = llvm::cl;

// Ten runs of a 0.1 ms GEMM gave medians 25% apart from one run of the
// bench to the next on a shared machine; two hundred, a few percent.
static cl::opt<unsigned> runs("runs", cl::desc("timed runs per measurement"),
                              cl::init(200));
static cl::opt<std::string> shapes(
    "shapes", cl::desc("comma-separated MxNxK"),
    cl::init("1x1024x1024,64x256x784,256x256x256,1024x1024x1024"));

struct Shape {
  int64_t m, n, k;
};

/// Median milliseconds of `fn` over `count` runs after one warm-up; large
/// problems get a tenth of the runs (at least 3).
static double medianMs(const std::function<void()> &fn, double flops) {
  fn();
  unsigned count = flops > 1e9 ? std::max(3u, runs / 10) : runs.getValue();
  std::vector<double> ms;
  for (unsigned r = 0; r < count; ++r) {
    auto start = std::chrono::steady_clock::now();
    fn();
    auto end = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

/// B is a constant, as weights are in inference: quant-opt packs it at
/// compile time (oneDNN gets it as a plain runtime buffer).
static std::string gemmModule(Shape s, bool int8) {
  std::string a = llvm::formatv("tensor<1x{0}x{1}x{2}>", s.m, s.k,
                                int8 ? "i8" : "f32");
  std::string b = llvm::formatv("tensor<1x{0}x{1}x{2}>", s.k, s.n,
                                int8 ? "i8" : "f32");
  std::string c = llvm::formatv("tensor<1x{0}x{1}x{2}>", s.m, s.n,
                                int8 ? "i32" : "f32");
  std::string zpType = int8 ? "tensor<1xi8>" : "tensor<1xf32>";
  // u8 data is i8 with zero point -128 (v_u8 = v_i8 + 128).
  std::string azp = int8 ? "dense<-128>" : "dense<0.0>";
  std::string bzp = int8 ? "dense<0>" : "dense<0.0>";
  std::mt19937 rng(2);
  std::string bytes;
  for (int64_t i = 0; i < s.k * s.n; ++i) {
    if (int8) {
      bytes.push_back(static_cast<char>(rng()));
    } else {
      float v = static_cast<float>(rng() % 200) / 100.f - 1.f;
      bytes.append(reinterpret_cast<const char *>(&v), sizeof v);
    }
  }
  return llvm::formatv(R"(
func.func @gemm(%a: {0}) -> {2} {
  %b = arith.constant dense<"0x{6}"> : {1}
  %azp = "tosa.const"() <{values = {3} : {5}}> : () -> {5}
  %bzp = "tosa.const"() <{values = {4} : {5}}> : () -> {5}
  %c = tosa.matmul %a, %b, %azp, %bzp : ({0}, {1}, {5}, {5}) -> {2}
  return %c : {2}
})",
                       a, b, c, azp, bzp, zpType, llvm::toHex(bytes));
}

/// quant-opt: median ms of the JIT-compiled GEMM.
static double ours(MLIRContext &context, Shape s, bool int8) {
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(gemmModule(s, int8), &context);
  auto session = JitSession::create(*module, "gemm");
  if (!session) {
    llvm::errs() << llvm::toString(session.takeError()) << "\n";
    std::exit(1);
  }
  std::mt19937 rng(1);
  SmallVector<NpyArray> inputs, outputs;
  for (const TensorSpec &spec : (*session)->inputs()) {
    inputs.emplace_back(spec.dtype, spec.shape);
    for (char &byte : inputs.back().data)
      byte = static_cast<char>(int8 ? rng() : 0);
    if (!int8)
      for (int64_t i = 0; i < inputs.back().numElements(); ++i)
        inputs.back().as<float>()[i] = static_cast<float>(rng() % 200) / 100.f;
  }
  for (const TensorSpec &spec : (*session)->outputs())
    outputs.emplace_back(spec.dtype, spec.shape);
  SmallVector<const NpyArray *> ptrs;
  for (NpyArray &a : inputs)
    ptrs.push_back(&a);
  return medianMs(
      [&] {
        if (llvm::Error err = (*session)->run(ptrs, outputs)) {
          llvm::errs() << llvm::toString(std::move(err)) << "\n";
          std::exit(1);
        }
      },
      2.0 * s.m * s.n * s.k);
}

/// oneDNN: median ms of its matmul primitive (u8 x s8 -> s32 or f32).
static double onednn(Shape s, bool int8) {
  using namespace dnnl;
  using dt = memory::data_type;
  engine eng(engine::kind::cpu, 0);
  stream strm(eng);
  memory::desc a({s.m, s.k}, int8 ? dt::u8 : dt::f32, memory::format_tag::ab);
  memory::desc b({s.k, s.n}, int8 ? dt::s8 : dt::f32, memory::format_tag::ab);
  memory::desc c({s.m, s.n}, int8 ? dt::s32 : dt::f32, memory::format_tag::ab);
  matmul::primitive_desc pd(matmul::desc(a, b, c), eng);
  matmul prim(pd);
  memory am(a, eng), bm(b, eng), cm(c, eng);
  std::mt19937 rng(1);
  for (memory *m : {&am, &bm}) {
    char *p = static_cast<char *>(m->get_data_handle());
    size_t bytes = m->get_desc().get_size();
    for (size_t i = 0; i < bytes; ++i)
      p[i] = static_cast<char>(int8 ? rng() : 0);
    if (!int8)
      for (size_t i = 0; i < bytes / 4; ++i)
        reinterpret_cast<float *>(p)[i] = static_cast<float>(rng() % 200) / 100.f;
  }
  return medianMs(
      [&] {
        prim.execute(strm, {{DNNL_ARG_SRC, am},
                            {DNNL_ARG_WEIGHTS, bm},
                            {DNNL_ARG_DST, cm}});
        strm.wait();
      },
      2.0 * s.m * s.n * s.k);
}

int main(int argc, char **argv) {
  // oneDNN here uses OpenMP: one thread. libgomp reads OMP_NUM_THREADS
  // when it is loaded, before main, so the variable alone only holds for
  // other runtimes; the runtime's own call sets it for this process.
  setenv("OMP_NUM_THREADS", "1", /*overwrite=*/1);
  if (auto *setThreads = reinterpret_cast<void (*)(int)>(
          dlsym(RTLD_DEFAULT, "omp_set_num_threads")))
    setThreads(1);
  cl::ParseCommandLineOptions(argc, argv, "quant-opt GEMM benchmark\n");

  SmallVector<Shape> list;
  SmallVector<StringRef> items;
  StringRef(shapes).split(items, ',', -1, false);
  for (StringRef item : items) {
    SmallVector<StringRef> dims;
    item.split(dims, 'x');
    Shape s;
    if (dims.size() != 3 || dims[0].getAsInteger(10, s.m) ||
        dims[1].getAsInteger(10, s.n) || dims[2].getAsInteger(10, s.k)) {
      llvm::errs() << "bad shape '" << item << "' (want MxNxK)\n";
      return 1;
    }
    list.push_back(s);
  }

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllToLLVMIRTranslations(registry);
  MLIRContext context(registry);

  llvm::outs() << "GEMM, single thread, median of runs; GOPS = 2*M*N*K / "
                  "time. int8 = u8 x s8 -> s32.\n";
  llvm::outs() << llvm::formatv(
      "{0,-16} {1,11} {2,11} {3,9} {4,11} {5,11} {6,9} {7,10}\n", "MxNxK",
      "ours i8", "oneDNN i8", "ratio", "ours f32", "oneDNN f32", "ratio",
      "ours i8/f32");
  for (Shape s : list) {
    double ops = 2.0 * s.m * s.n * s.k;
    auto gops = [&](double ms) { return ops / (ms * 1e6); };
    double oi = ours(context, s, true), di = onednn(s, true);
    double of = ours(context, s, false), df = onednn(s, false);
    llvm::outs() << llvm::formatv(
        "{0,-16} {1,11:f2} {2,11:f2} {3,9:f3} {4,11:f2} {5,11:f2} {6,9:f3} "
        "{7,10:f2}\n",
        llvm::formatv("{0}x{1}x{2}", s.m, s.n, s.k).str(), gops(oi), gops(di),
        gops(oi) / gops(di), gops(of), gops(df), gops(of) / gops(df),
        gops(oi) / gops(of));
    llvm::outs().flush();
  }
  llvm::outs() << "(columns: GOPS; 'ratio' = ours / oneDNN)\n";
  return 0;
}

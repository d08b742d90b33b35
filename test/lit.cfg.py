# -*- Python -*-
# lit configuration for quant-opt's FileCheck and execution tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "quant-opt"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.quant_opt_obj_root, "test")
# The GoogleTest units have their own config; Inputs hold data, not tests.
config.excludes = ["Unit", "Inputs", "regressions", "lit.cfg.py", "lit.site.cfg.py",
                   "CMakeLists.txt"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%shlibext", config.llvm_shlib_ext))
config.substitutions.append(("%quant_opt_src", config.quant_opt_src_root))
# Debian's dataset-fashion-mnist (installed by scripts/install-deps.sh).
config.substitutions.append(("%fashion_mnist", "/usr/share/datasets/fashion-mnist"))
# The reduced model zoo (examples/zoo/make_zoo.py writes it).
config.substitutions.append(
    ("%zoo", os.path.join(config.quant_opt_src_root, "examples", "zoo", "small")))
# The system C compiler for AOT tests: Debian's clang-22.
config.substitutions.append(("%cc", os.path.join(config.llvm_tools_dir, "clang")))
config.substitutions.append(("%quant_opt_obj", config.quant_opt_obj_root))
config.substitutions.append(("%mlir_lib_dir", config.mlir_lib_dir))
config.substitutions.append(
    ("%mlir_runner_utils",
     os.path.join(config.mlir_lib_dir, "libmlir_runner_utils" + config.llvm_shlib_ext)))
config.substitutions.append(
    ("%mlir_c_runner_utils",
     os.path.join(config.mlir_lib_dir, "libmlir_c_runner_utils" + config.llvm_shlib_ext)))

# Building a CMake project against the installed package (test/Install):
# cmake, and the compiler (and ccache) quant-opt itself was built with.
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(
    ("%consumer_cmake_flags",
     "-G Ninja -DCMAKE_CXX_COMPILER=%s -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld%s"
     % (config.cxx_compiler,
        " -DCMAKE_CXX_COMPILER_LAUNCHER=" + config.cxx_compiler_launcher
        if config.cxx_compiler_launcher else "")))

# Captured FileCheck variables do not leak across CHECK-LABELs.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope"

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.quant_opt_tools_dir, config.llvm_tools_dir]
tools = [
    "quant-opt",
    "quant-run",
    "quant-calibrate",
    "quant-translate",
    "fuzz-npy",
    "fuzz-fixed-point",
    "fuzz-onnx-import",
    "fuzz-mlir-pipelines",
    "llvm-objdump",
    "llvm-nm",
    ToolSubst("mlir-runner", config.mlir_runner, unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Built with AddressSanitizer (scripts/run-sanitizers.sh): its redzones and
# quarantine of freed blocks make peak-memory measurements meaningless.
if config.quant_opt_sanitize.upper() in ("ON", "TRUE", "1", "YES"):
    config.available_features.add("asan")

# Cross-architecture execution (test/Tools/quant-translate/aarch64-qemu.test):
# qemu-user and the aarch64 C library (scripts/install-deps.sh installs
# both: qemu-user, libc6-dev-arm64-cross, libgcc-12-dev-arm64-cross).
import shutil
if shutil.which("qemu-aarch64") and os.path.exists(
        "/usr/aarch64-linux-gnu/lib/libc.a"):
    config.available_features.add("qemu-aarch64")
else:
    lit_config.note("qemu-aarch64 or the aarch64 C library is missing: the "
                    "aarch64 execution tests are skipped (apt-get install "
                    "qemu-user libc6-dev-arm64-cross libgcc-12-dev-arm64-cross)")

# The libFuzzer targets (fuzz/; built when clang's fuzzer runtime is there).
if os.path.exists(os.path.join(config.quant_opt_tools_dir, "fuzz-npy")):
    config.available_features.add("libfuzzer")

# Generated code under valgrind (test/Tools/quant-translate/valgrind.test).
if shutil.which("valgrind"):
    config.available_features.add("valgrind")
else:
    lit_config.note("valgrind is missing: generated code is not checked "
                    "under it (apt-get install valgrind)")

// RUN: quant-opt %s --quantsim-byte-constants | FileCheck %s

// Constant globals become byte arrays of the same bytes, at least as
// aligned as their elements; a resource keeps its blob.
// CHECK: llvm.mlir.global private constant @w(dense_resource<w_blob> : tensor<24xi8>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<24 x i8>
llvm.mlir.global private constant @w(dense_resource<w_blob> : tensor<2x3xf32>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<2 x array<3 x f32>>

// 1.0 and 2.0 as little-endian f32 bytes (0x3F800000, 0x40000000).
// CHECK: llvm.mlir.global private constant @b(dense<[0, 0, -128, 63, 0, 0, 0, 64]> : tensor<8xi8>) {addr_space = 0 : i32, alignment = 4 : i64} : !llvm.array<8 x i8>
llvm.mlir.global private constant @b(dense<[1.0, 2.0]> : tensor<2xf32>) {addr_space = 0 : i32} : !llvm.array<2 x f32>

// i16 keeps 2-byte alignment.
// CHECK: llvm.mlir.global private constant @h(dense<[1, 0, -1, -1]> : tensor<4xi8>) {addr_space = 0 : i32, alignment = 2 : i64} : !llvm.array<4 x i8>
llvm.mlir.global private constant @h(dense<[1, -1]> : tensor<2xi16>) {addr_space = 0 : i32} : !llvm.array<2 x i16>

// Left alone: a splat (its raw data is one element), i1 (packed bits),
// mutable globals, and scalars.
// CHECK: llvm.mlir.global private constant @splat(dense<5.000000e-01> : tensor<4xf32>) {addr_space = 0 : i32} : !llvm.array<4 x f32>
llvm.mlir.global private constant @splat(dense<0.5> : tensor<4xf32>) {addr_space = 0 : i32} : !llvm.array<4 x f32>
// CHECK: llvm.mlir.global private constant @bits(dense<[true, false]> : tensor<2xi1>) {addr_space = 0 : i32} : !llvm.array<2 x i1>
llvm.mlir.global private constant @bits(dense<[true, false]> : tensor<2xi1>) {addr_space = 0 : i32} : !llvm.array<2 x i1>
// CHECK: llvm.mlir.global private @state(dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>) {addr_space = 0 : i32} : !llvm.array<2 x f32>
llvm.mlir.global private @state(dense<[1.0, 2.0]> : tensor<2xf32>) {addr_space = 0 : i32} : !llvm.array<2 x f32>
// CHECK: llvm.mlir.global private constant @scalar(3 : i32) {addr_space = 0 : i32} : i32
llvm.mlir.global private constant @scalar(3 : i32) {addr_space = 0 : i32} : i32

{-#
  dialect_resources: {
    builtin: {
      w_blob: "0x040000000000803F000000400000404000008040000080400000A040"
    }
  }
#-}

// RUN: quant-opt %s --quantsim-cpu-kernels=target-cpu=sapphirerapids --canonicalize --cse --split-input-file | FileCheck %s
// RUN: quant-opt %s --quantsim-cpu-kernels=target-cpu=x86-64-v3 --split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: not quant-opt %s --quantsim-cpu-kernels=target-cpu=no-such-cpu --split-input-file 2>&1 | FileCheck %s --check-prefix=BADCPU

// A 3x3 conv with 3 input and 20 output channels, its rescale and clamp
// become one loop nest. With fewer than 4 input channels the dot steps
// read rows of taps: the input is padded with its zero point (two columns
// on the right, so that the last row read stays inside it), flipped to u8
// and seen as rows of 6 x 3 bytes; each step takes 4 bytes of a row of 3
// taps x 3 channels (3 steps per row, the 3 bytes past it with zero
// weights). The filter is packed to match into 2 blocks of 16 channels,
// bias and zero points fold into one compensation constant
// (7 - (-5 + 128) * 27 = -3314 per real channel), and the last 4 channels
// are stored as a vector<4xi8>. The image is small, so its pixels are
// tiled as one band: the 2x3 output is one tile of 6 pixels x 2 vectors,
// pixel p at row p / 3, column p % 3.

// CHECK-LABEL: func.func @conv
// CHECK-DAG:     %[[CLAMP_HI:.*]] = arith.constant dense<127> : vector<16xi32>
// CHECK-DAG:     %[[CLAMP_LO:.*]] = arith.constant dense<3> : vector<16xi32>
// CHECK-DAG:     %[[COMP:.*]] = arith.constant dense<{{\[}}-3314, -3314, -3314, -3314, -3314, -3314, -3314, -3314, -3314, -3314, -3314, -3314, -3314, -3314, -3314, -3314, -3314, -3314, -3314, -3314, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]> : tensor<32xi32>
// CHECK-DAG:     %[[PACKED:.*]] = arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<2x3x1x3x64xi8>
// CHECK-DAG:     %[[FLIP:.*]] = arith.constant dense<-128> : tensor<1x4x6x3xi8>
// CHECK-DAG:     %[[ZP:.*]] = arith.constant -5 : i8
// CHECK:         %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 2, 0]
// CHECK:           tensor.yield %[[ZP]] : i8
// CHECK:         %[[U8:.*]] = arith.xori %[[PAD]], %[[FLIP]] : tensor<1x4x6x3xi8>
// CHECK:         %[[ROWS:.*]] = tensor.collapse_shape %[[U8]] {{\[}}[0], [1], [2, 3]] : tensor<1x4x6x3xi8> into tensor<1x4x18xi8>
// CHECK:           scf.for %[[KH:[a-z0-9_]+]] = {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// CHECK:             scf.for %[[G:[a-z0-9_]+]] = {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// CHECK:               %[[W0:.*]] = vector.transfer_read %[[PACKED]][%c0, %[[KH]], %c0, %[[G]], %c0], %{{.*}} {in_bounds = [true]} : tensor<2x3x1x3x64xi8>, vector<64xi8>
// CHECK:               %[[W1:.*]] = vector.transfer_read %[[PACKED]][%c1, %[[KH]], %c0, %[[G]], %c0], %{{.*}} {in_bounds = [true]} : tensor<2x3x1x3x64xi8>, vector<64xi8>
// CHECK:               %[[X:.*]] = vector.transfer_read %[[ROWS]][{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<1x4x18xi8>, vector<4xi8>
// CHECK:               %[[XW:.*]] = vector.bitcast %[[X]] : vector<4xi8> to vector<1xi32>
// CHECK:               %[[XS:.*]] = vector.extract %[[XW]][0] : i32 from vector<1xi32>
// CHECK:               %[[XB:.*]] = vector.broadcast %[[XS]] : i32 to vector<16xi32>
// CHECK:               %[[A:.*]] = vector.bitcast %[[XB]] : vector<16xi32> to vector<64xi8>
// CHECK:               quantsim.dot_u8s8 %{{.*}}, %[[A]], %[[W0]] : vector<64xi8> -> vector<16xi32>
// CHECK:               quantsim.dot_u8s8 %{{.*}}, %[[A]], %[[W1]] : vector<64xi8> -> vector<16xi32>
// CHECK:           %[[C0:.*]] = vector.transfer_read %[[COMP]][%c0], %{{.*}} : tensor<32xi32>, vector<16xi32>
// The rescale runs on the even and the odd lanes apart, as 8 i64 lanes of
// sign-extended 32-bit values (what vpmuldq multiplies), joined by a shift
// and an or into the 16 truncated i32 results. The channels' parameters are
// split so once for all of the tile's rows.
// CHECK:           vector.shuffle %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14] : vector<16xi64>, vector<16xi64>
// CHECK:           %[[ACC:.*]] = arith.addi %{{.*}}#0, %[[C0]] : vector<16xi32>
// CHECK:           %[[Q:.*]] = vector.bitcast %[[ACC]] : vector<16xi32> to vector<8xi64>
// CHECK:           %[[LO:.*]] = arith.shli %[[Q]], %[[C32:.*]] : vector<8xi64>
// CHECK:           %[[EVEN:.*]] = arith.shrsi %[[LO]], %[[C32]] : vector<8xi64>
// CHECK:           %[[ODD:.*]] = arith.shrsi %[[Q]], %[[C32]] : vector<8xi64>
// CHECK:           %[[MULE:.*]] = arith.muli %[[EVEN]], %{{.*}} : vector<8xi64>
// CHECK:           %[[RNDE:.*]] = arith.addi %[[MULE]], %{{.*}} : vector<8xi64>
// CHECK:           %[[SGNE:.*]] = arith.cmpi sge, %[[EVEN]], %{{.*}} : vector<8xi64>
// CHECK:           %[[DRE:.*]] = arith.select %[[SGNE]], %{{.*}}, %{{.*}} : vector<8xi1>, vector<8xi64>
// CHECK:           %[[SUME:.*]] = arith.addi %[[RNDE]], %[[DRE]] : vector<8xi64>
// CHECK:           %[[SHRE:.*]] = arith.shrsi %[[SUME]], %{{.*}} : vector<8xi64>
// CHECK:           %[[MULO:.*]] = arith.muli %[[ODD]], %{{.*}} : vector<8xi64>
// CHECK:           %[[SHRO:.*]] = arith.shrsi %{{.*}}, %{{.*}} : vector<8xi64>
// CHECK:           %[[LOW:.*]] = arith.andi %[[SHRE]], %{{.*}} : vector<8xi64>
// CHECK:           %[[HIGH:.*]] = arith.shli %[[SHRO]], %[[C32]] : vector<8xi64>
// CHECK:           %[[JOIN:.*]] = arith.ori %[[LOW]], %[[HIGH]] : vector<8xi64>
// CHECK:           %[[N32:.*]] = vector.bitcast %[[JOIN]] : vector<8xi64> to vector<16xi32>
// CHECK:           %[[ZPO:.*]] = arith.addi %[[N32]], %[[CLAMP_LO]] : vector<16xi32>
// CHECK:           %[[MAX:.*]] = arith.maxsi %[[ZPO]], %[[CLAMP_LO]] : vector<16xi32>
// CHECK:           %[[MIN:.*]] = arith.minsi %[[MAX]], %[[CLAMP_HI]] : vector<16xi32>
// CHECK:           %[[I8:.*]] = arith.trunci %[[MIN]] : vector<16xi32> to vector<16xi8>
// CHECK:           vector.transfer_write %[[I8]], %{{.*}}[%c0, %c0, %c0, %c0] {in_bounds = [true]} : vector<16xi8>, tensor<1x2x3x20xi8>
// CHECK-NOT:       vector.shuffle
// CHECK:           arith.addi %{{.*}}#2, %[[C0]] : vector<16xi32>
// CHECK-NOT:       vector.shuffle
// CHECK:           arith.addi %{{.*}}#4, %[[C0]] : vector<16xi32>
// CHECK:           %[[TAIL:.*]] = vector.extract_strided_slice %{{.*}} {offsets = [0], sizes = [4], strides = [1]} : vector<16xi8> to vector<4xi8>
// CHECK:           vector.transfer_write %[[TAIL]], %{{.*}}[%c0, %c0, %c0, %c16] {in_bounds = [true]} : vector<4xi8>, tensor<1x2x3x20xi8>
// CHECK-NOT:     tosa.
// CHECK:         return

// Without AVX-512 the tile is 4 pixels x 2 vectors (fewer registers); the
// dot step is the same op, lowered later to portable vector code.
// AVX2-LABEL: func.func @conv
// AVX2:         scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// AVX2-COUNT-6:   quantsim.dot_u8s8
// AVX2-NOT:       quantsim.dot_u8s8
// AVX2:           scf.yield

// BADCPU-NOT: not a recognized processor
// BADCPU: error: --quantsim-cpu-kernels: unknown CPU 'no-such-cpu' for target 'x86_64-{{.*}}'
func.func @conv(%x: tensor<1x2x3x3xi8>) -> tensor<1x2x3x20xi8> {
  %w = arith.constant dense<1> : tensor<20x3x3x3xi8>
  %b = "tosa.const"() <{values = dense<7> : tensor<20xi32>}> : () -> tensor<20xi32>
  %xzp = "tosa.const"() <{values = dense<-5> : tensor<1xi8>}> : () -> tensor<1xi8>
  %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %acc = tosa.conv2d %x, %w, %b, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x2x3x3xi8>, tensor<20x3x3x3xi8>, tensor<20xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x3x20xi32>
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<36> : tensor<1xi8>}> : () -> tensor<1xi8>
  %iz = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %oz = "tosa.const"() <{values = dense<3> : tensor<1xi8>}> : () -> tensor<1xi8>
  %q = tosa.rescale %acc, %m, %s, %iz, %oz {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x2x3x20xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x2x3x20xi8>
  %c = tosa.clamp %q {min_val = 3 : i8, max_val = 127 : i8} : (tensor<1x2x3x20xi8>) -> tensor<1x2x3x20xi8>
  return %c : tensor<1x2x3x20xi8>
}

// -----

// A non-zero weight zero point has no compensation form here: the chain
// stays for the generic lowering.
// CHECK-LABEL: func.func @weight_zero_point
// CHECK:         tosa.conv2d
// CHECK:         tosa.rescale
// CHECK-NOT:     quantsim.dot_u8s8
func.func @weight_zero_point(%x: tensor<1x2x3x4xi8>) -> tensor<1x2x3x16xi8> {
  %w = arith.constant dense<1> : tensor<16x1x1x4xi8>
  %b = "tosa.const"() <{values = dense<0> : tensor<16xi32>}> : () -> tensor<16xi32>
  %xzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %wzp = "tosa.const"() <{values = dense<3> : tensor<1xi8>}> : () -> tensor<1xi8>
  %acc = tosa.conv2d %x, %w, %b, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x3x4xi8>, tensor<16x1x1x4xi8>, tensor<16xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x3x16xi32>
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<36> : tensor<1xi8>}> : () -> tensor<1xi8>
  %iz = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %oz = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %q = tosa.rescale %acc, %m, %s, %iz, %oz {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x2x3x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x2x3x16xi8>
  return %q : tensor<1x2x3x16xi8>
}

// -----

// A matmul with a bias add: the activation becomes a 1 x M image of K
// channels and the result is collapsed back.
// CHECK-LABEL: func.func @matmul_bias
// CHECK:         %[[IMG:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2], [3]] output_shape [1, 1, 3, 8] : tensor<1x3x8xi8> into tensor<1x1x3x8xi8>
// CHECK:         arith.xori %[[IMG]], %{{.*}} : tensor<1x1x3x8xi8>
// CHECK:         quantsim.dot_u8s8
// CHECK:         %[[OUT:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3]] : tensor<1x1x3x16xi8> into tensor<1x3x16xi8>
// CHECK-NOT:     tosa.
// CHECK:         return %[[OUT]]
func.func @matmul_bias(%a: tensor<1x3x8xi8>) -> tensor<1x3x16xi8> {
  %w = arith.constant dense<2> : tensor<1x8x16xi8>
  %azp = "tosa.const"() <{values = dense<1> : tensor<1xi8>}> : () -> tensor<1xi8>
  %bzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %mm = tosa.matmul %a, %w, %azp, %bzp : (tensor<1x3x8xi8>, tensor<1x8x16xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x3x16xi32>
  %b = "tosa.const"() <{values = dense<100> : tensor<1x1x16xi32>}> : () -> tensor<1x1x16xi32>
  %acc = tosa.add %mm, %b : (tensor<1x3x16xi32>, tensor<1x1x16xi32>) -> tensor<1x3x16xi32>
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<36> : tensor<1xi8>}> : () -> tensor<1xi8>
  %iz = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %oz = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %q = tosa.rescale %acc, %m, %s, %iz, %oz {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x3x16xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x3x16xi8>
  return %q : tensor<1x3x16xi8>
}

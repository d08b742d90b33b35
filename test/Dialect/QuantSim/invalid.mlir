// RUN: quant-opt %s --split-input-file --verify-diagnostics

// Every message of the quantsim verifiers, one case each. Checks that C++
// callers alone can hit (scales that upstream's parser already refuses, an
// element type that the op's type constraint already refuses) are in
// unittests/Support/QuantParamsTest.cpp.

func.func @not_a_quant_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op expected a !quant.uniform type, got 'f32'}}
  %0 = quantsim.fake_quant %x, f32 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @any_quant_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op unsupported quantization type '!quant.any<i8:f32>'; expected a per-tensor or per-axis !quant.uniform}}
  %0 = quantsim.fake_quant %x, !quant.any<i8:f32> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @storage_too_wide(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op storage type of 32 bits is not supported; fake quantization needs 2 to 16 bits}}
  %0 = quantsim.fake_quant %x, !quant.uniform<i32:f32, 0.5> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @storage_too_narrow(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op storage type of 1 bits is not supported; fake quantization needs 2 to 16 bits}}
  %0 = quantsim.fake_quant %x, !quant.uniform<i1:f32, 0.5> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// One bit past the widest supported storage.
func.func @storage_17_bits(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op storage type of 17 bits is not supported; fake quantization needs 2 to 16 bits}}
  %0 = quantsim.fake_quant %x, !quant.uniform<i17:f32, 0.5> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @expressed_not_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op expressed type 'f16' is not supported; expected f32}}
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f16, 0.5> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @element_not_f32(%x: tensor<4xf16>) -> tensor<4xf16> {
  // expected-error @+1 {{'quantsim.fake_quant' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<4xf16>'}}
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.5> : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @zero_scale(%x: tensor<4xf32>) -> tensor<4xf32> {
  // Upstream's type parser refuses it before the op sees it.
  // expected-error @+1 {{scale 0.000000e+00 out of expressed type range}}
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.0> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @zero_point_out_of_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op zero point 300 is outside the storage range [-128, 127]}}
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.5:300> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @zero_point_outside_narrow_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op zero point -128 is outside the storage range [-127, 127]}}
  %0 = quantsim.fake_quant %x, !quant.uniform<i8<-127:127>:f32, 0.5:-128> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @zero_point_u4(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op zero point 16 is outside the storage range [0, 15]}}
  %0 = quantsim.fake_quant %x, !quant.uniform<u4:f32, 0.5:16> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @per_axis_zero_point(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op channel 1: zero point 200 is outside the storage range [-128, 127]}}
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32:1, {0.5:0, 0.5:200}> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @axis_out_of_range(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op quantized axis 2 is out of range for a tensor of rank 2}}
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32:2, {0.5, 0.5}> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @axis_dynamic(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op per-axis quantization needs a static size along axis 0}}
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32:0, {0.5, 0.5}> : tensor<?x2xf32>
  return %0 : tensor<?x2xf32>
}

// -----

func.func @axis_size_mismatch(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op tensor has 2 elements along axis 0 but the quantization type has 3 scales}}
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32:0, {0.5, 0.5, 0.5}> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @result_type_mismatch(%x: tensor<4xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'quantsim.fake_quant' op requires the same type for all operands and results}}
  %0 = "quantsim.fake_quant"(%x) {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @observe_empty_name(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observe' op observer name must not be empty}}
  %0 = quantsim.observe %x as "" using min_max : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @observe_unknown_kind(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{custom op 'quantsim.observe' expected string or keyword containing one of the following enum values for attribute 'kind' [min_max, moving_average_min_max, histogram]}}
  %0 = quantsim.observe %x as "a" using percentile : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @observe_axis_out_of_range(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'quantsim.observe' op axis 2 is out of range for a tensor of rank 2}}
  %0 = quantsim.observe %x as "a" using min_max axis 2 : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @observe_negative_axis(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'quantsim.observe' op axis -1 is out of range for a tensor of rank 2}}
  %0 = quantsim.observe %x as "a" using min_max axis -1 : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @observe_axis_dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'quantsim.observe' op per-axis observer needs a static size along axis 0}}
  %0 = quantsim.observe %x as "a" using min_max axis 0 : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @observe_missing_momentum(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observe' op a moving_average_min_max observer needs a 'momentum' attribute}}
  %0 = quantsim.observe %x as "a" using moving_average_min_max : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @observe_bad_momentum(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observe' op momentum 1.500000e+00 must be in (0, 1]}}
  %0 = quantsim.observe %x as "a" using moving_average_min_max {momentum = 1.5 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @observe_zero_momentum(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observe' op momentum 0.000000e+00 must be in (0, 1]}}
  %0 = quantsim.observe %x as "a" using moving_average_min_max {momentum = 0.0 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @observe_stray_momentum(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observe' op 'momentum' only applies to a moving_average_min_max observer}}
  %0 = quantsim.observe %x as "a" using min_max {momentum = 0.1 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @observe_missing_bins(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observe' op a histogram observer needs a 'bins' attribute}}
  %0 = quantsim.observe %x as "a" using histogram : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @observe_too_few_bins(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observe' op a histogram needs at least 2 bins, got 1}}
  %0 = quantsim.observe %x as "a" using histogram {bins = 1 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @observe_per_axis_histogram(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'quantsim.observe' op per-axis histogram observers are not supported}}
  %0 = quantsim.observe %x as "a" using histogram axis 0 {bins = 16 : i64} : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @observe_stray_bins(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observe' op 'bins' only applies to a histogram observer}}
  %0 = quantsim.observe %x as "a" using min_max {bins = 16 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @observe_stats_channels(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'quantsim.observe' op statistics have 2 channels but the observer has 3}}
  %0 = quantsim.observe %x as "a" using min_max axis 1 stats <min = [0.0, 0.0], max = [1.0, 1.0], count = 1> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @observe_stats_bins(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observe' op statistics have 3 histogram bins but the observer has 4}}
  %0 = quantsim.observe %x as "a" using histogram stats <min = [0.0], max = [1.0], histogram = [1, 2, 3], count = 1> {bins = 4 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @observe_stray_histogram(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observe' op statistics of a non-histogram observer must not carry a histogram}}
  %0 = quantsim.observe %x as "a" using min_max stats <min = [0.0], max = [1.0], histogram = [1, 2], count = 1> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{statistics need as many 'min' as 'max' values, at least one; got 1 and 2}}
func.func @stats_sizes() attributes {s = #quantsim.stats<min = [0.0], max = [1.0, 2.0], count = 1>}

// -----

// expected-error @+1 {{statistics need as many 'min' as 'max' values, at least one; got 0 and 0}}
func.func @stats_empty() attributes {s = #quantsim.stats<min = [], max = [], count = 1>}

// -----

// expected-error @+1 {{statistics for channel 1 have min 3.000000e+00 greater than max 2.000000e+00}}
func.func @stats_min_above_max() attributes {s = #quantsim.stats<min = [0.0, 3.0], max = [1.0, 2.0], count = 1>}

// -----

// 0x7FF0000000000000 is +inf as an f64 bit pattern.
// expected-error @+1 {{statistics for channel 0 are not finite}}
func.func @stats_not_finite() attributes {s = #quantsim.stats<min = [0.0], max = [0x7FF0000000000000], count = 1>}

// -----

// expected-error @+1 {{histogram counts must not be negative}}
func.func @stats_negative_bin() attributes {s = #quantsim.stats<min = [0.0], max = [1.0], histogram = [1, -2], count = 1>}

// -----

// expected-error @+1 {{observation count must not be negative, got -1}}
func.func @stats_negative_count() attributes {s = #quantsim.stats<min = [0.0], max = [1.0], count = -1>}

// -----

func.func @quantize_width(%x: tensor<4xf32>) -> tensor<4xi16> {
  // expected-error @+1 {{'quantsim.quantize' op integer element type 'i16' does not match the 8-bit storage of the quantization type}}
  %0 = quantsim.quantize %x, !quant.uniform<i8:f32, 0.5> : tensor<4xf32> -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @quantize_shape(%x: tensor<4xf32>) -> tensor<2x2xi8> {
  // expected-error @+1 {{'quantsim.quantize' op float type 'tensor<4xf32>' and integer type 'tensor<2x2xi8>' have different shapes}}
  %0 = quantsim.quantize %x, !quant.uniform<i8:f32, 0.5> : tensor<4xf32> -> tensor<2x2xi8>
  return %0 : tensor<2x2xi8>
}

// -----

func.func @quantize_params(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{'quantsim.quantize' op zero point 200 is outside the storage range [-128, 127]}}
  %0 = quantsim.quantize %x, !quant.uniform<i8:f32, 0.5:200> : tensor<4xf32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @quantize_to_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.quantize' op result #0 must be ranked tensor of signless integer values, but got 'tensor<4xf32>'}}
  %0 = quantsim.quantize %x, !quant.uniform<i8:f32, 0.5> : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dequantize_width(%q: tensor<4xi8>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.dequantize' op integer element type 'i8' does not match the 4-bit storage of the quantization type}}
  %0 = quantsim.dequantize %q, !quant.uniform<u4:f32, 0.5:8> : tensor<4xi8> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dequantize_axis(%q: tensor<2x3xi8>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'quantsim.dequantize' op tensor has 2 elements along axis 0 but the quantization type has 3 scales}}
  %0 = quantsim.dequantize %q, !quant.uniform<i8:f32:0, {1.0, 2.0, 3.0}> : tensor<2x3xi8> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @observe_bits(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observe' op bits must be in [2, 16], got 32}}
  %0 = quantsim.observe %x as "a" using min_max {bits = 32 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @observe_unsigned_narrow(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observe' op narrow_range needs signed storage (is_signed)}}
  %0 = quantsim.observe %x as "a" using min_max {narrow_range} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @stats_range_excludes_data(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{the histogram range [0.000000e+00, 4.000000e+00] does not contain [min, max]}}
  %0 = quantsim.observe %x as "a" using histogram stats <min = [-1.0], max = [3.5], histogram = [3, 7] in [0.0, 4.0], count = 2> {bins = 2 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @stats_range_empty(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{a histogram range must be two finite values [lo, hi] with lo < hi}}
  %0 = quantsim.observe %x as "a" using histogram stats <min = [1.0], max = [1.0], histogram = [3, 7] in [1.0, 1.0], count = 2> {bins = 2 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dot_lanes(%acc: vector<16xi32>, %a: vector<32xi8>, %b: vector<32xi8>) -> vector<16xi32> {
  // expected-error @+1 {{'quantsim.dot_u8s8' op needs 4 bytes per accumulator lane: 32 bytes for 16 lanes}}
  %0 = quantsim.dot_u8s8 %acc, %a, %b : vector<32xi8> -> vector<16xi32>
  return %0 : vector<16xi32>
}

// -----

func.func @dot_operand_types(%acc: vector<4xi32>, %a: vector<16xi8>, %b: vector<16xi32>) -> vector<4xi32> {
  // expected-error @+1 {{'quantsim.dot_u8s8' op operand #2 must be vector of 8-bit signless integer values of ranks 1}}
  %0 = "quantsim.dot_u8s8"(%acc, %a, %b) : (vector<4xi32>, vector<16xi8>, vector<16xi32>) -> vector<4xi32>
  return %0 : vector<4xi32>
}

// -----

// expected-error @+1 {{'quantsim.keep_float' belongs on a function or an op in one}}
module attributes {quantsim.keep_float} {
}

// -----

// expected-error @+1 {{'quantsim.keep_float' is a unit attribute}}
func.func @keep_float_value() attributes {quantsim.keep_float = true} {
  return
}

// -----

func.func @observer_on_other_op(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observer' belongs on a quantsim.fake_quant}}
  %0 = tosa.abs %x {quantsim.observer = "a"} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @observer_not_string(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quantsim.observer' must be a string}}
  %0 = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.5> {quantsim.observer = 3 : i32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A misspelt attribute is an error, not silently ignored.
// expected-error @+1 {{unknown quantsim attribute 'quantsim.keepfloat'; known: quantsim.keep_float, quantsim.observer, quantsim.parallel, quantsim.test_compare, quantsim.workspace_bytes, quantsim.workspace_alignment}}
func.func @misspelt() attributes {quantsim.keepfloat} {
  return
}

// -----

func.func @parallel_not_a_count(%a: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{'quantsim.parallel' is a loop's work, a non-negative i64}}
  scf.for %i = %c0 to %c4 step %c1 {
  } {quantsim.parallel}
  return
}

// -----

func.func @parallel_not_on_a_loop(%a: f32) -> f32 {
  // expected-error @+1 {{'quantsim.parallel' is a loop's work, a non-negative i64}}
  %b = arith.addf %a, %a {quantsim.parallel = 5 : i64} : f32
  return %b : f32
}

// -----

// expected-error @+1 {{'quantsim.workspace_bytes' is a function's positive i64}}
func.func @workspace_zero() attributes {quantsim.workspace_bytes = 0 : i64} {
  return
}

// -----

func.func @workspace_on_an_op(%a: f32) -> f32 {
  // expected-error @+1 {{'quantsim.workspace_alignment' is a function's positive i64}}
  %b = arith.addf %a, %a {quantsim.workspace_alignment = 64 : i64} : f32
  return %b : f32
}

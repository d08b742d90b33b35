// RUN: quant-opt %s --split-input-file --verify-diagnostics --quantsim-fold-calibration="method=entropy"

func.func @no_stats(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{observer 'a' has no statistics: calibrate the module first (quant-calibrate)}}
  %0 = quantsim.observe %x as "a" using histogram {bins = 4 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @needs_histogram(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{method 'entropy' needs a histogram, but observer 'a' is min_max (insert observers with observer=histogram)}}
  %0 = quantsim.observe %x as "a" using min_max stats <min = [-1.0], max = [1.0], count = 4> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @nothing_seen(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{observer 'a' saw no finite value during calibration}}
  %0 = quantsim.observe %x as "a" using min_max stats <min = [0.0], max = [0.0], count = 0> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @nonfinite_weight() -> tensor<2xf32> {
  %w = "tosa.const"() <{values = dense<[1.0, 0x7F800000]> : tensor<2xf32>}> : () -> tensor<2xf32>
  // expected-error @+1 {{observer 'w' observes a constant with a non-finite value}}
  %0 = quantsim.observe %w as "w" using min_max {is_signed, symmetric, narrow_range} : tensor<2xf32>
  return %0 : tensor<2xf32>
}

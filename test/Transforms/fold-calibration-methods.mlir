// RUN: quant-opt %s --split-input-file --quantsim-fold-calibration | FileCheck %s --check-prefixes=CHECK,MINMAX
// RUN: quant-opt %s --split-input-file --quantsim-fold-calibration="method=percentile percentile=99" | FileCheck %s --check-prefixes=CHECK,PCT
// RUN: quant-opt %s --split-input-file --quantsim-fold-calibration="method=mse" | FileCheck %s --check-prefixes=CHECK,MSE
// RUN: quant-opt %s --split-input-file --quantsim-fold-calibration="method=entropy" | FileCheck %s --check-prefixes=CHECK,KL

// The range rules on histograms whose answer can be worked out by hand
// (docs/Calibration.md has the definitions).

// A histogram of 100 values over [0, 4]: 50, 30, 19 and 1 in the last bin.
// min/max keeps [0, 4] (scale 4/255); the 99th percentile is the end of
// the third bin, 3.0 (scale 3/255). With 256 levels and 4 bins entropy has
// nothing to merge and keeps [0, 4]; MSE clips the last bin a little
// (199/200 of the range: scale 3.98/255).
// CHECK-LABEL: func.func @histogram
// MINMAX: quantsim.fake_quant %{{.*}}, !quant.uniform<u8:f32, 0.015686275437474251> {quantsim.observer = "h"}
// PCT: quantsim.fake_quant %{{.*}}, !quant.uniform<u8:f32, 0.011764706112444401> {quantsim.observer = "h"}
// MSE: quantsim.fake_quant %{{.*}}, !quant.uniform<u8:f32, 0.015607843175530434> {quantsim.observer = "h"}
// KL: quantsim.fake_quant %{{.*}}, !quant.uniform<u8:f32, 0.015686275437474251> {quantsim.observer = "h"}
func.func @histogram(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = quantsim.observe %x as "h" using histogram stats <min = [0.0], max = [4.0], histogram = [50, 30, 19, 1], count = 25> {bins = 4 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A 2-bit unsigned grid (4 levels) over 16 bins of width 1 with one
// outlier in the last bin: min/max spends the levels on [0, 16] (scale
// 16/3). The others clip it. At the 99th percentile, 1% of 1081 values is 10.81,
// so the cut falls 0.019 into the 10-count bin [6, 7]: 6.019 (scale
// 6.019/3). Of the ranges 16 k/200, the squared error is least at
// 16 * 57/200 = 4.56 (scale 1.52). The KL divergence is least with the
// first 5 bins as the reference distribution (scale 5/3).
// CHECK-LABEL: func.func @outlier
// MINMAX: !quant.uniform<u2:f32, 5.3333334922790527>
// PCT: !quant.uniform<u2:f32, 2.0063333511352539>
// MSE: !quant.uniform<u2:f32, 1.5199999809265137>
// KL: !quant.uniform<u2:f32, 1.6666666269302368>
func.func @outlier(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = quantsim.observe %x as "o" using histogram stats <min = [0.0], max = [16.0], histogram = [400, 300, 200, 100, 50, 20, 10, 0, 0, 0, 0, 0, 0, 0, 0, 1] in [0.0, 16.0], count = 8> {bins = 16 : i64, bits = 2 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// quant-run on Debian's Fashion-MNIST test set (IDX, gzipped): --idx feeds the
// images as a batch, --labels prints top-1 accuracy, --agree-with the
// agreement with another model's predictions. Expected values from NumPy.
// RUN: quant-run %s --idx=%fashion_mnist/t10k-images-idx3-ubyte.gz --count=3 --print | FileCheck %s --check-prefix=SUMS
// RUN: quant-run %s --idx=%fashion_mnist/t10k-images-idx3-ubyte.gz --input-scale=0.00392156862745098 \
// RUN:   --labels=%fashion_mnist/t10k-labels-idx1-ubyte.gz \
// RUN:   --agree-with=%S/../../../examples/fashion-mnist/pytorch_int8_predictions.npy | FileCheck %s --check-prefix=ALL
// RUN: quant-run %s --idx=%fashion_mnist/t10k-images-idx3-ubyte.gz --offset=100 --count=100 \
// RUN:   --labels=%fashion_mnist/t10k-labels-idx1-ubyte.gz \
// RUN:   --agree-with=%S/../../../examples/fashion-mnist/pytorch_int8_predictions.npy | FileCheck %s --check-prefix=SLICE
// RUN: not quant-run %s --idx=%fashion_mnist/t10k-images-idx3-ubyte.gz --offset=9999 --count=2 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not quant-run %s --idx=%S/Inputs/x.npy 2>&1 | FileCheck %s --check-prefix=NOTIDX

// The first three images' pixel sums (scale 1), as logit 0 of each row.
// SUMS: output 0: 3x10xf32
// SUMS-NEXT: [33456, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100994, 0, 0, 0, 0, 0, 0, 0, 0, 0, 51520, 0, 0, 0, 0, 0, 0, 0, 0, 0]

// Every prediction is class 0: the test set has 1000 images of each class,
// and PyTorch's int8 model predicts class 0 for 998 of them.
// ALL: accuracy 10.00% (1000/10000)
// ALL-NEXT: agreement 9.98% (998/10000)

// Images 100..199: 12 of class 0; PyTorch predicts class 0 for 11.
// SLICE: accuracy 12.00% (12/100)
// SLICE-NEXT: agreement 11.00% (11/100)

// RANGE: quant-run: error: '{{.*}}t10k-images-idx3-ubyte.gz' has 10000 images; --offset 9999 --count 2 is out of range
// NOTIDX: quant-run: error: '{{.*}}x.npy': not an IDX file (bad magic)

// logits = [sum of the pixels, 0, ..., 0]
func.func @classify(%x: tensor<1x1x28x28xf32>) -> tensor<1x10xf32> {
  %a = tosa.reduce_sum %x {axis = 3 : i32} : (tensor<1x1x28x28xf32>) -> tensor<1x1x28x1xf32>
  %b = tosa.reduce_sum %a {axis = 2 : i32} : (tensor<1x1x28x1xf32>) -> tensor<1x1x1x1xf32>
  %shape = tosa.const_shape {values = dense<[1, 1]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %s = tosa.reshape %b, %shape : (tensor<1x1x1x1xf32>, !tosa.shape<2>) -> tensor<1x1xf32>
  %pads = tosa.const_shape {values = dense<[0, 0, 0, 9]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %zero = arith.constant dense<0.0> : tensor<1xf32>
  %y = tosa.pad %s, %pads, %zero : (tensor<1x1xf32>, !tosa.shape<4>, tensor<1xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

#!/usr/bin/python3
# Generates test/Integration/qat-*.mlir: small QAT islands and networks with
# seeded random weights (NumPy), each marked quantsim.test_compare so that
# --quantsim-test-compare-harness checks the integer lowering against the
# fake-quant original. Run once from the repository root with Debian's
# /usr/bin/python3 (python3-numpy) when a test changes; the generated files
# are committed, so the test suite itself needs no Python but lit.
import numpy as np
rng=np.random.default_rng(11)
def d(a):
    a=np.asarray(a,np.float32)
    return np.array2string(a, separator=', ', threshold=10**9, max_line_width=100000, formatter={'float_kind':lambda v: np.format_float_scientific(np.float32(v), unique=True, exp_digits=2)}).replace('\n','')
def chs(sc): return ", ".join(f"{v:.6g}" for v in sc)
HDR='''// RUN: quant-opt %s --quantsim-test-compare-harness --quantsim-lower-qat \\
// RUN:   --quantsim-reference-to-llvm \\
// RUN: | mlir-runner -e main -entry-point-result=void \\
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \\
// RUN: | FileCheck %s
'''
ZP='  %zp = arith.constant dense<0.0> : tensor<1xf32>\n'
def check(name,total,minexact):
    # regex accepting exact counts >= minexact
    opts='|'.join(str(v) for v in range(minexact,total+1))
    return f'// CHECK: {name} result 0: max_steps {{{{[01]}}}} exact {{{{({opts})}}}} of {total}\n'
out={}
# ---------------- matmul / FC
w1=rng.normal(0,0.2,(1,16,8)); s1=np.abs(w1).max(axis=1)[0]/127; b1=rng.normal(0,0.3,(1,1,8))
w2=rng.normal(0,0.2,(2,5,3));
fc=HDR+'''
// Fully-connected layers (tosa.matmul + bias add) and an activation x
// activation batched matmul, lowered to integer TOSA and compared with the
// fake-quant originals on seeded random inputs: within one step everywhere,
// at least 95% exactly equal.

'''+check('fc_per_channel',4*8,int(0.95*32)+1)+f'''func.func @fc_per_channel(%x: tensor<1x4x16xf32>) -> tensor<1x4x8xf32> attributes {{quantsim.test_compare}} {{
  %w = arith.constant dense<{d(w1)}> : tensor<1x16x8xf32>
  %b = arith.constant dense<{d(b1)}> : tensor<1x1x8xf32>
{ZP}  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.02:120> : tensor<1x4x16xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32:2, {{{chs(s1)}}}> : tensor<1x16x8xf32>
  %y = tosa.matmul %xq, %wq, %zp, %zp : (tensor<1x4x16xf32>, tensor<1x16x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8xf32>
  %yb = tosa.add %y, %b : (tensor<1x4x8xf32>, tensor<1x1x8xf32>) -> tensor<1x4x8xf32>
  %r = tosa.clamp %yb {{min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32}} : (tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  %rq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.03> : tensor<1x4x8xf32>
  return %rq : tensor<1x4x8xf32>
}}

'''+check('fc_per_tensor_s8',2*3*3,17)+f'''func.func @fc_per_tensor_s8(%x: tensor<2x3x5xf32>) -> tensor<2x3x3xf32> attributes {{quantsim.test_compare}} {{
  %w = arith.constant dense<{d(w2)}> : tensor<2x5x3xf32>
{ZP}  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.05:-7> : tensor<2x3x5xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32, 0.004:3> : tensor<2x5x3xf32>
  %y = tosa.matmul %xq, %wq, %zp, %zp : (tensor<2x3x5xf32>, tensor<2x5x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x3x3xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.02:5> : tensor<2x3x3xf32>
  return %yq : tensor<2x3x3xf32>
}}

'''+check('activation_matmul',2*4*4,31)+f'''func.func @activation_matmul(%a: tensor<2x4x6xf32>, %b: tensor<2x6x4xf32>) -> tensor<2x4x4xf32> attributes {{quantsim.test_compare}} {{
{ZP}  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.03:2> : tensor<2x4x6xf32>
  %bq = quantsim.fake_quant %b, !quant.uniform<u8:f32, 0.02:128> : tensor<2x6x4xf32>
  %y = tosa.matmul %aq, %bq, %zp, %zp : (tensor<2x4x6xf32>, tensor<2x6x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x4xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.08:-1> : tensor<2x4x4xf32>
  return %yq : tensor<2x4x4xf32>
}}
'''
out['qat-matmul.mlir']=fc
# ---------------- conv variants: s8 activations, per-tensor weights, stride 2; depthwise
wc=rng.normal(0,0.25,(5,3,3,2)); bc=rng.normal(0,0.1,(5,))
wd=rng.normal(0,0.3,(3,3,4,1)); sd=np.abs(wd).reshape(-1,4).max(0)/127; bd=rng.normal(0,0.1,(4,))
conv=HDR+'''
// More conv islands against their fake-quant originals: s8 activations with
// per-tensor weights and stride 2 (odd sizes), and depthwise_conv2d with
// per-channel weights (axis 2) and a fused ReLU.

'''+check('conv_stride2',1*4*4*5,76)+f'''func.func @conv_stride2(%x: tensor<1x7x7x2xf32>) -> tensor<1x4x4x5xf32> attributes {{quantsim.test_compare}} {{
  %w = arith.constant dense<{d(wc)}> : tensor<5x3x3x2xf32>
  %b = arith.constant dense<{d(bc)}> : tensor<5xf32>
{ZP}  %xq = quantsim.fake_quant %x, !quant.uniform<i8:f32, 0.04:-10> : tensor<1x7x7x2xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8:f32, 0.006> : tensor<5x3x3x2xf32>
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {{acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}} : (tensor<1x7x7x2xf32>, tensor<5x3x3x2xf32>, tensor<5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x5xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.05:3> : tensor<1x4x4x5xf32>
  return %yq : tensor<1x4x4x5xf32>
}}

'''+check('depthwise_relu',2*5*5*4,191)+f'''func.func @depthwise_relu(%x: tensor<2x5x5x4xf32>) -> tensor<2x5x5x4xf32> attributes {{quantsim.test_compare}} {{
  %w = arith.constant dense<{d(wd)}> : tensor<3x3x4x1xf32>
  %b = arith.constant dense<{d(bd)}> : tensor<4xf32>
{ZP}  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.02:100> : tensor<2x5x5x4xf32>
  %wq = quantsim.fake_quant %w, !quant.uniform<i8<-127:127>:f32:2, {{{chs(sd)}}}> : tensor<3x3x4x1xf32>
  %y = tosa.depthwise_conv2d %xq, %wq, %b, %zp, %zp {{acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}} : (tensor<2x5x5x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x5x5x4xf32>
  %r = tosa.clamp %y {{min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32}} : (tensor<2x5x5x4xf32>) -> tensor<2x5x5x4xf32>
  %rq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.01> : tensor<2x5x5x4xf32>
  return %rq : tensor<2x5x5x4xf32>
}}
'''
out['qat-conv-variants.mlir']=conv
# ---------------- elementwise
S='tensor<2x3x8xf32>'
def fn(name, args, body, ret='%yq', minfrac=0.95, total=48):
    a=', '.join(f'%{n}: {S}' for n in args)
    return check(name,total,int(minfrac*total)+ (0 if minfrac==0 else 1))+f'''func.func @{name}({a}) -> {S} attributes {{quantsim.test_compare}} {{
{body}  return {ret} : {S}
}}

'''
ew=HDR+'''
// Elementwise islands against their fake-quant originals: add and mul of two
// quantized tensors with different scales and zero points, a standalone
// clamp with requantization, and sigmoid / tanh through tosa.table.
// Scales are awkward, as calibrated ones are. Where a requantized value
// lands within an ulp of a .5 tie, the f32 fake-quant graph and TOSA's
// fixed-point rescale (ties half up) may round apart: one step at most.

'''
ew+=fn('add',['a','b'],f'''  %aq = quantsim.fake_quant %a, !quant.uniform<u8:f32, 0.0213:128> : {S}
  %bq = quantsim.fake_quant %b, !quant.uniform<i8:f32, 0.0347:-4> : {S}
  %y = tosa.add %aq, %bq : ({S}, {S}) -> {S}
  %r = tosa.clamp %y {{min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32}} : ({S}) -> {S}
  %yq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.0291> : {S}
''')
ew+=fn('mul',['a','b'],f'''  %shift = arith.constant dense<0> : tensor<1xi8>
  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.02:10> : {S}
  %bq = quantsim.fake_quant %b, !quant.uniform<u8:f32, 0.01:50> : {S}
  %y = tosa.mul %aq, %bq, %shift : ({S}, {S}, tensor<1xi8>) -> {S}
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.004:-3> : {S}
''')
ew+=fn('clamp_requant',['a'],f'''  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.0497:0> : {S}
  %y = tosa.clamp %aq {{min_val = -1.0 : f32, max_val = 2.5 : f32}} : ({S}) -> {S}
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0213:50> : {S}
''')

ew+=fn('sigmoid',['a'],f'''  %aq = quantsim.fake_quant %a, !quant.uniform<i8:f32, 0.06:0> : {S}
  %y = tosa.sigmoid %aq : ({S}) -> {S}
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.00390625> : {S}
''')
ew+=fn('tanh',['a'],f'''  %aq = quantsim.fake_quant %a, !quant.uniform<u8:f32, 0.03:128> : {S}
  %y = tosa.tanh %aq : ({S}) -> {S}
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.0078125> : {S}
''')
out['qat-elementwise.mlir']=ew
open('/tmp/gen_out.txt','w').write(repr(list(out)))
for k,v in out.items(): open('test/Integration/'+k,'w').write(v)
# ---------------- pooling and data movement
X='tensor<1x4x4x3xf32>'
def tfn(name, args, rtype, body, total, minfrac=0.95):
    a=', '.join(f'%{n}: {t}' for n,t in args)
    return check(name,total,int(minfrac*total)+1)+f'''func.func @{name}({a}) -> {rtype} attributes {{quantsim.test_compare}} {{
{body}  return %yq : {rtype}
}}

'''
ps=HDR+'''
// Pooling and data movement islands against their fake-quant originals.
// max_pool2d, reshape, transpose, pad, slice run on the int8 levels (exact
// when the output parameters equal the input's); different output
// parameters add a rescale. avg_pool2d without padding sums in i32 and
// rounds once; with padding it uses TOSA's integer average and then
// requantizes, rounding twice (within one step, fewer exact). concat
// requantizes the input whose parameters differ from the output's.

'''
QX='  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.0231:119> : '+X+'\n'
ps+=tfn('maxpool_same',[('x',X)],'tensor<1x2x2x3xf32>',QX+'''  %y = tosa.max_pool2d %xq {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x2x2x3xf32>
''',12)
ps+=tfn('maxpool_requant',[('x',X)],'tensor<1x3x3x3xf32>',QX+'''  %y = tosa.max_pool2d %xq {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>) -> tensor<1x3x3x3xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<i8:f32, 0.0177:-5> : tensor<1x3x3x3xf32>
''',27)
ps+=tfn('avgpool',[('x',X)],'tensor<1x2x2x3xf32>',QX+'''  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %y = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x3xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0213:110> : tensor<1x2x2x3xf32>
''',12)
ps+=tfn('avgpool_padded',[('x',X)],'tensor<1x4x4x3xf32>',QX+'''  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %y = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0213:110> : tensor<1x4x4x3xf32>
''',48, minfrac=0.5)
ps+=tfn('reshape_transpose',[('x',X)],'tensor<1x3x16xf32>',QX+'''  %s = tosa.const_shape {values = dense<[1, 16, 3]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %r = tosa.reshape %xq, %s : (tensor<1x4x4x3xf32>, !tosa.shape<3>) -> tensor<1x16x3xf32>
  %rq = quantsim.fake_quant %r, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x16x3xf32>
  %y = tosa.transpose %rq {perms = array<i32: 0, 2, 1>} : (tensor<1x16x3xf32>) -> tensor<1x3x16xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x3x16xf32>
''',48)
ps+=tfn('pad_slice',[('x',X)],'tensor<1x5x3x3xf32>',QX+'''  %p = tosa.const_shape {values = dense<[0, 0, 1, 1, 1, 1, 0, 0]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %pc = arith.constant dense<0.0> : tensor<1xf32>
  %y0 = tosa.pad %xq, %p, %pc : (tensor<1x4x4x3xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x6x6x3xf32>
  %y0q = quantsim.fake_quant %y0, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x6x6x3xf32>
  %st = tosa.const_shape {values = dense<[0, 1, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %sz = tosa.const_shape {values = dense<[1, 5, 3, 3]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %y = tosa.slice %y0q, %st, %sz : (tensor<1x6x6x3xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x5x3x3xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x5x3x3xf32>
''',45)
ps+=tfn('concat_requant',[('x',X),('z','tensor<1x4x4x2xf32>')],'tensor<1x4x4x5xf32>',QX+'''  %zq = quantsim.fake_quant %z, !quant.uniform<i8:f32, 0.0413:7> : tensor<1x4x4x2xf32>
  %y = tosa.concat %xq, %zq {axis = 3 : i32} : (tensor<1x4x4x3xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x5xf32>
  %yq = quantsim.fake_quant %y, !quant.uniform<u8:f32, 0.0231:119> : tensor<1x4x4x5xf32>
''',80)
out2={'qat-pool-shape.mlir':ps}
# ---------------- network
w1=rng.normal(0,0.4,(4,3,3,1)); b1=rng.normal(0,0.1,(4,)); s1=np.abs(w1).reshape(4,-1).max(1)/127
w2=rng.normal(0,0.25,(8,3,3,4)); b2=rng.normal(0,0.1,(8,)); s2=np.abs(w2).reshape(8,-1).max(1)/127
w3=rng.normal(0,0.2,(1,32,16)); b3=rng.normal(0,0.1,(1,1,16)); s3=np.abs(w3).max(axis=1)[0]/127
w4=rng.normal(0,0.25,(1,16,10)); b4=rng.normal(0,0.1,(1,1,10)); s4=np.abs(w4).max(axis=1)[0]/127
net_body=f'''  %w1 = arith.constant dense<{d(w1)}> : tensor<4x3x3x1xf32>
  %b1 = arith.constant dense<{d(b1)}> : tensor<4xf32>
  %w2 = arith.constant dense<{d(w2)}> : tensor<8x3x3x4xf32>
  %b2 = arith.constant dense<{d(b2)}> : tensor<8xf32>
  %w3 = arith.constant dense<{d(w3)}> : tensor<1x32x16xf32>
  %b3 = arith.constant dense<{d(b3)}> : tensor<1x1x16xf32>
  %w4 = arith.constant dense<{d(w4)}> : tensor<1x16x10xf32>
  %b4 = arith.constant dense<{d(b4)}> : tensor<1x1x10xf32>
  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.00784:128> : tensor<1x8x8x1xf32>
  // conv1 + relu + pool
  %w1q = quantsim.fake_quant %w1, !quant.uniform<i8<-127:127>:f32:0, {{{chs(s1)}}}> : tensor<4x3x3x1xf32>
  %c1 = tosa.conv2d %xq, %w1q, %b1, %zp, %zp {{acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}} : (tensor<1x8x8x1xf32>, tensor<4x3x3x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x4xf32>
  %r1 = tosa.clamp %c1 {{min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32}} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %r1q = quantsim.fake_quant %r1, !quant.uniform<u8:f32, 0.0119> : tensor<1x8x8x4xf32>
  %p1 = tosa.max_pool2d %r1q {{kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>}} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  %p1q = quantsim.fake_quant %p1, !quant.uniform<u8:f32, 0.0119> : tensor<1x4x4x4xf32>
  // conv2 + relu + pool
  %w2q = quantsim.fake_quant %w2, !quant.uniform<i8<-127:127>:f32:0, {{{chs(s2)}}}> : tensor<8x3x3x4xf32>
  %c2 = tosa.conv2d %p1q, %w2q, %b2, %zp, %zp {{acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}} : (tensor<1x4x4x4xf32>, tensor<8x3x3x4xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x8xf32>
  %r2 = tosa.clamp %c2 {{min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32}} : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %r2q = quantsim.fake_quant %r2, !quant.uniform<u8:f32, 0.0137> : tensor<1x4x4x8xf32>
  %p2 = tosa.max_pool2d %r2q {{kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>}} : (tensor<1x4x4x8xf32>) -> tensor<1x2x2x8xf32>
  %p2q = quantsim.fake_quant %p2, !quant.uniform<u8:f32, 0.0137> : tensor<1x2x2x8xf32>
  // flatten
  %shape = tosa.const_shape {{values = dense<[1, 1, 32]> : tensor<3xindex>}} : () -> !tosa.shape<3>
  %f = tosa.reshape %p2q, %shape : (tensor<1x2x2x8xf32>, !tosa.shape<3>) -> tensor<1x1x32xf32>
  %fq = quantsim.fake_quant %f, !quant.uniform<u8:f32, 0.0137> : tensor<1x1x32xf32>
  // fc1 + relu
  %w3q = quantsim.fake_quant %w3, !quant.uniform<i8<-127:127>:f32:2, {{{chs(s3)}}}> : tensor<1x32x16xf32>
  %m3 = tosa.matmul %fq, %w3q, %zp, %zp : (tensor<1x1x32xf32>, tensor<1x32x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x16xf32>
  %a3 = tosa.add %m3, %b3 : (tensor<1x1x16xf32>, tensor<1x1x16xf32>) -> tensor<1x1x16xf32>
  %r3 = tosa.clamp %a3 {{min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32}} : (tensor<1x1x16xf32>) -> tensor<1x1x16xf32>
  %r3q = quantsim.fake_quant %r3, !quant.uniform<u8:f32, 0.00611> : tensor<1x1x16xf32>
  // fc2
  %w4q = quantsim.fake_quant %w4, !quant.uniform<i8<-127:127>:f32:2, {{{chs(s4)}}}> : tensor<1x16x10xf32>
  %m4 = tosa.matmul %r3q, %w4q, %zp, %zp : (tensor<1x1x16xf32>, tensor<1x16x10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x10xf32>
  %a4 = tosa.add %m4, %b4 : (tensor<1x1x10xf32>, tensor<1x1x10xf32>) -> tensor<1x1x10xf32>
  %yq = quantsim.fake_quant %a4, !quant.uniform<i8:f32, 0.00573:3> : tensor<1x1x10xf32>
'''
net_fn=f'''func.func @cnn(%x: tensor<1x8x8x1xf32>) -> tensor<1x1x10xf32> attributes {{quantsim.test_compare}} {{
{net_body}  return %yq : tensor<1x1x10xf32>
}}
'''
net=HDR+'''
// A small CNN (conv-relu-pool x2, flatten, fc-relu, fc) with u8 activations
// and per-channel s8 weights, lowered as a whole to integer TOSA and compared
// with its fake-quant original: every logit within one step.
// test/Conversion/lower-qat-network.mlir checks the same network's integer
// graph has no float arithmetic between input quantize and output dequantize.

'''+check('cnn',10,9)+net_fn
out2['qat-network.mlir']=net
open('/tmp/net_fn.mlir','w').write(net_fn)
for k,v in out2.items(): open('test/Integration/'+k,'w').write(v)
# ---------------- conv + BN as PyTorch's QAT exports it, and a BN network
def bn_params(c, neg=False):
    gamma=rng.uniform(0.5,1.5,c); 
    if neg: gamma[1]=-gamma[1]
    beta=rng.normal(0,0.1,c); mean=rng.normal(0,0.1,c); var=rng.uniform(0.5,1.5,c)
    k=gamma/np.sqrt(var+1e-5)
    return k, beta-mean*k
def conv_bn(name, x, w, b, k, shift, xin, cout, ksz, pad, relu, outq, sw):
    C=w.shape[0]
    r=f'''  %{name}_w = arith.constant dense<{d(w*k[:,None,None,None])}> : tensor<{C}x{ksz}x{ksz}x{w.shape[3]}xf32>
  %{name}_zb = arith.constant dense<0.0> : tensor<{C}xf32>
  %{name}_inv = arith.constant dense<{d((1/k).reshape(1,1,1,C))}> : tensor<1x1x1x{C}xf32>
  %{name}_b = arith.constant dense<{d(b.reshape(1,1,1,C))}> : tensor<1x1x1x{C}xf32>
  %{name}_k = arith.constant dense<{d(k.reshape(1,1,1,C))}> : tensor<1x1x1x{C}xf32>
  %{name}_s = arith.constant dense<{d(shift.reshape(1,1,1,C))}> : tensor<1x1x1x{C}xf32>
  %{name}_wq = quantsim.fake_quant %{name}_w, !quant.uniform<i8:f32:0, {{{chs(sw)}}}> : tensor<{C}x{ksz}x{ksz}x{w.shape[3]}xf32>
  %{name}_c = tosa.conv2d {x}, %{name}_wq, %{name}_zb, %zp, %zp {{acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: {pad}, {pad}, {pad}, {pad}>, stride = array<i64: 1, 1>}} : ({xin}, tensor<{C}x{ksz}x{ksz}x{w.shape[3]}xf32>, tensor<{C}xf32>, tensor<1xf32>, tensor<1xf32>) -> {cout}
  %{name}_d = tosa.mul %{name}_c, %{name}_inv, %shift : ({cout}, tensor<1x1x1x{C}xf32>, tensor<1xi8>) -> {cout}
  %{name}_a = tosa.add %{name}_d, %{name}_b : ({cout}, tensor<1x1x1x{C}xf32>) -> {cout}
  %{name}_n = tosa.mul %{name}_a, %{name}_k, %shift : ({cout}, tensor<1x1x1x{C}xf32>, tensor<1xi8>) -> {cout}
  %{name}_y = tosa.add %{name}_n, %{name}_s : ({cout}, tensor<1x1x1x{C}xf32>) -> {cout}
'''
    last=f'%{name}_y'
    if relu:
        r+=f'''  %{name}_r = tosa.clamp %{name}_y {{min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32}} : ({cout}) -> {cout}
'''
        last=f'%{name}_r'
    r+=f'''  %{name}_q = quantsim.fake_quant {last}, {outq} : {cout}
'''
    return r
def wscales(w,k): return np.abs(w*k[:,None,None,None]).reshape(w.shape[0],-1).max(1)/127.5
cw1=rng.normal(0,0.4,(4,3,3,1)); cb1=rng.normal(0,0.1,4); k1,sh1=bn_params(4, neg=True)
cw2=rng.normal(0,0.25,(8,3,3,4)); cb2=rng.normal(0,0.1,8); k2,sh2=bn_params(8)
fw3=rng.normal(0,0.2,(1,32,16)); fb3=rng.normal(0,0.1,(1,1,16)); s3=np.abs(fw3).max(axis=1)[0]/127
fw4=rng.normal(0,0.25,(1,16,10)); fb4=rng.normal(0,0.1,(1,1,10)); s4=np.abs(fw4).max(axis=1)[0]/127
k5,sh5=bn_params(16)
bn_body='''  %zp = arith.constant dense<0.0> : tensor<1xf32>
  %shift = arith.constant dense<0> : tensor<1xi8>
  %xq = quantsim.fake_quant %x, !quant.uniform<u8:f32, 0.00784:128> : tensor<1x8x8x1xf32>
'''
bn_body+=conv_bn('c1','%xq',cw1,cb1,k1,sh1,'tensor<1x8x8x1xf32>','tensor<1x8x8x4xf32>',3,1,True,'!quant.uniform<u8:f32, 0.0131>',wscales(cw1,k1))
bn_body+='''  %p1 = tosa.max_pool2d %c1_q {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  %p1q = quantsim.fake_quant %p1, !quant.uniform<u8:f32, 0.0131> : tensor<1x4x4x4xf32>
'''
bn_body+=conv_bn('c2','%p1q',cw2,cb2,k2,sh2,'tensor<1x4x4x4xf32>','tensor<1x4x4x8xf32>',3,1,True,'!quant.uniform<u8:f32, 0.0149>',wscales(cw2,k2))
bn_body+=f'''  %p2 = tosa.max_pool2d %c2_q {{kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>}} : (tensor<1x4x4x8xf32>) -> tensor<1x2x2x8xf32>
  %p2q = quantsim.fake_quant %p2, !quant.uniform<u8:f32, 0.0149> : tensor<1x2x2x8xf32>
  %shape = tosa.const_shape {{values = dense<[1, 1, 32]> : tensor<3xindex>}} : () -> !tosa.shape<3>
  %f = tosa.reshape %p2q, %shape : (tensor<1x2x2x8xf32>, !tosa.shape<3>) -> tensor<1x1x32xf32>
  %fq = quantsim.fake_quant %f, !quant.uniform<u8:f32, 0.0149> : tensor<1x1x32xf32>
  // fc1 + BatchNorm1d + relu: matmul, bias add, then the BN's mul and add
  %w3 = arith.constant dense<{d(fw3)}> : tensor<1x32x16xf32>
  %b3 = arith.constant dense<{d(fb3)}> : tensor<1x1x16xf32>
  %k5 = arith.constant dense<{d(k5.reshape(1,1,16))}> : tensor<1x1x16xf32>
  %s5 = arith.constant dense<{d(sh5.reshape(1,1,16))}> : tensor<1x1x16xf32>
  %w3q = quantsim.fake_quant %w3, !quant.uniform<i8<-127:127>:f32:2, {{{chs(s3)}}}> : tensor<1x32x16xf32>
  %m3 = tosa.matmul %fq, %w3q, %zp, %zp : (tensor<1x1x32xf32>, tensor<1x32x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x16xf32>
  %a3 = tosa.add %m3, %b3 : (tensor<1x1x16xf32>, tensor<1x1x16xf32>) -> tensor<1x1x16xf32>
  %n3 = tosa.mul %a3, %k5, %shift : (tensor<1x1x16xf32>, tensor<1x1x16xf32>, tensor<1xi8>) -> tensor<1x1x16xf32>
  %t3 = tosa.add %n3, %s5 : (tensor<1x1x16xf32>, tensor<1x1x16xf32>) -> tensor<1x1x16xf32>
  %r3 = tosa.clamp %t3 {{min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32}} : (tensor<1x1x16xf32>) -> tensor<1x1x16xf32>
  %r3q = quantsim.fake_quant %r3, !quant.uniform<u8:f32, 0.00733> : tensor<1x1x16xf32>
  %w4 = arith.constant dense<{d(fw4)}> : tensor<1x16x10xf32>
  %b4 = arith.constant dense<{d(fb4)}> : tensor<1x1x10xf32>
  %w4q = quantsim.fake_quant %w4, !quant.uniform<i8<-127:127>:f32:2, {{{chs(s4)}}}> : tensor<1x16x10xf32>
  %m4 = tosa.matmul %r3q, %w4q, %zp, %zp : (tensor<1x1x16xf32>, tensor<1x16x10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x10xf32>
  %a4 = tosa.add %m4, %b4 : (tensor<1x1x10xf32>, tensor<1x1x10xf32>) -> tensor<1x1x10xf32>
  %yq = quantsim.fake_quant %a4, !quant.uniform<i8:f32, 0.00573:3> : tensor<1x1x10xf32>
'''
bn_fn=f'''func.func @cnn_bn(%x: tensor<1x8x8x1xf32>) -> tensor<1x1x10xf32> attributes {{quantsim.test_compare}} {{
{bn_body}  return %yq : tensor<1x1x10xf32>
}}
'''
HDR_BN=HDR.replace('--quantsim-test-compare-harness --quantsim-lower-qat','--quantsim-test-compare-harness --quantsim-qat-to-int')
bn=HDR_BN+'''
// The CNN with BatchNorm as PyTorch's QAT exports conv+BN: the conv runs on
// fake-quantized weights pre-scaled by the BN factor k = gamma / sqrt(var +
// eps) (full-range s8, per channel), then multiplies by 1/k, adds the conv
// bias, and applies BN (mul by k, add beta - mean k); one channel of conv1
// has a negative gamma. fc1 is followed by BatchNorm1d. --quantsim-qat-to-int
// folds every chain into its conv/matmul and lowers the network to integers;
// the logits must stay within one step of the fake-quant original.
// test/Conversion/qat-to-int-network-bn.mlir checks the folded integer graph.

'''+check('cnn_bn',10,9)+bn_fn
open('test/Integration/qat-network-bn.mlir','w').write(bn)
open('/tmp/bn_fn.mlir','w').write(bn_fn)

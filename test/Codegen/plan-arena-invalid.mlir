// RUN: quant-opt %s --verify-diagnostics --quantsim-plan-arena=alignment=48

// expected-error @+1 {{--quantsim-plan-arena: alignment 48 is not a power of two}}
func.func @f() {
  return
}

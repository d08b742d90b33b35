

// expec  0&0e+00}}
uunk.fuk.fun
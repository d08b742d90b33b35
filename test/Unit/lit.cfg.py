# -*- Python -*-
# lit configuration for quant-opt's GoogleTest unit tests: every test case of
# every *Tests binary under <build>/unittests counts as one lit test.

import os

import lit.formats

config.name = "quant-opt-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.quant_opt_obj_root, "unittests")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")

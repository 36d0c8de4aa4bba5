UNIT_TESTS += public_abi
unit-public_abi-srcs :=

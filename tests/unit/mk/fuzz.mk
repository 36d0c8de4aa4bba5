# Not a unit test: this hooks the fuzz targets (`make fuzz`, `make
# fuzz-build`) into the top Makefile, which reads every tests/unit/mk/*.mk.
# tests/fuzz/fuzz.mk is guarded, so including it from the Makefile as well
# is harmless.
include tests/fuzz/fuzz.mk

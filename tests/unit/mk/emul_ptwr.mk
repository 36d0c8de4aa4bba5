UNIT_TESTS += emul_ptwr
unit-emul_ptwr-srcs := arch/x86/pv/emul-ptwr.c arch/x86/pv/emul-insn.c

UNIT_TESTS += emul_priv
unit-emul_priv-srcs := arch/x86/pv/emul-priv-op.c arch/x86/pv/emul-insn.c

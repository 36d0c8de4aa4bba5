UNIT_TESTS += cpuid_policy
unit-cpuid_policy-srcs := arch/x86/pv/emul-cpuid.c arch/x86/pv/emul-priv-op.c \
                          arch/x86/pv/emul-insn.c

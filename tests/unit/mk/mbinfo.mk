UNIT_TESTS += mbinfo
unit-mbinfo-srcs := arch/x86/boot/mbinfo.c

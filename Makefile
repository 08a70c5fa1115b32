# vqi - build, test, demo.  `make` builds ./vqi; `make check` runs the tests;
# `make demo` runs the pipeline on the bundled sample.  `make SAN=1 ...`
# builds and tests the same program with AddressSanitizer + UBSan.

CC      ?= cc
PKGS    := xgboost plplot liblzma zlib
SAN     ?= 0
MODE    := $(if $(filter 1,$(SAN)),san,release)
BUILD   := build/$(MODE)

CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -g -MMD -MP
ifeq ($(MODE),san)
CFLAGS_MODE := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS_MODE := -fsanitize=address,undefined
else
CFLAGS_MODE := -O2
LDFLAGS_MODE :=
endif
# libxgboost, libplplot and libpcap are not linked: src/model/xgb_loader.c,
# src/plot/plplot_loader.c and src/capture/pcap_loader.c dlopen() them on
# first use, so that subcommands without a model, figure or live capture do
# not pay their start-up cost (libpcap alone pulled libdbus, libsystemd,
# libgcrypt, ... into every run).  Only their headers are needed to build
# (<pcap/pcap.h> is in /usr/include: libpcap's pkg-config cflags are only
# libdbus's include paths, not needed).  Their sonames come from the
# installed -dev packages' .so links (fallbacks in the loaders).
PKGS_LINKED := liblzma zlib
soname_of = $(shell objdump -p "$$($(CC) -print-file-name=$(1))" 2>/dev/null | awk '$$1 == "SONAME" {print $$2}')
XGBOOST_SONAME := $(call soname_of,libxgboost.so)
PLPLOT_SONAME  := $(call soname_of,libplplot.so)
PCAP_SONAME    := $(call soname_of,libpcap.so)
SONAME_DEFS := $(if $(XGBOOST_SONAME),-DVQI_XGBOOST_SONAME='"$(XGBOOST_SONAME)"') \
               $(if $(PLPLOT_SONAME),-DVQI_PLPLOT_SONAME='"$(PLPLOT_SONAME)"') \
               $(if $(PCAP_SONAME),-DVQI_PCAP_SONAME='"$(PCAP_SONAME)"')
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(SONAME_DEFS)
# The decompressors are linked statically (their -dev packages ship the .a):
# as shared libraries, loading and relocating them were 150k of the 325k
# instructions of `vqi --version` (callgrind) and three more files to open
# and map, in every process.  libm stays shared (glibc's
# libm.a only links into fully static programs).
PKG_LIBS   = -Wl,-Bstatic $(shell pkg-config --libs $(PKGS_LINKED) 2>/dev/null) -lbz2 \
             -Wl,-Bdynamic -lm -lpthread -ldl
CFLAGS  += $(CFLAGS_BASE) $(CFLAGS_MODE)
LDFLAGS += $(LDFLAGS_MODE)

LIB_SRC := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/libvqi.a

TEST_SRC := $(sort $(wildcard tests/unit/*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps check check-extended demo bench fuzz clean FORCE

all: vqi

deps:
	@scripts/install-deps.sh build

# ./vqi is a copy of the binary of the current mode (release or san).
vqi: $(BUILD)/vqi FORCE
	@cmp -s $< $@ || { cp $< $@.tmp && mv -f $@.tmp $@; }

$(BUILD)/vqi: $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(PKG_LIBS)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/unit/check.h tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -Isrc -o $@ $< $(LIB) $(PKG_LIBS)

check:
	@scripts/install-deps.sh build test
	@$(MAKE) --no-print-directory vqi tests
	@VQI_BUILD=$(BUILD) tests/run.sh

# Checks that use ../shared (real captures, pickles); CI runs them too.
check-extended:
	@scripts/install-deps.sh build test
	@$(MAKE) --no-print-directory vqi tests
	@VQI_BUILD=$(BUILD) tests/run.sh --extended

tests: $(TEST_BIN)

demo:
	@scripts/install-deps.sh build
	@$(MAKE) --no-print-directory vqi
	@scripts/demo.sh

bench:
	@scripts/install-deps.sh build test bench
	@$(MAKE) --no-print-directory vqi
	@bench/run.sh

# libFuzzer targets (clang): build/fuzz/fuzz_*; run with fuzz/run.sh.
# UBSan reports abort (-fno-sanitize-recover): a finding becomes an artifact.
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Isrc

fuzz:
	@scripts/install-deps.sh build fuzz
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

build/fuzz/%: fuzz/%.c $(LIB_SRC) $(wildcard src/*/*.h) fuzz/fuzz_memfile.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIBS)

# The same targets built for source coverage (no sanitizers), for
# fuzz/coverage.sh: which lines a target's corpus reaches.
FUZZCOV_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O0 -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping -Isrc

build/fuzzcov/%: fuzz/%.c $(LIB_SRC) $(wildcard src/*/*.h) fuzz/fuzz_memfile.h
	@mkdir -p $(dir $@)
	clang $(FUZZCOV_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIBS)

clean:
	rm -rf build vqi demo-out

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BIN:=.d)

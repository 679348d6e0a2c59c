# arpsweep: plain make, header dependencies tracked with -MMD.
#   make            build build/arpsweep
#   make check      all test suites (ASan+UBSan build; threads again under TSan)
#   make demo       set up, build, run a sweep of a throwaway namespace lab
#   make tsan       live-lab tests against a ThreadSanitizer build
#   make bench      benchmark against arp-scan, nmap, tcpdump, tshark
#   make fuzz       each libFuzzer harness for FUZZ_SECONDS (clang, build/fuzz)
#   make install    [PREFIX=/usr/local] [DESTDIR=] [SWEEP_GROUP=]; make uninstall

CC		?= cc
PKG_CONFIG	?= pkg-config
O		?= build
CFLAGS		?= -O2 -g
WARN		:= -std=c11 -Wall -Wextra -Werror -Wshadow -Wformat=2 \
		   -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes \
		   -Wvla -Wcast-align -Wundef -Wnull-dereference
CPPFLAGS	+= -D_GNU_SOURCE -MMD -MP
SAN		?=
ifneq ($(SAN),)
CFLAGS		+= -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS		+= -fsanitize=$(SAN)
endif
PCAP_LIBS	:= $(shell $(PKG_CONFIG) --libs libpcap 2>/dev/null || echo -lpcap)
SECCOMP_LIBS	:= $(shell $(PKG_CONFIG) --libs libseccomp 2>/dev/null || echo -lseccomp)
# The inventory parsers need libxml2 and json-c; the libvirt API source is
# optional: LIBVIRT=no (the default when pkg-config finds no libvirt-dev)
# builds without it, and the binary says so in --version.
ifeq ($(filter clean,$(MAKECMDGOALS)),)
INV_PKGS	:= libxml-2.0 json-c
ifneq ($(shell $(PKG_CONFIG) --exists $(INV_PKGS) && echo yes),yes)
$(error libxml2 or json-c not found by pkg-config: install libxml2-dev and libjson-c-dev (tests/deps.sh build))
endif
LIBVIRT		?= $(shell $(PKG_CONFIG) --exists libvirt && echo yes || echo no)
ifeq ($(LIBVIRT),yes)
INV_PKGS	+= libvirt
CPPFLAGS	+= -DHAVE_LIBVIRT=1
else
CPPFLAGS	+= -DHAVE_LIBVIRT=0
endif
CPPFLAGS	+= $(shell $(PKG_CONFIG) --cflags $(INV_PKGS))
INV_LIBS	:= $(shell $(PKG_CONFIG) --libs $(INV_PKGS))
endif
MNL_LIBS	:= $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null || echo -lmnl)
LIBS		:= $(PCAP_LIBS) $(MNL_LIBS) -lnet -lcap $(SECCOMP_LIBS) $(INV_LIBS) -lpthread -lm
CMOCKA_LIBS	:= $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

LIB_SRCS	:= $(filter-out scanner/main.c, $(wildcard scanner/*.c capture/*.c report/*.c))
LIB_OBJS	:= $(LIB_SRCS:%.c=$(O)/%.o)
UNIT_SRCS	:= $(wildcard tests/unit/test_*.c)
UNIT_BINS	:= $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
TOOL_SRCS	:= $(wildcard tests/tools/*.c)
TOOL_BINS	:= $(TOOL_SRCS:tests/tools/%.c=$(O)/tools/%)
# A harness is one file tests/fuzz/fuzz_NAME.c (plus tests/fuzz/corpus/NAME/).
# FUZZ_ENGINE=libfuzzer links it with libFuzzer; otherwise with the
# standalone driver that replays files, which any compiler builds.
FUZZ_SRCS	:= $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS	:= $(FUZZ_SRCS:tests/fuzz/%.c=$(O)/fuzz/%)
FUZZ_ENGINE	?= standalone
FUZZ_SECONDS	?= 60
ifeq ($(FUZZ_ENGINE),libfuzzer)
FUZZ_MAIN	:=
FUZZ_LDFLAGS	:= -fsanitize=fuzzer
else
FUZZ_MAIN	:= $(O)/tests/fuzz/standalone.o
FUZZ_LDFLAGS	:=
endif

all: $(O)/arpsweep

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c -o $@ $<

$(O)/libarpsweep.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(O)/arpsweep: $(O)/scanner/main.o $(O)/libarpsweep.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(O)/tests/%: $(O)/tests/unit/%.o $(O)/libarpsweep.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LIBS)

$(O)/tools/%: $(O)/tests/tools/%.o $(O)/libarpsweep.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(O)/fuzz/%: $(O)/tests/fuzz/%.o $(FUZZ_MAIN) $(O)/libarpsweep.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $(FUZZ_LDFLAGS) -o $@ $^ $(LIBS)

tests: $(O)/arpsweep $(UNIT_BINS) $(TOOL_BINS) $(FUZZ_BINS)

# The test suite runs against a sanitizer build so every test is also a
# memory-safety and undefined-behaviour check; the threaded code runs again
# under ThreadSanitizer. The whole tree builds with clang too (-Werror), and
# the unit tests run again in that build. The flood test takes its memory and
# time figures from the plain build.
CLANG		:= $(shell command -v clang 2>/dev/null)
check:
	$(MAKE) O=build/check SAN=address,undefined tests
	$(MAKE) O=build/tsan SAN=thread FUZZ_BINS= tests
ifneq ($(CLANG),)
	$(MAKE) O=build/clang CC=clang tests
endif
	$(MAKE) O=build/nolibvirt LIBVIRT=no build/nolibvirt/arpsweep \
	    build/nolibvirt/tests/test_virt
	$(MAKE) all
	ARPSWEEP_BUILD=build/check ARPSWEEP_TSAN_BUILD=build/tsan \
	    ARPSWEEP_CLANG_BUILD=$(if $(CLANG),build/clang) \
	    ARPSWEEP_NOLIBVIRT_BUILD=build/nolibvirt \
	    ARPSWEEP_PLAIN_BUILD=$(O) tests/run.sh

tsan:
	$(MAKE) O=build/tsan SAN=thread FUZZ_BINS= tests
	ARPSWEEP_BUILD=build/tsan ARPSWEEP_ONLY="unit golden live" tests/run.sh

# libFuzzer needs clang and its runtime (libclang-rt-14-dev on Debian 12).
# Every object gets coverage instrumentation; only harnesses link libFuzzer.
fuzz:
	$(MAKE) O=build/fuzz CC=clang FUZZ_ENGINE=libfuzzer \
	    SAN=fuzzer-no-link,address,undefined fuzz-bins
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run-fuzz.sh build/fuzz

fuzz-bins: $(FUZZ_BINS)

demo:
	tests/lab/demo.sh

bench:
	tests/bench/bench.sh

pcaps: $(O)/tools/genpcaps
	$(O)/tools/genpcaps pcaps

# make install: the binary in sbin, arpsweep(8) where man finds it, the bash
# completion in bash-completion's completionsdir (under PREFIX, where
# bash-completion's XDG_DATA_DIRS lookup finds it), the README and the
# JSON report's and --vm's schemas in the doc directory. Run as root into the live system (no DESTDIR), the binary gets
# the file capabilities a sweep needs (see README, Privileges): every user
# who may execute it may then sweep. SWEEP_GROUP=G restricts that to group
# G (mode 0750). A DESTDIR install (a package build) sets no capability:
# the package's postinst does, on the target system.
PREFIX		?= /usr/local
DESTDIR		?=
SBINDIR		?= $(PREFIX)/sbin
DATAROOTDIR	?= $(PREFIX)/share
MANDIR		?= $(DATAROOTDIR)/man
DOCDIR		?= $(DATAROOTDIR)/doc/arpsweep
BASHCOMPDIR	?= $(shell $(PKG_CONFIG) --define-variable=datadir=$(DATAROOTDIR) \
		    --variable=completionsdir bash-completion 2>/dev/null || \
		    echo $(DATAROOTDIR)/bash-completion/completions)
# CAP_NET_RAW for the packet sockets; CAP_SETPCAP to empty the bounding set
# before any frame is parsed (scanner/privs.c refuses to go on without it).
SWEEP_CAPS	:= cap_net_raw,cap_setpcap+ep
SWEEP_GROUP	?=
SETCAP		?= setcap
# The systemd timer and Prometheus rules of the fleet setup (README).
EXAMPLES	:= $(wildcard doc/examples/*)

install: $(O)/arpsweep
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 $(O)/arpsweep $(DESTDIR)$(SBINDIR)/arpsweep
	install -m 0644 doc/arpsweep.8 $(DESTDIR)$(MANDIR)/man8/arpsweep.8
	install -m 0644 doc/arpsweep.bash-completion \
	    $(DESTDIR)$(BASHCOMPDIR)/arpsweep
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -m 0644 doc/arpsweep-report.schema.json \
	    $(DESTDIR)$(DOCDIR)/arpsweep-report.schema.json
	install -m 0644 doc/arpsweep-vm.schema.json \
	    $(DESTDIR)$(DOCDIR)/arpsweep-vm.schema.json
	install -d $(DESTDIR)$(DOCDIR)/examples
	install -m 0644 $(EXAMPLES) $(DESTDIR)$(DOCDIR)/examples/
ifneq ($(SWEEP_GROUP),)
	chgrp $(SWEEP_GROUP) $(DESTDIR)$(SBINDIR)/arpsweep
	chmod 0750 $(DESTDIR)$(SBINDIR)/arpsweep
endif
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then \
		echo "$(SETCAP) $(SWEEP_CAPS) $(SBINDIR)/arpsweep"; \
		$(SETCAP) $(SWEEP_CAPS) $(SBINDIR)/arpsweep || { \
		    echo "arpsweep: setcap failed (a filesystem without" \
		    "extended attributes?); only root can sweep" >&2; exit 1; }; \
	elif [ -z "$(DESTDIR)" ]; then \
		echo "not root: no capability set; sweep with sudo, or run" \
		    "'setcap $(SWEEP_CAPS) $(SBINDIR)/arpsweep' as root"; \
	fi

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/arpsweep \
	    $(DESTDIR)$(MANDIR)/man8/arpsweep.8 \
	    $(DESTDIR)$(BASHCOMPDIR)/arpsweep \
	    $(DESTDIR)$(DOCDIR)/README.md \
	    $(DESTDIR)$(DOCDIR)/arpsweep-report.schema.json \
	    $(DESTDIR)$(DOCDIR)/arpsweep-vm.schema.json \
	    $(addprefix $(DESTDIR)$(DOCDIR)/examples/,$(notdir $(EXAMPLES)))
	-rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null

clean:
	rm -rf build

.PHONY: all tests check tsan fuzz fuzz-bins demo bench pcaps clean install \
	uninstall
.SECONDARY:

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# arpsweep: plain make, header dependencies tracked with -MMD.
#   make            build build/arpsweep
#   make check      all test suites (ASan+UBSan build; threads again under TSan)
#   make demo       set up, build, run a sweep of a throwaway namespace lab
#   make tsan       live-lab tests against a ThreadSanitizer build
#   make bench      benchmark against arp-scan, nmap, tcpdump, tshark

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
LIBS		:= $(PCAP_LIBS) -lnet -lcap -lpthread -lm
CMOCKA_LIBS	:= $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

LIB_SRCS	:= $(filter-out scanner/main.c, $(wildcard scanner/*.c capture/*.c report/*.c))
LIB_OBJS	:= $(LIB_SRCS:%.c=$(O)/%.o)
UNIT_SRCS	:= $(wildcard tests/unit/test_*.c)
UNIT_BINS	:= $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
TOOL_SRCS	:= $(wildcard tests/tools/*.c)
TOOL_BINS	:= $(TOOL_SRCS:tests/tools/%.c=$(O)/tools/%)

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

tests: $(O)/arpsweep $(UNIT_BINS) $(TOOL_BINS)

# The test suite runs against a sanitizer build so every test is also a
# memory-safety and undefined-behaviour check; the threaded code runs again
# under ThreadSanitizer. The flood test takes its memory and time figures
# from the plain build.
check:
	$(MAKE) O=build/check SAN=address,undefined tests
	$(MAKE) O=build/tsan SAN=thread tests
	$(MAKE) all
	ARPSWEEP_BUILD=build/check ARPSWEEP_TSAN_BUILD=build/tsan \
	    ARPSWEEP_PLAIN_BUILD=$(O) tests/run.sh

tsan:
	$(MAKE) O=build/tsan SAN=thread tests
	ARPSWEEP_BUILD=build/tsan ARPSWEEP_ONLY="unit golden live" tests/run.sh

demo:
	tests/lab/demo.sh

bench:
	tests/bench/bench.sh

pcaps: $(O)/tools/genpcaps
	$(O)/tools/genpcaps pcaps

clean:
	rm -rf build

.PHONY: all tests check tsan demo bench pcaps clean
.SECONDARY:

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# vigil — the two commands a new user types are `make demo` and `make check`.
# Everything else here is for developers.

BUILD      ?= build
BUILD_SAN  ?= build-san
BUILD_FUZZ ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_GEN  := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
DEMO_DIR   ?= $(BUILD)/demo

.PHONY: all deps build demo check test test-san bench fuzz clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo "$(BUILD)" "$(DEMO_DIR)"

# Tests tagged needs:pg run against a throwaway PostgreSQL server.
PG_DIR = /tmp/vigil-pg-$(shell id -u)-$(notdir $(CURDIR))
define with_pg
	@uri=$$(scripts/pg-test-server start $(PG_DIR)/$(1)) || uri=""; \
	[ -n "$$uri" ] || echo "make: no PostgreSQL test server; needs:pg tests skip"; \
	cd $(1) && VIGIL_PG_URI="$$uri" $(2); rc=$$?; cd $(CURDIR); \
	scripts/pg-test-server stop $(PG_DIR)/$(1); exit $$rc
endef

test: build
	$(call with_pg,$(BUILD),ctest --output-on-failure -j $(JOBS))

$(BUILD_SAN)/CMakeCache.txt:
	cmake -S . -B $(BUILD_SAN) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug \
	    -DSANITIZE=address,undefined -DBUILD_BENCH=OFF

test-san: deps $(BUILD_SAN)/CMakeCache.txt
	cmake --build $(BUILD_SAN) -j $(JOBS)
	$(call with_pg,$(BUILD_SAN),ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ctest --output-on-failure -j $(JOBS) -LE slow)

# Every test, then the suite again under AddressSanitizer + UBSan.
check: test test-san

bench: build
	@scripts/bench "$(BUILD)"

$(BUILD_FUZZ)/CMakeCache.txt:
	CC=clang cmake -S . -B $(BUILD_FUZZ) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug \
	    -DBUILD_FUZZERS=ON -DBUILD_TESTS=OFF -DBUILD_BENCH=OFF -DBUILD_CLI=OFF \
	    -DSANITIZE=address,undefined

# Build the libFuzzer targets; FUZZ_SECONDS each (default 60).
fuzz: deps $(BUILD_FUZZ)/CMakeCache.txt
	cmake --build $(BUILD_FUZZ) -j $(JOBS)
	@scripts/fuzz "$(BUILD_FUZZ)" "$${FUZZ_SECONDS:-60}"

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_FUZZ)

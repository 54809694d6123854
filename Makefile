# wasitorch front door. The two commands a new user needs (see README.md):
#   make demo   install what is missing, build, export MobileNetV2, classify an image
#   make test   install what is missing, build with ASan+UBSan, run every test
# Other targets: build (release build only), fuzz, bench, install, clean.

BUILD      ?= build
TEST_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
PREFIX     ?= /usr/local
FUZZ_SECONDS ?= 60
CCACHE     := $(shell command -v ccache 2>/dev/null)
CMAKE_ARGS := -DCMAKE_BUILD_TYPE=Release $(if $(CCACHE),-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

.PHONY: all setup build demo test fuzz bench install clean

all: build

setup:
	@bash scripts/setup.sh

build: setup
	cmake -S . -B $(BUILD) $(CMAKE_ARGS) >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	bash scripts/demo.sh $(BUILD)

test: setup
	cmake -S . -B $(TEST_BUILD) $(CMAKE_ARGS) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWT_SANITIZE=ON >/dev/null
	cmake --build $(TEST_BUILD) -j$(JOBS)
	cd $(TEST_BUILD) && ctest --output-on-failure -j$(JOBS)
	$(MAKE) --no-print-directory fuzz

# Bounded libFuzzer run (clang-14) over decode + validate + instantiate,
# seeded with every module of the spec testsuite; part of `make test`.
fuzz: setup
	WT_JOBS=$(JOBS) bash tests/fuzz/run.sh $(FUZZ_SECONDS)

bench: build
	bash bench/run.sh $(BUILD)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(TEST_BUILD) build-fuzz

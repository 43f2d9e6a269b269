# Loket — build, run and test. Targets install their Debian packages first (idempotent).
SHELL := /bin/bash
BUILD ?= build
BUILD_ASAN ?= build-asan
JOBS ?= $(shell nproc)

APT_PACKAGES := build-essential cmake pkg-config libcpp-httplib-dev nlohmann-json3-dev libsqlite3-dev \
	libicu-dev catch2 libssl-dev libsodium-dev libstemmer-dev libcld2-dev zlib1g-dev libbrotli-dev
# Only for the tests: headless browser tests and the load benchmark.
TEST_APT_PACKAGES := chromium wrk

.PHONY: deps test-deps build build-asan run test test-fast bench fuzz clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	fi

test-deps: deps
	@missing=""; for p in $(TEST_APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	command -v node >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@[ -d tests/browser/node_modules/playwright-core ] || (cd tests/browser && npm ci --no-audit --no-fund)

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DLOKET_SANITIZE=ON >/dev/null
	cmake --build $(BUILD_ASAN) -j $(JOBS)

run: build
	mkdir -p var
	@# A demo data key for encrypting reporters' contact details; production sets LOKET_DATA_KEY(_FILE).
	@[ -s var/data.key ] || (head -c 32 /dev/urandom | base64 > var/data.key && chmod 600 var/data.key)
	LOKET_DEMO=1 ./$(BUILD)/loket --config config/demo.json serve

test-fast: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test: test-deps build build-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

fuzz: deps
	fuzz/run.sh $(or $(SECONDS),60)

bench: build
	bench/chat_load.sh build 10
	./build/retrieval_bench --content content --questions ../shared/eval/dev-questions.jsonl
	./build/clinc150_bench ../shared/eval/clinc150/data_full.json

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)

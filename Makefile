# The two commands anyone needs (see README.md):
#   make run   install deps, build (release), start the server on the embedded default
#   make test  install deps, build (sanitizers on), lint, run every test
# Everything else here is a convenience for developers.

JOBS ?= 2
RELEASE_DIR := build/release
TEST_DIR := build/test
DATA_DIR ?= $(CURDIR)/data
PORT ?= 8080

.PHONY: run test deps release test-build lint format bench clean

deps:
	scripts/install-deps.sh

release: deps
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DADLOOM_BUILD_TESTS=OFF
	cmake --build $(RELEASE_DIR) -j $(JOBS)

run: release
	@echo "adloom: data in $(DATA_DIR); stop with Ctrl-C"
	$(RELEASE_DIR)/src/adloom --set data_dir=$(DATA_DIR) --set server.port=$(PORT) serve

test-build: deps
	cmake -S . -B $(TEST_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DADLOOM_SANITIZE=ON -DADLOOM_WERROR=ON
	cmake --build $(TEST_DIR) -j $(JOBS)

test: test-build lint
	cd $(TEST_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 300
	@echo "test count: $$(cd $(TEST_DIR) && ctest -N | sed -n 's/^Total Tests: //p')"

lint: test-build
	scripts/lint.sh $(TEST_DIR)

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf build

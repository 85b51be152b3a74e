# The two commands a user needs: `make run` and `make test`. Everything else is a helper for them.
SHELL := /bin/bash
SWIFT ?= swift
PYTHON := .venv/bin/python
export PATH := /opt/swift/usr/bin:$(PATH)

.PHONY: setup build run test test-python test-swift contracts bench bench-ethereumkit docs clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build --product aiplat

## make run: set up if missing, build, start `aiplat serve --dev` on the embedded defaults.
run: build
	$(SWIFT) run --skip-build aiplat serve --dev

## make test: set up if missing, build, run every test (Python side first, then Swift).
test: setup test-python test-swift

# One run per suite: each has its own conftest.py (or none).
test-python:
	$(PYTHON) -m pytest -q -p no:cacheprovider infra/devchain/tests
	$(PYTHON) -m pytest -q -p no:cacheprovider contracts/tests
	$(PYTHON) -m pytest -q -p no:cacheprovider scripts/onnx/tests

# The ONNX backend node tests are generated from the pinned onnx package (cached per version).
# Builds by product, not --build-tests: that also builds every dependency executable (swift-protobuf's
# protoc: ~600 C++ files), which nothing here runs.
test-swift:
	$(PYTHON) scripts/onnx/gen_node_tests.py .build/onnx-node-tests
	$(SWIFT) build --product aiplat
	$(SWIFT) build --product aiplatPackageTests
	$(SWIFT) test --skip-build

contracts: setup
	scripts/build-contracts

bench: bench-ethereumkit

bench-ethereumkit: setup
	scripts/bench-ethereumkit

clean:
	rm -rf .build

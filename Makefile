# Hone: build, train, test and benchmark.
# `make train` and `make test` are the user-facing commands; each installs
# missing Debian packages first (as root, or through sudo) and builds.

SWIFT ?= swift
ARGS ?=

.PHONY: deps build train test bench clean

deps:
	./scripts/install-dependencies.sh

build: deps
	$(SWIFT) build -c release --product hone

train: build
	.build/release/hone train --recipe recipes/fashion-mnist.yaml $(ARGS)

test: deps
	$(SWIFT) test

bench: build
	@if /usr/bin/python3 -c 'import torch, torchvision' >/dev/null 2>&1; then \
		echo "/usr/bin/python3 benchmarks/compare_convolutions.py $(ARGS)"; \
		/usr/bin/python3 benchmarks/compare_convolutions.py $(ARGS); \
	else \
		echo "PyTorch not importable with /usr/bin/python3: Hone only"; \
		echo ".build/release/hone bench convolutions $(ARGS)"; \
		.build/release/hone bench convolutions $(ARGS); \
	fi

clean:
	rm -rf .build

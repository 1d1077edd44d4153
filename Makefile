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
	.build/release/hone train $(ARGS)

test: deps
	$(SWIFT) test

bench: build
	.build/release/hone bench convolutions

clean:
	rm -rf .build

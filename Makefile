# The README's commands. `make test` runs the test suite; it first makes sure
# the system packages are there (installing them with apt-get when run as root).
SWIFT ?= swift

.PHONY: test deps build clean

deps:
	@scripts/ensure-system-packages

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) test

clean:
	rm -rf .build

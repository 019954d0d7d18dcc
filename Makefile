# Ward — developer entry points. `make dev` runs the whole stack locally; `make test` runs
# every test. Both find a JDK 21+ (25 preferred) themselves: see scripts/java-home.sh.
SHELL := /bin/bash
MVN_FLAGS := -B -ntp
FUZZ_DURATION ?= 2m

.PHONY: dev test build fmt bench screenshots prerequisites clean help

help:
	@echo "make dev    build what is missing, then start the whole Ward stack locally"
	@echo "make test   install missing test prerequisites, then run every test"
	@echo "make build  build everything without running tests"
	@echo "make fmt    format the Java sources"
	@echo "make bench  run the benchmarks (docs/benchmarks.md), the long fault and load tests"
	@echo "            (docs/reliability-runs.md), then fuzz each target for FUZZ_DURATION"
	@echo "make screenshots  run the console's browser test and save its pages to docs/screenshots"

dev:
	@scripts/dev.sh

test: prerequisites
	@JAVA_HOME=$$(scripts/java-home.sh) && export JAVA_HOME && ./mvnw $(MVN_FLAGS) verify

build:
	@JAVA_HOME=$$(scripts/java-home.sh) && export JAVA_HOME && ./mvnw $(MVN_FLAGS) install -DskipTests

fmt:
	@JAVA_HOME=$$(scripts/java-home.sh) && export JAVA_HOME && ./mvnw $(MVN_FLAGS) -q spotless:apply

bench: prerequisites
	@bench/bench.py
	@bench/reliability.py
	@bench/fuzz.sh $(FUZZ_DURATION)

screenshots:
	@scripts/screenshots.sh

prerequisites:
	@scripts/install-prerequisites.sh

clean:
	@JAVA_HOME=$$(scripts/java-home.sh) && export JAVA_HOME && ./mvnw $(MVN_FLAGS) -q clean
	rm -rf .ward

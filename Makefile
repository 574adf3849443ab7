# hourly-image: build, test and run. `make help` lists the targets.
SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help deps test test-swift test-manifests test-release build run run-controller run-web kube-test-server clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

deps: ## install what a fresh Debian machine lacks (libcurl headers, manifest validators)
	@if ! dpkg -s libcurl4-openssl-dev >/dev/null 2>&1; then \
		echo "installing libcurl4-openssl-dev"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libcurl4-openssl-dev >/dev/null; \
	fi
	@if ! command -v kubernetes-validate >/dev/null 2>&1 || ! $(PYTHON) -c 'import jsonschema, yaml' 2>/dev/null; then \
		echo "installing kubernetes-validate jsonschema pyyaml"; \
		$(PYTHON) -m pip install -q --disable-pip-version-check kubernetes-validate jsonschema pyyaml; \
	fi

build: deps ## debug build of everything
	$(SWIFT) build

run: deps ## the page at http://localhost:8080 with no cluster (standalone mode); ARGS="-f file.yaml" to choose resources
	$(SWIFT) run hourly-image standalone $(ARGS)

run-controller: deps ## the controller against the cluster of your current kubeconfig (images under ./data/volume)
	$(SWIFT) run hourly-image controller --volume-root ./data/volume --no-leader-elect $(ARGS)

run-web: deps ## the page for that cluster's HourlyImages in namespace default, from ./data/volume (admin port 8082: the controller has 8081)
	$(SWIFT) run hourly-image web --namespace default --volume-root ./data/volume --admin-port 8082 $(ARGS)

kube-test-server: deps ## the test API server on 127.0.0.1 with a kubeconfig in ./data/kube-test-server.kubeconfig, for kubectl
	mkdir -p data && $(SWIFT) run kube-test-server --kubeconfig ./data/kube-test-server.kubeconfig $(ARGS)

test: deps test-manifests test-swift test-release ## everything CI checks

test-swift: deps ## the Swift test suite
	$(SWIFT) test

test-manifests: deps ## CRD, samples and manifests against the real Kubernetes schemas
	bash scripts/validate-manifests.sh

test-release: deps ## the Dockerfile's release build command, run here (there is no Docker engine in CI)
	@cmd="$$(sed -n '/^# build-command$$/{n;s/^RUN //p;q;}' Dockerfile)"; \
	test -n "$$cmd" || { echo "Dockerfile: no line after '# build-command'" >&2; exit 1; }; \
	echo "$$cmd"; eval "$$cmd"
	"$$($(SWIFT) build -c release --show-bin-path)/hourly-image" version

clean: ## remove build output
	rm -rf .build

.PHONY: bench
bench: deps ## benchmarks under bench/ (release build), results go in docs/benchmarks.md
	$(SWIFT) build -c release --product fetch-bench
	RUNS=$${RUNS:-15} bash bench/fetch-vs-curl.sh "$$($(SWIFT) build -c release --show-bin-path)/fetch-bench"

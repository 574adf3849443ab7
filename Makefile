# hourly-image: build, test and run. `make help` lists the targets.
SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Installing into a prefix you cannot write (the default /usr/local as a user) goes through sudo.
SUDO_INSTALL = $(shell [ -w "$(DESTDIR)$(PREFIX)" ] || [ "$$(id -u)" = 0 ] || echo sudo)
# The commit `hourly-image version` reports (Package.swift reads it); empty without git, then `unknown`.
export HOURLY_IMAGE_BUILD_COMMIT ?= $(shell git describe --always --dirty --abbrev=12 --exclude='*' 2>/dev/null)

# Test tools (manifest validators) live in a virtual environment this Makefile owns, never in the system Python
# (Debian 12 and Ubuntu 24.04 refuse `pip install` there). `make run` needs none of it.
VENV := .venv
VENV_PYTHON := $(VENV)/bin/python
# jsonschema is kubernetes-validate's own dependency, pinned too so a fresh .venv gets what was tested.
TEST_TOOLS := kubernetes-validate==1.36.0 jsonschema==4.26.0 pyyaml==6.0.3

.PHONY: help deps deps-test test test-swift test-manifests test-release build install uninstall run run-controller run-web kube-test-server clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

deps: ## what building and running need: the libcurl headers (apt-get, only when missing)
	@if ! dpkg -s libcurl4-openssl-dev >/dev/null 2>&1; then \
		echo "installing libcurl4-openssl-dev (apt-get)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libcurl4-openssl-dev >/dev/null; \
	fi

deps-test: deps $(VENV)/.installed ## also the manifest validators, in ./.venv (python3-venv from apt-get when missing)

$(VENV)/.installed: Makefile
	@if ! $(PYTHON) -m venv --help >/dev/null 2>&1 || ! $(PYTHON) -c 'import ensurepip' >/dev/null 2>&1; then \
		echo "installing python3-venv (apt-get)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv >/dev/null; \
	fi
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(VENV_PYTHON) -m pip install -q --disable-pip-version-check $(TEST_TOOLS)
	touch $@

build: deps ## debug build of everything
	$(SWIFT) build

# `make install` puts the release binary in $(PREFIX)/bin with the kubectl plugin beside it: kubectl-himg is a link to
# hourly-image, which acts as `kubectl himg` when started under that name.
PREFIX ?= /usr/local

# RELEASE_BIN: a release binary already built (test-release passes its own), else this builds one.
RELEASE_BIN ?=

install: deps ## the release binary in $(PREFIX)/bin (default /usr/local) and kubectl-himg beside it (kubectl himg)
	@binary="$(RELEASE_BIN)"; \
	if [ -z "$$binary" ]; then $(SWIFT) build -c release --product hourly-image && binary="$$($(SWIFT) build -c release --show-bin-path)/hourly-image"; fi; \
	$(SUDO_INSTALL) install -d "$(DESTDIR)$(PREFIX)/bin" && \
	$(SUDO_INSTALL) install -m 0755 "$$binary" "$(DESTDIR)$(PREFIX)/bin/hourly-image"
	$(SUDO_INSTALL) ln -sf hourly-image "$(DESTDIR)$(PREFIX)/bin/kubectl-himg"
	@echo "installed $(DESTDIR)$(PREFIX)/bin/hourly-image and kubectl-himg; try: kubectl himg get -A"

uninstall: ## removes what make install put in $(PREFIX)/bin
	$(SUDO_INSTALL) rm -f "$(DESTDIR)$(PREFIX)/bin/hourly-image" "$(DESTDIR)$(PREFIX)/bin/kubectl-himg"

run: deps ## the page at http://localhost:8080 with no cluster (standalone mode); ARGS="-f file.yaml" to choose resources
	$(SWIFT) run hourly-image standalone $(ARGS)

run-controller: deps ## the controller against the cluster of your current kubeconfig (images under ./data/volume)
	$(SWIFT) run hourly-image controller --volume-root ./data/volume --no-leader-elect $(ARGS)

run-web: deps ## the page for that cluster's HourlyImages in namespace default, from ./data/volume (admin port 8082: the controller has 8081)
	$(SWIFT) run hourly-image web --namespace default --volume-root ./data/volume --admin-port 8082 $(ARGS)

kube-test-server: deps ## the test API server on 127.0.0.1 with a kubeconfig in ./data/kube-test-server.kubeconfig, for kubectl
	mkdir -p data && $(SWIFT) run kube-test-server --kubeconfig ./data/kube-test-server.kubeconfig $(ARGS)

test: deps-test test-manifests test-swift test-release ## everything CI checks

test-swift: deps ## the Swift test suite (after checking every package resolves to the version in Package.versions)
	$(SWIFT) package resolve
	$(PYTHON) scripts/check-package-versions.py
	$(PYTHON) scripts/module-graph.py --self-test
	$(PYTHON) scripts/module-graph.py
	$(SWIFT) test

test-manifests: deps-test ## CRD and manifests against the real Kubernetes schemas (HourlyImages: swift test)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PYTHON="$(CURDIR)/$(VENV_PYTHON)" bash scripts/validate-manifests.sh

test-release: deps ## the Dockerfile's build stage (its COPY lines, build and install commands), run here: there is no Docker engine in CI
	bash scripts/test-release.sh

clean: ## remove build output
	rm -rf .build

.PHONY: screenshots
screenshots: deps ## headless Chromium (apt-get, only when missing): the live-page check (a refresh shows without a reload) and the screenshots in docs/
	@dpkg -s chromium >/dev/null 2>&1 || { echo "installing chromium (apt-get)"; $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }
	$(SWIFT) build --product hourly-image
	bash scripts/screenshots.sh "$$($(SWIFT) build --show-bin-path)"
	$(PYTHON) scripts/live-page-check.py "$$($(SWIFT) build --show-bin-path)"

.PHONY: bench deps-bench
# The benchmark's comparison servers: nginx and wrk from apt, the course seeds' Python stack in its own environment.
BENCH_VENV := .venv-bench
BENCH_TOOLS := fastapi==0.115.12 uvicorn==0.34.2 jinja2==3.1.6 flask==3.1.1

deps-bench: deps-test $(BENCH_VENV)/.installed ## what `make bench` needs: wrk and nginx-light (apt-get, only when missing), the seeds' venv
	@missing=""; for p in wrk nginx-light; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing (apt-get)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BENCH_VENV)/.installed: Makefile
	rm -rf $(BENCH_VENV)
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q --disable-pip-version-check $(BENCH_TOOLS)
	touch $@

bench: deps-bench ## benchmarks under bench/ (release build): page and image vs nginx and the seeds, fetch vs curl, the controller at scale (docs/benchmarks.md)
	$(SWIFT) build -c release
	bash bench/web-vs-nginx.sh "$$($(SWIFT) build -c release --show-bin-path)/hourly-image" \
		"$$($(SWIFT) build -c release --show-bin-path)/hello-bench" "$(BENCH_VENV)/bin/python" --write
	RUNS=$${RUNS:-15} bash bench/fetch-vs-curl.sh "$$($(SWIFT) build -c release --show-bin-path)/fetch-bench"
	$(SWIFT) build -c release --product kube-test-server
	bash bench/controller-scale.sh "$$($(SWIFT) build -c release --show-bin-path)/hourly-image" \
		"$$($(SWIFT) build -c release --show-bin-path)/kube-test-server" $${SCALE:-1000 10000}

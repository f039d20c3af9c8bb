# Everything runs inside a virtual environment in .venv, installed from the
# lock file. Every target is idempotent: a second run reinstalls nothing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
JB_FLAGS ?= -n -W --keep-going

# Keep TensorFlow's C++ start-up notices (including its CUDA probe on a CPU machine)
# out of the build log; pages drop stderr anyway.
export TF_CPP_MIN_LOG_LEVEL ?= 3

.PHONY: help install data book draft pdf test clean lock

help:
	@echo "make book   set everything up and build the whole site into _build/html"
	@echo "make test   run the whole test suite (what CI runs)"
	@echo "make draft  quick draft build for proof-reading (MNIST_LESSON_DRAFT=1)"
	@echo "make pdf    the PDF edition, _build/pdf/book.pdf (builds the site first if missing)"
	@echo "make data   download and verify MNIST into the cache"
	@echo "make clean  remove the built site (caches are kept)"
	@echo "make lock   re-resolve requirements.lock from the ranges in pyproject.toml"

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# MathJax (renders the maths during the build) and axe-core (accessibility tests), pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

data: install
	$(BIN)/mnist-lesson fetch

book: data
	$(BIN)/jupyter-book build . $(JB_FLAGS)

draft: data
	MNIST_LESSON_DRAFT=1 $(BIN)/jupyter-book build . $(JB_FLAGS) --path-output _build/draft

# The PDF edition: the site's executed pages (from its execution cache) printed by
# Debian's Chromium. Builds the site first when it is missing; executes nothing it executed.
pdf: install
	test -f _build/html/index.html || $(MAKE) book
	$(BIN)/python book/_pdf/print_book.py --out _build/pdf/book.pdf

test: data
	$(BIN)/python -m pytest

clean:
	rm -rf _build

lock:
	rm -rf $(VENV)-lock
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet -e '.[book,test,benchmarks]'
	( echo "# Exact versions of every Python package, for Python 3.11 on Linux x86_64."; \
	  echo "# The ranges live in pyproject.toml; regenerate with \`make lock\`."; \
	  $(VENV)-lock/bin/python -m pip freeze --exclude-editable | grep -v -i '^mnist' ) > requirements.lock
	rm -rf $(VENV)-lock

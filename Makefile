# `make` sets up what is missing (system libraries, .venv) and builds every output of every
# review under source/: one `build` per review, which loads it once and renders its outputs
# side by side. `make pdf` (html, slides, ...) builds just that output. Every target depends
# on its real inputs, so a second `make` with nothing changed does nothing.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
READY  := $(VENV)/.ready
RUN    := $(PY) -m pipeline

REVIEWS := $(patsubst source/%/review.yaml,%,$(wildcard source/*/review.yaml))
CODE    := $(shell find pipeline -type f \( -name '*.py' -o -name '*.html' -o -name '*.css' -o -name '*.json' -o -name '*.txt' \) -not -path '*/__pycache__/*') pyproject.toml
THEMES  := $(shell find themes pipeline/data/themes -type f 2>/dev/null)
inputs   = $(shell find source/$(1) -type f) $(THEMES) $(CODE)

PDF      := $(REVIEWS:%=out/%/article.pdf)
HTML     := $(REVIEWS:%=out/%/article.html)
SLIDES   := $(REVIEWS:%=out/%/slides.pptx)
SUMMARY  := $(REVIEWS:%=out/%/summary.md) $(REVIEWS:%=out/%/summary.html)
HANDOUT  := $(REVIEWS:%=out/%/handout.pdf)

# out/<review>/.built marks a full build of that review. It is redone when an input is newer,
# or when one of the review's outputs has gone missing.
FILES    := article.pdf article.html slides.pptx summary.md summary.html handout.pdf
BUILT    := $(REVIEWS:%=out/%/.built)
missing   = $(strip $(foreach f,$(FILES),$(if $(wildcard out/$(1)/$(f)),,$(f))))

.PHONY: all pdf html slides summary handout check preview pictures test test-lowest test-wheel bench fuzz clean setup FORCE
.DELETE_ON_ERROR:

all: $(BUILT)
pdf: $(PDF)
html: $(HTML)
slides: $(SLIDES)
summary: $(SUMMARY)
handout: $(HANDOUT)

setup: $(READY)

$(READY): pyproject.toml constraints.txt scripts/setup-system.sh
	@scripts/setup-system.sh
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

define review_rules
out/$(1)/.built: $(call inputs,$(1)) $(if $(call missing,$(1)),FORCE) | $(READY)
	$(RUN) build --quiet source/$(1)
	@touch $$@
out/$(1)/article.pdf: $(call inputs,$(1)) | $(READY)
	$(RUN) build --quiet --only pdf source/$(1)
out/$(1)/article.html: $(call inputs,$(1)) | $(READY)
	$(RUN) build --quiet --only html source/$(1)
out/$(1)/slides.pptx: $(call inputs,$(1)) | $(READY)
	$(RUN) build --quiet --only slides source/$(1)
out/$(1)/summary.md out/$(1)/summary.html &: $(call inputs,$(1)) | $(READY)
	$(RUN) build --quiet --only summary source/$(1)
out/$(1)/handout.pdf: $(call inputs,$(1)) | $(READY)
	$(RUN) build --quiet --only handout source/$(1)
endef
$(foreach r,$(REVIEWS),$(eval $(call review_rules,$(r))))

check: | $(READY)
	$(RUN) check

# A local page of the review's outputs that reloads itself after each save (Ctrl-C stops it).
# REVIEW=source/<name> picks the review when there are several; PORT=8000 by default.
REVIEW ?= $(firstword $(REVIEWS:%=source/%))
PORT   ?= 8000
preview: | $(READY)
	$(RUN) preview --port $(PORT) $(REVIEW)

# What the tests need beyond `setup`: LibreOffice renders the decks for the slide-fit checks,
# fontconfig's fc-list proves the PDFs ignore system fonts, Chromium opens the live preview
# once as a browser would. Installed as root, else named. (The citation styles' reference,
# Pandoc's citeproc, is the static Pandoc of the pypandoc-binary wheel in the test extra.)
TEST_SYSTEM := libreoffice-impress fontconfig chromium

test: | $(READY)
	@scripts/setup-system.sh $(TEST_SYSTEM)
	$(PY) -m pytest

# The suite on the lowest versions pyproject.toml allows (a venv of its own), and the package
# installed from a wheel into a fresh venv, building a review from an empty folder.
test-lowest:
	scripts/test-lowest.sh
test-wheel:
	scripts/test-wheel.sh

# The README's pictures of each output, made from the bundled review's real outputs.
pictures: | $(READY)
	PY=$(PY) scripts/pictures.sh

# Many more random mutations than the suite's 300, from a new seed each time (FUZZ_SEED=N
# replays one); a failure names its seed and run.
FUZZ_RUNS ?= 5000
FUZZ_SEED ?= $(shell date +%s)
fuzz: | $(READY)
	FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_SEED=$(FUZZ_SEED) $(PY) -m pytest tests/test_fuzz.py

# Side by side with the distribution's Pandoc (the one a user has): its PDF and PPTX of the
# same review.
bench: | $(READY)
	@scripts/setup-system.sh pandoc
	$(PY) scripts/bench.py

clean:
	rm -rf out

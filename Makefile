# gst-stt — the two commands of README.md, and the steps they are made of.
#   make run     set up, build, and run the main job on the default model
#   make check   set up, build with AddressSanitizer + UndefinedBehaviorSanitizer, run every test
# Build folders: build/ (optimised, for running and benchmarks), build-check/ (sanitizers).

MESON ?= meson
BUILD ?= build
CHECK_BUILD ?= build-check
SHARED_DATA ?= $(abspath $(CURDIR)/../shared/data)
MESON_OPTS ?= -Dshared_data=$(SHARED_DATA)

.PHONY: all setup build run check check-build test inspect bench bench-am bench-wer clean

all: build

setup:
	@tools/dev/setup-debian.sh

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --buildtype=release $(MESON_OPTS)

build: setup $(BUILD)/build.ninja
	$(MESON) compile -C $(BUILD)

$(CHECK_BUILD)/build.ninja:
	$(MESON) setup $(CHECK_BUILD) --buildtype=debugoptimized \
	    -Db_sanitize=address,undefined -Db_lundef=false $(MESON_OPTS)

check-build: setup $(CHECK_BUILD)/build.ninja
	$(MESON) compile -C $(CHECK_BUILD)

# Runs the whole suite under the sanitizers and ends with "N passed, N failed".
check: check-build
	@rm -f $(CHECK_BUILD)/meson-logs/testlog.json
	@$(MESON) test -C $(CHECK_BUILD) --num-processes 2 --print-errorlogs $(TESTS) \
	    > $(CHECK_BUILD)/meson-test.out 2>&1; status=$$?; \
	  tail -n 40 $(CHECK_BUILD)/meson-test.out; \
	  python3 tools/dev/test-summary.py $(CHECK_BUILD)/meson-logs/testlog.json && [ $$status -eq 0 ]

# Same suite on the optimised build, without sanitizers (quicker while developing).
test: build
	@$(MESON) test -C $(BUILD) --num-processes 2 --print-errorlogs $(TESTS) \
	    > $(BUILD)/meson-test.out 2>&1; status=$$?; \
	  tail -n 40 $(BUILD)/meson-test.out; \
	  python3 tools/dev/test-summary.py $(BUILD)/meson-logs/testlog.json && [ $$status -eq 0 ]

# gst-inspect-1.0 against the build tree: make inspect ELEMENT=sttsink
inspect: build
	$(MESON) devenv -C $(BUILD) gst-inspect-1.0 $(ELEMENT)

# The main job. Until the recognizer lands (issues 3 and 4) this is a labelled subset: it
# builds everything and runs a result pipeline through the elements that exist.
run: build
	@SHARED_DATA=$(SHARED_DATA) tools/dev/run-main.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(CHECK_BUILD)

# Acoustic scoring benchmark (docs/benchmarks.md, "Acoustic scoring"): front end + senone
# scoring with and without OpenBLAS batching vs pocketsphinx_batch, one core, the dev set.
bench-am: build
	ninja -C $(BUILD) bench-am

# Inverse text normalization: exact match per class on ../shared/data/itn and words/s on one
# core (docs/benchmarks.md, "Inverse text normalization").
.PHONY: bench-itn
bench-itn: build
	STT_MODEL_PATH=$(abspath $(BUILD))/models $(BUILD)/tests/bench/itn-bench $(SHARED_DATA)/itn

# Recognition accuracy and speed (docs/benchmarks.md): our pipeline vs the pocketsphinx
# element on every dev utterance and pocketsphinx-testdata's LibriVox files.
bench-wer: build
	tests/bench/bench-wer.py --build $(BUILD) --batch-cmn

# Letter-to-sound (docs/benchmarks.md "Letter-to-sound"): phone and word error rate on the
# held-out cmudict words, ours vs Festival's CMU rules.
.PHONY: bench-g2p bench-custom
bench-g2p: build
	python3 tests/bench/bench-g2p.py --build $(BUILD)

# Custom models (docs/benchmarks.md "Custom models"): base vs custom WER on the LJ domain and
# the rest of the dev set, and the build time of a custom model from 100,000 words.
bench-custom: build
	python3 tests/bench/bench-custom.py --build $(BUILD) --data $(SHARED_DATA)

# Punctuation and capitalization benchmark (docs/benchmarks.md): the default punct model on the
# held-out State of the Union addresses (years ending in 5).
.PHONY: bench-punct
bench: bench-punct
bench-punct: build
	$(MESON) compile -C $(BUILD) bench-punct

#!/usr/bin/env bash
# Regenerate the demo dataset, train every demo model and export it to resources/demo/.
# Resumable: rerun after an interruption; finished stages are skipped (checkpoints in build/demo-train),
# and the generator resumes from its committed weights-only checkpoint
# (tools/demo-world/checkpoints/: generator-base.pt, generator.pt for the layout run,
# generator-distilled.pt for the guidance-distilled student) when build/ has nothing newer, so a clean checkout
# goes on where the last working day stopped.
# Usage (from anywhere): tools/demo-world/train-all.sh [captioner] [clip] [generator]   (default: all three)
#   DEMO_TINY=1 DEMO_WORK=build/demo-tiny DEMO_OUT=/tmp/demo DEMO_GENERATOR_CHECKPOINT="" for a smoke test.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3                      # Debian's python3 with python3-torch/python3-onnx
DATA=build/demo-data
WORK=${DEMO_WORK:-build/demo-train}
OUT=${DEMO_OUT:-resources/demo}
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2   # the machine has 2 cores, shared
TD=tools/demo-world
stamp() { echo "=== $(date -u +%H:%M:%S) $*"; }
STAGES=${*:-captioner clip generator}
wants() { [[ " $STAGES " == *" $1 "* ]]; }

[ -f dist/cli/roundtrip.mjs ] || { stamp "building the CLI"; npm run build:app; }
stamp "dataset -> $DATA"
node dist/cli/roundtrip.mjs demo-data "$DATA"
mkdir -p "$WORK"

train() { stamp "train $1"; $PY $TD/train.py "$1" "$DATA" "$WORK"; }
publish() {  # export, check in onnxruntime-node, measure with the torch weights
  stamp "export $1"; $PY $TD/export.py "$1" "$WORK" "$OUT"
  node $TD/verify_onnx.mjs "$WORK" "$OUT" "$1"
  stamp "evaluate $1"; $PY $TD/evaluate.py "$1" "$DATA" "$WORK" || echo "evaluation of $1 failed"
  $PY $TD/manifest.py "$WORK" "$OUT" || echo "manifest failed"
}

train vocab
if wants captioner; then train captioner; publish captioner; fi
# The generator (layout.py says why in this order): a base pixel-diffusion run, the slot text
# encoder pretrained to read scenes, the layout run (UNet from the base run). The first two are only
# needed until the layout run has a checkpoint. Not part of the shipped generator (train.py STAGE by
# hand): distill.py (guidance distillation) and reader + shapes (scene_reader.py, shapes.py: an
# experiment that made shapes and counts worse; resources/demo/README.md has the figures).
CK=$TD/checkpoints
if wants clip || { wants generator && [ ! -f $CK/generator-base.pt ] && [ ! -f $CK/generator.pt ]; }; then train clip; fi
if wants clip; then publish clip; fi
if wants generator; then
  if [ ! -f $CK/generator.pt ]; then train diffusion; train slot-text; fi
  train layout; publish generator
fi
stamp "all done; the app's figures: npm run demo:quality, npm run bench selection-gain (resources/demo/README.md)"

#!/usr/bin/env bash
# How the bundled weights in this folder were trained (CPU, 2 cores). Run from the repository root:
#   bash weights/train_all.sh [DATASETS_DIR]
# DATASETS_DIR defaults to ../shared/datasets (photos are read, never copied into the project).
# Checkpoints go to runs/ (git-ignored) so an interrupted run resumes where it stopped.
set -euo pipefail
D=${1:-../shared/datasets}
SEED_MINUTES=${SEED_MINUTES:-5}
COMMON=(--split 0.95,0.05,0 --out weights --batch 32 --workers 1)

restorer train "$D/train" "$D/scenes_100" --model vivid --name vivid "${COMMON[@]}" \
  --epochs 12 --epoch-size 8000 --size 128 --lr 2e-3 --schedule cosine --patience 100 --minutes 55 \
  --sample-weight cats_dogs=0.6 --sample-weight flowers_kaggle_128=0.5 --sample-weight clothing_small=0.8 \
  --sample-weight imagenet_sample=3 --sample-weight bsds500_train_test=3 --sample-weight t91=2 \
  --sample-weight sunhays80=3 --run-dir runs/vivid

train_seed() {  # name size minutes
  restorer train "$D/train" "$D/scenes_100" --model "$1" --name "$1" "${COMMON[@]}" --size "$2" \
    --epochs 50 --epoch-size 2000 --lr 1e-3 --schedule plateau --patience 6 --minutes "$3" --run-dir "runs/$1"
}
train_seed seed001-unet 128 "$SEED_MINUTES"
train_seed seed002-fusion 128 "$SEED_MINUTES"
train_seed seed000-cae 128 "$SEED_MINUTES"
train_seed seed004a-dense-ae 64 "$SEED_MINUTES"
train_seed seed004b-skip-unet 64 "$SEED_MINUTES"
train_seed seed003-plain 64 "$SEED_MINUTES"

# The flagship's colour read-out (temperature, chroma gain, working size), chosen on the held-out
# 5 % of the training photos (never on evaluation photos), written into weights/vivid.json.
restorer calibrate vivid --split-file runs/vivid/split.json --limit 150 --save

# Score every model on the evaluation photos: docs/RESULTS.md and the metrics in each card.
python docs/make_results.py "$D"

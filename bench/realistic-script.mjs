/**
 * A realistic training-pipeline bash script of about `targetBytes`, deterministic. Stages differ
 * in shape — dataset downloads with sha256 manifests, YAML configs in here-documents, training
 * sweeps, evaluation, retries, reports — with varied names, numbers and prose comments, so that
 * it compresses about as well as real long bash scripts do (gzip -9: ~3.3–3.5× for git-subtree.sh
 * or jetty.sh; bench/script.mjs prints this text's own ratio next to its figure). Not a repeated
 * character, and not one template repeated.
 */
import { createHash } from "node:crypto";

const WORDS =
  "the of and to a in is it you that he was for on are with as his they be at one have this from or had by word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find any new work part take get place made live where after back little only round man year came show every good me give our under name very through just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end put home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need house picture try us again animal point mother world near build self earth father".split(
    " ",
  );
const DATASETS = [
  "imagenet-1k",
  "coco-2017",
  "librispeech-960h",
  "wikitext-103",
  "openwebtext",
  "c4-en",
  "laion-400m",
  "cityscapes",
  "kinetics-700",
  "squad-v2",
  "the-pile",
  "redpajama",
  "fineweb-edu",
  "ade20k",
  "voxceleb2",
];
const MODELS = [
  "resnet50",
  "vit-b16",
  "vit-l14",
  "llama-7b",
  "mistral-7b",
  "whisper-small",
  "bert-large",
  "t5-base",
  "deeplabv3",
  "videomae-b",
  "gpt2-medium",
  "convnext-t",
  "swin-b",
  "clip-vit-b32",
];
const HOSTS = [
  "storage.example.org",
  "data.mirror.internal",
  "s3.us-east-1.amazonaws.com/ml-datasets",
  "huggingface.co/datasets",
  "zenodo.org/record",
];

function prng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

export function realisticScript(targetBytes, seed = 7) {
  const r = prng(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(r() * list.length)];
  const prose = (n) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const hex = (n) => createHash("sha256").update(String(r())).digest("hex").slice(0, n);
  const lines = [
    "#!/bin/bash",
    `# ${prose(12)}`,
    "set -euo pipefail",
    `ROOT="\${ROOT:-/workspace}"`,
    `DATA="\${DATA:-/volumes/datasets}"`,
    `OUT="\${OUT:-/volumes/results/$(date +%Y%m%d-%H%M%S)}"`,
    'mkdir -p "$OUT/logs" "$OUT/checkpoints" "$OUT/metrics"',
    'log() { printf "[%s] %s\\n" "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/logs/pipeline.log"; }',
    "",
  ];
  const blocks = [
    (i) => {
      const ds = pick(DATASETS);
      const host = pick(HOSTS);
      const n = int(3, 8);
      const out = [
        `# ${prose(int(6, 14))}`,
        `fetch_${i}() {`,
        `  local dir="$DATA/${ds}-v${int(1, 9)}"`,
        '  mkdir -p "$dir"',
        `  while read -r sum part; do`,
        `    [ -f "$dir/$part" ] || curl -fsSL --retry ${int(3, 8)} "https://${host}/${ds}/$part" -o "$dir/$part"`,
        '    echo "$sum  $dir/$part" | sha256sum -c --quiet -',
        "  done <<'MANIFEST'",
      ];
      for (let k = 0; k < n; k++)
        out.push(`${hex(64)} ${ds}-${String(k).padStart(5, "0")}-of-${String(n).padStart(5, "0")}.tar`);
      out.push("MANIFEST", "}", "");
      return out;
    },
    (i) => {
      const model = pick(MODELS);
      return [
        `# ${prose(int(5, 12))}`,
        `cat >"$OUT/config-${i}.yaml" <<EOF`,
        `model: ${model}`,
        `optimizer: {name: ${pick(["adamw", "sgd", "lion", "adafactor"])}, lr: ${(r() * 9 + 1).toFixed(2)}e-${int(3, 5)}, weight_decay: ${(r() / 10).toFixed(3)}}`,
        `schedule: {name: ${pick(["cosine", "linear", "polynomial"])}, warmup_steps: ${int(0, 5000)}, total_steps: ${int(10000, 900000)}}`,
        `data: {path: "$DATA/${pick(DATASETS)}", batch_size: ${2 ** int(3, 10)}, workers: ${int(2, 32)}, shuffle_buffer: ${int(1000, 100000)}}`,
        `precision: ${pick(["bf16", "fp16", "fp32", "tf32"])}`,
        `seed: ${int(0, 99999)}`,
        "EOF",
        "",
      ];
    },
    (i) => {
      const model = pick(MODELS);
      const ds = pick(DATASETS);
      return [
        `# ${prose(int(8, 16))}`,
        `train_${i}() {`,
        `  for seed in ${int(0, 50)} ${int(51, 99)} ${int(100, 999)}; do`,
        `    log "train ${model} on ${ds} (seed $seed)"`,
        `    torchrun --nnodes="\${NNODES:-1}" --nproc_per_node="\${GPUS:-8}" "$ROOT/train.py" --config "$OUT/config-${int(0, i)}.yaml" \\`,
        `      --model ${model} --max-steps ${int(1000, 200000)} --eval-every ${int(100, 5000)} --seed "$seed" \\`,
        `      --checkpoint-dir "$OUT/checkpoints/${model}-${ds}-$seed" || { log "seed $seed failed: ${prose(4)}"; continue; }`,
        "  done",
        "}",
        "",
      ];
    },
    (i) => [
      `# ${prose(int(6, 12))}`,
      `retry_${i}() {`,
      `  local n=0 max=${int(3, 10)} wait=${int(5, 60)}`,
      '  until "$@"; do',
      '    n=$((n + 1)); [ "$n" -lt "$max" ] || return 1',
      `    log "retry $n/$max in \${wait}s: $* (${prose(3)})"; sleep "$wait"; wait=$((wait * ${int(2, 3)}))`,
      "  done",
      "}",
      "",
    ],
    (i) => {
      const model = pick(MODELS);
      return [
        `# ${prose(int(4, 10))}`,
        `python - "$OUT/metrics" <<'PY' >"$OUT/metrics/summary-${i}.txt"`,
        "import json, pathlib, sys",
        `rows = [json.loads(l) for p in pathlib.Path(sys.argv[1]).glob("${model}-*.jsonl") for l in p.open()]`,
        `best = max(rows, key=lambda r: r.get("${pick(["accuracy", "bleu", "f1", "map", "wer"])}", 0), default={})`,
        `print("${model}", len(rows), best.get("step"), best.get("loss"))`,
        "PY",
        "",
      ];
    },
    (i) => [
      `case "\${STAGE_${i}:-${pick(["all", "eval", "train", "skip"])}}" in`,
      `  all|train) log "${prose(int(3, 7))}" ;;`,
      `  eval) python "$ROOT/tools/evaluate.py" --split ${pick(["validation", "test", "dev"])} --top-k ${int(1, 10)} ;;`,
      `  skip) log "stage ${i} skipped: ${prose(int(2, 5))}" ;;`,
      `  *) echo "unknown STAGE_${i}" >&2; exit ${int(2, 9)} ;;`,
      "esac",
      "",
    ],
  ];
  let i = 0;
  while (lines.join("\n").length < targetBytes) lines.push(...pick(blocks)(++i));
  lines.push('log "pipeline finished"', "");
  return lines.join("\n");
}

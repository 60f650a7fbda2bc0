#!/usr/bin/env bash
# Crash-injection loop: kills `poisk index`, `poisk delete` and `poisk merge` with SIGKILL at
# random moments and verifies after every kill that the index is sound (`poisk check` exits 0)
# and that no committed document was lost: the visible documents must be exactly those of the
# last commit before the kill, or of the one the killed process was making.
#
# Usage: Scripts/crash-injection.sh [ITERATIONS=500] [SEED=1]
#   POISK_BIN=path/to/poisk   use this binary instead of .build/release/poisk (built if missing)
#   KEEP=1                    keep the work directory (printed at the end)
#
# Each `index` batch (50–400 documents, ids drawn from a space of 3000 so batches replace
# earlier documents) gets the title "batch <i>" and the marker word mk<i>; every document has
# the word crashdoc, so one search lists every live document with the batch that wrote it.
# Every 5th operation is a merge, every 7th a delete of a few ids. Kill delays are drawn from
# 0 to 1.5× the duration of an unkilled run, measured at the start.
#
# Prints `crash-injection: N iterations, K kills, L lost documents` and exits non-zero on any
# failure. Not for: I/O error injection (see Tests/PoiskTests/FaultInjectionTests.swift).

set -u -o pipefail

ITERATIONS=${1:-500}
SEED=${2:-1}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${POISK_BIN:-$ROOT/.build/release/poisk}

if [[ ! -x "$BIN" ]]; then
    echo "crash-injection: building $BIN" >&2
    (cd "$ROOT" && swift build -c release --product poisk) >&2 || { echo "crash-injection: build failed" >&2; exit 2; }
fi
command -v python3 >/dev/null || { echo "crash-injection: python3 is required" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/poisk-crash-XXXXXX")
INDEX=$WORK/index
cleanup() { if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; else echo "crash-injection: work directory kept: $WORK" >&2; fi; }
trap cleanup EXIT

# The model and the batches: a small python3 helper.
HELPER=$WORK/model.py
cat > "$HELPER" <<'PY'
import json, os, random, sys

work, command = sys.argv[1], sys.argv[2]
state_path = os.path.join(work, "state.json")
VOCABULARY = ("patriot missile defense radar ракета оборона київ зеленський launcher battery "
              "interceptor sky night alarm shelter сирена море winter power grid").split()
ID_SPACE = 3000

def load_state():
    if os.path.exists(state_path):
        with open(state_path) as f:
            return json.load(f)
    return {"committed": {}, "lost": 0}

def save_state(state):
    with open(state_path + ".tmp", "w") as f:
        json.dump(state, f)
    os.replace(state_path + ".tmp", state_path)

if command == "gen":
    # gen ITERATION SEED OP: writes the batch (index) or the id list (delete) and the expected
    # state after the operation.
    iteration, seed, op = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    rng = random.Random(seed * 1_000_003 + iteration)
    state = load_state()
    after = dict(state["committed"])
    if op == "index":
        lines = []
        for _ in range(rng.randint(50, 400)):
            doc_id = "d%d" % rng.randrange(ID_SPACE)
            words = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(5, 60)))
            body = "crashdoc mk%d %s" % (iteration, words)
            lines.append(json.dumps({"id": doc_id, "title": "batch %d" % iteration, "body": body}, ensure_ascii=False))
            after[doc_id] = iteration  # a later document with the same id replaces the earlier
        with open(os.path.join(work, "batch.jsonl"), "w") as f:
            f.write("\n".join(lines) + "\n")
    elif op == "delete":
        ids = ["d%d" % rng.randrange(ID_SPACE) for _ in range(rng.randint(1, 20))]
        for doc_id in ids:
            after.pop(doc_id, None)
        print(" ".join(ids))
    with open(os.path.join(work, "after.json"), "w") as f:
        json.dump(after, f)

elif command == "verify":
    # verify ITERATION STATUS SEARCH_JSON STATS_JSON: compares what the index shows with the
    # states before and after the operation; updates the model.
    iteration, status = int(sys.argv[3]), int(sys.argv[4])
    state = load_state()
    before = state["committed"]
    with open(os.path.join(work, "after.json")) as f:
        after = json.load(f)
    with open(sys.argv[5]) as f:
        result = json.load(f)
    with open(sys.argv[6]) as f:
        stats = json.load(f)
    visible = {}
    problems = []
    for hit in result["hits"]:
        title = hit.get("title", "")
        if not title.startswith("batch ") or hit["id"] in visible:
            problems.append("unexpected hit %r" % (hit,))
            continue
        visible[hit["id"]] = int(title[6:])
    if stats["documents"] != len(visible):
        problems.append("stats counts %d documents, the search lists %d" % (stats["documents"], len(visible)))
    if visible == after:
        state["committed"] = after
        print("after")
    elif visible == before and status != 0:
        print("before")
    else:
        if status == 0:
            problems.append("the process exited 0 but its changes are not all visible")
        # A document is lost when its committed version is gone and no newer one replaced it
        # (after a successful run, every document of the after state is committed).
        if status == 0:
            lost = [i for i, b in after.items() if visible.get(i) != b]
        else:
            lost = [i for i, b in before.items() if visible.get(i) != b and visible.get(i) != after.get(i)]
        extra = [i for i in visible if i not in before and i not in after]
        problems.append("visible state is neither before nor after: %d lost, %d unexpected (e.g. %s)"
                        % (len(lost), len(extra), (lost + extra)[:5]))
        state["lost"] += len(lost)
        state["committed"] = {k: v for k, v in visible.items()}
    save_state(state)
    for p in problems:
        print("iteration %d: %s" % (iteration, p), file=sys.stderr)
    sys.exit(1 if problems else 0)

elif command == "lost":
    print(load_state()["lost"])

elif command == "files":
    # files INDEX: prints the files the newest commit and the one before it (which the writer
    # keeps as a fallback) reference, one a line, for the stray check.
    index = sys.argv[3]
    commits = sorted(n for n in os.listdir(index) if n.startswith("commit-") and n.endswith(".pkc"))
    names = {"write.lock"}
    for name in commits[-2:]:
        with open(os.path.join(index, name), "rb") as f:
            data = f.read()
        length = int.from_bytes(data[12:16], "little")
        commit = json.loads(data[16:16 + length])
        names.add(name)
        for s in commit["segments"]:
            names.add(s["name"] + ".seg")
            if s["deleteGeneration"] > 0:
                names.add("%s-%d.del" % (s["name"], s["deleteGeneration"]))
    for name in sorted(names):
        print(name)
PY

# Milliseconds since the epoch: GNU date's %N where it works (Linux), perl elsewhere (macOS's
# date has no %N).
if [[ "$(date +%N)" =~ ^[0-9]+$ ]]; then
    now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
else
    now_ms() { perl -MTime::HiRes=time -e 'printf "%d\n", time() * 1000'; }
fi

RANDOM=$SEED
kills=0
killed_after_commit=0
failures=0
committed_any=0
run_ms=0

for (( i = 0; i < ITERATIONS; i++ )); do
    if (( i % 5 == 4 )); then op=merge; elif (( i % 7 == 6 )); then op=delete; else op=index; fi
    ids=$(python3 "$HELPER" "$WORK" gen "$i" "$SEED" "$op") || { echo "crash-injection: helper failed" >&2; exit 2; }
    case $op in
        index) args=(index --index "$INDEX" "$WORK/batch.jsonl") ;;
        merge) args=(merge --index "$INDEX") ;;
        delete) read -r -a id_list <<< "$ids"; args=(delete --index "$INDEX" "${id_list[@]}") ;;
    esac

    started=$(now_ms)
    "$BIN" "${args[@]}" >/dev/null 2>"$WORK/stderr" &
    pid=$!
    if (( i == 0 )); then
        # The first run is never killed: it creates the index and sets the kill-delay range.
        { wait "$pid"; } 2>/dev/null; status=$?
        run_ms=$(( $(now_ms) - started ))
        (( run_ms < 10 )) && run_ms=10
    else
        delay=$(( RANDOM % (run_ms * 3 / 2 + 1) ))
        sleep "$(printf '%d.%03d' $(( delay / 1000 )) $(( delay % 1000 )))"
        kill -KILL "$pid" 2>/dev/null
        { wait "$pid"; } 2>/dev/null; status=$?
    fi
    if (( status == 137 )); then
        kills=$(( kills + 1 ))
    elif (( status != 0 )) && ! { (( committed_any == 0 )) && [[ $op != index ]]; }; then
        echo "crash-injection: iteration $i: poisk ${args[0]} exited $status: $(head -c 300 "$WORK/stderr")" >&2
        failures=$(( failures + 1 ))
    fi

    if [[ ! -d "$INDEX" ]] || ! ls "$INDEX"/commit-*.pkc >/dev/null 2>&1; then
        if (( committed_any == 1 )); then
            echo "crash-injection: iteration $i: the index has no commit any more" >&2
            failures=$(( failures + 1 ))
        fi
        continue
    fi
    committed_any=1
    if ! "$BIN" check --index "$INDEX" >/dev/null 2>"$WORK/check"; then
        echo "crash-injection: iteration $i: poisk check failed: $(head -c 500 "$WORK/check")" >&2
        failures=$(( failures + 1 ))
    fi
    if ! "$BIN" search --index "$INDEX" --json --limit 100000 --highlight none --snippet-length 10 crashdoc \
        >"$WORK/search.json" 2>"$WORK/search.err" \
        || ! "$BIN" stats --index "$INDEX" --json >"$WORK/stats.json" 2>>"$WORK/search.err"; then
        echo "crash-injection: iteration $i: the index cannot be read: $(head -c 500 "$WORK/search.err")" >&2
        failures=$(( failures + 1 ))
        continue
    fi
    if ! seen=$(python3 "$HELPER" "$WORK" verify "$i" "$status" "$WORK/search.json" "$WORK/stats.json"); then
        failures=$(( failures + 1 ))
    elif (( status == 137 )) && [[ $seen == after && $op != merge ]]; then
        # Killed after its commit was published: the new state must be (and was) visible.
        killed_after_commit=$(( killed_after_commit + 1 ))
    fi
    if (( (i + 1) % 100 == 0 )); then
        echo "crash-injection: $(( i + 1 )) iterations, $kills kills, $failures failures so far" >&2
    fi
done

# A new writer removes whatever the killed writers left behind.
if (( committed_any == 1 )); then
    "$BIN" merge --index "$INDEX" >/dev/null 2>&1 || { echo "crash-injection: final merge failed" >&2; failures=$(( failures + 1 )); }
    expected=$(python3 "$HELPER" "$WORK" files "$INDEX" | sort)
    actual=$(ls -A "$INDEX" | sort)
    if [[ "$expected" != "$actual" ]]; then
        echo "crash-injection: stray or missing files after cleanup:" >&2
        diff <(echo "$expected") <(echo "$actual") >&2
        failures=$(( failures + 1 ))
    fi
    "$BIN" check --index "$INDEX" >/dev/null || failures=$(( failures + 1 ))
fi

lost=$(python3 "$HELPER" "$WORK" lost)
echo "crash-injection: $ITERATIONS iterations, $kills kills, $lost lost documents"
echo "crash-injection: $killed_after_commit of the killed index/delete runs had already published their commit; $failures failures" >&2
if (( failures > 0 || lost > 0 )); then
    echo "crash-injection: FAILED ($failures failures)" >&2
    exit 1
fi

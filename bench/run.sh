#!/usr/bin/env bash
# The benchmark behind `make bench` (one server) and `make bench-cluster` (two servers sharing
# PostgreSQL and Redis). See bench/RESULTS.md for what it measures and the figures.
#
# Everything is on loopback, every load run is bounded in time, and the benchmark has its own
# database (dropped and recreated) and Redis database number, so dev and test data are untouched.
set -euo pipefail

MODE="${1:-single}"
cd "$(dirname "$0")/.."

PY=.venv/bin/python
GUNICORN=.venv/bin/gunicorn
OUT=var/bench
mkdir -p "$OUT"
rm -f "$OUT"/*.record* "$OUT"/*.out "$OUT"/gunicorn-*.log
LOG="$OUT/$MODE.log"

# Production settings (DEBUG off) over plain HTTP on loopback.
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sourcewise_bench}"
export REDIS_URL="${BENCH_REDIS_URL-redis://127.0.0.1:6379/9}"
export DJANGO_SETTINGS_MODULE="${BENCH_SETTINGS:-config.settings}"
export DEBUG=0 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 ALLOWED_HOSTS=127.0.0.1,localhost
# Route /bench/baseline, the framework's ceiling the answers are measured against.
export BENCH_BASELINE=1
export CONN_MAX_AGE="${CONN_MAX_AGE:-60}"
# A fresh key each run, unless BENCH_SECRET_KEY names one (bench/cpu.py, run afterwards on the
# same sessions, needs the key they were signed with).
SECRET_KEY="${BENCH_SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export SECRET_KEY
export BENCH_STUDENTS="${BENCH_STUDENTS:-1000}"
export BENCH_ANSWERS="$OUT/answers.txt"

WORKERS="${BENCH_WORKERS:-4}"          # gunicorn workers in total (split over two servers)
CONNECTIONS="${BENCH_CONNECTIONS:-16}" # load generator connections, one per wrk thread
ROUNDS="${BENCH_ROUNDS:-3}"            # measured rounds of baseline, question page, answer
SECONDS_EACH="${BENCH_SECONDS:-5}"     # each phase in each round
PACED_SECONDS="${BENCH_PACED_SECONDS:-15}"
LOGINS="${BENCH_LOGINS:-20}"           # cluster: students who log in over HTTP on server A
# Teacher pages: class sizes to time them at (empty: skip), each with this many assignments.
TEACHER_SIZES="${BENCH_TEACHER_SIZES-100 1000 5000}"
TEACHER_ASSIGNMENTS="${BENCH_TEACHER_ASSIGNMENTS:-30}"
export BENCH_TEACHER_REPEAT="${BENCH_TEACHER_REPEAT:-3}"
PORTS=(8901 8902)

need_wrk() {
  command -v wrk >/dev/null && return
  if [ "$(id -u)" = 0 ]; then
    echo "wrk is missing: installing it from the distribution (apt-get install -y wrk)."
    apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else
    echo "The benchmark needs wrk, the HTTP load generator. Install it with:" >&2
    echo "    sudo apt-get install -y wrk" >&2
    exit 2
  fi
}

SERVER_PIDS=()
cleanup() {
  # Our own background jobs (load generators still running), then the servers.
  kill $(jobs -p) 2>/dev/null || true
  for pid in "${SERVER_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${SERVER_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server() { # port workers
  # The app's own log (errors, tracebacks) goes to the same file as gunicorn's.
  WEB_CONCURRENCY="$2" BENCH_BIND="127.0.0.1:$1" BENCH_ERRORLOG="$OUT/gunicorn-$1.log" \
    $GUNICORN config.wsgi -c bench/gunicorn.conf.py >>"$OUT/gunicorn-$1.log" 2>&1 &
  SERVER_PIDS+=($!)
}

# wrk with one connection per thread, bounded by -d; extra env vars go before the call.
load() { # script url seconds connections
  wrk -t "$4" -c "$4" -d "${3}s" --timeout 10s -s "bench/lua/$1.lua" "$2"
}

need_wrk
$PY -c "import os, redis; url = os.environ['REDIS_URL']; url and redis.Redis.from_url(url).ping()" \
  || { echo "Redis does not answer at $REDIS_URL (set BENCH_REDIS_URL= to bench without it)." >&2; exit 2; }

{
  echo "== Sourcewise benchmark ($MODE) on $(nproc) cores, $(uname -sr), $(date -u +%FT%TZ)"
  echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "== workers=$WORKERS connections=$CONNECTIONS rounds=${ROUNDS}x${SECONDS_EACH}s CONN_MAX_AGE=$CONN_MAX_AGE" \
    "sessions=$([ -n "$REDIS_URL" ] && echo redis || echo database) settings=$DJANGO_SETTINGS_MODULE"
  # Other work on the machine skews every figure: say how busy it was.
  echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$LOG"

$PY manage.py collectstatic --no-input --verbosity 0
$PY bench/tool.py createdb
$PY manage.py migrate --no-input --verbosity 0
$PY bench/data.py --force --students "$BENCH_STUDENTS" --assignments 4 --out "$BENCH_ANSWERS" \
  | tee -a "$LOG"

if [ "$MODE" = cluster ]; then
  SERVERS=2
  start_server "${PORTS[0]}" $(( (WORKERS + 1) / 2 ))
  start_server "${PORTS[1]}" $(( WORKERS > 1 ? WORKERS / 2 : 1 ))
else
  SERVERS=1
  start_server "${PORTS[0]}" "$WORKERS"
fi
URLS=()
for ((i = 0; i < SERVERS; i++)); do
  URLS+=("http://127.0.0.1:${PORTS[$i]}")
  $PY bench/tool.py wait "${URLS[$i]}"
done
PER_SERVER=$(( CONNECTIONS / SERVERS ))
export BENCH_SLOTS="$CONNECTIONS"

if [ "$MODE" = cluster ]; then
  # A student logs in on server A; the load below sends half of each student's answers to B.
  $PY bench/tool.py login "${URLS[0]}" "$LOGINS" | tee -a "$LOG"
fi

# Run one phase on every server at once; each server's generator takes its own slots.
phase() { # name script path seconds [record offset]
  local i pids=()
  for ((i = 0; i < SERVERS; i++)); do
    BENCH_NAME="$1" BENCH_SLOT_BASE="$i" BENCH_SLOT_STEP="$SERVERS" \
      BENCH_RECORD="${5:-/dev/null}.$i" BENCH_OFFSET="${6:-0}" \
      load "$2" "${URLS[$i]}$3" "$4" "$PER_SERVER" > "$OUT/$1.$i.out" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  for ((i = 0; i < SERVERS; i++)); do
    grep -E '^(RESULT|WARNING)' "$OUT/$1.$i.out" | sed "s|\$| server=${URLS[$i]}|" | tee -a "$LOG"
  done
}

# The first answer nobody has given yet: past every answer the runs so far may have sent.
next_offset() {
  cat "$OUT"/answer.record.* 2>/dev/null | awk '{ if ($1 + 1 > m) m = $1 + 1 } END { print m + 0 }'
}

echo "-- warming up" | tee -a "$LOG"
phase warmup_baseline baseline /bench/baseline 2 >/dev/null
phase warmup_question question / 2 >/dev/null

# Rounds that take turns, so that other work on the machine weighs on every phase alike.
echo "-- measuring: $ROUNDS rounds of ${SECONDS_EACH}s per phase" | tee -a "$LOG"
for ((round = 1; round <= ROUNDS; round++)); do
  phase baseline baseline /bench/baseline "$SECONDS_EACH"
  phase question question / "$SECONDS_EACH"
  phase answer answer / "$SECONDS_EACH" "$OUT/answer.record.$round" "$(next_offset)"
done

RATE=$($PY bench/tool.py half_rate "$LOG")
echo "-- answering at half the maximum: $RATE/s for ${PACED_SECONDS}s, open loop" | tee -a "$LOG"
$PY bench/tool.py paced "$(IFS=,; echo "${URLS[*]}")" "$RATE" "$PACED_SECONDS" "$(next_offset)" \
  "$OUT/paced.record" | tee -a "$LOG"

echo "-- checking the database against what the clients were told" | tee -a "$LOG"
$PY bench/tool.py verify "$OUT"/answer.record.* "$OUT/paced.record" | tee -a "$LOG"
if [ "$MODE" = cluster ]; then
  $PY bench/tool.py crosscheck "$LOGINS" "$OUT"/answer.record.*.1 | tee -a "$LOG"
fi

if [ "$MODE" = single ] && [ -n "$TEACHER_SIZES" ]; then
  echo "-- teacher pages, $TEACHER_ASSIGNMENTS past assignments, classes of: $TEACHER_SIZES" | tee -a "$LOG"
  # shellcheck disable=SC2086 # a list of sizes
  BENCH_TEACHER_ASSIGNMENTS="$TEACHER_ASSIGNMENTS" $PY bench/teacher.py $TEACHER_SIZES | tee -a "$LOG"
fi

echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$LOG"
$PY bench/tool.py targets "$LOG" | tee -a "$LOG"
# The last line: the figures of this run.
$PY bench/tool.py summary "$LOG" | tee -a "$LOG"

#!/usr/bin/env bash
# A realtime soak of calldrill (./dev soak; outside CI): plays the default
# drill on the wall clock for MINUTES, scrapes its metrics endpoint every 5 s,
# samples its RSS every 10 s into a CSV, and fails unless the RSS stays flat
# within 2 % of its value at the 5-minute mark (the warm-up).
#   tests/soak.sh BINARY [MINUTES [SPEED]]   (defaults: 60 minutes, speed 480;
#   lower when MINUTES x SPEED would pass 168 simulated hours)
set -euo pipefail
bin=$1
minutes=${2:-60}
speed=${3:-480}
warmup_s=300
port=${SOAK_METRICS_PORT:-19464}
csv=${SOAK_CSV:-soak-rss.csv}
[ "$minutes" -gt 5 ] || { echo "soak: MINUTES must be more than 5" >&2; exit 2; }

wall_s=$((minutes * 60))
# Simulated length: the wall time times the speed, plus a minute's margin so
# the run is still going when the sampling stops; a run lasts at most 168 h,
# so a long soak runs slower.
max_sim_s=$((168 * 3600))
if [ $(((wall_s + 60) * speed)) -gt "$max_sim_s" ]; then
  speed=$((max_sim_s / (wall_s + 60)))
  echo "soak: $minutes minutes fit 168 simulated hours at speed $speed at most: using it" >&2
fi
sim_s=$(((wall_s + 60) * speed))
"$bin" run --clock realtime --speed "$speed" --duration "${sim_s}s" --seed 1 \
  --quiet --metrics-port "$port" >soak-run.log 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT

echo "wall_seconds,rss_kib" >"$csv"
start=$(date +%s)
next_sample=0
while :; do
  now=$(($(date +%s) - start))
  [ "$now" -ge "$wall_s" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "soak: the run ended early:" >&2; tail -5 soak-run.log >&2; exit 1; }
  curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/metrics" || true
  if [ "$now" -ge "$next_sample" ]; then
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || continue
    echo "$now,$rss" >>"$csv"
    next_sample=$((now + 10))
  fi
  sleep 5
done

awk -F, -v warm="$warmup_s" -v minutes="$minutes" -v speed="$speed" '
  NR == 1 { next }
  $1 >= warm && base == "" { base = $2 }
  $1 >= warm { if ($2 > peak) peak = $2; last = $2 }
  END {
    growth = (peak - base) / base * 100
    printf "soak: %d min at speed %s: RSS %.1f MiB at 5 min, peak after %.1f MiB, last %.1f MiB (%+.2f %%)\n",
      minutes, speed, base / 1024, peak / 1024, last / 1024, growth
    exit growth > 2 ? 1 : 0
  }' "$csv"

# Sourced by the benchmark scripts: the median wall time of `runs` runs of a command, its output
# discarded and its exit status ignored. `runs` is set by the caller.

# in nanoseconds
median_ns() {
  local times=()
  for _ in $(seq 1 "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=("$((end - start))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v k=$(((runs + 1) / 2)) 'NR==k { print $1 }'
}

# in seconds, four decimals
median() {
  median_ns "$@" | awk '{ printf "%.4f", $1 / 1e9 }'
}

# in milliseconds, one decimal
median_ms() {
  median_ns "$@" | awk '{ printf "%.1f", $1 / 1e6 }'
}

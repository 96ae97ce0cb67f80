# Sourced by the benchmark scripts: the median wall time of `runs` runs of a command, its output
# discarded and its exit status ignored. `runs` is set by the caller.

# in nanoseconds. Bash 5's $EPOCHREALTIME is read without starting a process (even `$(...)`
# starts one); `date` (older bash, e.g. macOS's 3.2) adds its own start-up, about a millisecond,
# to every timing, which matters for a command that takes three. $EPOCHREALTIME's separator is
# the locale's: its digits alone are microseconds.
median_ns() {
  local times=()
  for _ in $(seq 1 "$runs"); do
    times+=("$(once_ns "$@")")
  done
  median_of "${times[@]}"
}

# One run's wall time in nanoseconds.
once_ns() {
  local start end
  if [ -n "${EPOCHREALTIME:-}" ]; then
    start=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || true
    end=$EPOCHREALTIME
    start=$((10#${start//[!0-9]/} * 1000))
    end=$((10#${end//[!0-9]/} * 1000))
  else
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
  fi
  echo "$((end - start))"
}

# The median of the times (in nanoseconds) given as arguments.
median_of() {
  printf '%s\n' "$@" | sort -n | awk -v k=$((($# + 1) / 2)) 'NR==k { print $1 }'
}

# Nanoseconds as seconds, four decimals.
as_seconds() {
  awk -v ns="$1" 'BEGIN { printf "%.4f", ns / 1e9 }'
}

# in seconds, four decimals
median() {
  median_ns "$@" | awk '{ printf "%.4f", $1 / 1e9 }'
}

# in milliseconds, one decimal
median_ms() {
  median_ns "$@" | awk '{ printf "%.1f", $1 / 1e6 }'
}

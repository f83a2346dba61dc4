#!/usr/bin/env bash
# Debian's ffmpeg (ffprobe and ffmpeg), the independent decoder that checks the offline imini's
# MP4 results (test/e2e/mock-audio.e2e.test.ts): the test must not trust the code that wrote them.
#
#   bash dev/install-ffmpeg.sh    # about 30 s the first time (as root), instant afterwards
set -euo pipefail
started=$SECONDS
say() { printf '[ffmpeg %3ss] %s\n' "$((SECONDS - started))" "$*" >&2; }
fail() { printf '[ffmpeg] FAILED: %s\n' "$*" >&2; exit 1; }

command -v ffprobe >/dev/null 2>&1 && command -v ffmpeg >/dev/null 2>&1 && exit 0

[[ "$(id -u)" == 0 ]] || fail "ffmpeg missing, and installing needs root: sudo apt-get install -y ffmpeg"
say "installing Debian's ffmpeg (apt-get)"
export DEBIAN_FRONTEND=noninteractive
log="${TMPDIR:-/tmp}/imini-ffmpeg-install.log"
apt-get update -qq > "$log" 2>&1 || { tail -20 "$log" >&2; fail "apt-get update failed (log: $log)"; }
apt-get install -y -qq --no-install-recommends ffmpeg >> "$log" 2>&1 \
  || { tail -20 "$log" >&2; fail "apt-get install ffmpeg failed (log: $log)"; }
command -v ffprobe >/dev/null 2>&1 || fail "ffprobe is still missing"
say "ready: $(ffprobe -version | head -1 | cut -d' ' -f1-3)"

#!/usr/bin/env bash
# bench/run stream — panelctl stream from a raw 320x240 XRGB8888 source (a regular file: every
# frame is shown, as fast as the panel takes them) into a virtual MI0283QT whose wire is timed at
# 62.5 MHz (wire_hz), through a shared buffer and whole-frame flips. Two sources: a mostly static
# desktop (a 16x16 cursor and a 48x16 "clock" change a frame) and full-motion video (ffmpeg
# temporal noise: every pixel changes every frame). fps and CPU per frame are panelctl's own report
# (process CPU time over the frames shown). limit_fps is the wire's bound for whole RGB565
# frames: 62.5e6 / (320 * 240 * 16) = 50.86.
# Last line: stream: desktop_fps=… desktop_cpu_ms=… video_fps=… video_cpu_ms=… limit_fps=50.86
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
for t in ffmpeg python3; do
  command -v "$t" >/dev/null || { echo "bench/run stream: $t is missing" >&2; exit 1; }
done
echo "bench/run: building (tests skipped) ..." >&2
mvn -B -q -pl daemon -am -DskipTests package >&2
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
cp daemon/target/paneld.jar daemon/target/panelctl.jar "$work/"
cat > "$work/paneld.toml" <<TOML
[server]
socket = "$work/paneld.sock"
[[panel]]
name = "lcd0"
driver = "mi0283qt"
backend = "virtual"
spi_speed_hz = 62500000
wire_hz = 62500000
TOML
java -Xmx48m -Xss256k -XX:+UseSerialGC -XX:MaxDirectMemorySize=32m -jar "$work/paneld.jar" --config "$work/paneld.toml" \
  >"$work/paneld.log" 2>&1 &
pid=$!
frames=${STREAM_BENCH_FRAMES:-400}
# the desktop: one base picture, a moving cursor and a changing clock
python3 - "$work/desktop.raw" "$frames" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
W, H = 320, 240
def px(r, g, b): return bytes((b, g, r, 0))
base = bytearray()
for y in range(H):
    row = px(48, 48, 48) * W if y < 20 else b"".join(px(64, 96, 160) if (x // 40 + y // 40) % 2 else px(64, 96, 128) for x in range(W))
    base += row
with open(path, "wb") as f:
    for i in range(n):
        fr = bytearray(base)
        cx, cy = (i * 3) % (W - 16), 60 + (i * 2) % 120
        for y in range(cy, cy + 16):
            fr[(y * W + cx) * 4:(y * W + cx + 16) * 4] = px(255, 255, 255) * 16
        for y in range(2, 18):
            fr[(y * W + 260) * 4:(y * W + 308) * 4] = px(200, (i * 7) % 256, 0) * 48
        f.write(fr)
PY
ffmpeg -loglevel error -y -f lavfi -i "color=c=gray:s=320x240:r=50" -vf "noise=alls=100:allf=t+u" -frames:v "$frames" \
  -f rawvideo -pix_fmt bgra "$work/video.raw"
for i in $(seq 1 150); do
  [[ -S "$work/paneld.sock" ]] && grep -q "ready: serving" "$work/paneld.log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/paneld.log" >&2; exit 1; }
  sleep 0.2
done
ctl() { java -XX:+UseSerialGC -jar "$work/panelctl.jar" --socket "$work/paneld.sock" "$@"; }
ctl stream lcd0 --input "$work/video.raw" --frames 50 >/dev/null # warm-up: the daemon's JIT
d=$(ctl stream lcd0 --input "$work/desktop.raw")
echo "desktop: $d"
v=$(ctl stream lcd0 --input "$work/video.raw")
echo "video: $v"
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"; }
printf 'stream: desktop_fps=%.1f desktop_cpu_ms=%.2f video_fps=%.1f video_cpu_ms=%.2f limit_fps=50.86\n' \
  "$(field fps "$d")" "$(field cpu_ms_per_frame "$d")" "$(field fps "$v")" "$(field cpu_ms_per_frame "$v")"

#!/usr/bin/env bash
# Renders the baseline plan's report.html in headless Chromium and checks the screenshot
# is not blank. Usage: scripts/render-report.sh [OUT_DIR]   (default: target/render-report)
#
# Needs Debian's `chromium` (apt-get install -y chromium) and python3 with Pillow
# (pip install pillow). Writes OUT_DIR/baseline-clarabel/, OUT_DIR/baseline-microlp/ and
# OUT_DIR/infeasible/ (plans and reports) and a full-page PNG of each report.
set -euo pipefail

cd "$(dirname "$0")/.."
out="${1:-target/render-report}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

chrome="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$chrome" ]; then
    echo "render-report: chromium not found (apt-get install -y chromium)" >&2
    exit 2
fi
python3 -c 'import PIL' 2>/dev/null || {
    echo "render-report: python3 Pillow not found (pip install pillow)" >&2
    exit 2
}

cargo build --release --quiet
bin=target/release/allyplan

"$bin" solve models/baseline.yaml --solver clarabel --quiet --out "$out/baseline-clarabel"
"$bin" solve models/baseline.yaml --solver microlp --quiet --out "$out/baseline-microlp"
# Exits non-zero (infeasible) by design; the report must still be written.
"$bin" solve tests/fixtures/infeasible/model.yaml --quiet --out "$out/infeasible" || true

# screenshot NAME HEIGHT: full-width screenshot of NAME/report.html, HEIGHT px tall.
screenshot() {
    local name="$1" height="$2" profile
    profile="$(mktemp -d)"
    "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" --window-size="1400,$height" \
        --screenshot="$out/$name.png" "file://$out/$name/report.html" >/dev/null 2>&1
    rm -rf "$profile"
}

screenshot baseline-clarabel 7600
screenshot baseline-microlp 7600
screenshot infeasible 900

# Not blank: a real file, many distinct colours, and ink in every 1000 px slice of the
# page that holds content (catches a page that renders only its top).
python3 - "$out" <<'PY'
import sys
from PIL import Image

out = sys.argv[1]
failed = False
for name, min_colors, min_slices in [
    ("baseline-clarabel", 200, 6),
    ("baseline-microlp", 200, 6),
    ("infeasible", 20, 1),
]:
    path = f"{out}/{name}.png"
    img = Image.open(path).convert("RGB")
    w, h = img.size
    colors = img.getcolors(maxcolors=1 << 20)
    n_colors = len(colors) if colors else 1 << 20
    background = max(colors)[1] if colors else (255, 255, 255)
    inked = 0
    for top in range(0, h, 1000):
        band = img.crop((0, top, w, min(h, top + 1000)))
        hist = band.getcolors(maxcolors=1 << 20) or []
        non_bg = sum(c for c, rgb in hist if rgb != background)
        if non_bg > 0.01 * band.size[0] * band.size[1]:
            inked += 1
    ok = n_colors >= min_colors and inked >= min_slices
    failed |= not ok
    print(f"{'ok  ' if ok else 'FAIL'} {path}: {w}x{h}, {n_colors} colours, {inked} inked 1000-px slices")
sys.exit(1 if failed else 0)
PY

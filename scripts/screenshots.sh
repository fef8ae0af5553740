#!/usr/bin/env bash
# Renders the sample district report, a school's page, a student's year and letters in
# English and Spanish with headless Chromium (Debian's `chromium` package) to PNG, for
# the README. Not run by CI: the tests check the HTML's structure, not its pixels.
#
#   apt-get install -y chromium      # once
#   scripts/screenshots.sh [OUTDIR]  # default docs/screenshots
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$browser" ]; then
  echo "screenshots: no Chromium found (apt-get install chromium, or set CHROMIUM)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

roster=(--policy testdata/letters/district.yaml --as-of 2024-12-13 --calendar testdata/letters/calendar.json
  --students testdata/letters/students.csv --events testdata/letters/events.csv
  --interventions testdata/letters/interventions.csv)
go build -o "$work/attendance" ./cmd/attendance
"$work/attendance" report --format html "${roster[@]}" --out "$work/report" 2>/dev/null
"$work/attendance" letters "${roster[@]}" --out "$work/letters" 2>/dev/null || true  # S05 has no address: exit 1

# One letter a file, so that each screenshot shows one page: the letters' file cut at
# its articles (the head and the style kept).
split_letter() { # FILE STUDENT STEP LANG OUT
  awk -v want="data-student=\"$2\" data-step=\"$3\" data-lang=\"$4\"" '
    /<article class="letter"/ { inside = index($0, want) > 0; if (inside) found = 1 }
    !started && /<article class="letter"/ { started = 1 }
    !started || inside { print }
    /<\/article>/ { inside = 0 }
    END { print "</body></html>" }' "$1" > "$5"
}
split_letter "$work/letters/letters-lincoln-elementary.html" S01 warning-letter es "$work/letter-es.html"
split_letter "$work/letters/letters-lincoln-elementary.html" S02 warning-letter en "$work/letter-en.html"
split_letter "$work/letters/letters-washington-elementary.html" S06 truancy-hearing en "$work/letter-hearing.html"

shot() { # HTML PNG WIDTH HEIGHT
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$3,$4" --screenshot="$2" "file://$(realpath "$1")" >/dev/null 2>&1
  echo "wrote $2"
}
shot "$work/report/index.html" "$out/report.png" 1150 1700
shot "$work/report/washington-elementary/index.html" "$out/school.png" 1150 1500
shot "$work/report/washington-elementary/s06.html" "$out/student.png" 1150 1250
shot "$work/letter-es.html" "$out/letter-es.png" 900 1150
shot "$work/letter-en.html" "$out/letter-en.png" 900 1150
shot "$work/letter-hearing.html" "$out/letter-hearing.png" 900 1150

#!/usr/bin/env bash
# Regenerates NotoSansCJKsc-Regular-GB2312.otf, the font bundled into ipyun-notice PDFs.
#
# Source: Noto Sans CJK SC Regular (face 2 of Debian's fonts-noto-cjk NotoSansCJK-Regular.ttc),
# SIL Open Font License 1.1 (see OFL.txt). The subset keeps its CFF outlines (CID-keyed) and covers:
#   - ASCII and Latin-1, general punctuation, CJK symbols and punctuation, fullwidth/halfwidth forms;
#   - every character of GB 2312 (6,763 hanzi plus 682 symbols, kana, Greek, Cyrillic, box drawing);
#   - a few hanzi outside GB 2312 that are common in names of people and companies (EXTRA below).
# Hinting and OpenType layout tables are dropped: the notice writer lays out glyphs by cmap and hmtx
# only, and PDF viewers do not need hints for print.
#
# Needs: python3 with fontTools (`pip install fonttools`), fonts-noto-cjk (`apt-get install fonts-noto-cjk`).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src="${NOTO_CJK_TTC:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}"
out="$here/NotoSansCJKsc-Regular-GB2312.otf"
face=2 # 0 JP, 1 KR, 2 SC, 3 TC, 4 HK

EXTRA='喆堃昇燊珺玥瑄镕赟旻犇垚璟彧祎袆翀湉芃'

python3 - "$src" "$face" <<'PY' >/dev/null
import sys
from fontTools.ttLib import TTFont
name = TTFont(sys.argv[1], fontNumber=int(sys.argv[2]), lazy=True)["name"].getDebugName(6)
if name != "NotoSansCJKsc-Regular":
    sys.exit(f"face {sys.argv[2]} of {sys.argv[1]} is {name}, not NotoSansCJKsc-Regular")
PY

text_file="$(mktemp)"
trap 'rm -f "$text_file"' EXIT
EXTRA="$EXTRA" python3 - >"$text_file" <<'PY'
import os
chars = set()
# Every double-byte code of GB 2312 (EUC-CN rows 0xA1-0xF7, cells 0xA1-0xFE).
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars.update(os.environ["EXTRA"])
print("".join(sorted(chars)))
PY

pyftsubset "$src" \
  --font-number="$face" \
  --text-file="$text_file" \
  --unicodes='U+0020-007E,U+00A0-00FF,U+2010-2027,U+2030-203B,U+20AC,U+2103,U+2116,U+2160-216B,U+25A1,U+3000-303F,U+FF01-FF5E,U+FFE0-FFE6' \
  --layout-features='' \
  --drop-tables+=GSUB,GPOS,GDEF,BASE,JSTF,MATH,VORG,vhea,vmtx,DSIG \
  --no-hinting \
  --notdef-outline \
  --name-IDs='0,1,2,3,4,5,6,7,13,14' \
  --output-file="$out"

python3 - "$out" <<'PY'
import os, sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1])
print(f"{sys.argv[1]}: {os.path.getsize(sys.argv[1])} bytes, {len(f.getGlyphOrder())} glyphs, "
      f"{len(f.getBestCmap())} characters, tables {sorted(f.keys())}")
PY

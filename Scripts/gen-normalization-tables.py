#!/usr/bin/env python3
"""Generate Sources/PoiskAnalysis/Generated/NormalizationTables.swift.

What it is for: precomputing, from the Unicode Character Database, the per-scalar data
that `TokenNormalizer` needs on its slow (non-ASCII, non-basic-Cyrillic) path:

* the *folded form* of every scalar that changes: apostrophe variants -> U+0027,
  soft hyphen / zero-width characters -> deleted, otherwise the NFKD compatibility
  decomposition followed by full case folding (CaseFolding.txt statuses C + F),
  iterated to a fixed point;
* a second *Latin diacritic folding* variant (only where it differs): combining marks
  after a Latin letter dropped, and Latin letters whose base is not reachable by
  decomposition (l with stroke, o with stroke, ae, oe, thorn, dotless i, ...) mapped to ASCII;
* per-scalar properties: canonical combining class, letter class (Latin / Cyrillic /
  other letter / decimal digit / combining mark), "Cyrillic vowel", and whether the
  scalar can be the first or the second element of a canonical composition;
* the canonical composition pairs (UnicodeData canonical decompositions of length two,
  minus Full_Composition_Exclusion); Hangul syllables are composed algorithmically at run time.

What it is not for: it does not implement NFC/NFKC exactly (Hangul syllables are not
decomposed) and it has no word-breaking or stemming data.

Usage: python3 Scripts/gen-normalization-tables.py [UCD_DIR] [OUTPUT]
  UCD_DIR defaults to /usr/share/unicode (Debian package `unicode-data`),
  OUTPUT defaults to Sources/PoiskAnalysis/Generated/NormalizationTables.swift
  relative to the repository root (the parent of this script's directory).

Only the Python 3 standard library is used.
"""

import base64
import os
import re
import struct
import sys

UCD = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    ROOT, "Sources", "PoiskAnalysis", "Generated", "NormalizationTables.swift")

# Scalars >= TRIE_LIMIT are not in the trie; the runtime treats them as "no properties"
# except Variation Selectors Supplement (U+E0100..U+E01EF), which are combining marks.
TRIE_LIMIT = 0x40000

APOSTROPHES = [0x2019, 0x2018, 0x02BC, 0x0060, 0x00B4, 0x2032]
IGNORABLES = [0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]

# Cyrillic vowels (both cases): а е ё и о у ы э ю я і ї є
CYRILLIC_VOWELS_LOWER = "аеёиоуыэюяіїє"

# Latin letters without a canonical/compatibility decomposition that diacritic folding
# maps anyway (after case folding, so only lowercase forms are needed).
LATIN_SPECIAL = {
    0x00E6: "ae",  # æ
    0x0153: "oe",  # œ
    0x00FE: "th",  # þ
    0x00F0: "d",   # ð
    0x0131: "i",   # ı dotless i
    0x0237: "j",   # ȷ dotless j
    0x00DF: "ss",  # ß (case folding already gives ss; kept for completeness)
    0x0138: "q",   # ĸ kra
    0x0251: "a",   # ɑ latin alpha
    0x0259: "e",   # ə schwa
    0x025B: "e",   # ɛ open e
    0x0254: "o",   # ɔ open o
    0x014B: "n",   # ŋ eng
}
# Plus every "LATIN SMALL LETTER <X> WITH <...>" that has no decomposition
# (l with stroke, o with stroke, d with stroke, h with stroke, b with stroke, ...).
WITH_RE = re.compile(r"^LATIN SMALL LETTER ([A-Z]) WITH ")


def parse_cp_range(field):
    field = field.strip()
    if ".." in field:
        a, b = field.split("..")
        return int(a, 16), int(b, 16)
    v = int(field, 16)
    return v, v


def read_lines(name):
    with open(os.path.join(UCD, name), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                yield [p.strip() for p in line.split(";")]


def unicode_version():
    with open(os.path.join(UCD, "CaseFolding.txt"), encoding="utf-8") as f:
        first = f.readline()
    m = re.search(r"(\d+\.\d+\.\d+)", first)
    return m.group(1) if m else "unknown"


# ---------------------------------------------------------------- UnicodeData
gc = {}
ccc = {}
decomp = {}       # cp -> (is_compat, [cps])
names = {}
range_start = None
for fields in read_lines("UnicodeData.txt"):
    cp = int(fields[0], 16)
    name = fields[1]
    if name.endswith(", First>"):
        range_start = cp
        continue
    if name.endswith(", Last>") and range_start is not None:
        for c in range(range_start, cp + 1):
            gc[c] = fields[2]
            ccc[c] = int(fields[3])
        range_start = None
        continue
    gc[cp] = fields[2]
    ccc[cp] = int(fields[3])
    names[cp] = name
    if fields[5]:
        parts = fields[5].split()
        compat = parts[0].startswith("<")
        if compat:
            parts = parts[1:]
        decomp[cp] = (compat, [int(p, 16) for p in parts])

# ---------------------------------------------------------------- Scripts
script = {}
for fields in read_lines("Scripts.txt"):
    a, b = parse_cp_range(fields[0])
    for c in range(a, b + 1):
        script[c] = fields[1]

# ---------------------------------------------------------------- CaseFolding (C + F)
casefold = {}
for fields in read_lines("CaseFolding.txt"):
    if fields[1] in ("C", "F"):
        casefold[int(fields[0], 16)] = [int(p, 16) for p in fields[2].split()]

# ---------------------------------------------------------------- composition exclusions
full_exclusion = set()
for fields in read_lines("DerivedNormalizationProps.txt"):
    if fields[1] == "Full_Composition_Exclusion":
        a, b = parse_cp_range(fields[0])
        full_exclusion.update(range(a, b + 1))


def is_mark(c):
    return gc.get(c, "Cn").startswith("M") or ccc.get(c, 0) != 0


def is_letter(c):
    return gc.get(c, "Cn").startswith("L")


def is_latin_letter(c):
    return is_letter(c) and script.get(c) == "Latin"


def nfkd(c):
    if c in decomp:
        out = []
        for d in decomp[c][1]:
            out.extend(nfkd(d))
        return out
    return [c]


def step(c):
    if c in APOSTROPHES:
        return [0x27]
    if c in IGNORABLES:
        return []
    out = []
    for d in nfkd(c):
        out.extend(casefold.get(d, [d]))
    return out


def fold(c):
    seq = [c]
    for _ in range(20):
        nxt = []
        for s in seq:
            nxt.extend(step(s))
        if nxt == seq:
            return seq
        seq = nxt
    raise RuntimeError("no fixed point for U+%04X" % c)


latin_special = {k: [ord(ch) for ch in v] for k, v in LATIN_SPECIAL.items()}
for cp, name in names.items():
    m = WITH_RE.match(name)
    if m and cp not in decomp and gc.get(cp) == "Ll" and cp not in latin_special:
        latin_special[cp] = [ord(m.group(1).lower())]


def diacritic_fold(seq):
    out = []
    after_latin = False
    for s in seq:
        if is_mark(s):
            if not after_latin:
                out.append(s)
            continue
        if is_latin_letter(s):
            out.extend(latin_special.get(s, [s]))
            after_latin = True
        else:
            out.append(s)
            after_latin = False
    return out


# ---------------------------------------------------------------- fold data
def utf8(seq):
    return "".join(chr(c) for c in seq).encode("utf-8")


fold_bytes = bytearray()
fold_offset = {}     # cp -> offset
has_diacritic = set()
candidates = set(gc.keys()) | set(APOSTROPHES) | set(IGNORABLES)
stats_changed = 0
for c in sorted(candidates):
    if 0xD800 <= c <= 0xDFFF or c >= TRIE_LIMIT:
        continue
    t = fold(c)
    d = diacritic_fold(t)
    # every scalar produced must itself be a fixed point (idempotence)
    for s in t:
        assert fold(s) == [s], (hex(c), hex(s))
    for s in d:
        assert diacritic_fold(fold(s)) == [s], (hex(c), hex(s))
    if t == [c] and d == t:
        continue
    stats_changed += 1
    tb = utf8(t)
    assert len(tb) < 256
    fold_offset[c] = len(fold_bytes)
    fold_bytes.append(len(tb))
    fold_bytes.extend(tb)
    if d != t:
        db = utf8(d)
        has_diacritic.add(c)
        fold_bytes.append(len(db))
        fold_bytes.extend(db)
assert len(fold_bytes) < 65536, len(fold_bytes)

# ---------------------------------------------------------------- composition pairs
pairs = {}
for cp, (compat, parts) in decomp.items():
    if compat or len(parts) != 2 or cp in full_exclusion:
        continue
    pairs[(parts[0], parts[1])] = cp
comp_first = {a for a, _ in pairs}
comp_second = {b for _, b in pairs}
# Hangul: L + V -> LV, LV + T -> LVT (algorithmic at run time)
comp_first.update(range(0x1100, 0x1113))
comp_second.update(range(0x1161, 0x1176))
comp_second.update(range(0x11A8, 0x11C3))
comp_first.update(range(0xAC00, 0xD7A4, 28))

# ---------------------------------------------------------------- properties
CLASS_OTHER, CLASS_LATIN, CLASS_CYRILLIC, CLASS_OTHER_LETTER, CLASS_DIGIT, CLASS_MARK = range(6)
vowels = {ord(ch) for ch in CYRILLIC_VOWELS_LOWER} | {ord(ch.upper()) for ch in CYRILLIC_VOWELS_LOWER}


def props(c):
    g = gc.get(c, "Cn")
    if g.startswith("M") or ccc.get(c, 0) != 0:
        cls = CLASS_MARK
    elif g.startswith("L"):
        s = script.get(c)
        cls = CLASS_LATIN if s == "Latin" else CLASS_CYRILLIC if s == "Cyrillic" else CLASS_OTHER_LETTER
    elif g == "Nd":
        cls = CLASS_DIGIT
    else:
        cls = CLASS_OTHER
    v = ccc.get(c, 0) | (cls << 8)
    if c in vowels:
        v |= 1 << 11
    if c in comp_first:
        v |= 1 << 12
    if c in comp_second:
        v |= 1 << 13
    if c in fold_offset:
        v |= 1 << 14
        v |= fold_offset[c] << 16
    if c in has_diacritic:
        v |= 1 << 15
    return v


values = [props(c) for c in range(TRIE_LIMIT)]

def split_blocks(vals, shift):
    """Deduplicates blocks of 2**shift entries: returns (index per block, concatenated unique blocks)."""
    size = 1 << shift
    blocks = {}
    index = []
    data = []
    for start in range(0, len(vals), size):
        blk = tuple(vals[start:start + size])
        if blk not in blocks:
            blocks[blk] = len(blocks)
            data.extend(blk)
        index.append(blocks[blk])
    return index, data


# Three-stage trie: stage0[c >> (LO+HI)] -> stage1 block; stage1 -> stage2 block; stage2 -> value.
best = None
for lo in (3, 4, 5):
    for hi in (4, 5, 6):
        mid, stage2 = split_blocks(values, lo)
        stage0, stage1 = split_blocks(mid, hi)
        total = len(stage0) * 2 + len(stage1) * 2 + len(stage2) * 4
        if best is None or total < best[0]:
            best = (total, lo, hi, stage0, stage1, stage2)
_, LO, HI, stage0, stage1, stage2 = best
assert max(stage1) < 65536 and max(stage0) < 65536

# ---------------------------------------------------------------- blob
blob = bytearray()
blob += struct.pack("<%dH" % len(stage0), *stage0)
blob += struct.pack("<%dH" % len(stage1), *stage1)
blob += struct.pack("<%dI" % len(stage2), *stage2)
sorted_pairs = sorted(pairs.items())
for (a, b), comp in sorted_pairs:
    blob += struct.pack("<III", a, b, comp)
blob += bytes(fold_bytes)

encoded = base64.b64encode(bytes(blob)).decode("ascii")
LINE = 120
lines = [encoded[i:i + LINE] for i in range(0, len(encoded), LINE)]

version = unicode_version()
swift = []
swift.append("// NormalizationTables.swift")
swift.append("// GENERATED by Scripts/gen-normalization-tables.py from the Unicode Character Database %s." % version)
swift.append("// DO NOT EDIT: change the generator and re-run `python3 Scripts/gen-normalization-tables.py`.")
swift.append("//")
swift.append("// What it is for: the compact per-scalar data behind `TokenNormalizer`'s slow path (folded")
swift.append("// forms = NFKD + full case folding to a fixed point, a Latin diacritic-folding variant,")
swift.append("// canonical combining classes, letter classes, canonical composition pairs).")
swift.append("// What it is not for: anything else; it is decoded once, lazily, by `NormalizationData`.")
swift.append("//")
swift.append("// Layout of the base64 blob (little-endian):")
swift.append("//   stage0: UInt16 x stage0Count   stage-1 block for (scalar >> (lowBits + midBits)), scalars < 0x%X" % TRIE_LIMIT)
swift.append("//   stage1: UInt16 x stage1Count   stage-2 block for ((scalar >> lowBits) & midMask) within that block")
swift.append("//   stage2: UInt32 x stage2Count   properties; bits 0-7 ccc, 8-10 class, 11 Cyrillic vowel,")
swift.append("//           12 composition first, 13 composition second, 14 has fold, 15 has diacritic fold,")
swift.append("//           16-31 byte offset into the fold data")
swift.append("//   pairs:  (UInt32 first, UInt32 second, UInt32 composite) x compositionCount, sorted")
swift.append("//   fold:   foldByteCount bytes; at an offset: length byte + UTF-8 of the folded form,")
swift.append("//           then (if the diacritic flag is set) length byte + UTF-8 of the diacritic-folded form")
swift.append("")
swift.append("/// Generated Unicode %s data for `TokenNormalizer` (see the file header for the layout)." % version)
swift.append("enum NormalizationTables {")
swift.append("    /// Unicode version the tables were generated from.")
swift.append("    static let unicodeVersion: StaticString = \"%s\"" % version)
swift.append("    /// log2 of the stage-2 block size.")
swift.append("    static let lowBits: Int = %d" % LO)
swift.append("    /// log2 of the stage-1 block size.")
swift.append("    static let midBits: Int = %d" % HI)
swift.append("    /// Scalars at or above this value are not in the trie.")
swift.append("    static let trieLimit: UInt32 = 0x%X" % TRIE_LIMIT)
swift.append("    /// Number of UInt16 entries in stage 0.")
swift.append("    static let stage0Count: Int = %d" % len(stage0))
swift.append("    /// Number of UInt16 entries in stage 1.")
swift.append("    static let stage1Count: Int = %d" % len(stage1))
swift.append("    /// Number of UInt32 entries in stage 2.")
swift.append("    static let stage2Count: Int = %d" % len(stage2))
swift.append("    /// Number of canonical composition pairs.")
swift.append("    static let compositionCount: Int = %d" % len(sorted_pairs))
swift.append("    /// Number of bytes of fold data.")
swift.append("    static let foldByteCount: Int = %d" % len(fold_bytes))
swift.append("    /// Number of decoded blob bytes.")
swift.append("    static let blobByteCount: Int = %d" % len(blob))
swift.append("    /// The blob, base64 (line breaks are ignored by the decoder).")
swift.append("    static let blobBase64: StaticString = \"\"\"")
swift.extend(lines)
swift.append("\"\"\"")
swift.append("}")
swift.append("")

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w", encoding="utf-8") as f:
    f.write("\n".join(swift))

print("Unicode %s: %d scalars change, fold data %d bytes, %d composition pairs, "
      "trie bits %d/%d, stage0 %d, stage1 %d, stage2 %d entries, blob %d bytes, base64 %d chars -> %s"
      % (version, stats_changed, len(fold_bytes), len(sorted_pairs), LO, HI,
         len(stage0), len(stage1), len(stage2), len(blob), len(encoded), OUT))

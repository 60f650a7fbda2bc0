#!/usr/bin/env python3
"""Generate Sources/PoiskAnalysis/Generated/WordBreakTables.swift from the Unicode Character Database.

What it is for: producing the per-scalar data the UAX #29 word segmenter needs
(Word_Break property, Extended_Pictographic flag, "alphanumeric" flag = general
category L* or N*) as a compact, fast-to-compile Swift source file.
What it is not for: the segmentation rules themselves (see
Sources/PoiskAnalysis/Segmentation/WordSegmenter.swift) or any tailoring.

Inputs (Debian package `unicode-data` layout by default, override with --ucd):
  auxiliary/WordBreakProperty.txt, emoji/emoji-data.txt, UnicodeData.txt

Layout of one property byte:
  bits 0-4  Word_Break property (raw value of `WordBreakProperty`)
  bit  5    Extended_Pictographic
  bit  6    alphanumeric (general category L* or N*)

Tables:
  * ascii:   128 property bytes for U+0000..U+007F (array literal).
  * BMP:     two-stage table. Stage 1 maps `cp >> BLOCK_SHIFT` to a block number,
             stage 2 holds the deduplicated blocks of 2**BLOCK_SHIFT property bytes.
  * planes 1-16: sorted list of ranges, each packed as `start << 8 | value` in a UInt32
             (a range lasts until the next entry's start).
Large data is stored as string literals (cheap to compile) and decoded once at run time:
  * property bytes as one character each, through a small alphabet (`VALUE_ALPHABET`),
  * block numbers as two hex digits, range starts as six hex digits.

Usage: python3 Scripts/gen-wordbreak-tables.py [--ucd /usr/share/unicode] [--out PATH]
Standard library only.
"""

import argparse
import os
import re
import sys

PROPERTY_NAMES = [
    "Other", "CR", "LF", "Newline", "Extend", "ZWJ", "Regional_Indicator", "Format",
    "Katakana", "Hebrew_Letter", "ALetter", "Single_Quote", "Double_Quote",
    "MidNumLet", "MidLetter", "MidNum", "Numeric", "ExtendNumLet", "WSegSpace",
]
EXT_PICT = 0x20
ALNUM = 0x40
BLOCK_SHIFT = 6
BLOCK_SIZE = 1 << BLOCK_SHIFT
CODESPACE = 0x110000
VALUE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
LINE_WIDTH = 120


def parse_ranges(path):
    """Yields (first, last, value) from a UCD `code(..code) ; value` file."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [f.strip() for f in line.split(";")]
            if ".." in fields[0]:
                first, last = (int(x, 16) for x in fields[0].split(".."))
            else:
                first = last = int(fields[0], 16)
            yield first, last, fields[1]


def file_version(path, stem):
    with open(path, encoding="utf-8") as handle:
        first_line = handle.readline()
    match = re.search(re.escape(stem) + r"-(\d+\.\d+\.\d+)\.txt", first_line)
    return match.group(1) if match else None


def build_values(ucd):
    values = bytearray(CODESPACE)
    index = {name: i for i, name in enumerate(PROPERTY_NAMES)}
    for first, last, name in parse_ranges(os.path.join(ucd, "auxiliary", "WordBreakProperty.txt")):
        if name not in index:
            sys.exit(f"unknown Word_Break value {name!r}")
        for cp in range(first, last + 1):
            values[cp] = index[name]
    for first, last, name in parse_ranges(os.path.join(ucd, "emoji", "emoji-data.txt")):
        if name == "Extended_Pictographic":
            for cp in range(first, last + 1):
                values[cp] |= EXT_PICT
    range_start = None
    with open(os.path.join(ucd, "UnicodeData.txt"), encoding="utf-8") as handle:
        for line in handle:
            fields = line.split(";")
            cp = int(fields[0], 16)
            name, category = fields[1], fields[2]
            if name.endswith(", First>"):
                range_start = cp
                continue
            first = range_start if name.endswith(", Last>") else cp
            range_start = None
            if category[0] in "LN":
                for x in range(first, cp + 1):
                    values[x] |= ALNUM
    return values


def chunk_lines(text, indent="        "):
    return "\n".join(indent + text[i:i + LINE_WIDTH] for i in range(0, len(text), LINE_WIDTH))


def generate(ucd):
    wb_path = os.path.join(ucd, "auxiliary", "WordBreakProperty.txt")
    version = file_version(wb_path, "WordBreakProperty") or "unknown"
    emoji_version = file_version(os.path.join(ucd, "emoji", "emoji-data.txt"), "emoji-data") or version
    values = build_values(ucd)

    distinct = sorted(set(values))
    if len(distinct) > len(VALUE_ALPHABET):
        sys.exit("too many distinct property bytes for the alphabet")
    char_of = {v: VALUE_ALPHABET[i] for i, v in enumerate(distinct)}

    blocks = {}
    stage1 = []
    for start in range(0, 0x10000, BLOCK_SIZE):
        block = bytes(values[start:start + BLOCK_SIZE])
        stage1.append(blocks.setdefault(block, len(blocks)))
    if len(blocks) > 256:
        sys.exit("too many BMP blocks for one-byte block numbers")
    stage2 = b"".join(sorted(blocks, key=blocks.get))

    supplementary = []
    for cp in range(0x10000, CODESPACE):
        if cp == 0x10000 or values[cp] != values[cp - 1]:
            supplementary.append((cp, values[cp]))

    ascii_literal = ",\n".join(
        "        " + ", ".join(f"0x{values[r + c]:02X}" for c in range(16)) for r in range(0, 128, 16))
    alphabet_literal = ", ".join(f"0x{v:02X}" for v in distinct)
    stage1_text = "".join(f"{b:02X}" for b in stage1)
    stage2_text = "".join(char_of[b] for b in stage2)
    supp_text = "".join(f"{cp:06X}{char_of[v]}" for cp, v in supplementary)

    return f'''// generated by Scripts/gen-wordbreak-tables.py, do not edit.
// Unicode {version} (WordBreakProperty-{version}.txt, emoji-data-{emoji_version}.txt, UnicodeData.txt).
//
// What it is for: per-scalar data for UAX #29 word segmentation: the Word_Break property,
// the Extended_Pictographic flag and an "alphanumeric" flag (general category L* or N*).
// What it is not for: the segmentation rules or search tailoring (see WordSegmenter.swift).
//
// Property byte: bits 0-4 = WordBreakProperty raw value, bit 5 = Extended_Pictographic,
// bit 6 = alphanumeric. ASCII is a plain array; the BMP is a two-stage table
// (stage 1: block number per {BLOCK_SIZE} code points, stage 2: deduplicated blocks);
// planes 1-16 are a sorted range list packed as `start << 8 | value`. The large tables are
// string literals (fast to compile) decoded once at run time by `WordBreakTableData.decode()`.
// Stats: {len(blocks)} BMP blocks, {len(supplementary)} supplementary ranges, {len(distinct)} distinct values.

/// Raw Unicode data for word segmentation, generated from the UCD.
enum WordBreakTableData {{
    /// Unicode version the tables were generated from.
    static let unicodeVersion = "{version}"

    /// Bit holding Extended_Pictographic in a property byte.
    static let extendedPictographicBit: UInt8 = 0x{EXT_PICT:02X}

    /// Bit holding "general category L* or N*" in a property byte.
    static let alphanumericBit: UInt8 = 0x{ALNUM:02X}

    /// log2 of the BMP block size used by stage 1.
    static let bmpBlockShift = {BLOCK_SHIFT}

    /// Property bytes of U+0000...U+007F.
    static let ascii: [UInt8] = [
{ascii_literal}
    ]

    /// Property byte for each character of `valueAlphabet`.
    static let alphabetValues: [UInt8] = [{alphabet_literal}]

    /// Characters encoding property bytes in `bmpBlocks` and `supplementaryRanges`.
    static let valueAlphabet = "{VALUE_ALPHABET[:len(distinct)]}"

    /// Stage 1: one block number (two hex digits) per {BLOCK_SIZE} BMP code points.
    static let bmpIndex = """
{chunk_lines(stage1_text)}
        """

    /// Stage 2: deduplicated blocks, one alphabet character per code point.
    static let bmpBlocks = """
{chunk_lines(stage2_text)}
        """

    /// Planes 1-16: six hex digits of the range start plus one alphabet character each.
    static let supplementaryRanges = """
{chunk_lines(supp_text, indent="        ")}
        """

    /// Decodes the string tables.
    /// - Returns: `ascii` (128 bytes), `bmpIndex` ({len(stage1)} block numbers), `bmpBlocks`
    ///   ({len(stage2)} property bytes) and `supplementary` (sorted `start << 8 | value` entries).
    /// - Complexity: O(size of the tables); meant to run once.
    static func decode() -> (ascii: [UInt8], bmpIndex: [UInt8], bmpBlocks: [UInt8], supplementary: [UInt32]) {{
        var valueOf = [UInt8](repeating: 0, count: 128)
        for (i, c) in valueAlphabet.utf8.enumerated() where Int(c) < 128 && i < alphabetValues.count {{
            valueOf[Int(c)] = alphabetValues[i]
        }}
        func hexValue(_ c: UInt8) -> UInt32 {{
            switch c {{
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
            default: return 0
            }}
        }}
        let newline = UInt8(ascii: "\\n"), space = UInt8(ascii: " ")
        // The characters of `s` other than line breaks and indentation, in one pass over its
        // contiguous UTF-8 (this runs when the first segmenter is made, inside timed indexing).
        func significant(_ s: String) -> [UInt8] {{
            var text = s
            return text.withUTF8 {{ buf in
                [UInt8](unsafeUninitializedCapacity: buf.count) {{ out, initialized in
                    var n = 0
                    for c in buf where c != newline && c != space {{
                        out[n] = c
                        n += 1
                    }}
                    initialized = n
                }}
            }}
        }}

        let indexDigits = significant(bmpIndex)
        var index = [UInt8](repeating: 0, count: indexDigits.count / 2)
        for i in index.indices {{
            index[i] = UInt8(truncatingIfNeeded: hexValue(indexDigits[2 * i]) << 4 | hexValue(indexDigits[2 * i + 1]))
        }}
        let blocks = significant(bmpBlocks).map {{ Int($0) < 128 ? valueOf[Int($0)] : 0 }}
        let rangeChars = significant(supplementaryRanges)
        var ranges: [UInt32] = []
        ranges.reserveCapacity(rangeChars.count / 7)
        var i = 0
        while i + 7 <= rangeChars.count {{
            var start: UInt32 = 0
            for k in 0..<6 {{ start = start << 4 | hexValue(rangeChars[i + k]) }}
            let c = rangeChars[i + 6]
            ranges.append(start << 8 | UInt32(Int(c) < 128 ? valueOf[Int(c)] : 0))
            i += 7
        }}
        return (ascii, index, blocks, ranges)
    }}
}}
'''


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ucd", default="/usr/share/unicode", help="UCD directory (default: %(default)s)")
    parser.add_argument("--out", default=os.path.join(root, "Sources", "PoiskAnalysis", "Generated", "WordBreakTables.swift"))
    args = parser.parse_args()
    text = generate(args.ucd)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {args.out} ({len(text)} bytes)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generates the gzip test fixtures in Tests/Fixtures/gzip/ (read by Tests/PoiskTests/GzipTests.swift).

Usage: Scripts/gen-gzip-fixtures.py   (from anywhere; rewrites Tests/Fixtures/gzip/ and
                                       Tests/FuzzCorpus/FuzzGzip/)

For: regenerating the committed fixtures and FuzzGzip's seed corpus, deterministically (seeded
inputs, mtime 0, `gzip -n`). The tests never run this script or the gzip binary; they read the
committed files. Not for: anything at build or test time.

Writes plain inputs (*.txt, *.bin), their compressed forms (*.gz: Python's gzip/zlib modules
at levels 0-9 and with the fixed, Huffman-only and RLE strategies, the gzip binary at -1 and
-9, a header with every optional field, concatenated members, zero padding) and damaged
files, and `manifest.tsv`, one line per .gz file:

    FILE <TAB> EXPECTED

where EXPECTED is the plain file the .gz decompresses to (`NAME*K` means NAME repeated K
times; `-` means empty output) or `error:TEXT`, meaning decompression fails with a reason that
contains TEXT. Every valid fixture is checked against Python's own gzip module here, and every
damaged one is checked to make `gzip -dc` fail (exit status not 0).
"""

import gzip
import os
import random
import shutil
import struct
import subprocess
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "gzip")
FUZZ = os.path.join(ROOT, "Tests", "FuzzCorpus", "FuzzGzip")

ENGLISH = (
    "the of and to in is for on with as by at from that this be are it or an was which not but have has "
    "kernel memory device driver system file data process user interface function page buffer lock thread "
    "queue network packet support value option configuration module address cache error time compress "
    "stream block window literal length distance code table symbol header trailer member checksum"
).split()
RUSSIAN = (
    "и в не на что с по как это к из за от для о до при также если так уже или но был были может "
    "ракета система защита оборона помощь президент переговоры безопасность файл память устройство "
    "драйвер процесс пользователь функция страница ошибка время модуль сеть поток блок окно таблица"
).split()


def text(rng, size):
    """Sentences of English and Russian words (UTF-8), about `size` bytes, Zipf-like."""
    out = []
    n = 0
    while n < size:
        words = RUSSIAN if rng.random() < 0.35 else ENGLISH
        sentence = " ".join(words[min(len(words) - 1, int(rng.random() ** 2 * len(words)))] for _ in range(rng.randint(4, 16)))
        sentence = sentence[0].upper() + sentence[1:] + rng.choice([". ", ".\n", "? ", "! ", ".\n\n"])
        if rng.random() < 0.1:
            sentence += str(rng.randint(0, 100000)) + " "
        out.append(sentence)
        n += len(sentence.encode())
    return "".join(out).encode()[:size].decode("utf-8", "ignore").encode()


def gz(data, level=6):
    return gzip.compress(data, compresslevel=level, mtime=0)


def gz_strategy(data, level, strategy):
    c = zlib.compressobj(level, zlib.DEFLATED, 31, 9, strategy)  # 31: gzip wrapper (mtime 0)
    return c.compress(data) + c.flush()


def raw_deflate(data, level=6):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def gzip_binary(data, flag):
    return subprocess.run(["gzip", "-c", "-n", flag], input=data, stdout=subprocess.PIPE, check=True).stdout


def full_header_member(data):
    """A member with FTEXT, FHCRC, FEXTRA, FNAME and FCOMMENT set."""
    flags = 0x01 | 0x02 | 0x04 | 0x08 | 0x10
    header = b"\x1f\x8b\x08" + bytes([flags]) + struct.pack("<I", 1700000000) + b"\x00\x03"
    extra = b"AP" + struct.pack("<H", 6) + b"poisk!"
    header += struct.pack("<H", len(extra)) + extra
    header += "имя-файла.txt".encode() + b"\x00" + b"a comment, with UTF-8: \xe2\x9c\x93\x00"
    header += struct.pack("<H", zlib.crc32(header) & 0xFFFF)
    return header + raw_deflate(data) + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    rng = random.Random(20261206)
    plain = {
        "text.txt": text(rng, 16000),
        "repetitive.txt": b"".join(b"line %d: the same words again and again\n" % (i % 7) for i in range(500))
        + b"=" * 3000
        + b"ab" * 2000,
        "random.bin": bytes(rng.getrandbits(8) for _ in range(4096)),
        "one.txt": b"x",
    }
    for name, data in plain.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    t = plain["text.txt"]
    large = t * 5  # 80,000 bytes: stored blocks split at 64 KiB, matches 16,000 bytes back

    manifest = []  # (file, expected, bytes)

    def valid(name, blob, expected_spec, expected):
        assert gzip.decompress(blob) == expected, name
        manifest.append((name, expected_spec, blob))

    def damaged(name, blob, reason):
        # The gzip binary is the reference here: Python's gzip module accepts an empty input
        # and ignores reserved flag bits, which gzip -d rejects. (For trailing garbage gzip -d
        # only warns, but exits with status 2.)
        result = subprocess.run(["gzip", "-dc"], input=blob, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert result.returncode != 0, name
        manifest.append((name, "error:" + reason, blob))

    for level in range(10):
        valid("text.L%d.gz" % level, gz(t, level), "text.txt", t)
    for level in (0, 1, 9):
        valid("repetitive.L%d.gz" % level, gz(plain["repetitive.txt"], level), "repetitive.txt", plain["repetitive.txt"])
        valid("random.L%d.gz" % level, gz(plain["random.bin"], level), "random.bin", plain["random.bin"])
        valid("one.L%d.gz" % level, gz(b"x", level), "one.txt", b"x")
        valid("empty.L%d.gz" % level, gz(b"", level), "-", b"")
    for level in (0, 6, 9):
        valid("large.L%d.gz" % level, gz(large, level), "text.txt*5", large)
    valid("text.fixed.gz", gz_strategy(t, 6, zlib.Z_FIXED), "text.txt", t)
    valid("text.huffman-only.gz", gz_strategy(t, 6, zlib.Z_HUFFMAN_ONLY), "text.txt", t)
    valid("repetitive.rle.gz", gz_strategy(plain["repetitive.txt"], 6, zlib.Z_RLE), "repetitive.txt", plain["repetitive.txt"])
    valid("text.gzip-1.gz", gzip_binary(t, "-1"), "text.txt", t)
    valid("text.gzip-9.gz", gzip_binary(t, "-9"), "text.txt", t)
    valid("large.gzip-9.gz", gzip_binary(large, "-9"), "text.txt*5", large)
    valid("text.all-header-fields.gz", full_header_member(t), "text.txt", t)
    members = gz(t[:5000], 1) + gz(b"", 6) + full_header_member(t[5000:9000]) + gz(t[9000:], 9)
    valid("text.four-members.gz", members, "text.txt", t)
    valid("text.zero-padding.gz", gz(t) + bytes(1000), "text.txt", t)

    good = gz(t, 6)
    small = gz(b"hello, gzip\n" * 3, 6)
    damaged("empty-file.gz", b"", "empty file")
    damaged("plain-text.gz", b'{"id": "a"}\n', "not a gzip file (bad magic bytes)")
    damaged("bad-magic.gz", b"\x1f\x8c" + good[2:], "not a gzip file (bad magic bytes)")
    damaged("bad-method.gz", good[:2] + b"\x07" + good[3:], "compression method 7")
    damaged("reserved-flags.gz", good[:3] + b"\x20" + good[4:], "reserved header flags")
    damaged("truncated-header.gz", good[:7], "truncated gzip data at byte 7")
    damaged("truncated-header-name.gz", full_header_member(t)[:25], "truncated gzip data")
    damaged("truncated-data.gz", good[: len(good) // 2], "truncated gzip data")
    damaged("truncated-trailer.gz", good[:-3], "ends before its CRC-32 and size")
    damaged("truncated-second-member.gz", small + good[: len(good) // 3], "inside member 2")
    bad_crc = bytearray(good)
    bad_crc[-8] ^= 0x01
    damaged("bad-crc.gz", bytes(bad_crc), "CRC-32 mismatch in gzip member 1")
    bad_crc2 = bytearray(small + good)
    bad_crc2[-5] ^= 0x80
    damaged("bad-crc-member-2.gz", bytes(bad_crc2), "CRC-32 mismatch in gzip member 2")
    bad_size = bytearray(good)
    bad_size[-4] ^= 0x01
    damaged("bad-isize.gz", bytes(bad_size), "ISIZE mismatch")
    bad_header_crc = bytearray(full_header_member(t))
    i = bad_header_crc.index(b"a comment") + len(b"a comment, with UTF-8: \xe2\x9c\x93\x00")
    bad_header_crc[i] ^= 0xFF
    damaged("bad-header-crc.gz", bytes(bad_header_crc), "header CRC mismatch")
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x10
    damaged("flipped-bit.gz", bytes(flipped), "gzip member 1")
    damaged("block-type-3.gz", good[:10] + b"\x07\x00" + good[-8:], "invalid block type 3")
    stored_bad_len = bytearray(gz(t[:100], 0))
    stored_bad_len[13] ^= 0x01  # NLEN of the stored block
    damaged("stored-length-mismatch.gz", bytes(stored_bad_len), "stored block length")
    damaged("trailing-garbage.gz", small + b"garbage!", "trailing garbage")

    with open(os.path.join(OUT, "manifest.tsv"), "w") as f:
        f.write("# file\texpected (plain file, NAME*K, - for empty, or error:TEXT); written by Scripts/gen-gzip-fixtures.py\n")
        for name, expected, blob in manifest:
            with open(os.path.join(OUT, name), "wb") as g:
                g.write(blob)
            f.write("%s\t%s\n" % (name, expected))
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print("wrote %d files, %d bytes, to %s" % (len(os.listdir(OUT)), total, OUT))
    write_fuzz_seeds(t, plain)


def write_fuzz_seeds(t, plain):
    """FuzzGzip's seeds: a mode byte (0: gzip file, 1: raw DEFLATE stream), then the data.
    Small (under 4 KiB each, libFuzzer's default maximum length), valid and damaged."""
    if os.path.isdir(FUZZ):
        shutil.rmtree(FUZZ)
    os.makedirs(FUZZ)
    short = t[:600]
    seeds = {
        "gzip-one-byte": gz(b"x", 9),
        "gzip-empty": gz(b"", 6),
        "gzip-stored": gz(short[:200], 0),
        "gzip-dynamic": gz(short, 9),
        "gzip-fixed": gz_strategy(short, 6, zlib.Z_FIXED),
        "gzip-rle": gz_strategy(plain["repetitive.txt"][:2000], 6, zlib.Z_RLE),
        "gzip-all-header-fields": full_header_member(short[:300]),
        "gzip-three-members": gz(short[:100], 1) + gz(b"", 6) + gz(short[100:300], 9),
        "gzip-zero-padding": gz(short[:100]) + bytes(16),
        "gzip-truncated": gz(short, 6)[:150],
        "gzip-bad-crc": gz(short[:100])[:-8] + b"\0\0\0\0" + gz(short[:100])[-4:],
        "gzip-trailing-garbage": gz(b"abc") + b"xyz",
    }
    raw = {
        "raw-dynamic": raw_deflate(short, 9),
        "raw-fixed": (lambda c: c.compress(short[:300]) + c.flush())(zlib.compressobj(6, zlib.DEFLATED, -15, 9, zlib.Z_FIXED)),
        "raw-stored": raw_deflate(short[:100], 0),
        "raw-long-codes": raw_deflate(plain["random.bin"][:1500] + short[:1000], 9),
        "raw-block-type-3": b"\x07\x00",
    }
    for name, blob in seeds.items():
        with open(os.path.join(FUZZ, name + ".bin"), "wb") as f:
            f.write(b"\x00" + blob)
    for name, blob in raw.items():
        with open(os.path.join(FUZZ, name + ".bin"), "wb") as f:
            f.write(b"\x01" + blob)
    total = sum(os.path.getsize(os.path.join(FUZZ, n)) for n in os.listdir(FUZZ))
    print("wrote %d files, %d bytes, to %s" % (len(os.listdir(FUZZ)), total, FUZZ))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes Tests/Fixtures/snippets/documents.jsonl.gz: the documents TokenCheckpointTests and
SnippetIdentityTests index to check token checkpoints and to compare snippets found from the
index (postings and token checkpoints) with those of a full analysis of each text.

Usage: Scripts/make-snippet-fixture.py KERNEL_DOCS_EN.jsonl[.gz] DOCS_RU.jsonl[.gz] [OUT]

The documents: English kernel documentation (tabs, a long one, one with no-break spaces),
Chinese (zh_CN, zh_TW), Japanese (with ideographic spaces) and Korean translations cut at a line
boundary, Russian GIMP help and man pages, and one mixed document written here (Latin, Cyrillic,
CJK, combining marks, CR LF, ZWSP, HTML characters). Not for: benchmarks.
"""
import gzip, io, json, sys

def load(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt', encoding='utf-8') as f:
        return {d['id']: d for d in map(json.loads, f)}

def cut(text, limit):
    """The text up to the last newline before `limit` UTF-8 bytes."""
    b = text.encode('utf-8')
    if len(b) <= limit:
        return text
    head = b[:limit].decode('utf-8', 'ignore')
    return head[: head.rfind('\n') + 1] or head

en, ru = load(sys.argv[1]), load(sys.argv[2])
out = sys.argv[3] if len(sys.argv) > 3 else 'Tests/Fixtures/snippets/documents.jsonl.gz'
picks = [
    (en, 'linux/driver-api/fpga/fpga-programming.rst', None),
    (en, 'linux/admin-guide/acpi/cppc_sysfs.rst', None),
    (en, 'linux/admin-guide/device-mapper/persistent-data.rst', None),
    (en, 'linux/admin-guide/cgroup-v1/memory.rst', None),
    (en, 'linux/admin-guide/ras.rst', 24000),
    (en, 'linux/translations/zh_CN/admin-guide/security-bugs.rst', None),
    (en, 'linux/translations/zh_CN/mm/mmu_notifier.rst', None),
    (en, 'linux/translations/zh_TW/admin-guide/bug-bisect.rst', None),
    (en, 'linux/translations/ja_JP/howto.rst', 16000),
    (en, 'linux/translations/ko_KR/howto.rst', 9000),
    (ru, 'gimp-ru/gimp-filters-menu.html', None),
    (ru, 'gimp-ru/gimp-filter-noise-pick.html', None),
    (ru, 'man-ru/man7/icmp.7.gz', None),
]
docs = []
for corpus, doc_id, limit in picks:
    d = corpus[doc_id]
    docs.append({'id': d['id'], 'title': d['title'], 'body': cut(d['body'], limit) if limit else d['body']})
mixed = (
    'Mixed scripts: the kernel\u00a0driver and ядро системы, 内核驱动程序 and カーネルの設定.\r\n'
    'Cafe\u0301 au lait; naïve coöperation — «ёлка» and Ёжик; e\u0301\u0301 stacked marks.\r\n'
    'Zero\u200bwidth space inside a word, then <tags> & "quotes" for HTML.\t\tTabs\tand\u3000ideographic space.\n'
    'Numbers 155mm and v2.6.32, emoji 👍🏽 and flags 🇺🇦🇩🇪 between words. ' * 3
    + '\n' + ' '.join(['driver memory ядро 内核'] * 40)
)
docs.append({'id': 'mixed', 'title': 'Mixed: драйвер 内核 driver', 'body': mixed})
with gzip.GzipFile(out, 'wb', compresslevel=9, mtime=0) as raw, io.TextIOWrapper(raw, encoding='utf-8') as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + '\n')
print(out, len(docs), 'documents', sum(len(d['body'].encode()) for d in docs), 'body bytes')

#!/usr/bin/env python3
"""Generate stemmer conformance fixtures for PoiskAnalysis.

What it is for: building `Tests/Fixtures/stemmer-<lang>.tsv` files (one
`word<TAB>stem` pair per line) whose stems come from the reference Snowball
implementation (`pip install snowballstemmer`). The Swift stemmers are tested
for 100% agreement against these files.

What it is not for: it is not run by the tests or the build. The fixtures are
checked in; re-run this script only when the word sources or the reference
implementation change.

Usage:
    python3 Scripts/gen-stemmer-fixtures.py --lang english
    python3 Scripts/gen-stemmer-fixtures.py --lang russian
    python3 Scripts/gen-stemmer-fixtures.py --lang all

Word selection is deterministic: words are counted over the sources, sorted by
descending frequency then by code point order, and the first `--cap` are kept;
hand-picked words are always added on top.
"""

import argparse
import collections
import gzip
import json
import pathlib
import re
import sys
import unicodedata

import snowballstemmer

REPO = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = REPO / "Tests" / "Fixtures"
SEEDS = REPO / "seeds"
CORPORA = pathlib.Path("/work/shared/corpora")

# Apostrophe-like characters unified to U+0027, as the Poisk tokenizer does.
APOSTROPHES = "\u2019\u2018\u02bc\uff07\u201b"


def unify_apostrophes(text):
    for ch in APOSTROPHES:
        text = text.replace(ch, "'")
    return text


def iter_jsonl_texts(path):
    """Yields `title` and `body` of every record of a (gzipped) JSON-lines corpus."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            rec = json.loads(line)
            for key in ("title", "body"):
                value = rec.get(key)
                if isinstance(value, str):
                    yield value


def iter_seed_texts(seed_dir):
    for p in sorted(pathlib.Path(seed_dir).glob("*.txt")):
        yield p.read_text(encoding="utf-8", errors="replace")


def count_words(texts, pattern):
    """Counts lowercased, NFC-normalized, apostrophe-unified words matching `pattern`."""
    counter = collections.Counter()
    for text in texts:
        text = unify_apostrophes(unicodedata.normalize("NFC", text)).lower()
        counter.update(m.group(0) for m in pattern.finditer(text))
    return counter


def select_words(counter, cap, accept=lambda w: True):
    """Most frequent first, ties broken by code point order; at most `cap` words."""
    ranked = sorted((w for w in counter if accept(w)), key=lambda w: (-counter[w], w))
    return ranked[:cap]


def write_fixture(path, words, stem):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for w in words:
            s = stem(w)
            assert "\t" not in w and "\n" not in w and "\t" not in s and "\n" not in s
            f.write(f"{w}\t{s}\n")
    print(f"wrote {len(words)} words to {path}", file=sys.stderr)


# --------------------------------------------------------------------------
# English
# --------------------------------------------------------------------------

# Latin letters: ASCII plus Latin-1 Supplement / Latin Extended-A / -B letters
# (excluding the multiplication and division signs). Apostrophes only inside.
_EN_LETTER = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u024f"
EN_WORD = re.compile(f"[{_EN_LETTER}]+(?:'[{_EN_LETTER}]+)*")

EN_HAND_PICKED = [
    # Snowball exceptional forms (exception1) and their neighbours.
    "skis", "skies", "sky", "dying", "lying", "tying", "idly", "gently", "ugly",
    "early", "only", "singly", "news", "howe", "atlas", "cosmos", "bias", "andes",
    "skiing", "skied", "dyings", "lyings", "newses", "atlases", "biases",
    # Invariants after step 1a and their inflections.
    "inning", "outing", "canning", "herring", "earring", "evening",
    "innings", "outings", "cannings", "herrings", "earrings", "evenings",
    "proceed", "exceed", "succeed", "proceeds", "exceeds", "succeeds",
    "proceeded", "exceeded", "succeeded", "proceeding", "exceeding", "succeeding",
    "proceedings", "exceedingly",
    # R1 special prefixes.
    "generously", "generous", "generation", "generate", "general", "generality",
    "communism", "communication", "communal", "community", "arsenal", "arsenic",
    "emergency", "emergent", "emerge", "international", "interest", "interesting",
    "lateral", "laterally", "organization", "organism", "organic", "past", "pasting",
    "pasted", "universal", "university", "universe",
    # Classic tricky words.
    "hopping", "hoping", "hopped", "hoped", "fluently", "cried", "cries", "ties",
    "tied", "gas", "gases", "this", "kiwis", "kiwi", "caresses", "ponies", "ies",
    "ied", "cats", "bus", "class", "dress", "agreed", "feed", "bleed", "luxuriated",
    "luxuriating", "filing", "fitting", "hoeing", "eed", "ing", "ed", "bled", "sing",
    "add", "egg", "off", "abbed", "hiss", "fizzed", "traditional", "conditional",
    "rational", "valency", "hesitancy", "digitizer", "conformability",
    "radically", "differently", "vilely", "analogously", "vietnamization",
    "predication", "operator", "feudalism", "decisiveness", "hopefulness",
    "callousness", "formality", "sensitivity", "sensibility", "analogic", "fluently",
    "hopelessly", "archaeology", "geologist", "triplicate", "formative", "formalize",
    "electricity", "electrical", "hopeful", "goodness", "revival", "allowance",
    "inference", "airliner", "gyroscopic", "adjustable", "defensible", "irritant",
    "replacement", "adjustment", "dependent", "adoption", "homologou", "communism",
    "activate", "angularity", "homologous", "effective", "bowdlerize", "controll",
    "roll", "ill", "fulli", "lessli", "consign", "consigned", "consigning",
    "consignment", "consist", "consisted", "knack", "knackered", "kneel",
    "knelt", "knight", "fly", "flies", "flying", "cry", "by", "say", "play",
    "plays", "played", "playing", "employ", "employs", "employed", "coy", "toy",
    "yesterday", "anyway", "destroy",
    # Apostrophes.
    "'tis", "'s", "'", "dogs'", "dog's", "it's", "don't", "o'clock", "children's",
    "james'", "'twas", "rock'n'roll", "'s'", "'ab", "''ab", "ab'", "a'b",
    # Y-initial and Y-after-vowel words.
    "youth", "youths", "yield", "yielded", "yelling", "yearly", "yy", "yyy", "yyyy",
    "sayings", "saying", "ayes", "buyer", "buyers", "keyed", "obeying", "layered",
    "royalty", "yay", "yayy", "ayyy", "Y", "Yes", "sYs",
    # Very short words (left alone below three characters).
    "a", "i", "s", "is", "as", "us", "ss", "ed", "ly", "ies",
    # Non-ASCII Latin letters (each is one non-vowel character to Snowball).
    "café", "cafés", "naïve", "naïvely", "résumé", "résumés", "façade", "façades",
    "über", "größe", "jalapeño", "jalapeños", "coöperation", "fiancée", "fiancées",
    "señoritas", "déjà", "rôle", "rôles", "élan", "éclairs", "piñatas", "zoë",
    "müller", "müllers", "ångström", "ångströms", "œuvre", "encyclopædia",
    "dæmonized", "ÿing", "ñying", "yé", "éy", "aéy", "éyes", "naïvety", "résuméed",
    "ﬁnally",
]


def stem_english():
    st = snowballstemmer.stemmer("english")
    return st.stemWord


def gen_english(args):
    corpus = pathlib.Path(args.english_corpus)
    counter = count_words(iter_jsonl_texts(corpus), EN_WORD)
    counter.update(count_words(iter_seed_texts(args.seeds), EN_WORD))
    # Keep ASCII words first (the common case), then add every non-ASCII Latin
    # word found (there are few) so the scalar path is exercised too.
    ascii_words = select_words(counter, args.cap, lambda w: w.isascii())
    non_ascii = select_words(counter, args.cap_non_ascii, lambda w: not w.isascii())
    words = []
    seen = set()
    for w in ascii_words + non_ascii + EN_HAND_PICKED:
        if w not in seen:
            seen.add(w)
            words.append(w)
    write_fixture(FIXTURES / "stemmer-english.tsv", words, stem_english())


# --------------------------------------------------------------------------
# Russian
# --------------------------------------------------------------------------

# Maximal runs of letters of any script (digits and "_" excluded); a run is kept
# only if it consists solely of а-я and ё, so words mixing scripts or holding
# Ukrainian letters (і ї є ґ) are dropped instead of being cut into fragments.
# Words with ё are kept as written so the stemmer's ё→е folding is exercised.
RU_LETTER_RUN = re.compile(r"[^\W\d_]+")
RU_WORD = re.compile(r"[а-яё]+")

RU_HAND_PICKED = """
ракета ракеты ракете ракету ракетой ракетами ракет ракетах
ёлка ёлки ёлками ёлкой елка елки ёж ежами всё её ещё берёза берёзовый
замок замка замками замке замки замкнуть
красивейший красивейшая красивейшего новейший длиннейший
бегая читая играя гуляя сделав сделавши сделавшись прочитав купив умывшись
длинный длинная длинного каменный каменная деревянный стеклянный
собираться собирался собиралась собирались собирается собираются собираясь
учиться учился учусь умыться мылся
радость радости радостью смелость гордость новость новостей новостями
вероятность возможность возможности безопасность
бегающий бегающая читающий рисующий организующий сделавший сделанный
читали читала читаю читаешь читаете читает читают читать читайте
говорить говорил говорила говорят говорим говорите
здание зданием зданиями зданиях знания знаниями армия армией армиями
сильнейший сильнейшего сильнейшая крупнейшие
синего синему синий синяя синее синих
о в и я мы он она оно бы ли же
""".split()


def stem_russian():
    st = snowballstemmer.stemmer("russian")
    return st.stemWord


def gen_russian(args):
    """Writes Tests/Fixtures/stemmer-russian.tsv (reference: Snowball 2.2+ russian).

    Words: distinct all-Russian-letter words of docs-ru.jsonl.gz (title+body)
    and the seeds, most frequent first, capped at --cap (the corpus has ~22k
    distinct such words, so all of them are taken), plus RU_HAND_PICKED.
    """
    counter = count_words(iter_jsonl_texts(pathlib.Path(args.russian_corpus)), RU_LETTER_RUN)
    counter.update(count_words(iter_seed_texts(args.seeds), RU_LETTER_RUN))
    is_russian = RU_WORD.fullmatch
    distinct = sum(1 for w in counter if is_russian(w))
    corpus_words = select_words(counter, args.cap, lambda w: is_russian(w) is not None)
    words = []
    seen = set()
    for w in corpus_words + RU_HAND_PICKED:
        assert is_russian(w), w
        if w not in seen:
            seen.add(w)
            words.append(w)
    if distinct < 20000:
        print(f"russian: note: only {distinct} distinct corpus words (< 20000)", file=sys.stderr)
    print(f"russian: {distinct} distinct corpus words, {len(corpus_words)} taken, "
          f"{sum(1 for w in words if 'ё' in w)} words with ё", file=sys.stderr)
    write_fixture(FIXTURES / "stemmer-russian.tsv", words, stem_russian())


LANGS = {"english": gen_english, "russian": gen_russian}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", choices=["english", "russian", "all"], default="all")
    ap.add_argument("--english-corpus", default=str(CORPORA / "kernel-docs-en.jsonl.gz"))
    ap.add_argument("--russian-corpus", default=str(CORPORA / "docs-ru.jsonl.gz"))
    ap.add_argument("--seeds", default=str(SEEDS))
    ap.add_argument("--cap", type=int, default=40000, help="max corpus words per language")
    ap.add_argument("--cap-non-ascii", type=int, default=2000,
                    help="max extra non-ASCII corpus words (english)")
    args = ap.parse_args()
    langs = list(LANGS) if args.lang == "all" else [args.lang]
    failed = False
    for lang in langs:
        try:
            LANGS[lang](args)
        except NotImplementedError as e:
            print(f"{lang}: {e}", file=sys.stderr)
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Compares what `poisk index` reads from a folder with what git considers untracked and not ignored.

For each seed, a random tree is generated in a temporary folder: nested folders, hidden files and
folders, files of the types Poisk reads and of others, names with spaces, `#`, `!` and brackets,
`.gitignore` files at several depths with patterns drawn from every rule of gitignore(5) (comments,
escapes, trailing spaces, CRLF, `!` negation, anchored and unanchored patterns, trailing `/`,
`*`, `?`, bracket expressions, `**/`, `/**`, `/**/`), symbolic links (to a file inside, to a
folder inside, out of the tree, broken, a loop) and FIFOs. A fresh git repository is made there,
and for four runs of `poisk index --dry-run --json` the files Poisk would read must be exactly:

  default                 git ls-files --others --exclude-standard
  --hidden                the same, hidden paths included
  --no-ignore             git ls-files --others
  --hidden --no-ignore    the same, hidden paths included

less hidden paths (unless --hidden), symbolic links and files of other types. Every entry Poisk
reports as skipped for an ignore rule must be one `git check-ignore` calls ignored. A `--follow`
run must read every file of the default run, nothing whose real path is outside the tree, and
finish (every run has a time limit: a FIFO must never block it).

Usage: Scripts/check-ignore-vs-git.py [--seeds N] [--first-seed S] [--poisk PATH] [--keep]
Prints one line per mismatch (with git's verdicts) and a final PASS/FAIL line; exits 1 on any
mismatch. `--poisk` (or $POISK) names the binary; by default `swift build --product poisk` is run
and .build/debug/poisk used.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

TYPES = {"txt", "md", "markdown", "rst", "adoc", "org", "tex", "html", "htm"}
FOLDERS = ["docs", "build", "node_modules", "sub", "deep", "x y", "keep", "tmp", "a", "b", ".hidden", ".cache"]
BASES = ["notes", "readme", "a", "b", "keep", "secret", "index", "x y", "#hash", "!bang", "[br]", "ab", "ba", ".dot", "ёж", "a1", "b2"]
EXTENSIONS = [".md", ".txt", ".rst", ".html", ".log", ".tmp", ".MD", ".adoc", "", ".org", ".tex", ".htm", ".markdown", ".json"]
TIMEOUT = 60


def generate_tree(rng, root, outside):
    """Makes folders, files, ignore files, links and FIFOs; returns the list of folders made."""
    folders = [""]
    for _ in range(rng.randint(3, 16)):
        parent = rng.choice(folders)
        if parent.count("/") >= 4:
            continue
        name = rng.choice(FOLDERS)
        path = os.path.join(parent, name) if parent else name
        if path not in folders:
            os.makedirs(os.path.join(root, path), exist_ok=True)
            folders.append(path)
    files = []
    for _ in range(rng.randint(5, 40)):
        folder = rng.choice(folders)
        name = rng.choice(BASES) + rng.choice(EXTENSIONS)
        path = os.path.join(folder, name) if folder else name
        full = os.path.join(root, path)
        if os.path.isdir(full):
            continue
        with open(full, "w") as f:
            f.write(f"{name} in {folder or 'the root'}\nsome words of {path}\n")
        files.append(path)
    names = [os.path.basename(p) for p in files] + [os.path.basename(f) for f in folders if f]
    for folder in folders:
        if rng.random() < 0.55:
            lines = [random_pattern(rng, names, folders, files, folder) for _ in range(rng.randint(1, 7))]
            newline = "\r\n" if rng.random() < 0.15 else "\n"
            with open(os.path.join(root, folder, ".gitignore"), "w", newline="") as f:
                f.write(newline.join(lines) + (newline if rng.random() < 0.8 else ""))
    # Links and special files.
    if files and rng.random() < 0.6:
        target = rng.choice(files)
        link_folder = rng.choice(folders)
        link = os.path.join(root, link_folder, "link-" + os.path.basename(target).replace(".", "-") + ".md")
        if not os.path.lexists(link):
            os.symlink(os.path.relpath(os.path.join(root, target), os.path.dirname(link)), link)
    if len(folders) > 1 and rng.random() < 0.5:
        target = rng.choice(folders[1:])
        link_folder = rng.choice(folders)
        link = os.path.join(root, link_folder, "dirlink")
        if not os.path.lexists(link):
            os.symlink(os.path.relpath(os.path.join(root, target), os.path.dirname(link)), link)
    if rng.random() < 0.5:
        link = os.path.join(root, rng.choice(folders), "outside.md")
        if not os.path.lexists(link):
            os.symlink(outside, link)
    if rng.random() < 0.3:
        link = os.path.join(root, rng.choice(folders), "loop")
        if not os.path.lexists(link):
            os.symlink(".", link)
    if rng.random() < 0.3:
        link = os.path.join(root, rng.choice(folders), "broken.md")
        if not os.path.lexists(link):
            os.symlink("no-such-file.md", link)
    if rng.random() < 0.4:
        fifo = os.path.join(root, rng.choice(folders), "pipe.md")
        if not os.path.lexists(fifo):
            os.mkfifo(fifo)
    return folders


def escape(name):
    """A name as a literal gitignore pattern."""
    out = ""
    for i, c in enumerate(name):
        if c in "*?[\\" or (i == 0 and c in "#!"):
            out += "\\" + c
        else:
            out += c
    if out.endswith(" "):
        out = out[:-1] + "\\ "
    return out


def random_pattern(rng, names, folders, files, here):
    """One line of a .gitignore in folder `here`, drawn from the rules of gitignore(5)."""
    name = escape(rng.choice(names)) if names else "a"
    below = [f[len(here) + 1:] if here else f for f in folders + files if f and (not here or f.startswith(here + "/"))]
    rel = escape_path(rng.choice(below)) if below else name
    ext = rng.choice([e for e in EXTENSIONS if e])
    kind = rng.randint(0, 39)
    line = [
        lambda: name,
        lambda: "*" + ext,
        lambda: "!" + name,
        lambda: name + "/",
        lambda: "/" + name,
        lambda: rel,
        lambda: "/" + rel,
        lambda: rel + "/",
        lambda: "**/" + name,
        lambda: rel + "/**",
        lambda: rel.split("/")[0] + "/**/" + name,
        lambda: "[ab]*",
        lambda: "[!a-m]*" + ext,
        lambda: "?" + ext,
        lambda: "*",
        lambda: "!*/",
        lambda: "!*" + ext,
        lambda: "# comment " + name,
        lambda: "",
        lambda: name + "   ",
        lambda: "\\#hash" + ext,
        lambda: "\\!bang" + ext,
        lambda: "*/" + name,
        lambda: rel.split("/")[0] + "**/" + name,
        lambda: "[[:alpha:]]" + ext,
        lambda: rel.split("/")[0] + "/*",
        lambda: "!" + rel.split("/")[0] + "/" + name + "/",
        lambda: "**/*" + ext,
        lambda: "*/",
        lambda: "?ж*",
        lambda: "??ж*",
        lambda: "[a-c][[:digit:]]*",
        lambda: "\\[br\\]*",
        lambda: rel + "/**/*" + ext,
        lambda: ".*",
        lambda: "!.hidden/",
        lambda: "/**/" + name,
        lambda: name + "/**/",
        lambda: "*" + ext + "/",
        lambda: "[^n]*",
    ][kind]()
    if kind not in (2, 15, 16, 17, 18, 26) and rng.random() < 0.2:
        line = "!" + line
    return line


def escape_path(path):
    return "/".join(escape(part) for part in path.split("/"))


def git(root, *args, stdin=None):
    env = dict(os.environ, HOME=root + "/.home-unused", XDG_CONFIG_HOME=root + "/.home-unused",
               GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return subprocess.run(["git", "-C", root, *args], input=stdin, capture_output=True, env=env, timeout=TIMEOUT)


def hidden(path):
    return any(part.startswith(".") for part in path.split("/"))


def of_type(path):
    base = os.path.basename(path)
    dot = base.rfind(".")
    return dot > 0 and base[dot + 1:].lower() in TYPES


def poisk(binary, root, *flags):
    result = subprocess.run([binary, "index", "--dry-run", "--json", *flags, root], capture_output=True, timeout=TIMEOUT)
    if result.returncode != 0:
        raise RuntimeError(f"poisk {' '.join(flags)} exited {result.returncode}: {result.stderr.decode(errors='replace')}")
    return json.loads(result.stdout)


def check_seed(seed, binary, keep):
    rng = random.Random(seed)
    work = tempfile.mkdtemp(prefix=f"poisk-ignore-{seed}-")
    root = os.path.join(work, "tree")
    os.makedirs(root)
    outside = os.path.join(work, "outside-secret.md")
    with open(outside, "w") as f:
        f.write("outsidesecretword\n")
    problems = []
    try:
        generate_tree(rng, root, outside)
        if git(root, "init", "-q").returncode != 0:
            raise RuntimeError("git init failed")
        listed_std = git(root, "ls-files", "--others", "--exclude-standard", "-z").stdout.decode().split("\0")
        listed_all = git(root, "ls-files", "--others", "-z").stdout.decode().split("\0")

        def regular(p):
            full = os.path.join(root, p)
            return not os.path.islink(full) and os.path.isfile(full)

        def expected(listed, with_hidden):
            return sorted(p for p in listed if p and regular(p) and of_type(p) and (with_hidden or not hidden(p))
                          and not p.startswith(".git/"))

        runs = [([], expected(listed_std, False)), (["--hidden"], expected(listed_std, True)),
                (["--no-ignore"], expected(listed_all, False)), (["--hidden", "--no-ignore"], expected(listed_all, True))]
        default_ids = None
        for flags, want in runs:
            report = poisk(binary, root, *flags)
            got = sorted(report["ids"])
            if not flags:
                default_ids = set(got)
            if got != want:
                for p in sorted(set(want) - set(got)):
                    problems.append(f"seed {seed} {' '.join(flags) or 'default'}: git lists {p!r}, poisk does not read it: "
                                    + skipped_reason(report, root, p) + git_verdict(root, p))
                for p in sorted(set(got) - set(want)):
                    problems.append(f"seed {seed} {' '.join(flags) or 'default'}: poisk reads {p!r}, git does not list it"
                                    + git_verdict(root, p))
            if "--no-ignore" not in flags:
                ignored = [s["path"][len(root) + 1:] for s in report["skipped_files"] if s["reason"] == "ignored"]
                ignored = [p for p in ignored if os.path.basename(p) != ".git"]
                if ignored:
                    out = git(root, "check-ignore", "--no-index", "--stdin", "-z", stdin="\0".join(ignored).encode())
                    confirmed = set(out.stdout.decode().split("\0"))
                    for p in ignored:
                        if p not in confirmed:
                            problems.append(f"seed {seed} {' '.join(flags) or 'default'}: poisk skipped {p!r} as ignored, "
                                            f"git check-ignore does not" + git_verdict(root, p))
        follow = poisk(binary, root, "--follow")
        follow_ids = set(follow["ids"])
        for p in sorted(default_ids - follow_ids):
            problems.append(f"seed {seed} --follow: {p!r} is read by default but not with --follow")
        real_root = os.path.realpath(root)
        for p in sorted(follow_ids):
            real = os.path.realpath(os.path.join(root, p))
            if not (real + "/").startswith(real_root + "/"):
                problems.append(f"seed {seed} --follow: {p!r} leads outside the tree, to {real}")
    except subprocess.TimeoutExpired as e:
        problems.append(f"seed {seed}: timed out after {TIMEOUT} s ({' '.join(map(str, e.cmd))}): a FIFO blocked the walk?")
    except Exception as e:  # noqa: BLE001 - report and count every failure
        problems.append(f"seed {seed}: {e}")
    finally:
        if keep and problems:
            print(f"  kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return problems


NAME_ALPHABET = "ab.-[]!# \\*?"
PATTERN_PIECES = list("ab") * 4 + list("*?/") * 2 + list("[]!^-\\.# ") + ["**", "[:alpha:]", "[a-b]", "/**/", "**/", "/**"]


def check_raw_patterns(seed, binary, keep):
    """Raw random patterns (any mix of the special characters) against raw random names: git and
    Poisk (`--hidden --glob '*'`, so every file counts) must agree on every file."""
    rng = random.Random(seed * 7919 + 1)
    work = tempfile.mkdtemp(prefix=f"poisk-raw-{seed}-")
    root = os.path.join(work, "tree")
    os.makedirs(root)
    problems = []
    try:
        folders = [""]
        for _ in range(rng.randint(10, 40)):
            parent = rng.choice(folders)
            name = "".join(rng.choice(NAME_ALPHABET) for _ in range(rng.randint(1, 4)))
            if name in (".", "..", ".git") or parent.count("/") >= 3:
                continue
            path = os.path.join(parent, name) if parent else name
            full = os.path.join(root, path)
            if os.path.lexists(full):
                continue
            if rng.random() < 0.3:
                os.makedirs(full)
                folders.append(path)
            else:
                with open(full, "w") as f:
                    f.write("x\n")
        for folder in rng.sample(folders, min(len(folders), rng.randint(1, 3))):
            lines = ["".join(rng.choice(PATTERN_PIECES) for _ in range(rng.randint(1, 7))) for _ in range(rng.randint(1, 6))]
            with open(os.path.join(root, folder, ".gitignore"), "w") as f:
                f.write("\n".join(lines) + "\n")
        git(root, "init", "-q")
        want = sorted(p for p in git(root, "ls-files", "--others", "--exclude-standard", "-z").stdout.decode().split("\0") if p)
        report = poisk(binary, root, "--hidden", "--glob", "*")
        got = sorted(report["ids"])
        for p in sorted(set(want) - set(got)):
            problems.append(f"seed {seed} raw: git lists {p!r}, poisk does not read it: " + skipped_reason(report, root, p)
                            + git_verdict(root, p))
        for p in sorted(set(got) - set(want)):
            problems.append(f"seed {seed} raw: poisk reads {p!r}, git does not list it" + git_verdict(root, p))
    except subprocess.TimeoutExpired as e:
        problems.append(f"seed {seed} raw: timed out after {TIMEOUT} s ({' '.join(map(str, e.cmd))})")
    except Exception as e:  # noqa: BLE001
        problems.append(f"seed {seed} raw: {e}")
    finally:
        if keep and problems:
            print(f"  kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return problems


def skipped_reason(report, root, path):
    for s in report["skipped_files"]:
        rel = s["path"][len(root) + 1:]
        if path == rel or path.startswith(rel + "/"):
            return f"skipped {rel!r} ({s['reason']}: {s['detail']})"
    return "not reported as skipped"


def git_verdict(root, path):
    out = git(root, "check-ignore", "--no-index", "-v", "-n", path).stdout.decode().strip()
    return f"; git check-ignore -v: {out!r}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--poisk", default=os.environ.get("POISK"))
    parser.add_argument("--keep", action="store_true", help="keep the trees of failing seeds")
    args = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = args.poisk
    if not binary:
        subprocess.run(["swift", "build", "--product", "poisk"], cwd=repo, check=True, stdout=subprocess.DEVNULL)
        binary = os.path.join(repo, ".build", "debug", "poisk")
    mismatches = 0
    failed_seeds = 0
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        problems = check_seed(seed, binary, args.keep) + check_raw_patterns(seed, binary, args.keep)
        for p in problems:
            print(p)
        mismatches += len(problems)
        failed_seeds += bool(problems)
    verdict = "PASS" if mismatches == 0 else "FAIL"
    print(f"check-ignore-vs-git: {args.seeds} seeds (from {args.first_seed}), a tree with 4 option sets and --follow "
          f"and a tree of raw random patterns each: "
          f"{mismatches} mismatches in {failed_seeds} seeds: {verdict}")
    sys.exit(0 if mismatches == 0 else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Mutation testing from a hand-written list: does the suite notice the
slips that would hurt an operator most?

Each entry of tests/mutants.txt (its format is described at the top of that
file) names a file, a piece of its text and a replacement: a small, realistic
bug (an inverted condition, an off-by-one, a dropped call, a wrong constant).
For each entry this tool, in a scratch copy of the tree:

  1. checks that the old text occurs exactly once in the file; if not, the
     entry is STALE (the code moved on and the list must follow);
  2. applies the change and rebuilds incrementally; a mutant that does not
     compile is INVALID (a mutant must compile to say anything);
  3. runs the entry's own `tests:` first, then the rest of the suite (unit
     tests, fuzz replays, then integration tests, quickest first), stopping
     at the first failing test: the mutant is KILLED by that test;
  4. if every test passed, the mutant SURVIVED: the suite cannot tell that
     bug from the real code. An entry with `explained:` says why that is
     expected, and is reported as an explained survivor;
  5. restores the file.

Usage:
  tools/mutants.py --list                  validate the list only (no build)
  tools/mutants.py                         run every entry (slow: a survivor
                                           costs a whole suite run)
  tools/mutants.py NAME... --only 'mask-*' run some entries (names, globs
                                           on the name or the file)
  tools/mutants.py --keep --jobs 2 ...     keep the scratch tree; parallelism

One line per mutant:
  killed NAME by TEST / survived NAME / explained NAME / stale NAME /
  invalid NAME
(followed by details in parentheses), then
  N mutants: K killed, S survived, E explained, X stale/invalid
Exit status: 0 when every mutant was killed or explained, 1 otherwise (an
unexplained survivor, a stale or invalid entry), 2 on a usage or setup error.
"""

import argparse
import contextlib
import difflib
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_LIST = os.path.join(ROOT, "tests", "mutants.txt")

KEYS = ("name", "file", "old", "new", "breaks", "tests", "explained")
REQUIRED = ("name", "file", "old", "new", "breaks")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KEY_RE = re.compile(r"^([a-z]+):(.*)$")
# meson test results that mean "this test noticed".
PASSING = {"OK", "SKIP", "EXPECTEDFAIL"}


class ListError(Exception):
    pass


class Entry:
    def __init__(self, line):
        self.line = line  # where its block starts in the list
        self.fields = {}

    def __getattr__(self, key):
        if key in KEYS:
            return self.fields.get(key)
        raise AttributeError(key)

    @property
    def test_names(self):
        return self.fields.get("tests", "").replace(",", " ").split()


# ---------------------------------------------------------------- the list


def parse_list(path):
    """Entries of the list file; ListError on anything malformed."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    entries, errors = [], []
    entry, key, cont = None, None, []

    def close_key():
        nonlocal key, cont
        if key is None:
            return
        first = entry.fields[key]
        if key not in ("old", "new"):
            # Prose (and test names): wraps onto indented lines.
            entry.fields[key] = " ".join((first + " " + " ".join(cont)).split())
        elif cont:
            # Code: a block of indented lines, or one line, never both.
            if first.strip():
                errors.append(f"{path}:{entry.line}: {entry.fields.get('name', '?')}: "
                              f"'{key}:' has text on its own line and indented lines: "
                              "put all of it on the indented lines")
            entry.fields[key] = textwrap.dedent("\n".join(cont))
        else:
            entry.fields[key] = first.strip()
        key, cont = None, []

    def close_entry():
        nonlocal entry
        close_key()
        if entry is not None:
            entries.append(entry)
        entry = None

    for number, raw in enumerate(lines, 1):
        if raw.startswith("#"):
            continue  # comments only at column 0: code may start with '#'
        if not raw.strip():
            close_entry()
            continue
        if raw[0] in " \t":
            if key is None:
                errors.append(f"{path}:{number}: an indented line outside a key's value")
            else:
                cont.append(raw)
            continue
        m = KEY_RE.match(raw)
        if not m or m.group(1) not in KEYS:
            errors.append(f"{path}:{number}: expected one of {', '.join(k + ':' for k in KEYS)} "
                          f"(got {raw[:40]!r})")
            continue
        close_key()
        if entry is None:
            entry = Entry(number)
        if m.group(1) in entry.fields:
            errors.append(f"{path}:{number}: '{m.group(1)}:' given twice in one entry")
        key = m.group(1)
        entry.fields[key] = m.group(2)
    close_entry()

    seen = {}
    for e in entries:
        where = f"{path}:{e.line}"
        for k in REQUIRED:
            if k not in e.fields or (k != "new" and not e.fields[k].strip()):
                errors.append(f"{where}: entry {e.name or '?'}: missing '{k}:'")
        if e.name and not NAME_RE.match(e.name):
            errors.append(f"{where}: name {e.name!r}: use lower-case letters, digits and '-'")
        if e.name in seen:
            errors.append(f"{where}: name {e.name} is used already at line {seen[e.name]}")
        seen.setdefault(e.name, e.line)
        if e.old is not None and e.new is not None and e.old.split() == e.new.split():
            errors.append(f"{where}: entry {e.name}: new is the same as old")
    if errors:
        raise ListError("\n".join(errors))
    return entries


def pattern_of(old):
    """A regex for `old`: its runs of white space (spaces, tabs, line breaks)
    match any run of white space, everything else matches exactly. Entries
    thus survive reindentation but not a change of code."""
    words = old.split()
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def locate(entry, tree):
    """(text of the file, match) when old occurs exactly once; else
    (None, reason)."""
    path = os.path.join(tree, entry.file)
    try:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
    except OSError as e:
        return None, f"cannot read {entry.file}: {e.strerror}"
    pattern, matches, pos = pattern_of(entry.old), [], 0
    while (m := pattern.search(text, pos)) is not None:  # overlapping ones count too
        matches.append(m)
        pos = m.start() + 1
    if len(matches) != 1:
        lines = ", ".join(str(text.count("\n", 0, m.start()) + 1) for m in matches[:5])
        where = f" (lines {lines})" if matches else ""
        return None, f"old text found {len(matches)} times in {entry.file}{where}"
    return text, matches[0]


def mutate(text, match, new):
    """The file's text with the match replaced by `new`; the lines of a
    multi-line `new` after its first take the indentation of the line where
    the match starts (plus their own, relative to the block)."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    indent = re.match(r"[ \t]*", text[line_start:]).group(0)
    new_lines = new.split("\n")
    body = "\n".join([new_lines[0]] + [indent + l if l.strip() else l for l in new_lines[1:]])
    return text[:match.start()] + body + text[match.end():]


def select(entries, names, patterns):
    if not names and not patterns:
        return entries
    known = {e.name for e in entries}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ListError("no entry named " + ", ".join(unknown))
    chosen = []
    for e in entries:
        if e.name in names or any(
                fnmatch.fnmatchcase(e.name, p) or fnmatch.fnmatchcase(e.file, p) or
                (not any(c in p for c in "*?[") and (p in e.name or p in e.file))
                for p in patterns):
            chosen.append(e)
    return chosen


# ---------------------------------------------------------------- the scratch tree


def run(argv, *, cwd=None, quiet=True, verbose=False, env=None):
    if verbose:
        print("+ " + " ".join(argv), file=sys.stderr, flush=True)
    return subprocess.run(argv, cwd=cwd, env=env, text=True,
                          stdout=subprocess.PIPE if quiet else None,
                          stderr=subprocess.STDOUT if quiet else None)


def copy_tree(dest):
    """The git-tracked files of the working tree (as they are on disk, local
    edits included) into dest."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached"], cwd=ROOT, check=True,
                         stdout=subprocess.PIPE).stdout
    count = 0
    for rel in out.decode("utf-8", "surrogateescape").split("\0"):
        if not rel:
            continue
        src = os.path.join(ROOT, rel)
        if not os.path.lexists(src) or os.path.isdir(src):
            continue  # deleted locally, or a submodule
        dst = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst, follow_symlinks=False)
        count += 1
    return count


class Scratch:
    def __init__(self, args):
        self.args = args
        self.top = None
        self.tests = []

    def log(self, message):
        print(message, file=sys.stderr, flush=True)

    def setup(self):
        t0 = time.monotonic()
        self.top = tempfile.mkdtemp(prefix="wall-mutants-")
        self.src = os.path.join(self.top, "src")
        self.build = os.path.join(self.top, "build")
        n = copy_tree(self.src)
        self.log(f"mutants: {n} files copied to {self.src}")
        r = run(["meson", "setup", self.build, self.src, "--buildtype=debugoptimized",
                 "-Dwerror=false", "-Db_sanitize=none", "-Db_coverage=false"],
                verbose=self.args.verbose)
        if r.returncode != 0:
            raise SystemExit(f"mutants: meson setup failed:\n{r.stdout}")
        if not self.compile():
            raise SystemExit(f"mutants: the unmutated tree does not build:\n{self.last_output}")
        self.tests = self.introspect()
        self.log(f"mutants: built in {time.monotonic() - t0:.0f} s; {len(self.tests)} tests")

    def compile(self):
        r = run(["meson", "compile", "-C", self.build, "-j", str(self.args.jobs)],
                verbose=self.args.verbose)
        self.last_output = r.stdout
        return r.returncode == 0

    def introspect(self):
        r = run(["meson", "introspect", "--tests", self.build])
        if r.returncode != 0:
            raise SystemExit(f"mutants: meson introspect failed:\n{r.stdout}")
        tests = []
        for i, t in enumerate(json.loads(r.stdout)):
            suites = [s.split(":")[-1] for s in t.get("suite", [])]
            rank = 2 if "integration" in suites else 1 if "fuzz" in suites else 0
            tests.append({"name": t["name"], "rank": rank, "timeout": t.get("timeout") or 30,
                          "parallel": t.get("is_parallel", True), "order": i})
        return tests

    def order(self, first):
        """Test names: `first` in its order, then the rest of the suite:
        unit tests, fuzz replays, integration tests, each by its timeout
        (a shorter timeout is a quicker test), then as defined."""
        by_name = {t["name"]: t for t in self.tests}
        rest = sorted((t for t in self.tests if t["name"] not in first),
                      key=lambda t: (t["rank"], t["timeout"], t["order"]))
        return [by_name[n] for n in first] + rest

    def batches(self, tests):
        """Consecutive tests that may run in parallel go in one `meson test`
        call; the others run one at a time, so the order holds."""
        out = []
        for t in tests:
            if t["parallel"] and out and out[-1][0]["parallel"]:
                out[-1].append(t)
            else:
                out.append([t])
        return out

    def run_tests(self, first):
        """(killer, ran, skipped): killer is None when every test passed,
        else (name of the first failing test, its result); ran counts the
        tests that passed; skipped names those that skipped (exit 77), which
        may hide a kill."""
        logbase = "mutants"
        log = os.path.join(self.build, "meson-logs", logbase + ".json")
        ran, skipped = 0, []
        for batch in self.batches(self.order(first)):
            names = [t["name"] for t in batch]
            argv = ["meson", "test", "-C", self.build, "--no-rebuild", "--maxfail", "1",
                    "--logbase", logbase, "--num-processes", str(self.args.jobs),
                    "-t", str(self.args.timeout_multiplier)] + names
            with contextlib.suppress(FileNotFoundError):
                os.remove(log)  # never read an earlier call's results
            r = run(argv, verbose=self.args.verbose)
            results = self.results(log)
            self.why = self.reasons(log)
            failed = [(n, results.get(n, "NOT RUN")) for n in names
                      if results.get(n, "NOT RUN") not in PASSING]
            if r.returncode != 0 and not failed:
                # meson itself failed: the batch's first test gets the blame.
                failed = [(names[0], "ERROR")]
            if failed:
                if self.args.verbose:
                    print(r.stdout[-4000:], file=sys.stderr)
                # With --maxfail 1 in a parallel batch, the tests meson
                # interrupted are not the killers: prefer a real failure.
                real = [f for f in failed if f[1] not in ("INTERRUPT", "NOT RUN")]
                return (real or failed)[0], ran, skipped
            ran += sum(1 for n in names if results.get(n) != "SKIP")
            skipped += [n for n in names if results.get(n) == "SKIP"]
        return None, ran, skipped

    def reasons(self, path):
        """{test: the line its output gave as the reason it failed}."""
        out = {}
        try:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if not line.strip():
                        continue
                    d = json.loads(line)
                    name = d["name"].rsplit(" / ", 1)[-1].split(":")[-1].strip()
                    text = (d.get("stdout") or "") + (d.get("stderr") or "")
                    lines = [l.strip() for l in text.splitlines() if l.strip()]
                    flagged = [l for l in lines if l.startswith(("FAIL", "ERROR", "[  FAILED"))]
                    out[name] = (flagged or lines[-1:] or [""])[0][:300]
        except (OSError, ValueError):
            pass
        return out

    def results(self, path):
        out = {}
        try:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        d = json.loads(line)
                        # "wall:unit / feed" (meson 1.x) or "feed"
                        name = d["name"].rsplit(" / ", 1)[-1].split(":")[-1].strip()
                        out[name] = d.get("result", "ERROR")
        except (OSError, ValueError):
            pass
        return out

    def finish(self):
        if self.top is None:
            return
        if self.args.keep:
            self.log(f"mutants: scratch tree kept in {self.top}")
        else:
            shutil.rmtree(self.top, ignore_errors=True)


def known_tests(build):
    """Names of the tests of an existing build directory, or None."""
    if not os.path.isfile(os.path.join(build, "meson-private", "coredata.dat")):
        return None
    try:
        r = run(["meson", "introspect", "--tests", build])
        return {t["name"] for t in json.loads(r.stdout)} if r.returncode == 0 else None
    except (OSError, ValueError):
        return None


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    # Newer than anything built before it, whatever the clock granularity:
    # ninja must rebuild on both the mutation and the restore.
    st = os.stat(path)
    now = max(time.time(), st.st_mtime)
    os.utime(path, (now, now))


def try_mutant(scratch, entry, known_tests):
    """(outcome, detail): outcome is killed, survived, explained, stale or
    invalid."""
    text, match = locate(entry, scratch.src)
    if text is None:
        return "stale", match
    unknown = [n for n in entry.test_names if n not in known_tests]
    if unknown:
        return "stale", "no test named " + ", ".join(unknown)
    path = os.path.join(scratch.src, entry.file)
    t0 = time.monotonic()
    try:
        write(path, mutate(text, match, entry.new))
        if not scratch.compile():
            errors = [l for l in scratch.last_output.splitlines() if "error" in l]
            return "invalid", "does not build: " + (errors[0].strip() if errors else "?")
        killer, ran, skipped = scratch.run_tests(entry.test_names)
    finally:
        write(path, text)
    seconds = time.monotonic() - t0
    if killer:
        name, result = killer
        notes = [f"{seconds:.0f} s"]
        if result != "FAIL":
            notes.append(result.lower())
        if name not in entry.test_names:
            notes.append("not in its tests:")
        if entry.explained:
            notes.append("its explained: is out of date")
        why = getattr(scratch, "why", {}).get(name, "")
        return "killed", f"by {name} ({'; '.join(notes)})" + (f"\n    {why}" if why else "")
    how = f"{seconds:.0f} s, {ran} tests passed"
    if skipped:
        how += f", skipped: {' '.join(skipped)}"
    if entry.explained:
        return "explained", f"({how}): {entry.explained}"
    return "survived", f"({how}): {entry.breaks}"


# ---------------------------------------------------------------- main


def main():
    p = argparse.ArgumentParser(
        description="Run the mutants of tests/mutants.txt against the test suite.",
        epilog="Exit status: 0 all killed or explained; 1 a survivor, stale or invalid "
               "entry; 2 usage or setup error.")
    p.add_argument("names", nargs="*", metavar="NAME", help="entries to run (default: all)")
    p.add_argument("--only", action="append", default=[], metavar="PATTERN",
                   help="entries whose name or file matches PATTERN (a glob, or a substring "
                        "when it has no * ? [); may be repeated")
    p.add_argument("--list", action="store_true",
                   help="only validate the entries: every old text found exactly once; no build")
    p.add_argument("--diff", action="store_true",
                   help="with --list: show each mutation as a diff")
    p.add_argument("--keep", action="store_true", help="keep the scratch tree and build")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 2,
                   help="parallel compile jobs and parallel tests (default: the CPU count)")
    p.add_argument("--file", default=DEFAULT_LIST, help="the list (default: tests/mutants.txt)")
    p.add_argument("--timeout-multiplier", "-t", type=float, default=1.0,
                   help="passed to meson test, for a loaded machine")
    p.add_argument("--baseline", action="store_true",
                   help="first run the whole suite unmutated; stop if it does not pass")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="show the commands and a failing test's output")
    args = p.parse_args()

    try:
        entries = select(parse_list(args.file), args.names, args.only)
    except (ListError, OSError) as e:
        print(f"mutants: {e}", file=sys.stderr)
        return 2
    if not entries:
        print("mutants: no entry matches", file=sys.stderr)
        return 2

    if args.list:
        known = known_tests(os.path.join(ROOT, "build"))
        bad = 0
        for e in entries:
            text, match = locate(e, ROOT)
            unknown = [n for n in e.test_names if known is not None and n not in known]
            if text is None or unknown:
                bad += 1
                why = match if text is None else "no test named " + ", ".join(unknown)
                print(f"stale {e.name} ({why})")
                continue
            line = text.count("\n", 0, match.start()) + 1
            tests = f" [{' '.join(e.test_names)}]" if e.test_names else ""
            flag = " explained" if e.explained else ""
            print(f"ok {e.name} ({e.file}:{line}){tests}{flag}")
            if args.diff:
                sys.stdout.writelines(difflib.unified_diff(
                    text.splitlines(True), mutate(text, match, e.new).splitlines(True),
                    "a/" + e.file, "b/" + e.file, n=1))
        note = "" if known is not None else " (test names not checked: no build/ to ask)"
        print(f"{len(entries)} mutants: {len(entries) - bad} valid, {bad} stale{note}")
        return 1 if bad else 0

    counts = {"killed": 0, "survived": 0, "explained": 0, "stale": 0, "invalid": 0}
    started = time.monotonic()
    # Stale entries are known before any build: report them first, and build
    # nothing when no entry is left to run.
    runnable = []
    for e in entries:
        text, match = locate(e, ROOT)
        if text is None:
            counts["stale"] += 1
            print(f"stale {e.name} ({match})", flush=True)
        else:
            runnable.append(e)
    entries_total = len(entries)
    entries = runnable
    scratch = Scratch(args)
    try:
        if not entries:
            return finish(counts, entries_total, started)
        scratch.setup()
        known = {t["name"] for t in scratch.tests}
        if args.baseline:
            t0 = time.monotonic()
            failed, ran, skipped = scratch.run_tests([])
            if failed:
                print(f"mutants: the unmutated suite fails ({failed[0]}: {failed[1]}): "
                      "fix that first", file=sys.stderr)
                return 2
            scratch.log(f"mutants: baseline: {ran} tests passed in {time.monotonic() - t0:.0f} s"
                        + (f"; skipped: {' '.join(skipped)}" if skipped else ""))
        for e in entries:
            outcome, detail = try_mutant(scratch, e, known)
            counts[outcome] += 1
            if outcome in ("stale", "invalid"):
                detail = f"({detail})"
            print(f"{outcome} {e.name} {detail}", flush=True)
    except KeyboardInterrupt:
        print("mutants: interrupted", file=sys.stderr)
        return 2
    finally:
        scratch.finish()
    return finish(counts, entries_total, started)


def finish(counts, total, started):
    bad = counts["stale"] + counts["invalid"]
    print(f"{total} mutants: {counts['killed']} killed, {counts['survived']} survived, "
          f"{counts['explained']} explained, {bad} stale/invalid "
          f"({time.monotonic() - started:.0f} s)")
    return 1 if counts["survived"] or bad else 0


if __name__ == "__main__":
    sys.exit(main())

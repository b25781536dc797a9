#!/usr/bin/env python3
"""The message catalogue against the sources (common/i18n.h has the marks).

  check.py marked SOURCE_ROOT     every string a person reads is marked
  check.py catalogue SOURCE_ROOT  po/es.po translates every marked string,
                                  and nothing else, and msgfmt --check
                                  passes with 100 % translated

`marked` fails when a string literal in the product's sources looks like
words for a person (two words, or one word in capitals such as "STALE") and
is neither extracted by the keywords of po/meson.build (_, O_, N_, log_warn,
diag_add...) nor marked M_ (stays as written) nor the text of a log line at
INFO or DEBUG (English by design). It also fails when po/POTFILES misses a
source file, so a new file's strings cannot slip past.
"""
import os
import re
import subprocess
import sys
import tempfile

FOLDERS = ("common", "decode", "layouts", "ptz", "wall")

# Not translated, and not needing M_: the text of INFO and DEBUG lines.
EXEMPT_KEYWORDS = ["M_", "log_info:2", "log_debug:2"]

# Looks like words for a person: two words of letters, or one word of
# three or more capitals ("STALE", "NO SIGNAL").
PROSE = re.compile(r"[A-Za-z]{2,}[ ,:;']+[A-Za-z]{2,}|^[A-Z]{3,}(?: [A-Z]+)*$")


def fail(message):
    print(message)
    sys.exit(1)


def xgettext_args(root):
    text = open(os.path.join(root, "po", "meson.build"), encoding="utf-8").read()
    args = re.findall(r"'(--(?:keyword|flag|from-code|add-comments)=[^']*)'", text)
    if not any(a.startswith("--keyword=") for a in args):
        fail("po/meson.build: no --keyword= arguments found")
    return args


def potfiles(root):
    listed = []
    with open(os.path.join(root, "po", "POTFILES"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                listed.append(line)
    present = []
    for folder in FOLDERS:
        for name in sorted(os.listdir(os.path.join(root, folder))):
            if name.endswith((".c", ".h")):
                present.append(f"{folder}/{name}")
    missing = sorted(set(present) - set(listed))
    extra = sorted(set(listed) - set(present))
    if missing or extra:
        fail("po/POTFILES is out of step with the sources:\n"
             + "".join(f"  missing {p}\n" for p in missing)
             + "".join(f"  no such file {p}\n" for p in extra))
    return listed


def unquote(lines):
    return "".join(eval(line) for line in lines)  # C/PO string escapes


def parse_po(path):
    """[(msgid, msgid_plural, [msgstr...], refs, flags)] without the header."""
    entries = []
    cur = None
    field = None

    def finish():
        if cur and cur["msgid"] is not None and not cur["obsolete"]:
            msgid = unquote(cur["msgid"])
            if msgid:
                plural = unquote(cur["plural"]) if cur["plural"] else None
                strs = [unquote(s) for s in cur["msgstr"]]
                entries.append((msgid, plural, strs, cur["refs"], cur["flags"]))

    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not line.strip():
            finish()
            cur, field = None, None
            continue
        if cur is None:
            cur = {"msgid": None, "plural": None, "msgstr": [], "refs": [], "flags": set(),
                   "obsolete": False}
        if line.startswith("#~"):
            cur["obsolete"] = True
        elif line.startswith("#:"):
            cur["refs"] += line[2:].split()
        elif line.startswith("#,"):
            cur["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            pass
        elif line.startswith("msgid_plural "):
            cur["plural"], field = [line[13:]], "plural"
        elif line.startswith("msgid "):
            cur["msgid"], field = [line[6:]], "msgid"
        elif line.startswith("msgstr["):
            cur["msgstr"].append([line[line.index(" ") + 1:]])
            field = "msgstr"
        elif line.startswith("msgstr "):
            cur["msgstr"].append([line[7:]])
            field = "msgstr"
        elif line.startswith('"'):
            if field == "msgstr":
                cur["msgstr"][-1].append(line)
            else:
                cur[field].append(line)
    finish()
    return entries


def extract(root, files, args, out):
    subprocess.run(["xgettext", "--no-wrap", "--sort-by-file", "--package-name=wall",
                    "-o", out, *args, *files], cwd=root, check=True,
                   stderr=subprocess.DEVNULL)
    return parse_po(out) if os.path.exists(out) else []


def positions(entries):
    """(string, file:line) of each msgid, and (plural, file) of each
    msgid_plural: ngettext's second string is marked too, and xgettext
    gives its entry the line of the first."""
    found = {(e[0], ref) for e in entries for ref in e[3]}
    found |= {(e[1], ref.rsplit(":", 1)[0]) for e in entries if e[1] for ref in e[3]}
    return found


def check_marked(root):
    files = potfiles(root)
    args = xgettext_args(root)
    with tempfile.TemporaryDirectory() as tmp:
        everything = extract(root, files, ["--from-code=UTF-8", "-a"],
                             os.path.join(tmp, "all.pot"))
        marked = positions(extract(root, files, args, os.path.join(tmp, "marked.pot")))
        exempt = positions(extract(
            root, files, ["--from-code=UTF-8", "-k"] + [f"--keyword={k}" for k in EXEMPT_KEYWORDS],
            os.path.join(tmp, "exempt.pot")))
    unmarked = []
    for msgid, _plural, _strs, refs, _flags in everything:
        if not PROSE.search(msgid):
            continue
        for ref in refs:
            file = ref.rsplit(":", 1)[0]
            if not {(msgid, ref), (msgid, file)} & (marked | exempt):
                unmarked.append((ref, msgid))
    if unmarked:
        fail(f"{len(unmarked)} strings look like words for a person but are not marked "
             "(_() or O_() to translate, M_() to keep as written; common/i18n.h):\n"
             + "".join(f"  {ref}: {msgid!r}\n" for ref, msgid in sorted(unmarked)))
    print(f"every string for a person is marked ({len(marked)} positions translated)")


def check_catalogue(root):
    files = potfiles(root)
    po = os.path.join(root, "po", "es.po")
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, po],
                            capture_output=True, text=True)
    stats = (result.stdout + result.stderr).strip()
    print(f"msgfmt --check --statistics po/es.po: {stats}")
    if result.returncode != 0:
        fail("msgfmt --check failed")
    if "fuzzy" in stats or "untranslated" in stats:
        fail("po/es.po is not 100 % translated")
    with tempfile.TemporaryDirectory() as tmp:
        pot = extract(root, files, xgettext_args(root), os.path.join(tmp, "wall.pot"))
    catalogue = {e[0]: e for e in parse_po(po)}
    wanted = {e[0]: e for e in pot}
    missing = [m for m in wanted if m not in catalogue]
    stale = [m for m in catalogue if m not in wanted]
    bad = [m for m in wanted if m in catalogue
           and (not all(catalogue[m][2]) or "fuzzy" in catalogue[m][4])]
    problems = ("".join(f"  untranslated: {m!r} ({' '.join(wanted[m][3][:2])})\n" for m in missing)
                + "".join(f"  empty or fuzzy: {m!r}\n" for m in bad)
                + "".join(f"  no longer in the sources: {m!r}\n" for m in stale))
    if problems:
        fail("po/es.po is out of step with the sources (ninja -C build wall-update-po "
             "merges them):\n" + problems)
    print(f"po/es.po translates all {len(wanted)} messages")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("marked", "catalogue"):
        fail(__doc__)
    root = sys.argv[2]
    if sys.argv[1] == "marked":
        check_marked(root)
    else:
        check_catalogue(root)


if __name__ == "__main__":
    main()

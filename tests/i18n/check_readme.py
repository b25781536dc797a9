#!/usr/bin/env python3
"""layouts/README.es.md kept in step with layouts/README.md.

  check_readme.py SOURCE_ROOT

The Spanish page is a translation, so the words differ; what must not differ
is its shape and the words that are never translated. Fails (exit 1) with
FILE:LINE for each of these that differs:

- headings: as many, in the same order, at the same levels, each with the
  same inline code spans (`wall`, `wall.replay`);
- the message tables under "## Messages" and its Spanish counterpart (the
  heading at the same place): the same subsections, tables and rows, and in
  each row pair the message's untranslatable parts: what is quoted ('main',
  "ssc"), the dotted setting names (wall.replay.seconds, keys.*action*), the
  numbers, how many italic placeholders (*N*, *name*) and whether it is a
  warning ("warning:" / "aviso:"); and the code spans of the "what to do"
  column (setting names and values), as a multiset;
- the ``` code blocks: as many, with the same info string, and each the same
  as its counterpart once comments (# or // after a blank, outside quotes)
  are dropped; a block of `wall --check` output (every line FILE.cfg:N: ...)
  is translated, so it keeps only its lines' FILE:N: and the parts above;
- links: every #anchor in either file, and README.md#... / README.es.md#...
  between them, names a heading of the file it points into (GitHub's
  anchors: lower case, punctuation dropped, spaces to '-', accents kept);
  each file links to the other near its top;
- the words of the messages: a message row is what `wall --check` prints,
  so every run of 3 words of it is the catalogue's (po/es.po): its msgstrs'
  for the Spanish page, its msgids' for the English one (see "The words of
  the messages" below).
"""
import bisect
import collections
import difflib
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import parse_po  # noqa: E402  (tests/i18n/check.py)

EN = "layouts/README.md"
ES = "layouts/README.es.md"
PO = "po/es.po"
CHECK_SOURCES = "layouts/"     # where the messages of `wall --check` are
                               # (po/es.po's #: lines say where each is used)
MESSAGES = "Messages"          # the English heading of the message tables

# Quoted examples whose words the program translates: "tour:NAME" is
# "tour:NOMBRE" in Spanish (po/es.po), so the two rows quote each its own.
# Each pair must stay a msgid's and its msgstr's.
TRANSLATED_QUOTES = {"tour:NOMBRE": "tour:NAME"}

# Rows whose message is libconfig's own text, printed in English in both
# languages and in no catalogue: their words are not checked. Named by the
# message cell of the English row.
LIBCONFIG_ROWS = {"`duplicate setting name` (and other texts from libconfig)"}

# English rows that README.md words otherwise than the program prints, kept
# here until README.md is fixed: {the row's message cell: what the program
# prints}. The Spanish row beside each is still checked; an entry whose row
# passes fails, to be taken out. None at present.
ENGLISH_DRIFT = {}

FENCE = re.compile(r"^ {0,3}```")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
CODE_SPAN = re.compile(r"`([^`]*)`")
CHECK_OUTPUT = re.compile(r"^[\w.-]+\.cfg:\d+: ")
LINK = re.compile(r"\]\(([^)\s]*)\)")

# The message's untranslatable parts, in its text with the backticks removed.
SINGLE_QUOTED = re.compile(r"(?<!\w)'([^'\n]*)'(?!\w)")   # not camera's
DOUBLE_QUOTED = re.compile(r'"([^"\n]*)"')
DOTTED = re.compile(r"(?<![\w.*])[a-z_]+(?:\.(?:[a-z_]+|\*[a-z_]+\*))+")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
ITALIC = re.compile(r"\*[^*]+\*")
WARNING = re.compile(r"(?<!\w)(?:warning|aviso):")

problems = []


def problem(text):
    problems.append(text)


class Doc:
    """One markdown file: its lines, headings and code blocks."""

    def __init__(self, root, rel):
        self.rel = rel
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            self.lines = f.read().split("\n")
        self.headings = []      # (lineno, level, text)
        self.blocks = []        # (lineno, info, [lines])
        self.prose = []         # (lineno, line) outside code blocks
        block = None
        for n, line in enumerate(self.lines, 1):
            if FENCE.match(line):
                if block is None:
                    block = (n, line.strip()[3:].strip(), [])
                else:
                    self.blocks.append(block)
                    block = None
                continue
            if block is not None:
                block[2].append(line)
                continue
            self.prose.append((n, line))
            m = HEADING.match(line)
            if m:
                self.headings.append((n, len(m.group(1)), m.group(2)))
        if block is not None:
            problem(f"{rel}:{block[0]}: code block never closed")
        self.anchors = set()
        seen = collections.Counter()
        for _, _, text in self.headings:
            slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
            self.anchors.add(slug if not seen[slug] else f"{slug}-{seen[slug]}")
            seen[slug] += 1

    def at(self, n):
        return f"{self.rel}:{n}"


def heading_key(level, text):
    return (level, tuple(CODE_SPAN.findall(text)))


def show_heading(doc, h):
    return f"{doc.at(h[0])}: {'#' * h[1]} {h[2]}"


def under_headings(doc):
    """For each heading, what lies between it and the next heading: its
    tables (each a list of (lineno, row) without the header and |---| lines)
    and how many code blocks."""
    starts = [h[0] for h in doc.headings] + [len(doc.lines) + 1]
    tables = [[] for _ in doc.headings]
    blocks = [0 for _ in doc.headings]
    k = -1
    table = None
    for n, line in doc.prose:
        while k + 1 < len(doc.headings) and n >= starts[k + 1]:
            k += 1
            table = None
        if k < 0:
            continue
        if line.startswith("|"):
            if table is None:
                table = []
                tables[k].append(table)
            table.append((n, line))
        else:
            table = None
    for n, _, _ in doc.blocks:
        k = bisect.bisect_left(starts, n) - 1
        if k >= 0:
            blocks[k] += 1
    return [[t[2:] for t in ts] for ts in tables], blocks


def check_headings(en, es):
    """Returns {English heading index: Spanish heading index} for the
    headings that line up. Headings are lined up by their level, code spans
    and the shape of what follows them (tables, rows, code blocks), which
    the translation keeps; only level and code spans must be equal."""
    def keys(doc):
        tables, blocks = under_headings(doc)
        return [heading_key(h[1], h[2]) + (tuple(len(t) for t in tables[i]), blocks[i])
                for i, h in enumerate(doc.headings)]
    a, b = keys(en), keys(es)
    if len(a) != len(b):
        problem(f"headings: {len(a)} in {en.rel}, {len(b)} in {es.rel}")
    pairs = {}
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        paired = min(i2 - i1, j2 - j1) if op in ("equal", "replace") else 0
        if op == "replace" and i2 - i1 != j2 - j1:
            # Line up what is left on level and code spans alone.
            sub = difflib.SequenceMatcher(None, [x[:2] for x in a[i1:i2]],
                                          [y[:2] for y in b[j1:j2]], autojunk=False)
            matched = [(i1 + m.a + k, j1 + m.b + k)
                       for m in sub.get_matching_blocks() for k in range(m.size)]
        else:
            matched = [(i1 + k, j1 + k) for k in range(paired)]
        for i, j in matched:
            pairs[i] = j
            if a[i][:2] != b[j][:2]:
                problem("heading differs (level or code spans):\n"
                        f"  {show_heading(en, en.headings[i])}\n  {show_heading(es, es.headings[j])}")
        done_a = {i for i, _ in matched}
        done_b = {j for _, j in matched}
        for i in range(i1, i2):
            if i not in done_a:
                problem(f"heading with no counterpart in {es.rel}:\n  {show_heading(en, en.headings[i])}")
        for j in range(j1, j2):
            if j not in done_b:
                problem(f"heading with no counterpart in {en.rel}:\n  {show_heading(es, es.headings[j])}")
    return pairs


def cells(doc, n, line):
    parts = line.split("|")
    if len(parts) != 4 or parts[0].strip() or parts[3].strip():
        problem(f"{doc.at(n)}: a message row must be | message | what to do |")
        return None
    return parts[1].strip(), parts[2].strip()


def invariants(message):
    """What a translation of one message cell keeps."""
    segments = message.split("`")
    text = "".join(segments)
    outside = "\0".join(segments[0::2])      # italics are outside code spans
    return {
        "quoted": sorted(SINGLE_QUOTED.findall(text) + DOUBLE_QUOTED.findall(text)),
        "setting names": sorted(DOTTED.findall(text)),
        "numbers": sorted(NUMBER.findall(text)),
        "italic placeholders": len(ITALIC.findall(outside)),
        "warnings": len(WARNING.findall(text)),
    }


def row_key(doc, n, line):
    c = cells(doc, n, line)
    if c is None:
        return None
    inv = invariants(c[0])
    if doc.rel == ES:
        inv["quoted"] = sorted(TRANSLATED_QUOTES.get(q, q) for q in inv["quoted"])
    inv["code in what to do"] = sorted(CODE_SPAN.findall(c[1]))
    return inv


def compare_rows(en, es, n, m, a, b):
    for field in a:
        if a[field] != b[field]:
            x, y = a[field], b[field]
            if isinstance(x, list):
                cx, cy = collections.Counter(x), collections.Counter(y)
                x = sorted((cx - cy).elements())
                y = sorted((cy - cx).elements())
                what = f"only in {en.rel}: {x}; only in {es.rel}: {y}"
            else:
                what = f"{x} in {en.rel}, {y} in {es.rel}"
            problem(f"message row differs in its {field}: {what}\n"
                    f"  {en.at(n)}: {en.lines[n - 1]}\n  {es.at(m)}: {es.lines[m - 1]}")


def freeze(key):
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(key.items()))


def check_table(en, es, rows_en, rows_es, where, words):
    keys_en = [row_key(en, n, line) for n, line in rows_en]
    keys_es = [row_key(es, n, line) for n, line in rows_es]
    if None in keys_en or None in keys_es:
        return
    if len(rows_en) != len(rows_es):
        problem(f"{where}: {len(rows_en)} message rows in {en.rel}, {len(rows_es)} in {es.rel}")
    a = [freeze(k) for k in keys_en]
    b = [freeze(k) for k in keys_es]
    if len(a) == len(b):
        opcodes = [("replace", 0, len(a), 0, len(b))]
    else:
        opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    twins = {}          # English row index: Spanish row index
    for op, i1, i2, j1, j2 in opcodes:
        paired = min(i2 - i1, j2 - j1) if op in ("equal", "replace") else 0
        twins.update((i1 + k, j1 + k) for k in range(paired))
    twins_es = {j: i for i, j in twins.items()}
    for i, (n, line) in enumerate(rows_en):
        j = twins.get(i)
        check_words(words, en, n, line, rows_es[j][1] if j is not None else None)
    for j, (m, line) in enumerate(rows_es):
        i = twins_es.get(j)
        check_words(words, es, m, line, rows_en[i][1] if i is not None else None)
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paired):
            compare_rows(en, es, rows_en[i1 + k][0], rows_es[j1 + k][0],
                         keys_en[i1 + k], keys_es[j1 + k])
        for n, line in rows_en[i1 + paired:i2]:
            problem(f"message row with no counterpart in {es.rel}:\n  {en.at(n)}: {line}")
        for n, line in rows_es[j1 + paired:j2]:
            problem(f"message row with no counterpart in {en.rel}:\n  {es.at(n)}: {line}")


def messages_range(doc, start):
    """The indexes of the headings of the section doc.headings[start]."""
    end = next((i for i in range(start + 1, len(doc.headings)) if doc.headings[i][1] <= 2),
               len(doc.headings))
    return range(start, end)


def check_messages(en, es, pairs, words):
    """Returns how many message rows the English page has."""
    start = next((i for i, h in enumerate(en.headings) if h[1] == 2 and h[2] == MESSAGES), None)
    if start is None:
        problem(f"{en.rel}: no '## {MESSAGES}' heading")
        return 0
    if start not in pairs or es.headings[pairs[start]][1] != 2:
        problem(f"{es.rel}: no level-2 heading lines up with {show_heading(en, en.headings[start])}")
        return 0
    tables_en, _ = under_headings(en)
    tables_es, _ = under_headings(es)
    inside_es = messages_range(es, pairs[start])
    rows = 0
    for i in messages_range(en, start):
        rows += sum(len(t) for t in tables_en[i])
        if i not in pairs:
            continue        # reported with the headings
        j = pairs[i]
        if j not in inside_es:
            problem(f"{show_heading(es, es.headings[j])}: not under the Spanish "
                    f"{show_heading(es, es.headings[pairs[start]])}")
            continue
        where = f"{en.at(en.headings[i][0])} / {es.at(es.headings[j][0])}"
        if len(tables_en[i]) != len(tables_es[j]):
            problem(f"{where}: {len(tables_en[i])} tables in {en.rel}, {len(tables_es[j])} in {es.rel}")
            continue
        for rows_en, rows_es in zip(tables_en[i], tables_es[j]):
            check_table(en, es, rows_en, rows_es, where, words)
    return rows


# The words of the messages ------------------------------------------------
#
# A message row is what `wall --check` prints, and the program prints the
# catalogue's words: po/es.po's msgstrs in Spanish, its msgids in English.
# So every run of RUN consecutive words of a message must be words that the
# catalogue holds in that order, one after the other.
#
# The words of a message are those of its code spans; what a message names
# breaks its runs, as no catalogue holds it: the italic placeholders (*N*,
# *name*, and *`camera N: sub:`*, an italic code span), quoted values ('main',
# "ssc"), bracketed ones ([r, c], [x, y, w, h]), dotted setting names
# (wall.replay.seconds) and undotted ones that hold an underscore
# (picture_health), numbers, a lone capital (character N), "..." (what
# the row leaves out) and the "warning:" / "aviso:" in front, a catalogue
# entry of its own. Punctuation does not break a run; case and spacing do
# not count.
#
# The catalogue is cut at each format directive (%s, %d, %1$s, %.*s) and at
# each number: runs do not go through them as they are. They go on past a
# directive only as the program fills it, with
#   - a value, which the program does not translate (a setting name, a
#     status: "ptz", "suspended"), so the word is in the row of the other
#     language too: one such word, then the words after the directive (one
#     value in a run: words that the two rows share are no run of values);
#   - another entry of the catalogue ("segundos" into "un número de %s de %g
#     a %g", "solo %s" into "la zona admite %s"): its words from its start,
#     and at its end the words after a directive.
# Which entry goes into which directive is not known here, so an entry's end
# goes on after any directive, not the one it went into.

RUN = 3
DIRECTIVE = re.compile(r"%%|%(?:\d+\$)?[-+ #0']*(?:\*(?:\d+\$)?|\d+)?(?:\.(?:\*(?:\d+\$)?|\d+)?)?"
                       r"(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn]|%<\w+>")
WORD = re.compile(r"[^\W\d_]+")         # letters, accents included
ELLIPSIS = re.compile(r"\.\.\.|…")
LONE_CAPITAL = re.compile(r"(?<![^\W\d_])[A-Z](?![^\W\d_])")
BRACKETED = re.compile(r"\[[^\[\]]*\]")
SNAKE = re.compile(r"(?<![\w.])[a-z]+(?:_[a-z]+)+(?![\w.])")   # a setting: picture_health
BREAKS = (SINGLE_QUOTED, DOUBLE_QUOTED, BRACKETED, DOTTED, SNAKE, NUMBER, WARNING, ELLIPSIS,
          LONE_CAPITAL)
SLOT = "%"                              # a directive, among a catalogue's words


def words_of(text):
    return [w.casefold() for w in WORD.findall(unicodedata.normalize("NFC", text))]


class Catalogue:
    """One side of po/es.po (its msgids or its msgstrs), read word by word.

    Each entry is a list of tokens: words, SLOT for a directive, None for a
    number (nothing reads through it). A place is (entry, index of a token):
    where reading is, before that token."""

    def __init__(self, name):
        self.name = name
        self.entries = []
        self.places = collections.defaultdict(set)  # word: the places after it
        self.starts = collections.defaultdict(set)  # the same, where it starts an entry
        self.resumes = collections.defaultdict(set)  # the same, right after a directive
        self.leads = set()      # the places after a directive that starts an entry
        self.seats = set()      # those, and the places after a directive that
                                # follows another: after a value put in a
                                # directive right after some directive

    def add(self, text):
        tokens = []
        pos = 0
        for m in list(DIRECTIVE.finditer(text)) + [None]:
            segment = text[pos:m.start() if m else len(text)]
            for k, chunk in enumerate(NUMBER.split(segment)):
                if k:
                    tokens.append(None)
                tokens += words_of(chunk)
            if m and m.group(0) != "%%":
                tokens.append(SLOT)
            pos = m.end() if m else pos
        e = len(self.entries)
        self.entries.append(tokens)
        for i, t in enumerate(tokens):
            after = tokens[i - 1] if i else "start"
            if t is SLOT:
                if after == "start":
                    self.leads.add((e, i + 1))
                if after in ("start", SLOT):
                    self.seats.add((e, i + 1))
            elif t:
                self.places[t].add((e, i + 1))
                if after == "start":
                    self.starts[t].add((e, i + 1))
                elif after is SLOT:
                    self.resumes[t].add((e, i + 1))

    def holds(self, run, values):
        """Whether the words of run come out of the catalogue one after the
        other, with at most one value (of values) filled in."""
        # After the first word: where it is, or, a value, after its directive.
        states = {(p, False) for p in self.places[run[0]]}
        if run[0] in values:
            states.add((None, True))
        for word in run[1:]:
            states = {(q, used or value)
                      for p, used in states
                      for q, value in self._next(p, word, () if used else values)}
            if not states:
                return False
        return True

    def _next(self, place, word, values):
        """The places after word, read from place (None: right after some
        directive), each with whether word is a value there."""
        if place is not None:
            e, i = place
            tokens = self.entries[e]
            if i < len(tokens) and tokens[i] is not SLOT:
                return {((e, i + 1), False)} if tokens[i] == word else set()
            if i < len(tokens):         # a directive: a value, or an entry
                out = {(q, False) for q in self.starts[word]}
                if word in values:
                    out |= {(q, True) for q in self.leads | {(e, i + 1)}}
                return out
            # the end of an entry, which went into some directive: after it
        out = {(q, False) for q in self.resumes[word] | self.starts[word]}
        if word in values:
            out |= {(q, True) for q in self.seats}
        return out


def catalogues(root):
    """{EN: the msgids' Catalogue, ES: the msgstrs'} of the entries of
    po/es.po that `wall --check` can print: those used in CHECK_SOURCES
    (the OSD's and the logs' words are no message of the layout file). Fuzzy
    entries are left out, as gettext leaves them out."""
    ids, strs = Catalogue("msgid"), Catalogue("msgstr")
    entries = [e for e in parse_po(os.path.join(root, PO))
               if "fuzzy" not in e[4] and any(r.startswith(CHECK_SOURCES) for r in e[3])]
    for msgid, plural, msgstrs, _, _ in entries:
        for text in filter(None, (msgid, plural)):
            ids.add(text)
        for text in filter(None, msgstrs):
            strs.add(text)
    for es_quote, en_quote in TRANSLATED_QUOTES.items():
        if not any(en_quote in (msgid + (plural or "")) and any(es_quote in t for t in msgstrs)
                   for msgid, plural, msgstrs, _, _ in entries):
            problem(f"{PO}: no msgid with \"{en_quote}\" whose msgstr has \"{es_quote}\" "
                    "(TRANSLATED_QUOTES in this script)")
    return {EN: ids, ES: strs}


def message_runs(message):
    """The runs of words of a message cell, each a list of words."""
    spans = list(CODE_SPAN.finditer(message))
    # An italic code span (*`camera N: sub:`*) is a placeholder: one whose
    # stand-in lies inside an italic of the text outside the code spans.
    outside, marks, pos = "", [], 0
    for m in spans:
        outside += message[pos:m.start()]
        marks.append(len(outside))
        outside += "\1"
        pos = m.end()
    outside += message[pos:]
    italic = set()
    for m in ITALIC.finditer(outside):
        italic.update(range(m.start(), m.end()))
    text, counts = [], []   # the cell without backticks; whether each char counts
    pos = 0
    for m, mark in zip(spans, marks):
        text += [message[pos:m.start()], m.group(1)]
        counts += [False] * (m.start() - pos) + [mark not in italic] * len(m.group(1))
        pos = m.end()
    text.append(message[pos:])
    counts += [False] * (len(message) - pos)
    text = "".join(text)
    for pattern in BREAKS:
        for m in pattern.finditer(text):
            counts[m.start():m.end()] = [False] * (m.end() - m.start())
    kept = "".join(ch if keep else "\0" for ch, keep in zip(text, counts))
    return [w for w in map(words_of, kept.split("\0")) if len(w) >= RUN]


exempt_rows = collections.Counter()     # LIBCONFIG_ROWS and ENGLISH_DRIFT met


def check_words(words, doc, n, line, other_line):
    """Fails a message row with a run of words that its side of po/es.po
    does not hold; other_line is the row beside it in the other language."""
    english = line if doc.rel == EN else other_line
    name = english.split("|")[1].strip() if english else None
    catalogue = words[doc.rel]
    values = set(words_of(other_line.split("|")[1])) if other_line else set()
    missing = []
    for run in message_runs(line.split("|")[1]):
        for k in range(len(run) - RUN + 1):
            text = " ".join(run[k:k + RUN])
            if text not in missing and not catalogue.holds(tuple(run[k:k + RUN]), values):
                missing.append(text)
    if name in LIBCONFIG_ROWS:
        exempt_rows[name] += 1
    elif doc.rel == EN and name in ENGLISH_DRIFT:
        exempt_rows[name] += 1
        if not missing:
            problem(f"{doc.at(n)}: the words of this row are the catalogue's now: "
                    f"take it out of ENGLISH_DRIFT in {os.path.basename(__file__)}")
    elif missing:
        problem(f"message row with words in no {catalogue.name} of {PO} used in {CHECK_SOURCES}: "
                + ", ".join(f'"{m}"' for m in missing) + f"\n  {doc.at(n)}: {line}")


def check_exemptions():
    """LIBCONFIG_ROWS and ENGLISH_DRIFT name rows that are there."""
    for name in sorted(LIBCONFIG_ROWS | set(ENGLISH_DRIFT)):
        if not exempt_rows[name]:
            problem(f"{os.path.basename(__file__)}: no message row of {EN} is {name}: "
                    "take it out of LIBCONFIG_ROWS or ENGLISH_DRIFT")


def strip_comment(line):
    """The line without a # or // comment (after a blank, outside quotes)."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"' and (i == 0 or line[i - 1] != "\\"):
            quoted = not quoted
        elif not quoted and (i == 0 or line[i - 1].isspace()) and (
                ch == "#" or line.startswith("//", i)):
            return line[:i].rstrip()
    return line.rstrip()


def block_key(info, lines):
    lines = [line for line in lines if line.strip()]
    if lines and all(CHECK_OUTPUT.match(line) for line in lines):
        return (info, "wall --check output", tuple(
            (CHECK_OUTPUT.match(line).group(0), freeze(invariants(line))) for line in lines))
    return (info, tuple(s for s in map(strip_comment, lines) if s))


def check_blocks(en, es):
    a = [block_key(info, lines) for _, info, lines in en.blocks]
    b = [block_key(info, lines) for _, info, lines in es.blocks]
    if len(a) != len(b):
        problem(f"code blocks: {len(a)} in {en.rel}, {len(b)} in {es.rel}")
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paired):
            (n, _, x), (m, _, y) = en.blocks[i1 + k], es.blocks[j1 + k]
            sx = [s for s in map(strip_comment, x)]
            sy = [s for s in map(strip_comment, y)]
            diff = "\n".join("    " + d for d in difflib.unified_diff(
                sx, sy, en.at(n), es.at(m), lineterm="", n=0))
            problem(f"code block differs beyond its comments: {en.at(n)} / {es.at(m)}\n{diff}")
        for n, _, _ in en.blocks[i1 + paired:i2]:
            problem(f"code block with no counterpart in {es.rel}: {en.at(n)}")
        for n, _, _ in es.blocks[j1 + paired:j2]:
            problem(f"code block with no counterpart in {en.rel}: {es.at(n)}")


def check_links(docs):
    by_name = {os.path.basename(d.rel): d for d in docs}
    for doc in docs:
        for n, line in doc.prose:
            for target in LINK.findall(re.sub(r"`[^`]*`", "", line)):
                name, _, anchor = target.partition("#")
                if not anchor or (name and name not in by_name):
                    continue
                into = by_name[name] if name else doc
                if anchor not in into.anchors:
                    problem(f"{doc.at(n)}: link to #{anchor}: no such heading in {into.rel}")
    for doc, other in (docs, docs[::-1]):
        top = "\n".join(doc.lines[:5])
        if f"]({os.path.basename(other.rel)})" not in top:
            problem(f"{doc.rel}: no link to {os.path.basename(other.rel)} in its first lines")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check_readme.py SOURCE_ROOT")
    root = sys.argv[1]
    en, es = Doc(root, EN), Doc(root, ES)
    words = catalogues(root)
    pairs = check_headings(en, es)
    rows = check_messages(en, es, pairs, words)
    check_exemptions()
    check_blocks(en, es)
    check_links([en, es])
    if problems:
        print(f"{ES} is out of step with {EN} or with {PO}:")
        for p in problems:
            print(p)
        sys.exit(1)
    print(f"{ES} in step with {EN}: {len(en.headings)} headings, {rows} message rows "
          f"(worded as {PO}), {len(en.blocks)} code blocks")


if __name__ == "__main__":
    main()

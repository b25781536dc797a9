#!/usr/bin/python3
"""Markdown to a man page (roff), for the subset the wall's docs use.

    tools/md2man.py --name wall-layout --section 5 --version 0.1.0 \\
        --summary "layout files of the wall" layouts/README.md wall-layout.5

So that a manual never drifts from its source, each page is generated at
build time from one Markdown file (meson.build). Understood:

- `# Title`: the document's title, dropped (the page's header comes from
  --name and --section); `## Heading` -> .SH, `###`/`####` -> .SS;
- a NAME section is written from --name and --summary unless the source
  has a `## NAME` of its own; text before the first `##` goes under
  DESCRIPTION, or is dropped (a note to editors) when there is a NAME;
- paragraphs; fenced code blocks (indented, no filling);
- lists: `- item`, `1. item`, continued on lines indented by two or more
  spaces; an item that starts with a code span and a colon (`` - `--fps R`:
  the rate ``) becomes a tagged paragraph (.TP), as options are written;
- tables: each row becomes a tagged paragraph headed by its first cell,
  the other cells following as `Header: text` lines (renders in any
  terminal width, no tbl);
- inline `code` (bold), *emphasis* (italic), **strong** (bold),
  [links](target): the text, and the address when it is a web address.

Characters outside ASCII become \\[uXXXX] escapes, so the page is plain
ASCII whatever the man pipeline's locale.
"""

import argparse
import datetime
import os
import re
import sys

# --------------------------------------------------------------------------
# Inline text


def escape(text):
    """Plain text -> roff: backslashes, and characters outside ASCII."""
    out = []
    for ch in text.replace("\\", "\\e"):
        if ord(ch) < 128:
            out.append(ch)
        else:
            out.append("\\[u%04X]" % ord(ch))
    return "".join(out)


def escape_literal(text):
    """Code -> roff: as escape(), and '-' as the minus that options use."""
    return escape(text).replace("-", "\\-")


LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
STRONG = re.compile(r"\*\*(.+?)\*\*")
EMPHASIS = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def inline_plain(text):
    """Text without code spans: links, strong, emphasis, escapes."""

    def link(m):
        label, target = m.group(1), m.group(2)
        if target.startswith(("http://", "https://")):
            return f"{label} <{target}>"
        return label

    text = LINK.sub(link, text)
    pieces = []
    pos = 0
    for m in re.finditer(f"{STRONG.pattern}|{EMPHASIS.pattern}", text):
        pieces.append(escape(text[pos:m.start()]))
        if m.group(1) is not None:
            pieces.append("\\fB" + escape(m.group(1)) + "\\fR")
        else:
            pieces.append("\\fI" + escape(m.group(2)) + "\\fR")
        pos = m.end()
    pieces.append(escape(text[pos:]))
    return "".join(pieces)


def inline(text):
    """Markdown inline text -> roff. Code spans are literal (bold)."""
    # Links whose text is a code span: keep the span, drop the target.
    text = re.sub(r"\[(`[^`]+`)\]\(([^)\s]+)\)",
                  lambda m: m.group(1) if not m.group(2).startswith("http")
                  else f"{m.group(1)} <{m.group(2)}>", text)
    out = []
    parts = re.split(r"(`+)(.+?)\1", text)
    # re.split with two groups: [plain, ticks, code, plain, ticks, code, ...]
    for i in range(0, len(parts), 3):
        out.append(inline_plain(parts[i]))
        if i + 2 < len(parts):
            out.append("\\fB" + escape_literal(parts[i + 2].strip()) + "\\fR")
    return "".join(out)


def text_line(line):
    """One line of filled text: a leading '.' or "'" would be a request."""
    if line.startswith((".", "'")):
        return "\\&" + line
    return line


def filled(text):
    """A paragraph's words, one source line per sentence-ish line."""
    words = inline(" ".join(text.split()))
    return text_line(words)


# --------------------------------------------------------------------------
# Blocks


def split_row(line):
    """A table row's cells; a '|' inside a code span does not split."""
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    cells, cell, in_code = [], [], False
    for ch in line:
        if ch == "`":
            in_code = not in_code
        if ch == "|" and not in_code:
            cells.append("".join(cell).strip())
            cell = []
        else:
            cell.append(ch)
    cells.append("".join(cell).strip())
    return cells


def is_separator(line):
    return re.fullmatch(r"\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*", line) is not None


ITEM = re.compile(r"^(\s*)(?:[-*+]|(\d+)[.)])\s+(.*)$")
TAGGED = re.compile(r"^(`[^`]+`(?:,? (?:or )?`[^`]+`)*)\s*:\s*(.*)$")


class Converter:
    def __init__(self, name=""):
        self.out = []
        self.section = ""
        self.name = name

    def emit(self, line):
        self.out.append(line)

    def heading(self, level, text):
        if level == 2:
            self.section = text.strip()
        title = inline(text)
        if level == 2:
            self.emit(".SH " + (title.upper() if text.isupper() or "`" not in text
                                else title))
        else:
            self.emit(".SS " + title)

    def paragraph(self, lines):
        self.emit(".PP")
        text = filled(" ".join(lines))
        if self.section == "NAME":  # "name \- summary", as whatis(1) reads it
            name, _, summary = text.partition(" - ")
            # The page's own name: a package may install the command renamed.
            text = f"{escape_literal(self.name or name)} \\- {summary}"
        self.emit(text)

    def code(self, lines):
        self.emit(".PP")
        self.emit(".RS 4")
        self.emit(".nf")
        for line in lines:
            self.emit(text_line(escape(line)) if line else "")
        self.emit(".fi")
        self.emit(".RE")

    def item(self, number, text):
        tagged = TAGGED.match(text) if number is None else None
        if tagged:
            self.emit(".TP")
            self.emit(text_line(inline(tagged.group(1))))
            self.emit(filled(tagged.group(2)) if tagged.group(2) else "")
        else:
            self.emit(f'.IP "{number}." 4' if number is not None else ".IP \\(bu 2")
            self.emit(filled(text))

    def table(self, header, rows):
        head = [inline(h) for h in header]
        for row in rows:
            self.emit(".TP")
            self.emit(text_line(inline(row[0]) if row and row[0] else "\\(em"))
            first = True
            for title, cell in zip(head[1:], row[1:]):
                if not cell:
                    continue
                if not first:
                    self.emit(".br")
                first = False
                self.emit(text_line(f"{title}: {inline(' '.join(cell.split()))}"))
            if first:
                self.emit("\\&")

    def convert(self, lines):
        i = 0
        para = []

        def flush():
            if para:
                self.paragraph(para)
                para.clear()

        while i < len(lines):
            line = lines[i].rstrip("\n")
            stripped = line.strip()
            if stripped.startswith("```"):
                flush()
                block = []
                i += 1
                while i < len(lines) and not lines[i].strip().startswith("```"):
                    block.append(lines[i].rstrip("\n"))
                    i += 1
                self.code(block)
                i += 1
                continue
            m = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)
            if m:
                flush()
                if len(m.group(1)) > 1:
                    self.heading(min(len(m.group(1)), 3), m.group(2))
                i += 1
                continue
            if stripped.startswith("|") and i + 1 < len(lines) and is_separator(lines[i + 1]):
                flush()
                header = split_row(line)
                rows = []
                i += 2
                while i < len(lines) and lines[i].strip().startswith("|"):
                    rows.append(split_row(lines[i]))
                    i += 1
                self.table(header, rows)
                continue
            m = ITEM.match(line)
            if m:
                flush()
                text = [m.group(3)]
                i += 1
                while (i < len(lines) and lines[i].strip() and lines[i].startswith("  ")
                       and not ITEM.match(lines[i])):
                    text.append(lines[i].strip())
                    i += 1
                self.item(m.group(2), " ".join(text))
                continue
            if not stripped:
                flush()
                i += 1
                continue
            para.append(stripped)
            i += 1
        flush()


def convert(source, name, section, version, summary, date):
    lines = source.splitlines()
    conv = Converter(name)
    has_name = any(re.match(r"^##\s+NAME\s*$", line) for line in lines)
    if not has_name:
        conv.emit(".SH NAME")
        conv.emit(f"{escape_literal(name)} \\- {inline(summary)}")
        first_h2 = next((n for n, line in enumerate(lines) if line.startswith("## ")), len(lines))
        intro = [line for line in lines[:first_h2] if not line.startswith("# ")]
        if any(line.strip() for line in intro):
            conv.emit(".SH DESCRIPTION")
    else:
        # What comes before NAME is a note to the source's editors.
        lines = lines[next(n for n, line in enumerate(lines) if re.match(r"^##\s+NAME", line)):]
    conv.convert(lines)
    header = [
        ".\\\" Generated by tools/md2man.py: edit the Markdown source, not this file.",
        f'.TH "{name.upper()}" "{section}" "{date}" "wall {version}" '
        f'"{ {"1": "User Commands", "5": "File Formats", "8": "System Administration"}.get(section, "")}"',
        ".nh",
        ".ad l",
    ]
    return "\n".join(header + conv.out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--name", required=True, help="the page's name, e.g. wall-layout")
    ap.add_argument("--section", required=True, help="the manual section, e.g. 5")
    ap.add_argument("--version", default="", help="the wall's version, for the footer")
    ap.add_argument("--summary", default="",
                    help="the NAME line's text, when the source has no NAME section")
    ap.add_argument("source", help="the Markdown file")
    ap.add_argument("output", help="the man page to write")
    args = ap.parse_args()
    # Reproducible: the date of the source's last change (SOURCE_DATE_EPOCH wins).
    stamp = os.environ.get("SOURCE_DATE_EPOCH")
    when = int(stamp) if stamp else int(os.stat(args.source).st_mtime)
    date = datetime.datetime.fromtimestamp(when, datetime.timezone.utc).strftime("%Y-%m-%d")
    with open(args.source, encoding="utf-8") as f:
        source = f.read()
    page = convert(source, args.name, args.section, args.version, args.summary, date)
    with open(args.output, "w", encoding="ascii") as f:
        f.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())

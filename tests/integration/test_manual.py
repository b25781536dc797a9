#!/usr/bin/python3
"""The man page's source, docs/wall.1.md, documents every option.

Every long option of wall/cli.c's long_options appears in docs/wall.1.md
as `--NAME`, so that wall(1) (generated from it) keeps in step with the
command line. Fast: it reads two files.
"""

import os
import re

import walltest as W


def long_options(cli_c):
    with open(cli_c, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"long_options\[\]\s*=\s*\{(.*?)\n\};", text, re.S)
    W.check(m, f"{cli_c}: no long_options table found")
    names = re.findall(r'\{\s*"([a-z0-9-]+)"\s*,', m.group(1))
    W.check(len(names) >= 10, f"{cli_c}: only {len(names)} long options read: {names}")
    return names


def run(tmp):
    root = W.source_root()
    names = long_options(os.path.join(root, "wall", "cli.c"))
    manual = os.path.join(root, "docs", "wall.1.md")
    with open(manual, encoding="utf-8") as f:
        text = f.read()
    missing = [n for n in names if not re.search(rf"`--{re.escape(n)}(?![a-z0-9-])", text)]
    W.check(not missing, f"{manual} does not document " +
            ", ".join("--" + n for n in missing) + " (wall/cli.c has them)")
    W.log(f"{len(names)} long options of wall/cli.c, all in docs/wall.1.md")


if __name__ == "__main__":
    W.main(run)

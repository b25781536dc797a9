#!/usr/bin/python3
"""The command line: --help, bad flags, missing files, --check.

- `--help` exits 0 and prints a usage text on stdout;
- an unknown flag exits 2 with one line on stderr naming it, as does a
  flag with a value that is not a number, and a --metrics address that is
  not [ADDR:]PORT;
- `--config` of a file that does not exist exits 1 with one line naming it;
- `--check assets/demo.cfg` exits 0 and reports no problem;
- `--check` of a file with a syntax error, and of a file with an invalid
  grid, exits 1 with `FILE:LINE: message` for the line of the error;
- `--verify-audit` of a trail chained here (hashlib, not the wall's code),
  with an evidence file, exits 0; with a line changed, 1 and
  `FILE:LINE: ...` naming the next line; of a missing file, 2. No layout
  is needed.
"""

import hashlib
import os
import re

import walltest as W


def stderr_lines(result):
    return [line for line in result.stderr.splitlines() if line.strip()]


def expect_one_line_naming(result, text, what):
    naming = [line for line in stderr_lines(result) if text in line]
    W.check(len(naming) == 1,
            f"{what}: expected one line on stderr naming {text!r}, got {len(naming)}; "
            + result.describe())


def expect_problem_at(result, path, line, what):
    result.expect_exit(1)
    pattern = re.compile(rf"^{re.escape(path)}:(\d+): \S")
    found = [int(m.group(1)) for m in map(pattern.match, stderr_lines(result)) if m]
    W.check(found, f"{what}: no `{path}:LINE: message` line on stderr; " + result.describe())
    W.check(line in found, f"{what}: problem reported at lines {found}, expected line {line}; "
            + result.describe())


def run(tmp):
    help_run = W.run_wall(["--help"], timeout=30).expect_exit(0)
    W.check("usage" in help_run.stdout.lower(),
            f"--help printed no usage text on stdout:\n{help_run.stdout}")
    for flag in ("--config", "--headless", "--check", "--snapshot", "--frames", "--stats",
                 "--verify-audit", "--metrics"):
        W.check(flag in help_run.stdout, f"--help does not mention {flag}")

    bad = W.run_wall(["--no-such-flag"], timeout=30).expect_exit(2)
    W.check(len(stderr_lines(bad)) == 1 and "--no-such-flag" in bad.stderr,
            "a bad flag should give exactly one line on stderr naming it; " + bad.describe())

    bad_value = W.run_wall(["--headless", "--frames", "many"], timeout=30).expect_exit(2)
    expect_one_line_naming(bad_value, "--frames", "--frames many")

    for address in ("many", "70000", "127.0.0.1:", "localhost:9100", "1.2.3.4.5:80",
                    "::1:9100", "[::1]", "[::1]:x", "[nothost]:9100"):
        bad_value = W.run_wall(["--headless", "--metrics", address], timeout=30).expect_exit(2)
        expect_one_line_naming(bad_value, "--metrics", f"--metrics {address}")

    missing = "/nonexistent.cfg"
    result = W.run_wall(["--config", missing], timeout=30).expect_exit(1)
    expect_one_line_naming(result, missing, "--config of a missing file")

    demo = os.path.join(W.source_root(), "assets", "demo.cfg")
    result = W.run_wall(["--check", demo], timeout=30).expect_exit(0)
    W.check(f"{demo}:" not in result.stderr, "--check of the demo reported problems; "
            + result.describe())

    # A syntax error on line 3: a setting without a value.
    syntax = os.path.join(tmp, "syntax.cfg")
    with open(syntax, "w", encoding="utf-8") as f:
        f.write('# line 1\n'
                'output = { id = "main"; width = 640; height = 360; background = "#000000"; };\n'
                'grid = { rows = 1; columns = ; gap = 4; };\n'
                'cameras = ( { number = 1; name = "a"; url = "a.mp4"; } );\n')
    expect_problem_at(W.run_wall(["--check", syntax], timeout=30), syntax, 3, "syntax error")

    # Well-formed, but a grid with no rows: reported on the grid's line (5).
    invalid = os.path.join(tmp, "invalid.cfg")
    with open(invalid, "w", encoding="utf-8") as f:
        f.write('# line 1\n'
                '# line 2\n'
                'output = { id = "main"; width = 640; height = 360; background = "#000000"; };\n'
                '\n'
                'grid = { rows = 0; columns = 2; gap = 4; fit = "letterbox"; };\n'
                'cameras = ( { number = 1; name = "a"; url = "a.mp4"; } );\n')
    expect_problem_at(W.run_wall(["--check", invalid], timeout=30), invalid, 5, "rows = 0")

    check_verify_audit(tmp)


def chained(bodies):
    """Audit lines with prev= as the wall writes them."""
    lines, prev = [], "0" * 64
    for body in bodies:
        line = f"{body} prev={prev}\n"
        prev = hashlib.sha256(line.encode()).hexdigest()
        lines.append(line)
    return "".join(lines)


def check_verify_audit(tmp):
    with open(os.path.join(tmp, "101-snap.png"), "wb") as f:
        f.write(b"picture")
    digest = hashlib.sha256(b"picture").hexdigest()
    trail = chained([
        "2026-12-01T10:00:00.000-0500 source=socket action=put output=ssc-1 tile=1 camera=101",
        "2026-12-01T10:00:01.000-0500 source=socket action=snapshot output=ssc-1 tile=1 "
        f'camera=101 file="101-snap.png" sha256={digest}',
        "2026-12-01T10:00:02.000-0500 source=socket action=clear output=ssc-1 tile=1",
    ])
    audit = os.path.join(tmp, "audit.log")
    with open(audit, "w", encoding="utf-8") as f:
        f.write(trail)
    result = W.run_wall(["--verify-audit", audit], timeout=30).expect_exit(0)
    W.check(result.stdout.startswith(f"{audit}: 3 lines, chain intact, 1 evidence file matches"),
            f"--verify-audit of an intact trail printed {result.stdout!r}; " + result.describe())

    with open(audit, "w", encoding="utf-8") as f:
        f.write(trail.replace("camera=101", "camera=102", 1))
    result = W.run_wall(["--verify-audit", audit], timeout=30).expect_exit(1)
    W.check(result.stdout.startswith(f"{audit}:2: the chain breaks here: line 1 was changed"),
            f"--verify-audit of a changed line printed {result.stdout!r}; " + result.describe())

    missing = os.path.join(tmp, "no-such-audit.log")
    result = W.run_wall(["--verify-audit", missing], timeout=30).expect_exit(2)
    W.check(missing in result.stdout,
            f"--verify-audit of a missing file printed {result.stdout!r}; " + result.describe())


if __name__ == "__main__":
    W.main(run)

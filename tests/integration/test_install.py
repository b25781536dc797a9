#!/usr/bin/python3
"""`meson install` puts a working wall on a machine.

Installs the current build (WALL_BUILD_ROOT) with `meson install --destdir`
into a scratch root, then checks what landed, using `meson introspect
--installed` for where each file goes:

- the binary, run from there: `--check` of the installed examples
  c5-cancun.cfg, c5-stations.cfg and starter-2x2.cfg succeeds, and the
  built-in demo it loads is the installed one (a broken installed demo.cfg
  is the file it reports), not the source tree's; under LANG=es_MX.UTF-8
  it speaks Spanish from the installed catalogue (one put in its place is
  the one it reads);
- wall.service: Type=notify, NotifyAccess=main, WatchdogSec=30,
  ExecStart= the installed binary with --config, --control, --audit and
  --snapshot-dir, each an option the binary has; `systemd-analyze verify`
  accepts it (this sub-check is skipped when systemd-analyze is missing);
- the sysusers.d file that makes the wall user, the kiosk session and its
  script;
- both man pages render with `man --warnings` with nothing on stderr.
"""

import json
import os
import re
import shutil
import subprocess

import installed as I
import walltest as W


def meson_install(build, dest):
    meson = W.require_tool("meson")
    result = subprocess.run([meson, "install", "-C", build, "--no-rebuild", "--quiet",
                             "--destdir", dest], capture_output=True, text=True, timeout=300)
    W.check(result.returncode == 0, f"meson install failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}")
    result = subprocess.run([meson, "introspect", "--installed", build], capture_output=True,
                            text=True, timeout=60)
    W.check(result.returncode == 0, f"meson introspect failed:\n{result.stderr}")
    return json.loads(result.stdout)


def installed_as(files, suffix):
    """The one install path that ends with `suffix`."""
    paths = [p for p in files.values() if p.endswith(suffix)]
    W.check(len(paths) == 1, f"expected one installed file ending in {suffix}, got {paths}")
    return paths[0]


def check_unit(dest, unit_path, binary_path, binary):
    unit = I.under(dest, unit_path)
    with open(unit, encoding="utf-8") as f:
        text = f.read()
    settings = dict(re.findall(r"^(\w+)=(.*)$", text, re.M))
    for key, value in (("Type", "notify"), ("NotifyAccess", "main"), ("WatchdogSec", "30"),
                       ("Restart", "on-failure"), ("User", "wall"), ("Group", "wall"),
                       ("RuntimeDirectory", "wall"), ("ConfigurationDirectory", "wall")):
        W.check(settings.get(key) == value,
                f"{unit_path}: {key}={settings.get(key)!r}, expected {value!r}")
    exec_start = settings.get("ExecStart", "")
    W.check(exec_start.startswith(binary_path + " --config "),
            f"{unit_path}: ExecStart={exec_start!r} does not run {binary_path} --config")
    help_text = I.run([binary, "--help"], timeout=30).stdout
    for flag in ("--config", "--control", "--audit", "--snapshot-dir"):
        W.check(flag + " " in exec_start, f"{unit_path}: ExecStart does not pass {flag}")
    for flag in re.findall(r"(--[a-z-]+)", exec_start):
        W.check(flag in help_text, f"{unit_path}: ExecStart passes {flag}, which "
                f"{binary_path} --help does not know")
    W.check("@" not in exec_start, f"{unit_path}: unsubstituted @...@ in {exec_start!r}")
    W.log(f"unit: {unit_path}: ExecStart={exec_start}")

    analyze = shutil.which("systemd-analyze")
    if not analyze:
        W.log("unit: systemd-analyze is not installed: `systemd-analyze verify` skipped")
        return
    # verify wants the ExecStart binary where the unit says: point it into
    # the scratch root; the rest of the unit is checked as installed.
    scratch = os.path.join(os.path.dirname(dest), "verify")
    os.makedirs(scratch, exist_ok=True)
    copy = os.path.join(scratch, os.path.basename(unit_path))
    with open(copy, "w", encoding="utf-8") as f:
        f.write(text.replace(f"ExecStart={binary_path} ", f"ExecStart={binary} "))
    result = subprocess.run([analyze, "verify", "--man=no", copy], capture_output=True,
                            text=True, timeout=60, cwd=scratch)
    W.check(result.returncode == 0 and not result.stderr.strip(),
            f"systemd-analyze verify {unit_path} (exit {result.returncode}):\n{result.stderr}")
    W.log("unit: systemd-analyze verify: no complaint")


def run(tmp):
    build = os.environ.get("WALL_BUILD_ROOT")
    if not build:
        raise W.Skip("WALL_BUILD_ROOT is not set (run through `meson test`)")
    dest = os.path.join(tmp, "root")
    files = meson_install(build, dest)

    binary_path = files.get(os.path.realpath(W.wall_bin())) or files.get(W.wall_bin())
    W.check(binary_path, f"the binary {W.wall_bin()} is not installed (install: true?)")
    binary = I.under(dest, binary_path)
    W.check(os.access(binary, os.X_OK), f"{binary} is not an executable file")
    W.log(f"binary: {binary_path}")

    share = os.path.dirname(installed_as(files, "/wall/examples/starter-2x2.cfg"))
    I.check_examples(binary, I.under(dest, share))
    I.check_demo_found(binary, I.under(dest, os.path.join(os.path.dirname(share), "assets")))
    locale = installed_as(files, "/es/LC_MESSAGES/wall.mo").rsplit("/es/", 1)[0]
    I.check_catalogue_found(binary, I.under(dest, locale))

    check_unit(dest, installed_as(files, "/wall.service"), binary_path, binary)

    sysusers = I.under(dest, installed_as(files, "/sysusers.d/wall.conf"))
    with open(sysusers, encoding="utf-8") as f:
        W.check(re.search(r"^u wall ", f.read(), re.M), f"{sysusers} makes no user wall")
    kiosk = I.under(dest, installed_as(files, "/wall-kiosk"))
    W.check(os.access(kiosk, os.X_OK), f"{kiosk} is not executable")
    with open(kiosk, encoding="utf-8") as f:
        W.check(f"wall={binary_path}\n" in f.read(), f"{kiosk} does not run {binary_path}")
    desktop = I.under(dest, installed_as(files, "/xsessions/wall-kiosk.desktop"))
    with open(desktop, encoding="utf-8") as f:
        W.check("Exec=" + installed_as(files, "/wall-kiosk") in f.read(),
                f"{desktop} does not start the installed wall-kiosk")

    program = os.path.basename(binary_path)
    I.check_man_page(I.under(dest, installed_as(files, f"/man1/{program}.1")),
                     ["NAME", "SYNOPSIS", "OPTIONS", "--config", "CONTROL SOCKET", "SIGNALS",
                      "SYSTEMD", "FILES", "EXIT STATUS", "SEE ALSO"])
    I.check_man_page(I.under(dest, installed_as(files, "/man5/wall-layout.5")),
                     ["NAME", "CHECKING A FILE", "MESSAGES"])


if __name__ == "__main__":
    W.main(run)

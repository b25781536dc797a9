"""Checks shared by test_install.py and test_package.py: what an installed
wall must have, wherever it was installed (a --destdir, an unpacked .deb).

Paths are given as (root, path): `root` the scratch folder the files were
put in, `path` where they would be on the machine (/usr/bin/wall).
"""

import os
import shutil
import subprocess
import tempfile

import walltest as W

EXAMPLES = ("c5-cancun.cfg", "c5-credentials.cfg", "c5-registry.cfg", "c5-stations.cfg",
            "starter-2x2.cfg", "gen-registry.py")
CHECKED_EXAMPLES = ("c5-cancun.cfg", "c5-stations.cfg", "starter-2x2.cfg")


def under(root, path):
    return os.path.join(root, path.lstrip("/"))


def clean_env():
    """The environment of a program run as installed: no test overrides."""
    env = dict(os.environ)
    for name in ("LD_LIBRARY_PATH", "LD_PRELOAD", "WALL_ASSETS_DIR", "WALL_FONT"):
        env.pop(name, None)
    return env


def run(argv, timeout, env=None):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                          env=env if env is not None else clean_env())


def check_examples(binary, examples_dir):
    """Every example is there, and the binary finds the ones it checks valid."""
    for name in EXAMPLES:
        path = os.path.join(examples_dir, name)
        W.check(os.path.isfile(path), f"example {name} is not installed in {examples_dir}")
    W.check(os.access(os.path.join(examples_dir, "gen-registry.py"), os.X_OK),
            "gen-registry.py is installed without its execute bit")
    with open(os.path.join(examples_dir, "wall-alerts.yml"), encoding="utf-8") as f:
        W.check("wall_camera_state" in f.read(), "wall-alerts.yml is not the alert rules")
    for name in CHECKED_EXAMPLES:
        path = os.path.join(examples_dir, name)
        result = run([binary, "--check", path], timeout=60)
        W.check(result.returncode == 0,
                f"the installed {binary} --check {path} exited {result.returncode}:\n"
                f"{result.stderr}")
        W.log(f"installed binary: --check {name}: valid")


def check_catalogue_found(binary, locale_dir):
    """The installed binary speaks Spanish from the installed catalogue: a
    catalogue put in its place, whose "warning: " reads "INSTALLED: ", is
    the one --check uses under LANG=es_MX.UTF-8. The real one is put back
    afterwards."""
    mo = os.path.join(locale_dir, "es", "LC_MESSAGES", "wall.mo")
    W.check(os.path.isfile(mo), f"the Spanish catalogue is not installed: no {mo}")
    scratch = tempfile.mkdtemp(prefix="wall-catalogue-")
    layout = os.path.join(scratch, "unknown-setting.cfg")
    with open(layout, "w", encoding="utf-8") as f:
        f.write('output = { width = 640; height = 360; };\ngrid = { rows = 1; columns = 1; };\n'
                'cameras = ( { number = 1; name = "Uno"; url = "x.mp4"; } );\nshade = 1;\n')
    po = os.path.join(scratch, "marked.po")
    with open(po, "w", encoding="utf-8") as f:
        f.write('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                'msgid "warning: "\nmsgstr "INSTALLED: "\n')
    saved = mo + ".saved"
    shutil.copy2(mo, saved)
    env = dict(clean_env(), LANG="es_MX.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "WALL_LOCALE_DIR"):
        env.pop(name, None)
    try:
        os.chmod(mo, 0o644)
        subprocess.run(["msgfmt", "-o", mo, po], check=True)
        marked = run([binary, "--check", layout], timeout=60, env=env)
    finally:
        os.replace(saved, mo)
    W.check(f"{layout}:4: INSTALLED: " in marked.stderr,
            f"{binary} under LANG=es_MX.UTF-8 did not use the installed catalogue {mo}:\n"
            f"{marked.stderr}")
    spanish = run([binary, "--check", layout], timeout=60, env=env)
    W.check(f"{layout}:4: aviso: " in spanish.stderr,
            f"{binary} under LANG=es_MX.UTF-8 does not speak Spanish:\n{spanish.stderr}")
    shutil.rmtree(scratch)
    W.log(f"installed binary: Spanish from {mo}")


def check_demo_found(binary, assets_dir):
    """The installed binary takes the built-in demo from the installed
    assets, not from the source tree: a demo.cfg broken there is the one it
    reports. The real one is put back afterwards."""
    demo = os.path.join(assets_dir, "demo.cfg")
    W.check(os.path.isfile(demo), f"the built-in demo is not installed: no {demo}")
    W.check(os.path.isdir(os.path.join(assets_dir, "clips")),
            f"the demo's clips are not installed in {assets_dir}/clips")
    W.check(len(os.listdir(os.path.join(assets_dir, "clips"))) == 16,
            f"{assets_dir}/clips does not hold the demo's 16 clips")
    saved = demo + ".saved"
    shutil.copy2(demo, saved)
    try:
        os.chmod(demo, 0o644)
        with open(demo, "w", encoding="utf-8") as f:
            f.write("# broken on purpose by the test\ngrid = { rows = ; };\n")
        result = run([binary, "--headless", "--frames", "1"], timeout=60)
    finally:
        os.replace(saved, demo)
    W.check(result.returncode == 1,
            f"{binary} with a broken installed demo exited {result.returncode}, expected 1:\n"
            f"{result.stderr}")
    named = [line.split(":", 1)[0] for line in result.stderr.splitlines() if ".cfg:" in line]
    W.check(named and os.path.realpath(named[0]) == os.path.realpath(demo),
            f"{binary} did not load the installed demo {demo}; it reported:\n{result.stderr}")
    W.log(f"installed binary: the built-in demo is {os.path.realpath(named[0])}")


def check_man_page(path, must_contain):
    """The page renders without a warning and holds the given headings."""
    W.check(os.path.isfile(path), f"man page {path} is not installed")
    man = shutil.which("man")
    if man:
        env = dict(clean_env(), MANWIDTH="80", LC_ALL="C.UTF-8", MAN_DISABLE_SECCOMP="1")
        result = run([man, "--warnings", "-l", path], timeout=60, env=env)
    else:
        groff = W.require_tool("groff")
        if path.endswith(".gz"):
            raise W.Skip(f"neither man nor a way to read {path}")
        result = run([groff, "-man", "-ww", "-z", "-Tutf8", path], timeout=60)
    W.check(result.returncode == 0 and not result.stderr.strip(),
            f"{path} does not render cleanly (exit {result.returncode}):\n{result.stderr}")
    for text in must_contain:
        W.check(text in result.stdout, f"{path} rendered without {text!r}")
    W.log(f"man page {os.path.basename(path)}: renders without warnings")

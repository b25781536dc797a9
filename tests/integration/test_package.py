#!/usr/bin/python3
"""The Debian package builds from a clean tree and holds a working wall.

Copies the source tree (the files git knows, committed or not, ignored
ones left out: what a clean clone plus the work in progress holds) to a
scratch folder, runs `dpkg-buildpackage -us -uc -b` there (the .deb lands
beside it, not in the source tree), then checks the package:

- `dpkg-deb -I`: Depends from the shared libraries (libsdl2, libavcodec,
  libconfig...) and fonts-dejavu-core, nothing left unsubstituted;
- the maintainer scripts make the wall user (systemd-sysusers, adduser
  otherwise) and enable the unit;
- unpacked with `dpkg-deb -x` into a scratch root: the command
  /usr/bin/videowall (not /usr/bin/wall, which bsdutils owns), the unit in
  /lib/systemd/system running it, the sysusers.d file, the man pages
  gzipped in /usr/share/man and rendering without warnings, the examples
  and the demo's assets in /usr/share/wall, the kiosk session;
- the unpacked binary links only system libraries (ldd, LD_LIBRARY_PATH
  unset), checks the unpacked examples valid, and loads its built-in demo
  from the unpacked assets.

Skipped (77) when dpkg-buildpackage is not installed, or when the source is
no git work tree (tools/mutants.py's scratch copies). Slow: a full
compile (about a minute on two cores).
"""

import glob
import os
import re
import shutil
import subprocess

import installed as I
import walltest as W

PROGRAM = "videowall"  # debian/rules: -Dprogram_name=videowall


def copy_tree(source, dest):
    inside = subprocess.run(["git", "-C", source, "rev-parse", "--is-inside-work-tree"],
                            capture_output=True, timeout=60)
    if inside.returncode != 0:
        # tools/mutants.py's scratch copies are no git checkouts: which files
        # make the package is git's to say, so there is nothing to build from.
        raise W.Skip(f"{source} is not a git work tree: no package to build from it")
    result = subprocess.run(["git", "-C", source, "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], capture_output=True, timeout=60)
    W.check(result.returncode == 0, f"git ls-files in {source} failed:\n"
            f"{result.stderr.decode(errors='replace')}")
    count = 0
    for name in result.stdout.decode().split("\0"):
        src = os.path.join(source, name)
        if not name or not os.path.lexists(src) or os.path.isdir(src):
            continue  # deleted in the work tree, or a submodule
        target = os.path.join(dest, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(src, target, follow_symlinks=False)
        count += 1
    W.log(f"copied {count} files of {source} to {dest}")


def build_package(tmp):
    src = os.path.join(tmp, "wall")
    copy_tree(W.source_root(), src)
    log_path = os.path.join(tmp, "dpkg-buildpackage.log")
    env = dict(I.clean_env(), DEB_BUILD_OPTIONS=f"nocheck parallel={os.cpu_count() or 1}")
    for name in ("MESON_TESTTHREADS", "WALLTEST_DRAW"):
        env.pop(name, None)
    with open(log_path, "w", encoding="utf-8") as log:
        result = subprocess.run(["dpkg-buildpackage", "-us", "-uc", "-b"], cwd=src, env=env,
                                stdout=log, stderr=subprocess.STDOUT, timeout=1500)
    if result.returncode != 0:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            tail = f.read()[-6000:]
        raise W.Failure(f"dpkg-buildpackage failed ({result.returncode}); the end of its log:\n"
                        f"{tail}")
    debs = [d for d in glob.glob(os.path.join(tmp, "wall_*.deb"))]
    W.check(len(debs) == 1, f"expected one wall_*.deb beside the tree, got {debs}")
    W.check(not glob.glob(os.path.join(src, "*.deb")), "a .deb landed inside the source tree")
    W.log(f"built {os.path.basename(debs[0])}")
    return debs[0]


def check_control(deb, tmp):
    info = subprocess.run(["dpkg-deb", "-I", deb], capture_output=True, text=True, timeout=60)
    W.check(info.returncode == 0, f"dpkg-deb -I {deb}: {info.stderr}")
    m = re.search(r"^ Depends: (.*)$", info.stdout, re.M)
    W.check(m, f"{deb} has no Depends:\n{info.stdout}")
    depends = m.group(1)
    W.check("${" not in depends, f"unsubstituted Depends: {depends}")
    for lib in ("libc6", "libsdl2-2.0-0", "libavcodec", "libavformat", "libconfig",
                "libmosquitto", "fonts-dejavu-core"):
        W.check(lib in depends, f"Depends lacks {lib}: {depends}")
    W.log(f"Depends: {depends}")
    control = os.path.join(tmp, "control")
    subprocess.run(["dpkg-deb", "-e", deb, control], check=True, timeout=60)
    with open(os.path.join(control, "postinst"), encoding="utf-8") as f:
        postinst = f.read()
    W.check("systemd-sysusers wall.conf" in postinst and "adduser --system" in postinst,
            "postinst does not make the wall user")
    W.check("deb-systemd-helper" in postinst, "postinst does not enable wall.service")


def run(tmp):
    W.require_tool("dpkg-buildpackage")
    W.require_tool("dpkg-deb")
    W.require_tool("git")
    deb = build_package(tmp)
    check_control(deb, tmp)

    root = os.path.join(tmp, "root")
    subprocess.run(["dpkg-deb", "-x", deb, root], check=True, timeout=120)
    binary = I.under(root, f"/usr/bin/{PROGRAM}")
    W.check(os.access(binary, os.X_OK), f"the package has no /usr/bin/{PROGRAM}")
    W.check(not os.path.lexists(I.under(root, "/usr/bin/wall")),
            "the package installs /usr/bin/wall, which bsdutils owns: dpkg would refuse it")
    W.check(not os.path.lexists(I.under(root, "/usr/share/man/man1/wall.1.gz")),
            "the package installs wall(1), which bsdutils owns")

    ldd = I.run(["ldd", binary], timeout=60)
    W.check(ldd.returncode == 0 and "not found" not in ldd.stdout,
            f"ldd {binary}:\n{ldd.stdout}{ldd.stderr}")
    W.check(not re.search(rf"=> {re.escape(tmp)}|=> /work", ldd.stdout),
            f"{binary} links libraries outside the system:\n{ldd.stdout}")

    unit = I.under(root, "/lib/systemd/system/wall.service")
    W.check(os.path.isfile(unit), "the package has no /lib/systemd/system/wall.service")
    with open(unit, encoding="utf-8") as f:
        text = f.read()
    W.check(re.search(r"^Type=notify$", text, re.M) and re.search(r"^WatchdogSec=", text, re.M),
            "wall.service is not Type=notify with a watchdog")
    W.check(re.search(rf"^ExecStart=/usr/bin/{PROGRAM} --config /etc/wall/wall.cfg ", text,
                      re.M), "wall.service does not run /usr/bin/videowall on /etc/wall/wall.cfg")
    W.check(os.path.isfile(I.under(root, "/usr/lib/sysusers.d/wall.conf")),
            "the package has no /usr/lib/sysusers.d/wall.conf")
    for path in ("/usr/bin/wall-kiosk", "/usr/share/xsessions/wall-kiosk.desktop"):
        W.check(os.path.isfile(I.under(root, path)), f"the package has no {path}")

    I.check_man_page(I.under(root, f"/usr/share/man/man1/{PROGRAM}.1.gz"),
                     ["NAME", "OPTIONS", "--config", "SYSTEMD", "EXIT STATUS"])
    I.check_man_page(I.under(root, "/usr/share/man/man5/wall-layout.5.gz"),
                     ["CHECKING A FILE", "MESSAGES"])

    I.check_examples(binary, I.under(root, "/usr/share/wall/examples"))
    I.check_demo_found(binary, I.under(root, "/usr/share/wall/assets"))
    I.check_catalogue_found(binary, I.under(root, "/usr/share/locale"))


if __name__ == "__main__":
    W.main(run)

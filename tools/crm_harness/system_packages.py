"""Programs from the system's packages that the tests need (not pip's)."""

import glob
import os
import shutil
import subprocess

from . import HarnessError

# Odoo's browser_js looks for these names and silently skips tours without one.
BROWSERS = ("google-chrome", "chromium", "chromium-browser")


def _apt_install(package):
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for args in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package],
    ):
        if subprocess.run(
            args, env=env, check=False, stdout=subprocess.DEVNULL
        ).returncode:
            return False
    return True


def ensure_program(program, package, why):
    """A program from Debian's packages: found, or installed, or a clear error."""
    if shutil.which(program):
        return
    print(f"crm: installing {package} ({why}) ...", flush=True)
    if not _apt_install(package) or not shutil.which(program):
        raise HarnessError(
            f"{why} need {program} and it could not be installed; install it "
            f"(sudo apt-get install {package}) and run ./crm test again."
        )


def ensure_file(patterns, package, why):
    """A file from Debian's packages that is no program (a plugin, a module):
    found at one of the glob ``patterns``, or installed, or a clear error."""

    def found():
        return any(glob.glob(pattern) for pattern in patterns)

    if found():
        return
    print(f"crm: installing {package} ({why}) ...", flush=True)
    if not _apt_install(package) or not found():
        raise HarnessError(
            f"{why} need {patterns[0]} and it could not be installed; install it "
            f"(sudo apt-get install {package}) and run ./crm test again."
        )


def ensure_browser():
    """A Chromium for the tours: found, or installed from Debian's packages."""
    if any(shutil.which(name) for name in BROWSERS):
        return
    print("crm: installing Chromium for the browser tests ...", flush=True)
    if not _apt_install("chromium") or not any(shutil.which(n) for n in BROWSERS):
        raise HarnessError(
            "the browser tests need Chromium and it could not be installed; "
            "install it (sudo apt-get install chromium) and run ./crm test again."
        )

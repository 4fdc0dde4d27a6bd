"""The Raspberry Pi installer in tests: the scripts it writes, and player releases to give it.

`install.sh` carries every script it installs in itself (it must work piped into bash),
each as `put PATH MODE OWNER <<'EOF' … EOF`; `embedded_scripts` reads them out of it as
the installer would write them, to lint and to run them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
INSTALLER = REPOSITORY / "deploy" / "raspberrypi" / "install.sh"
_EMBEDDED = re.compile(r"^put (\S+) (\d+) (\S+) <<'EOF'\n(.*?)^EOF$", re.MULTILINE | re.DOTALL)
_PATH_VARIABLES = {"$LIB": "/usr/local/lib/anslag", "$SBIN": "/usr/local/sbin"}


def embedded_files() -> dict[str, str]:
    """Every file install.sh writes verbatim, by the path it is installed at."""
    files = {}
    for match in _EMBEDDED.finditer(INSTALLER.read_text()):
        path = match.group(1).strip('"')
        for variable, value in _PATH_VARIABLES.items():
            path = path.replace(variable, value)
        files[path] = match.group(4)
    return files


def embedded_scripts() -> dict[str, str]:
    """The scripts among them (a #! first line), by the path each is installed at."""
    return {path: text for path, text in embedded_files().items() if text.startswith("#!")}


def write_script(directory: Path, installed_at: str) -> Path:
    """The script install.sh puts at `installed_at`, written into `directory`, executable."""
    script = directory / Path(installed_at).name
    script.write_text(embedded_scripts()[installed_at])
    script.chmod(0o755)
    return script


def installer_packages() -> list[str]:
    """The Debian packages install.sh installs, as it says itself."""
    said = subprocess.run(
        ["bash", str(INSTALLER), "--print-packages"], capture_output=True, text=True, check=True
    )
    return said.stdout.split()


def build_release(
    out_dir: Path,
    work_dir: Path,
    *,
    version: str,
    change: Callable[[Path], None] | None = None,
) -> Path:
    """The player's wheel as `make release` builds it, from this checkout as it is now, with
    `version` and whatever `change` does to the copied source; returns the wheel's path."""
    source = work_dir / f"source-{version}"
    listed = (
        subprocess.run(
            [
                "git",
                "-C",
                str(REPOSITORY),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        if not (REPOSITORY / name).is_file():
            continue
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPOSITORY / name, target)
    pyproject = source / "pyproject.toml"
    pyproject.write_text(
        re.sub(r'(?m)^version = "[^"]*"$', f'version = "{version}"', pyproject.read_text())
    )
    if change is not None:
        change(source)
    uv = Path(sys.executable).with_name("uv")
    subprocess.run(
        [str(uv), "build", "--quiet", "--wheel", "--out-dir", str(out_dir), str(source)],
        check=True,
    )
    return out_dir / f"anslag-{version}-py3-none-any.whl"

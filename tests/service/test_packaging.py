"""The wheel the Docker image installs carries everything the service needs at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_carries_the_migrations_and_the_three_packages(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "service/migrations/env.py" in names
    assert "service/migrations/script.py.mako" in names
    assert any(n.startswith("service/migrations/versions/0001") for n in names)
    assert "matching/records.py" in names
    assert "transliteration/__init__.py" in names
    assert any(n.endswith("entry_points.txt") for n in names)

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def reform_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run `python -m reform ...` from the repository root, as a user would."""
    proc = subprocess.run([sys.executable, "-m", "reform", *args], cwd=ROOT, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"reform {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def small_db(tmp_path_factory) -> pathlib.Path:
    """The generated sample at scale 0.01 (about 60 thousand dossiers), built once per test run."""
    path = tmp_path_factory.mktemp("small") / "small.duckdb"
    reform_cli("generate", "--db", str(path), "--scale", "0.01", "--seed", "7")
    return path

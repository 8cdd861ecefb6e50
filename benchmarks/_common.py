"""Shared helpers of the benchmark scripts: machine description, results files, Markdown rows."""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def git_commit() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True, text=True).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine_info() -> dict:
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
    }


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def markdown_row(cells: list[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def pin_prefix(core: int | None) -> list[str]:
    """``taskset -c CORE`` when a core is asked for and taskset exists (Linux)."""
    if core is None:
        return []
    if shutil.which("taskset") is None:
        print("warning: taskset not found; not pinning", file=sys.stderr)
        return []
    return ["taskset", "-c", str(core)]


def vigil_command() -> list[str]:
    """The ``vigil`` console script next to this interpreter, else ``python -m vigil.cli.main``."""
    exe = Path(sys.executable).with_name("vigil")
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("vigil")
    return [found] if found else [sys.executable, "-m", "vigil.cli.main"]


def run_child(argv: list[str], stdin_path: Path | None, stdout_path: Path | None, env: dict | None = None) -> tuple[int, float, int]:
    """Run a child; return (exit code, wall seconds, peak RSS in bytes of that very child, via wait4)."""
    import time

    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    stdout = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    try:
        began = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=stdin, stdout=stdout, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        for handle in (stdin, stdout):
            if hasattr(handle, "close"):
                handle.close()
    return proc.returncode, elapsed, usage.ru_maxrss * 1024  # Linux: ru_maxrss in KiB


def take(corpus: Path, limit: int | None, out: Path) -> tuple[Path, int, int]:
    """The first ``limit`` lines of the corpus (all when None) in ``out``; returns (path, docs, words)."""
    docs = words = 0
    with corpus.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            if not line.strip():
                continue
            if limit is not None and docs >= limit:
                break
            dst.write(line)
            docs += 1
            words += len(json.loads(line)["text"].split())
    return out, docs, words

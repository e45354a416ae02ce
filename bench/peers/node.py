"""The Node peer (bench/peers/ocpp_rpc_csms.js, on ocpp-rpc): installs it with
``npm ci`` when bench/peers/node_modules is missing or does not match
package-lock.json, and builds the command that starts it.

Run alone it only installs: ``.venv/bin/python bench/peers/node.py``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

PEERS = Path(__file__).resolve().parent
SCRIPT = PEERS / "ocpp_rpc_csms.js"
#: util.parseArgs came in Node 18.3; ocpp-rpc itself wants 17.3.
NODE_AT_LEAST = (18, 3)
INSTALL_TIMEOUT = 600


def _locked(lockfile: Path) -> dict[str, tuple[str, str]]:
    """The packages a lockfile pins: path -> (version, integrity)."""
    try:
        packages = json.loads(lockfile.read_text())["packages"]
    except (OSError, ValueError, KeyError):
        return {}
    return {
        path: (entry.get("version", ""), entry.get("integrity", ""))
        for path, entry in packages.items()
        if path  # "" is the project itself
    }


def installed() -> bool:
    """node_modules holds what package-lock.json pins: npm writes the hidden
    lockfile node_modules/.package-lock.json for what it installed."""
    wanted = _locked(PEERS / "package-lock.json")
    return bool(wanted) and _locked(PEERS / "node_modules" / ".package-lock.json") == wanted


def _node_version(node: str) -> tuple[int, ...]:
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30)
    return tuple(int(part) for part in out.stdout.strip().lstrip("v").split(".")[:2])


def ensure_installed() -> None:
    """``npm ci`` in bench/peers unless node_modules is already what the
    lockfile pins.  Exits with a message if node or npm is missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        sys.exit(
            "the ocpp-rpc peer needs Node.js >= 18.3 and npm on PATH "
            f"(node: {node or 'missing'}, npm: {npm or 'missing'}); "
            "install them, or leave the ocpp-rpc peer out"
        )
    if _node_version(node) < NODE_AT_LEAST:
        sys.exit(f"the ocpp-rpc peer needs Node.js >= 18.3; {node} is older")
    if installed():
        return
    print("ocpp-rpc peer: npm ci in bench/peers (node_modules missing or stale)", file=sys.stderr)
    try:
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=PEERS,
            stdout=sys.stderr,
            timeout=INSTALL_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        sys.exit(f"npm ci in {PEERS} took more than {INSTALL_TIMEOUT} s")
    if done.returncode != 0 or not installed():
        sys.exit(f"npm ci in {PEERS} failed ({done.returncode}); see npm's output above")


def command(*, ping_interval: float = 30) -> list[str]:
    """Install the peer if need be; the command that starts it, to which the
    caller adds ``--port PORT`` (it listens on 127.0.0.1 unless ``--host``
    says otherwise).  ``ping_interval`` in seconds: 0 sends no pings, 30 is
    ocpp-rpc's default."""
    ensure_installed()
    node = shutil.which("node")
    assert node is not None  # ensure_installed checked
    return [node, str(SCRIPT), "--ping-interval", f"{ping_interval:g}"]


if __name__ == "__main__":
    ensure_installed()
    print(f"ocpp-rpc peer installed in {PEERS / 'node_modules'}")

"""The command line of ``chargebus simulate``: its flags, their checks, the
signals (SIGTERM ends the run early with its summary, SIGUSR1 starts the
measurement again), and the summary printed at the end.  Exits 0 when every
charger booted and none stopped on an error of the simulator's own.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from collections.abc import Sequence

from chargebus.cli.simulate.fleet import Simulation
from chargebus.cli.simulate.options import SCENARIOS, Options
from chargebus.cli.simulate.stats import Stats
from chargebus.common.ocpp.versions import OcppVersion
from chargebus.common.wiring import run_loop

__all__ = ["main", "parser"]

#: ``--protocols`` names a version without its ``ocpp`` prefix: 1.6, 2.0.1, 2.1.
VERSIONS = {version.value.removeprefix("ocpp"): version for version in OcppVersion}


def _mix(text: str) -> list[tuple[OcppVersion, float]]:
    mix: list[tuple[OcppVersion, float]] = []
    for part in text.split(","):
        name, _, weight = part.strip().partition("=")
        if name not in VERSIONS:
            raise argparse.ArgumentTypeError(f"unknown version {name!r}: 1.6, 2.0.1 or 2.1")
        share = float(weight or 1)
        if share <= 0:
            raise argparse.ArgumentTypeError(f"{name}: a share above 0")
        mix.append((VERSIONS[name], share))
    return mix


def _span(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="chargebus simulate", description="A fleet of virtual chargers."
    )
    p.add_argument("url", help="the CSMS's OCPP URL, up to the charger id (ws://host:9000/ocpp/)")
    p.add_argument("--count", type=int, default=100)
    p.add_argument(
        "--protocols", type=_mix, default=_mix("1.6"), help="mix, e.g. 1.6=60,2.0.1=30,2.1=10"
    )
    p.add_argument("--prefix", default="SIM-", help="charger ids: PREFIX0001, ...")
    p.add_argument(
        "--ramp", type=float, default=100.0, help="connections per second (0: all at once)"
    )
    p.add_argument("--source", action="append", default=[], help="local address; repeat for more")
    p.add_argument("--scenario", choices=SCENARIOS, default="idle")
    p.add_argument("--duration", type=float, default=60.0, help="seconds after the ramp")
    p.add_argument("--heartbeat", type=float, help="heartbeat interval (default: the CSMS's)")
    p.add_argument("--meter-interval", type=float, default=60.0)
    p.add_argument("--session-length", type=float, default=600.0)
    p.add_argument("--connectors", type=int, default=1)
    p.add_argument("--id-token", default="SIMTOKEN")
    p.add_argument(
        "--password",
        help="HTTP Basic password (security profiles 1, 2); {id} is replaced by the charger's id",
    )
    p.add_argument(
        "--drop-rate", type=float, default=0.2, help="chaos: drops per charger per minute"
    )
    p.add_argument(
        "--offline-for",
        type=_span,
        default=(1.0, 10.0),
        help="chaos: seconds a dropped charger stays away, MIN-MAX",
    )
    p.add_argument(
        "--reconnect-spread",
        type=float,
        help="after the CSMS closes a connection, reconnect within this many seconds "
        "(0: at once; default: back off from 1 s)",
    )
    p.add_argument(
        "--boot-on-reconnect",
        action="store_true",
        help="send a BootNotification on every reconnection, not only the first",
    )
    p.add_argument(
        "--stall",
        type=float,
        default=0.0,
        help="share of chargers that stop reading their socket once booted (0-1)",
    )
    p.add_argument(
        "--stall-rate",
        type=float,
        default=10.0,
        help="Heartbeats a second each stalled charger keeps sending (0: as fast as it can)",
    )
    p.add_argument("--status-file", help="keep a JSON status of the run in this file")
    p.add_argument("--status-interval", type=float, default=0.5)
    p.add_argument("--json", dest="json_file", help="write the summary as JSON to this file")
    p.add_argument("--seed", type=int)
    p.add_argument("--no-progress", action="store_true")
    return p


async def _with_signals(simulation: Simulation) -> Stats:
    """SIGTERM ends the run early (with its summary); SIGUSR1 starts the
    measurement again from that moment (after a ramp, say)."""
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError):
        loop.add_signal_handler(signal.SIGTERM, simulation.finish.set)
        loop.add_signal_handler(signal.SIGUSR1, simulation.reset)
    return await simulation.run()


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    options = Options(
        url=args.url,
        count=args.count,
        mix=args.protocols,
        prefix=args.prefix,
        ramp=args.ramp,
        sources=args.source,
        scenario=args.scenario,
        duration=args.duration,
        heartbeat=args.heartbeat,
        meter_interval=args.meter_interval,
        session_length=args.session_length,
        connectors=args.connectors,
        id_token=args.id_token,
        password=args.password,
        drop_rate=args.drop_rate,
        offline_for=args.offline_for,
        seed=args.seed,
        progress=not args.no_progress,
        reconnect_spread=args.reconnect_spread,
        boot_on_reconnect=args.boot_on_reconnect,
        stall=args.stall,
        stall_rate=args.stall_rate,
        status_file=args.status_file,
        status_interval=args.status_interval,
        json_file=args.json_file,
    )
    if not 0 <= options.stall <= 1:
        parser().error("--stall: a share between 0 and 1")
    if len(options.id_token) > 20:
        parser().error("--id-token: at most 20 characters (the 1.6 idTag limit)")
    if len(options.prefix) + len(str(options.count)) > 20:
        parser().error("--prefix: charger ids must stay within 20 characters (1.6)")
    if not options.url.startswith(("ws://", "wss://")):
        parser().error("url: ws://HOST:PORT/PATH/ or wss://...")
    simulation = Simulation(options)
    stats = run_loop(_with_signals(simulation))  # uvloop: a cheaper load
    print(stats.summary(options.count, simulation.elapsed))
    return 0 if len(stats.booted) == options.count and not stats.crashed else 1

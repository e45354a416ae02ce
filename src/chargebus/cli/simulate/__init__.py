"""``chargebus simulate``: a fleet of virtual chargers against any OCPP endpoint.

Each charger is a task with one WebSocket and the OCPP core's sans-I/O
session in the charger role, so what it sends is checked against the
official schemas before it leaves, and what the CSMS answers is checked on
the way in (an invalid answer is counted, not believed).  It ends with a
summary: connected, booted, messages and p50/p99 latency by action,
CALLERRORs by code, invalid answers, time-outs and reconnects.

The modules, each importing only those above it:

* ``options``: what the fleet is asked to do;
* ``stats``: counters, latencies, percentiles, the summary (pure);
* ``link``: one charger's socket and session, CALLs and answers, reconnects;
* ``charger``: what a charger does, per version and scenario;
* ``progress``: the progress line and the status file;
* ``fleet``: the chargers, the ramp, the run and its wind-down;
* ``command``: the flags, the signals, the exit status.
"""

from chargebus.cli.simulate.charger import Charger
from chargebus.cli.simulate.command import main, parser
from chargebus.cli.simulate.fleet import Simulation
from chargebus.cli.simulate.link import CallFailed, Link, basic_auth
from chargebus.cli.simulate.options import Options
from chargebus.cli.simulate.stats import Stats

__all__ = [
    "CallFailed",
    "Charger",
    "Link",
    "Options",
    "Simulation",
    "Stats",
    "basic_auth",
    "main",
    "parser",
]

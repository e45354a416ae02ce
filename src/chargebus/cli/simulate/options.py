"""What a simulated fleet is asked to do: the options of ``chargebus simulate``
as one value, shared by the fleet, its chargers and the command line.

The defaults are the command line's; the command line checks the ranges
(a charger id within 20 characters, ``stall`` between 0 and 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chargebus.common.ocpp.versions import OcppVersion

__all__ = ["SCENARIOS", "Options"]

SCENARIOS = ("idle", "charging", "remote", "storm", "chaos")


@dataclass(kw_only=True)
class Options:
    url: str
    count: int = 100
    #: Protocol mix: (version, weight).
    mix: list[tuple[OcppVersion, float]] = field(default_factory=lambda: [(OcppVersion.V16, 1.0)])
    prefix: str = "SIM-"
    #: Connections opened per second while ramping up (0: all at once).
    ramp: float = 100.0
    #: Local addresses to connect from, round-robin (more 127.0.0.x than one
    #: pass the ephemeral port range of one address).
    sources: list[str] = field(default_factory=list)
    scenario: str = "idle"
    #: Seconds to run after the last charger started (the ramp not counted).
    duration: float = 60.0
    #: Heartbeat interval (s); None: what the CSMS says at boot.
    heartbeat: float | None = None
    meter_interval: float = 60.0
    session_length: float = 600.0
    connectors: int = 1
    id_token: str = "SIMTOKEN"
    #: HTTP Basic password (security profiles 1 and 2), ``{id}`` replaced
    #: by each charger's id; None: no Authorization header.
    password: str | None = None
    call_timeout: float = 30.0
    #: Chaos: the chance a charger drops its connection per minute, and how
    #: long it stays away (s).
    drop_rate: float = 0.2
    offline_for: tuple[float, float] = (1.0, 10.0)
    seed: int | None = None
    progress: bool = True
    #: After the CSMS closes a connection (not chaos): reconnect after a
    #: random wait of up to this many seconds (0: at once), and while
    #: refused try again every 0.5-1 s; None: back off from 1 s as a
    #: charger does.
    reconnect_spread: float | None = None
    #: Every reconnection starts with a BootNotification (as after a power
    #: cut that took the charger down too), not only the first.
    boot_on_reconnect: bool = False
    #: Back-pressure: this share of the chargers stops reading its socket
    #: once booted and keeps sending Heartbeats without waiting for answers,
    #: ``stall_rate`` a second each (0: as fast as the socket takes them).
    stall: float = 0.0
    stall_rate: float = 10.0
    #: Where to keep a JSON status (rewritten every ``status_interval`` s)
    #: and where to write the summary as JSON at the end.
    status_file: str | None = None
    status_interval: float = 0.5
    json_file: str | None = None

"""``python -m chargebus.commands``: the commands service alone, as it runs in a
deployment (see chargebus.common.wiring.service_main)."""

from chargebus.commands.main import serve_until_stopped
from chargebus.commands.settings import CommandsSettings
from chargebus.common.wiring import service_main

# A fan-out makes thousands of command documents that live until their
# outcomes: with CPython's young-collection threshold (700) the collector
# walked them again and again, 20 to 25% of the service's CPU in a 10,000-
# charger fan-out (bench/README.md, fanout.py). At 10,000 the young
# collections are a fourteenth as many, each at most a few milliseconds.
GC_THRESHOLD0 = 10_000

service_main("commands", CommandsSettings, serve_until_stopped, gc_threshold0=GC_THRESHOLD0)

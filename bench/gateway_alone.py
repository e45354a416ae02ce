"""``python -m chargebus.gateway`` in the embedded mode, for the saturation
benchmark: the same gateway, configured from the environment the same way,
on an in-memory broker whose queues take every message.

Run alone, the gateway has no sessions service consuming its queue, and the
in-memory broker refuses messages past 100,000 in a queue (the charger gets
InternalError); a saturation run queues more than that in seconds.  This
lifts the bound, as the benchmark needs, and nothing else: the messages stay
queued, as they did before queues were bounded.
"""

from __future__ import annotations

import logging
import os
import sys

from chargebus.common.bus.memory import MemoryBroker
from chargebus.common.settings import SettingsError, load_settings
from chargebus.gateway.main import run, serve_until_stopped
from chargebus.gateway.settings import GatewaySettings

logging.basicConfig(
    level=os.environ.get("CHARGEBUS_LOG_LEVEL", "INFO").upper(),
    format="%(asctime)s %(levelname)s %(name)s: %(message)s",
)
try:
    settings = load_settings(GatewaySettings, os.environ)
except SettingsError as exc:
    sys.exit(f"chargebus gateway: bad setting: {exc}")
if settings.amqp_url:
    sys.exit("bench/gateway_alone.py is for the embedded mode: unset CHARGEBUS_AMQP_URL")
run(serve_until_stopped(settings, MemoryBroker(max_queue_length=sys.maxsize)))

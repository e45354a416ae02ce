"""``python -m chargebus.gateway``: the gateway alone, configured from the
environment (``CHARGEBUS_*``), as it runs in a deployment."""

import logging
import os
import sys

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
run(serve_until_stopped(settings))

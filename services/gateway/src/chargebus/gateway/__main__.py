"""``python -m chargebus.gateway``: the gateway alone, configured from the
environment (``CHARGEBUS_*``), as it runs in a deployment; it logs as its
``log_level`` and ``log_format`` settings say (chargebus.common.logs)."""

import os
import sys

from chargebus.common import logs
from chargebus.common.settings import SettingsError, env_name, load_settings
from chargebus.gateway.main import run, serve_until_stopped
from chargebus.gateway.settings import GatewaySettings

try:
    settings = load_settings(GatewaySettings, os.environ)
except SettingsError as exc:
    sys.exit(f"chargebus gateway: bad setting: {exc}")
try:
    logs.configure(settings.log_level, settings.log_format)
except ValueError as exc:
    sys.exit(f"chargebus gateway: bad setting: {env_name('log_level')}: {exc}")
try:
    run(serve_until_stopped(settings))
except SettingsError as exc:  # found only when used: a TLS file, a port taken
    sys.exit(f"chargebus gateway: bad setting: {exc}")

"""``python -m chargebus.commands``: the commands service alone, configured
from the environment (``CHARGEBUS_*``), as it runs in a deployment."""

import asyncio
import logging
import os
import sys

from chargebus.commands.main import serve_until_stopped
from chargebus.commands.settings import CommandsSettings
from chargebus.common.settings import SettingsError, load_settings

logging.basicConfig(
    level=os.environ.get("CHARGEBUS_LOG_LEVEL", "INFO").upper(),
    format="%(asctime)s %(levelname)s %(name)s: %(message)s",
)
try:
    settings = load_settings(CommandsSettings, os.environ)
except SettingsError as exc:
    sys.exit(f"chargebus commands: bad setting: {exc}")
if not (settings.amqp_url and settings.redis_url):
    sys.exit(
        "chargebus commands: set CHARGEBUS_AMQP_URL and CHARGEBUS_REDIS_URL "
        "(`chargebus run` runs every service in one process without them)"
    )
asyncio.run(serve_until_stopped(settings))

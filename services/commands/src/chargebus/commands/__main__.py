"""``python -m chargebus.commands``: the commands service alone, as it runs in a
deployment (see chargebus.common.wiring.service_main)."""

from chargebus.commands.main import serve_until_stopped
from chargebus.commands.settings import CommandsSettings
from chargebus.common.wiring import service_main

service_main("commands", CommandsSettings, serve_until_stopped)

"""``python -m chargebus.sessions``: the sessions service alone, as it runs in a
deployment (see chargebus.common.wiring.service_main)."""

from chargebus.common.wiring import service_main
from chargebus.sessions.main import serve_until_stopped
from chargebus.sessions.settings import SessionsSettings

service_main("sessions", SessionsSettings, serve_until_stopped)

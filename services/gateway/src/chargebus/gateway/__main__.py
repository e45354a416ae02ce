"""``python -m chargebus.gateway``: the gateway alone, configured from the
environment (``CHARGEBUS_*``), as it runs in a deployment; without RabbitMQ
and Redis it runs on the in-memory adapters (the idle-capacity benchmark)."""

from chargebus.common.wiring import service_main
from chargebus.gateway.main import serve_until_stopped
from chargebus.gateway.settings import GatewaySettings

service_main("gateway", GatewaySettings, serve_until_stopped, alone_in_memory=True)

"""``python -m chargebus.billing``: the billing service alone, as it runs in a
deployment (see chargebus.common.wiring.service_main)."""

from chargebus.billing.main import serve_until_stopped
from chargebus.billing.settings import BillingSettings
from chargebus.common.wiring import service_main

service_main("billing", BillingSettings, serve_until_stopped)

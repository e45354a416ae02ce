"""chargebus billing service."""

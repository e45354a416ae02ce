"""chargebus gateway service."""

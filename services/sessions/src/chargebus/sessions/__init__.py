"""chargebus sessions service."""

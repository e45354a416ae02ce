"""chargebus commands service."""

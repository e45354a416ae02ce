"""chargebus shared contracts and infrastructure."""

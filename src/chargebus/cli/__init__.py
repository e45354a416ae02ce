"""The chargebus command line."""

"""OCPP 1.6: generated messages and the action table."""

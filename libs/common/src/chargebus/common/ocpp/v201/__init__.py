"""OCPP 2.0.1: generated messages and the action table."""

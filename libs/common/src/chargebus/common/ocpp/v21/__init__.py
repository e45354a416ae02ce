"""OCPP 2.1: generated messages and the action table."""

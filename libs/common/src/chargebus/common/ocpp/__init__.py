"""The OCPP-J core: frames, errors, typed messages and a sans-I/O session.

Nothing in this package does I/O or reads a clock: text goes in, events and
frames come out, and time is passed in by the caller.
"""

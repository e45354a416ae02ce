"""The sessions service's Prometheus metrics, in a registry of its own."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

__all__ = ["SessionsMetrics"]


class SessionsMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.messages = Counter(
            "chargebus_sessions_messages",
            "Charger messages handled, by version and action",
            ["version", "action"],
            registry=self.registry,
        )
        self.seconds = Histogram(
            "chargebus_sessions_handling_seconds",
            "Time from delivery to ack, by action",
            ["action"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
        )
        self.store_errors = Counter(
            "chargebus_sessions_store_errors",
            "Store operations that failed (each is retried or answered InternalError)",
            registry=self.registry,
        )
        self.events = Counter(
            "chargebus_sessions_events_published",
            "Domain events published, by type",
            ["type"],
            registry=self.registry,
        )
        self.security_events = Counter(
            "chargebus_sessions_charger_security_events",
            "SecurityEventNotifications chargers sent (each stored and logged)",
            registry=self.registry,
        )

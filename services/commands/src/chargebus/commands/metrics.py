"""The commands service's Prometheus metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

__all__ = ["CommandsMetrics"]


class CommandsMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.commands = Counter(
            "chargebus_commands",
            "Commands that reached a final state, by name and status",
            ["name", "status"],
            registry=self.registry,
        )
        self.seconds = Histogram(
            "chargebus_commands_answer_seconds",
            "From a command's arrival to the charger's answer",
            ["name"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )

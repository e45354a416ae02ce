"""The gateway's Prometheus metrics, on a registry of its own (several
gateways can share a process in tests and in the embedded mode)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

__all__ = ["GatewayMetrics"]

_LATENCY = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class GatewayMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.connected = Gauge(
            "chargebus_gateway_chargers_connected", "Chargers connected", ["protocol"], registry=r
        )
        # A series per protocol from the start: an autoscaler reading it sees
        # 0 on a new pod, not a missing metric.
        for protocol in ("ocpp1.6", "ocpp2.0.1", "ocpp2.1"):
            self.connected.labels(protocol)
        self.frames_in = Counter(
            "chargebus_gateway_frames_in",
            "CALLs and SENDs received",
            ["version", "action"],
            registry=r,
        )
        self.frames_out = Counter(
            "chargebus_gateway_frames_out",
            "CALLs sent to chargers",
            ["version", "action"],
            registry=r,
        )
        self.call_seconds = Histogram(
            "chargebus_gateway_call_seconds",
            "CALL round trip: inbound from receipt to answer, outbound from send to result",
            ["direction", "version", "action"],
            buckets=_LATENCY,
            registry=r,
        )
        self.errors_sent = Counter(
            "chargebus_gateway_callerrors_sent",
            "CALLERRORs sent to chargers",
            ["code"],
            registry=r,
        )
        self.publish_seconds = Histogram(
            "chargebus_gateway_bus_publish_seconds",
            "Bus publish until confirmed",
            ["kind"],
            buckets=_LATENCY,
            registry=r,
        )
        self.commands_in_flight = Gauge(
            "chargebus_gateway_commands_in_flight",
            "Commands sent or queued, not yet answered",
            registry=r,
        )
        # Fan-outs (envelope.CommandBatch): batches read, the commands in
        # them, and the outcomes published back in OutcomeBatch messages.
        self.command_batches = Counter(
            "chargebus_gateway_command_batches",
            "CommandBatch messages received",
            registry=r,
        )
        self.batched_commands = Counter(
            "chargebus_gateway_batched_commands",
            "Commands received in CommandBatch messages",
            registry=r,
        )
        self.batched_outcomes = Counter(
            "chargebus_gateway_batched_outcomes",
            "Command outcomes published in OutcomeBatch messages",
            registry=r,
        )
        self._inbound: dict[tuple[str, str], tuple[Counter, Histogram]] = {}
        self.publish_notification = self.publish_seconds.labels("notification")
        self.refused = Counter(
            "chargebus_gateway_connections_refused", "Upgrades refused", ["reason"], registry=r
        )
        # Per-connection limits (docs/configuration.md): a throttling episode
        # started (reason: rate, pending), and a socket closed for breaking a
        # limit (reason: flood, message_too_big, binary_frame).
        self.throttled = Counter(
            "chargebus_gateway_throttled",
            "Throttling episodes started: a charger's socket not read for a while",
            ["reason"],
            registry=r,
        )
        self.limit_closes = Counter(
            "chargebus_gateway_limit_closes",
            "Charger sockets closed for breaking a per-connection limit",
            ["reason"],
            registry=r,
        )
        for reason in ("rate", "pending"):
            self.throttled.labels(reason)
        for reason in ("flood", "message_too_big", "binary_frame"):
            self.limit_closes.labels(reason)

    def inbound(self, version: str, action: str) -> tuple[Counter, Histogram]:
        """The frames-in counter and inbound latency histogram of an action,
        looked up once (``labels()`` takes a lock and builds a key each call)."""
        key = (version, action)
        children = self._inbound.get(key)
        if children is None:
            children = self._inbound[key] = (
                self.frames_in.labels(version, action),
                self.call_seconds.labels("inbound", version, action),
            )
        return children

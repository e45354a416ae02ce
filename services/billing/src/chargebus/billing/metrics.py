"""The billing service's Prometheus metrics (served on /metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

__all__ = ["BillingMetrics"]


class BillingMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.cdrs = Counter(
            "chargebus_billing_cdrs",
            "CDRs made: first versions (new) and corrections (corrected)",
            ["kind"],
            registry=self.registry,
        )
        self.untariffed = Counter(
            "chargebus_billing_sessions_without_tariff",
            "Sessions that started with no tariff assigned (priced at zero)",
            registry=self.registry,
        )
        self.cost_updates = Counter(
            "chargebus_billing_cost_updates",
            "billing.cost_updated events published",
            registry=self.registry,
        )

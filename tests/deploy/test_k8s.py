"""The Kubernetes manifests under deploy/k8s, rendered by kubectl and checked.

The base and each overlay are rendered by the real Kustomize (``kubectl
kustomize``, what ``kubectl apply -k`` applies), and what comes out is checked:
every object against Kubernetes' own schemas (kubernetes-validate, strict, for
the oldest and the newest version supported; offline) and the ServiceMonitor
against a hand-written schema; then what a schema can't see, against this
repository's code (settings, ports, probe paths, metric names).

Without kubectl the tests skip, saying so; in CI (CI=true) they fail instead,
where a skip would hide that the manifests went unchecked.

Each check is a function that returns the problems it finds; every one is run
on the renders it applies to and must find nothing, and MUTATIONS breaks each
render on purpose to show that each check does fail.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jsonschema
import kubernetes_validate
import msgspec
import pytest
import yaml

from chargebus.billing.settings import BillingSettings
from chargebus.commands.settings import CommandsSettings
from chargebus.common.probes import ProbeServer
from chargebus.common.settings import SettingsError, env_name, load_settings
from chargebus.gateway.metrics import GatewayMetrics
from chargebus.gateway.settings import GatewaySettings
from chargebus.sessions.settings import SessionsSettings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"

Obj = dict[str, Any]


# -- the renders ---------------------------------------------------------------------


def kustomize(directory: Path) -> list[Obj]:
    """``kubectl kustomize directory``: the objects ``kubectl apply -k`` would apply."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        message = (
            "kubectl is not installed: the deploy tests render deploy/k8s with "
            "`kubectl kustomize` (install kubectl to run them; CI fails without it)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run(
        [kubectl, "kustomize", str(directory)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"kubectl kustomize {directory} failed:\n{done.stderr}")
    return [o for o in yaml.safe_load_all(done.stdout) if o is not None]


#: The kinds the manifests may use, with their one apiVersion. All are
#: namespaced (check_namespace relies on it).
KINDS = {
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "Service": "v1",
    "ConfigMap": "v1",
    "Secret": "v1",
    "PodDisruptionBudget": "policy/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2",
    "ServiceMonitor": "monitoring.coreos.com/v1",
}

WORKLOADS = ("Deployment", "StatefulSet")


def ident(obj: Obj) -> tuple[str, str]:
    return obj["kind"], obj["metadata"]["name"]


def split_image(image: str) -> tuple[str, str | None]:
    """(name, tag) of a container image reference (a digest kept in the name)."""
    name, at, digest = image.partition("@")
    colon, slash = name.rfind(":"), name.rfind("/")
    if colon > slash:
        return name[:colon] + at + digest, name[colon + 1 :]
    return image, None


# -- what the manifests are checked against ---------------------------------------------

IMAGE = "ghcr.io/chargebus/chargebus"
SETTINGS: dict[str, type[msgspec.Struct]] = {
    "gateway": GatewaySettings,
    "sessions": SessionsSettings,
    "commands": CommandsSettings,
    "billing": BillingSettings,
}
#: `chargebus run <service>` (src/chargebus/cli/main.py) exits without a
#: broker; and without Redis, for every service whose settings have a
#: redis_url (billing's don't).
CLI_REQUIRED = {env_name("amqp_url")}
#: The probes and metrics every service serves on its API port (checked
#: against the code by test_the_code_serves_the_probe_paths).
LIVENESS, READINESS, METRICS = "/healthz", "/readyz", "/metrics"
#: GatewayApp.drain's waits after the drain window, besides call_timeout:
#: `asyncio.wait(tasks, timeout=call_timeout + 5)`, then up to 15 s for the
#: server to close.
DRAIN_FIXED_WAITS = 5 + 15
#: The shortest default idle timeout of the cloud load balancers named in
#: base/gateway.yaml that can't be assumed to be raised (Azure: 4 minutes).
LB_IDLE_TIMEOUT = 240
#: The UID the image runs as (the Dockerfile's non-root user).
IMAGE_UID = 10001
BACKEND_IMAGES = {"rabbitmq": "rabbitmq:3.13-management", "redis": "redis:7", "mongo": "mongo:7"}
K8S_VERSIONS = ("1.31", kubernetes_validate.latest_version())
GAUGES = {m.name for m in GatewayMetrics().registry.collect() if m.type == "gauge"}

#: A minimal schema of the ServiceMonitor fields used (monitoring.coreos.com/v1;
#: the CRD isn't in kubernetes-validate's schemas). Unknown fields fail.
_STRINGS = {"type": "object", "additionalProperties": {"type": "string"}}
_DURATION = {
    "type": "string",
    "pattern": r"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$",
}
SERVICE_MONITOR_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "monitoring.coreos.com/v1"},
        "kind": {"const": "ServiceMonitor"},
        "metadata": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},
                "namespace": {"type": "string"},
                "labels": _STRINGS,
                "annotations": _STRINGS,
            },
        },
        "spec": {
            "type": "object",
            "additionalProperties": False,
            "required": ["selector", "endpoints"],
            "properties": {
                "selector": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["matchLabels"],
                    "properties": {"matchLabels": {**_STRINGS, "minProperties": 1}},
                },
                "namespaceSelector": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "any": {"type": "boolean"},
                        "matchNames": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "jobLabel": {"type": "string"},
                "targetLabels": {"type": "array", "items": {"type": "string"}},
                "endpoints": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["port"],
                        "properties": {
                            "port": {"type": "string"},
                            "path": {"type": "string", "pattern": "^/"},
                            "scheme": {"enum": ["http", "https"]},
                            "interval": _DURATION,
                            "scrapeTimeout": _DURATION,
                            "honorLabels": {"type": "boolean"},
                        },
                    },
                },
            },
        },
    },
}


# -- the renders' sources ---------------------------------------------------------------


def read_env_file(path: Path) -> dict[str, str]:
    """As ``kubectl create secret generic --from-env-file`` reads it: KEY=VALUE
    per line (the value as written, no quotes removed), blank lines and #
    comments skipped."""
    data: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.lstrip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        assert re.fullmatch(r"[-._a-zA-Z][-._a-zA-Z0-9]*", key), f"{path}: bad key {key!r}"
        data[key] = value
    return data


BACKENDS_EXAMPLE = K8S / "overlays" / "production" / "backends.env.example"


@dataclass
class Render:
    name: str
    objects: list[Obj]
    #: The namespace every object must be in (None: none set, the base).
    namespace: str | None
    #: Secrets operators create (not in the render), with example data.
    provided: dict[str, dict[str, str]]


#: Where each render comes from, its namespace, and the Secrets its
#: operators provide (deploy/k8s/README.md says the same). The base is
#: checked like production: its Secret comes from an overlay.
SOURCES: dict[str, tuple[Path, str | None, tuple[str, ...]]] = {
    "base": (K8S / "base", None, ("chargebus-backends",)),
    "dev": (K8S / "overlays" / "dev", "chargebus-dev", ()),
    "production": (
        K8S / "overlays" / "production",
        "chargebus",
        ("chargebus-backends", "chargebus-gateway-tls"),
    ),
}


def _provided_data(name: str) -> dict[str, str]:
    if name == "chargebus-backends":
        return read_env_file(BACKENDS_EXAMPLE)
    if name == "chargebus-gateway-tls":  # type kubernetes.io/tls
        return {"tls.crt": "(certificate chain)", "tls.key": "(private key)"}
    raise AssertionError(name)


@cache
def _render(name: str) -> Render:
    directory, namespace, provided = SOURCES[name]
    return Render(name, kustomize(directory), namespace, {p: _provided_data(p) for p in provided})


def render(name: str) -> Render:
    """A fresh copy (mutation tests change it)."""
    return copy.deepcopy(_render(name))


# -- helpers -----------------------------------------------------------------------------


def what(obj: Obj) -> str:
    return f"{obj['kind']}/{obj['metadata']['name']}"


def find(r: Render, kind: str, name: str) -> Obj | None:
    return next((o for o in r.objects if ident(o) == (kind, name)), None)


def of_kind(r: Render, *kinds: str) -> list[Obj]:
    return [o for o in r.objects if o["kind"] in kinds]


def pod_spec(workload: Obj) -> Obj:
    spec: Obj = workload["spec"]["template"]["spec"]
    return spec


def pod_labels(workload: Obj) -> dict[str, str]:
    labels: dict[str, str] = workload["spec"]["template"].get("metadata", {}).get("labels", {})
    return labels


def containers(workload: Obj) -> list[Obj]:
    spec = pod_spec(workload)
    return [*spec.get("initContainers", []), *spec["containers"]]


def chargebus(r: Render) -> Iterator[tuple[Obj, Obj, str]]:
    """(workload, container, service) for every container of the image."""
    for workload in of_kind(r, *WORKLOADS):
        for container in containers(workload):
            if split_image(container["image"])[0] == IMAGE:
                args = container.get("args", [])
                yield workload, container, args[1] if len(args) > 1 else "?"


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def matchlabels(selector: Obj) -> dict[str, str]:
    """A LabelSelector's matchLabels; matchExpressions aren't used (a check
    that meets one fails rather than guess)."""
    assert "matchExpressions" not in selector, "matchExpressions: not checked here"
    labels: dict[str, str] = selector.get("matchLabels", {})
    return labels


def selected_workloads(r: Render, selector: dict[str, str]) -> list[Obj]:
    return [w for w in of_kind(r, *WORKLOADS) if selects(selector, pod_labels(w))]


def config_data(r: Render, kind: str, name: str) -> dict[str, str] | None:
    obj = find(r, kind, name)
    if obj is None:
        return r.provided.get(name) if kind == "Secret" else None
    if kind == "Secret":
        data = {k: base64.b64decode(v).decode() for k, v in obj.get("data", {}).items()}
        return {**data, **obj.get("stringData", {})}
    data = obj.get("data", {})
    return dict(data)


def env_sources(r: Render, container: Obj) -> list[tuple[str, str | None, str]]:
    """(variable, value or None if unresolvable, where from), in the order
    Kubernetes applies them: envFrom first, then env (which wins)."""
    out: list[tuple[str, str | None, str]] = []
    for source in container.get("envFrom", []):
        if set(source) - {"configMapRef", "secretRef"}:
            out.append(("?", None, f"envFrom {source} (a prefix, or optional)"))
            continue
        kind = "ConfigMap" if "configMapRef" in source else "Secret"
        ref = source.get("configMapRef") or source.get("secretRef")
        data = config_data(r, kind, ref["name"])
        if data is None:
            out.append(("?", None, f"{kind} {ref['name']} (missing)"))
            continue
        out += [(key, value, f"{kind} {ref['name']}") for key, value in data.items()]
    for var in container.get("env", []):
        if "value" in var:
            out.append((var["name"], var["value"], "env"))
            continue
        value_from = var.get("valueFrom", {})
        ref = value_from.get("secretKeyRef") or value_from.get("configMapKeyRef")
        if ref is None:
            out.append((var["name"], None, f"env {var['name']} (not a value or key reference)"))
            continue
        kind = "Secret" if "secretKeyRef" in value_from else "ConfigMap"
        data = config_data(r, kind, ref["name"]) or {}
        out.append((var["name"], data.get(ref["key"]), f"{kind} {ref['name']} key {ref['key']}"))
    return out


def container_env(r: Render, container: Obj) -> dict[str, str]:
    env: dict[str, str] = {}
    for name, value, where in env_sources(r, container):
        if value is None:
            raise LookupError(f"{name}: {where} can't be resolved")
        env[name] = value
    return env


def expand(text: str, env: dict[str, str]) -> str:
    """The kubelet's $(VAR) expansion in command and args."""
    return re.sub(r"\$\(([-._a-zA-Z0-9]+)\)", lambda m: env.get(m[1], m[0]), text)


def settings_of(r: Render, container: Obj, service: str) -> Any:
    return load_settings(SETTINGS[service], container_env(r, container))


def container_port(container: Obj, port: Any) -> int | None:
    """A probe's or Service's target port (a name or a number) as a number."""
    for p in container.get("ports", []):
        if port in (p.get("name"), p["containerPort"]):
            number: int = p["containerPort"]
            return number
    return None


def workload_port(workload: Obj, port: Any) -> int | None:
    for container in containers(workload):
        number = container_port(container, port)
        if number is not None:
            return number
    return None


QUANTITY = re.compile(r"([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?")
UNITS = {None: 1, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
UNITS |= {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}


def quantity(value: Any) -> float:
    match = QUANTITY.fullmatch(str(value))
    if not match:
        raise ValueError(f"quantity {value!r}")
    return float(match[1]) * UNITS[match[2]]


def replicas(r: Render, workload: Obj) -> tuple[int, int]:
    """The (least, most) replicas a workload runs: its HPA's range, or its count."""
    for hpa in of_kind(r, "HorizontalPodAutoscaler"):
        target = hpa["spec"]["scaleTargetRef"]
        if (target["kind"], target["name"]) == ident(workload):
            return hpa["spec"].get("minReplicas", 1), hpa["spec"]["maxReplicas"]
    count = workload["spec"].get("replicas", 1)
    return count, count


# -- the checks --------------------------------------------------------------------------


def check_schemas(r: Render) -> list[str]:
    """Every object is of one of KINDS, valid (strict: no unknown fields) for
    the oldest and the newest Kubernetes version checked; the ServiceMonitor
    against SERVICE_MONITOR_SCHEMA."""
    problems = []
    monitor = jsonschema.Draft202012Validator(SERVICE_MONITOR_SCHEMA)
    for obj in r.objects:
        if KINDS.get(obj["kind"]) != obj["apiVersion"]:
            problems.append(f"{what(obj)}: {obj['apiVersion']} is not one of KINDS")
            continue
        if obj["kind"] == "ServiceMonitor":
            for error in monitor.iter_errors(obj):
                problems.append(f"{what(obj)}: {error.json_path}: {error.message}")
            continue
        for version in K8S_VERSIONS:
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as error:
                problems.append(f"{what(obj)} ({version}): {error.json_path}: {error.message}")
    return problems


def check_namespace(r: Render) -> list[str]:
    """Every object is in the overlay's namespace (the base sets none)."""
    return [
        f"{what(o)} is in namespace {o['metadata'].get('namespace')!r}, not {r.namespace!r}"
        for o in r.objects
        if o["metadata"].get("namespace") != r.namespace
    ]


def check_unique(r: Render) -> list[str]:
    seen: set[tuple[str, str]] = set()
    problems = []
    for obj in r.objects:
        if ident(obj) in seen:
            problems.append(f"{what(obj)} twice")
        seen.add(ident(obj))
    return problems


def check_references(r: Render) -> list[str]:
    """Every ConfigMap, Secret (and key) and volume a pod refers to exists in
    the render, or is a Secret that operators provide, with that key."""
    problems = []
    for workload in of_kind(r, *WORKLOADS):
        spec = pod_spec(workload)
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        claims = {t["metadata"]["name"] for t in workload["spec"].get("volumeClaimTemplates", [])}
        for volume in volumes.values():
            if not set(volume) - {"name"} <= {"emptyDir", "configMap", "secret"}:
                problems.append(f"{what(workload)}: volume {volume['name']} of an unchecked type")
            for kind, field, key in (
                ("ConfigMap", "configMap", "name"),
                ("Secret", "secret", "secretName"),
            ):
                if field in volume:
                    data = config_data(r, kind, volume[field][key])
                    if data is None:
                        problems.append(f"{what(workload)}: volume {volume['name']}: no {kind}")
                    for item in volume[field].get("items", []):
                        if data is not None and item["key"] not in data:
                            problems.append(f"{what(workload)}: volume item {item['key']} missing")
        for container in containers(workload):
            for _, value, where in env_sources(r, container):
                if value is None:
                    problems.append(f"{what(workload)} {container['name']}: {where}")
            for mount in container.get("volumeMounts", []):
                if mount["name"] not in volumes and mount["name"] not in claims:
                    problems.append(f"{what(workload)}: mount of unknown volume {mount['name']}")
    return problems


def check_services(r: Render) -> list[str]:
    """Each Service selects the pods of exactly one workload, and each of its
    ports (one per port number and protocol, one per name) targets a port
    those pods have."""
    problems = []
    for service in of_kind(r, "Service"):
        ports = service["spec"]["ports"]
        keys = [(p["port"], p.get("protocol", "TCP")) for p in ports]
        names = [p.get("name") for p in ports]
        if len(set(keys)) != len(keys) or len(set(names)) != len(names):
            problems.append(f"{what(service)}: a port twice")
        chosen = selected_workloads(r, service["spec"].get("selector", {}))
        if len(chosen) != 1:
            problems.append(f"{what(service)} selects {len(chosen)} workloads")
            continue
        for port in service["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            if workload_port(chosen[0], target) is None:
                problems.append(f"{what(service)}: no port {target} in {what(chosen[0])}")
    return problems


def check_disruption_budgets(r: Render) -> list[str]:
    """Every workload of the image has exactly one PodDisruptionBudget, which
    lets at least one pod go (a budget that never does blocks node drains)."""
    problems = []
    budgets = of_kind(r, "PodDisruptionBudget")
    for budget in budgets:
        chosen = selected_workloads(r, matchlabels(budget["spec"]["selector"]))
        if len(chosen) != 1:
            problems.append(f"{what(budget)} selects {len(chosen)} workloads")
        elif "minAvailable" in budget["spec"]:
            if budget["spec"]["minAvailable"] >= replicas(r, chosen[0])[0]:
                problems.append(f"{what(budget)} never lets a pod go")
        elif budget["spec"].get("maxUnavailable", 0) in (0, "0%"):
            problems.append(f"{what(budget)} never lets a pod go")
    for workload, _, _ in chargebus(r):
        covering = [
            b for b in budgets if selects(matchlabels(b["spec"]["selector"]), pod_labels(workload))
        ]
        if len(covering) != 1:
            problems.append(f"{what(workload)} has {len(covering)} disruption budgets")
    return problems


def check_autoscaler(r: Render) -> list[str]:
    """The gateway has an HPA; every HPA targets a Deployment in the render
    that has no replica count of its own (every `kubectl apply` would reset
    it), and its Pods metrics are gauges the gateway exports."""
    problems = []
    targets = set()
    for hpa in of_kind(r, "HorizontalPodAutoscaler"):
        ref = hpa["spec"]["scaleTargetRef"]
        target = find(r, ref["kind"], ref["name"])
        targets.add(ref["name"])
        if target is None or ref.get("apiVersion") != KINDS[ref["kind"]]:
            problems.append(f"{what(hpa)} targets {ref}, not in the render")
            continue
        if "replicas" in target["spec"]:
            problems.append(f"{what(hpa)}: {what(target)} sets replicas too")
        if hpa["spec"].get("minReplicas", 1) > hpa["spec"]["maxReplicas"]:
            problems.append(f"{what(hpa)}: minReplicas above maxReplicas")
        for metric in hpa["spec"].get("metrics", []):
            if metric["type"] == "Pods" and metric["pods"]["metric"]["name"] not in GAUGES:
                problems.append(
                    f"{what(hpa)}: {metric['pods']['metric']['name']} is not one of the "
                    f"gateway's gauges {sorted(GAUGES)}"
                )
    for workload, _, service in chargebus(r):
        if service == "gateway" and workload["metadata"]["name"] not in targets:
            problems.append(f"{what(workload)} has no HorizontalPodAutoscaler")
    return problems


def check_service_monitor(r: Render) -> list[str]:
    """The ServiceMonitor scrapes METRICS on a port of every Service it
    selects, and those Services reach the API port of every service."""
    problems = []
    scraped: set[str] = set()
    monitors = of_kind(r, "ServiceMonitor")
    if not monitors:
        problems.append("no ServiceMonitor")
    for monitor in monitors:
        services = [
            s
            for s in of_kind(r, "Service")
            if selects(matchlabels(monitor["spec"]["selector"]), s["metadata"].get("labels", {}))
        ]
        if not services:
            problems.append(f"{what(monitor)} selects no Service")
        for endpoint in monitor["spec"]["endpoints"]:
            if endpoint.get("path", "/metrics") != METRICS:
                problems.append(f"{what(monitor)}: path {endpoint.get('path')}")
            for service in services:
                port = next(
                    (p for p in service["spec"]["ports"] if p.get("name") == endpoint["port"]),
                    None,
                )
                if port is None:
                    problems.append(f"{what(monitor)}: {what(service)} has no {endpoint['port']}")
                    continue
                for workload, container, svc in chargebus(r):
                    if not selects(service["spec"]["selector"], pod_labels(workload)):
                        continue
                    target = container_port(container, port.get("targetPort", port["port"]))
                    if target == settings_of(r, container, svc).api_port:
                        scraped.add(svc)
    for _, _, service in chargebus(r):
        if service not in scraped:
            problems.append(f"{service}'s metrics are not scraped")
    return problems


def check_probes(r: Render) -> list[str]:
    """Liveness on LIVENESS, readiness on READINESS (startup, if any, on
    LIVENESS), all on the port the service's settings serve them on; the
    gateway's OCPP port is the one its settings listen on."""
    problems = []
    for workload, container, service in chargebus(r):
        where = f"{what(workload)} {container['name']}"
        settings = settings_of(r, container, service)
        expected = {"livenessProbe": LIVENESS, "readinessProbe": READINESS}
        if "startupProbe" in container:
            expected["startupProbe"] = LIVENESS
        for probe, path in expected.items():
            get = container.get(probe, {}).get("httpGet")
            if get is None:
                problems.append(f"{where}: no {probe} httpGet")
                continue
            if get.get("path") != path:
                problems.append(f"{where}: {probe} on {get.get('path')}, not {path}")
            if container_port(container, get["port"]) != settings.api_port:
                problems.append(f"{where}: {probe} port {get['port']} is not {settings.api_port}")
        if container_port(container, "http") != settings.api_port:
            problems.append(f"{where}: port http is not the API port {settings.api_port}")
        if service == "gateway" and container_port(container, "ocpp") != settings.ocpp_port:
            problems.append(f"{where}: port ocpp is not the OCPP port {settings.ocpp_port}")
    return problems


def check_settings(r: Render) -> list[str]:
    """Every CHARGEBUS_* variable a service gets (env, or a key of a ConfigMap
    or Secret in envFrom) is one of its settings (or one the CLI requires),
    set once; the CLI's requirements are met (RabbitMQ and Redis; MongoDB for
    the services with a store, whose SQLite fallback can't write to a
    read-only root filesystem); and the values load, as `chargebus run` loads
    them: every service's settings from the same environment."""
    problems = []
    for workload, container, service in chargebus(r):
        where = f"{what(workload)} {container['name']}"
        if service not in SETTINGS:
            problems.append(f"{where}: unknown service {service!r}")
            continue
        fields = {f.name for f in msgspec.structs.fields(SETTINGS[service])}
        allowed = {env_name(f) for f in fields}
        names: dict[str, str] = {}
        for name, _, source in env_sources(r, container):
            if name.startswith("CHARGEBUS_") and name not in allowed:
                problems.append(f"{where}: {name} ({source}) is not a {service} setting")
            if name in names:
                problems.append(f"{where}: {name} set twice ({names[name]}, {source})")
            names[name] = source
        required = set(CLI_REQUIRED)
        if "redis_url" in fields:
            required.add(env_name("redis_url"))
        if "mongodb_url" in fields:
            required.add(env_name("mongodb_url"))
        for name in sorted(required - set(names)):
            problems.append(f"{where}: {name} is not set")
        try:
            env = container_env(r, container)
            for cls in SETTINGS.values():
                load_settings(cls, env)
        except (LookupError, SettingsError) as exc:
            problems.append(f"{where}: {exc}")
    return problems


def check_drain(r: Render) -> list[str]:
    """The gateway's drain window is set explicitly, and the grace period
    outlasts the longest drain: the window, then up to call_timeout for what
    is in flight on the last sockets, then GatewayApp.drain's fixed waits."""
    problems = []
    for workload, container, service in chargebus(r):
        if service != "gateway":
            continue
        if not any(v["name"] == env_name("drain_window") for v in container.get("env", [])):
            problems.append(f"{what(workload)}: {env_name('drain_window')} not set in env")
        settings = settings_of(r, container, service)
        longest = settings.drain_window + settings.call_timeout + DRAIN_FIXED_WAITS
        grace = pod_spec(workload).get("terminationGracePeriodSeconds", 30)
        if not grace > longest:
            problems.append(
                f"{what(workload)}: terminationGracePeriodSeconds {grace} is not longer than "
                f"the drain ({settings.drain_window} + {settings.call_timeout} + "
                f"{DRAIN_FIXED_WAITS} s)"
            )
    return problems


def check_security(r: Render) -> list[str]:
    """Every container runs as a non-root user, without privilege escalation
    or capabilities, under the runtime's seccomp profile; no pod gets service
    links or a service-account token; the image's containers run as its UID
    with a read-only root filesystem and an emptyDir on /tmp."""
    problems = []
    for workload in of_kind(r, *WORKLOADS):
        spec = pod_spec(workload)
        pod = spec.get("securityContext", {})
        if spec.get("enableServiceLinks") is not False:
            problems.append(f"{what(workload)}: enableServiceLinks is not false")
        if spec.get("automountServiceAccountToken") is not False:
            problems.append(f"{what(workload)}: automountServiceAccountToken is not false")
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        for container in containers(workload):
            where = f"{what(workload)} {container['name']}"
            context = {**pod, **container.get("securityContext", {})}
            if context.get("runAsNonRoot") is not True:
                problems.append(f"{where}: runAsNonRoot is not true")
            if context.get("runAsUser", 1) == 0 or context.get("runAsGroup", 1) == 0:
                problems.append(f"{where}: runs as root")
            if context.get("allowPrivilegeEscalation") is not False or context.get("privileged"):
                problems.append(f"{where}: may escalate privileges")
            if "ALL" not in context.get("capabilities", {}).get("drop", []):
                problems.append(f"{where}: capabilities not dropped")
            if context.get("seccompProfile", {}).get("type") != "RuntimeDefault":
                problems.append(f"{where}: no RuntimeDefault seccomp profile")
            if split_image(container["image"])[0] != IMAGE:
                continue
            if context.get("runAsUser") != IMAGE_UID:
                problems.append(f"{where}: runAsUser is not the image's {IMAGE_UID}")
            if context.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: root filesystem not read-only")
            tmp = [m for m in container.get("volumeMounts", []) if m["mountPath"] == "/tmp"]
            if not tmp or "emptyDir" not in volumes.get(tmp[0]["name"], {}):
                problems.append(f"{where}: no emptyDir on /tmp")
    return problems


def check_resources(r: Render) -> list[str]:
    """Every container requests and limits CPU and memory, requests <= limits."""
    problems = []
    for workload in of_kind(r, *WORKLOADS):
        for container in containers(workload):
            where = f"{what(workload)} {container['name']}"
            resources = container.get("resources", {})
            for resource in ("cpu", "memory"):
                request = resources.get("requests", {}).get(resource)
                limit = resources.get("limits", {}).get(resource)
                if request is None or limit is None:
                    problems.append(f"{where}: no {resource} request and limit")
                elif quantity(request) > quantity(limit):
                    problems.append(f"{where}: {resource} request above its limit")
    return problems


def check_images(r: Render) -> list[str]:
    """One Deployment per service, running `chargebus run <service>` from the
    image, named and labelled after the service; overlays pin a tag that
    isn't latest (production: a version)."""
    problems = []
    found = []
    for workload, container, service in chargebus(r):
        where = f"{what(workload)} {container['name']}"
        found.append(service)
        if container.get("args") != ["run", service] or "command" in container:
            problems.append(f"{where}: runs {container.get('command')} {container.get('args')}")
        component = pod_labels(workload).get("app.kubernetes.io/component")
        if {component, container["name"]} != {service} or workload["kind"] != "Deployment":
            problems.append(f"{where}: not the {service} Deployment ({component})")
        tag = split_image(container["image"])[1]
        if r.namespace is not None and tag in (None, "latest"):
            problems.append(f"{where}: image tag {tag}")
        if r.name == "production" and not re.fullmatch(r"\d+\.\d+\.\d+", tag or ""):
            problems.append(f"{where}: image tag {tag} is not a released version")
    if sorted(found) != sorted(SETTINGS):
        problems.append(f"services deployed: {sorted(found)}")
    return problems


def check_exposure(r: Render) -> list[str]:
    """Only the gateway's OCPP port leaves the cluster (the HTTP API and
    metrics have no authentication), through a load balancer that keeps
    traffic on the node (Local) without session affinity."""
    problems = []
    public = [
        s for s in of_kind(r, "Service") if s["spec"].get("type") in ("LoadBalancer", "NodePort")
    ]
    for service in of_kind(r, "Service"):
        spec = service["spec"]
        if "externalTrafficPolicy" in spec and service not in public:
            problems.append(f"{what(service)}: externalTrafficPolicy on a {spec.get('type')}")
    if [s["metadata"]["name"] for s in public] != ["chargebus-gateway"]:
        problems.append(f"public Services: {[what(s) for s in public]}")
    for service in public:
        spec = service["spec"]
        if spec.get("sessionAffinity", "None") != "None":
            problems.append(f"{what(service)}: sessionAffinity {spec['sessionAffinity']}")
        if spec["type"] == "LoadBalancer" and spec.get("externalTrafficPolicy") != "Local":
            problems.append(f"{what(service)}: externalTrafficPolicy is not Local")
        if r.name != "dev" and spec["type"] != "LoadBalancer":
            problems.append(f"{what(service)}: {spec['type']}, not LoadBalancer")
        for workload in selected_workloads(r, spec.get("selector", {})):
            for port in spec["ports"]:
                target = workload_port(workload, port.get("targetPort", port["port"]))
                if target != workload_port(workload, "ocpp"):
                    problems.append(f"{what(service)} exposes port {target}")
    return problems


def check_replicas(r: Render) -> list[str]:
    """Production: at least three gateways (HPA minimum) and two of every
    other service; dev: exactly one of everything."""
    problems = []
    for workload in of_kind(r, *WORKLOADS):
        least, most = replicas(r, workload)
        name = workload["metadata"]["name"]
        if r.name == "dev" and (least, most) != (1, 1):
            problems.append(f"{name}: {least}..{most} replicas in dev")
        if r.name == "production":
            minimum = 3 if name == "chargebus-gateway" else 2
            if least < minimum:
                problems.append(f"{name}: as few as {least} replicas in production")
    return problems


def check_spread(r: Render) -> list[str]:
    """Spread rules select the pods they belong to; production spreads the
    gateways over nodes (topology spread or pod anti-affinity)."""
    problems = []
    for workload in of_kind(r, *WORKLOADS):
        spec = pod_spec(workload)
        keys = set()
        for constraint in spec.get("topologySpreadConstraints", []):
            keys.add(constraint["topologyKey"])
            if not selects(matchlabels(constraint["labelSelector"]), pod_labels(workload)):
                problems.append(f"{what(workload)}: a spread constraint selects other pods")
        anti = spec.get("affinity", {}).get("podAntiAffinity", {})
        terms = anti.get("requiredDuringSchedulingIgnoredDuringExecution", []) + [
            t["podAffinityTerm"]
            for t in anti.get("preferredDuringSchedulingIgnoredDuringExecution", [])
        ]
        for term in terms:
            keys.add(term["topologyKey"])
            if not selects(matchlabels(term["labelSelector"]), pod_labels(workload)):
                problems.append(f"{what(workload)}: an anti-affinity term selects other pods")
        if (
            r.name == "production"
            and workload["metadata"]["name"] == "chargebus-gateway"
            and "kubernetes.io/hostname" not in keys
        ):
            problems.append(f"{what(workload)}: not spread over nodes")
    return problems


def _backend(r: Render, image: str) -> tuple[Obj, Obj] | None:
    for workload in of_kind(r, *WORKLOADS):
        for container in containers(workload):
            if container["image"] == image:
                return workload, container
    return None


def _url_target(r: Render, url: str, image: str) -> tuple[Obj, dict[str, str], list[str]]:
    """The backend container a URL reaches (through a Service, on the port
    its Service maps to), that container's environment, and problems."""
    parts = urlsplit(url)
    found = _backend(r, image)
    if found is None:
        return {}, {}, [f"no {image} workload"]
    workload, container = found
    service = find(r, "Service", parts.hostname or "")
    if service is None or not selects(service["spec"]["selector"], pod_labels(workload)):
        return container, {}, [f"{url}: host {parts.hostname} is not a Service of {image}"]
    problems = []
    port = next((p for p in service["spec"]["ports"] if p["port"] == parts.port), None)
    if port is None or container_port(container, port.get("targetPort", port["port"])) is None:
        problems.append(f"{url}: port {parts.port} doesn't reach {image}")
    try:
        env = container_env(r, container)
    except LookupError as exc:
        return container, {}, [*problems, f"{image}: {exc}"]
    return container, env, problems


def check_backends(r: Render) -> list[str]:
    """Dev runs RabbitMQ, Redis and MongoDB, and the Secret's URLs reach them
    with their credentials; production and the base run none of them."""
    problems = []
    images = {
        split_image(c["image"])[0].rsplit("/", 1)[-1]
        for w in of_kind(r, *WORKLOADS)
        for c in containers(w)
    }
    if r.name != "dev":
        return [f"{image} runs in {r.name}" for image in sorted(images & set(BACKEND_IMAGES))]
    urls = config_data(r, "Secret", "chargebus-backends") or {}
    if not urls:
        return ["no Secret chargebus-backends"]
    known = rabbitmq_definitions(r)
    if known is None:
        problems.append("RabbitMQ loads no definitions (load_definitions in a mounted conf.d file)")
    users = {u["name"]: u.get("password") for u in (known or {}).get("users", [])}
    for service in SETTINGS:
        key = f"amqp-url-{service}"
        amqp = urlsplit(urls.get(key, ""))
        container, env, found = _url_target(r, urls.get(key, ""), BACKEND_IMAGES["rabbitmq"])
        problems += [f"{key}: {p}" for p in found]
        user, password = unquote(amqp.username or ""), unquote(amqp.password or "")
        if known is not None and (user not in users or users[user] != password):
            problems.append(
                f"{key}: user {user!r} and its password are not in RabbitMQ's definitions"
            )
    redis = urlsplit(urls.get("redis-url", ""))
    container, env, found = _url_target(r, urls.get("redis-url", ""), BACKEND_IMAGES["redis"])
    problems += found
    if env:
        args = [expand(a, env) for a in container.get("args", [])]
        password = args[args.index("--requirepass") + 1] if "--requirepass" in args else None
        if unquote(redis.password or "") != password:
            problems.append("redis-url's password is not Redis's")
    mongo = urlsplit(urls.get("mongodb-url", ""))
    container, env, found = _url_target(r, urls.get("mongodb-url", ""), BACKEND_IMAGES["mongo"])
    problems += found
    if env:
        if (unquote(mongo.username or ""), unquote(mongo.password or "")) != (
            env.get("MONGO_INITDB_ROOT_USERNAME"),
            env.get("MONGO_INITDB_ROOT_PASSWORD"),
        ):
            problems.append("mongodb-url's credentials are not MongoDB's root user's")
        if parse_qs(mongo.query).get("authSource") != ["admin"]:
            problems.append("mongodb-url: the root user authenticates against admin")
        if mongo.path.strip("/") == "":
            problems.append("mongodb-url names no database")
    return problems


def rabbitmq_definitions(r: Render) -> dict[str, Any] | None:
    """The definitions dev's RabbitMQ loads at start-up: ``load_definitions``
    in a conf.d file mounted from a ConfigMap, naming a file of a mounted
    Secret or ConfigMap."""
    found = _backend(r, BACKEND_IMAGES["rabbitmq"])
    if found is None:
        return None
    workload, container = found
    volumes = {v["name"]: v for v in pod_spec(workload).get("volumes", [])}

    def files(mount: Obj) -> dict[str, str]:
        """Path -> content of what a mount puts in the container."""
        volume = volumes.get(mount["name"], {})
        if "configMap" in volume:
            data = config_data(r, "ConfigMap", volume["configMap"]["name"]) or {}
        elif "secret" in volume:
            data = config_data(r, "Secret", volume["secret"]["secretName"]) or {}
        else:
            return {}
        if "subPath" in mount:
            return {mount["mountPath"]: data[mount["subPath"]]} if mount["subPath"] in data else {}
        return {f"{mount['mountPath'].rstrip('/')}/{k}": v for k, v in data.items()}

    mounted: dict[str, str] = {}
    for mount in container.get("volumeMounts", []):
        mounted.update(files(mount))
    loads = None
    for path, content in mounted.items():
        if path.startswith("/etc/rabbitmq/conf.d/") and path.endswith(".conf"):
            for line in content.splitlines():
                key, _, value = line.partition("=")
                if key.strip() == "load_definitions":
                    loads = value.strip()
    if loads is None or loads not in mounted:
        return None
    document: dict[str, Any] = json.loads(mounted[loads])
    return document


def check_bus_users(r: Render) -> list[str]:
    """Each service reads its own AMQP URL (Secret key amqp-url-<service>);
    in dev, that URL's user is the service, and RabbitMQ's definitions are
    the code's (chargebus.common.bus.permissions): one user per service with
    exactly its permissions, and the topology."""
    from bus_definitions import differing_parts

    problems = []
    for workload, container, service in chargebus(r):
        ref = next(
            (
                v.get("valueFrom", {}).get("secretKeyRef", {})
                for v in container.get("env", [])
                if v["name"] == env_name("amqp_url")
            ),
            {},
        )
        if ref.get("key") != f"amqp-url-{service}":
            problems.append(
                f"{what(workload)}: CHARGEBUS_AMQP_URL from key {ref.get('key')!r}, "
                f"not its own amqp-url-{service}"
            )
        if r.name == "dev":
            url = container_env(r, container).get(env_name("amqp_url"), "")
            if unquote(urlsplit(url).username or "") != service:
                problems.append(f"{what(workload)}: {service} connects as another user")
    if r.name != "dev":
        return problems
    found = rabbitmq_definitions(r)
    if found is None:
        return [*problems, "RabbitMQ loads no definitions"]
    for part, _ in differing_parts(found):
        problems.append(f"RabbitMQ's definitions: {part} are not the code's")
    return problems


def check_tls(r: Render) -> list[str]:
    """The gateway's certificate and key files are keys of a Secret mounted
    where the settings point; production serves wss."""
    problems = []
    for workload, container, service in chargebus(r):
        if service != "gateway":
            continue
        settings = settings_of(r, container, service)
        files = [settings.tls_certfile, settings.tls_keyfile]
        if r.name == "production" and None in files:
            problems.append(f"{what(workload)}: production without TLS")
        if files.count(None) == 1:
            problems.append(f"{what(workload)}: a certificate without a key, or the reverse")
        volumes = {v["name"]: v for v in pod_spec(workload).get("volumes", [])}
        for path in filter(None, files):
            mounted = False
            for mount in container.get("volumeMounts", []):
                directory, _, key = path.rpartition("/")
                secret = volumes.get(mount["name"], {}).get("secret")
                if directory == mount["mountPath"].rstrip("/") and secret is not None:
                    data = config_data(r, "Secret", secret["secretName"]) or {}
                    mounted = mounted or key in data
            if not mounted:
                problems.append(f"{what(workload)}: {path} is not a key of a mounted Secret")
    return problems


def check_ping(r: Render) -> list[str]:
    """The gateway pings chargers more often than a load balancer drops an
    idle connection."""
    return [
        f"{what(workload)}: ping interval {s.ping_interval} s"
        for workload, container, service in chargebus(r)
        if service == "gateway"
        for s in [settings_of(r, container, service)]
        if not 0 < s.ping_interval < LB_IDLE_TIMEOUT
    ]


ALL = ("base", "dev", "production")
CHECKS: dict[str, tuple[Callable[[Render], list[str]], tuple[str, ...]]] = {
    "schemas": (check_schemas, ALL),
    "namespace": (check_namespace, ALL),
    "unique": (check_unique, ALL),
    "references": (check_references, ALL),
    "services": (check_services, ALL),
    "disruption_budgets": (check_disruption_budgets, ALL),
    "autoscaler": (check_autoscaler, ALL),
    # Dev deletes the ServiceMonitor (laptop clusters rarely have its CRD).
    "service_monitor": (check_service_monitor, ("base", "production")),
    "probes": (check_probes, ALL),
    "settings": (check_settings, ALL),
    "drain": (check_drain, ALL),
    "security": (check_security, ALL),
    "resources": (check_resources, ALL),
    "images": (check_images, ALL),
    "exposure": (check_exposure, ALL),
    "replicas": (check_replicas, ("dev", "production")),
    "spread": (check_spread, ALL),
    "backends": (check_backends, ALL),
    "bus_users": (check_bus_users, ALL),
    "tls": (check_tls, ALL),
    "ping": (check_ping, ALL),
}


def check_sizes() -> list[str]:
    """Each service's requests and limits grow from dev to the base to production."""
    problems = []
    renders = [render(name) for name in ("dev", "base", "production")]
    sizes = [{service: c.get("resources", {}) for _, c, service in chargebus(r)} for r in renders]
    for service in SETTINGS:
        for bound in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                values = [quantity(s[service][bound][resource]) for s in sizes]
                if values != sorted(values):
                    problems.append(f"{service} {bound}.{resource}: dev, base, production {values}")
    return problems


@pytest.mark.parametrize(
    ("check", "name"),
    [(check, name) for check, (_, names) in CHECKS.items() for name in names],
)
def test_render(check: str, name: str) -> None:
    function = CHECKS[check][0]
    assert function(render(name)) == []


def test_sizes_grow_from_dev_to_production() -> None:
    assert check_sizes() == []


# -- each check can fail -----------------------------------------------------------------


def _obj(r: Render, kind: str, name: str) -> Obj:
    obj = find(r, kind, name)
    assert obj is not None, (kind, name)
    return obj


def _container(r: Render, deployment: str) -> Obj:
    container: Obj = pod_spec(_obj(r, "Deployment", deployment))["containers"][0]
    return container


def _env(r: Render, deployment: str, name: str) -> Obj:
    return next(v for v in _container(r, deployment)["env"] if v["name"] == name)


def _volume(r: Render, deployment: str, name: str) -> Obj:
    volumes = pod_spec(_obj(r, "Deployment", deployment))["volumes"]
    return next(v for v in volumes if v["name"] == name)


def _secret(r: Render, name: str, key: str, value: str) -> None:
    _obj(r, "Secret", name)["data"][key] = base64.b64encode(value.encode()).decode()


def _definitions(r: Render, change: Callable[[dict[str, Any]], Any]) -> None:
    data = config_data(r, "Secret", "rabbitmq-definitions") or {}
    document = json.loads(data["definitions.json"])
    change(document)
    _secret(r, "rabbitmq-definitions", "definitions.json", json.dumps(document))


# One line each: the table reads better than what the formatter makes of it.
# fmt: off
MUTATIONS: list[tuple[str, str, str, Callable[[Render], Any]]] = [
    # (check, render, what is broken, how)
    ("schemas", "dev", "replicas as a string", lambda r: _obj(r, "Deployment", "chargebus-sessions")["spec"].update(replicas="1")),
    ("schemas", "production", "an unknown field", lambda r: _container(r, "chargebus-gateway").update(readinessprobe={})),
    ("schemas", "base", "a bad scrape interval", lambda r: _obj(r, "ServiceMonitor", "chargebus")["spec"]["endpoints"][0].update(interval="30 seconds")),
    ("namespace", "production", "an object elsewhere", lambda r: _obj(r, "Service", "chargebus-billing")["metadata"].update(namespace="default")),
    ("namespace", "base", "a namespace in the base", lambda r: _obj(r, "ConfigMap", "chargebus-common")["metadata"].update(namespace="chargebus")),
    ("unique", "dev", "a duplicate", lambda r: r.objects.append(copy.deepcopy(_obj(r, "ConfigMap", "chargebus-common")))),
    ("references", "dev", "a misspelt Secret key", lambda r: _env(r, "chargebus-gateway", "CHARGEBUS_AMQP_URL")["valueFrom"]["secretKeyRef"].update(key="amqp-uri")),
    ("references", "production", "a missing ConfigMap", lambda r: r.objects.remove(_obj(r, "ConfigMap", "chargebus-billing"))),
    ("references", "production", "a Secret nobody provides", lambda r: _volume(r, "chargebus-gateway", "tls")["secret"].update(secretName="chargebus-tls")),
    ("references", "production", "an unknown volume", lambda r: _container(r, "chargebus-sessions")["volumeMounts"][0].update(name="scratch")),
    ("services", "dev", "a selector matching nothing", lambda r: _obj(r, "Service", "chargebus-commands")["spec"]["selector"].update({"app.kubernetes.io/component": "command"})),
    ("services", "dev", "a port twice (a patch keyed wrongly)", lambda r: _obj(r, "Service", "chargebus-gateway")["spec"]["ports"].append({"port": 443, "nodePort": 30900})),
    ("services", "base", "a target port the pod hasn't", lambda r: _obj(r, "Service", "chargebus-gateway")["spec"]["ports"][0].update(targetPort="websocket")),
    ("disruption_budgets", "production", "no budget", lambda r: r.objects.remove(_obj(r, "PodDisruptionBudget", "chargebus-sessions"))),
    ("disruption_budgets", "production", "a budget that never lets go", lambda r: _obj(r, "PodDisruptionBudget", "chargebus-billing")["spec"].update(maxUnavailable=0)),
    ("autoscaler", "production", "replicas next to the HPA", lambda r: _obj(r, "Deployment", "chargebus-gateway")["spec"].update(replicas=3)),
    ("autoscaler", "production", "a metric the gateway doesn't export", lambda r: _obj(r, "HorizontalPodAutoscaler", "chargebus-gateway")["spec"]["metrics"][1]["pods"]["metric"].update(name="chargebus_gateway_connected_chargers")),
    ("autoscaler", "dev", "no HPA", lambda r: r.objects.remove(_obj(r, "HorizontalPodAutoscaler", "chargebus-gateway"))),
    ("service_monitor", "production", "a port no Service has", lambda r: _obj(r, "ServiceMonitor", "chargebus")["spec"]["endpoints"][0].update(port="metrics")),
    ("service_monitor", "base", "the gateway not scraped", lambda r: _obj(r, "Service", "chargebus-gateway-metrics")["metadata"]["labels"].pop("chargebus/metrics")),
    ("probes", "production", "readiness on a path nobody serves", lambda r: _container(r, "chargebus-sessions")["readinessProbe"]["httpGet"].update(path="/ready")),
    ("probes", "dev", "liveness on the OCPP port", lambda r: _container(r, "chargebus-gateway")["livenessProbe"]["httpGet"].update(port="ocpp")),
    ("probes", "base", "the API on another port", lambda r: _obj(r, "ConfigMap", "chargebus-billing")["data"].update(CHARGEBUS_API_PORT="8081")),
    ("settings", "production", "a gateway setting given to sessions", lambda r: _obj(r, "ConfigMap", "chargebus-sessions")["data"].update(CHARGEBUS_DRAIN_WINDOW="30")),
    ("settings", "dev", "sessions without Redis", lambda r: _container(r, "chargebus-sessions")["env"].remove(_env(r, "chargebus-sessions", "CHARGEBUS_REDIS_URL"))),
    ("settings", "dev", "billing given Redis", lambda r: _container(r, "chargebus-billing")["env"].append({"name": "CHARGEBUS_REDIS_URL", "value": "redis://redis:6379/0"})),
    ("settings", "production", "commands without MongoDB", lambda r: _container(r, "chargebus-commands")["env"].remove(_env(r, "chargebus-commands", "CHARGEBUS_MONGODB_URL"))),
    ("settings", "base", "a value that doesn't load", lambda r: _obj(r, "ConfigMap", "chargebus-gateway")["data"].update(CHARGEBUS_PING_INTERVAL="often")),
    ("settings", "dev", "a setting given twice", lambda r: _container(r, "chargebus-gateway")["env"].append({"name": "CHARGEBUS_PING_INTERVAL", "value": "30"})),
    ("drain", "production", "the grace period the brief suggested", lambda r: pod_spec(_obj(r, "Deployment", "chargebus-gateway")).update(terminationGracePeriodSeconds=60)),
    ("drain", "dev", "a longer window", lambda r: _env(r, "chargebus-gateway", "CHARGEBUS_DRAIN_WINDOW").update(value="60")),
    ("drain", "base", "the window left to its default", lambda r: _container(r, "chargebus-gateway")["env"].remove(_env(r, "chargebus-gateway", "CHARGEBUS_DRAIN_WINDOW"))),
    ("security", "production", "root", lambda r: pod_spec(_obj(r, "Deployment", "chargebus-billing"))["securityContext"].update(runAsUser=0)),
    ("security", "dev", "a writable root filesystem", lambda r: _container(r, "chargebus-sessions")["securityContext"].update(readOnlyRootFilesystem=False)),
    ("security", "dev", "a backend as root", lambda r: pod_spec(_obj(r, "StatefulSet", "redis"))["securityContext"].pop("runAsNonRoot")),
    ("security", "base", "service links", lambda r: pod_spec(_obj(r, "Deployment", "chargebus-commands")).update(enableServiceLinks=True)),
    ("resources", "production", "no limits", lambda r: _container(r, "chargebus-gateway")["resources"].pop("limits")),
    ("resources", "dev", "a request above its limit", lambda r: pod_spec(_obj(r, "StatefulSet", "mongodb"))["containers"][0]["resources"]["requests"].update(memory="2Gi")),
    ("images", "production", "a moving tag", lambda r: _container(r, "chargebus-sessions").update(image=f"{IMAGE}:latest")),
    ("images", "dev", "the wrong service", lambda r: _container(r, "chargebus-billing").update(args=["run", "commands"])),
    ("images", "base", "a service missing", lambda r: r.objects.remove(_obj(r, "Deployment", "chargebus-commands"))),
    ("exposure", "production", "the API on a load balancer", lambda r: _obj(r, "Service", "chargebus-sessions")["spec"].update(type="LoadBalancer", externalTrafficPolicy="Local")),
    ("exposure", "production", "metrics on the public Service", lambda r: _obj(r, "Service", "chargebus-gateway")["spec"]["ports"].append({"name": "http", "port": 8080, "targetPort": "http"})),
    ("exposure", "base", "a second hop", lambda r: _obj(r, "Service", "chargebus-gateway")["spec"].update(externalTrafficPolicy="Cluster")),
    ("exposure", "production", "sticky sessions", lambda r: _obj(r, "Service", "chargebus-gateway")["spec"].update(sessionAffinity="ClientIP")),
    ("replicas", "production", "two gateways", lambda r: _obj(r, "HorizontalPodAutoscaler", "chargebus-gateway")["spec"].update(minReplicas=2)),
    ("replicas", "production", "one billing", lambda r: _obj(r, "Deployment", "chargebus-billing")["spec"].update(replicas=1)),
    ("replicas", "dev", "two sessions", lambda r: _obj(r, "Deployment", "chargebus-sessions")["spec"].update(replicas=2)),
    ("spread", "production", "gateways not spread", lambda r: pod_spec(_obj(r, "Deployment", "chargebus-gateway")).pop("topologySpreadConstraints")),
    ("spread", "production", "spread against other pods", lambda r: pod_spec(_obj(r, "Deployment", "chargebus-gateway"))["topologySpreadConstraints"][0]["labelSelector"]["matchLabels"].update({"app.kubernetes.io/component": "sessions"})),
    ("backends", "dev", "a wrong RabbitMQ password", lambda r: _secret(r, "chargebus-backends", "amqp-url-sessions", "amqp://sessions:guess@rabbitmq:5672/")),
    ("backends", "dev", "RabbitMQ without its definitions", lambda r: pod_spec(_obj(r, "StatefulSet", "rabbitmq"))["containers"][0]["volumeMounts"].pop()),
    ("bus_users", "production", "a service on another's URL", lambda r: _env(r, "chargebus-billing", "CHARGEBUS_AMQP_URL")["valueFrom"]["secretKeyRef"].update(key="amqp-url-commands")),
    ("bus_users", "base", "the shared URL of old", lambda r: _env(r, "chargebus-gateway", "CHARGEBUS_AMQP_URL")["valueFrom"]["secretKeyRef"].update(key="amqp-url")),
    ("bus_users", "dev", "a service as another user", lambda r: _secret(r, "chargebus-backends", "amqp-url-billing", "amqp://commands:dev-only-commands-password@rabbitmq:5672/")),
    ("bus_users", "dev", "a permission widened", lambda r: _definitions(r, lambda d: d["permissions"][-1].update(configure=".*"))),
    ("bus_users", "dev", "a binding left out", lambda r: _definitions(r, lambda d: d["bindings"].pop())),
    ("backends", "dev", "a wrong Redis port", lambda r: _secret(r, "chargebus-backends", "redis-url", "redis://:dev-only-redis-password@redis:6380/0")),
    ("backends", "dev", "a wrong MongoDB host", lambda r: _secret(r, "chargebus-backends", "mongodb-url", "mongodb://chargebus:dev-only-mongodb-password@mongo:27017/chargebus?authSource=admin")),
    ("backends", "dev", "no Redis", lambda r: r.objects.remove(_obj(r, "StatefulSet", "redis"))),
    ("backends", "production", "a MongoDB in production", lambda r: _container(r, "chargebus-billing").update(image="mongo:7")),
    ("tls", "production", "the certificate where no Secret is mounted", lambda r: _env(r, "chargebus-gateway", "CHARGEBUS_TLS_CERTFILE").update(value="/etc/tls/tls.crt")),
    ("tls", "production", "no TLS", lambda r: _container(r, "chargebus-gateway")["env"].remove(_env(r, "chargebus-gateway", "CHARGEBUS_TLS_KEYFILE"))),
    ("ping", "base", "pings rarer than idle timeouts", lambda r: _obj(r, "ConfigMap", "chargebus-gateway")["data"].update(CHARGEBUS_PING_INTERVAL="300")),
]
# fmt: on


def test_every_check_has_a_mutation() -> None:
    assert set(CHECKS) == {check for check, *_ in MUTATIONS}


@pytest.mark.parametrize(
    ("check", "name", "mutate"),
    [pytest.param(c, n, m, id=f"{c}-{n}-{d}") for c, n, d, m in MUTATIONS],
)
def test_check_fails(check: str, name: str, mutate: Callable[[Render], Any]) -> None:
    r = render(name)
    function, names = CHECKS[check]
    assert name in names
    assert function(r) == []
    mutate(r)
    assert function(r) != []


def test_sizes_check_fails() -> None:
    dev = _render("dev")
    original = copy.deepcopy(dev.objects)
    try:
        _container(dev, "chargebus-gateway")["resources"]["limits"]["memory"] = "4Gi"
        assert check_sizes() != []
    finally:
        dev.objects[:] = original
    assert check_sizes() == []


# -- what the code serves ----------------------------------------------------------------


async def _get(port: int, path: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    writer.close()
    await writer.wait_closed()
    return status


async def test_the_code_serves_the_probe_paths() -> None:
    """LIVENESS, READINESS and METRICS are what the gateway's probe server
    and the services' HTTP app answer (and an unknown path is not)."""
    from litestar.testing import AsyncTestClient

    from chargebus.common.http import make_app

    probes = ProbeServer("127.0.0.1", 0, ready=lambda: True, registry=GatewayMetrics().registry)
    await probes.start()
    try:
        for path in (LIVENESS, READINESS, METRICS):
            assert await _get(probes.port, path) == 200, path
        assert await _get(probes.port, "/ready") == 404
    finally:
        await probes.close()
    from chargebus.common.apikeys import ApiKeys

    # Probes answer without a key (none is configured here).
    app = make_app(
        [], ready=lambda: True, registries=[GatewayMetrics().registry], api_keys=ApiKeys()
    )
    async with AsyncTestClient(app) as client:
        for path in (LIVENESS, READINESS, METRICS):
            assert (await client.get(path)).status_code == 200, path
        assert (await client.get("/ready")).status_code == 404

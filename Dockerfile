# syntax=docker/dockerfile:1
#
# One image for every chargebus service:
#   docker run IMAGE run gateway      (sessions, commands, billing: likewise)
#   docker run -p 9000:9000 -p 8080:8080 IMAGE    the embedded all-in-one (`chargebus run`)
# docker-compose.yml runs the distributed set; tests/deploy/test_compose.py
# checks this file against the code.

# The builder and the runtime must share this image: the venv's python is a
# symlink to the base image's interpreter.
ARG PYTHON_IMAGE=python:3.11-slim-trixie

FROM ghcr.io/astral-sh/uv:0.13.9 AS uv

# -- builder: everything from uv.lock into /app/.venv -------------------------
FROM ${PYTHON_IMAGE} AS builder
COPY --from=uv /uv /uvx /bin/
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src

# Third-party dependencies first, in their own layer: only the lock file and
# the workspace's pyproject.toml files, so editing the source doesn't reinstall
# them.
COPY pyproject.toml uv.lock ./
COPY libs/common/pyproject.toml libs/common/
COPY services/gateway/pyproject.toml services/gateway/
COPY services/sessions/pyproject.toml services/sessions/
COPY services/commands/pyproject.toml services/commands/
COPY services/billing/pyproject.toml services/billing/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace

# Then the workspace itself, installed as wheels (not editable), so the
# runtime stage needs the venv and nothing else.
COPY README.md ./
COPY src src
COPY libs/common/src libs/common/src
COPY services/gateway/src services/gateway/src
COPY services/sessions/src services/sessions/src
COPY services/commands/src services/commands/src
COPY services/billing/src services/billing/src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable

# -- runtime -------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 chargebus \
    && useradd --system --uid 10001 --gid chargebus --home-dir /app \
        --no-create-home --shell /usr/sbin/nologin chargebus \
    && mkdir -p /app/data \
    && chown chargebus:chargebus /app/data
COPY --from=builder /app/.venv /app/.venv
# Apache-2.0 §4(a): a copy of the licence goes with every copy of the code.
COPY LICENSE /app/LICENSE
ENV PATH="/app/.venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CHARGEBUS_LOG_FORMAT=json
# The embedded all-in-one keeps its SQLite files in ./data (/app/data).
WORKDIR /app
USER 10001:10001

# OCPP WebSockets (the gateway); HTTP API, /healthz, /readyz and /metrics (every service).
EXPOSE 9000 8080
# No curl in the slim image: Python asks /healthz on CHARGEBUS_API_PORT.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('CHARGEBUS_API_PORT', '8080'), timeout=4)"]
# Every service stops gracefully on SIGTERM (the gateway drains its sockets first).
STOPSIGNAL SIGTERM
ENTRYPOINT ["chargebus"]
CMD ["run"]

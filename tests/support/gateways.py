"""Gateway processes (``python -m chargebus.gateway``) for the integration
tests, on free loopback ports, logging to a file each."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

ROUTE_TTL = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class GatewayProcess:
    def __init__(
        self, name: str, amqp_url: str, redis_url: str, logs: Path, **settings: str
    ) -> None:
        self.name = name
        self.ocpp_port = free_port()
        self.api_port = free_port()
        env = dict(os.environ)
        env.update(
            CHARGEBUS_AMQP_URL=amqp_url,
            CHARGEBUS_REDIS_URL=redis_url,
            CHARGEBUS_INSTANCE_ID=name,
            CHARGEBUS_HOST="127.0.0.1",
            CHARGEBUS_OCPP_PORT=str(self.ocpp_port),
            CHARGEBUS_API_PORT=str(self.api_port),
            CHARGEBUS_ROUTE_TTL=str(ROUTE_TTL),
            CHARGEBUS_ROUTE_REFRESH="0.5",
        )
        env.update(settings)
        self.log = logs / f"{name}.log"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "chargebus.gateway"],
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    async def ready(self, timeout: float = 30) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{self.log.read_text()}")
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.api_port)
                writer.write(b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
                answer = await reader.read()
                writer.close()
                if answer.startswith(b"HTTP/1.1 200"):
                    return
            except OSError:
                pass
            await asyncio.sleep(0.1)
        raise AssertionError(f"{self.name} not ready:\n{self.log.read_text()}")

    def url(self, charger_id: str) -> str:
        return f"ws://127.0.0.1:{self.ocpp_port}/ocpp/{charger_id}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

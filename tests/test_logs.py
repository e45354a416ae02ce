"""Logs (chargebus.common.logs): JSON lines or text, the charger / message /
correlation context, secrets redacted, the level and format from the
settings of every entry point; and a service alone needs Redis only when it
has a Redis URL setting (billing doesn't)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import runpy
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from chargebus.billing.settings import BillingSettings
from chargebus.commands.settings import CommandsSettings
from chargebus.common import envelope, logs
from chargebus.common.bus import Delivery
from chargebus.common.bus.memory import MemoryBroker, MemoryBus
from chargebus.common.envelope import OcppMessage
from chargebus.common.events import SessionStarted
from chargebus.common.logs import (
    JsonFormatter,
    TextFormatter,
    bind,
    current_context,
    log_context,
    redact,
    reset,
)
from chargebus.common.routes.memory import MemoryRouteTable
from chargebus.common.store.sqlite import SqliteStore
from chargebus.common.wiring import service_main, standalone_problem
from chargebus.gateway.settings import GatewaySettings
from chargebus.sessions.settings import SessionsSettings

log = logging.getLogger("chargebus.test")

TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    levels = {name: logging.getLogger(name).level for name in logs.NOISY}
    excepthook = sys.excepthook
    yield
    sys.excepthook = excepthook
    for handler in list(root.handlers):
        if handler.get_name() == "chargebus":
            root.removeHandler(handler)
    root.setLevel(level)
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)
    for name in logs.SILENT:
        logging.getLogger(name).disabled = False
    logging.captureWarnings(False)


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No CHARGEBUS_* variable from the environment the tests run in."""
    import os

    for name in list(os.environ):
        if name.startswith("CHARGEBUS_"):
            monkeypatch.delenv(name)
    return monkeypatch


def json_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def configured(fmt: str = "json", level: str = "DEBUG") -> io.StringIO:
    stream = io.StringIO()
    logs.configure(level, fmt, stream)
    return stream


# -- JSON lines ----------------------------------------------------------------------------


def test_a_json_line_per_record_with_its_fields() -> None:
    out = configured()
    log.info("charger %s booted", "CP-1", extra={"action": "BootNotification", "n": 3})
    log.warning("two\nlines")
    first, second = json_lines(out)
    assert TIME.match(first["time"]), first["time"]
    assert first == {
        "time": first["time"],
        "level": "INFO",
        "logger": "chargebus.test",
        "message": "charger CP-1 booted",
        "action": "BootNotification",
        "n": 3,
    }
    assert second["level"] == "WARNING"
    assert second["message"] == "two\nlines"
    assert len(out.getvalue().splitlines()) == 2  # one line each, newlines escaped


def test_extras_that_are_not_json_are_left_out() -> None:
    out = configured()
    log.info("odd extras", extra={"ok": [1, "a"], "odd": object(), "path": {"a": 1}})
    (line,) = json_lines(out)
    assert line["ok"] == [1, "a"]
    assert line["path"] == {"a": 1}
    assert "odd" not in line
    assert line["message"] == "odd extras"


def test_an_exception_is_in_exc() -> None:
    out = configured()
    try:
        raise ValueError("bad value")
    except ValueError:
        log.exception("it failed")
    (line,) = json_lines(out)
    assert line["message"] == "it failed"
    assert line["level"] == "ERROR"
    assert "Traceback (most recent call last)" in line["exc"]
    assert "ValueError: bad value" in line["exc"]


def test_the_time_is_utc_with_milliseconds() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    record.created = 1_750_000_000.25
    record.msecs = 250.0
    line = json.loads(JsonFormatter().format(record))
    assert line["time"] == "2025-06-15T15:06:40.250Z"


# -- context -------------------------------------------------------------------------------


def test_context_fields_appear_and_are_reset() -> None:
    out = configured()
    with log_context(charger_id="CP-1", message_id="m-1", correlation_id="c-1"):
        log.info("inside")
        with log_context(message_id="m-2"):
            log.info("nested")
        log.info("after nested")
    log.info("outside")
    inside, nested, after, outside = json_lines(out)
    assert (inside["charger_id"], inside["message_id"], inside["correlation_id"]) == (
        "CP-1",
        "m-1",
        "c-1",
    )
    assert (nested["charger_id"], nested["message_id"]) == ("CP-1", "m-2")
    assert after["message_id"] == "m-1"
    assert not {"charger_id", "message_id", "correlation_id"} & outside.keys()


def test_unset_fields_are_left_out() -> None:
    out = configured()
    with log_context(charger_id="CP-1"):
        log.info("only the charger")
    (line,) = json_lines(out)
    assert line["charger_id"] == "CP-1"
    assert "message_id" not in line
    assert "correlation_id" not in line


def test_bind_returns_a_token_for_reset() -> None:
    assert current_context() == {}
    token = bind(charger_id="CP-2", correlation_id=None)
    assert current_context() == {"charger_id": "CP-2"}
    inner = bind(message_id="7")
    assert current_context() == {"charger_id": "CP-2", "message_id": "7"}
    reset(inner)
    assert current_context() == {"charger_id": "CP-2"}
    reset(token)
    assert current_context() == {}


def test_log_context_undoes_binds_made_inside_it() -> None:
    with log_context(correlation_id="c-9"):
        bind(charger_id="CP-9", message_id="9")
        assert current_context() == {
            "correlation_id": "c-9",
            "charger_id": "CP-9",
            "message_id": "9",
        }
    assert current_context() == {}


def test_log_context_resets_on_an_exception() -> None:
    with pytest.raises(RuntimeError), log_context(charger_id="CP-1"):
        raise RuntimeError("boom")
    assert current_context() == {}


async def test_each_task_has_its_own_context() -> None:
    out = configured()

    async def handle(charger_id: str) -> None:
        with log_context(charger_id=charger_id):
            for n in range(3):
                log.info("step %d of %s", n, charger_id)
                await asyncio.sleep(0)

    await asyncio.gather(handle("CP-A"), handle("CP-B"))
    lines = json_lines(out)
    assert len(lines) == 6
    for line in lines:
        assert line["message"].endswith(line["charger_id"])
    assert current_context() == {}


def test_text_lines_carry_the_context_and_extras() -> None:
    out = configured("text")
    with log_context(charger_id="CP-1", message_id="m 1"):
        log.info("hello", extra={"action": "Heartbeat"})
    (line,) = out.getvalue().splitlines()
    assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INFO chargebus.test: hello  ", line)
    assert line.endswith('charger_id=CP-1 message_id="m 1" action=Heartbeat')


# -- redaction -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("amqp://chargebus:s3cret@rabbit:5672/", "amqp://chargebus:***@rabbit:5672/"),
        ("amqps://u:p@ss@rabbit/vhost", "amqps://u:***@rabbit/vhost"),
        ("redis://:s3cret@redis:6379/0", "redis://:***@redis:6379/0"),
        ("rediss://default:s3cret@redis", "rediss://default:***@redis"),
        (
            "mongodb://app:s3cret@m1,m2/chargebus?tls=true",
            "mongodb://app:***@m1,m2/chargebus?tls=true",
        ),
        ("mongodb+srv://app:s3cret@cluster0/db", "mongodb+srv://app:***@cluster0/db"),
        ("http://user:s3cret@proxy:3128", "http://user:***@proxy:3128"),
        ("url 'https://user:s3cret@example.com/x'", "url 'https://user:***@example.com/x'"),
        ("Authorization: Basic Q1AtMTpzM2NyZXQ=", "Authorization: Basic ***"),
        ("authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", "authorization: Bearer ***"),
        ("authorization=Bearer abc", "authorization=Bearer ***"),
        ("headers [('Authorization', 'Basic Q1AtMTpz')]", "headers [('Authorization', '***')]"),
        ("token Bearer abc.def.ghi", "token Bearer ***"),
        ("password=s3cret user=bob", "password=*** user=bob"),
        ("db_password = 's3 cret', next", "db_password = '***', next"),
        ("GET /v1/x?api_key=k3y&page=2", "GET /v1/x?api_key=***&page=2"),
        ("passwd=a; secret=b, token=c apiKey=d", "passwd=***; secret=***, token=*** apiKey=***"),
        ('{"password": "s3\\"cret", "user": "bob"}', '{"password": "***", "user": "bob"}'),
        ('{"basicAuthPassword":"x","id":1}', '{"basicAuthPassword":"***","id":1}'),
        ("{'client_secret': 'x', 'a': 'b'}", "{'client_secret': '***', 'a': 'b'}"),
        ('{"Authorization": "Basic abc"}', '{"Authorization": "***"}'),
    ],
)
def test_secrets_are_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected
    assert redact(expected) == expected  # and again changes nothing


@pytest.mark.parametrize(
    "text",
    [
        "charger CP-1 booted (ocpp1.6, epoch 3)",
        "routing_key=ocpp.v16.BootNotification",
        "token_type=ISO14443 tokens=5",
        "wrong password from CP-1",
        "Basic auth failed for CP-1",
        "ws://gateway:9000/ocpp/CP-1",
        "amqp://guest@rabbit/",  # no password
        "http://host:8080/path",
    ],
)
def test_other_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


def test_redacted_in_json_lines() -> None:
    out = configured()
    log.warning(
        "connecting to %s with %s",
        "amqp://chargebus:s3cret@rabbit/",
        {"password": "s3cret"},
        extra={
            "url": "redis://:s3cret@redis/0",
            "api_key": "k3y",
            "headers": {"Authorization": "Bearer t0ken", "Accept": "json"},
            "urls": ["mongodb://a:s3cret@m/db"],
        },
    )
    (line,) = json_lines(out)
    assert "s3cret" not in out.getvalue()
    assert "k3y" not in out.getvalue()
    assert "t0ken" not in out.getvalue()
    assert line["message"] == "connecting to amqp://chargebus:***@rabbit/ with {'password': '***'}"
    assert line["url"] == "redis://:***@redis/0"
    assert line["api_key"] == "***"
    assert line["headers"] == {"Authorization": "***", "Accept": "json"}
    assert line["urls"] == ["mongodb://a:***@m/db"]


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_an_exception_with_a_url_is_redacted(fmt: str) -> None:
    out = configured(fmt)
    try:
        raise ConnectionError("can't connect to amqp://chargebus:s3cret@rabbit:5672/")
    except ConnectionError:
        log.exception("bus down")
    assert "s3cret" not in out.getvalue()
    assert "amqp://chargebus:***@rabbit:5672/" in out.getvalue()


def test_an_error_that_ends_the_process_is_one_redacted_record() -> None:
    out = configured()
    try:
        raise ConnectionError("amqp://chargebus:s3cret@rabbit/ refused")
    except ConnectionError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    (line,) = json_lines(out)
    assert line["level"] == "CRITICAL"
    assert "ConnectionError: amqp://chargebus:***@rabbit/ refused" in line["exc"]
    assert "s3cret" not in out.getvalue()


# -- configure -----------------------------------------------------------------------------


def test_auto_is_text_on_a_terminal_and_json_otherwise() -> None:
    terminal = Terminal()
    logs.configure("INFO", "auto", terminal)
    log.info("hello")
    assert not terminal.getvalue().startswith("{")
    assert " INFO chargebus.test: hello" in terminal.getvalue()

    pipe = io.StringIO()
    logs.configure("INFO", "auto", pipe)
    log.info("hello")
    assert json.loads(pipe.getvalue())["message"] == "hello"


def test_json_and_text_whatever_the_stream() -> None:
    terminal = Terminal()
    logs.configure("INFO", "json", terminal)
    log.info("hello")
    assert json.loads(terminal.getvalue())["message"] == "hello"
    pipe = io.StringIO()
    logs.configure("INFO", "text", pipe)
    log.info("hello")
    assert pipe.getvalue().rstrip().endswith("INFO chargebus.test: hello")


def test_the_level_is_respected() -> None:
    out = configured(level="warning")
    log.debug("debug")
    log.info("info")
    log.warning("warning")
    log.error("error")
    assert [line["message"] for line in json_lines(out)] == ["warning", "error"]


def test_the_stream_defaults_to_stderr_at_the_time_of_the_call(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logs.configure("INFO", "json")
    log.info("to stderr")
    assert json.loads(capsys.readouterr().err)["message"] == "to stderr"


def test_configure_again_replaces_its_handler() -> None:
    root = logging.getLogger()
    first, second = io.StringIO(), io.StringIO()
    logs.configure("INFO", "json", first)
    logs.configure("DEBUG", "text", second)
    assert len(root.handlers) == 1
    assert isinstance(root.handlers[0].formatter, TextFormatter)
    log.debug("once")
    assert first.getvalue() == ""
    assert second.getvalue().count("once") == 1


def test_noisy_libraries_are_quieter() -> None:
    out = configured(level="DEBUG")
    logging.getLogger("aio_pika.robust_connection").info("reconnecting")
    logging.getLogger("aiormq.connection").debug("frame")
    logging.getLogger("pamqp").debug("frame")
    logging.getLogger("websockets.server").debug('< TEXT \'[2,"1","Boot...\'')
    logging.getLogger("uvicorn.access").info("GET /healthz 200")
    logging.getLogger("aio_pika").warning("connection lost")
    assert [line["message"] for line in json_lines(out)] == ["connection lost"]


def test_quieted_libraries_follow_a_higher_level() -> None:
    out = configured(level="ERROR")
    logging.getLogger("aio_pika").warning("connection lost")
    assert out.getvalue() == ""


@pytest.mark.parametrize("level", ["verbose", "", "INFO2"])
def test_a_bad_level_is_refused(level: str) -> None:
    with pytest.raises(ValueError, match="log level"):
        logs.configure(level, "json", io.StringIO())


def test_a_bad_format_is_refused() -> None:
    with pytest.raises(ValueError, match="log format"):
        logs.configure("INFO", "xml", io.StringIO())


# -- the entry points ----------------------------------------------------------------------


def test_billing_alone_needs_rabbitmq_but_no_redis() -> None:
    assert standalone_problem("billing", BillingSettings(amqp_url="amqp://rabbit/")) is None
    problem = standalone_problem("billing", BillingSettings())
    assert problem is not None
    assert "CHARGEBUS_AMQP_URL" in problem
    assert "REDIS" not in problem


@pytest.mark.parametrize("settings_type", [SessionsSettings, CommandsSettings])
def test_sessions_and_commands_alone_need_rabbitmq_and_redis(
    settings_type: type[SessionsSettings] | type[CommandsSettings],
) -> None:
    problem = standalone_problem("x", settings_type(amqp_url="amqp://rabbit/"))
    assert problem is not None
    assert "CHARGEBUS_REDIS_URL" in problem
    assert "CHARGEBUS_AMQP_URL" not in problem
    both = settings_type(amqp_url="amqp://rabbit/", redis_url="redis://redis/0")
    assert standalone_problem("x", both) is None
    neither = standalone_problem("x", settings_type())
    assert neither is not None
    assert "CHARGEBUS_AMQP_URL and CHARGEBUS_REDIS_URL" in neither


def test_service_main_runs_billing_without_redis_and_logs_as_set(
    no_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    no_env.setenv("CHARGEBUS_AMQP_URL", "amqp://chargebus:s3cret@rabbit/")
    no_env.setenv("CHARGEBUS_LOG_FORMAT", "json")
    no_env.setenv("CHARGEBUS_LOG_LEVEL", "warning")
    served: list[BillingSettings] = []

    async def serve(settings: BillingSettings) -> None:
        served.append(settings)
        log.info("not shown")
        log.warning("connecting to %s", settings.amqp_url)

    service_main("billing", BillingSettings, serve)
    assert len(served) == 1
    (line,) = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert line["message"] == "connecting to amqp://chargebus:***@rabbit/"


def test_service_main_still_wants_redis_for_sessions(no_env: pytest.MonkeyPatch) -> None:
    no_env.setenv("CHARGEBUS_AMQP_URL", "amqp://rabbit/")

    async def serve(settings: SessionsSettings) -> None:  # pragma: no cover - not reached
        raise AssertionError("served without Redis")

    with pytest.raises(SystemExit, match="chargebus sessions: set CHARGEBUS_REDIS_URL"):
        service_main("sessions", SessionsSettings, serve)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CHARGEBUS_LOG_LEVEL", "loud", "bad setting: CHARGEBUS_LOG_LEVEL: log level 'loud'"),
        ("CHARGEBUS_LOG_FORMAT", "xml", "bad setting: CHARGEBUS_LOG_FORMAT"),
        ("CHARGEBUS_PREFETCH", "many", "bad setting: CHARGEBUS_PREFETCH"),
    ],
)
def test_service_main_exits_on_a_bad_setting(
    no_env: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    no_env.setenv("CHARGEBUS_AMQP_URL", "amqp://rabbit/")
    no_env.setenv(variable, value)

    async def serve(settings: BillingSettings) -> None:  # pragma: no cover - not reached
        raise AssertionError("served with a bad setting")

    with pytest.raises(SystemExit, match=re.escape(message)):
        service_main("billing", BillingSettings, serve)


def test_python_m_gateway_logs_as_set(no_env: pytest.MonkeyPatch) -> None:
    no_env.setenv("CHARGEBUS_LOG_FORMAT", "text")
    no_env.setenv("CHARGEBUS_LOG_LEVEL", "error")
    ran: list[Any] = []
    no_env.setattr("chargebus.gateway.main.serve_until_stopped", lambda settings: settings)
    no_env.setattr("chargebus.common.wiring.run_loop", lambda main, **_: ran.append(main))
    runpy.run_module("chargebus.gateway", run_name="__main__")
    assert isinstance(ran[0], GatewaySettings)
    root = logging.getLogger()
    assert root.level == logging.ERROR
    assert isinstance(root.handlers[0].formatter, TextFormatter)


def test_chargebus_run_flags_override_the_settings(no_env: pytest.MonkeyPatch) -> None:
    from chargebus.cli.main import main

    no_env.setenv("CHARGEBUS_LOG_LEVEL", "ERROR")
    no_env.setenv("CHARGEBUS_LOG_FORMAT", "text")
    # With RabbitMQ but no Redis, `run` stops after configuring the logs.
    no_env.setenv("CHARGEBUS_AMQP_URL", "amqp://rabbit/")
    with pytest.raises(SystemExit, match="CHARGEBUS_REDIS_URL"):
        main(["run", "--log-level", "debug", "--log-format", "json"])
    root = logging.getLogger()
    assert root.level == logging.DEBUG
    assert isinstance(root.handlers[0].formatter, JsonFormatter)


def test_chargebus_run_takes_the_environment_without_flags(no_env: pytest.MonkeyPatch) -> None:
    from chargebus.cli.main import main

    no_env.setenv("CHARGEBUS_LOG_LEVEL", "warning")
    no_env.setenv("CHARGEBUS_LOG_FORMAT", "text")
    no_env.setenv("CHARGEBUS_AMQP_URL", "amqp://rabbit/")
    with pytest.raises(SystemExit):
        main(["run"])
    root = logging.getLogger()
    assert root.level == logging.WARNING
    assert isinstance(root.handlers[0].formatter, TextFormatter)


def test_chargebus_run_refuses_a_bad_log_level_flag(no_env: pytest.MonkeyPatch) -> None:
    from chargebus.cli.main import main

    with pytest.raises(SystemExit, match="bad setting: --log-level: log level 'loud'"):
        main(["run", "--log-level", "loud"])


# -- the services' handlers bind the context ----------------------------------------------


async def test_sessions_logs_carry_the_charger_and_message(tmp_path: Path) -> None:
    from chargebus.sessions.schema import SCHEMA
    from chargebus.sessions.service import SessionsService

    service = SessionsService(
        SessionsSettings(unknown_chargers="accept"),
        SqliteStore(tmp_path / "sessions.db", SCHEMA),
        MemoryBus(MemoryBroker()),
        MemoryRouteTable(),
    )
    await service.start()
    out = configured()
    try:
        message = OcppMessage(
            charger_id="CP-42",
            version="v16",
            action="BootNotification",
            message_id="boot-1",
            payload=msgspec.Raw(b'{"chargePointVendor":"V","chargePointModel":"M"}'),
            received_at=1_750_000_000.0,
            gateway="gw-1",
        )
        await service.on_delivery(
            Delivery(
                body=envelope.encode(message),
                routing_key="ocpp.v16.BootNotification",
                reply_to="nobody",
                correlation_id="corr-1",
            )
        )
    finally:
        await service.stop()
    unknown = [line for line in json_lines(out) if "unknown charger" in line["message"]]
    assert unknown, out.getvalue()
    assert unknown[0]["charger_id"] == "CP-42"
    assert unknown[0]["message_id"] == "boot-1"
    assert unknown[0]["correlation_id"] == "corr-1"
    assert current_context() == {}


async def test_billing_logs_carry_the_charger_and_session(tmp_path: Path) -> None:
    from chargebus.billing.model import SCHEMA
    from chargebus.billing.service import BillingService

    service = BillingService(
        BillingSettings(cdr_delay=0.0),
        SqliteStore(tmp_path / "billing.db", SCHEMA),
        MemoryBus(MemoryBroker()),
    )
    await service.start()
    out = configured()
    try:
        started = SessionStarted(
            event_id="S-1:1",
            charger_id="CP-7",
            session_id="S-1",
            transaction_id="tx-1",
            evse_id=1,
            connector_id=1,
            occurred_at=1_750_000_000.0,
            started_at=1_750_000_000.0,
        )
        await service.on_delivery(
            Delivery(body=msgspec.json.encode(started), routing_key="session.started")
        )
    finally:
        await service.stop()
    untariffed = [line for line in json_lines(out) if "no tariff" in line["message"]]
    assert untariffed, out.getvalue()
    assert untariffed[0]["charger_id"] == "CP-7"
    assert untariffed[0]["session_id"] == "S-1"


async def test_commands_logs_carry_the_command_and_charger(tmp_path: Path) -> None:
    from chargebus.commands.model import SCHEMA
    from chargebus.commands.service import CommandsService

    service = CommandsService(
        CommandsSettings(),
        SqliteStore(tmp_path / "commands.db", SCHEMA),
        MemoryBus(MemoryBroker()),
        MemoryRouteTable(),
    )
    await service.start()

    async def broken_lookup(charger_id: str) -> None:
        raise RuntimeError("route table at redis://:s3cret@redis/0 exploded")

    service.dispatch._lookup = broken_lookup  # type: ignore[method-assign]
    out = configured()
    try:
        await service.submit("reset", "CP-3", {"type": "soft"}, command_id="cmd-1")
        for _ in range(50):
            state = await service.find("cmd-1")
            if state is not None and state.final:
                break
            await asyncio.sleep(0.01)
    finally:
        await service.stop()
    failed = [line for line in json_lines(out) if line["message"].endswith("failed")]
    assert failed, out.getvalue()
    assert failed[0]["charger_id"] == "CP-3"
    assert failed[0]["correlation_id"] == "cmd-1"
    assert "redis://:***@redis/0" in failed[0]["exc"]
    assert "s3cret" not in out.getvalue()

"""Logs for every chargebus process: one line per event, JSON or text.

:func:`configure` installs the one handler on the root logger, from a
service's ``log_level`` and ``log_format`` settings: JSON objects, one a
line (``json``, or ``auto`` when stderr is not a terminal), or readable text
(``text``, or ``auto`` on a terminal).

Code that works on behalf of a charger, an OCPP message or a command says
so once, and every line logged meanwhile carries it::

    with log_context(charger_id=message.charger_id, message_id=message.message_id):
        ...

    token = bind(charger_id=charger_id)  # for the rest of this task
    ...
    reset(token)

The context lives in a :mod:`contextvars` variable, so it follows the task
(and the tasks it creates) and never leaks into other tasks.

Secrets are never written: every message, traceback and ``extra=`` value
goes through :func:`redact` (credentials in URLs, ``Authorization`` values,
values of keys named like password/secret/token/api_key), and an ``extra=``
field named like a secret is masked whole.
"""

from __future__ import annotations

import contextvars
import logging
import re
import sys
import time
import types
from collections.abc import Mapping
from typing import IO, Any, Literal, TypeAlias

import msgspec

__all__ = [
    "MASK",
    "JsonFormatter",
    "Scalar",
    "TextFormatter",
    "Token",
    "bind",
    "configure",
    "current_context",
    "log_context",
    "redact",
    "reset",
]

MASK = "***"

#: What a context field may hold (JSON scalars; ``None`` means "not set").
Scalar: TypeAlias = str | int | float | bool | None
Token: TypeAlias = contextvars.Token[Mapping[str, Scalar]]

_EMPTY: Mapping[str, Scalar] = types.MappingProxyType({})
_context: contextvars.ContextVar[Mapping[str, Scalar]] = contextvars.ContextVar(
    "chargebus_log_context", default=_EMPTY
)

#: Third-party loggers kept at WARNING (or the configured level, if higher):
#: chatty at INFO/DEBUG, and websockets and pymongo log whole frames and
#: commands at DEBUG (payloads may hold charger passwords).
NOISY = ("aio_pika", "aiormq", "pamqp", "websockets", "pymongo", "redis", "asyncio")
#: Loggers turned off: uvicorn's access log (one line per HTTP request).
SILENT = ("uvicorn.access",)


# -- context -------------------------------------------------------------------------------


def bind(**fields: Scalar) -> Token:
    """Add fields (``charger_id``, ``message_id``, ``correlation_id``, or any
    other) to the log context of the running task, on top of what is bound
    already; ``None`` values are left out.  Returns the token for
    :func:`reset`, which restores the context as it was before this call
    (and undoes any :func:`bind` made after it)."""
    current = _context.get()
    new = {key: value for key, value in fields.items() if value is not None}
    return _context.set({**current, **new} if new else current)


def reset(token: Token) -> None:
    """Put the log context back as it was before the :func:`bind` that
    returned ``token``."""
    _context.reset(token)


def current_context() -> dict[str, Scalar]:
    """The fields bound in the running task."""
    return dict(_context.get())


class log_context:  # lower case: used like a function, as contextlib's are
    """A context manager binding log context fields for its block::

        with log_context(charger_id="CP1", message_id="42"):
            ...

    On exit the context is as it was on entry, including any :func:`bind`
    made inside the block.  ``None`` leaves a field as it is.  One instance
    is entered once (it is cheap: make a new one each time)."""

    __slots__ = ("_fields", "_token")

    def __init__(
        self,
        charger_id: str | None = None,
        message_id: str | None = None,
        correlation_id: str | None = None,
        **fields: Scalar,
    ) -> None:
        self._fields: dict[str, Scalar] = {
            "charger_id": charger_id,
            "message_id": message_id,
            "correlation_id": correlation_id,
            **fields,
        }
        self._token: Token | None = None

    def __enter__(self) -> None:
        self._token = bind(**self._fields)

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _context.reset(self._token)
            self._token = None


# -- redaction -----------------------------------------------------------------------------

#: Key names whose values are secrets (the key ends with one of these).
_SECRET_WORDS = (
    r"(?:password|passwd|passphrase|pwd|secret|token|credentials?|apikey"
    r"|(?:api|auth|authorization|access|secret|private|signing|encryption)[_-]?key)"
)
_KEY = rf"[\w.-]*?{_SECRET_WORDS}"
#: A key named like a secret, whole (for ``extra=`` fields and dict keys).
_SECRET_KEY = re.compile(rf"{_KEY}|[\w.-]*?authorization|cookie", re.IGNORECASE)

#: ``scheme://user:password@host``: the password.
_URL = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/?#@\"'<>]*:)[^\s/?#\"'<>]*@")
#: ``Authorization: Basic xxx`` / ``authorization=Bearer xxx`` (any scheme, or none).
_AUTH = re.compile(
    r"(?P<head>\b(?:proxy-)?authorization\s*[:=]\s*)"
    r"(?:(?P<scheme>basic|bearer|digest|token|negotiate)\s+)?"
    r"(?P<value>[^\s,;'\"]+)",
    re.IGNORECASE,
)
#: ``"password": "xxx"`` (JSON), ``'password': 'xxx'`` (a dict's repr),
#: ``('password', 'xxx')`` (a header list's repr).
_QUOTED = re.compile(
    rf"(?P<head>(?P<kq>[\"'])(?:{_KEY}|[\w.-]*?authorization|cookie)(?P=kq)\s*[:,]\s*"
    r"(?P<vq>[\"']))(?:\\.|(?!(?P=vq))[^\\])*(?P=vq)",
    re.IGNORECASE,
)
#: ``password=xxx``, ``api_key = "xxx"``, ``?token=xxx&``.
_KEY_VALUE = re.compile(
    rf"(?P<head>(?<![\w.-]){_KEY}\s*=\s*)"
    r"(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^\s,;&'\")\]}]+)",
    re.IGNORECASE,
)
#: ``Bearer xxx`` on its own (a header value without its name).
_BEARER = re.compile(r"\b(?P<head>bearer\s+)[A-Za-z0-9._~+/-]+=*", re.IGNORECASE)
#: No secret without one of these (lower case); most lines have none, and
#: looking for them is cheaper than any of the patterns above.
_TRIGGERS = (
    "://",
    "pass",
    "pwd",
    "secret",
    "token",
    "key",
    "auth",
    "bearer",
    "credential",
    "cookie",
)


def _masked(match: re.Match[str]) -> str:
    return f"{match['head']}{MASK}"


def _masked_auth(match: re.Match[str]) -> str:
    scheme = match["scheme"]
    return f"{match['head']}{scheme} {MASK}" if scheme else f"{match['head']}{MASK}"


def _masked_quoted(match: re.Match[str]) -> str:
    return f"{match['head']}{MASK}{match['vq']}"


def _masked_value(match: re.Match[str]) -> str:
    value = match.group(0)[len(match["head"]) :]
    quote = value[0] if value[0] in "\"'" else ""
    return f"{match['head']}{quote}{MASK}{quote}"


def redact(text: str) -> str:
    """``text`` with the secrets in it replaced by ``***``: URL passwords
    (``amqp://user:***@host``), ``Authorization`` values (``Basic ***``),
    and the values of keys named like password, passwd, secret, token,
    api_key, authorization in ``key=value`` and ``"key": "value"`` forms."""
    low = text.lower()
    if not any(trigger in low for trigger in _TRIGGERS):
        return text
    if "://" in text:
        text = _URL.sub(r"\g<head>***@", text)
    text = _AUTH.sub(_masked_auth, text)
    text = _QUOTED.sub(_masked_quoted, text)
    text = _KEY_VALUE.sub(_masked_value, text)
    return _BEARER.sub(_masked, text)


def _scrub(key: str, value: Any, depth: int = 0) -> Any:
    """An ``extra=`` value with its secrets masked, nested ones included."""
    if value is None:
        return None
    if _SECRET_KEY.fullmatch(key):
        return MASK
    if isinstance(value, str):
        return redact(value)
    if depth < 4 and isinstance(value, Mapping):
        return {k: _scrub(str(k), v, depth + 1) for k, v in value.items()}
    if depth < 4 and isinstance(value, list | tuple):
        return [_scrub("", v, depth + 1) for v in value]
    return value


# -- formatters ----------------------------------------------------------------------------

#: A LogRecord's own attributes; the others came with ``extra=``.
_RECORD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's copy of the message with terminal colours
}
#: The JSON line's own keys; an ``extra=`` field doesn't replace them.
_CORE = frozenset({"time", "level", "logger", "message", "exc", "stack"})


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    names = record.__dict__.keys() - _RECORD_FIELDS
    if not names:
        return {}
    return {
        name: _scrub(name, record.__dict__[name])
        for name in sorted(names)
        if not name.startswith("_") and name not in _CORE
    }


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ``time`` (RFC 3339, UTC, ms), ``level``,
    ``logger``, ``message``, the context fields that are set (``charger_id``,
    ``message_id``, ``correlation_id``, ...), the ``extra=`` fields that can
    be encoded as JSON, and ``exc`` (the traceback) when there is one."""

    def __init__(self) -> None:
        super().__init__()
        self._encoder = msgspec.json.Encoder()
        self._second: tuple[int, str] = (-1, "")

    def _time(self, record: logging.LogRecord) -> str:
        second = int(record.created)
        cached = self._second
        if cached[0] != second:
            cached = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
            self._second = cached
        return f"{cached[1]}.{int(record.msecs):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self._time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        line.update(_context.get())
        extras = _extras(record)
        line.update(extras)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc"] = redact(record.exc_text)
        if record.stack_info:
            line["stack"] = redact(self.formatStack(record.stack_info))
        try:
            return self._encoder.encode(line).decode()
        except (TypeError, ValueError, msgspec.MsgspecError):
            for name in extras:  # leave out what can't be JSON
                try:
                    self._encoder.encode(line[name])
                except (TypeError, ValueError, msgspec.MsgspecError):
                    del line[name]
            return self._encoder.encode(line).decode()


class TextFormatter(logging.Formatter):
    """``2025-05-01 12:00:00.123 INFO chargebus.x: message  charger_id=CP1
    message_id=42``, the traceback on the lines after."""

    def format(self, record: logging.LogRecord) -> str:
        when = self.formatTime(record, "%Y-%m-%d %H:%M:%S")
        text = (
            f"{when}.{int(record.msecs):03d} {record.levelname} {record.name}: "
            f"{redact(record.getMessage())}"
        )
        fields = {**_context.get(), **_extras(record)}
        if fields:
            text += "  " + " ".join(f"{key}={_shown(value)}" for key, value in fields.items())
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            text += "\n" + redact(record.exc_text)
        if record.stack_info:
            text += "\n" + redact(self.formatStack(record.stack_info))
        return text


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    if not text or any(c.isspace() for c in text) or '"' in text:
        return msgspec.json.encode(text).decode()
    return text


# -- configuration -------------------------------------------------------------------------

_HANDLER_NAME = "chargebus"


def _level(level: str | int) -> int:
    if isinstance(level, int):
        return level
    name = level.strip().upper()
    name = {"WARN": "WARNING", "FATAL": "CRITICAL"}.get(name, name)
    value = logging.getLevelNamesMapping().get(name)
    if value is None:
        if name.isdigit():
            return int(name)
        raise ValueError(f"log level {level!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return value


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def configure(
    level: str | int = "INFO",
    fmt: Literal["auto", "json", "text"] | str = "auto",
    stream: IO[str] | None = None,
) -> None:
    """Log records of ``level`` and above to ``stream`` (``sys.stderr`` at
    the time of the call when not given), one handler on the root logger in
    place of any there: JSON when ``fmt`` is ``json``, or ``auto`` and the
    stream is not a terminal; else text.  Calling it again replaces the
    handler.  An exception that ends the process is logged the same way
    (``sys.excepthook``).  A bad level or format raises ValueError."""
    numeric = _level(level)
    if fmt not in ("auto", "json", "text"):
        raise ValueError(f"log format {fmt!r}: use auto, json or text")
    out = stream if stream is not None else sys.stderr
    as_json = fmt == "json" or (fmt == "auto" and not _is_terminal(out))
    handler = logging.StreamHandler(out)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if as_json else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
        if old.get_name() == _HANDLER_NAME:
            old.close()
    root.addHandler(handler)
    root.setLevel(numeric)
    # A logger's own level decides, not the root's: these are never more
    # talkative than WARNING, nor than the level asked for.
    for name in NOISY:
        logging.getLogger(name).setLevel(max(numeric, logging.WARNING))
    for name in SILENT:
        logging.getLogger(name).disabled = True
    logging.captureWarnings(True)
    sys.excepthook = _uncaught


def _uncaught(
    kind: type[BaseException], value: BaseException, tb: types.TracebackType | None
) -> None:
    """What ends the process is logged too: one record, redacted, in the
    format of the rest (not Python's bare traceback on stderr)."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    logging.getLogger("chargebus").critical("stopped by an error", exc_info=(kind, value, tb))

"""Id tokens and Authorize (C01; 1.6 §4.1): what the CSMS answers for a
token, wherever a token is checked (Authorize, 1.6 Start/StopTransaction,
2.x TransactionEvent).

Rules: an unknown token is Invalid; an Accepted one past its expiry is
Expired; a token of another 2.x type with the same characters is unknown;
2.x NoAuthorization is Accepted without a look-up.  Tokens are
case-insensitive.
"""

from __future__ import annotations

from typing import Any

from chargebus.sessions.context import Answer, HandlerPorts, MessageContext
from chargebus.sessions.model import IdToken
from chargebus.sessions.values import iso_time

__all__ = ["check_token", "handle_authorize", "token_info", "token_status"]


def token_status(token: IdToken | None, now: float) -> str:
    if token is None:
        return "Invalid"
    if token.status == "Accepted" and token.expires_at is not None and token.expires_at <= now:
        return "Expired"
    return token.status


def token_info(
    record: IdToken | None, token_type: str | None, now: float, *, is_2x: bool
) -> dict[str, Any]:
    """idTagInfo (1.6) or idTokenInfo (2.x) for a token whose stored record
    is ``record`` (None: unknown)."""
    if record is not None and record.type not in (None, token_type) and token_type:
        record = None  # the same characters as another kind of token
    info: dict[str, Any] = {"status": token_status(record, now)}
    if record is not None and record.group:
        if is_2x:
            info["groupIdToken"] = {"idToken": record.group, "type": "Central"}
        elif len(record.group) <= 20:  # a 1.6 IdToken is CiString20
            info["parentIdTag"] = record.group
    if record is not None and record.expires_at is not None and not is_2x:
        info["expiryDate"] = iso_time(record.expires_at)
    return info


async def check_token(
    ports: HandlerPorts, token: str, token_type: str | None, *, is_2x: bool
) -> dict[str, Any]:
    """The token's info, looked up now."""
    if token_type == "NoAuthorization":
        return {"status": "Accepted"}
    record = await ports.repositories.tokens.get(token)
    return token_info(record, token_type, ports.clock(), is_2x=is_2x)


async def handle_authorize(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    if ctx.is_2x:
        id_token = ctx.request.id_token
        info = await check_token(ports, id_token.id_token, id_token.type, is_2x=True)
        return {"idTokenInfo": info}
    return {"idTagInfo": await check_token(ports, ctx.request.id_tag, None, is_2x=False)}

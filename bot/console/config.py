"""Console settings from the environment (or `.env`), on top of the assistant's own (bot/settings.py).

CONSOLE_HOST    where to listen; 127.0.0.1 by default (loopback: reach it over SSH or a proxy with TLS)
CONSOLE_PORT    5056 by default
CONSOLE_SECURE_COOKIES  1 (default): cookies are sent over HTTPS only. 0 is accepted only on a loopback
                address, for plain-http use on the same machine (`make run` sets it).
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass

from dotenv import load_dotenv

from bot.settings import PROJECT_ROOT

DEFAULT_PORT = 5056


@dataclass(frozen=True)
class ConsoleConfig:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    secure_cookies: bool = True


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_config(host: str | None = None, port: int | None = None) -> ConsoleConfig:
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    host = host or os.environ.get("CONSOLE_HOST") or "127.0.0.1"
    raw_port = str(port or os.environ.get("CONSOLE_PORT") or DEFAULT_PORT)
    if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
        raise ValueError(f"CONSOLE_PORT must be a port number such as {DEFAULT_PORT}; it is '{raw_port}'")
    raw_secure = (os.environ.get("CONSOLE_SECURE_COOKIES") or "1").strip().lower()
    if raw_secure not in ("1", "0", "true", "false", "yes", "no"):
        raise ValueError(f"CONSOLE_SECURE_COOKIES must be 1 or 0; it is '{raw_secure}'")
    secure = raw_secure in ("1", "true", "yes")
    if not secure and not is_loopback(host):
        raise ValueError(
            "CONSOLE_SECURE_COOKIES=0 is only allowed on a loopback address: staff passwords and sessions "
            "must not cross a network without HTTPS"
        )
    return ConsoleConfig(host=host, port=int(raw_port), secure_cookies=secure)

#!/usr/bin/env python3
"""A real SMTP server for xiezhi-identity's tests (aiosmtpd).

Usage: smtp_sink.py --port PORT --out DIR [--user U --password P]
                    [--tls starttls|implicit --cert PEM --key PEM]

Every accepted message is parsed with Python's own e-mail parser and written to
DIR/<n>.json as {"mail_from", "rcpt_tos", "subject", "body", "content_type",
"raw", "authenticated"} (written to a temporary name, then renamed). Prints READY
on stdout once the server listens; runs until killed or stdin closes.
"""
import argparse
import email
import email.policy
import json
import os
import ssl
import sys
import threading
import warnings

warnings.filterwarnings("ignore", message="Requiring AUTH")

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Sink:
    def __init__(self, out):
        self.out = out
        self.n = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        part = msg.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(msg["subject"]),
            "from": str(msg["from"]),
            "content_type": msg.get_content_type(),
            "charset": msg.get_content_charset(),
            "body": part.get_content() if part is not None else None,
            "raw": raw.decode("ascii", "replace"),
            "authenticated": bool(getattr(session, "authenticated", False)),
            "tls": server.transport is not None
            and server.transport.get_extra_info("ssl_object") is not None,
        }
        with self.lock:
            self.n += 1
            n = self.n
        tmp = os.path.join(self.out, f".{n}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(self.out, f"{n}.json"))
        return "250 OK message accepted"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--tls", choices=["starttls", "implicit"])
    ap.add_argument("--cert")
    ap.add_argument("--key")
    args = ap.parse_args()

    kwargs = {}
    if args.user is not None:
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                mechanism == "PLAIN"
                and auth_data.login == args.user.encode()
                and auth_data.password == args.password.encode()
            )
            return AuthResult(success=ok, handled=False)

        kwargs = dict(
            authenticator=authenticator,
            auth_required=True,
            auth_require_tls=False,
        )
    if args.tls is not None:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args.cert, args.key)
        if args.tls == "starttls":
            kwargs.update(tls_context=ctx, require_starttls=True)
        else:
            kwargs.update(ssl_context=ctx)
    controller = Controller(
        Sink(args.out), hostname="127.0.0.1", port=args.port, **kwargs
    )
    controller.start()
    print("READY", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()

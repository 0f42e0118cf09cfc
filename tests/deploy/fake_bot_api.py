#!/usr/bin/env python3
"""A minimal fake Telegram Bot API for tests/deploy/set_webhook_test.sh: records every call (method, path,
parameters from a JSON or form body or the query) as one JSON line in RECORD_FILE and answers ok. getWebhookInfo
reports the last URL set, 3 pending updates and a last error, so the output of webhook-info can be checked.
Usage: fake_bot_api.py RECORD_FILE. Prints "port=<n>" once it listens on 127.0.0.1. Standard library only."""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

record_file = sys.argv[1]
lock = threading.Lock()
state = {"url": ""}


class Api(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self):
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        params = dict(parse_qsl(parts.query))
        ctype = self.headers.get("Content-Type", "")
        if raw:
            if "json" in ctype:
                params.update(json.loads(raw))
            else:
                params.update(parse_qsl(raw.decode()))
        method = parts.path.rsplit("/", 1)[-1]
        with lock:
            with open(record_file, "a") as f:
                f.write(json.dumps({"method": method, "path": parts.path, "params": params}) + "\n")
            if method == "setWebhook":
                state["url"] = params.get("url", "")
            elif method == "deleteWebhook":
                state["url"] = ""
        if method == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "Test", "username": "test_bot"}
        elif method == "getWebhookInfo":
            result = {"url": state["url"], "has_custom_certificate": False, "pending_update_count": 3,
                      "last_error_date": 1700000000, "last_error_message": "fake: connection timed out",
                      "max_connections": 40}
        else:
            result = True
        out = json.dumps({"ok": True, "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = _answer

    def log_message(self, fmt, *args):
        sys.stderr.write("fake_bot_api: " + (fmt % args) + "\n")


server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
print(f"port={server.server_address[1]}", flush=True)
server.serve_forever()

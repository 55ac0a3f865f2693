#!/usr/bin/env python3
"""A local S3 stand-in for tests/s3_loopback.rs that checks every request's SigV4 signature with
botocore's signer (code that shares nothing with smithgen's) and the flexible checksum of every
upload, holding nothing in memory.

    python3 s3_server.py --size BYTES

prints `PORT <n>` once listening on 127.0.0.1. Path-style requests:

- `PUT /<bucket>/<key>`: reads the body (decoding `aws-chunked`), checks that it is the test
  pattern (by its CRC32, see `pattern_crc32`) and that its `x-amz-checksum-*` header or trailer
  matches what arrived; answers `200` with an `ETag`.
- `GET /<bucket>/<key>`: sends BYTES of the pattern with its `x-amz-checksum-crc32`; the key
  `corrupt` declares a wrong checksum.
- `GET /__log`: what the server saw, as JSON (one entry per request).

A request whose signature botocore does not reproduce gets S3's `403 SignatureDoesNotMatch`.
"""

import argparse
import base64
import datetime
import hashlib
import json
import re
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCESS_KEY = "AKIDLOOPBACK"
SECRET_KEY = "loopback/secret/key"
REGION = "us-east-1"

PERIOD = 251 * 256
# pattern_byte(offset) of src/lib.rs: it repeats every 251 * 256 bytes.
UNIT = bytes(((i % 251) + (i // 251 % 256)) % 256 for i in range(PERIOD))
PIECE = 1 << 20

LOG = []
LOCK = threading.Lock()


def pattern_chunks(size):
    """The pattern's first `size` bytes, a piece at a time."""
    block = UNIT * (PIECE // PERIOD + 1)
    step = (PIECE // PERIOD) * PERIOD
    sent = 0
    while sent < size:
        n = min(step, size - sent)
        yield block[:n]
        sent += n


def pattern_crc32(size):
    crc = 0
    for chunk in pattern_chunks(size):
        crc = zlib.crc32(chunk, crc)
    return crc


def b64_crc32(crc):
    return base64.b64encode(crc.to_bytes(4, "big")).decode()


def check_signature(handler):
    """Whether botocore's S3 signer gives the request's signature, over exactly the headers the
    request says it signed."""
    auth = handler.headers.get("Authorization", "")
    m = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/s3/aws4_request, "
                 r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$", auth)
    if not m or m.group(1) != ACCESS_KEY or m.group(3) != REGION:
        return False, "malformed Authorization: %r" % auth
    signed = m.group(4).split(";")
    headers = {name: handler.headers.get(name, "") for name in signed}
    request = AWSRequest(method=handler.command, url="http://%s%s" % (headers.get("host", ""), handler.path),
                         headers=headers)
    signer = S3SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION)
    when = datetime.datetime.strptime(handler.headers.get("X-Amz-Date", ""), "%Y%m%dT%H%M%SZ")
    request.context["timestamp"] = when.strftime("%Y%m%dT%H%M%SZ")
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        canonical = signer.canonical_request(request)
        string_to_sign = signer.string_to_sign(request, canonical)
        expected = signer.signature(string_to_sign, request)
    if signer.signed_headers(signer.headers_to_sign(request)) != m.group(4):
        return False, "signed headers %s, botocore signs %s" % (
            m.group(4), signer.signed_headers(signer.headers_to_sign(request)))
    if expected != m.group(5):
        return False, "signature %s, botocore computes %s over\n%s" % (m.group(5), expected, canonical)
    return True, ""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    size = 0

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def error(self, status, code, message):
        body = ("<Error><Code>%s</Code><Message>%s</Message><RequestId>loopback</RequestId></Error>"
                % (code, message.replace("&", "&amp;").replace("<", "&lt;"))).encode()
        self.reply(status, body, [("Content-Type", "application/xml")])

    def do_GET(self):
        if self.path == "/__log":
            with LOCK:
                body = json.dumps(LOG).encode()
            return self.reply(200, body, [("Content-Type", "application/json")])
        ok, why = check_signature(self)
        entry = {"method": "GET", "path": self.path, "signature_ok": ok, "why": why,
                 "headers": dict(self.headers.items())}
        with LOCK:
            LOG.append(entry)
        if not ok:
            return self.error(403, "SignatureDoesNotMatch", why)
        crc = pattern_crc32(self.size)
        if self.path.split("?")[0].endswith("/corrupt"):
            crc ^= 1
        self.send_response(200)
        self.send_header("Content-Length", str(self.size))
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("ETag", '"loopback"')
        self.send_header("x-amz-checksum-crc32", b64_crc32(crc))
        self.end_headers()
        for chunk in pattern_chunks(self.size):
            self.wfile.write(chunk)

    def do_PUT(self):
        ok, why = check_signature(self)
        entry = {"method": "PUT", "path": self.path, "signature_ok": ok, "why": why,
                 "headers": dict(self.headers.items())}
        declared = int(self.headers.get("Content-Length", "0"))
        chunked = "aws-chunked" in self.headers.get("Content-Encoding", "")
        crc, length, trailers = 0, 0, {}
        sha = hashlib.sha256()
        if chunked:
            while True:
                line = self.rfile.readline().strip()
                n = int(line.split(b";")[0], 16)
                if n == 0:
                    break
                left = n
                while left:
                    data = self.rfile.read(min(left, PIECE))
                    crc = zlib.crc32(data, crc)
                    left -= len(data)
                length += n
                self.rfile.readline()
            while True:
                line = self.rfile.readline().strip().decode()
                if not line:
                    break
                k, _, v = line.partition(":")
                trailers[k.strip().lower()] = v.strip()
        else:
            left = declared
            while left:
                data = self.rfile.read(min(left, PIECE))
                crc = zlib.crc32(data, crc)
                sha.update(data)
                left -= len(data)
            length = declared
        payload = self.headers.get("x-amz-content-sha256", "")
        if re.fullmatch(r"[0-9a-f]{64}", payload) and payload != sha.hexdigest():
            ok, why = False, "x-amz-content-sha256 is not the body's hash"
        declared_crc = trailers.get("x-amz-checksum-crc32") or self.headers.get("x-amz-checksum-crc32")
        entry.update({
            "aws_chunked": chunked,
            "decoded_length": length,
            "trailers": trailers,
            "checksum_ok": declared_crc == b64_crc32(crc),
            "pattern_ok": crc == pattern_crc32(length),
            "signature_ok": ok,
            "why": why,
        })
        with LOCK:
            LOG.append(entry)
        if not ok:
            return self.error(403, "SignatureDoesNotMatch", why)
        if not entry["checksum_ok"]:
            return self.error(400, "BadDigest", "the CRC32 you specified did not match the calculated checksum")
        self.reply(200, headers=[("ETag", '"loopback"'), ("x-amz-checksum-crc32", b64_crc32(crc))])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True, help="bytes a GET sends")
    args = parser.parse_args()
    Handler.size = args.size
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()

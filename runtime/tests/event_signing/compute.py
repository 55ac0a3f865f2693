#!/usr/bin/env python3
"""Computes vectors.json: a signed event stream exchange, written from the description of SigV4
event signing (not from smithgen's code), for runtime/tests/event_signing.rs.

Each message a client sends is an envelope: headers `:date` (timestamp, ms) and
`:chunk-signature` (32 bytes), and the encoded event as payload. Its signature is the HMAC-SHA256,
with the SigV4 signing key of the day, region and service, of

    AWS4-HMAC-SHA256-PAYLOAD \\n <YYYYMMDDTHHMMSSZ> \\n <date>/<region>/<service>/aws4_request \\n
    <prior signature, hex> \\n <sha256 hex of the encoded :date header> \\n <sha256 hex of the payload>

chained from the request's own signature (the seed). An empty payload closes the stream.

    python3 runtime/tests/event_signing/compute.py > runtime/tests/event_signing/vectors.json
"""

import binascii
import datetime
import hashlib
import hmac
import json
import struct

SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
SERVICE = "transcribe"
SEED = "e1d8e8c7a0b1c2d3e4f5061728394a5b6c7d8e9f00112233445566778899aabb"


def header(name, kind, value):
    raw = name.encode()
    out = bytes([len(raw)]) + raw + bytes([kind])
    if kind == 7:
        data = value.encode()
        return out + struct.pack(">H", len(data)) + data
    if kind == 6:
        return out + struct.pack(">H", len(value)) + value
    if kind == 8:
        return out + struct.pack(">q", value)
    raise ValueError(kind)


def message(headers, payload):
    raw = b"".join(header(*h) for h in headers)
    prelude = struct.pack(">II", 16 + len(raw) + len(payload), len(raw))
    prelude += struct.pack(">I", binascii.crc32(prelude))
    body = prelude + raw + payload
    return body + struct.pack(">I", binascii.crc32(body))


def hmac256(key, text):
    return hmac.new(key, text.encode() if isinstance(text, str) else text, hashlib.sha256).digest()


def signing_key(date):
    key = hmac256(("AWS4" + SECRET).encode(), date)
    for part in (REGION, SERVICE, "aws4_request"):
        key = hmac256(key, part)
    return key


def main():
    events = [
        # (seconds since the epoch, milliseconds, the inner event message)
        (1_700_000_000, 123, message([(":message-type", 7, "event"), (":event-type", 7, "AudioEvent"),
                                      (":content-type", 7, "application/octet-stream")], b"\x00\x01pcm audio")),
        (1_700_000_001, 0, message([(":message-type", 7, "event"), (":event-type", 7, "AudioEvent"),
                                    (":content-type", 7, "application/octet-stream")], b"more")),
        # The closing message: an empty payload, a day later (a new signing key).
        (1_700_086_400, 999, b""),
    ]
    prior = SEED
    out = []
    for secs, millis, payload in events:
        when = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc)
        amz = when.strftime("%Y%m%dT%H%M%SZ")
        date_header = header(":date", 8, secs * 1000 + millis)
        sts = "\n".join([
            "AWS4-HMAC-SHA256-PAYLOAD", amz, "%s/%s/%s/aws4_request" % (amz[:8], REGION, SERVICE), prior,
            hashlib.sha256(date_header).hexdigest(), hashlib.sha256(payload).hexdigest(),
        ])
        signature = hmac.new(signing_key(amz[:8]), sts.encode(), hashlib.sha256).hexdigest()
        envelope = message([(":date", 8, secs * 1000 + millis), (":chunk-signature", 6, bytes.fromhex(signature))],
                           payload)
        out.append({"secs": secs, "millis": millis, "payload": payload.hex(), "prior": prior,
                    "string_to_sign": sts, "signature": signature, "envelope": envelope.hex()})
        prior = signature
    print(json.dumps({"secret_access_key": SECRET, "access_key_id": "AKIDEXAMPLE", "region": REGION,
                      "service": SERVICE, "seed": SEED, "messages": out}, indent=2))


if __name__ == "__main__":
    main()

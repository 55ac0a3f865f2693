#!/usr/bin/env python3
"""Presigned S3 URLs made by botocore's `generate_presigned_url`, for tests/presign.rs.

Each case is an S3 call (GetObject, PutObject, ListObjectsV2) with its parameters, the client's
settings (region, addressing style, accelerate, dual-stack), the credentials, the signing time and
the expiry; botocore presigns it and the URL is stored beside the case in vectors.json. The Rust
test presigns the same call with a generated client and compares the URLs: scheme, host, path
and every query parameter, signature included.

    python3 compute.py           # rewrite vectors.json
    python3 compute.py --check   # fail when botocore now gives other URLs than vectors.json

Needs botocore (1.43.11 is what .ci/run installs).
"""

import argparse
import datetime
import json
import os
import sys
from unittest import mock

import botocore.session
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "vectors.json")

KEYS = {"access_key": "AKIDEXAMPLE", "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
TEMPORARY = dict(KEYS, token="IQoJb3JpZ2luX2VjEXAMPLE//session+token=")

# The literal query of the calls' `@http` URIs in the S3 Smithy model.
X_ID = {"GetObject": "x-id=GetObject", "PutObject": "x-id=PutObject"}

# (name, operation, params, settings, credentials, time, expiry)
CASES = [
    ("get_virtual_hosted", "GetObject", {"Bucket": "examplebucket", "Key": "test.txt"},
     {}, KEYS, "2013-05-24T00:00:00Z", 86400),
    ("get_key_needing_encoding", "GetObject",
     {"Bucket": "examplebucket", "Key": "photos/2024/My Summer ~ (1)+été.jpg"},
     {"region": "eu-west-1"}, KEYS, "2024-02-29T23:59:59Z", 900),
    ("get_dot_segments_kept", "GetObject", {"Bucket": "examplebucket", "Key": "a/../b/./c"},
     {}, KEYS, "2021-01-01T12:00:00Z", 3600),
    ("get_query_members", "GetObject",
     {"Bucket": "examplebucket", "Key": "report.csv", "VersionId": "3/L4kqtJl40Nr8X8gdRQBpUMLUo",
      "ResponseContentDisposition": 'attachment; filename="report.csv"',
      "ResponseContentType": "text/csv"},
     {}, KEYS, "2025-06-30T08:15:00Z", 604800),
    ("get_session_token", "GetObject", {"Bucket": "examplebucket", "Key": "secret.bin"},
     {"region": "us-west-2"}, TEMPORARY, "2026-12-07T10:00:00Z", 60),
    ("get_path_style", "GetObject", {"Bucket": "examplebucket", "Key": "k"},
     {"addressing_style": "path"}, KEYS, "2020-03-01T00:00:00Z", 900),
    ("get_bucket_with_dots", "GetObject", {"Bucket": "my.example.bucket", "Key": "k"},
     {"region": "us-west-2"}, KEYS, "2020-03-01T00:00:00Z", 900),
    ("get_dual_stack", "GetObject", {"Bucket": "examplebucket", "Key": "k"},
     {"region": "ap-southeast-2", "dual_stack": True}, KEYS, "2022-08-08T08:08:08Z", 900),
    ("get_accelerate", "GetObject", {"Bucket": "examplebucket", "Key": "k"},
     {"accelerate": True}, KEYS, "2022-08-08T08:08:08Z", 900),
    ("put_object", "PutObject", {"Bucket": "examplebucket", "Key": "uploads/new file.txt"},
     {}, KEYS, "2023-11-11T11:11:11Z", 1800),
    ("put_object_session_token", "PutObject", {"Bucket": "examplebucket", "Key": "up.bin"},
     {"region": "eu-central-1"}, TEMPORARY, "2023-11-11T11:11:11Z", 1800),
    # botocore adds `EncodingType=url` to listings the caller did not ask encoded (and decodes
    # the keys it gets back): given here, both sides send it.
    ("list_objects", "ListObjectsV2",
     {"Bucket": "examplebucket", "Prefix": "logs/", "MaxKeys": 10, "EncodingType": "url"},
     {}, KEYS, "2019-07-04T04:04:04Z", 300),
]


def presign(operation, params, settings, credentials, time, expiry):
    session = botocore.session.get_session()
    # botocore sends us-east-1 to the legacy global endpoint (s3.amazonaws.com) unless told
    # otherwise; the other AWS SDKs, and smithgen, use the regional one the rules give.
    s3 = {"us_east_1_regional_endpoint": "regional"}
    # botocore's `auto` style presigns DNS-safe buckets on the global endpoint too
    # (bucket.s3.amazonaws.com, whatever the region); `virtual` gives the regional host the
    # rules give. A bucket with dots stays `auto`: the rules put it in the path (over HTTPS its
    # name would not match the certificate), and so does botocore.
    if "addressing_style" in settings:
        s3["addressing_style"] = settings["addressing_style"]
    elif "." not in params["Bucket"]:
        s3["addressing_style"] = "virtual"
    if settings.get("accelerate"):
        s3["use_accelerate_endpoint"] = True
    if settings.get("dual_stack"):
        s3["use_dualstack_endpoint"] = True
    client = session.create_client(
        "s3",
        region_name=settings.get("region", "us-east-1"),
        aws_access_key_id=credentials["access_key"],
        aws_secret_access_key=credentials["secret_key"],
        aws_session_token=credentials.get("token"),
        config=Config(signature_version="s3v4", s3=s3),
    )
    # The S3 Smithy model's URIs carry a literal `x-id=<Operation>` for the object calls
    # (`/{Bucket}/{Key+}?x-id=GetObject`), which smithgen (like the other Smithy-generated SDKs)
    # sends; botocore's own model has no such query. Added to botocore's request before it
    # signs, both sides sign the same request.
    literal = X_ID.get(operation)
    if literal:
        def add_x_id(request, **_):
            separator = "&" if "?" in request.url else "?"
            request.url += separator + literal
        client.meta.events.register("before-sign.s3." + operation, add_x_id)
    now = datetime.datetime.strptime(time, "%Y-%m-%dT%H:%M:%SZ")
    with mock.patch("botocore.auth.get_current_datetime", return_value=now):
        return client.generate_presigned_url(
            _method_name(operation), Params=params, ExpiresIn=expiry)


def _method_name(operation):
    out = ""
    for i, c in enumerate(operation):
        if c.isupper() and i > 0 and not operation[i - 1].isdigit():
            out += "_"
        out += c.lower()
    return out


def compute():
    vectors = []
    for name, operation, params, settings, credentials, time, expiry in CASES:
        vectors.append({
            "name": name,
            "operation": operation,
            "params": params,
            "region": settings.get("region", "us-east-1"),
            "force_path_style": settings.get("addressing_style") == "path",
            "accelerate": bool(settings.get("accelerate")),
            "dual_stack": bool(settings.get("dual_stack")),
            "access_key": credentials["access_key"],
            "secret_key": credentials["secret_key"],
            "session_token": credentials.get("token"),
            "time": time,
            "expires_in": expiry,
            "url": presign(operation, params, settings, credentials, time, expiry),
        })
    return vectors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with vectors.json, write nothing")
    args = parser.parse_args()
    vectors = compute()
    text = json.dumps(vectors, indent=2, ensure_ascii=False) + "\n"
    if args.check:
        with open(VECTORS, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit("error: botocore's presigned URLs differ from vectors.json (rerun compute.py)")
        print(f"ok: {len(vectors)} presigned URLs as botocore makes them")
    else:
        with open(VECTORS, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {len(vectors)} vectors to {VECTORS}")


if __name__ == "__main__":
    main()

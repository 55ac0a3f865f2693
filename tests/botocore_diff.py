#!/usr/bin/env python3
"""Differential test of smithgen's awsJson1_0, awsJson1_1, restJson1, awsQuery and restXml wire
code, and of its paginators, waiters and event streams, against botocore.

    python3 tests/botocore_diff.py --model MODEL --service BOTOCORE_NAME \
        [--cases N] [--seed S] [--work DIR] [--target-dir DIR] [--operations A,B] \
        [--case I,J] [--show K] [--no-generate] [--runtime-path DIR] [--only KINDS]

MODEL is a Smithy JSON AST file of an awsJson, restJson1, awsQuery or restXml service (for
example ../shared/models/aws/lightsail-2016-11-28.json) and BOTOCORE_NAME botocore's name for the
same service (lightsail, dynamodb, secretsmanager, sqs, lambda, apigateway, polly,
bedrock-runtime, sts, sns, iam, s3).
The only dependency is `pip install botocore`.

Every model gets all six kinds of cases (request, response, error, paginate, wait, events); an
awsQuery model's paginate and wait cases answer with XML (the token element often dropped or
emptied).
`--only` picks kinds by hand (comma-separated: request, response, error, `wire` for those three,
`paginators`/`paginate`, `waiters`/`wait`, `events`). Cases left out keep their numbers and seeds.

What it does:

1. Generates the crate (`smithgen generate MODEL --crate-name svc`) and a harness crate beside it
   from the templates in tests/botocore/harness/, and builds the harness. The work directory
   (WORK/crate, WORK/harness) defaults to target/botocore-diff/work/BOTOCORE_NAME and the cargo
   target directory is target/botocore-diff, so that a rerun on an unchanged model compiles
   nothing (the generated files are only rewritten when their content changes).
2. Draws N random cases (default 200) spread over the operations both the Smithy model and
   botocore's model of the service have, reproducibly from --seed:
   - request: a random valid input, serialized by botocore's JSON serializer and by the
     generated code; method, path, Content-Type, X-Amz-Target and the JSON body must agree.
     restJson1: the input's members bound to the path, query and headers are set too (the
     crate's test-util JSON form of an input holds them), labels never empty; the method, the
     path as sent (percent-encoding included), the decoded query (botocore's literal query of
     the @http uri merged in; numbers compared as numbers), every header either side sends, and
     the body (the JSON body compared as values, a blob or text @httpPayload as bytes) must
     agree.
   - response: a random success body for the output shape (unknown keys, nulls, fractional and
     exponent-notation timestamps, unknown enum values, ...), parsed by botocore's parser and by
     the generated code; the outputs must agree once both are normalised.
     restJson1: the output's members bound to headers get random values in their wire form
     (http-date timestamps, comma-joined lists, ...), its @httpResponseCode member a random 2xx
     status, and its @httpPayload member the body (random bytes for a blob, text, or JSON).
   - error: an error response (a modeled error or an unmodeled code, named by `__type` in its
     various spellings or by the X-Amzn-Errortype header, `message` or `Message`, and for
     awsQueryCompatible services sometimes `x-amzn-query-error`); code, whether the error is
     modeled, and its fields must agree. restJson1: the code is sometimes `code` in the body,
     and members bound to headers (API Gateway's Retry-After) are sent as headers.
   awsQuery: requests are compared as decoded forms (the same keys, values equal as text,
   numbers as numbers, timestamps as instants; maps are given to botocore in key order, as ours
   numbers their entries); responses are random XML (`<OpResponse><OpResult>`, @xmlName,
   wrapped and flattened lists and maps, unknown elements, an XML declaration or not) read by
   botocore's query parser and by ours; errors are `<ErrorResponse>` documents (a modeled
   error's @awsQueryError code and status, or an unmodeled code) whose code, modeledness and
   message must agree (botocore gives an error's other elements as text only).
   restXml (S3): requests as for restJson1 (the same HTTP-binding comparison) with the body
   compared as XML trees: element names, attributes (namespace declarations included, as
   `xmlns:xsi`), leaf text (numbers as numbers, timestamps as instants), whitespace between
   elements ignored, runs of map entries (`entry`, a flattened map's member name) in any order.
   Strings in the body hold no control characters and no `\r` (XML 1.0 cannot carry the one,
   and botocore writes the other raw, which reads back as `\n`: its client escapes it in a
   handler for two operations only). The path: S3's request URIs lose `/{Bucket}` on both
   sides (botocore's client applies its own handler remove_bucket_from_url_paths_from_model,
   called here on its model; the endpoint rules then put the bucket in the host, virtual-hosted,
   or the endpoint's path). What is compared is the path after the endpoint's: botocore's
   serializer's url_path against our serialize_request path. The host, which only the endpoint
   rules make (from Bucket and a region), is not compared here: the S3 crate's 310 endpoint
   tests in CI cover it. Buckets are DNS-compatible names (3 to 20 lowercase letters, digits
   and inner hyphens), labels (Key) never empty, host labels DNS labels.
   Responses are random XML documents: the root named as the output (its @xmlName, else its
   shape name) with the service's namespace declared or not, an XML declaration or not,
   @xmlName, @xmlFlattened and wrapped lists and maps, @xmlAttribute members (with their
   @xmlNamespace declaration: S3's Grantee `xsi:type`), unions, unknown elements; members bound
   to headers in headers (S3's `x-amz-meta-*` @httpPrefixHeaders too, lowercase names), a blob
   or string @httpPayload as the body, a structure one as the root element (named by the
   member's @xmlName, else its target's), GetBucketLocation's unwrapped `<LocationConstraint>`
   (botocore reads it in a handler, parse_get_bucket_location, applied here), HEAD responses
   without a body. Errors are S3's bare `<Error><Code/><Message/><RequestId/><HostId/></Error>`
   (restXml noErrorWrapping), sometimes with status 200 (S3's 200 OK with an error document,
   which botocore's client turns into a 500 in its handler _handle_200_error, applied here; only
   for operations both sides treat so, see s3_200_error), sometimes without a body (always for
   HEAD operations); code, modeledness and message are compared as for awsQuery. Paginators
   and waiters: XML outputs (body members only, as for awsQuery) and the next request as for
   restJson1; waiter cases carry the output's headers. Event streams (SelectObjectContent):
   XML payloads, botocore's EventStreamXMLParser.
   Cases the test cannot express are counted as skipped and listed with their reason: a
   request whose input is an event stream, a response whose output is one (Bedrock Runtime's
   ConverseStream, Lambda's InvokeWithResponseStream), a @mediaType header, @httpPrefixHeaders
   in a restJson1 response.
   Then, after those N cases (so that their seeds do not move):
   - paginate (--paginator-cases per paginated operation botocore has a paginator for, default
     40): the merged @paginated trait must equal botocore's paginators-1.json entry (input and
     output token, and the first result key and the limit key where the Smithy model declares
     them; those only botocore has are listed); a random output (its token often
     absent or empty) is parsed by botocore and by the generated code: whether there is a next
     page, the next request's token (set by the generated `Paginated` impl into an input and
     serialized) against botocore's JMESPath search of output_token, and the number of items
     (`PaginatedItems::take_items`) against the non-null items of botocore's result_key.
   - wait (--waiter-cases per waiter botocore also has, default 260): a random response (60%,
     its strings often one of the acceptors' expected values, small integers, members usually
     present) or error response (40%, as for `error` cases) is classified by the generated
     `<waiter>_acceptors` function and by botocore's waiter model (`botocore.waiter`: the first
     acceptor whose matcher_func matches, else `unexpected` for an error and `retry` for a
     success); the states must agree. Cases where botocore's JMESPath raises (`length(null)`)
     are skipped and counted. Inputs are `{}` (no AWS waiter of an awsJson model, nor of
     Lambda, uses `inputOutput`).
   restJson1 (paginate and wait): responses are `application/json` bodies holding only the
   output's body members: a member bound to a header (`@httpHeader`, `@httpPrefixHeaders`) or to
   the status code is never generated and no header carries it, so both sides leave it unset
   (no Lambda paginator or waiter reads one); an operation whose output is an `@httpPayload` is
   listed as not compared. Errors name their code as for awsJson, and botocore's restJson parser
   reads X-Amzn-Errortype itself (it gets the response as is). The next page's request: the
   harness reads an input holding the required members bound to the path, query or headers
   (strings only, `name1`, `name2`, ...; an operation needing anything else is listed as not
   compared) and sets the token; botocore's rest-json serializer
   gets the same members and token; the path, the decoded query (botocore's literal query of the
   @http uri, `?List=ALL`, merged in) and, for a token bound to a header or the body, that value
   must agree.
   - events (--event-cases per operation whose output is an event stream, default 150:
     Bedrock Runtime's ConverseStream and InvokeModelWithResponseStream, Lambda's
     InvokeWithResponseStream): a random stream of up to six events of the union (with
     unknown event types among them), sometimes ending with a modeled `exception` message or
     an `error` message, encoded by this script (prelude, typed headers, payload, both CRC32s)
     and cut into chunks at random byte boundaries. botocore's reader
     (`botocore.eventstream.EventStream` with its EventStreamJSONParser) and the generated
     EventReceiver (fed the same chunks) must yield the same events, in order, and end the
     same way: cleanly, or with the same code and message (botocore's EventStreamError carries
     only those, so the fields of a modeled exception beyond its message are not compared).
   `--case` reruns cases among the first N only (paginate, wait and events cases are left out).
3. Prints each mismatch (the first --show in full, the rest one line each), a summary per kind
   and per mismatch class, and last `N passed, M failed`. Exits 1 on any mismatch, 2 when the
   test could not run (generation or build failed, bad arguments).

Normalisation (what counts as equal), and the places where botocore is not used as-is:
- Numbers are compared as numbers; `float` members within 1e-6 relative (they are f32 on our
  side), timestamps within 1e-3 s. Blobs compare as bytes, timestamps as epoch seconds.
- botocore keeps `null` items of lists and maps that are not @sparse; the protocol says to skip
  them, so they are dropped on botocore's side before comparing.
- A member botocore leaves out of a response but our side fills (an output member that is
  @required or has a @default, per Smithy's client optionality rules) is equal when our value is
  its @default or its type's zero value.
- Members of the Smithy model that botocore's (older or newer) model lacks are never generated in
  inputs and are not compared.
- botocore's awsJson parser ignores the X-Amzn-Errortype header (only its restJson parser reads
  it), while the protocol says the header wins over `__type`. For cases that name the error in the
  header, botocore is handed the same response with the header's value as the body's `__type`.
- The error message: botocore's modeled-error parse only reads the member's exact name; its
  `Error.Message` (from `message` or `Message`) is used as the reference for the error's message
  member.
- restJson1, where botocore is not the client: botocore's client adds API Gateway's
  `Accept: application/json` in a handler, not its serializer (the test adds it when the input
  sets no Accept); a blob @httpPayload without @mediaType gets the protocol's default
  Content-Type `application/octet-stream` (the restJson1 suite's RestJsonHttpPayloadTraitsWithBlob),
  which botocore leaves unset; an empty body is no blob payload (RestJsonHttpPayloadTraitsWithNoBlobBody)
  where botocore gives b""; botocore decodes a blob payload given as `bytes` as UTF-8, so it is
  handed a bytearray; a streamed payload (Polly's AudioStream, a ByteStream on our side) is sent
  empty in requests and not compared in responses (tests/aws-streaming streams real ones);
  botocore's model may give an output members the Smithy model lacks (Lambda's DeleteFunction
  returns Unit in Smithy, StatusCode in botocore): they are not compared.
- restXml (S3), where botocore's serializer and parser are not its client: the client's own
  handlers named above are applied (the bucket out of the URI, the 200-with-<Error>, the
  GetBucketLocation document); botocore's other S3 handlers are left out on purpose and so
  not compared: checksums and Content-MD5, `Expect: 100-continue`, CopySource quoting, SSE-C
  key MD5s, ListObjects' EncodingType=url decoding, signing. Then:
  a botocore url_path without a leading `/` (the URI was only `/{Bucket}`, or `/{Bucket}?acl`)
  is `/` + it, the endpoint's path of a virtual-hosted bucket, which ours sends; the Smithy
  model's `?x-id=GetObject` routing queries (botocore's model lacks them) are dropped from our
  query when botocore has none; botocore sends an XML body without Content-Type where the
  protocol says application/xml (and a string payload text/plain, as the blob payload's
  octet-stream above): ours is accepted then; list headers join items with "," (botocore) or
  ", " (ours), equal after splitting at commas (RFC 9110 5.6.1); an empty list bound to a header
  is no header for botocore and an empty one for ours, as the suites' NullAndEmptyHeaders say
  (restJson1 too); botocore's model says integer where the Smithy model says string (S3's
  PartNumberMarker, NextPartNumberMarker): botocore is given and gives numbers, compared as
  text, and a paginate case drops such a token rather than emptying it; a structure payload
  in an empty body is {} for botocore and unset for ours (an empty body is no payload); a
  bodiless error is named by botocore by its status number ("404") and by ours, as the other
  AWS SDKs and the Smithy model's S3 waiters (errorType NotFound), by the status text without
  spaces: botocore's code is mapped so before comparing; an error of the operation that
  botocore's model lacks (S3's NotFound of HeadObject and HeadBucket) may be modeled on our
  side only; waiter error cases of HEAD operations use statuses 404, 500 and 503 only
  (botocore's waiters-2.json also accepts 301 and 403 as BucketExists success, which the Smithy
  model's waiters do not: a difference of the models, not compared).
- awsQueryCompatible (SQS): botocore exposes the `x-amzn-query-error` code as `Error.Code` and
  picks the modeled error by the `__type` name (`QueryErrorCode`); the fields of that error are
  compared.
"""

import argparse
import base64
import binascii
import collections
import datetime
import decimal
import email.utils
import filecmp
import json
import math
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "tests" / "botocore" / "harness"
DEFAULT_TARGET = REPO / "target" / "botocore-diff"

UTC = datetime.timezone.utc
MAX_DEPTH = 4  # structure nesting beyond which only required/default members are generated

INT_BOUNDS = {
    "byte": (-(2**7), 2**7 - 1),
    "short": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
    "bigInteger": (-(10**30), 10**30),
    "intEnum": (-(2**31), 2**31 - 1),
}
NUMBER_TYPES = {"byte", "short", "integer", "long", "float", "double", "bigInteger", "bigDecimal"}


def fatal(message):
    """Stops with exit status 2: the test could not run."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()
    sys.exit(2)


class Unknown:
    """The canonical form of a union holding a member the model does not know."""

    def __repr__(self):
        return "<unknown union member>"

    def __eq__(self, other):
        return isinstance(other, Unknown)

    def __hash__(self):
        return 0


UNKNOWN = Unknown()


class RawNumber:
    """A JSON number written with this exact text (exponent notation and the like)."""

    def __init__(self, text):
        self.text = text


class NeedsSkip(Exception):
    """A case the inputs cannot express (for example botocore rejects every candidate value)."""


# --------------------------------------------------------------------------------------------
# The Smithy model
# --------------------------------------------------------------------------------------------

PRELUDE = {
    "String": "string", "Blob": "blob", "Boolean": "boolean", "Byte": "byte", "Short": "short",
    "Integer": "integer", "Long": "long", "Float": "float", "Double": "double",
    "BigInteger": "bigInteger", "BigDecimal": "bigDecimal", "Timestamp": "timestamp",
    "Document": "document",
}
PRIMITIVES = {
    "PrimitiveBoolean": ("boolean", False), "PrimitiveByte": ("byte", 0),
    "PrimitiveShort": ("short", 0), "PrimitiveInteger": ("integer", 0),
    "PrimitiveLong": ("long", 0), "PrimitiveFloat": ("float", 0), "PrimitiveDouble": ("double", 0),
}
T_REQUIRED = "smithy.api#required"
T_DEFAULT = "smithy.api#default"
T_CLIENT_OPTIONAL = "smithy.api#clientOptional"
T_INPUT = "smithy.api#input"
T_SPARSE = "smithy.api#sparse"
T_LENGTH = "smithy.api#length"
T_RANGE = "smithy.api#range"
T_ENUM = "smithy.api#enum"
T_ENUM_VALUE = "smithy.api#enumValue"
T_TS_FORMAT = "smithy.api#timestampFormat"
T_BOX = "smithy.api#box"
T_ERROR = "smithy.api#error"
T_HTTP_ERROR = "smithy.api#httpError"
T_QUERY_ERROR = "aws.protocols#awsQueryError"
T_QUERY_COMPATIBLE = "aws.protocols#awsQueryCompatible"
T_AWS_JSON_1_0 = "aws.protocols#awsJson1_0"
T_AWS_JSON_1_1 = "aws.protocols#awsJson1_1"
T_REST_JSON = "aws.protocols#restJson1"
T_AWS_QUERY = "aws.protocols#awsQuery"
T_REST_XML = "aws.protocols#restXml"
T_XML_NAME = "smithy.api#xmlName"
T_XML_FLATTENED = "smithy.api#xmlFlattened"
T_XML_ATTRIBUTE = "smithy.api#xmlAttribute"
T_XML_NAMESPACE = "smithy.api#xmlNamespace"
T_HTTP_PAYLOAD = "smithy.api#httpPayload"
T_HTTP_LABEL = "smithy.api#httpLabel"
T_HTTP_HEADER = "smithy.api#httpHeader"
T_HTTP_PREFIX = "smithy.api#httpPrefixHeaders"
T_HTTP_QUERY = "smithy.api#httpQuery"
T_HTTP_QUERY_PARAMS = "smithy.api#httpQueryParams"
T_HTTP_RESPONSE_CODE = "smithy.api#httpResponseCode"
T_JSON_NAME = "smithy.api#jsonName"
T_STREAMING = "smithy.api#streaming"
T_MEDIA_TYPE = "smithy.api#mediaType"
HTTP_BINDINGS = ("smithy.api#httpHeader", "smithy.api#httpPrefixHeaders", "smithy.api#httpResponseCode",
                 "smithy.api#httpLabel", "smithy.api#httpQuery", "smithy.api#httpQueryParams")
WIRE_KINDS = ("request", "response", "error")
KIND_NAMES = {"request": "request", "response": "response", "error": "error", "wire": WIRE_KINDS,
              "paginate": "paginate", "paginators": "paginate", "wait": "wait", "waiters": "wait",
              "events": "events"}
ALL_KINDS = ("request", "response", "error", "paginate", "wait", "events")


class Model:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        self.v1 = str(doc.get("smithy", "2.0")).startswith("1")
        self.json_names = False  # restJson1: @jsonName renames members on the wire
        raw = doc.get("shapes", {})
        self.shapes = {}
        applies = []
        for sid, shape in raw.items():
            if shape.get("type") == "apply":
                applies.append((sid, shape))
            else:
                self.shapes[sid] = json.loads(json.dumps(shape))  # a private copy
        for name, kind in PRELUDE.items():
            self.shapes.setdefault("smithy.api#" + name, {"type": kind})
        for name, (kind, zero) in PRIMITIVES.items():
            self.shapes.setdefault("smithy.api#" + name, {"type": kind, "traits": {T_DEFAULT: zero}})
        self.shapes.setdefault("smithy.api#Unit", {"type": "structure", "members": {}})
        for sid, shape in applies:
            traits = shape.get("traits", {})
            if "$" in sid:
                owner, member = sid.split("$", 1)
                target = self.shapes.get(owner, {}).get("members", {}).get(member)
            else:
                target = self.shapes.get(sid)
            if target is not None:
                target.setdefault("traits", {}).update(traits)
        done = set()
        for sid in list(self.shapes):
            self._resolve_mixins(sid, done)
        for shape in self.shapes.values():
            if shape.get("type") == "set":
                shape["type"] = "list"

    def _resolve_mixins(self, sid, done):
        if sid in done:
            return
        done.add(sid)
        shape = self.shapes.get(sid)
        if not shape or not shape.get("mixins"):
            return
        members, traits = {}, {}
        for ref in shape["mixins"]:
            self._resolve_mixins(ref["target"], done)
            mixin = self.shapes[ref["target"]]
            local = set(mixin.get("traits", {}).get("smithy.api#mixin", {}).get("localTraits", []))
            for name, value in mixin.get("traits", {}).items():
                if name != "smithy.api#mixin" and name not in local:
                    traits[name] = value
            for name, member in mixin.get("members", {}).items():
                members[name] = json.loads(json.dumps(member))
        for name, member in shape.get("members", {}).items():
            if name in members:
                members[name].setdefault("traits", {}).update(member.get("traits", {}))
            else:
                members[name] = member
        traits.update(shape.get("traits", {}))
        shape["members"] = members
        shape["traits"] = traits

    def shape(self, sid):
        return self.shapes[sid]

    def key(self, name, member):
        """The member's JSON key: its name, or for restJson1 its @jsonName."""
        if self.json_names:
            return member.get("traits", {}).get(T_JSON_NAME, name)
        return name

    def by_key(self, members):
        """JSON key -> member name of a structure's or union's members."""
        return {self.key(n, mm): n for n, mm in members.items()}

    def is_streaming(self, member):
        return T_STREAMING in self.shapes[member["target"]].get("traits", {})

    def kind(self, sid):
        shape = self.shapes[sid]
        kind = shape["type"]
        if kind == "string" and T_ENUM in shape.get("traits", {}):
            return "enum"
        return kind

    def trait(self, member, name):
        """A member's trait, else its target's."""
        traits = member.get("traits", {}) if member else {}
        if name in traits:
            return traits[name]
        return self.shapes[member["target"]].get("traits", {}).get(name) if member else None

    def enum_values(self, sid):
        shape = self.shapes[sid]
        if shape["type"] in ("enum", "intEnum"):
            return [
                m.get("traits", {}).get(T_ENUM_VALUE, name) for name, m in shape.get("members", {}).items()
            ]
        return [e["value"] for e in shape.get("traits", {}).get(T_ENUM, [])]

    def is_required(self, member):
        return T_REQUIRED in member.get("traits", {})

    def default_of(self, member):
        """The member's @default (implied zero for Smithy 1.0 unboxed numbers and booleans)."""
        traits = member.get("traits", {})
        if T_DEFAULT in traits:
            return traits[T_DEFAULT]
        target = self.shapes[member["target"]]
        if T_DEFAULT in target.get("traits", {}):
            return target["traits"][T_DEFAULT]
        if self.v1 and T_BOX not in traits and T_BOX not in target.get("traits", {}):
            kind = target["type"]
            boxed_prelude = member["target"].startswith("smithy.api#") and not member["target"].startswith(
                "smithy.api#Primitive"
            )
            if not boxed_prelude:
                if kind == "boolean":
                    return False
                if kind in NUMBER_TYPES - {"bigInteger", "bigDecimal"}:
                    return 0
        return None

    def filled(self, owner_sid, member):
        """Whether our side always has a value for this member (filled when the wire omits it)."""
        owner = self.shapes[owner_sid]
        if T_INPUT in owner.get("traits", {}) or T_CLIENT_OPTIONAL in member.get("traits", {}):
            return False
        return self.is_required(member) or self.default_of(member) is not None

    def service(self):
        services = [(sid, s) for sid, s in self.shapes.items() if s["type"] == "service"]
        if not services:
            fatal("error: the model has no service shape")
        for sid, s in services:
            if any(t in s.get("traits", {}) for t in (T_AWS_JSON_1_0, T_AWS_JSON_1_1, T_REST_JSON, T_AWS_QUERY,
                                                      T_REST_XML)):
                return sid, s
        fatal("error: the model's service is neither awsJson1_0, awsJson1_1, restJson1, awsQuery nor restXml")

    def body_members(self, sid):
        """The members of a structure that go in a JSON body (restJson1: not bound to a header,
        the status code, a label or the query); None when a member is the @httpPayload."""
        members = self.shapes[sid].get("members", {})
        if any(T_HTTP_PAYLOAD in m.get("traits", {}) for m in members.values()):
            return None
        return [n for n, m in members.items() if not any(t in m.get("traits", {}) for t in HTTP_BINDINGS)]

    def operations(self, service):
        ops, seen = [], set()

        def add_resource(rid):
            if rid in seen:
                return
            seen.add(rid)
            res = self.shapes[rid]
            for key in ("create", "put", "read", "update", "delete", "list"):
                if key in res:
                    ops.append(res[key]["target"])
            for key in ("operations", "collectionOperations"):
                ops.extend(ref["target"] for ref in res.get(key, []))
            for ref in res.get("resources", []):
                add_resource(ref["target"])

        ops.extend(ref["target"] for ref in service.get("operations", []))
        for ref in service.get("resources", []):
            add_resource(ref["target"])
        return sorted(set(ops))


def io_shape(op_shape, key):
    target = op_shape.get(key, {}).get("target")
    return None if target in (None, "smithy.api#Unit") else target


# --------------------------------------------------------------------------------------------
# Random values
# --------------------------------------------------------------------------------------------

ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
SPECIAL = ['"', "\\", "/", "\n", "\t", "\r", "\b", "\f", "\x00", "\x01", "\x1f", "\x7f", " ", "é",
           "ß", "中", "😀", "\u2028", "\ufeff", "'", "<", "&"]


def epoch_to_iso(seconds):
    dt = datetime.datetime.fromtimestamp(0, UTC) + datetime.timedelta(seconds=seconds)
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if dt.microsecond:
        text += ".%03d" % (dt.microsecond // 1000)
    return text + "Z"


def epoch_to_http(seconds):
    return email.utils.formatdate(int(seconds), usegmt=True)


class Gen:
    list_nulls = True  # null items in non-sparse lists (skipped by our side, kept by botocore)
    sorted_maps = False  # maps given to botocore in key order
    xml_body = False  # restXml: the input's body members get XML-safe strings (see xml_safe)
    xml_safe = False  # strings without control characters (XML 1.0 cannot carry them) and `\r`

    def __init__(self, model, rng):
        self.m = model
        self.rng = rng

    # ---- scalars -------------------------------------------------------------------------

    def string(self, member, sid, bshape=None, lo_extra=0):
        rng = self.rng
        length = (self.m.trait(member, T_LENGTH) if member else self.m.shapes[sid].get("traits", {}).get(T_LENGTH)) or {}
        lo = int(length.get("min", 0))
        if bshape is not None and "min" in bshape.metadata:
            lo = max(lo, int(bshape.metadata["min"]))
        lo = max(lo, lo_extra)
        hi = int(length.get("max", lo + 12))
        if hi < lo:
            hi = lo
        n = rng.randint(lo, min(hi, lo + 12))
        if rng.random() < 0.35:
            pool = ALNUM + "".join(SPECIAL) * 2
        else:
            pool = ALNUM
        text = "".join(rng.choice(pool) for _ in range(n))
        if self.xml_safe:
            text = "".join(c for c in text if c >= " " or c in "\t\n")
            text += "x" * (lo - len(text))
        return text

    def integer(self, kind, member):
        lo, hi = INT_BOUNDS[kind]
        rng_trait = self.m.trait(member, T_RANGE) if member else None
        if rng_trait:
            if "min" in rng_trait:
                lo = max(lo, math.ceil(float(rng_trait["min"])))
            if "max" in rng_trait:
                hi = min(hi, math.floor(float(rng_trait["max"])))
        r = self.rng.random()
        if r < 0.1:
            return lo
        if r < 0.2:
            return hi
        a, b = max(lo, -1000), min(hi, 1000)
        if a <= b:
            return self.rng.randint(a, b)
        return self.rng.randint(lo, hi)

    def floating(self, kind, member, allow_special):
        rng = self.rng
        rng_trait = (self.m.trait(member, T_RANGE) if member else None) or {}
        lo = float(rng_trait.get("min", -1e6))
        hi = float(rng_trait.get("max", 1e6))
        if allow_special and not rng_trait and rng.random() < 0.08:
            return rng.choice([float("nan"), float("inf"), float("-inf")])
        r = rng.random()
        if r < 0.2:
            v = float(rng.randint(int(max(lo, -100)), int(min(hi, 100)))) if lo <= hi else lo
        elif r < 0.3 and kind == "double" and not rng_trait:
            v = rng.choice([1e-7, 2.5e-300, 1.7976931348623157e308, 123456789.123456789, -0.5, 0.1])
        else:
            v = round(rng.uniform(lo, hi), rng.randint(0, 4))
        return v

    def timestamp_seconds(self, whole):
        rng = self.rng
        r = rng.random()
        if r < 0.1:
            s = rng.randint(-2_000_000_000, 0)
        elif r < 0.15:
            s = rng.choice([0, 1, 2**31 - 1, 2**31, 4102444800])
        else:
            s = rng.randint(1_000_000_000, 2_000_000_000)
        if whole:
            return s
        return s + rng.randint(0, 999) / 1000.0

    def document(self, depth=0):
        rng = self.rng
        r = rng.random()
        if depth >= 2 or r < 0.5:
            return rng.choice([True, False, 0, -7, 2**40, 1.5, -0.25, "", "doc", "é😀", None if depth else "x"])
        if r < 0.75:
            return [self.document(depth + 1) for _ in range(rng.randint(0, 3))]
        return {self.string(None, "smithy.api#String"): self.document(depth + 1) for _ in range(rng.randint(0, 3))}

    # ---- inputs: (botocore params value, our JSON value) ----------------------------------

    def input_value(self, member, bshape, depth):
        m, rng = self.m, self.rng
        sid = member["target"]
        kind = m.kind(sid)
        if kind == "enum":
            values = m.enum_values(sid)
            v = rng.choice(values)
            return v, v
        if kind == "intEnum":
            v = rng.choice(m.enum_values(sid))
            return v, v
        if kind == "string":
            if bshape is not None and bshape.type_name in ("integer", "long"):
                # (botocore's model may say integer where the Smithy model says string: S3's
                # GetObjectAttributes PartNumberMarker)
                v = rng.randint(0, 10000)
                return v, str(v)
            if "smithy.api#hostLabel" in member.get("traits", {}):
                # A host label: a DNS label (botocore validates it as one).
                v = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789-") for _ in range(rng.randint(1, 12)))
                return "h" + v, "h" + v
            # (an empty path label cannot be sent: our side refuses it, as the protocol says)
            v = self.string(member, sid, bshape, lo_extra=1 if T_HTTP_LABEL in member.get("traits", {}) else 0)
            return v, v
        if kind == "boolean":
            v = rng.random() < 0.5
            return v, v
        if kind in INT_BOUNDS:
            v = self.integer(kind, member)
            if bshape is not None and "min" in bshape.metadata and v < bshape.metadata["min"]:
                v = int(bshape.metadata["min"])
            return v, v
        if kind in ("float", "double"):
            v = self.floating(kind, member, allow_special=True)
            if math.isnan(v):
                return v, "NaN"
            if math.isinf(v):
                return v, "Infinity" if v > 0 else "-Infinity"
            return v, v
        if kind == "bigDecimal":
            v = decimal.Decimal("%d.%03d" % (rng.randint(-10**6, 10**6), rng.randint(0, 999)))
            return v, RawNumber(str(v))
        if kind == "timestamp":
            s = self.timestamp_seconds(whole=True)
            fmt = m.trait(member, T_TS_FORMAT) or "epoch-seconds"
            boto = datetime.datetime.fromtimestamp(0, UTC) + datetime.timedelta(seconds=s)
            ours = {"date-time": epoch_to_iso, "http-date": epoch_to_http}.get(fmt, lambda x: x)(s)
            return boto, ours
        if kind == "blob":
            b = bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 12)))
            return b, base64.b64encode(b).decode()
        if kind == "document":
            v = self.document()
            return v, v
        if kind == "list":
            shape = m.shape(sid)
            length = m.trait(member, T_LENGTH) or {}
            lo = int(length.get("min", 0))
            if bshape is not None and "min" in bshape.metadata:
                lo = max(lo, int(bshape.metadata["min"]))
            hi = int(length.get("max", lo + 3))
            n = lo if depth >= MAX_DEPTH else rng.randint(lo, max(lo, min(hi, lo + 3)))
            item_b = bshape.member if bshape is not None else None
            pairs = [self.input_value(shape["member"], item_b, depth + 1) for _ in range(n)]
            return [p[0] for p in pairs], [p[1] for p in pairs]
        if kind == "map":
            shape = m.shape(sid)
            length = m.trait(member, T_LENGTH) or {}
            lo = int(length.get("min", 0))
            hi = int(length.get("max", lo + 3))
            n = lo if depth >= MAX_DEPTH else rng.randint(lo, max(lo, min(hi, lo + 3)))
            kb = bshape.key if bshape is not None else None
            vb = bshape.value if bshape is not None else None
            boto, ours = {}, {}
            for _ in range(n * 3):
                if len(boto) >= n:
                    break
                k, _ = self.input_value(shape["key"], kb, depth + 1)
                if k in boto:
                    continue
                boto[k], ours[k] = self.input_value(shape["value"], vb, depth + 1)
            if self.sorted_maps:
                # (awsQuery numbers map entries; ours in key order, botocore in the dict's)
                boto = dict(sorted(boto.items()))
            return boto, ours
        if kind == "structure":
            return self.input_structure(sid, bshape, depth)
        if kind == "union":
            shape = m.shape(sid)
            names = [n for n in shape.get("members", {}) if bshape is None or n in bshape.members]
            if not names:
                raise NeedsSkip("union %s has no member botocore knows" % sid)
            if depth >= MAX_DEPTH:
                simple = [n for n in names if m.kind(shape["members"][n]["target"]) not in
                          ("structure", "union", "list", "map")]
                names = simple or names
            name = rng.choice(names)
            mem = shape["members"][name]
            key = m.key(name, mem)
            if mem["target"] == "smithy.api#Unit":
                return {name: {}}, {key: {}}
            b, o = self.input_value(mem, bshape.members[name] if bshape is not None else None, depth + 1)
            return {name: b}, {key: o}
        raise NeedsSkip("cannot generate a %s" % kind)

    def input_structure(self, sid, bshape, depth):
        m, rng = self.m, self.rng
        shape = m.shape(sid)
        # Our side writes the @default members of structures that are not @input whether set or
        # not, so botocore must be given them too.
        always_defaults = T_INPUT not in shape.get("traits", {})
        boto, ours = {}, {}
        for name, member in shape.get("members", {}).items():
            bmember = None
            if bshape is not None:
                if name not in bshape.members:
                    continue  # botocore's model lacks it: its validator would reject it
                bmember = bshape.members[name]
            required = m.is_required(member) or (bshape is not None and name in bshape.required_members)
            has_default = m.default_of(member) is not None
            if required or (has_default and always_defaults):
                pass
            elif depth >= MAX_DEPTH or rng.random() >= 0.5:
                continue
            if m.is_streaming(member):
                # A streamed body has no JSON form: both sides send it empty (tests/aws-streaming
                # streams real ones).
                if required:
                    boto[name] = b""
                continue
            # restXml: the members in the XML body (at the top, those without an HTTP binding).
            self.xml_safe = self.xml_body and (depth > 1 or not any(t in member.get("traits", {}) for t in HTTP_BINDINGS))
            boto[name], ours[m.key(name, member)] = self.input_value(member, bmember, depth + 1)
            self.xml_safe = self.xml_body and depth > 1
        return boto, ours

    # ---- responses: a JSON-able wire value ------------------------------------------------

    def wire_value(self, member, depth):
        m, rng = self.m, self.rng
        sid = member["target"]
        kind = m.kind(sid)
        if kind == "enum":
            if rng.random() < 0.12:
                return "NewValue" + self.string(None, "smithy.api#String")
            return rng.choice(m.enum_values(sid))
        if kind == "intEnum":
            if rng.random() < 0.12:
                return rng.randint(1000, 2000)
            return rng.choice(m.enum_values(sid))
        if kind == "string":
            return self.string(member, sid)
        if kind == "boolean":
            return rng.random() < 0.5
        if kind in INT_BOUNDS:
            return self.integer(kind, member)
        if kind in ("float", "double"):
            v = self.floating(kind, member, allow_special=True)
            if math.isnan(v):
                return "NaN"
            if math.isinf(v):
                return "Infinity" if v > 0 else "-Infinity"
            r = rng.random()
            if r < 0.15 and v != 0 and kind == "double":
                return RawNumber("%.6E" % v)
            if r < 0.25 and v == int(v) and abs(v) < 1e15:
                return RawNumber(str(int(v)))
            return v
        if kind == "bigDecimal":
            return RawNumber("%d.%03d" % (rng.randint(-10**6, 10**6), rng.randint(0, 999)))
        if kind == "timestamp":
            fmt = m.trait(member, T_TS_FORMAT) or "epoch-seconds"
            s = self.timestamp_seconds(whole=rng.random() < 0.4)
            if fmt == "date-time":
                return epoch_to_iso(s)
            if fmt == "http-date":
                return epoch_to_http(s)
            r = rng.random()
            if r < 0.25:
                return RawNumber("%.12E" % s)  # 1.655421227201E+09
            if r < 0.35:
                return RawNumber(("%.12e" % s).replace("e+", "e"))  # 1.655421227201e09
            return s
        if kind == "blob":
            return base64.b64encode(bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 12)))).decode()
        if kind == "document":
            return self.document()
        if kind == "list":
            shape = m.shape(sid)
            n = 0 if depth >= MAX_DEPTH else rng.randint(0, 3)
            items = [self.wire_value(shape["member"], depth + 1) for _ in range(n)]
            if items and self.list_nulls and rng.random() < 0.08:
                items.insert(rng.randint(0, len(items)), None)
            return items
        if kind == "map":
            shape = m.shape(sid)
            n = 0 if depth >= MAX_DEPTH else rng.randint(0, 3)
            out = {}
            for _ in range(n):
                out[self.wire_value(shape["key"], depth + 1)] = self.wire_value(shape["value"], depth + 1)
            # (botocore's parser crashes on a null where it expects a list or a map)
            if out and rng.random() < 0.08 and m.kind(shape["value"]["target"]) not in ("list", "map"):
                out["nullValued" + str(rng.randint(0, 99))] = None
            return out
        if kind == "structure":
            return self.wire_structure(sid, depth)
        if kind == "union":
            shape = m.shape(sid)
            names = list(shape.get("members", {}))
            if rng.random() < 0.1 or not names:
                return {"newMember" + str(rng.randint(0, 99)): self.document()}
            if depth >= MAX_DEPTH:
                simple = [n for n in names if m.kind(shape["members"][n]["target"]) not in
                          ("structure", "union", "list", "map")]
                names = simple or names
            name = rng.choice(names)
            mem = shape["members"][name]
            out = {m.key(name, mem): {} if mem["target"] == "smithy.api#Unit" else self.wire_value(mem, depth + 1)}
            others = [n for n in shape["members"] if n != name]
            if others and rng.random() < 0.15:
                other = rng.choice(others)
                out[m.key(other, shape["members"][other])] = None
            if rng.random() < 0.1:
                # The protocol says to ignore `__type` in unions; put it before or after the member.
                items = list(out.items())
                items.insert(rng.randint(0, len(items)), ("__type", sid))
                out = dict(items)
            return out
        raise NeedsSkip("cannot generate a %s" % kind)

    def wire_structure(self, sid, depth, exclude=()):
        m, rng = self.m, self.rng
        shape = m.shape(sid)
        out = {}
        for name, member in shape.get("members", {}).items():
            if name in exclude:
                continue
            required = m.is_required(member)
            p = 0.9 if required else 0.6
            if depth >= MAX_DEPTH and not required:
                p = 0.1
            if rng.random() >= p:
                continue
            key = m.key(name, member)
            if rng.random() < 0.08:
                out[key] = None
            else:
                out[key] = self.wire_value(member, depth + 1)
        if rng.random() < 0.2:
            for _ in range(rng.randint(1, 2)):
                out["unknownKey" + str(rng.randint(0, 999))] = self.document()
        return out


class BiasedGen(Gen):
    """Random values steered towards what a waiter's acceptors test: strings often one of the
    expected values, small integers, members usually present, no null list items."""

    list_nulls = False

    def __init__(self, model, rng, strings):
        super().__init__(model, rng)
        self.pool = strings

    def string(self, member, sid, bshape=None, lo_extra=0):
        if self.pool and self.rng.random() < 0.5:
            return self.rng.choice(self.pool)
        return super().string(member, sid, bshape, lo_extra)

    def integer(self, kind, member):
        if self.rng.random() < 0.5:
            return self.rng.choice([0, 1, 2])
        return super().integer(kind, member)

    def wire_value(self, member, depth):
        if self.m.kind(member["target"]) == "enum":
            hits = [v for v in self.m.enum_values(member["target"]) if v in self.pool]
            if hits and self.rng.random() < 0.5:
                return self.rng.choice(hits)
        return super().wire_value(member, depth)

    def wire_structure(self, sid, depth, exclude=()):
        out = super().wire_structure(sid, depth, exclude)
        # Members left out are filled most of the time (botocore's JMESPath raises on
        # `length(null)`, which a real response rarely gives it).
        for name, member in self.m.shape(sid).get("members", {}).items():
            if name not in out and name not in exclude and depth < MAX_DEPTH and self.rng.random() < 0.8:
                out[name] = self.wire_value(member, depth + 1)
        return out


def dns_bucket(rng):
    """A DNS-compatible S3 bucket name: 3 to 20 lowercase letters, digits and inner hyphens."""
    inner = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789-") for _ in range(rng.randint(1, 18)))
    return rng.choice("abcdefghijklmnopqrstuvwxyz") + inner + rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")


def dump_json(value, ascii_only):
    """JSON text of a value; a RawNumber keeps its text (NaN and infinities never reach here)."""
    if isinstance(value, RawNumber):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(
            json.dumps(k, ensure_ascii=ascii_only) + ":" + dump_json(v, ascii_only) for k, v in value.items()
        ) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump_json(v, ascii_only) for v in value) + "]"
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same double
    return json.dumps(value, ensure_ascii=ascii_only)


# --------------------------------------------------------------------------------------------
# Canonical forms and comparison
# --------------------------------------------------------------------------------------------


def parse_ts_text(text):
    try:
        return float(text)
    except ValueError:
        pass
    try:
        dt = email.utils.parsedate_to_datetime(text)
        if dt is not None:
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=UTC)
            return dt.timestamp()
    except (TypeError, ValueError):
        pass
    t = text.replace("z", "Z")
    if t.endswith("Z"):
        t = t[:-1] + "+00:00"
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)$", t)
    if m:
        frac = float(m.group(2) or 0)
        return datetime.datetime.fromisoformat(m.group(1) + m.group(3)).timestamp() + frac
    raise ValueError("not a timestamp: %r" % text)


def to_float(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, decimal.Decimal)):
        return float(value)
    if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
        return float(value.replace("Infinity", "inf"))
    return value


class Canon:
    """Turns botocore values ('boto') or wire/our JSON values ('wire') into one comparable form."""

    def __init__(self, model):
        self.m = model

    def value(self, value, member, bshape, side):
        m = self.m
        if value is None:
            return None
        sid = member["target"]
        kind = m.kind(sid)
        if kind == "timestamp":
            if isinstance(value, datetime.datetime):
                return value.timestamp()
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            if isinstance(value, str):
                try:
                    return parse_ts_text(value)
                except ValueError:
                    return ("!bad timestamp", value)
            return ("!bad timestamp", value)
        if kind == "blob":
            if isinstance(value, (bytes, bytearray)):
                return bytes(value)
            if isinstance(value, str):
                try:
                    return base64.b64decode(value, validate=True)
                except ValueError:
                    return ("!bad base64", value)
            return ("!bad blob", value)
        if kind in ("float", "double"):
            return to_float(value)
        if kind == "string" and side == "boto" and isinstance(value, int) and not isinstance(value, bool):
            # botocore's model may say integer where the Smithy model says string (S3's
            # PartNumberMarker): its number is compared as text.
            return str(value)
        if kind == "bigDecimal":
            try:
                return decimal.Decimal(str(value))
            except decimal.InvalidOperation:
                return ("!bad bigDecimal", value)
        if kind == "list":
            if not isinstance(value, list):
                return ("!not a list", value)
            shape = m.shape(sid)
            sparse = T_SPARSE in shape.get("traits", {})
            item_b = bshape.member if bshape is not None else None
            return [
                self.value(v, shape["member"], item_b, side)
                for v in value
                if v is not None or sparse or side == "wire"
            ]
        if kind == "map":
            if not isinstance(value, dict):
                return ("!not a map", value)
            shape = m.shape(sid)
            sparse = T_SPARSE in shape.get("traits", {})
            vb = bshape.value if bshape is not None else None
            return {
                k: self.value(v, shape["value"], vb, side)
                for k, v in value.items()
                if v is not None or sparse or side == "wire"
            }
        if kind == "structure":
            return self.structure(value, sid, bshape, side)
        if kind == "union":
            if not isinstance(value, dict):
                return ("!not an object", value)
            shape = m.shape(sid)
            names = m.by_key(shape.get("members", {})) if side == "wire" else {k: k for k in shape.get("members", {})}
            known = {names[k]: v for k, v in value.items() if k in names and v is not None}
            if not known:
                return UNKNOWN
            out = {}
            for k, v in known.items():
                mem = shape["members"][k]
                if mem["target"] == "smithy.api#Unit":
                    out[k] = {}
                else:
                    b = bshape.members.get(k) if bshape is not None else None
                    out[k] = self.value(v, mem, b, side)
            return out
        return value

    def structure(self, value, sid, bshape, side):
        if not isinstance(value, dict):
            return ("!not an object", value)
        shape = self.m.shape(sid)
        members = shape.get("members", {})
        names = self.m.by_key(members) if side == "wire" else {k: k for k in members}
        out = {}
        for k, v in value.items():
            if k in names:
                k = names[k]
                b = bshape.members.get(k) if bshape is not None and k in bshape.members else None
                out[k] = self.value(v, members[k], b, side)
            elif side == "wire":
                out["!unexpected key " + k] = v
        return out


def fmt(value, limit=300):
    if isinstance(value, bytes):
        text = "b64:" + base64.b64encode(value).decode()
    elif isinstance(value, float) and not math.isfinite(value):
        text = repr(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=repr, sort_keys=True)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


class Differ:
    def __init__(self, model):
        self.m = model
        self.canon = Canon(model)

    def zero_like(self, value, member):
        """Whether `value` is the zero value of the member's type (what our side fills in)."""
        m = self.m
        kind = m.kind(member["target"])
        if value is None:
            return True
        if kind in ("string", "enum"):
            return value == ""
        if kind in ("boolean",):
            return value is False
        if kind in NUMBER_TYPES or kind in ("intEnum", "timestamp"):
            return value == 0
        if kind == "blob":
            return value == b""
        if kind in ("list", "map", "document"):
            return value in ([], {}, None)
        if kind == "structure":
            if not isinstance(value, dict):
                return False
            members = m.shape(member["target"]).get("members", {})
            return all(k in members and self.zero_like(v, members[k]) for k, v in value.items())
        if kind == "union":
            return value == UNKNOWN
        return False

    def default_matches(self, value, member):
        default = self.m.default_of(member)
        if default is None:
            return self.zero_like(value, member)
        want = self.canon.value(default, member, None, "wire")
        out = []
        self.diff(want, value, member, None, "", out, fill=True)
        return not out

    def diff(self, a, b, member, bshape, path, out, fill):
        """Appends (path, what, botocore value, our value) for each difference of a and b."""
        m = self.m
        if isinstance(a, tuple) or isinstance(b, tuple):
            if a != b:
                out.append((path, "malformed value", a, b))
            return
        if a is UNKNOWN or b is UNKNOWN:
            if a != b:
                out.append((path, "unknown union member on one side only", a, b))
            return
        sid = member["target"] if member else None
        kind = m.kind(sid) if sid else "document"
        if a is None or b is None:
            if a is not b:
                out.append((path, "null on one side", a, b))
            return
        if kind == "structure":
            if not isinstance(a, dict) or not isinstance(b, dict):
                out.append((path, "not an object", a, b))
                return
            members = m.shape(sid).get("members", {})
            for k in sorted(set(a) | set(b)):
                sub = path + "." + k if path else k
                if k.startswith("!unexpected key "):
                    out.append((path, "key not in the model: " + k[16:], None, b[k]))
                    continue
                if bshape is not None and k not in bshape.members:
                    continue  # botocore's model lacks the member
                mem = members[k]
                bmem = bshape.members[k] if bshape is not None else None
                av, bv = a.get(k), b.get(k)
                if av is None and bv is not None:
                    if fill and m.filled(sid, mem) and self.default_matches(bv, mem):
                        continue
                    out.append((sub, "only our side has it", None, bv))
                elif av is not None and bv is None:
                    out.append((sub, "only botocore has it", av, None))
                else:
                    self.diff(av, bv, mem, bmem, sub, out, fill)
            return
        if kind == "union":
            if not isinstance(a, dict) or not isinstance(b, dict):
                out.append((path, "not an object", a, b))
                return
            if set(a) != set(b):
                out.append((path, "different union member", a, b))
                return
            members = m.shape(sid).get("members", {})
            for k in a:
                bmem = bshape.members.get(k) if bshape is not None else None
                self.diff(a[k], b[k], members[k], bmem, path + "." + k, out, fill)
            return
        if kind == "list":
            if not isinstance(a, list) or not isinstance(b, list):
                out.append((path, "not a list", a, b))
                return
            if len(a) != len(b):
                out.append((path, "list lengths %d and %d" % (len(a), len(b)), a, b))
                return
            item = m.shape(sid)["member"]
            ib = bshape.member if bshape is not None else None
            for i, (x, y) in enumerate(zip(a, b)):
                self.diff(x, y, item, ib, "%s[%d]" % (path, i), out, fill)
            return
        if kind == "map":
            if not isinstance(a, dict) or not isinstance(b, dict):
                out.append((path, "not an object", a, b))
                return
            if set(a) != set(b):
                out.append((path, "map keys differ", sorted(a), sorted(b)))
                return
            val = m.shape(sid)["value"]
            vb = bshape.value if bshape is not None else None
            for k in sorted(a):
                self.diff(a[k], b[k], val, vb, "%s[%s]" % (path, json.dumps(k, ensure_ascii=False)), out, fill)
            return
        if kind == "timestamp":
            if not (isinstance(a, float) and isinstance(b, float)) or abs(a - b) > 1e-3:
                out.append((path, "timestamps differ", a, b))
            return
        if kind in ("float", "double"):
            if isinstance(a, float) and isinstance(b, float):
                if math.isnan(a) and math.isnan(b):
                    return
                if a == b:
                    return
                if kind == "float" and math.isfinite(a) and math.isfinite(b) and abs(a - b) <= 1e-6 * max(1.0, abs(a)):
                    return
            out.append((path, "numbers differ", a, b))
            return
        if kind in ("boolean",) or kind in INT_BOUNDS or kind == "intEnum":
            if type(a) is not type(b) or a != b:
                out.append((path, "values differ", a, b))
            return
        if kind == "document":
            if not doc_equal(a, b):
                out.append((path, "documents differ", a, b))
            return
        if a != b or type(a) is not type(b):
            out.append((path, "values differ", a, b))


def doc_equal(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(doc_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(doc_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def xml_tree(data):
    """An XML document as nested [name, attributes, text, children], read without namespace
    processing (so `xmlns` declarations are attributes and names keep their prefixes)."""
    import xml.parsers.expat

    top = [None, {}, [], []]
    stack = [top]
    parser = xml.parsers.expat.ParserCreate()

    def start(name, attrs):
        node = [name, dict(attrs), [], []]
        stack[-1][3].append(node)
        stack.append(node)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: stack.pop()
    parser.CharacterDataHandler = lambda text: stack[-1][2].append(text)
    parser.Parse(bytes(data), True)
    return top[3][0]


def same_xml_text(a, b):
    """Leaf texts: equal, or the same number, or the same instant."""
    if a == b:
        return True
    try:
        return float(a) == float(b) or (math.isnan(float(a)) and math.isnan(float(b)))
    except ValueError:
        pass
    try:
        return abs(parse_ts_text(a) - parse_ts_text(b)) < 1e-3
    except (ValueError, TypeError, OverflowError):
        return False


def xml_diffs(a_bytes, b_bytes, unordered, path="body"):
    """Differences of two XML documents as trees: element names, attributes (namespace
    declarations included), leaf text; whitespace between elements is ignored, and runs of
    sibling elements named in `unordered` (map entries) may come in any order."""
    trees = []
    for data in (a_bytes, b_bytes):
        try:
            trees.append(xml_tree(data) if data else None)
        except Exception as e:  # noqa: BLE001 - expat's errors
            return [(path, "a body is not XML (%s)" % e, a_bytes, b_bytes)]
    out = []

    def key(node):
        return json.dumps(canon(node), sort_keys=True)

    def canon(node):
        name, attrs, text, children = node
        kids = [canon(c) for c in children]
        # (runs of map entries in a canonical order)
        i = 0
        while i < len(kids):
            j = i
            while j < len(kids) and kids[j][0] == kids[i][0] and kids[i][0] in unordered:
                j += 1
            if j > i + 1:
                kids[i:j] = sorted(kids[i:j], key=lambda k: json.dumps(k, sort_keys=True))
            i = max(j, i + 1)
        joined = "".join(text)
        return [name, sorted(attrs.items()), joined.strip() if kids else joined, kids]

    def walk(a, b, where):
        if a[0] != b[0]:
            out.append((where, "element names differ", a[0], b[0]))
            return
        if dict(a[1]) != dict(b[1]):
            out.append((where, "attributes differ", dict(a[1]), dict(b[1])))
        if not a[3] and not b[3]:
            if not same_xml_text(a[2], b[2]):
                out.append((where, "texts differ", a[2], b[2]))
            return
        if a[2] and not a[3] or b[2] and not b[3]:
            out.append((where, "text on one side, elements on the other", a[2] or None, b[2] or None))
            return
        names_a, names_b = [k[0] for k in a[3]], [k[0] for k in b[3]]
        if names_a != names_b:
            out.append((where, "child elements differ", names_a, names_b))
            return
        for i, (x, y) in enumerate(zip(a[3], b[3])):
            walk(x, y, "%s/%s[%d]" % (where, x[0], i))

    if trees[0] is None or trees[1] is None:
        return [(path, "empty on one side only", a_bytes, b_bytes)]
    ca, cb = canon(trees[0]), canon(trees[1])
    if key(trees[0]) != key(trees[1]):
        walk(ca, cb, path + "/" + ca[0])
    return out


# --------------------------------------------------------------------------------------------
# Generating and building the crates
# --------------------------------------------------------------------------------------------


def run(cmd, cwd=None, env=None):
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.stderr.write("error: %s failed (exit %d)\n" % (" ".join(map(str, cmd)), proc.returncode))
        sys.stderr.write(proc.stdout[-4000:])
        err = proc.stderr
        if len(err) > 12000:  # the first errors are the useful ones; keep the summary at the end too
            err = err[:10000] + "\n[… %d characters left out …]\n" % (len(err) - 12000) + err[-2000:]
        fatal(err)
    return proc


def sync_tree(src, dst):
    """Makes dst a copy of src, touching only files whose content changed (cargo keys on mtimes)."""
    src, dst = Path(src), Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for path in src.rglob("*"):
        rel = path.relative_to(src)
        wanted.add(rel)
        target = dst / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif not target.is_file() or not filecmp.cmp(path, target, shallow=False):
            shutil.copyfile(path, target)
    for path in sorted(dst.rglob("*"), reverse=True):
        rel = path.relative_to(dst)
        if rel not in wanted and rel.parts[0] not in ("target",) and rel.name != "Cargo.lock":
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


def write_if_changed(path, text):
    path = Path(path)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def event_stream_field(crate, op_text):
    """The field of an operation's output that is an event stream receiver, or None."""
    m = re.search(r"type\s+Output\s*=\s*types::(\w+)\s*;", op_text)
    if not m:
        return None
    for path in sorted((crate / "src" / "types").glob("*.rs")):
        text = path.read_text(encoding="utf-8")
        body = re.search(r"pub struct %s \{(.*?)\n\}" % m.group(1), text, re.S)
        if body:
            field = re.search(r"pub ((?:r#)?\w+):\s*smithgen_runtime::event_stream::EventReceiver<", body.group(1))
            return field.group(1) if field else None
    return None


def build_harness(model_path, service, work, target_dir, runtime, generate=True):
    work = Path(work)
    crate = work / "crate"
    if generate:
        staging = work / "generated.tmp"
        if staging.exists():
            shutil.rmtree(staging)
        run(
            ["cargo", "run", "--release", "-q", "-p", "smithgen", "--", "generate", str(model_path),
             "--out", str(staging), "--crate-name", "svc", "--runtime-path", str(runtime)],
            cwd=REPO,
        )
        sync_tree(staging, crate)
        shutil.rmtree(staging)

    markers = {}
    for path in sorted((crate / "src" / "operation").glob("*.rs")):
        if path.stem == "mod":
            continue
        m = re.search(r"impl\s+smithgen_runtime::Operation\s+for\s+(\w+)\s*\{", path.read_text(encoding="utf-8"))
        if m:
            markers[path.stem] = m.group(1)
    if not markers:
        fatal("error: no operations found in %s" % (crate / "src" / "operation"))
    lines = "\n".join(
        "    (<svc::operation::{m}::{t} as Operation>::NAME, handle::<svc::operation::{m}::{t}>),".format(m=mod, t=ty)
        for mod, ty in sorted(markers.items())
    )
    paginators, waiters, events = [], [], []
    for mod, ty in sorted(markers.items()):
        text = (crate / "src" / "operation" / (mod + ".rs")).read_text(encoding="utf-8")
        path = "svc::operation::%s::%s" % (mod, ty)
        if re.search(r"impl\s+smithgen_runtime::client::Paginated\s+for\s+%s\b" % ty, text):
            items = re.search(r"impl\s+smithgen_runtime::client::paginator::PaginatedItems\s+for\s+%s\b" % ty, text)
            paginators.append("    (<%s as Operation>::NAME, %s::<%s>),"
                              % (path, "paginate_items_case" if items else "paginate_case", path))
        for fn in re.findall(r"pub fn (\w+)_acceptors\(", text):
            waiters.append((fn, mod, ty))
        field = event_stream_field(crate, text)
        if field:
            events.append("    (<%s as Operation>::NAME, |req| events_case::<%s, _>(req, |output| &mut output.%s)),"
                          % (path, path, field))
    waiter_lines = []
    for fn, mod, ty in waiters:
        waiter_lines.append(
            "    (%r, |req| wait_case::<svc::operation::%s::%s>(req, svc::operation::%s::%s_acceptors)),"
            .replace("%r", '"%s"') % (fn, mod, ty, mod, fn))
    harness = work / "harness"
    package = "botocore-diff-" + re.sub(r"[^a-z0-9]+", "-", service.lower())
    cargo_toml = (TEMPLATES / "Cargo.toml.in").read_text(encoding="utf-8")
    cargo_toml = (cargo_toml.replace("@PACKAGE@", package).replace("@CRATE@", str(crate.resolve()))
                  .replace("@RUNTIME@", str(runtime)))
    write_if_changed(harness / "Cargo.toml", cargo_toml)
    main_rs = ((TEMPLATES / "main.rs.in").read_text(encoding="utf-8").replace("@OPERATIONS@", lines)
               .replace("@PAGINATORS@", "\n".join(paginators)).replace("@WAITERS@", "\n".join(waiter_lines))
               .replace("@EVENTS@", "\n".join(events)))
    write_if_changed(harness / "src" / "main.rs", main_rs)
    lock = harness / "Cargo.lock"
    if not lock.exists() and (REPO / "Cargo.lock").exists():
        # Start from the workspace's lock so serde_json resolves to a version already in use.
        shutil.copyfile(REPO / "Cargo.lock", lock)
    env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir), CARGO_INCREMENTAL="0")
    run(["cargo", "build", "-q", "--manifest-path", str(harness / "Cargo.toml")], env=env)
    exe = Path(target_dir) / "debug" / package
    if not exe.exists():
        fatal("error: the harness binary %s is missing after the build" % exe)
    return exe, len(markers), [w[0] for w in waiters]


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------


def event_stream_header(name, kind, value):
    """One header of an event stream message: its name, a type byte, its value (the types of
    the event stream encoding: 0/1 true/false, 2 byte, 3 short, 4 integer, 5 long, 6 bytes,
    7 string, 8 timestamp in ms)."""
    raw = name.encode("utf-8")
    out = struct.pack(">B", len(raw)) + raw + struct.pack(">B", kind)
    if kind in (0, 1):
        return out
    if kind in (2, 3, 4, 5, 8):
        return out + struct.pack({2: ">b", 3: ">h", 4: ">i", 5: ">q", 8: ">q"}[kind], value)
    data = value if kind == 6 else value.encode("utf-8")
    return out + struct.pack(">H", len(data)) + data


def event_stream_message(headers, payload):
    """An event stream message, written here (independently of both sides): prelude (total
    and headers length, CRC32 of the two), headers, payload, CRC32 of everything before."""
    raw_headers = b"".join(event_stream_header(*h) for h in headers)
    prelude = struct.pack(">II", 16 + len(raw_headers) + len(payload), len(raw_headers))
    prelude += struct.pack(">I", binascii.crc32(prelude))
    message = prelude + raw_headers + payload
    return message + struct.pack(">I", binascii.crc32(message))


class Suite:
    def __init__(self, args):
        try:
            import botocore.awsrequest
            import botocore.exceptions
            import botocore.parsers
            import botocore.serialize
            import botocore.session
        except ImportError:
            fatal("error: botocore is not installed (pip install botocore)")

        self.botocore_exceptions = botocore.exceptions
        self.HeadersDict = botocore.awsrequest.HeadersDict
        self.args = args
        self.m = Model(args.model)
        self.service_id, self.service = self.m.service()
        traits = self.service.get("traits", {})
        # self.rest: the HTTP binding traits (restJson1, or restXml: then self.xml too, XML bodies).
        self.xml = T_REST_XML in traits and not any(
            t in traits for t in (T_AWS_JSON_1_0, T_AWS_JSON_1_1, T_REST_JSON))
        self.rest = self.xml or T_REST_JSON in traits and not any(t in traits for t in (T_AWS_JSON_1_0, T_AWS_JSON_1_1))
        self.query = T_AWS_QUERY in traits and not self.rest and not any(
            t in traits for t in (T_AWS_JSON_1_0, T_AWS_JSON_1_1))
        self.json_version = "1.0" if T_AWS_JSON_1_0 in traits else "1.1"
        self.protocol = ("restXml" if self.xml else "restJson1" if self.rest else "awsQuery" if self.query
                         else "awsJson" + self.json_version)
        self.content_type = ("application/xml" if self.xml else "application/json" if self.rest
                             else "text/xml" if self.query else "application/x-amz-json-" + self.json_version)
        self.xml_namespace = (traits.get(T_XML_NAMESPACE) or {}).get("uri")
        self.query_compatible = T_QUERY_COMPATIBLE in traits
        self.m.json_names = self.rest and not self.xml
        # restXml: the element names of map entries (`entry`, a flattened map's member names),
        # compared in any order.
        self.unordered_xml = {"entry"} | {
            mm.get("traits", {}).get(T_XML_NAME, n) for s in self.m.shapes.values() for n, mm in s.get("members", {}).items()
            if T_XML_FLATTENED in mm.get("traits", {}) and self.m.shapes.get(mm["target"], {}).get("type") == "map"}
        if args.only:
            self.kinds = set()
            for word in args.only.split(","):
                if word.strip() not in KIND_NAMES:
                    fatal("error: --only takes %s, not %r" % (", ".join(KIND_NAMES), word))
                kind = KIND_NAMES[word.strip()]
                self.kinds.update((kind,) if isinstance(kind, str) else kind)
        else:
            self.kinds = set(ALL_KINDS)
        self.namespace = self.service_id.split("#")[0]
        session = botocore.session.get_session()
        self.session = session
        try:
            self.bmodel = session.get_service_model(args.service)
        except Exception as e:  # noqa: BLE001 - botocore raises several kinds
            fatal("error: botocore has no service %r: %s" % (args.service, str(e)[:200]))
        protocols = self.bmodel.metadata.get("protocols") or [self.bmodel.protocol]
        bprotocol = "rest-xml" if self.xml else "rest-json" if self.rest else "query" if self.query else "json"
        if bprotocol not in protocols and self.bmodel.protocol != bprotocol:
            fatal("error: botocore's %s model speaks %s, not %s" % (args.service, protocols, bprotocol))
        if self.xml and args.service == "s3":
            # botocore's client strips `/{Bucket}` from S3's request URIs (its endpoint rules put
            # the bucket in the host or the endpoint's path), as ours does: its own handler.
            import botocore.handlers

            for name in self.bmodel.operation_names:
                botocore.handlers.remove_bucket_from_url_paths_from_model(
                    params={}, model=self.bmodel.operation_model(name), context={})
        self.serializer = botocore.serialize.create_serializer(bprotocol, include_validation=True)
        self.parser_factory = lambda: botocore.parsers.create_parser(bprotocol)
        self.differ = Differ(self.m)
        self.canon = self.differ.canon
        ops = self.m.operations(self.service)
        bnames = set(self.bmodel.operation_names)
        self.ops = [o for o in ops if o.split("#")[1] in bnames]
        self.skipped_ops = [o.split("#")[1] for o in ops if o.split("#")[1] not in bnames]
        if args.operations:
            keep = set(args.operations.split(","))
            self.ops = [o for o in self.ops if o.split("#")[1] in keep]
        if not self.ops:
            fatal("error: no operation is in both the Smithy model and botocore's model")
        self.service_errors = [ref["target"] for ref in self.service.get("errors", [])]
        self.unpaired = []
        self.botocore_only = set()
        self.waiter_fns = []
        self.paginated_ops = 0
        self.waiter_names = []
        self.bnames = set(self.bmodel.shape_names)
        self.fills, self.unfillable = {}, {}

    def op_errors(self, op_id):
        """The operation's errors and the service's, as Smithy shape ids."""
        seen, out = set(), []
        for ref in self.m.shape(op_id).get("errors", []) + [{"target": e} for e in self.service_errors]:
            if ref["target"] not in seen:
                seen.add(ref["target"])
                out.append(ref["target"])
        return out

    def botocore_knows_error(self, err_id):
        name = err_id.split("#")[1]
        if name not in self.bnames:
            return False
        return bool(self.bmodel.shape_for(name).metadata.get("exception"))

    def not_in_body(self, sid):
        """restJson1: the output members bound to headers or the status code. They are left out
        of generated responses (no header carries them either), so both sides see them unset."""
        if not self.rest or sid is None:
            return ()
        body = self.m.body_members(sid) or []
        return tuple(n for n in self.m.shape(sid).get("members", {}) if n not in body)

    def label_fills(self):
        """restJson1: per paginated operation, the values of the required members of its input
        (path labels, query strings and headers: the input's JSON form has only its body), which
        the harness sets in the next request and botocore is given too. Only strings are set; an
        operation with another kind of required member, or a required body member, is left out
        (self.unfillable)."""
        self.fills, self.unfillable = {}, {}
        if not self.rest:
            return self.fills
        for op in self.ops:
            name = op.split("#")[1]
            smithy = self.pagination(op)
            input_id = io_shape(self.m.shape(op), "input")
            if smithy is None or input_id is None:
                continue
            body = self.m.body_members(input_id) or []
            pairs = []
            for k, (mname, member) in enumerate(sorted(self.m.shape(input_id).get("members", {}).items())):
                if not self.m.is_required(member) or mname == smithy.get("inputToken"):
                    continue
                if mname in body or self.m.kind(member["target"]) != "string":
                    self.unfillable[name] = "a required %s member %s" % (
                        "body" if mname in body else self.m.kind(member["target"]), mname)
                pairs.append((mname, "name%d" % (k + 1)))
            if pairs and name not in self.unfillable:
                self.fills[name] = pairs
        return self.fills

    def payload_output(self, op):
        """restJson1: whether the output is an @httpPayload (not a JSON object of members)."""
        output_id = io_shape(self.m.shape(op), "output")
        return self.rest and output_id is not None and self.m.body_members(output_id) is None

    def make_cases(self):
        rng = random.Random(self.args.seed)
        ops = list(self.ops)
        rng.shuffle(ops)
        kinds = ["request", "response", "error"]
        cases = []
        only = {int(x) for x in self.args.case.split(",")} if getattr(self.args, "case", None) else None
        for i in range(self.args.cases if self.kinds & set(WIRE_KINDS) else 0):
            if only is not None and i not in only:
                continue
            op = ops[i % len(ops)]
            kind = kinds[(i // len(ops) + ops.index(op)) % 3]
            if kind not in self.kinds:
                continue  # (--only: the other kinds keep their numbers and seeds)
            crng = random.Random("%s/%d" % (self.args.seed, i))
            case = {"id": i, "op": op, "name": op.split("#")[1], "kind": kind}
            gen = Gen(self.m, crng)
            gen.sorted_maps = self.query
            gen.xml_body = self.xml
            try:
                getattr(self, "make_" + kind)(case, gen, crng)
            except NeedsSkip as e:
                case["skip"] = str(e)
            cases.append(case)
        if only is None:
            # Numbered after the N wire cases (as many as were drawn, even those --only left out).
            start = self.args.cases if self.kinds & set(WIRE_KINDS) else 0
            pages = self.paginator_cases(start) if "paginate" in self.kinds else []
            waits = self.waiter_cases(start + len(pages)) if "wait" in self.kinds else []
            events = self.event_cases(start + len(pages) + len(waits)) if "events" in self.kinds else []
            cases.extend(pages + waits + events)
        return cases

    # ---- paginators ----------------------------------------------------------------------

    def pagination(self, op):
        """The operation's @paginated, merged over the service's, or None."""
        own = self.m.shape(op).get("traits", {}).get("smithy.api#paginated")
        if own is None:
            return None
        merged = dict(self.service.get("traits", {}).get("smithy.api#paginated", {}))
        merged.update(own)
        return merged

    def paginator_cases(self, start):
        try:
            pmodel = self.session.get_paginator_model(self.args.service)
        except Exception:  # noqa: BLE001 - botocore has no paginators for the service
            pmodel = None
        cases = []
        self.paginated_ops = 0
        for op in self.ops:
            name = op.split("#")[1]
            smithy = self.pagination(op)
            if smithy is None:
                continue
            try:
                bconf = pmodel.get_paginator(name) if pmodel else None
            except ValueError:
                bconf = None
            if bconf is None:
                self.unpaired.append("paginator " + name)
                continue
            if self.payload_output(op):
                self.unpaired.append("paginator %s (output is an @httpPayload)" % name)
                continue
            if name in self.unfillable:
                self.unpaired.append("paginator %s (input has %s)" % (name, self.unfillable[name]))
                continue
            self.paginated_ops += 1
            for k in range(self.args.paginator_cases):
                rng = random.Random("%s/paginate/%s/%d" % (self.args.seed, name, k))
                case = {"id": start + len(cases), "op": op, "name": name, "kind": "paginate",
                        "smithy": smithy, "botocore": bconf}
                try:
                    self.make_paginate(case, Gen(self.m, rng), rng)
                except NeedsSkip as e:
                    case["skip"] = str(e)
                cases.append(case)
        return cases

    def make_paginate(self, case, gen, rng):
        output_id = io_shape(self.m.shape(case["op"]), "output")
        if self.query or self.xml:
            return self.make_query_paginate(case, gen, rng, output_id)
        obj = gen.wire_structure(output_id, 1, exclude=self.not_in_body(output_id))
        # The token: often absent or empty, else what the generator made.
        path = case["smithy"]["outputToken"].split(".")
        holder = obj
        for key in path[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(holder, dict):
            r = rng.random()
            if r < 0.2:
                holder.pop(path[-1], None)
            elif r < 0.35:
                sid = output_id
                for key in path:
                    sid = self.m.shape(sid)["members"][key]["target"]
                holder[path[-1]] = {} if self.m.kind(sid) == "map" else ""
        body = dump_json(obj, ascii_only=rng.random() < 0.5)
        headers = [["x-amzn-RequestId", "req-%d" % case["id"]], ["Content-Type", self.content_type]]
        case.update(status=200, headers=headers, body=body)
        # restJson1: the next request's required members (the harness reads them as its input).
        case["params"] = dict(self.fills.get(case["name"], []))
        members = self.m.shape(io_shape(self.m.shape(case["op"]), "input") or "smithy.api#Unit").get("members", {})
        ours = {self.m.key(k, members[k]): v for k, v in case["params"].items()}
        case["harness"] = {"op": case["name"], "kind": "paginate", "headers": headers, "body": body,
                           "params": dump_json(ours, ascii_only=True)}

    def check_paginate(self, case, answer):
        import jmespath

        diffs = []
        smithy, bconf = case["smithy"], case["botocore"]
        one = lambda v: v[0] if isinstance(v, list) and len(v) == 1 else v  # noqa: E731
        # botocore's result_key may list several keys (DynamoDB's Query: Items, Count,
        # ScannedCount): the first is the items; the others are summed counters, not items.
        first = lambda v: v[0] if isinstance(v, list) and v else v  # noqa: E731
        for skey, bkey in (("inputToken", "input_token"), ("outputToken", "output_token"),
                           ("items", "result_key"), ("pageSize", "limit_key")):
            bvalue = first(bconf.get(bkey)) if bkey == "result_key" else one(bconf.get(bkey))
            if smithy.get(skey) is None and skey in ("items", "pageSize"):
                # The Smithy model does not declare it (Secrets Manager's ListSecrets has no
                # `items`; botocore's file says SecretList): nothing generated to compare.
                if bvalue is not None:
                    self.botocore_only.add("%s %s=%s" % (case["name"], bkey, bvalue))
                continue
            if bvalue != smithy.get(skey):
                diffs.append(("config " + skey, "paginator configurations differ", bconf.get(bkey), smithy.get(skey)))
        op_model = self.bmodel.operation_model(case["name"])
        try:
            parsed = self.botocore_parse(200, case["headers"], case["body"], op_model.output_shape, op_model)
        except Exception as e:  # noqa: BLE001
            return [("", "botocore could not parse the generated response (a bug in this script)", repr(e), None)]
        if "more" not in answer:
            what = "our side failed: " + ", ".join("%s: %s" % (k, answer[k]) for k in answer if k != "id")
            return diffs + [("", what, None, None)]
        btoken = jmespath.search(one(bconf["output_token"]), parsed)
        if bool(btoken) != answer["more"]:
            diffs.append(("token", "whether there is a next page differs", btoken, answer["more"]))
        elif btoken and self.rest:
            self.check_next_request(case, btoken, one(bconf["input_token"]), op_model, answer, diffs)
        elif btoken:
            in_name = one(bconf["input_token"])
            input_id = io_shape(self.m.shape(case["op"]), "input")
            member = self.m.shape(input_id)["members"].get(in_name)
            bshape = op_model.input_shape.members.get(in_name)
            if self.query:
                import urllib.parse

                form = dict(urllib.parse.parse_qsl(answer["token_body"] or "", keep_blank_values=True))
                key = (member or {}).get("traits", {}).get(T_XML_NAME, in_name)
                ours = form.get(key)
            else:
                ours = json.loads(answer["token_body"] or "{}").get(in_name)
            if member is None or bshape is None:
                diffs.append(("token", "the input token member is missing", bshape, member))
            else:
                a = self.canon.value(btoken, member, bshape, "boto")
                b = self.canon.value(ours, member, bshape, "wire")
                self.differ.diff(a, b, member, bshape, "next " + in_name, diffs, fill=False)
        if smithy.get("items"):
            bitems = jmespath.search(first(bconf.get("result_key")) or smithy["items"], parsed)
            if isinstance(bitems, list):
                count = len([x for x in bitems if x is not None])
            elif isinstance(bitems, dict):
                count = len(bitems)
            else:
                count = 0
            if count != answer.get("items"):
                diffs.append(("items", "item counts differ", count, answer.get("items")))
        return diffs

    def make_query_paginate(self, case, gen, rng, output_id):
        """A random XML output whose token is often absent or empty (awsQuery, and restXml: its
        body members only, no headers)."""
        case["output_id"] = output_id
        if self.xml:
            root = self.m.shape(output_id).get("traits", {}).get(T_XML_NAME, output_id.split("#")[1])
            body = self.xml_document(root, output_id, gen, rng, exclude=self.not_in_body(output_id))
            case.update(status=200, headers=[["x-amzn-RequestId", "req-%d" % case["id"]],
                                             ["Content-Type", self.content_type]], body=body.decode("utf-8"))
        else:
            self.make_query_response(case, gen, rng)
        token = case["smithy"]["outputToken"]
        member = self.m.shape(output_id)["members"].get(token, {})
        name = member.get("traits", {}).get(T_XML_NAME, token)
        body = case["body"]
        r = rng.random()
        pattern = re.compile(r"<%s>.*?</%s>" % (re.escape(name), re.escape(name)), re.S)
        bmember = self.bmodel.operation_model(case["name"]).output_shape.members.get(token)
        if r < 0.2 or r < 0.35 and bmember is not None and bmember.type_name == "integer":
            # (an empty element is no integer: botocore's model says S3's NextPartNumberMarker is one)
            body = pattern.sub("", body, count=1)
        elif r < 0.35:
            body = pattern.sub("<%s></%s>" % (name, name), body, count=1)
        case["body"] = body
        # restXml: the next request's required members (the harness reads them as its input).
        case["params"] = dict(self.fills.get(case["name"], []))
        case["harness"] = {"op": case["name"], "kind": "paginate", "headers": case["headers"], "body": body,
                           "params": dump_json(case["params"], ascii_only=True)}

    def check_next_request(self, case, btoken, in_name, op_model, answer, diffs):
        """restJson1: the next request, as botocore serializes the input with its token, against
        ours: the path, the query (decoded), and the token where the input binds it (a header,
        or the JSON body)."""
        import urllib.parse

        try:
            req = self.serializer.serialize_to_request(dict(case["params"], **{in_name: btoken}), op_model)
        except self.botocore_exceptions.ParamValidationError as e:
            diffs.append(("", "botocore rejected the next input (a bug in this script)", str(e), None))
            return
        def split(url):
            path, _, query = url.partition("?")
            pairs = collections.defaultdict(list)
            for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True):
                pairs[k].append(v)
            return urllib.parse.unquote(path), {k: v[0] if len(v) == 1 else v for k, v in pairs.items()}

        # botocore's url_path keeps the literal query of the @http uri (`?List=ALL`); the
        # members bound to the query are in query_string.
        ours_path, ours_query = split(answer.get("token_path") or "")
        boto_path, boto_query = split(req["url_path"])
        boto_query.update((k, v if isinstance(v, list) else str(v)) for k, v in req["query_string"].items())
        if self.xml:
            # (as for requests: S3's `/` for a path without the bucket, and the Smithy model's `x-id`)
            boto_path = boto_path if boto_path.startswith("/") else "/" + boto_path
            if "x-id" not in boto_query:
                ours_query.pop("x-id", None)
        if ours_path != boto_path:
            diffs.append(("next path", "values differ", req["url_path"], answer.get("token_path")))
        if ours_query != boto_query:
            diffs.append(("next query", "values differ", boto_query, ours_query))
        bmember = op_model.input_shape.members.get(in_name)
        where = bmember.serialization.get("location") if bmember is not None else None
        if where == "header":
            hname = bmember.serialization.get("name", in_name)
            ours = {k.lower(): v for k, v in answer.get("token_headers", [])}.get(hname.lower())
            if ours != req["headers"].get(hname):
                diffs.append(("next header " + hname, "values differ", req["headers"].get(hname), ours))
        elif where is None:
            member = self.m.shape(io_shape(self.m.shape(case["op"]), "input"))["members"].get(in_name)
            ours = json.loads(answer.get("token_body") or "{}").get(in_name)
            a = self.canon.value(btoken, member, bmember, "boto")
            b = self.canon.value(ours, member, bmember, "wire")
            self.differ.diff(a, b, member, bmember, "next " + in_name, diffs, fill=False)

    # ---- waiters -------------------------------------------------------------------------

    def waiter_cases(self, start):
        try:
            wmodel = self.session.get_waiter_model(self.args.service)
        except Exception:  # noqa: BLE001 - botocore has no waiters for the service
            wmodel = None
        cases = []
        self.waiter_names = []
        for op in self.ops:
            name = op.split("#")[1]
            waitable = self.m.shape(op).get("traits", {}).get("smithy.waiters#waitable", {})
            for wname, waiter in sorted(waitable.items()):
                fn = next((f for f in self.waiter_fns if f.replace("_", "") == wname.lower()), None)
                bw = wmodel.get_waiter(wname) if wmodel and wname in wmodel.waiter_names else None
                if fn is None or bw is None or bw.operation != name:
                    self.unpaired.append("waiter " + wname)
                    continue
                if self.payload_output(op):
                    self.unpaired.append("waiter %s (output is an @httpPayload)" % wname)
                    continue
                self.waiter_names.append(wname)
                expected = sorted({str(a.get("matcher", {}).get(k, {}).get("expected"))
                                   for a in waiter.get("acceptors", []) for k in ("output", "inputOutput")} - {"None"})
                for k in range(self.args.waiter_cases):
                    rng = random.Random("%s/wait/%s/%d" % (self.args.seed, wname, k))
                    case = {"id": start + len(cases), "op": op, "name": name, "kind": "wait",
                            "waiter": wname, "fn": fn, "bwaiter": bw}
                    gen = BiasedGen(self.m, rng, expected)
                    if rng.random() < 0.6:
                        self.make_response(case, gen, rng)
                        case["boto_body"] = case["body"]
                    else:
                        self.make_error(case, gen, rng)
                    case["harness"] = dict(case["harness"], kind="wait", waiter=fn, params="{}")
                    cases.append(case)
        return cases

    def check_wait(self, case, answer):
        op_model = self.bmodel.operation_model(case["name"])
        try:
            parsed = self.botocore_parse(case["status"], case["headers"], case["boto_body"], op_model.output_shape, op_model)
        except Exception as e:  # noqa: BLE001
            return [("", "botocore could not parse the generated response (a bug in this script)", repr(e), None)]
        if "ok" not in answer:
            what = "our side failed: " + ", ".join("%s: %s" % (k, answer[k]) for k in answer if k != "id")
            return [("", what, None, None)]
        # botocore.waiter.Waiter.wait: the first acceptor that matches; none matching an error
        # is a failure ("unexpected error"), none matching a success a retry.
        bstate = None
        try:
            for acceptor in case["bwaiter"].acceptors:
                if acceptor.matcher_func(parsed):
                    bstate = acceptor.state
                    break
        except Exception as e:  # noqa: BLE001 - jmespath type errors (`length(null)`)
            raise NeedsSkip("botocore's JMESPath raised %s" % type(e).__name__)
        if bstate is None:
            bstate = "unexpected" if "Error" in parsed else "retry"
        case["state"] = bstate
        ours = answer["state"] or ("retry" if answer["ok"] else "unexpected")
        if ours != bstate:
            return [("state", "waiter states differ", bstate, ours)]
        return []

    # ---- requests ------------------------------------------------------------------------

    def make_request(self, case, gen, rng):
        op_model = self.bmodel.operation_model(case["name"])
        input_id = io_shape(self.m.shape(case["op"]), "input")
        if self.event_stream(input_id):
            raise NeedsSkip("the input is an event stream (%s): not a request this test can express"
                            % self.event_stream(input_id))
        if input_id is None:
            boto, ours = {}, {}
        else:
            boto, ours = gen.input_structure(input_id, op_model.input_shape, 1)
        if self.xml and "Bucket" in boto and isinstance(boto["Bucket"], str):
            # S3: a DNS-compatible bucket name (botocore's client would send others path-style).
            boto["Bucket"] = ours["Bucket"] = dns_bucket(rng)
        case["input_id"] = input_id
        case["boto_params"] = boto
        case["params"] = dump_json(ours, ascii_only=rng.random() < 0.5)
        case["harness"] = {"op": case["name"], "kind": "request", "params": case["params"]}

    def check_request(self, case, answer):
        op_model = self.bmodel.operation_model(case["name"])
        try:
            req = self.serializer.serialize_to_request(case["boto_params"], op_model)
        except self.botocore_exceptions.ParamValidationError as e:
            return [("", "botocore rejected the generated input (a bug in this script)", str(e), None)]
        if "input_error" in answer:
            return [("", "our side could not read the input JSON", case["params"], answer["input_error"])]
        if self.rest:
            return self.check_rest_request(case, answer, req, op_model)
        if self.query:
            return self.check_query_request(case, answer, req, op_model)
        diffs = []
        if req["method"] != answer.get("method"):
            diffs.append(("method", "values differ", req["method"], answer.get("method")))
        if req["url_path"] != answer.get("path"):
            diffs.append(("path", "values differ", req["url_path"], answer.get("path")))
        ours_headers = {k.lower(): v for k, v in answer.get("headers", [])}
        for name in ("Content-Type", "X-Amz-Target"):
            if req["headers"].get(name) != ours_headers.get(name.lower()):
                diffs.append(("header " + name, "values differ", req["headers"].get(name), ours_headers.get(name.lower())))
        self.extra_headers.update(k for k in req["headers"] if k.lower() not in ours_headers)
        if answer.get("body_not_utf8"):
            diffs.append(("body", "our body is not UTF-8", None, answer.get("body")))
        boto_body = json.loads(req["body"].decode("utf-8"))
        try:
            ours_body = json.loads(answer.get("body", ""))
        except ValueError as e:
            diffs.append(("body", "our body is not JSON (%s)" % e, None, answer.get("body")))
            return diffs
        if case["input_id"] is None:
            if boto_body != ours_body:
                diffs.append(("body", "values differ", boto_body, ours_body))
            return diffs
        member = {"target": case["input_id"]}
        a = self.canon.value(boto_body, member, op_model.input_shape, "wire")
        b = self.canon.value(ours_body, member, op_model.input_shape, "wire")
        self.differ.diff(a, b, member, op_model.input_shape, "", diffs, fill=False)
        return diffs

    # ---- success responses ---------------------------------------------------------------

    def make_response(self, case, gen, rng):
        output_id = io_shape(self.m.shape(case["op"]), "output")
        case["output_id"] = output_id
        if self.rest and case["kind"] == "response" or self.xml:
            # (restXml: wait cases too, with the output's headers; see the docstring)
            return self.make_rest_response(case, gen, rng)
        if self.query:
            return self.make_query_response(case, gen, rng)
        r = rng.random()
        if output_id is None:
            body = rng.choice(["{}", "", '{"unknownKey": [1, {"a": null}]}'])
        elif r < 0.05:
            body = rng.choice(["", "{}", "  \n"])
        else:
            body = dump_json(gen.wire_structure(output_id, 1, exclude=self.not_in_body(output_id)),
                             ascii_only=rng.random() < 0.5)
            if rng.random() < 0.2:
                body = "\n  " + body.replace(",", ", ") + "\n"
        headers = [["x-amzn-RequestId", "req-%d" % case["id"]], ["Content-Type", self.content_type]]
        case["status"] = 200
        case["headers"] = headers
        case["body"] = body
        case["harness"] = {"op": case["name"], "kind": "response", "status": 200, "headers": headers, "body": body}

    def botocore_parse(self, status, headers, body, shape, op_model=None):
        hd = self.HeadersDict()
        for k, v in headers:
            hd[k] = v
        if isinstance(body, str):
            body = body.encode("utf-8")
        response = {"status_code": status, "headers": hd, "body": body}
        if self.xml and self.args.service == "s3" and op_model is not None:
            # botocore's client, before it parses an S3 response, makes a 200 whose body is an
            # <Error> document a 500 (its own handler; ours reads such a 200 as an error too).
            import botocore.handlers

            botocore.handlers._handle_200_error(op_model, response)
        parsed = self.parser_factory().parse(response, shape)
        if self.xml and op_model is not None and op_model.name == "GetBucketLocation" and status < 300:
            # botocore's client reads GetBucketLocation's unwrapped document in a handler.
            import botocore.handlers

            class Raw:
                raw, content = b"", body

            botocore.handlers.parse_get_bucket_location(parsed, Raw())
        return parsed

    def check_response(self, case, answer):
        op_model = self.bmodel.operation_model(case["name"])
        body = case.get("raw_body", case["body"])
        payload = case.get("payload")
        if payload and self.m.kind(self.m.shape(case["output_id"])["members"][payload]["target"]) == "blob":
            # botocore decodes a blob payload that is `bytes` as UTF-8 (a binary one fails: its
            # client's payloads are JSON in practice); a bytearray it passes through as is.
            body = bytearray(body)
        try:
            parsed = self.botocore_parse(case["status"], case["headers"], body, op_model.output_shape, op_model)
        except Exception as e:  # noqa: BLE001
            return [("", "botocore could not parse the generated response (a bug in this script)", repr(e), None)]
        parsed.pop("ResponseMetadata", None)
        payload = case.get("payload")
        if payload and self.m.is_streaming(self.m.shape(case["output_id"])["members"][payload]):
            # A streamed payload is the body itself (a ByteStream on our side): not compared.
            parsed.pop(payload, None)
        elif payload and (parsed.get(payload) in ("", b"") or self.xml and parsed.get(payload) == {}
                          and not case.get("raw_body")):
            # An empty body is no payload (the restJson1 suite's
            # RestJsonHttpPayloadTraitsWithNoBlobBody); botocore gives an empty value (restXml: an
            # empty structure for a structure payload).
            parsed.pop(payload)
        if "output" not in answer:
            what = "our side failed: " + ", ".join("%s: %s" % (k, answer[k]) for k in answer if k != "id")
            return [("", what, fmt(parsed), None)]
        try:
            ours = json.loads(answer["output"])
        except ValueError as e:
            return [("", "our output is not JSON (%s)" % e, None, answer["output"])]
        if case["output_id"] is None:
            # (botocore's model may give the output members the Smithy model does not have:
            # Lambda's DeleteFunction has StatusCode there)
            return [] if ours == {} and (parsed == {} or self.rest) else [("", "values differ", parsed, ours)]
        member = {"target": case["output_id"]}
        a = self.canon.value(parsed, member, op_model.output_shape, "boto")
        b = self.canon.value(ours, member, op_model.output_shape, "wire")
        diffs = []
        self.differ.diff(a, b, member, op_model.output_shape, "", diffs, fill=True)
        return diffs

    # ---- error responses -----------------------------------------------------------------

    def make_error(self, case, gen, rng):
        if self.query or self.xml:
            return self.make_query_error(case, gen, rng)
        # Errors botocore's model lacks (DynamoDB's InvalidEndpointException) cannot be compared.
        errors = [e for e in self.op_errors(case["op"]) if self.botocore_knows_error(e)]
        modeled = bool(errors) and rng.random() < 0.8
        headers = [["x-amzn-RequestId", "req-%d" % case["id"]]]
        if modeled:
            err_id = rng.choice(errors)
            name = err_id.split("#")[1]
            shape = self.m.shape(err_id)
            status = shape.get("traits", {}).get(T_HTTP_ERROR) or (500 if shape.get("traits", {}).get(T_ERROR) == "server" else 400)
            msg_members = [k for k in shape.get("members", {}) if k.lower() == "message"]
            bound = self.not_in_body(err_id)
            body = gen.wire_structure(err_id, 1, exclude=tuple(msg_members) + bound)
            if self.rest:
                headers.extend(self.rest_bindings(err_id, gen, rng)[1])
            namespace = err_id.split("#")[0]
            query_code = (shape.get("traits", {}).get(T_QUERY_ERROR) or {}).get("code", name)
        else:
            err_id = None
            name = "Unmodeled" + gen.string(None, "smithy.api#String").replace(":", "").replace("#", "")[:8] + "Error"
            name = re.sub(r"[^A-Za-z0-9.]", "", name)
            status = rng.choice([400, 403, 500, 503])
            body = {}
            namespace = self.namespace
            query_code = "AWS.Unmodeled." + name
        spelling = rng.choice(["name", "ns#name", "name:uri", "ns#name:uri"])
        full = {
            "name": name,
            "ns#name": namespace + "#" + name,
            "name:uri": name + ":http://internal.amazon.com/coral/com.amazon.coral.validate/",
            "ns#name:uri": namespace + "#" + name + ":http://internal.amazon.com/coral/com.amazon.coral.validate/",
        }[spelling]
        where = rng.choice(["body", "body", "header", "both", "header wins"])
        if where in ("body", "both"):
            # restJson1 also names the error by `code` in the body.
            body = dict(body, **{"code" if self.rest and rng.random() < 0.3 else "__type": full})
        if where == "header wins":
            # The header names the error; the body's __type says something else and must lose.
            body = dict(body, __type=namespace + "#SomethingElseEntirely")
        if where in ("header", "both", "header wins"):
            headers.append([rng.choice(["X-Amzn-Errortype", "x-amzn-errortype"]), full])
        message_key = rng.choice(["message", "Message", None if modeled else "message"])
        if message_key:
            body[message_key] = "msg " + gen.string(None, "smithy.api#String", lo_extra=1)
        items = list(body.items())
        rng.shuffle(items)
        body = dict(items)
        if self.query_compatible and rng.random() < 0.5:
            headers.append(["x-amzn-query-error", "%s;%s" % (query_code, rng.choice(["Sender", "Receiver"]))])
        text = dump_json(body, ascii_only=rng.random() < 0.5)
        # botocore's awsJson parser does not read X-Amzn-Errortype: give it the name in the body
        # (its restJson parser does, as the protocol says).
        boto_body = text
        if where in ("header", "header wins") and not self.rest:
            boto_body = dump_json(dict(body, __type=full), ascii_only=True)
        case.update(status=status, headers=headers, body=text, boto_body=boto_body, error_id=err_id,
                    where=where, expect_modeled=err_id is not None)
        case["harness"] = {"op": case["name"], "kind": "response", "status": status, "headers": headers, "body": text}

    def check_error(self, case, answer):
        if self.query or self.xml:
            return self.check_query_error(case, answer)
        op_model = self.bmodel.operation_model(case["name"])
        try:
            parsed = self.botocore_parse(case["status"], case["headers"], case["boto_body"], op_model.output_shape, op_model)
        except Exception as e:  # noqa: BLE001
            return [("", "botocore could not parse the generated error (a bug in this script)", repr(e), None)]
        err = parsed.get("Error", {})
        code = err.get("Code")
        # botocore's client looks the modeled error up by Code, and for query-compatible services
        # by QueryErrorCode (the name in __type) when the x-amzn-query-error header renamed it.
        bshape = None
        for candidate in (code, err.get("QueryErrorCode")):
            if candidate and bshape is None:
                bshape = self.bmodel.shape_for_error_code(candidate)
        if "error" not in answer:
            what = "our side did not return an error: " + ", ".join("%s: %s" % (k, answer[k]) for k in answer if k != "id")
            return [("", what, code, None)]
        ours = answer["error"]
        diffs = []
        if ours.get("code") != code:
            diffs.append(("code", "error codes differ", code, ours.get("code")))
        ours_fields = ours.get("fields")
        if (bshape is not None) != (ours_fields is not None):
            diffs.append((
                "modeled",
                "modeled on one side only",
                bshape.name if bshape is not None else "unmodeled",
                "modeled" if ours_fields is not None else "unmodeled",
            ))
            return diffs
        if bshape is None:
            return diffs
        smithy_err = next((e for e in self.op_errors(case["op"]) + [s for s in self.m.shapes if self.m.shapes[s].get("traits", {}).get(T_ERROR)]
                           if e.split("#")[1] == bshape.name), None)
        if smithy_err is None:
            return diffs + [("", "botocore's error %s is not in the Smithy model" % bshape.name, None, None)]
        try:
            fields = self.botocore_parse(case["status"], case["headers"], case["boto_body"], bshape)
        except Exception as e:  # noqa: BLE001
            return diffs + [("", "botocore could not parse the error's fields", repr(e), None)]
        fields.pop("ResponseMetadata", None)
        members = self.m.shape(smithy_err).get("members", {})
        for k in members:
            if k.lower() == "message":
                fields.pop(k, None)
                if err.get("Message"):
                    fields[k] = err["Message"]
        try:
            ours_value = json.loads(ours_fields)
        except ValueError as e:
            return diffs + [("fields", "our fields are not JSON (%s)" % e, None, ours_fields)]
        member = {"target": smithy_err}
        a = self.canon.value(fields, member, bshape, "boto")
        b = self.canon.value(ours_value, member, bshape, "wire")
        self.differ.diff(a, b, member, bshape, "", diffs, fill=True)
        return diffs

    # ---- awsQuery: form requests, XML responses ----------------------------------------------

    def check_query_request(self, case, answer, req, op_model):
        """The method, path, Content-Type and the form body, decoded: the same keys, and the same
        values (numbers as numbers, timestamps as instants)."""
        import urllib.parse

        diffs = []
        for what, a, b in (("method", req["method"], answer.get("method")), ("path", req["url_path"], answer.get("path"))):
            if a != b:
                diffs.append((what, "values differ", a, b))
        ours_headers = {k.lower(): v for k, v in answer.get("headers", [])}
        boto_type = req["headers"].get("Content-Type", "")
        if ours_headers.get("content-type", "").split(";")[0] != boto_type.split(";")[0]:
            diffs.append(("header Content-Type", "values differ", boto_type, ours_headers.get("content-type")))
        ours = {}
        for k, v in urllib.parse.parse_qsl(answer.get("body", ""), keep_blank_values=True):
            if k in ours:
                diffs.append(("body " + k, "a key sent twice", None, v))
            ours[k] = v
        boto = {k: v for k, v in req["body"].items()}
        kinds = self.query_key_kinds(case["input_id"], "", {}) if case["input_id"] else {}
        for k in sorted(set(ours) | set(boto)):
            a, b = boto.get(k), ours.get(k)
            if a is None or b is None:
                diffs.append(("body " + k, "only %s sends it" % ("botocore" if b is None else "our side"), a, b))
                continue
            if not self.same_query_value(kinds.get(re.sub(r"\.\d+(?=\.|$)", ".N", k)), a, b):
                diffs.append(("body " + k, "values differ", a, b))
        return diffs

    def query_key_kinds(self, sid, prefix, out, depth=0):
        """The kind of each form key of a structure's members (list and map positions as `N`)."""
        if depth > 8:
            return out
        for name, mm in self.m.shape(sid).get("members", {}).items():
            key = prefix + mm.get("traits", {}).get(T_XML_NAME, name)
            self.query_member_kinds(mm, key, out, depth)
        return out

    def query_member_kinds(self, mm, key, out, depth):
        kind = self.m.kind(mm["target"])
        shape = self.m.shape(mm["target"])
        flat = T_XML_FLATTENED in mm.get("traits", {})
        if kind == "structure":
            self.query_key_kinds(mm["target"], key + ".", out, depth + 1)
        elif kind == "list":
            item = shape["member"]
            name = item.get("traits", {}).get(T_XML_NAME, "member")
            self.query_member_kinds(item, key + (".N" if flat else "." + name + ".N"), out, depth + 1)
        elif kind == "map":
            entry = key + (".N" if flat else ".entry.N")
            for part in ("key", "value"):
                sub = shape[part]
                self.query_member_kinds(sub, entry + "." + sub.get("traits", {}).get(T_XML_NAME, part), out, depth + 1)
        else:
            out[key] = kind

    @staticmethod
    def same_query_value(kind, a, b):
        a = str(a).lower() if isinstance(a, bool) else str(a)
        if a == b:
            return True
        try:
            if kind in ("float", "double"):
                return float(a) == float(b) or (math.isnan(float(a)) and math.isnan(float(b)))
            if kind == "timestamp":
                return abs(parse_ts_text(a) - parse_ts_text(b)) < 1e-3
        except ValueError:
            return False
        return False

    def xml_text(self, member, gen, rng):
        """A random scalar value's XML text (escaped)."""
        from xml.sax.saxutils import escape

        sid = member["target"]
        kind = self.m.kind(sid)
        if kind == "enum":
            return escape(rng.choice(self.m.enum_values(sid)) if rng.random() < 0.9 else "NewValue%d" % rng.randint(0, 99))
        if kind == "string" and self.xml and sid.split("#")[1] in self.bnames and self.bmodel.shape_for(
                sid.split("#")[1]).type_name in ("integer", "long"):
            # (botocore's model says integer where the Smithy model says string: S3's
            # PartNumberMarker)
            return str(rng.randint(0, 10000))
        if kind == "string":
            # XML 1.0 cannot carry most control characters; `\r` reads back as `\n`.
            text = "".join(c for c in gen.string(member, sid) if c >= " " or c in "\t\n")
            return escape(text)
        if kind == "boolean":
            return rng.choice(["true", "false"])
        if kind in INT_BOUNDS:
            return str(gen.integer(kind, member))
        if kind in ("float", "double"):
            return repr(gen.floating(kind, member, allow_special=False))
        if kind == "timestamp":
            secs = gen.timestamp_seconds(whole=rng.random() < 0.5)
            fmt = self.m.trait(member, T_TS_FORMAT) or "date-time"
            return {"date-time": epoch_to_iso, "http-date": epoch_to_http}.get(fmt, lambda x: repr(x))(secs)
        if kind == "blob":
            return base64.b64encode(bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 12)))).decode()
        raise NeedsSkip("a %s in an XML response" % kind)

    def xml_element(self, name, member, gen, rng, depth):
        """The XML of one member named `name` (for a flattened list or map, its elements)."""
        sid = member["target"]
        kind = self.m.kind(sid)
        shape = self.m.shape(sid)
        flat = T_XML_FLATTENED in member.get("traits", {})
        if kind == "structure":
            return "<%s%s>%s</%s>" % (name, self.xml_attributes(member, sid, gen, rng),
                                      self.xml_members(sid, gen, rng, depth + 1), name)
        if kind == "union" and self.xml:
            names = list(shape.get("members", {}))
            if depth >= MAX_DEPTH:
                names = [n for n in names if self.m.kind(shape["members"][n]["target"]) not in
                         ("structure", "union", "list", "map")] or names
            if rng.random() < 0.1 or not names:
                return "<%s><NewMember%d>x</NewMember%d></%s>" % (name, depth, depth, name)
            pick = rng.choice(names)
            mm = shape["members"][pick]
            return "<%s>%s</%s>" % (name, self.xml_element(mm.get("traits", {}).get(T_XML_NAME, pick), mm, gen,
                                                            rng, depth + 1), name)
        if kind == "list":
            item = shape["member"]
            n = 0 if depth >= MAX_DEPTH else rng.randint(0, 3)
            if flat:
                return "".join(self.xml_element(name, item, gen, rng, depth + 1) for _ in range(n))
            item_name = item.get("traits", {}).get(T_XML_NAME, "member")
            return "<%s>%s</%s>" % (name, "".join(self.xml_element(item_name, item, gen, rng, depth + 1)
                                                   for _ in range(n)), name)
        if kind == "map":
            key, value = shape["key"], shape["value"]
            kname = key.get("traits", {}).get(T_XML_NAME, "key")
            vname = value.get("traits", {}).get(T_XML_NAME, "value")
            n = 0 if depth >= MAX_DEPTH else rng.randint(0, 3)
            entries, seen = [], set()
            for _ in range(n):
                k = self.xml_element(kname, key, gen, rng, depth + 1)
                if k in seen:
                    continue
                seen.add(k)
                entries.append(k + self.xml_element(vname, value, gen, rng, depth + 1))
            if flat:
                return "".join("<%s>%s</%s>" % (name, e, name) for e in entries)
            return "<%s>%s</%s>" % (name, "".join("<entry>%s</entry>" % e for e in entries), name)
        if kind in ("union", "document"):
            raise NeedsSkip("a %s in an XML response" % kind)
        return "<%s>%s</%s>" % (name, self.xml_text(member, gen, rng), name)

    def xml_attributes(self, member, sid, gen, rng):
        """restXml: a structure element's @xmlNamespace declaration (of the member, else its
        target) and its @xmlAttribute members, as ` name="value"` text. (Draws nothing from rng
        for shapes without either, so awsQuery cases keep their seeds.)"""
        out = ""
        ns = (member or {}).get("traits", {}).get(T_XML_NAMESPACE) or self.m.shape(sid).get("traits", {}).get(T_XML_NAMESPACE)
        if ns:
            out += ' xmlns%s="%s"' % (":" + ns["prefix"] if ns.get("prefix") else "", ns["uri"])
        for name, mm in self.m.shape(sid).get("members", {}).items():
            traits = mm.get("traits", {})
            if T_XML_ATTRIBUTE in traits and rng.random() < 0.8:
                # (attribute values: no tabs or newlines, which XML normalises to spaces)
                text = self.xml_text(mm, gen, rng).replace('"', "&quot;").replace("\t", " ").replace("\n", " ")
                out += ' %s="%s"' % (traits.get(T_XML_NAME, name), text)
        return out

    def xml_document(self, name, what, gen, rng, exclude=()):
        """restXml: a response body whose root is `name`: `what` is a structure's shape id (its
        members but `exclude` inside the root) or a member (the root is its element). With an
        XML declaration or not, the service's namespace declared on the root or not."""
        if isinstance(what, str):
            root = "<%s>%s</%s>" % (name, self.xml_members(what, gen, rng, 1, exclude=exclude), name)
        else:
            root = self.xml_element(name, what, gen, rng, 1)
        if self.xml_namespace and rng.random() < 0.6 and not re.match(r"<[^>]*\sxmlns=", root):
            root = re.sub(r"^<([^\s>/]+)", lambda m: '<%s xmlns="%s"' % (m.group(1), self.xml_namespace), root, count=1)
        decl = '<?xml version="1.0" encoding="UTF-8"?>\n' if rng.random() < 0.5 else ""
        return (decl + root).encode("utf-8")

    def xml_members(self, sid, gen, rng, depth, exclude=()):
        out = []
        for name, mm in self.m.shape(sid).get("members", {}).items():
            traits = mm.get("traits", {})
            if name in exclude or T_XML_ATTRIBUTE in traits:
                continue
            p = 0.9 if self.m.is_required(mm) else 0.6
            if depth >= MAX_DEPTH and not self.m.is_required(mm):
                p = 0.1
            if rng.random() < p:
                out.append(self.xml_element(traits.get(T_XML_NAME, name), mm, gen, rng, depth))
        if rng.random() < 0.15:
            out.insert(rng.randint(0, len(out)), "<UnknownElement%d><a>1</a></UnknownElement%d>" % (depth, depth))
        rng.shuffle(out) if rng.random() < 0.1 else None
        sep = rng.choice(["", "", "\n  "])
        return sep.join(out)

    def make_query_response(self, case, gen, rng):
        output_id = case["output_id"]
        op = case["name"]
        ns = ' xmlns="%s"' % self.xml_namespace if self.xml_namespace else ""
        result = ""
        if output_id is not None:
            result = "<%sResult>%s</%sResult>" % (op, self.xml_members(output_id, gen, rng, 1), op)
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' if rng.random() < 0.5 else ""
        body += "<%sResponse%s>%s<ResponseMetadata><RequestId>req-%d</RequestId></ResponseMetadata></%sResponse>" % (
            op, ns, result, case["id"], op)
        headers = [["x-amzn-RequestId", "req-%d" % case["id"]], ["Content-Type", "text/xml"]]
        case.update(status=200, headers=headers, body=body)
        case["harness"] = {"op": op, "kind": "response", "status": 200, "headers": headers, "body": body}

    def make_query_error(self, case, gen, rng):
        from xml.sax.saxutils import escape

        errors = [e for e in self.op_errors(case["op"]) if self.botocore_knows_error(e)]
        if errors and rng.random() < 0.8:
            err_id = rng.choice(errors)
            traits = self.m.shape(err_id).get("traits", {})
            qerr = traits.get(T_QUERY_ERROR) or {}
            code = qerr.get("code", err_id.split("#")[1])
            status = qerr.get("httpResponseCode") or traits.get(T_HTTP_ERROR) or (
                500 if traits.get(T_ERROR) == "server" else 400)
            msg_members = [k for k in self.m.shape(err_id).get("members", {}) if k.lower() == "message"]
            fields = self.xml_members(err_id, gen, rng, 2, exclude=msg_members)
        else:
            err_id, fields = None, ""
            code = "Unmodeled" + re.sub(r"[^A-Za-z0-9]", "", gen.string(None, "smithy.api#String"))[:8] + "Error"
            status = rng.choice([400, 403, 500, 503])
        message = "msg " + "".join(c for c in gen.string(None, "smithy.api#String", lo_extra=1) if c >= " ")
        headers = [["x-amzn-RequestId", "req-%d" % case["id"]], ["Content-Type", "text/xml"]]
        if self.xml:
            # restXml with noErrorWrapping (S3): a bare <Error> with the request ids inside.
            parts = ["<Code>%s</Code>" % code, "<Message>%s</Message>" % escape(message),
                     "<RequestId>req-%d</RequestId>" % case["id"], "<HostId>host-%d</HostId>" % case["id"]]
            rng.shuffle(parts)
            body = "<Error>%s%s</Error>" % ("".join(parts), fields)
            if rng.random() < 0.5:
                body = '<?xml version="1.0" encoding="UTF-8"?>\n' + body
            headers[1][1] = "application/xml"
            op = self.m.shape(case["op"])
            if op.get("traits", {}).get("smithy.api#http", {}).get("method") == "HEAD" or rng.random() < 0.05:
                # No body (S3 answers a HEAD request's error so): the status names the error
                # (see the docstring), from the statuses S3 answers bodiless errors with.
                status = rng.choice([404, 404, 403, 400, 412, 500, 503] if case["kind"] != "wait" else [404, 404, 500, 503])
                body, err_id, message = "", None, None
            elif self.s3_200_error(case["name"]) and rng.random() < 0.15:
                status = 200  # (S3's 200 OK whose body is an <Error>)
            case.update(status=status, headers=headers, body=body, boto_body=body, error_id=err_id,
                        expect_modeled=err_id is not None, message=message)
            case["harness"] = {"op": case["name"], "kind": "response", "status": status, "headers": headers,
                               "body": body}
            return
        parts = ["<Type>%s</Type>" % rng.choice(["Sender", "Receiver"]), "<Code>%s</Code>" % code,
                 "<Message>%s</Message>" % escape(message)]
        rng.shuffle(parts)
        ns = ' xmlns="%s"' % self.xml_namespace if self.xml_namespace and rng.random() < 0.5 else ""
        body = "<ErrorResponse%s><Error>%s%s</Error><RequestId>req-%d</RequestId></ErrorResponse>" % (
            ns, "".join(parts), fields, case["id"])
        case.update(status=status, headers=headers, body=body, boto_body=body, error_id=err_id,
                    expect_modeled=err_id is not None, message=message)
        case["harness"] = {"op": case["name"], "kind": "response", "status": status, "headers": headers, "body": body}

    def s3_200_error(self, name):
        """S3: whether both sides read a 200 whose body is an <Error> as an error: botocore's
        handler for every operation with an output that is not a blob or string payload, ours
        for every operation whose output is not streamed (they differ on outputs that are Unit
        or a non-streamed string payload: GetBucketPolicy; those get no such case)."""
        import botocore.handlers

        if self.args.service != "s3":
            return False
        op_model = self.bmodel.operation_model(name)
        output_id = io_shape(self.m.shape("%s#%s" % (self.namespace, name)), "output")
        streamed = output_id is not None and any(
            self.m.is_streaming(mm) for mm in self.m.shape(output_id).get("members", {}).values())
        return botocore.handlers._should_handle_200_error(op_model, {"status_code": 200}) and not streamed

    def check_query_error(self, case, answer):
        """The code, whether the error is modeled, and its message (botocore's query parser
        gives an error's other elements as text only: they are not compared)."""
        op_model = self.bmodel.operation_model(case["name"])
        try:
            parsed = self.botocore_parse(case["status"], case["headers"], case["body"], op_model.output_shape, op_model)
        except Exception as e:  # noqa: BLE001
            return [("", "botocore could not parse the generated error (a bug in this script)", repr(e), None)]
        err = parsed.get("Error", {})
        if "error" not in answer:
            what = "our side did not return an error: " + ", ".join("%s: %s" % (k, answer[k]) for k in answer if k != "id")
            return [("", what, err.get("Code"), None)]
        ours = answer["error"]
        diffs = []
        if self.xml and not case["body"] and err.get("Code") == str(case["status"]):
            # A bodiless error: botocore names it by its status number, the Smithy model's S3
            # waiters (and the other AWS SDKs) by the status text without spaces (`NotFound`).
            import http.client

            err = dict(err, Code=http.client.responses.get(case["status"], err["Code"]).replace(" ", ""))
            err.pop("Message", None)
        if ours.get("code") != err.get("Code"):
            diffs.append(("code", "error codes differ", err.get("Code"), ours.get("code")))
        bshape = self.bmodel.shape_for_error_code(err.get("Code")) if err.get("Code") else None
        modeled = ours.get("fields") is not None
        smithy_err = next((e for e in self.op_errors(case["op"]) if e.split("#")[1] == err.get("Code")), None)
        if bshape is None and modeled and smithy_err is not None and not self.botocore_knows_error(smithy_err):
            # An error of the operation that botocore's model lacks (S3's NotFound, of HeadObject
            # and HeadBucket, reached by a bodiless 404): modeled on our side only.
            return diffs
        if (bshape is not None) != modeled:
            diffs.append(("modeled", "modeled on one side only", bshape.name if bshape else "unmodeled",
                          "modeled" if modeled else "unmodeled"))
        elif modeled:
            fields = json.loads(ours["fields"])
            message = next((v for k, v in fields.items() if k.lower() == "message"), None)
            if message is not None and message != err.get("Message"):
                diffs.append(("message", "messages differ", err.get("Message"), message))
        return diffs

    # ---- restJson1: HTTP bindings -------------------------------------------------------

    def event_stream(self, sid):
        """The member of a structure that is an event stream (a @streaming union), or None."""
        if sid is None:
            return None
        for name, mm in self.m.shape(sid).get("members", {}).items():
            if self.m.kind(mm["target"]) == "union" and self.m.is_streaming(mm):
                return name
        return None

    def header_scalar(self, member, gen, rng, in_list=False):
        """A random header value for a scalar member, as a server writes it."""
        sid = member["target"]
        kind = self.m.kind(sid)
        if kind in ("string", "enum"):
            if T_MEDIA_TYPE in self.m.shape(sid).get("traits", {}):
                raise NeedsSkip("a @mediaType header (%s): botocore reads it as JSON" % sid)
            if kind == "enum" and rng.random() < 0.88:
                return rng.choice(self.m.enum_values(sid))
            # Header-safe text: no control characters, no leading or trailing space, and in a
            # list no comma or quote (botocore splits list headers at every comma).
            pool = ALNUM + ("" if in_list else " ,;:/=+\"'()")
            n = rng.randint(1, 12)
            text = "".join(rng.choice(pool) for _ in range(n)).strip()
            return text or "x"
        if kind in INT_BOUNDS:
            return str(gen.integer(kind, member))
        if kind == "boolean":
            return rng.choice(["true", "false"])
        if kind in ("float", "double"):
            return repr(gen.floating(kind, member, allow_special=False))
        if kind == "timestamp":
            fmt = self.m.trait(member, T_TS_FORMAT) or "http-date"
            secs = gen.timestamp_seconds(whole=True)
            return {"http-date": epoch_to_http, "date-time": epoch_to_iso}.get(fmt, str)(secs)
        if kind == "blob":
            return base64.b64encode(bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 12)))).decode()
        raise NeedsSkip("a %s bound to a header" % kind)

    def rest_bindings(self, sid, gen, rng):
        """Random values for the members of a response structure that are bound to the message:
        (status or None, headers, the @httpPayload member's (name, member) or None, excluded names)."""
        status, headers, payload = None, [], None
        for name, mm in self.m.shape(sid).get("members", {}).items():
            traits = mm.get("traits", {})
            if T_HTTP_HEADER in traits:
                if rng.random() < 0.7:
                    if self.m.kind(mm["target"]) == "list":
                        item = self.m.shape(mm["target"])["member"]
                        text = ", ".join(self.header_scalar(item, gen, rng, in_list=True)
                                         for _ in range(rng.randint(1, 3)))
                    else:
                        text = self.header_scalar(mm, gen, rng)
                    headers.append([traits[T_HTTP_HEADER], text])
            elif T_HTTP_PREFIX in traits and self.xml:
                # (S3's x-amz-meta-*: lowercase names, as HTTP/2 and S3 itself send them)
                value = self.m.shape(mm["target"]).get("value")
                for _ in range(rng.randint(0, 2)):
                    suffix = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789-") for _ in range(rng.randint(1, 8)))
                    headers.append([traits[T_HTTP_PREFIX] + suffix, self.header_scalar(value, gen, rng)])
            elif T_HTTP_PREFIX in traits:
                raise NeedsSkip("@httpPrefixHeaders responses are not generated (%s)" % name)
            elif T_HTTP_RESPONSE_CODE in traits:
                status = rng.choice([200, 201, 202, 204])
            elif T_HTTP_PAYLOAD in traits:
                payload = (name, mm)
        return status, headers, payload, self.not_in_body(sid)

    def make_rest_response(self, case, gen, rng):
        output_id = case["output_id"]
        headers = [["x-amzn-RequestId", "req-%d" % case["id"]]]
        status, payload, body = 200, None, b""
        own_type = False
        if output_id is not None:
            if self.event_stream(output_id):
                raise NeedsSkip("the output is an event stream (member %s): not compared by this test"
                                % self.event_stream(output_id))
            code, bound, payload, exclude = self.rest_bindings(output_id, gen, rng)
            status = code or 200
            headers.extend(bound)
            # A member bound to Content-Type (Polly's, Bedrock's) is the header.
            own_type = any(h[0].lower() == "content-type" for h in bound)
        if payload is not None:
            name, mm = payload
            kind = self.m.kind(mm["target"])
            ctype = "application/json"
            if rng.random() < 0.15:
                body = b""
            elif kind == "blob":
                body, ctype = bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 40))), "application/octet-stream"
            elif kind in ("string", "enum"):
                body, ctype = gen.string(mm, mm["target"], lo_extra=1).encode("utf-8"), "text/plain"
            elif kind == "document":
                body = dump_json(gen.document(), ascii_only=False).encode("utf-8")
            elif self.xml:
                # A structure or union payload is the root element, named by the member's
                # @xmlName, else its target's, else the target's shape name.
                target = self.m.shape(mm["target"])
                root = mm.get("traits", {}).get(T_XML_NAME) or target.get("traits", {}).get(
                    T_XML_NAME, mm["target"].split("#")[1])
                body, ctype = self.xml_document(root, mm, gen, rng), "application/xml"
            else:
                body = dump_json(gen.wire_value(mm, 1), ascii_only=rng.random() < 0.5).encode("utf-8")
            if not own_type:
                headers.append(["Content-Type", ctype])
        elif output_id is not None and self.xml:
            op_traits = self.m.shape(case["op"]).get("traits", {})
            members = [n for n in self.m.shape(output_id).get("members", {}) if n not in exclude]
            if self.m.shape(case["op"]).get("traits", {}).get("smithy.api#http", {}).get("method") == "HEAD":
                body = b""  # (a HEAD response has no body)
            elif "aws.customizations#s3UnwrappedXmlOutput" in op_traits and len(members) == 1:
                # GetBucketLocation: the document is the one member's element itself.
                mm = self.m.shape(output_id)["members"][members[0]]
                body = self.xml_document(mm.get("traits", {}).get(T_XML_NAME, members[0]), mm, gen, rng)
            elif rng.random() < 0.05:
                body = b""
            else:
                root = self.m.shape(output_id).get("traits", {}).get(T_XML_NAME, output_id.split("#")[1])
                body = self.xml_document(root, output_id, gen, rng, exclude=tuple(exclude))
            if not own_type:
                headers.append(["Content-Type", self.content_type])
        elif output_id is not None:
            if rng.random() < 0.05:
                body = rng.choice([b"", b"{}"])
            else:
                body = dump_json(gen.wire_structure(output_id, 1, exclude=exclude),
                                 ascii_only=rng.random() < 0.5).encode("utf-8")
            if not own_type:
                headers.append(["Content-Type", self.content_type])
        else:
            body = rng.choice([b"", b"{}"])
        case.update(status=status, headers=headers, body=body.decode("utf-8", "replace"), raw_body=body,
                    payload=payload[0] if payload else None)
        case["harness"] = {"op": case["name"], "kind": "response", "status": status, "headers": headers,
                           "body_b64": base64.b64encode(body).decode()}

    def check_rest_request(self, case, answer, req, op_model):
        import urllib.parse

        if "request_error" in answer:
            return [("", "our side refused to send the input", case["params"], answer["request_error"])]
        diffs = []
        if req["method"] != answer.get("method"):
            diffs.append(("method", "values differ", req["method"], answer.get("method")))
        input_id = case["input_id"]
        members = self.m.shape(input_id).get("members", {}) if input_id else {}
        # What each query parameter and header holds, to compare numbers as numbers.
        kinds, lists = {}, set()
        for mm in members.values():
            traits = mm.get("traits", {})
            kind = self.m.kind(mm["target"])
            if kind == "list":
                kind = self.m.kind(self.m.shape(mm["target"])["member"]["target"])
                lists.update("header " + traits[T_HTTP_HEADER].lower() for _ in [1] if T_HTTP_HEADER in traits)
            for t, prefix in ((T_HTTP_QUERY, "query "), (T_HTTP_HEADER, "header ")):
                if t in traits:
                    kinds[prefix + traits[t].lower()] = kind

        def same(where, a, b):
            if a == b:
                return True
            if where in lists and a == [None] and b == [""]:
                # An empty list bound to a header: botocore sends no header, the protocol an
                # empty one (the restXml and restJson1 suites' NullAndEmptyHeaders).
                return True
            if where in lists and self.xml and None not in a + b:
                # A list header's items are comma-separated, with optional whitespace (RFC 9110
                # 5.6.1): botocore joins them with ",", ours with ", ".
                a, b = [[x.strip() for x in v.split(",")] for v in a], [[x.strip() for x in v.split(",")] for v in b]
                return a == b
            if kinds.get(where) in ("float", "double"):
                try:
                    return [float(x) for x in a] == [float(x) for x in b]
                except (TypeError, ValueError):
                    return False
            return False

        ours_path, _, ours_q = (answer.get("path") or "").partition("?")
        boto_path, _, boto_q = req["url_path"].partition("?")
        if self.xml and not boto_path.startswith("/"):
            # S3 without `/{Bucket}`: botocore's client joins "" (or `?acl`) to the endpoint's
            # path, `/` for a virtual-hosted bucket, as ours sends it.
            boto_path = "/" + boto_path
        if ours_path != boto_path:
            diffs.append(("path", "values differ", boto_path, ours_path))
        ours_query, boto_query = collections.defaultdict(list), collections.defaultdict(list)
        for k, v in urllib.parse.parse_qsl(ours_q, keep_blank_values=True):
            ours_query[k].append(v)
        # botocore keeps the @http uri's literal query (`?versioning`) in url_path.
        for k, v in urllib.parse.parse_qsl(boto_q, keep_blank_values=True):
            boto_query[k].append(v)
        for k, v in req["query_string"].items():
            boto_query[k].extend(str(x) for x in (v if isinstance(v, list) else [v]))
        if self.xml and "x-id" not in boto_query:
            # The Smithy model's S3 URIs carry `?x-id=PutObject` (to route the request), which
            # botocore's model lacks.
            ours_query.pop("x-id", None)
        for k in sorted(set(ours_query) | set(boto_query)):
            a, b = boto_query.get(k) or None, ours_query.get(k) or None  # (an empty list sends nothing)
            if not same("query " + k.lower(), a, b):
                diffs.append(("query " + k, "values differ", a, b))
        ours_headers = {}
        for k, v in answer.get("headers", []):
            ours_headers[k.lower()] = v if k.lower() not in ours_headers else ours_headers[k.lower()] + ", " + v
        boto_headers = {k.lower(): v for k, v in req["headers"].items()}
        if self.args.service == "apigateway":
            # botocore's client adds this in a handler (handlers.add_accept_header), not in the
            # serializer: when the input sets no Accept.
            boto_headers.setdefault("accept", "application/json")
        payload = next((n for n, mm in members.items() if T_HTTP_PAYLOAD in mm.get("traits", {})), None)
        if (payload is not None and self.m.kind(members[payload]["target"]) == "blob"
                and "content-type" not in boto_headers and ours_headers.get("content-type") == "application/octet-stream"
                and not self.m.shape(members[payload]["target"]).get("traits", {}).get(T_MEDIA_TYPE)):
            # The protocol's default Content-Type of a blob payload (the restJson1 suite's
            # RestJsonHttpPayloadTraitsWithBlob), which botocore leaves to the HTTP layer.
            boto_headers["content-type"] = "application/octet-stream"
        if (self.xml and payload is not None and self.m.kind(members[payload]["target"]) == "string"
                and "content-type" not in boto_headers and ours_headers.get("content-type") == "text/plain"
                and not self.m.shape(members[payload]["target"]).get("traits", {}).get(T_MEDIA_TYPE)):
            # Likewise text/plain for a string payload (restXml suite's HttpPayloadTraits cases).
            boto_headers["content-type"] = "text/plain"
        if (self.xml and "content-type" not in boto_headers and ours_headers.get("content-type") == "application/xml"
                and answer.get("body_b64")):
            # botocore's rest-xml serializer sends XML bodies without a Content-Type; the
            # restXml protocol (and its test suite) gives them application/xml.
            boto_headers["content-type"] = "application/xml"
        for k in sorted(set(ours_headers) | set(boto_headers)):
            a, b = boto_headers.get(k), ours_headers.get(k)
            if not same("header " + k, [a], [b]):
                diffs.append(("header " + k, "values differ", a, b))
        boto_body = req["body"].encode("utf-8") if isinstance(req["body"], str) else bytes(req["body"])
        ours_body = base64.b64decode(answer.get("body_b64", ""))
        if payload is not None and self.m.kind(members[payload]["target"]) in ("blob", "string", "enum"):
            if boto_body != ours_body:
                diffs.append(("body", "payloads differ", boto_body, ours_body))
            return diffs
        if self.xml:
            if boto_body or ours_body:
                diffs.extend(xml_diffs(boto_body, ours_body, self.unordered_xml))
            return diffs
        if payload is not None:
            member = members[payload]
            bshape = op_model.input_shape.members.get(payload)
        elif self.m.body_members(input_id) if input_id else None:
            member, bshape = {"target": input_id}, op_model.input_shape
        else:
            if boto_body != ours_body:
                diffs.append(("body", "bodies differ (no member is bound to the body)", boto_body, ours_body))
            return diffs
        if not boto_body or not ours_body:
            if boto_body != ours_body:
                diffs.append(("body", "empty on one side only", boto_body, ours_body))
            return diffs
        try:
            a_json, b_json = json.loads(boto_body), json.loads(ours_body)
        except ValueError as e:
            return diffs + [("body", "a body is not JSON (%s)" % e, boto_body, ours_body)]
        a = self.canon.value(a_json, member, bshape, "wire")
        b = self.canon.value(b_json, member, bshape, "wire")
        self.differ.diff(a, b, member, bshape, "", diffs, fill=False)
        return diffs

    # ---- event streams -------------------------------------------------------------------

    def event_cases(self, start):
        """Per operation whose output is an event stream: random streams of events (and unknown
        event types), some ending with a modeled exception or an `error` message, sent in chunks
        cut at random byte boundaries."""
        cases = []
        for op in self.ops:
            name = op.split("#")[1]
            output_id = io_shape(self.m.shape(op), "output")
            member = self.event_stream(output_id)
            if member is None:
                continue
            for k in range(self.args.event_cases):
                rng = random.Random("%s/events/%s/%d" % (self.args.seed, name, k))
                case = {"id": start + len(cases), "op": op, "name": name, "kind": "events", "member": member,
                        "union": self.m.shape(output_id)["members"][member]["target"], "status": 200}
                try:
                    self.make_events(case, Gen(self.m, rng), rng)
                except NeedsSkip as e:
                    case["skip"] = str(e)
                cases.append(case)
        return cases

    def event_header(self, name, member, gen, rng):
        """An @eventHeader member as a typed message header: (name, type, value)."""
        kind = self.m.kind(member["target"])
        if kind == "boolean":
            return (name, rng.choice([0, 1]), None)  # 0 true, 1 false
        if kind in ("byte", "short", "integer", "long"):
            return (name, {"byte": 2, "short": 3, "integer": 4, "long": 5}[kind], gen.integer(kind, member))
        if kind == "blob":
            return (name, 6, bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 12))))
        if kind in ("string", "enum"):
            return (name, 7, gen.wire_value(member, 1))
        if kind == "timestamp":
            return (name, 8, gen.timestamp_seconds(whole=True) * 1000)
        raise NeedsSkip("an event header of type %s" % kind)

    def event_message(self, event_name, member, gen, rng):
        """One `event` message of the union member `event_name`."""
        sid = member["target"]
        headers = [(":message-type", 7, "event"), (":event-type", 7, event_name)]
        shape = self.m.shape(sid)
        payload, exclude = None, []
        for n, em in shape.get("members", {}).items():
            traits = em.get("traits", {})
            if "smithy.api#eventHeader" in traits:
                exclude.append(n)
                if rng.random() < 0.7:
                    headers.append(self.event_header(n, em, gen, rng))
            elif "smithy.api#eventPayload" in traits:
                payload = (n, em)
                exclude.append(n)
        if payload is not None:
            kind = self.m.kind(payload[1]["target"])
            if kind == "blob":
                body, ctype = bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 40))), "application/octet-stream"
            elif kind in ("string", "enum"):
                body, ctype = gen.string(payload[1], payload[1]["target"]).encode("utf-8"), "text/plain"
            elif self.xml:
                # restXml: an XML document (S3's `<Stats>`, `<Progress>`).
                target = self.m.shape(payload[1]["target"])
                root = payload[1].get("traits", {}).get(T_XML_NAME) or target.get("traits", {}).get(
                    T_XML_NAME, payload[1]["target"].split("#")[1])
                body, ctype = self.xml_document(root, payload[1], gen, rng), "text/xml"
            else:
                body, ctype = dump_json(gen.wire_value(payload[1], 1), ascii_only=False).encode("utf-8"), "application/json"
        elif shape.get("type") == "structure" and self.xml:
            members = [n for n in shape.get("members", {}) if n not in exclude]
            body = self.xml_document(event_name, sid, gen, rng, exclude=tuple(exclude)) if members else b""
            ctype = "text/xml"
        elif shape.get("type") == "structure":
            body = dump_json(gen.wire_structure(sid, 1, exclude=tuple(exclude)), ascii_only=rng.random() < 0.5).encode("utf-8")
            ctype = "application/json"
        else:
            raise NeedsSkip("an event of type %s" % shape.get("type"))
        headers.append((":content-type", 7, ctype))
        return event_stream_message(headers, body)

    def make_events(self, case, gen, rng):
        union = self.m.shape(case["union"])
        members = union.get("members", {})
        events = [n for n, mm in members.items() if T_ERROR not in self.m.shape(mm["target"]).get("traits", {})]
        errors = [n for n in members if n not in events]
        messages = []
        for _ in range(rng.randint(0, 6)):
            if rng.random() < 0.08 or not events:
                # A type this model does not know: both sides skip it.
                messages.append(event_stream_message(
                    [(":message-type", 7, "event"), (":event-type", 7, "newEvent%d" % rng.randint(0, 99)),
                     (":content-type", 7, "application/json")], b'{"a":1}'))
            else:
                name = rng.choice(events)
                messages.append(self.event_message(name, members[name], gen, rng))
        r = rng.random()
        if r < 0.2 and errors:
            name = rng.choice(errors)
            err = members[name]
            if self.xml:
                payload = self.xml_document(name, err["target"], gen, rng)
            else:
                payload = dump_json(gen.wire_structure(err["target"], 1), ascii_only=True).encode("utf-8")
            messages.append(event_stream_message(
                [(":message-type", 7, "exception"), (":exception-type", 7, name),
                 (":content-type", 7, "text/xml" if self.xml else "application/json")], payload))
        elif r < 0.3:
            messages.append(event_stream_message(
                [(":message-type", 7, "error"), (":error-code", 7, "InternalFailure%d" % rng.randint(0, 9)),
                 (":error-message", 7, "went wrong " + gen.string(None, "smithy.api#String"))], b""))
        body = b"".join(messages)
        # Chunks cut at random byte boundaries (a prelude, a header, a checksum split across two).
        cuts = sorted(set(rng.randint(1, max(1, len(body) - 1)) for _ in range(rng.randint(0, 12)))) if body else []
        bounds = [0] + [c for c in cuts if 0 < c < len(body)] + [len(body)]
        chunks = [body[a:b] for a, b in zip(bounds, bounds[1:])]
        case.update(chunks=chunks, headers=[["Content-Type", "application/vnd.amazon.eventstream"]],
                    body="(%d bytes in %d chunks)" % (len(body), len(chunks)))
        case["harness"] = {"op": case["name"], "kind": "events", "headers": case["headers"],
                           "chunks_b64": [base64.b64encode(c).decode() for c in chunks]}

    def check_events(self, case, answer):
        import botocore.eventstream
        import botocore.parsers

        class Raw:
            def __init__(self, chunks):
                self.chunks = chunks

            def stream(self):
                return iter(self.chunks)

        op_model = self.bmodel.operation_model(case["name"])
        bshape = op_model.output_shape.members[case["member"]]
        bevents, bend = [], None
        try:
            parser = botocore.parsers.EventStreamXMLParser() if self.xml else botocore.parsers.EventStreamJSONParser()
            for event in botocore.eventstream.EventStream(Raw(case["chunks"]), bshape, parser, case["name"]):
                bevents.append(event)
        except self.botocore_exceptions.EventStreamError as e:
            bend = e.response.get("Error", {})
        except Exception as e:  # noqa: BLE001
            return [("", "botocore could not read the generated stream (a bug in this script)", repr(e), None)]
        if "events" not in answer:
            what = "our side failed: " + ", ".join("%s: %s" % (k, answer[k]) for k in answer if k != "id")
            return [("", what, None, None)]
        diffs = []
        ours = [json.loads(e) for e in answer["events"]]
        self.event_stats.update(events=len(bevents), chunks=len(case["chunks"]))
        if bend is not None:
            self.event_stats["exception ends" if "exception" in (answer.get("end") or {}) else "error ends"] += 1
        if len(ours) != len(bevents):
            diffs.append(("", "event counts differ", len(bevents), len(ours)))
        member = {"target": case["union"]}
        for i, (bev, oev) in enumerate(zip(bevents, ours)):
            a = self.canon.value(bev, member, bshape, "boto")
            b = self.canon.value(oev, member, bshape, "wire")
            self.differ.diff(a, b, member, bshape, "event[%d]" % i, diffs, fill=True)
        end = answer.get("end")
        if bend is None:
            if end is not None:
                diffs.append(("end", "the stream ends with an error on our side only", None, end))
        elif end is None:
            diffs.append(("end", "the stream ends with an error on botocore's side only", bend, None))
        elif "exception" in end:
            value = json.loads(end["exception"])
            names = self.m.by_key(self.m.shape(case["union"]).get("members", {}))
            key = next(iter(value), None)
            fields = value.get(key) or {}
            # botocore's EventStreamError carries the code and message only (its Message is ""
            # when the payload has none).
            message = fields.get("message", fields.get("Message")) or ""
            if (names.get(key), message) != (bend.get("Code"), bend.get("Message")):
                diffs.append(("end", "exceptions differ", bend, end))
        elif "service" in end:
            if (end["service"]["code"], end["service"]["message"]) != (bend.get("Code"), bend.get("Message")):
                diffs.append(("end", "errors differ", bend, end))
        else:
            diffs.append(("end", "our side failed to read the stream", bend, end))
        return diffs

    # ---- running -------------------------------------------------------------------------

    def run(self, exe):
        cases = self.make_cases()
        self.extra_headers = set()
        self.event_stats = collections.Counter()
        todo = [c for c in cases if "skip" not in c]
        lines = "".join(json.dumps(dict(c["harness"], id=c["id"]), ensure_ascii=False) + "\n" for c in todo)
        proc = subprocess.run([str(exe)], input=lines, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        answers = {}
        for line in proc.stdout.split("\n"):
            try:
                a = json.loads(line)
                answers[a.get("id")] = a
            except ValueError:
                pass
        if proc.returncode != 0:
            sys.stderr.write("warning: the harness exited with %d\n%s\n" % (proc.returncode, proc.stderr[-4000:]))
        results = []
        for case in cases:
            if "skip" in case:
                results.append((case, None))
                continue
            answer = answers.get(case["id"])
            if answer is None:
                diffs = [("", "the harness gave no answer (crashed?)", None, proc.stderr[-500:])]
            elif "panic" in answer or "harness_error" in answer:
                diffs = [("", "our side panicked" if "panic" in answer else "harness error", None,
                          answer.get("panic") or answer.get("harness_error"))]
            else:
                try:
                    diffs = getattr(self, "check_" + case["kind"])(case, answer)
                except NeedsSkip as e:
                    case["skip"] = str(e)
                    diffs = None
            results.append((case, diffs))
        return results


def classify(case, diff):
    """A mismatch class: the kind of case and what differed, without values or positions."""
    path, what, _, _ = diff
    what = re.sub(r"\(.*\)", "(…)", what)
    what = re.sub(r"key not in the model: .*", "key not in the model", what)
    what = re.sub(r"list lengths \d+ and \d+", "list lengths differ", what)
    if path.startswith("header ") or path in ("method", "path", "code", "modeled"):
        what = "%s: %s" % (path, what)
    return "%s: %s" % (case["kind"], what)


def show_text(text, limit=2000):
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    return text if len(text) <= limit else text[:limit] + "…"


def describe(case, args):
    lines = ["  %s case %d (%s; rerun alone with --seed %s --cases %d --case %d)" % (
        case["name"], case["id"], case["kind"], args.seed, args.cases, case["id"])]
    if case["kind"] == "wait":
        lines.append("    waiter %s" % case["waiter"])
    if case["kind"] == "request":
        lines.append("    input (our JSON form): " + show_text(case["params"]))
    else:
        lines.append("    status %s, headers %s" % (case["status"], json.dumps(case["headers"])))
        if case.get("params"):
            lines.append("    the next request's required members: " + json.dumps(case["params"]))
        lines.append("    body: " + show_text(case["body"]))
        if case.get("boto_body") and case["boto_body"] != case["body"]:
            lines.append("    body given to botocore: " + show_text(case["boto_body"]))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="Smithy JSON AST model of an awsJson or restJson1 service")
    ap.add_argument("--service", required=True, help="botocore's service name (lightsail, dynamodb, ...)")
    ap.add_argument("--cases", type=int, default=200, help="number of cases (default 200)")
    ap.add_argument("--seed", default="1", help="random seed (default 1)")
    ap.add_argument("--work", help="work directory (default target/botocore-diff/work/SERVICE)")
    ap.add_argument("--target-dir", default=str(DEFAULT_TARGET), help="cargo target directory for the harness")
    ap.add_argument("--runtime-path", default=str(REPO / "runtime"), help="smithgen-runtime to build against")
    ap.add_argument("--no-generate", action="store_true", help="reuse WORK/crate as it is (to debug by hand)")
    ap.add_argument("--operations", help="only these operations (comma-separated)")
    ap.add_argument("--case", help="only these case numbers (comma-separated), as printed with a mismatch")
    ap.add_argument("--show", type=int, default=5, help="mismatches printed in full (default 5)")
    ap.add_argument("--paginator-cases", type=int, default=40,
                    help="random outputs per paginated operation botocore has a paginator for (default 40)")
    ap.add_argument("--waiter-cases", type=int, default=260,
                    help="random responses and errors per waiter botocore also has (default 260)")
    ap.add_argument("--event-cases", type=int, default=150,
                    help="random event streams per operation whose output is one (default 150)")
    ap.add_argument("--only", help="only these kinds of cases (comma-separated: request, response, error, "
                    "wire, paginators, waiters, events; default all)")
    args = ap.parse_args()

    started = time.time()
    suite = Suite(args)
    work = Path(args.work) if args.work else Path(args.target_dir) / "work" / args.service
    work.mkdir(parents=True, exist_ok=True)
    print("smithgen vs botocore %s: %s (%s, %s%s%s)" % (
        __import__("botocore").__version__, args.model, suite.service_id, suite.protocol,
        ", awsQueryCompatible" if suite.query_compatible else "",
        "" if suite.kinds >= set(ALL_KINDS) else
        "; %s cases only" % ", ".join(k for k in ALL_KINDS if k in suite.kinds)))
    if suite.skipped_ops:
        print("skipped %d operation(s) botocore lacks: %s" % (len(suite.skipped_ops), ", ".join(suite.skipped_ops)))
    t0 = time.time()
    exe, n_markers, waiter_fns = build_harness(args.model, args.service, work, Path(args.target_dir),
                                               Path(args.runtime_path).resolve(), generate=not args.no_generate)
    suite.label_fills()
    print("built the harness (%d operations) in %.1fs" % (n_markers, time.time() - t0))
    suite.waiter_fns = waiter_fns
    t0 = time.time()
    results = suite.run(exe)
    elapsed_cases = time.time() - t0

    per_kind = collections.OrderedDict((k, [0, 0, 0]) for k in ALL_KINDS)
    classes = collections.Counter()
    shown = 0
    failed = 0
    for case, diffs in results:
        counts = per_kind[case["kind"]]
        if diffs is None:
            counts[2] += 1
            continue
        if not diffs:
            counts[0] += 1
            continue
        counts[1] += 1
        failed += 1
        for d in diffs:
            classes[classify(case, d)] += 1
        if shown < args.show:
            shown += 1
            print("MISMATCH")
            for line in describe(case, args):
                print(line)
            for path, what, a, b in diffs[:10]:
                print("    at %s: %s" % (path or "(top)", what))
                print("      botocore: " + fmt(a, 1500))
                print("      ours:     " + fmt(b, 1500))
            if len(diffs) > 10:
                print("    … and %d more differences" % (len(diffs) - 10))
        else:
            path, what, a, b = diffs[0]
            print("MISMATCH %s case %d (%s) at %s: %s: botocore %s, ours %s%s" % (
                case["name"], case["id"], case["kind"], path or "(top)", what, fmt(a, 120), fmt(b, 120),
                " (+%d more)" % (len(diffs) - 1) if len(diffs) > 1 else ""))
    if suite.extra_headers:
        print("note: headers botocore sends that our requests lack (not compared): %s" % ", ".join(sorted(suite.extra_headers)))
    print("")
    for kind, (ok, bad, skipped) in per_kind.items():
        print("%-9s %4d passed, %3d failed%s" % (kind + ":", ok, bad, ", %d skipped" % skipped if skipped else ""))
    if classes:
        print("mismatch classes:")
        for cls, n in classes.most_common():
            print("  %4d  %s" % (n, cls))
    if suite.event_stats:
        print("event streams: %s" % ", ".join("%d %s" % (n, k) for k, n in sorted(suite.event_stats.items())))
    reasons = collections.Counter((case["name"], case["kind"], case["skip"]) for case, diffs in results if diffs is None)
    if reasons:
        print("skipped, with the reason:")
        for (name, kind, reason), n in sorted(reasons.items()):
            print("  %4d  %s %s: %s" % (n, name, kind, reason))
    if suite.unpaired:
        print("not compared (no counterpart on one side): %s" % ", ".join(suite.unpaired))
    if suite.botocore_only:
        print("paginator settings only botocore has (the Smithy model lacks them): %s"
              % ", ".join(sorted(suite.botocore_only)))
    if suite.waiter_names:
        per_waiter = collections.Counter()
        states = collections.defaultdict(collections.Counter)
        for case, diffs in results:
            if case["kind"] == "wait" and diffs == []:
                per_waiter[case["waiter"]] += 1
                states[case["waiter"]][case["state"]] += 1
        for w in suite.waiter_names:
            print("waiter %s: %d agree (%s)" % (
                w, per_waiter[w], ", ".join("%s %d" % kv for kv in sorted(states[w].items()))))
    passed = sum(v[0] for v in per_kind.values())
    print("(%d operations, cases ran in %.1fs, total %.1fs)" % (len(suite.ops), elapsed_cases, time.time() - started))
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

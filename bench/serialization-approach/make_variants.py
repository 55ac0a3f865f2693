#!/usr/bin/env python3
"""Derives the benchmark's crate variants from WORK/crates/emitted (the crate smithgen generates
for the full Lightsail model, unchanged):

  bare        types, builders, enums and operations only: no wire code at all (the baseline)
  noops       emitted shape code (JsonShape impls) without the per-operation glue
              (ErrorFields, AwsJsonOperation impls), which any approach would need alike
  serde       (b) no JsonShape impls; #[derive(Serialize, Deserialize)] with the attributes the
              awsJson protocols need (see HELPERS); still no operation glue
  serde-inst  serde plus one non-generic to_json/from_json function per structure, so that the
              serde_json code is monomorphised in the crate itself, as the emitted code is
  schema      (c) no JsonShape impls; a static member table and two accessors per structure,
              interpreted by schema-rt (schema_rt.rs); no operation glue

Also writes the consumer crates bench-emitted, bench-serde, bench-schema (timing harness and
behaviour checks) and WORK/results/stats.json (lines of code).

Usage: make_variants.py WORK
"""
import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.abspath(sys.argv[1])
CRATES = f"{WORK}/crates"
SRC = f"{CRATES}/emitted"

WIRE_IMPL = re.compile(r"^impl (JsonShape|ErrorFields|wire::AwsJsonOperation) for ")
WIRE_USE = {
    "use smithgen_runtime::json::{DeserializeError, JsonReader, JsonWriter};",
    "use smithgen_runtime::protocol::JsonShape;",
    "use smithgen_runtime::protocol::{aws_json as wire, ErrorFields};",
}
OP_IMPL = re.compile(r"^impl (ErrorFields|wire::AwsJsonOperation) for ")
OP_USE = {"use smithgen_runtime::protocol::{aws_json as wire, ErrorFields};"}


def strip(lines, impl_re, uses):
    """Removes top-level impl blocks matching impl_re (rustfmt puts the closing brace alone at
    column 0) and the given use lines. Returns (kept lines, removed blocks as text)."""
    out, removed, i = [], [], 0
    while i < len(lines):
        line = lines[i]
        if impl_re.match(line):
            j = i
            while lines[j] != "}":
                j += 1
            removed.append("\n".join(lines[i : j + 1]))
            i = j + 1
            continue
        if line in uses:
            i += 1
            continue
        out.append(line)
        i += 1
    return out, removed


def code_lines(text):
    return sum(1 for l in text.splitlines() if l.strip() and not l.strip().startswith("//"))


def clean(dst):
    """Empties dst, except for its build directory (target/), which a rerun can reuse."""
    os.makedirs(dst, exist_ok=True)
    for entry in os.listdir(dst):
        if entry != "target":
            p = f"{dst}/{entry}"
            shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)


def copy_tree(name, src=SRC):
    dst = f"{CRATES}/{name}"
    clean(dst)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("target", "Cargo.lock"), dirs_exist_ok=True)
    return dst


def rs_files(root):
    for d, _, fs in sorted(os.walk(f"{root}/src")):
        for f in sorted(fs):
            if f.endswith(".rs"):
                yield os.path.join(d, f)


def tree_lines(root):
    return sum(code_lines(open(p).read()) for p in rs_files(root))


def add_deps(root, deps):
    with open(f"{root}/Cargo.toml", "a") as f:
        f.write(deps)


def parse_shape(block):
    """From an emitted `impl JsonShape for X` block: field -> JSON key, key aliases, and the
    timestamp format of each timestamp field."""
    keys = dict(
        (f, k) for f, k in re.findall(r"&self\.([A-Za-z0-9_#]+)[^\n]*\n\s*w\.key\(\"([^\"]+)\"\)", block)
    )
    for k, f in re.findall(r"w\.key\(\"([^\"]+)\"\);\n\s*let value = &self\.([A-Za-z0-9_#]+);", block):
        keys[f] = k
    aliases = dict(re.findall(r"\"(\w+)\"\s*\|\s*\"(\w+)\"\s*=>", block))
    formats = set(re.findall(r"TimestampFormat::(\w+)", block))
    if formats - {"EpochSeconds"}:
        sys.exit(f"unhandled timestamp formats {formats}")
    return keys, aliases


def struct_fields(kept, name, path):
    """(index of the `pub struct` line, [(line index, field, type)])."""
    if f"pub struct {name} {{" in kept:
        start = kept.index(f"pub struct {name} {{")
    else:
        start = next((i for i, l in enumerate(kept) if l.startswith(f"pub struct {name}")), None)
        if start is None:
            sys.exit(f"{path}: no struct {name}")
        return start, []
    fields, i = [], start + 1
    while kept[i] != "}":
        m = re.match(r"    pub ([A-Za-z0-9_#]+):(.*)$", kept[i])
        if m:
            field, ty = m.groups()
            j = i
            while not kept[j].endswith(","):
                j += 1
                ty += kept[j].strip()
            fields.append((i, field, ty.strip().rstrip(",").replace(", >", ">")))
        i += 1
    return start, fields


def enum_name(kept):
    if any("Unknown(smithgen_runtime::UnknownVariant)" in l for l in kept):
        return next(re.match(r"pub enum (\w+)", l).group(1) for l in kept if l.startswith("pub enum "))
    return None


# ----- (b) serde --------------------------------------------------------------------------------

HELPERS = r'''//! serde helpers for the awsJson protocols (variant "serde" of bench/serialization-approach).
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::Serializer;
use smithgen_runtime::DateTime;
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;

/// Reads a string and converts it with `From<&str>` (enums: unknown values become `Unknown`).
pub struct StrVisitor<T>(pub PhantomData<T>);

impl<'de, T: for<'a> From<&'a str>> Visitor<'de> for StrVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }
}

/// `Serialize`/`Deserialize` for a generated enum, through `as_str()` and `From<&str>`.
#[macro_export]
macro_rules! string_enum {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str($crate::serde_helpers::StrVisitor(std::marker::PhantomData))
            }
        }
    };
}

/// A required member: `null` reads as the zero value, like a missing member.
pub fn null_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}

/// A list member: `null` elements are skipped (lists are not `@sparse`).
pub fn opt_list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Vec<T>>, D::Error> {
    struct V<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Option<Vec<T>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_seq(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<Option<T>>()? {
                out.extend(item);
            }
            Ok(Some(out))
        }
    }
    d.deserialize_option(V(PhantomData))
}

/// A map member: `null` values are skipped (maps are not `@sparse`).
pub fn opt_map<'de, D, K, T>(d: D) -> Result<Option<HashMap<K, T>>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Eq + Hash,
    T: Deserialize<'de>,
{
    struct V<K, T>(PhantomData<(K, T)>);
    impl<'de, K: Deserialize<'de> + Eq + Hash, T: Deserialize<'de>> Visitor<'de> for V<K, T> {
        type Value = Option<HashMap<K, T>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = HashMap::new();
            while let Some((k, v)) = map.next_entry::<K, Option<T>>()? {
                if let Some(v) = v {
                    out.insert(k, v);
                }
            }
            Ok(Some(out))
        }
    }
    d.deserialize_option(V(PhantomData))
}

fn non_finite(nan: bool, positive: bool) -> &'static str {
    match (nan, positive) {
        (true, _) => "NaN",
        (false, true) => "Infinity",
        (false, false) => "-Infinity",
    }
}

struct FloatVisitor;

impl<'de> Visitor<'de> for FloatVisitor {
    type Value = Option<f64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match v {
            "NaN" => Ok(Some(f64::NAN)),
            "Infinity" => Ok(Some(f64::INFINITY)),
            "-Infinity" => Ok(Some(f64::NEG_INFINITY)),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// `Option<f64>`: NaN and the infinities as strings, both ways.
pub mod opt_f64 {
    use super::*;
    pub fn serialize<S: Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match *value {
            None => s.serialize_none(),
            Some(v) if v.is_finite() => s.serialize_f64(v),
            Some(v) => s.serialize_str(non_finite(v.is_nan(), v > 0.0)),
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        d.deserialize_option(FloatVisitor)
    }
}

/// `Option<f32>`: NaN and the infinities as strings, both ways.
pub mod opt_f32 {
    use super::*;
    pub fn serialize<S: Serializer>(value: &Option<f32>, s: S) -> Result<S::Ok, S::Error> {
        match *value {
            None => s.serialize_none(),
            Some(v) if v.is_finite() => s.serialize_f32(v),
            Some(v) => s.serialize_str(non_finite(v.is_nan(), v > 0.0)),
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f32>, D::Error> {
        d.deserialize_option(FloatVisitor).map(|v| v.map(|v| v as f32))
    }
}

/// `Option<DateTime>` as epoch seconds (a number, the fraction rounded to the millisecond; strings
/// in epoch or RFC 3339 form are accepted).
pub mod opt_epoch_seconds {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Option<DateTime>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            None => s.serialize_none(),
            Some(t) if t.subsec_nanos() == 0 => s.serialize_i64(t.secs()),
            Some(t) => s.serialize_f64((t.as_fractional_secs() * 1000.0).round() / 1000.0),
        }
    }

    struct EpochVisitor;

    impl<'de> Visitor<'de> for EpochVisitor {
        type Value = Option<DateTime>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a timestamp")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(DateTime::from_secs(v)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            i64::try_from(v).map(|v| Some(DateTime::from_secs(v))).map_err(E::custom)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            DateTime::from_fractional_secs(v).map(Some).map_err(E::custom)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            DateTime::parse_epoch_seconds(v)
                .or_else(|_| DateTime::parse_rfc3339(v))
                .map(Some)
                .map_err(E::custom)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime>, D::Error> {
        d.deserialize_option(EpochVisitor)
    }
}
'''

SERDE_DEPS = 'serde = { version = "1", features = ["derive"] }\nserde_json = "1"\n'


def serde_attrs(key, aliases, ty, path, name):
    parts = [f'rename = "{key}"']
    if key in aliases:
        parts.append(f'alias = "{aliases[key]}"')
    parts.append("default")
    if ty.startswith("Option<"):
        parts.append('skip_serializing_if = "Option::is_none"')
    if ty == "Option<smithgen_runtime::DateTime>":
        parts.append('with = "crate::serde_helpers::opt_epoch_seconds"')
    elif ty == "Option<f32>":
        parts.append('with = "crate::serde_helpers::opt_f32"')
    elif ty == "Option<f64>":
        parts.append('with = "crate::serde_helpers::opt_f64"')
    elif ty.startswith("Option<Vec<"):
        parts.append('deserialize_with = "crate::serde_helpers::opt_list"')
    elif ty.startswith("Option<std::collections::HashMap<"):
        parts.append('deserialize_with = "crate::serde_helpers::opt_map"')
    elif not ty.startswith("Option<"):
        parts.append('deserialize_with = "crate::serde_helpers::null_default"')
    if re.search(r"DateTime|f32|f64|Blob|Document|Big", ty) and "with" not in parts[-1]:
        sys.exit(f"{path}: {name}: unhandled type {ty}")
    return f"    #[serde({', '.join(parts)})]"


def make_serde(stats):
    dst = copy_tree("serde")
    n = dict(structs=0, enums=0, fields=0, attribute_lines=0)
    structs = []
    for path in rs_files(dst):
        lines = open(path).read().split("\n")
        kept, removed = strip(lines, WIRE_IMPL, WIRE_USE)
        shape_blocks = [b for b in removed if b.startswith("impl JsonShape for ")]
        if "/types/" in path and not shape_blocks and enum_name(kept):
            kept.append(f"crate::string_enum!({enum_name(kept)});")
            n["enums"] += 1
            n["attribute_lines"] += 1
        for block in shape_blocks:
            name = re.match(r"impl JsonShape for (\w+)", block).group(1)
            structs.append(name)
            keys, aliases = parse_shape(block)
            start, fields = struct_fields(kept, name, path)
            d = start
            while kept[d - 1].startswith("#["):
                d -= 1
            kept.insert(d, "#[derive(serde::Serialize, serde::Deserialize)]")
            n["structs"] += 1
            n["attribute_lines"] += 1
            if len(fields) != len(keys):
                sys.exit(f"{path}: {name}: {len(fields)} fields, {len(keys)} keys")
            for line, field, ty in reversed(fields):  # +1: the derive line inserted above
                kept.insert(line + 1, serde_attrs(keys[field], aliases, ty, path, name))
                n["fields"] += 1
                n["attribute_lines"] += 1
        open(path, "w").write("\n".join(kept))
    open(f"{dst}/src/serde_helpers.rs", "w").write(HELPERS)
    with open(f"{dst}/src/lib.rs", "a") as f:
        f.write("#[doc(hidden)]\npub mod serde_helpers;\n")
    add_deps(dst, SERDE_DEPS)
    n["helper_lines"] = code_lines(HELPERS)
    stats["serde"] = n

    # serde-inst: the same, plus serde_json instantiated for every structure, both ways.
    inst = copy_tree("serde-inst", dst)
    body = ["//! serde_json instantiated for every structure, both ways, in this crate.",
            "#![allow(non_snake_case, missing_docs)]", "use crate::types::*;"]
    for s in structs:
        body.append(f"pub fn to_json_{s}(v: &{s}) -> Vec<u8> {{ serde_json::to_vec(v).unwrap_or_default() }}")
        body.append(f"pub fn from_json_{s}(b: &[u8]) -> Result<{s}, serde_json::Error> {{ serde_json::from_slice(b) }}")
    open(f"{inst}/src/serde_inst.rs", "w").write("\n".join(body) + "\n")
    with open(f"{inst}/src/lib.rs", "a") as f:
        f.write("#[doc(hidden)]\npub mod serde_inst;\n")
    stats["serde-inst"] = dict(instantiation_lines=len(structs) * 2)


# ----- (c) schema-driven ------------------------------------------------------------------------

SCALARS = {  # type: (slot, value, kind)
    "Option<String>": ("Str(&mut self.{f})", "S::opt_str(&self.{f})", "Scalar"),
    "String": ("ReqStr(&mut self.{f})", "S::Value::Str(&self.{f})", "Scalar"),
    "Option<bool>": ("Bool(&mut self.{f})", "S::opt_bool(&self.{f})", "Scalar"),
    "bool": ("ReqBool(&mut self.{f})", "S::Value::Bool(self.{f})", "Scalar"),
    "Option<i32>": ("I32(&mut self.{f})", "S::opt_i32(&self.{f})", "Scalar"),
    "i32": ("ReqI32(&mut self.{f})", "S::Value::Int(i64::from(self.{f}))", "Scalar"),
    "Option<i64>": ("I64(&mut self.{f})", "S::opt_i64(&self.{f})", "Scalar"),
    "Option<f32>": ("F32(&mut self.{f})", "S::opt_f32(&self.{f})", "Scalar"),
    "Option<f64>": ("F64(&mut self.{f})", "S::opt_f64(&self.{f})", "Scalar"),
    "Option<smithgen_runtime::DateTime>": ("Time(&mut self.{f})", "S::opt_time(&self.{f})",
                                           "Timestamp(S::TimestampFormat::EpochSeconds)"),
}


def schema_impl(name, keys, aliases, fields, path):
    members, muts, refs = [], [], []
    for i, (_, field, ty) in enumerate(fields):
        key = keys[field]
        if ty in SCALARS:
            m, r, kind = (x.format(f=field) for x in SCALARS[ty])
        elif re.search(r"Blob|Document|Big|DateTime|f32|f64", ty):
            sys.exit(f"{path}: {name}.{field}: unhandled type {ty}")
        elif ty.startswith("Option<"):
            m, r, kind = f"Dyn(&mut self.{field})", f"S::opt_dyn(&self.{field})", "Composite"
        else:
            m, r, kind = f"DynReq(&mut self.{field})", f"S::Value::Dyn(&self.{field})", "Composite"
        members.append(f'S::Member {{ name: "{key}", kind: S::Kind::{kind} }},')
        muts.append(f"{i} => S::Slot::{m},")
        refs.append(f"{i} => {r},")
    # Error structures also accept `Message` for `message`: a second table entry whose accessor
    # forwards to the member's (lookup takes the first match; writing skips it as absent).
    for key, alias in aliases.items():
        idx = [keys[f] for _, f, _ in fields].index(key)
        muts.append(f"{len(members)} => self.field_mut({idx}),")
        members.append(f'S::Member {{ name: "{alias}", kind: S::Kind::Scalar }},')
    out = [f"impl S::Struct for {name} {{",
           "    fn schema(&self) -> &'static S::Schema {",
           f"        static SCHEMA: S::Schema = S::Schema {{ name: \"{name}\", members: &[{' '.join(members)}] }};",
           "        &SCHEMA", "    }"]
    if fields:
        out += ["    fn field_mut(&mut self, i: usize) -> S::Slot<'_> {", "        match i {"]
        out += [f"            {a}" for a in muts]
        out += ["            _ => unreachable!(),", "        }", "    }",
                "    fn field(&self, i: usize) -> S::Value<'_> {", "        match i {"]
        out += [f"            {a}" for a in refs]
        out += ["            _ => S::Value::Absent,", "        }", "    }"]
    else:
        out += ["    fn field_mut(&mut self, _: usize) -> S::Slot<'_> {", "        unreachable!()", "    }",
                "    fn field(&self, _: usize) -> S::Value<'_> {", "        S::Value::Absent", "    }"]
    out += ["}", f"S::structure!({name});"]
    return out


def make_schema(stats):
    rt = f"{CRATES}/schema-rt"
    os.makedirs(f"{rt}/src", exist_ok=True)
    shutil.copy(f"{HERE}/schema_rt.rs", f"{rt}/src/lib.rs")
    runtime = re.search(r'smithgen-runtime = \{ path = "([^"]+)" \}', open(f"{SRC}/Cargo.toml").read()).group(1)
    open(f"{rt}/Cargo.toml", "w").write(
        '[package]\nname = "schema-rt"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
        f'[dependencies]\nsmithgen-runtime = {{ path = "{runtime}" }}\n')
    dst = copy_tree("schema")
    n = dict(structs=0, enums=0, generated_lines=0)
    for path in rs_files(dst):
        lines = open(path).read().split("\n")
        kept, removed = strip(lines, WIRE_IMPL, WIRE_USE)
        shape_blocks = [b for b in removed if b.startswith("impl JsonShape for ")]
        added = []
        if "/types/" in path and not shape_blocks and enum_name(kept):
            added.append(f"schema_rt::enumeration!({enum_name(kept)});")
            n["enums"] += 1
        for block in shape_blocks:
            name = re.match(r"impl JsonShape for (\w+)", block).group(1)
            keys, aliases = parse_shape(block)
            _, fields = struct_fields(kept, name, path)
            if len(fields) != len(keys):
                sys.exit(f"{path}: {name}: {len(fields)} fields, {len(keys)} keys")
            added += schema_impl(name, keys, aliases, fields, path)
            n["structs"] += 1
        if shape_blocks:
            kept.insert(next((i for i, l in enumerate(kept) if l.startswith("use ")), 1), "use schema_rt as S;")
            n["generated_lines"] += 1
        kept += added
        n["generated_lines"] += len(added)
        open(path, "w").write("\n".join(kept))
    add_deps(dst, 'schema-rt = { path = "../schema-rt" }\n')
    stats["schema"] = n
    stats["schema-rt_lines"] = code_lines(open(f"{HERE}/schema_rt.rs").read())


def make_stripped(name, impl_re, uses, stats):
    dst = copy_tree(name)
    by_kind = {}
    for path in rs_files(dst):
        lines = open(path).read().split("\n")
        kept, removed = strip(lines, impl_re, uses)
        for b in removed:
            kind = b.split(" for ")[0].replace("impl ", "")
            by_kind[kind] = by_kind.get(kind, 0) + code_lines(b)
        open(path, "w").write("\n".join(kept))
    stats[name] = dict(removed_lines_by_kind=by_kind)


# ----- consumer crates: timing harness and behaviour checks --------------------------------------

BENCH_MAIN = {
    "emitted": r'''
use lightsail::types::{CreateKeyPairRequest, GetInstancesResult, Tag};
use smithgen_runtime::protocol::JsonShape;
fn decode(b: &[u8]) -> Result<GetInstancesResult, String> {
    <GetInstancesResult as JsonShape>::from_json(b).map_err(|e| e.to_string())
}
fn encode(r: &GetInstancesResult) -> String { JsonShape::to_json(r) }
fn encode_req(r: &CreateKeyPairRequest) -> String { JsonShape::to_json(r) }
fn encode_req_sized(r: &CreateKeyPairRequest) -> String {
    let mut w = smithgen_runtime::json::JsonWriter::with_capacity(128);
    r.write_json(&mut w);
    w.finish()
}
const EXTRA: &[(&str, fn(&[u8]) -> Result<GetInstancesResult, String>)] = &[];
const EXTRA_REQ: &[(&str, fn(&CreateKeyPairRequest) -> String)] =
    &[("writer pre-sized to 128 B", encode_req_sized)];
''',
    "serde": r'''
use lightsail::types::{CreateKeyPairRequest, GetInstancesResult, Tag};
fn decode(b: &[u8]) -> Result<GetInstancesResult, String> {
    serde_json::from_slice(b).map_err(|e| e.to_string())
}
fn decode_path(b: &[u8]) -> Result<GetInstancesResult, String> {
    let d = &mut serde_json::Deserializer::from_slice(b);
    let v = serde_path_to_error::deserialize(&mut *d).map_err(|e| format!("$.{}: {}", e.path(), e.inner()))?;
    d.end().map_err(|e| e.to_string())?;
    Ok(v)
}
fn encode(r: &GetInstancesResult) -> String { serde_json::to_string(r).unwrap() }
fn encode_req(r: &CreateKeyPairRequest) -> String { serde_json::to_string(r).unwrap() }
const EXTRA: &[(&str, fn(&[u8]) -> Result<GetInstancesResult, String>)] =
    &[("decode, with serde_path_to_error", decode_path)];
const EXTRA_REQ: &[(&str, fn(&CreateKeyPairRequest) -> String)] = &[];
''',
    "schema": r'''
use lightsail::types::{CreateKeyPairRequest, GetInstancesResult, Tag};
fn decode(b: &[u8]) -> Result<GetInstancesResult, String> {
    schema_rt::from_json(b).map_err(|e| e.to_string())
}
fn encode(r: &GetInstancesResult) -> String { schema_rt::to_json(r) }
fn encode_req(r: &CreateKeyPairRequest) -> String { schema_rt::to_json(r) }
fn encode_req_sized(r: &CreateKeyPairRequest) -> String {
    let mut w = schema_rt::JsonWriter::with_capacity(128);
    schema_rt::Elem::write(r, &mut w);
    w.finish()
}
const EXTRA: &[(&str, fn(&[u8]) -> Result<GetInstancesResult, String>)] = &[];
const EXTRA_REQ: &[(&str, fn(&CreateKeyPairRequest) -> String)] =
    &[("writer pre-sized to 128 B", encode_req_sized)];
''',
}
BENCH_DEPS = {
    "emitted": 'smithgen-runtime = { path = "RUNTIME" }\n',
    "serde": 'serde_json = "1"\nserde_path_to_error = "0.1"\n',
    "schema": 'schema-rt = { path = "../schema-rt" }\n',
}


def make_benches():
    harness = f"{CRATES}/harness"
    os.makedirs(harness, exist_ok=True)
    for file in ("timing.rs", "behaviour.rs"):
        shutil.copy(f"{HERE}/{file}", harness)
    runtime = re.search(r'smithgen-runtime = \{ path = "([^"]+)" \}', open(f"{SRC}/Cargo.toml").read()).group(1)
    for side, main in BENCH_MAIN.items():
        dst = f"{CRATES}/bench-{side}"
        clean(dst)
        os.makedirs(f"{dst}/src/bin")
        open(f"{dst}/Cargo.toml", "w").write(
            f'[package]\nname = "bench-{side}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
            f'[dependencies]\nlightsail = {{ path = "../{side}" }}\n' + BENCH_DEPS[side].replace("RUNTIME", runtime)
            + "\n[profile.release]\ndebug = false\n")
        for name, file in (("main", "timing.rs"), ("bin/behaviour", "behaviour.rs")):
            open(f"{dst}/src/{name}.rs", "w").write(
                f"//! {side}: {file} (bench/serialization-approach)\n#![allow(dead_code, unused_imports)]\n"
                + main + f'include!("{harness}/{file}");\n')


def main():
    stats = {}
    make_serde(stats)
    make_schema(stats)
    make_stripped("noops", OP_IMPL, OP_USE, stats)
    make_stripped("bare", WIRE_IMPL, WIRE_USE, stats)
    make_benches()
    stats["code_lines"] = {v: tree_lines(f"{CRATES}/{v}")
                           for v in ("bare", "noops", "emitted", "serde", "serde-inst", "schema")}
    os.makedirs(f"{WORK}/results", exist_ok=True)
    json.dump(stats, open(f"{WORK}/results/stats.json", "w"), indent=2)
    print(json.dumps(stats, indent=2))


main()

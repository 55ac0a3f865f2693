//! Candidate (c) of bench/serialization-approach.md: a schema-driven runtime.
//!
//! One non-generic interpreter (`read_struct`, `write_struct`) walks a static table per
//! structure (its members' JSON names and kinds) over the runtime's JsonReader/JsonWriter. The
//! generated crate supplies only the table and two accessors per structure that hand out a typed
//! reference to member `i` (`field_mut` for reading, `field` for writing); lists, maps, enums and
//! nested structures go through small generic shims (`Elem`). Error paths, the depth limit and
//! NaN/Infinity come from the reader and writer, as for the emitted code.
//!
//! Hand-written; make_variants.py copies it into the temporary work directory as a crate.
pub use smithgen_runtime::json::{DeserializeError, JsonReader, JsonWriter, TimestampFormat};
use smithgen_runtime::DateTime;
use std::collections::HashMap;

pub type Result<T> = std::result::Result<T, DeserializeError>;

/// What a member holds (the table's view; the accessor's `Slot` carries the Rust type).
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Scalar,
    Timestamp(TimestampFormat),
    Composite,
}

pub struct Member {
    pub name: &'static str,
    pub kind: Kind,
}

pub struct Schema {
    pub name: &'static str,
    pub members: &'static [Member],
}

/// A structure the interpreter can fill and write (object safe).
pub trait Struct {
    fn schema(&self) -> &'static Schema;
    fn field_mut(&mut self, index: usize) -> Slot<'_>;
    fn field(&self, index: usize) -> Value<'_>;
}

/// Where member `i` is stored.
pub enum Slot<'a> {
    Str(&'a mut Option<String>),
    ReqStr(&'a mut String),
    Bool(&'a mut Option<bool>),
    ReqBool(&'a mut bool),
    I32(&'a mut Option<i32>),
    ReqI32(&'a mut i32),
    I64(&'a mut Option<i64>),
    F32(&'a mut Option<f32>),
    F64(&'a mut Option<f64>),
    Time(&'a mut Option<DateTime>),
    /// Enums, structures, lists and maps.
    Dyn(&'a mut dyn DynSlot),
    /// A required enum.
    DynReq(&'a mut dyn ReqSlot),
}

/// Member `i`'s value, if set.
pub enum Value<'a> {
    Absent,
    Str(&'a str),
    Bool(bool),
    Int(i64),
    F32(f32),
    F64(f64),
    Time(&'a DateTime),
    Dyn(&'a dyn DynValue),
}

pub trait DynSlot {
    fn read(&mut self, r: &mut JsonReader<'_>) -> Result<()>;
}

pub trait DynValue {
    fn write(&self, w: &mut JsonWriter);
}

/// A value that can be a list element, a map value or a composite member.
pub trait Elem: Sized {
    fn read(r: &mut JsonReader<'_>) -> Result<Self>;
    fn write(&self, w: &mut JsonWriter);
}

impl<T: Elem> DynSlot for Option<T> {
    fn read(&mut self, r: &mut JsonReader<'_>) -> Result<()> {
        *self = Some(T::read(r)?);
        Ok(())
    }
}

pub trait ReqSlot {
    fn read(&mut self, r: &mut JsonReader<'_>) -> Result<()>;
}

impl<T: Elem> ReqSlot for T {
    fn read(&mut self, r: &mut JsonReader<'_>) -> Result<()> {
        *self = T::read(r)?;
        Ok(())
    }
}

impl<T: Elem> DynValue for T {
    fn write(&self, w: &mut JsonWriter) {
        Elem::write(self, w);
    }
}

impl Elem for String {
    fn read(r: &mut JsonReader<'_>) -> Result<Self> {
        r.string()
    }
    fn write(&self, w: &mut JsonWriter) {
        w.string(self);
    }
}

impl Elem for i32 {
    fn read(r: &mut JsonReader<'_>) -> Result<Self> {
        r.i32()
    }
    fn write(&self, w: &mut JsonWriter) {
        w.i64(i64::from(*self));
    }
}

/// Lists: `null` elements are skipped (no list in the benchmark's model is `@sparse`).
impl<T: Elem> Elem for Vec<T> {
    fn read(r: &mut JsonReader<'_>) -> Result<Self> {
        let mut out = Vec::new();
        r.begin_array()?;
        while r.next_element()? {
            if r.peek_null()? {
                continue;
            }
            out.push(T::read(r)?);
        }
        Ok(out)
    }
    fn write(&self, w: &mut JsonWriter) {
        w.begin_array();
        for item in self {
            item.write(w);
        }
        w.end_array();
    }
}

/// A map key: a string or an enum.
pub trait MapKey: Eq + std::hash::Hash {
    fn from_key(key: &str) -> Self;
    fn as_key(&self) -> &str;
}

impl MapKey for String {
    fn from_key(key: &str) -> Self {
        key.to_owned()
    }
    fn as_key(&self) -> &str {
        self
    }
}

/// Maps; `null` values are skipped.
impl<K: MapKey, T: Elem> Elem for HashMap<K, T> {
    fn read(r: &mut JsonReader<'_>) -> Result<Self> {
        let mut out = HashMap::new();
        r.begin_object()?;
        while let Some(key) = r.next_key()? {
            if r.peek_null()? {
                continue;
            }
            let key = K::from_key(&key);
            out.insert(key, T::read(r)?);
        }
        Ok(out)
    }
    fn write(&self, w: &mut JsonWriter) {
        w.begin_object();
        for (key, value) in self {
            w.key(key.as_key());
            value.write(w);
        }
        w.end_object();
    }
}

/// Finds member `key`, trying the one after the previous match first (services send members in
/// model order), then scanning the table.
#[inline]
fn lookup(members: &[Member], key: &str, hint: usize) -> Option<usize> {
    if let Some(m) = members.get(hint) {
        if m.name == key {
            return Some(hint);
        }
    }
    members.iter().position(|m| m.name == key)
}

/// Reads an object into `s`: unknown members are skipped, `null` members are absent.
pub fn read_struct(r: &mut JsonReader<'_>, s: &mut dyn Struct) -> Result<()> {
    let schema = s.schema();
    let mut hint = 0;
    r.begin_object()?;
    while let Some(key) = r.next_key()? {
        if r.peek_null()? {
            continue;
        }
        let Some(i) = lookup(schema.members, &key, hint) else {
            r.skip_value()?;
            continue;
        };
        hint = i + 1;
        match s.field_mut(i) {
            Slot::Str(v) => *v = Some(r.string()?),
            Slot::ReqStr(v) => *v = r.string()?,
            Slot::Bool(v) => *v = Some(r.bool()?),
            Slot::ReqBool(v) => *v = r.bool()?,
            Slot::I32(v) => *v = Some(r.i32()?),
            Slot::ReqI32(v) => *v = r.i32()?,
            Slot::I64(v) => *v = Some(r.i64()?),
            Slot::F32(v) => *v = Some(r.f32()?),
            Slot::F64(v) => *v = Some(r.f64()?),
            Slot::Time(v) => {
                let format = match schema.members[i].kind {
                    Kind::Timestamp(format) => format,
                    _ => TimestampFormat::EpochSeconds,
                };
                *v = Some(r.timestamp(format)?);
            }
            Slot::Dyn(v) => v.read(r)?,
            Slot::DynReq(v) => v.read(r)?,
        }
    }
    Ok(())
}

/// Writes `s` as an object, leaving out absent members.
pub fn write_struct(s: &dyn Struct, w: &mut JsonWriter) {
    let schema = s.schema();
    w.begin_object();
    for (i, member) in schema.members.iter().enumerate() {
        let value = s.field(i);
        if let Value::Absent = value {
            continue;
        }
        w.key(member.name);
        match value {
            Value::Absent => {}
            Value::Str(v) => w.string(v),
            Value::Bool(v) => w.bool(v),
            Value::Int(v) => w.i64(v),
            Value::F32(v) => w.f32(v),
            Value::F64(v) => w.f64(v),
            Value::Time(v) => {
                let format = match member.kind {
                    Kind::Timestamp(format) => format,
                    _ => TimestampFormat::EpochSeconds,
                };
                w.timestamp(v, format);
            }
            Value::Dyn(v) => v.write(w),
        }
    }
    w.end_object();
}

/// Parses a whole document holding one structure.
pub fn from_json<T: Elem>(bytes: &[u8]) -> Result<T> {
    let mut r = JsonReader::new(bytes);
    let value = T::read(&mut r)?;
    r.end()?;
    Ok(value)
}

pub fn to_json<T: Elem>(value: &T) -> String {
    let mut w = JsonWriter::new();
    value.write(&mut w);
    w.finish()
}

// Accessor helpers, so that each generated member is one short line.
#[inline]
pub fn opt_str(v: &Option<String>) -> Value<'_> {
    v.as_deref().map_or(Value::Absent, Value::Str)
}
#[inline]
pub fn opt_bool(v: &Option<bool>) -> Value<'_> {
    v.map_or(Value::Absent, Value::Bool)
}
#[inline]
pub fn opt_i32(v: &Option<i32>) -> Value<'_> {
    v.map_or(Value::Absent, |v| Value::Int(i64::from(v)))
}
#[inline]
pub fn opt_i64(v: &Option<i64>) -> Value<'_> {
    v.map_or(Value::Absent, Value::Int)
}
#[inline]
pub fn opt_f32(v: &Option<f32>) -> Value<'_> {
    v.map_or(Value::Absent, Value::F32)
}
#[inline]
pub fn opt_f64(v: &Option<f64>) -> Value<'_> {
    v.map_or(Value::Absent, Value::F64)
}
#[inline]
pub fn opt_time(v: &Option<DateTime>) -> Value<'_> {
    v.as_ref().map_or(Value::Absent, Value::Time)
}
#[inline]
pub fn opt_dyn<T: Elem>(v: &Option<T>) -> Value<'_> {
    v.as_ref().map_or(Value::Absent, |v| Value::Dyn(v))
}

/// `Elem` for a generated structure that implements `Struct`.
#[macro_export]
macro_rules! structure {
    ($t:ty) => {
        impl $crate::Elem for $t {
            fn read(r: &mut $crate::JsonReader<'_>) -> $crate::Result<Self> {
                let mut v = <$t>::default();
                $crate::read_struct(r, &mut v)?;
                Ok(v)
            }
            fn write(&self, w: &mut $crate::JsonWriter) {
                $crate::write_struct(self, w);
            }
        }
    };
}

/// `Elem` for a generated enum (`as_str`, `From<&str>`; unknown values are kept).
#[macro_export]
macro_rules! enumeration {
    ($t:ty) => {
        impl $crate::Elem for $t {
            fn read(r: &mut $crate::JsonReader<'_>) -> $crate::Result<Self> {
                r.str().map(|v| <$t>::from(v.as_ref()))
            }
            fn write(&self, w: &mut $crate::JsonWriter) {
                w.string(self.as_str());
            }
        }
        impl $crate::MapKey for $t {
            fn from_key(key: &str) -> Self {
                <$t>::from(key)
            }
            fn as_key(&self) -> &str {
                self.as_str()
            }
        }
    };
}

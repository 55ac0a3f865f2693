//! Binary data.

use std::fmt;

/// The Rust type of Smithy `blob` shapes: an owned sequence of bytes.
///
/// `Debug` prints only the length (`Blob(3 bytes)`), never the contents,
/// which may be large or sensitive.
///
/// ```
/// use smithgen_runtime::Blob;
///
/// let blob = Blob::new("hi");
/// assert_eq!(blob.as_ref(), b"hi");
/// assert_eq!(format!("{blob:?}"), "Blob(2 bytes)");
/// assert_eq!(blob.into_inner(), b"hi".to_vec());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Blob {
    inner: Vec<u8>,
}

impl Blob {
    /// Creates a blob holding `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            inner: bytes.into(),
        }
    }

    /// Returns the bytes, without copying them.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.inner
    }
}

impl fmt::Debug for Blob {
    /// Writes `Blob(N bytes)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self.inner.len();
        let unit = if len == 1 { "byte" } else { "bytes" };
        write!(f, "Blob({len} {unit})")
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Self { inner: bytes }
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Self {
            inner: bytes.to_vec(),
        }
    }
}

impl From<&str> for Blob {
    /// The UTF-8 bytes of `text`.
    fn from(text: &str) -> Self {
        Self {
            inner: text.as_bytes().to_vec(),
        }
    }
}

impl From<Blob> for Vec<u8> {
    fn from(blob: Blob) -> Self {
        blob.inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_agree() {
        let expected = Blob::new(vec![b'a', b'b']);
        assert_eq!(Blob::new("ab"), expected);
        assert_eq!(Blob::new(&b"ab"[..]), expected);
        assert_eq!(Blob::from(vec![b'a', b'b']), expected);
        assert_eq!(Blob::from(&b"ab"[..]), expected);
        assert_eq!(Blob::from("ab"), expected);
        assert_ne!(Blob::from("ba"), expected);
    }

    #[test]
    fn gives_back_its_bytes() {
        let blob = Blob::from("héllo");
        assert_eq!(blob.as_ref(), "héllo".as_bytes());
        assert_eq!(blob.clone().into_inner(), "héllo".as_bytes());
        assert_eq!(Vec::from(blob), "héllo".as_bytes());
        assert_eq!(Blob::default().as_ref(), b"");
    }

    #[test]
    fn debug_hides_the_bytes() {
        assert_eq!(format!("{:?}", Blob::from("secret")), "Blob(6 bytes)");
        assert_eq!(format!("{:?}", Blob::from("x")), "Blob(1 byte)");
        assert_eq!(format!("{:?}", Blob::default()), "Blob(0 bytes)");
    }
}

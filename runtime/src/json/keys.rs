//! The keys of a structure's members, laid out for [`JsonReader::next_member`].

#[cfg(doc)]
use super::JsonReader;

/// The keys of a structure's members, in the order of the structure, for
/// [`JsonReader::next_member`]; built at compile time:
///
/// ```
/// use smithgen_runtime::json::Keys;
///
/// static KEYS: Keys<2> = Keys::new(["key", "value"]);
/// assert_eq!(KEYS.names().collect::<Vec<_>>(), ["key", "value"]);
/// ```
///
/// Each key shorter than 32 bytes and without `"`, `\` or control
/// characters (every Smithy member name) is also kept as its bytes in four
/// words with a mask, so that the reader can tell whether the key in the
/// input is the one it expects in a few word operations, without first
/// scanning the input for the end of the key.
#[derive(Clone, Debug)]
pub struct Keys<const N: usize> {
    keys: [Key; N],
}

/// One key of [`Keys`].
#[derive(Clone, Copy, Debug)]
pub(super) struct Key {
    pub(super) name: &'static str,
    /// Whether `words` and `masks` hold the whole name: it is shorter than
    /// 32 bytes and needs no escapes in JSON.
    pub(super) plain: bool,
    /// The name's bytes, zero-padded to 32, as little-endian words.
    pub(super) words: [u64; 4],
    /// `0xFF` in each byte of `words` that is one of the name's.
    pub(super) masks: [u64; 4],
}

impl Key {
    const EMPTY: Key = Key {
        name: "",
        plain: false,
        words: [0; 4],
        masks: [0; 4],
    };

    const fn new(name: &'static str) -> Key {
        let bytes = name.as_bytes();
        let mut key = Key {
            name,
            plain: bytes.len() < 32,
            words: [0; 4],
            masks: [0; 4],
        };
        let mut i = 0;
        while i < bytes.len() && i < 32 {
            let byte = bytes[i];
            if byte < 0x20 || byte == b'"' || byte == b'\\' {
                key.plain = false;
            }
            let shift = 8 * (i % 8);
            key.words[i / 8] |= (byte as u64) << shift;
            key.masks[i / 8] |= 0xFF << shift;
            i += 1;
        }
        key
    }

    /// Whether `window`, 32 bytes of the input from the start of a key's
    /// text, starts with this key's name followed by its closing `"`, for a
    /// [`plain`](Key::plain) key.
    #[inline(always)]
    pub(super) fn starts(&self, window: &[u8; 32]) -> bool {
        let mut diff = 0;
        for ((chunk, word), mask) in window.chunks_exact(8).zip(self.words).zip(self.masks) {
            let chunk: [u8; 8] = chunk.try_into().unwrap_or_default();
            diff |= (u64::from_le_bytes(chunk) ^ word) & mask;
        }
        // A plain name is shorter than 32 bytes: its closing quote is in the window.
        diff == 0 && window.get(self.name.len()) == Some(&b'"')
    }
}

impl<const N: usize> Keys<N> {
    /// The keys `names`, in order; [`JsonReader::next_member`] returns
    /// indexes into them.
    pub const fn new(names: [&'static str; N]) -> Keys<N> {
        let mut keys = [Key::EMPTY; N];
        let mut i = 0;
        while i < N {
            keys[i] = Key::new(names[i]);
            i += 1;
        }
        Keys { keys }
    }

    /// The keys, in order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.keys.iter().map(|key| key.name)
    }

    pub(super) fn keys(&self) -> &[Key] {
        &self.keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_only_themselves_followed_by_a_quote() {
        let keys = Keys::new([
            "a",
            "name",
            "exactly_thirty_one_bytes_long__",
            "thirty_two_bytes_long_key_name__",
        ]);
        let window = |text: &str| {
            let mut window = [b'x'; 32];
            window[..text.len()].copy_from_slice(text.as_bytes());
            window
        };
        let [a, name, long, too_long] = keys.keys;
        assert!(a.plain && name.plain && long.plain && !too_long.plain);
        assert!(a.starts(&window("a\":1")));
        assert!(!a.starts(&window("ab\":1")));
        assert!(!a.starts(&window("b\":1")));
        assert!(name.starts(&window("name\"")));
        assert!(!name.starts(&window("namE\"")));
        assert!(!name.starts(&window("nam\"")));
        assert!(!name.starts(&window("name")));
        assert!(long.starts(&window("exactly_thirty_one_bytes_long__\"")));
        assert!(!long.starts(&window("exactly_thirty_one_bytes_long_x\"")));
        for name in ["a\"b", "a\\b", "tab\there", ""] {
            assert!(!Key::new(name).plain || name.is_empty(), "{name:?}");
        }
        // The empty key is plain: a window starting with `"` is it.
        assert!(Key::new("").starts(&window("\":")));
    }
}

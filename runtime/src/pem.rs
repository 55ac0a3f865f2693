//! The `CERTIFICATE` blocks of a PEM bundle (RFC 7468), for root certificates given as PEM.

use base64::Engine;

/// The DER bytes of every `CERTIFICATE` block of `pem`, in order; other blocks are skipped.
/// An unterminated block or bad base64 is an error naming the block.
pub(crate) fn certificates(pem: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let text = std::str::from_utf8(pem).map_err(|_| "the PEM bundle is not UTF-8".to_owned())?;
    let mut out = Vec::new();
    let mut lines = text.lines().map(str::trim);
    let mut block = 0;
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        else {
            continue;
        };
        block += 1;
        let end = format!("-----END {label}-----");
        let mut body = String::new();
        let mut closed = false;
        for line in lines.by_ref() {
            if line == end {
                closed = true;
                break;
            }
            body.push_str(line);
        }
        if !closed {
            return Err(format!("PEM block {block} ({label}) has no `{end}` line"));
        }
        if label != "CERTIFICATE" {
            continue;
        }
        let der = base64::engine::general_purpose::STANDARD
            .decode(body.as_bytes())
            .map_err(|e| format!("PEM block {block} (CERTIFICATE) is not valid base64: {e}"))?;
        out.push(der);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::certificates;

    #[test]
    fn reads_certificate_blocks_only() {
        let pem = b"junk\n-----BEGIN CERTIFICATE-----\nAQID\nBA==\n-----END CERTIFICATE-----\n\
                    -----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n\
                    -----BEGIN CERTIFICATE-----\nBQY=\n-----END CERTIFICATE-----\n";
        assert_eq!(
            certificates(pem).unwrap(),
            vec![vec![1, 2, 3, 4], vec![5, 6]]
        );
    }

    #[test]
    fn malformed_blocks_are_errors() {
        let open = certificates(b"-----BEGIN CERTIFICATE-----\nAQID\n").unwrap_err();
        assert!(
            open.contains("no `-----END CERTIFICATE-----` line"),
            "{open}"
        );
        let bad = certificates(b"-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n")
            .unwrap_err();
        assert!(bad.contains("not valid base64"), "{bad}");
    }
}

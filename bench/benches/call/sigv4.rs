//! An independent check of a received request's SigV4 signature (`Authorization` header),
//! recomputed from the secret with hmac and sha2 directly, for both clients.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::server::Received;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Checks the signature of `r` (a request to `/` with no query string); returns the signed
/// header names.
pub fn verify(
    r: &Received,
    akid: &str,
    secret: &str,
    region: &str,
    service: &str,
) -> Result<String, String> {
    let auth = r.header("authorization").ok_or("no Authorization header")?;
    let rest = auth
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("not AWS4-HMAC-SHA256")?;
    let field = |name: &str| {
        rest.split(", ")
            .find_map(|p| p.strip_prefix(name))
            .map(str::to_owned)
            .ok_or(format!("no {name} in the Authorization header"))
    };
    let credential = field("Credential=")?;
    let signed = field("SignedHeaders=")?;
    let sent = field("Signature=")?;
    let amz_date = r.header("x-amz-date").ok_or("no X-Amz-Date")?;
    let date = amz_date.get(..8).ok_or("a short X-Amz-Date")?;
    let scope = format!("{date}/{region}/{service}/aws4_request");
    if credential != format!("{akid}/{scope}") {
        return Err(format!("credential {credential}, expected {akid}/{scope}"));
    }
    for required in ["host", "x-amz-date"] {
        if !signed.split(';').any(|h| h == required) {
            return Err(format!("{required} is not signed"));
        }
    }
    let (path, query) = r.path.split_once('?').unwrap_or((&r.path, ""));
    let mut canonical = format!("{}\n{path}\n{query}\n", r.method);
    for name in signed.split(';') {
        let values = r.headers(name);
        if values.is_empty() {
            return Err(format!("signed header {name} was not sent"));
        }
        let values: Vec<String> = values
            .iter()
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        canonical.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    canonical.push_str(&format!("\n{signed}\n{}", hex(&Sha256::digest(&r.body))));
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), date);
    for part in [region, service, "aws4_request"] {
        key = hmac(&key, part);
    }
    let expected = hex(&hmac(&key, &to_sign));
    if expected != sent {
        return Err(format!(
            "signature {sent}, expected {expected}; canonical request:\n{canonical}"
        ));
    }
    Ok(signed)
}

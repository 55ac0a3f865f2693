//! A realistic ListObjectsV2 response body, the same bytes for both sides: a delimited listing
//! (`Delimiter=/`, `FetchOwner=true`) of a log bucket's prefix, page 2 of a truncated listing,
//! with `n` objects and a few common prefixes, as S3 writes it (one line, `&quot;`-escaped ETags,
//! millisecond timestamps, `xmlFlattened` `<Contents>` and `<CommonPrefixes>`).

use std::fmt::Write;

pub const BUCKET: &str = "acme-prod-logs-us-east-1";
pub const PREFIX: &str = "app/2026/12/";
pub const OWNER_ID: &str = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";
pub const OWNER_NAME: &str = "acme-logs";
pub const COMMON_PREFIXES: usize = 12;
pub const CONTINUATION_TOKEN: &str =
    "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=fjR2aHBkZGdnMnl4bGdvdmpxYQ==";
pub const NEXT_TOKEN: &str =
    "1w41l63U0xa8q7smH50vCxyTQqdxo69O3EmK28Bi5PcROI4wI/EyIJg==qjX3dW5xY2x2ZmU2ZG9qbg==";

const STORAGE: &[&str] = &[
    "STANDARD",
    "STANDARD",
    "STANDARD",
    "INTELLIGENT_TIERING",
    "STANDARD_IA",
    "GLACIER_IR",
];
const CHECKSUM: &[&str] = &["CRC64NVME", "CRC64NVME", "CRC32", "SHA256"];

/// The key of object `i`.
pub fn key(i: usize) -> String {
    let day = 1 + i % 7;
    let hour = (i / 7) % 24;
    format!(
        "{PREFIX}{day:02}/{hour:02}/web-{host:04}/access-{i:06}_{hash:08x}.json.gz",
        host = i % 37,
        hash = (i as u32).wrapping_mul(2_654_435_761)
    )
}

/// Object `i`'s ETag without its quotes (an MD5-like hex digest; every tenth a multipart one).
pub fn etag(i: usize) -> String {
    let a = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let b = a.rotate_left(29) ^ 0xd1b5_4a32_d192_ed03;
    if i % 10 == 9 {
        format!("{a:016x}{b:016x}-{}", 2 + i % 17)
    } else {
        format!("{a:016x}{b:016x}")
    }
}

/// Object `i`'s size in bytes.
pub fn size(i: usize) -> i64 {
    ((i as i64 * 7_919) % 5_000_000) + 137
}

/// Object `i`'s last-modified time: epoch seconds and milliseconds.
pub fn last_modified(i: usize) -> (i64, u32) {
    // 2026-12-01T00:00:00Z plus a few minutes per object.
    (1_796_083_200 + i as i64 * 287, ((i * 37) % 1000) as u32)
}

pub fn storage_class(i: usize) -> &'static str {
    STORAGE[i % STORAGE.len()]
}

pub fn checksum_algorithm(i: usize) -> &'static str {
    CHECKSUM[i % CHECKSUM.len()]
}

pub fn checksum_type(i: usize) -> &'static str {
    if i % 10 == 9 {
        "COMPOSITE"
    } else {
        "FULL_OBJECT"
    }
}

pub fn common_prefix(i: usize) -> String {
    format!("{PREFIX}archive-{i:02}/")
}

fn timestamp(secs: i64, millis: u32) -> String {
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// The body with `n` objects.
pub fn list_objects_v2(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(400 + n * 620);
    s.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    s.push('\n');
    s.push_str(r#"<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"#);
    write!(
        s,
        "<Name>{BUCKET}</Name><Prefix>{PREFIX}</Prefix><ContinuationToken>{CONTINUATION_TOKEN}</ContinuationToken>\
         <NextContinuationToken>{NEXT_TOKEN}</NextContinuationToken><KeyCount>{}</KeyCount>\
         <MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>",
        n + COMMON_PREFIXES
    )
    .unwrap();
    for i in 0..n {
        let (secs, millis) = last_modified(i);
        write!(
            s,
            "<Contents><Key>{}</Key><LastModified>{}</LastModified><ETag>&quot;{}&quot;</ETag>\
             <ChecksumAlgorithm>{}</ChecksumAlgorithm><ChecksumType>{}</ChecksumType><Size>{}</Size>\
             <Owner><DisplayName>{OWNER_NAME}</DisplayName><ID>{OWNER_ID}</ID></Owner>\
             <StorageClass>{}</StorageClass></Contents>",
            key(i),
            timestamp(secs, millis),
            etag(i),
            checksum_algorithm(i),
            checksum_type(i),
            size(i),
            storage_class(i)
        )
        .unwrap();
    }
    for i in 0..COMMON_PREFIXES {
        write!(
            s,
            "<CommonPrefixes><Prefix>{}</Prefix></CommonPrefixes>",
            common_prefix(i)
        )
        .unwrap();
    }
    s.push_str("</ListBucketResult>");
    s.into_bytes()
}

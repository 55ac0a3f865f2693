//! The AWS partitions that `aws.partition` knows, and the small regular
//! expression matcher their `regionRegex` patterns need.
//!
//! The facts are those of the SDKs' `partitions.json` (version 1.1), written
//! out by hand as Rust data so that the runtime needs neither a JSON file nor
//! a regex crate.

use std::sync::OnceLock;

/// An AWS partition: a group of regions sharing DNS suffixes and features,
/// as the `aws.partition` rules-engine function returns it.
///
/// ```
/// use smithgen_runtime::endpoint::partition;
///
/// assert_eq!(partition("eu-west-1").name, "aws");
/// assert_eq!(partition("cn-north-1").dns_suffix, "amazonaws.com.cn");
/// assert_eq!(partition("us-gov-east-2").name, "aws-us-gov"); // by its regex
/// assert_eq!(partition("mars-east-1").name, "aws"); // the fallback
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Partition {
    /// The partition's id (`aws`, `aws-cn`, …).
    pub id: &'static str,
    /// The regular expression that region names of this partition match,
    /// such as `^cn\-\w+\-\d+$`.
    pub region_regex: &'static str,
    /// The regions known to be in this partition.
    pub regions: &'static [&'static str],
    /// The partition's name (the `name` attribute in rules).
    pub name: &'static str,
    /// The default DNS suffix (`amazonaws.com`).
    pub dns_suffix: &'static str,
    /// The DNS suffix of dual-stack endpoints (`api.aws`).
    pub dual_stack_dns_suffix: &'static str,
    /// Whether the partition has FIPS endpoints.
    pub supports_fips: bool,
    /// Whether the partition has dual-stack endpoints.
    pub supports_dual_stack: bool,
    /// The region global services of this partition sign for.
    pub implicit_global_region: &'static str,
}

/// Every partition, `aws` first.
pub static PARTITIONS: &[Partition] = &[
    Partition {
        id: "aws",
        region_regex: r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$",
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "aws-global",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
        name: "aws",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-east-1",
    },
    Partition {
        id: "aws-cn",
        region_regex: r"^cn\-\w+\-\d+$",
        regions: &["aws-cn-global", "cn-north-1", "cn-northwest-1"],
        name: "aws-cn",
        dns_suffix: "amazonaws.com.cn",
        dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "cn-northwest-1",
    },
    Partition {
        id: "aws-eusc",
        region_regex: r"^eusc\-(de)\-\w+\-\d+$",
        regions: &["eusc-de-east-1"],
        name: "aws-eusc",
        dns_suffix: "amazonaws.eu",
        dual_stack_dns_suffix: "api.amazonwebservices.eu",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "eusc-de-east-1",
    },
    Partition {
        id: "aws-iso",
        region_regex: r"^us\-iso\-\w+\-\d+$",
        regions: &["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
        name: "aws-iso",
        dns_suffix: "c2s.ic.gov",
        dual_stack_dns_suffix: "api.aws.ic.gov",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-iso-east-1",
    },
    Partition {
        id: "aws-iso-b",
        region_regex: r"^us\-isob\-\w+\-\d+$",
        regions: &["aws-iso-b-global", "us-isob-east-1"],
        name: "aws-iso-b",
        dns_suffix: "sc2s.sgov.gov",
        dual_stack_dns_suffix: "api.aws.scloud",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-isob-east-1",
    },
    Partition {
        id: "aws-iso-e",
        region_regex: r"^eu\-isoe\-\w+\-\d+$",
        regions: &["aws-iso-e-global", "eu-isoe-west-1"],
        name: "aws-iso-e",
        dns_suffix: "cloud.adc-e.uk",
        dual_stack_dns_suffix: "api.cloud-aws.adc-e.uk",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "eu-isoe-west-1",
    },
    Partition {
        id: "aws-iso-f",
        region_regex: r"^us\-isof\-\w+\-\d+$",
        regions: &["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"],
        name: "aws-iso-f",
        dns_suffix: "csp.hci.ic.gov",
        dual_stack_dns_suffix: "api.aws.hci.ic.gov",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-isof-south-1",
    },
    Partition {
        id: "aws-us-gov",
        region_regex: r"^us\-gov\-\w+\-\d+$",
        regions: &["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
        name: "aws-us-gov",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-gov-west-1",
    },
];

/// The partition of `region`, as `aws.partition` finds it: the partition
/// that lists the region explicitly, else the first whose `regionRegex`
/// matches it, else the `aws` partition.
pub fn partition(region: &str) -> &'static Partition {
    partition_in(PARTITIONS, region).unwrap_or(&PARTITIONS[0])
}

/// [`partition`] in another table of partitions: `None` only when the
/// table has neither a match nor an `aws` partition (nor any partition).
pub(crate) fn partition_in(
    partitions: &'static [Partition],
    region: &str,
) -> Option<&'static Partition> {
    if let Some(partition) = partitions.iter().find(|p| p.regions.contains(&region)) {
        return Some(partition);
    }
    let by_regex = if std::ptr::eq(partitions, PARTITIONS) {
        let compiled = COMPILED.get_or_init(|| {
            PARTITIONS
                .iter()
                .map(|p| Regex::new(p.region_regex))
                .collect()
        });
        partitions
            .iter()
            .zip(compiled)
            .find(|(_, regex)| regex.as_ref().is_some_and(|r| r.is_match(region)))
            .map(|(partition, _)| partition)
    } else {
        partitions
            .iter()
            .find(|p| Regex::new(p.region_regex).is_some_and(|r| r.is_match(region)))
    };
    by_regex
        .or_else(|| partitions.iter().find(|p| p.id == "aws"))
        .or_else(|| partitions.first())
}

/// The partitions' region patterns, compiled on first use (`None` for a
/// pattern outside the matcher's dialect, which then matches nothing).
static COMPILED: OnceLock<Vec<Option<Regex>>> = OnceLock::new();

/// A regular expression in the small dialect of `regionRegex` patterns:
/// literal characters, `\`-escapes (`\w`, `\d`, `\s` and escaped literals),
/// `.`, groups with alternatives (`(us|eu)`, `(?:…)`), the quantifiers `+`,
/// `*` and `?` on single characters and classes, and the anchors `^` and `$`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Regex {
    nodes: Vec<Node>,
    anchored: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    /// One character matching the class.
    One(Class),
    /// A character of the class, `min` or more times (at most `max`).
    Repeat {
        class: Class,
        min: usize,
        max: Option<usize>,
    },
    /// One of several sequences.
    Group(Vec<Vec<Node>>),
    /// The end of the text.
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Byte(u8),
    /// `\w`: `[A-Za-z0-9_]`.
    Word,
    /// `\d`: `[0-9]`.
    Digit,
    /// `\s`: ASCII whitespace.
    Space,
    /// `.`: anything but a newline.
    Any,
}

impl Class {
    fn matches(self, byte: u8) -> bool {
        match self {
            Class::Byte(b) => b == byte,
            Class::Word => byte.is_ascii_alphanumeric() || byte == b'_',
            Class::Digit => byte.is_ascii_digit(),
            Class::Space => byte.is_ascii_whitespace(),
            Class::Any => byte != b'\n',
        }
    }
}

impl Regex {
    /// Compiles `pattern`, or `None` if it is not in the supported dialect.
    pub(crate) fn new(pattern: &str) -> Option<Regex> {
        let bytes = pattern.as_bytes();
        let (anchored, mut pos) = match bytes.first() {
            Some(b'^') => (true, 1),
            _ => (false, 0),
        };
        let mut alternatives = parse_alternatives(bytes, &mut pos, 0)?;
        if pos != bytes.len() || alternatives.is_empty() {
            return None;
        }
        let nodes = if alternatives.len() == 1 {
            alternatives.pop().unwrap_or_default()
        } else {
            vec![Node::Group(alternatives)]
        };
        Some(Regex { nodes, anchored })
    }

    /// Whether the pattern matches `text` (anywhere, unless anchored with `^`).
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let text = text.as_bytes();
        let starts = if self.anchored { 0..=0 } else { 0..=text.len() };
        starts
            .into_iter()
            .any(|start| match_seq(&self.nodes, text, start, &mut |_| true))
    }
}

/// How deeply groups may nest in a pattern.
const MAX_GROUP_DEPTH: usize = 8;

/// Parses `alt|alt|…` up to a `)` or the end of the pattern.
fn parse_alternatives(bytes: &[u8], pos: &mut usize, depth: usize) -> Option<Vec<Vec<Node>>> {
    let mut alternatives = vec![Vec::new()];
    while let Some(&byte) = bytes.get(*pos) {
        let class = match byte {
            b')' => break,
            b'|' => {
                *pos += 1;
                alternatives.push(Vec::new());
                continue;
            }
            b'(' => {
                if depth >= MAX_GROUP_DEPTH {
                    return None;
                }
                *pos += 1;
                if bytes.get(*pos..*pos + 2) == Some(b"?:") {
                    *pos += 2;
                }
                let group = parse_alternatives(bytes, pos, depth + 1)?;
                if bytes.get(*pos) != Some(&b')') {
                    return None;
                }
                *pos += 1;
                if matches!(bytes.get(*pos), Some(b'+' | b'*' | b'?')) {
                    // Quantified groups are outside the dialect.
                    return None;
                }
                alternatives.last_mut()?.push(Node::Group(group));
                continue;
            }
            b'$' if *pos + 1 == bytes.len() || bytes.get(*pos + 1) == Some(&b')') => {
                *pos += 1;
                alternatives.last_mut()?.push(Node::End);
                continue;
            }
            b'\\' => {
                *pos += 1;
                let escaped = *bytes.get(*pos)?;
                match escaped {
                    b'w' => Class::Word,
                    b'd' => Class::Digit,
                    b's' => Class::Space,
                    b if b.is_ascii_punctuation() => Class::Byte(b),
                    _ => return None,
                }
            }
            b'.' => Class::Any,
            b'[' | b']' | b'{' | b'}' | b'^' | b'$' | b'+' | b'*' | b'?' => return None,
            b => Class::Byte(b),
        };
        *pos += 1;
        let node = match bytes.get(*pos) {
            Some(b'+') => Some((1, None)),
            Some(b'*') => Some((0, None)),
            Some(b'?') => Some((0, Some(1))),
            _ => None,
        }
        .map_or(Node::One(class), |(min, max)| {
            *pos += 1;
            Node::Repeat { class, min, max }
        });
        alternatives.last_mut()?.push(node);
    }
    Some(alternatives)
}

/// Whether `nodes` match `text` from `pos` in a way that `then` accepts
/// (backtracking: `then` is given each position where a match could end).
fn match_seq(nodes: &[Node], text: &[u8], pos: usize, then: &mut dyn FnMut(usize) -> bool) -> bool {
    let Some((node, rest)) = nodes.split_first() else {
        return then(pos);
    };
    match node {
        Node::One(class) => {
            text.get(pos).is_some_and(|&b| class.matches(b)) && match_seq(rest, text, pos + 1, then)
        }
        Node::Repeat { class, min, max } => {
            // Greedy, then backtrack one character at a time: iterative, so
            // a long text costs no stack.
            let run = text
                .get(pos..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&b| class.matches(b))
                .count();
            let most = max.map_or(run, |max| run.min(max));
            (*min..=most)
                .rev()
                .any(|count| match_seq(rest, text, pos + count, then))
        }
        Node::Group(alternatives) => alternatives.iter().any(|alternative| {
            match_seq(alternative, text, pos, &mut |end| {
                match_seq(rest, text, end, then)
            })
        }),
        Node::End => pos == text.len() && match_seq(rest, text, pos, then),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_regex_compiles_and_matches_its_regions() {
        for p in PARTITIONS {
            let regex = Regex::new(p.region_regex).expect(p.region_regex);
            for region in p.regions.iter().filter(|r| !r.ends_with("-global")) {
                assert!(regex.is_match(region), "{} !~ {region}", p.region_regex);
            }
        }
    }

    #[test]
    fn regex_dialect() {
        let aws = Regex::new(r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$").unwrap();
        assert!(aws.is_match("us-east-1"));
        assert!(aws.is_match("mx-central-12"));
        assert!(aws.is_match("eu-x_y-0"));
        assert!(!aws.is_match("us-gov-west-1"), "\\w does not match `-`");
        assert!(!aws.is_match("us-east-1a"));
        assert!(!aws.is_match("xus-east-1"));
        assert!(!aws.is_match("us-east-"));
        assert!(!aws.is_match("cn-north-1"));
        assert!(!aws.is_match(""));
        let unanchored = Regex::new(r"a\d?b").unwrap();
        assert!(unanchored.is_match("xxab"));
        assert!(unanchored.is_match("a1b"));
        assert!(!unanchored.is_match("a12b"));
        assert!(Regex::new("a.c*$").unwrap().is_match("zabccc"));
        assert!(Regex::new("(?:x|y)z").unwrap().is_match("yz"));
        // Outside the dialect.
        for pattern in ["[a-z]", "(ab)+", "a{2}", "(a", "a)", r"\q", "a\\"] {
            assert_eq!(Regex::new(pattern), None, "{pattern}");
        }
        // Long texts neither overflow the stack nor take long.
        let long = format!("us-{}-1", "a".repeat(1_000_000));
        assert!(aws.is_match(&long));
        assert!(!aws.is_match(&long[..long.len() - 2]));
    }

    /// The table says what the SDKs' `partitions.json` says, when a copy is beside the
    /// repository (`../shared/reference/sdk-partitions.json`).
    #[test]
    fn the_table_matches_sdk_partitions_json() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/reference/sdk-partitions.json"
        );
        let Ok(text) = std::fs::read(path) else {
            eprintln!("skipped: {path} not found");
            return;
        };
        let document = crate::json::JsonReader::new(&text).document().unwrap();
        let partitions = document.as_object().unwrap()["partitions"]
            .as_array()
            .unwrap();
        assert_eq!(partitions.len(), PARTITIONS.len());
        for (json, ours) in partitions.iter().zip(PARTITIONS) {
            let json = json.as_object().unwrap();
            let outputs = json["outputs"].as_object().unwrap();
            let text = |map: &std::collections::BTreeMap<String, crate::Document>, key: &str| {
                map[key].as_str().unwrap().to_owned()
            };
            assert_eq!(text(json, "id"), ours.id);
            assert_eq!(text(json, "regionRegex"), ours.region_regex);
            let regions: Vec<&str> = json["regions"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let mut our_regions = ours.regions.to_vec();
            our_regions.sort_unstable();
            assert_eq!(regions, our_regions, "{}", ours.id);
            assert_eq!(text(outputs, "name"), ours.name);
            assert_eq!(text(outputs, "dnsSuffix"), ours.dns_suffix);
            assert_eq!(
                text(outputs, "dualStackDnsSuffix"),
                ours.dual_stack_dns_suffix
            );
            assert_eq!(
                text(outputs, "implicitGlobalRegion"),
                ours.implicit_global_region
            );
            assert_eq!(outputs["supportsFIPS"].as_bool(), Some(ours.supports_fips));
            assert_eq!(
                outputs["supportsDualStack"].as_bool(),
                Some(ours.supports_dual_stack)
            );
        }
    }

    #[test]
    fn partition_lookup() {
        assert_eq!(partition("us-east-1").id, "aws");
        assert_eq!(partition("aws-global").id, "aws");
        assert_eq!(partition("us-gov-west-1").id, "aws-us-gov");
        assert_eq!(partition("us-iso-east-1").id, "aws-iso");
        assert_eq!(partition("us-isob-east-1").id, "aws-iso-b");
        assert_eq!(partition("us-isob-west-9").id, "aws-iso-b");
        assert_eq!(partition("us-isof-north-3").id, "aws-iso-f");
        assert_eq!(partition("eu-isoe-south-2").id, "aws-iso-e");
        assert_eq!(partition("eusc-de-west-1").id, "aws-eusc");
        assert_eq!(partition("cn-south-7").id, "aws-cn");
        assert_eq!(partition("aws-cn-global").id, "aws-cn");
        assert_eq!(partition("ap-future-9").id, "aws");
        assert_eq!(partition("local").id, "aws");
        assert_eq!(partition("").id, "aws");
        let cn = partition("cn-north-1");
        assert_eq!(cn.dual_stack_dns_suffix, "api.amazonwebservices.com.cn");
        assert_eq!(cn.implicit_global_region, "cn-northwest-1");
        assert!(cn.supports_fips && cn.supports_dual_stack);
    }
}

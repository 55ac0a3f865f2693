//! A deterministic, realistic GetInstances response body: every member of `Instance` (and of
//! the structures it nests) populated, values in the shapes the service returns them. As the
//! Lightsail service does, timestamps are epoch seconds in Java's `Double.toString` notation
//! (`1.700000123456E9`) and floats always carry a fraction (`4.0`).

/// splitmix64: small, fast, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn hex(&mut self, digits: usize) -> String {
        (0..digits)
            .map(|_| char::from_digit(self.below(16) as u32, 16).unwrap())
            .collect()
    }
    fn uuid(&mut self) -> String {
        format!(
            "{}-{}-{}-{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(4),
            self.hex(4),
            self.hex(12)
        )
    }
}

const ACCOUNT: &str = "123456789012";
const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ca-central-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ap-northeast-2",
];
const ROLES: &[&str] = &[
    "web", "api", "db", "worker", "cache", "build", "vpn", "mail",
];
const ENVS: &[&str] = &["prod", "staging", "dev"];
const TEAMS: &[&str] = &["platform", "payments", "search", "growth", "data"];
/// (blueprint id, blueprint name, username)
const BLUEPRINTS: &[(&str, &str, &str)] = &[
    ("ubuntu_22_04", "Ubuntu", "ubuntu"),
    ("ubuntu_24_04", "Ubuntu", "ubuntu"),
    ("amazon_linux_2023", "Amazon Linux 2023", "ec2-user"),
    ("debian_12", "Debian", "admin"),
    ("wordpress", "WordPress", "bitnami"),
    ("lamp_8_bitnami", "LAMP (PHP 8)", "bitnami"),
    (
        "windows_server_2022",
        "Windows Server 2022",
        "Administrator",
    ),
];
/// (bundle id, vCPUs, RAM in GiB as the service prints it, system disk GiB, transfer GiB)
const BUNDLES: &[(&str, i32, &str, i32, i32)] = &[
    ("nano_3_0", 2, "0.5", 20, 1024),
    ("micro_3_0", 2, "1.0", 40, 2048),
    ("small_3_0", 2, "2.0", 60, 3072),
    ("medium_3_0", 2, "4.0", 80, 4096),
    ("large_3_0", 2, "8.0", 160, 5120),
    ("xlarge_3_0", 4, "16.0", 320, 6144),
    ("2xlarge_3_0", 8, "32.0", 640, 7168),
];
/// (port, common name)
const PORTS: &[(i32, &str)] = &[
    (80, "HTTP"),
    (443, "HTTPS"),
    (3306, "MySQL/Aurora"),
    (6379, "Redis"),
];

/// A JSON writer just big enough for this: no escaping is needed for the values it writes, but
/// strings are checked.
struct W(String);

impl W {
    fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }
    fn key(&mut self, k: &str) {
        if !self.0.ends_with('{') && !self.0.ends_with('[') {
            self.0.push(',');
        }
        self.0.push('"');
        self.0.push_str(k);
        self.0.push_str("\":");
    }
    fn str(&mut self, k: &str, v: &str) {
        assert!(!v.contains(['"', '\\']) && v.chars().all(|c| c >= ' '));
        self.key(k);
        self.0.push('"');
        self.0.push_str(v);
        self.0.push('"');
    }
    fn num(&mut self, k: &str, v: impl std::fmt::Display) {
        self.key(k);
        self.0.push_str(&v.to_string());
    }
    fn bool(&mut self, k: &str, v: bool) {
        self.num(k, v);
    }
    fn obj(&mut self, k: &str, f: impl FnOnce(&mut W)) {
        self.key(k);
        self.0.push('{');
        f(self);
        self.0.push('}');
    }
    fn arr<T>(
        &mut self,
        k: &str,
        items: impl IntoIterator<Item = T>,
        mut f: impl FnMut(&mut W, T),
    ) {
        self.key(k);
        self.0.push('[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            f(self, item);
        }
        self.0.push(']');
    }
    fn strs(&mut self, k: &str, items: &[&str]) {
        self.arr(k, items, |w, s| {
            w.0.push('"');
            w.0.push_str(s);
            w.0.push('"');
        });
    }
    fn item_obj(&mut self, f: impl FnOnce(&mut W)) {
        self.0.push('{');
        f(self);
        self.0.push('}');
    }
}

/// Epoch milliseconds in Java's `Double.toString` notation for values in [1e9, 1e10) seconds:
/// `1700000123456` → `1.700000123456E9`, `1700000000000` → `1.7E9`.
fn java_epoch_seconds(millis: u64) -> String {
    let digits = millis.to_string();
    assert_eq!(digits.len(), 13);
    let fraction = digits[1..].trim_end_matches('0');
    let fraction = if fraction.is_empty() { "0" } else { fraction };
    format!("{}.{}E9", &digits[..1], fraction)
}

fn location(w: &mut W, region: &str, zone: char) {
    w.obj("location", |w| {
        w.str("availabilityZone", &format!("{region}{zone}"));
        w.str("regionName", region);
    });
}

fn tags(w: &mut W, tags: &[(&str, &str)]) {
    w.arr("tags", tags, |w, (k, v)| {
        w.item_obj(|w| {
            w.str("key", k);
            w.str("value", v);
        })
    });
}

fn auto_snapshot(w: &mut W, hour: u64) {
    w.item_obj(|w| {
        let time = format!("{hour:02}:00");
        w.str("name", "AutoSnapshot");
        w.str("status", "Enabled");
        w.str("snapshotTimeOfDay", &time);
        w.str("nextSnapshotTimeOfDay", &time);
    });
}

fn stop_on_idle(w: &mut W, threshold: u64, duration: u64) {
    w.item_obj(|w| {
        w.str("name", "StopInstanceOnIdle");
        w.str("status", "Enabled");
        w.str("threshold", &threshold.to_string());
        w.str("duration", &duration.to_string());
    });
}

struct DiskSpec<'a> {
    name: String,
    system: bool,
    size: i32,
    instance: &'a str,
    region: &'a str,
    zone: char,
    created: u64,
    tags: &'a [(&'a str, &'a str)],
    snapshot_hour: u64,
}

fn disk(w: &mut W, rng: &mut Rng, d: &DiskSpec<'_>) {
    w.item_obj(|w| {
        w.str("name", &d.name);
        w.str(
            "arn",
            &format!(
                "arn:aws:lightsail:{}:{ACCOUNT}:Disk/{}",
                d.region,
                rng.uuid()
            ),
        );
        w.str("supportCode", &format!("{ACCOUNT}/vol-0{}", rng.hex(16)));
        w.num("createdAt", java_epoch_seconds(d.created));
        location(w, d.region, d.zone);
        w.str("resourceType", "Disk");
        tags(w, d.tags);
        w.arr("addOns", [d.snapshot_hour], auto_snapshot);
        w.num("sizeInGb", d.size);
        w.bool("isSystemDisk", d.system);
        w.num("iops", (3 * d.size).max(100));
        w.str("path", if d.system { "/dev/xvda" } else { "/dev/xvdf" });
        w.str("state", "in-use");
        w.str("attachedTo", d.instance);
        w.bool("isAttached", true);
        w.str("attachmentState", "attached");
        w.num("gbInUse", 0);
        w.str(
            "autoMountStatus",
            if d.system {
                "Mounted"
            } else {
                rng.pick::<&str>(&["Mounted", "Pending", "NotMounted"])
            },
        );
    });
}

fn port(w: &mut W, from: i32, to: i32, protocol: &str, common: &str, public: bool) {
    w.item_obj(|w| {
        w.num("fromPort", from);
        w.num("toPort", to);
        w.str("protocol", protocol);
        if public {
            w.str("accessFrom", "Anywhere (0.0.0.0/0 and ::/0)");
            w.str("accessType", "Public");
        } else {
            w.str("accessFrom", "Custom");
            w.str("accessType", "Private");
        }
        w.str("commonName", common);
        w.str("accessDirection", "inbound");
        if public {
            w.strs("cidrs", &["0.0.0.0/0"]);
            w.strs("ipv6Cidrs", &["::/0"]);
        } else {
            w.strs("cidrs", &["172.26.0.0/16", "10.0.0.0/8"]);
            w.strs("ipv6Cidrs", &["2600:1f18:4a3e:c500::/56"]);
        }
        w.strs("cidrListAliases", &["lightsail-connect"]);
    });
}

fn instance(w: &mut W, rng: &mut Rng, i: usize) {
    let role = rng.pick(ROLES);
    let env = rng.pick(ENVS);
    let team = rng.pick(TEAMS);
    let region = rng.pick(REGIONS);
    let zone = *rng.pick(&['a', 'b', 'c']);
    let (blueprint_id, blueprint_name, username) = *rng.pick(BLUEPRINTS);
    let (bundle_id, cpus, ram, disk_gb, transfer) = *rng.pick(BUNDLES);
    let name = format!("{role}-{env}-{i:04}");
    let created = 1_600_000_000_000 + rng.below(150_000_000_000);
    let cost_center = format!("cc-{}", 1000 + rng.below(9000));
    let instance_tags = [
        ("Name", name.as_str()),
        ("env", env),
        ("team", team),
        ("cost-center", cost_center.as_str()),
    ];
    let instance_tags = &instance_tags[..2 + rng.below(3) as usize];
    let snapshot_hour = rng.below(24);
    let dual = rng.chance(70);

    w.item_obj(|w| {
        w.str("name", &name);
        w.str(
            "arn",
            &format!(
                "arn:aws:lightsail:{region}:{ACCOUNT}:Instance/{}",
                rng.uuid()
            ),
        );
        w.str("supportCode", &format!("{ACCOUNT}/i-0{}", rng.hex(16)));
        w.num("createdAt", java_epoch_seconds(created));
        location(w, region, zone);
        w.str("resourceType", "Instance");
        tags(w, instance_tags);
        w.str("blueprintId", blueprint_id);
        w.str("blueprintName", blueprint_name);
        w.str("bundleId", bundle_id);
        w.arr("addOns", [0, 1], |w, k| {
            if k == 0 {
                auto_snapshot(w, snapshot_hour)
            } else {
                stop_on_idle(w, 5 + rng.below(20), 15 * (1 + rng.below(8)))
            }
        });
        w.bool("isStaticIp", rng.chance(40));
        w.str(
            "privateIpAddress",
            &format!("172.26.{}.{}", rng.below(256), 1 + rng.below(254)),
        );
        w.str(
            "publicIpAddress",
            &format!(
                "{}.{}.{}.{}",
                rng.pick(&[3, 18, 34, 35, 44, 52, 54]),
                rng.below(256),
                rng.below(256),
                1 + rng.below(254)
            ),
        );
        let v6 = format!(
            "2600:1f18:4a3e:c5{:02x}:{}:{}:{}:{}",
            rng.below(256),
            rng.hex(4),
            rng.hex(4),
            rng.hex(4),
            rng.hex(4)
        );
        w.strs("ipv6Addresses", &[v6.as_str()]);
        w.str("ipAddressType", if dual { "dualstack" } else { "ipv4" });
        w.obj("hardware", |w| {
            w.num("cpuCount", cpus);
            let mut disks = vec![DiskSpec {
                name: format!("{name}-system-disk"),
                system: true,
                size: disk_gb,
                instance: &name,
                region,
                zone,
                created,
                tags: instance_tags,
                snapshot_hour,
            }];
            if rng.chance(35) {
                disks.push(DiskSpec {
                    name: format!("{name}-data-{}", rng.below(10)),
                    system: false,
                    size: *rng.pick(&[8, 32, 64, 128, 256, 512]),
                    instance: &name,
                    region,
                    zone,
                    created: created + rng.below(30_000_000_000),
                    tags: instance_tags,
                    snapshot_hour,
                });
            }
            w.arr("disks", &disks, |w, d| disk(w, rng, d));
            w.num("ramSizeInGb", ram);
        });
        w.obj("networking", |w| {
            w.obj("monthlyTransfer", |w| {
                w.num("gbPerMonthAllocated", transfer)
            });
            let extra = rng.below(PORTS.len() as u64 + 1) as usize;
            w.arr("ports", 0..1 + extra, |w, k| {
                if k == 0 {
                    port(w, 22, 22, "tcp", "SSH", true)
                } else {
                    let (p, common) = PORTS[k - 1];
                    port(w, p, p, "tcp", common, p == 80 || p == 443)
                }
            });
        });
        w.obj("state", |w| {
            let (code, state) = *rng.pick(&[
                (16, "running"),
                (16, "running"),
                (16, "running"),
                (80, "stopped"),
                (0, "pending"),
            ]);
            w.num("code", code);
            w.str("name", state);
        });
        w.str("username", username);
        w.str(
            "sshKeyName",
            &if rng.chance(50) {
                "LightsailDefaultKeyPair".to_owned()
            } else {
                format!("deploy-{team}")
            },
        );
        w.obj("metadataOptions", |w| {
            w.str("state", "applied");
            w.str(
                "httpTokens",
                if rng.chance(60) {
                    "required"
                } else {
                    "optional"
                },
            );
            w.str("httpEndpoint", "enabled");
            w.num("httpPutResponseHopLimit", 1 + rng.below(2));
            w.str(
                "httpProtocolIpv6",
                if dual { "enabled" } else { "disabled" },
            );
        });
    });
}

/// A GetInstances response body with `count` instances (the same first instances for any count).
pub fn get_instances(count: usize) -> Vec<u8> {
    let mut rng = Rng(0x0005_EED0_F1A6_u64);
    let mut w = W(String::with_capacity(count * 4096));
    w.raw("{");
    w.arr("instances", 0..count, |w, i| instance(w, &mut rng, i));
    w.str(
        "nextPageToken",
        "eyJ2IjoxLCJzIjoxNzAwMDAwMDAwLCJjIjoiQVFJQ0FIaC4uLiJ9",
    );
    w.raw("}");
    w.0.into_bytes()
}

//! Synthetic corpora for benchmarks and tests: a deterministic, seeded generator of a policy
//! of R rules and of any number of campaign files against it.
//!
//! The policy models how a real policy grows. A legal team writes a bounded core of
//! *principles* (broad deny, warn and retain rules such as "marketing needs consent or
//! legitimate interests", "special categories need explicit consent", "transfers need
//! safeguards"; at most [`MAX_CORE_RULES`]); everything else is *specific*: allow, deny, warn,
//! retain and campaign-level rules about particular data for particular purposes, brands and
//! markets. The taxonomy has a few hundred categories (depth 3 to 4, some with an extra parent
//! through `under`) and tens of purposes. Campaigns have 5 to 20 uses, mostly of data that some
//! allow rule covers, so that a realistic share of them is allowed.
//!
//! Everything is derived from the seed with a small built-in PRNG (SplitMix64), so a corpus is
//! byte-identical on every machine and with every crate version; campaign `i` does not depend
//! on how many campaigns are written.
//!
//! ```
//! let corpus = lagom::synth::Corpus::new(100, 7);
//! let policy = lagom::policy::load_texts(corpus.policy_texts()).unwrap();
//! assert_eq!(policy.rules.len(), 100);
//! assert!(corpus.campaign(0).starts_with("campaign: "));
//! ```

use std::fmt::Write as _;
use std::path::Path;

use crate::policy::PolicyText;

/// The most principle (broad) rules a generated policy has; the rest are specific.
pub const MAX_CORE_RULES: usize = 48;

/// Rules per generated rule file.
const RULES_PER_FILE: usize = 1_000;

/// SplitMix64: tiny, fast, and stable forever, unlike a library generator's stream.
#[derive(Clone, Debug)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    fn word<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.pick(items).copied().unwrap_or("x")
    }
}

const CATEGORY_ROOTS: [&str; 11] = [
    "identity",
    "contact",
    "demographic",
    "device",
    "behaviour",
    "location",
    "financial",
    "inferred",
    "content",
    "employment",
    "household",
];
const SPECIAL: [&str; 8] =
    ["health", "religion", "ethnicity", "politics", "biometric", "genetic", "sex_life", "union_membership"];
const PURPOSE_ROOTS: [&str; 6] = ["marketing", "analytics", "customer_service", "product", "research", "security"];
const WORDS: [&str; 64] = [
    "email",
    "phone",
    "address",
    "name",
    "alias",
    "account",
    "profile",
    "history",
    "score",
    "segment",
    "token",
    "cookie",
    "session",
    "event",
    "click",
    "view",
    "order",
    "basket",
    "invoice",
    "payment",
    "card",
    "income",
    "credit",
    "salary",
    "title",
    "team",
    "office",
    "family",
    "child",
    "partner",
    "pet",
    "vehicle",
    "home",
    "travel",
    "trip",
    "visit",
    "store",
    "region",
    "city",
    "postcode",
    "gps",
    "wifi",
    "beacon",
    "photo",
    "voice",
    "video",
    "message",
    "review",
    "rating",
    "survey",
    "interest",
    "affinity",
    "propensity",
    "churn",
    "loyalty",
    "tier",
    "language",
    "age",
    "gender",
    "birth",
    "device",
    "browser",
    "app",
    "screen",
];
const BASES: [&str; 6] =
    ["consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests"];
const CHANNELS: [&str; 8] = ["email", "sms", "phone", "push", "postal", "display", "social", "in_app"];
const EEA: [&str; 30] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT",
    "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];
const ELSEWHERE: [&str; 8] = ["US", "GB", "JP", "CA", "BR", "IN", "CH", "AU"];
const SOURCES: [&str; 6] = ["crm", "signup-form", "checkout", "app", "loyalty-programme", "partner_list"];
const BRANDS: usize = 50;

/// One node of a generated taxonomy.
#[derive(Clone, Debug)]
struct Taxon {
    path: String,
    depth: usize,
    children: Vec<usize>,
    under: Option<usize>,
    label: bool,
}

/// A rule's scope, kept so that campaigns can use data that some allow rule covers.
#[derive(Clone, Debug)]
struct Allow {
    categories: Vec<usize>,
}

/// A generated policy, and the campaigns that go with it.
#[derive(Clone, Debug)]
pub struct Corpus {
    seed: u64,
    categories: Vec<Taxon>,
    purposes: Vec<Taxon>,
    /// For each purpose, the allow rules whose purposes cover it.
    allows_by_purpose: Vec<Vec<Allow>>,
    files: Vec<(String, String)>,
}

impl Corpus {
    /// Generates a policy of `rules` rules from `seed`.
    pub fn new(rules: usize, seed: u64) -> Corpus {
        let mut rng = Rng::new(seed, 0);
        let categories = category_taxonomy(&mut rng);
        let purposes = purpose_taxonomy(&mut rng);
        let mut corpus = Corpus {
            seed,
            allows_by_purpose: vec![Vec::new(); purposes.len()],
            categories,
            purposes,
            files: Vec::new(),
        };
        corpus.files.push(("00-vocabulary.policy".into(), vocabulary()));
        corpus.files.push(("10-categories.policy".into(), taxonomy_text("category", &corpus.categories)));
        corpus.files.push(("20-purposes.policy".into(), taxonomy_text("purpose", &corpus.purposes)));
        let core = (rules / 4).min(MAX_CORE_RULES);
        let mut text = String::from("# Principles: broad rules that hold for every brand and market.\n\n");
        for i in 0..core {
            text.push_str(&corpus.core_rule(i));
        }
        corpus.files.push(("30-principles.policy".into(), text));
        let mut text = String::new();
        for i in 0..rules.saturating_sub(core) {
            let rule = corpus.specific_rule(&mut rng, i);
            text.push_str(&rule);
            if (i + 1) % RULES_PER_FILE == 0 {
                let n = i / RULES_PER_FILE;
                corpus.files.push((format!("40-rules-{n:03}.policy"), std::mem::take(&mut text)));
            }
        }
        if !text.is_empty() {
            let n = rules.saturating_sub(core) / RULES_PER_FILE;
            corpus.files.push((format!("40-rules-{n:03}.policy"), text));
        }
        corpus
    }

    /// The policy files: (file name, text).
    pub fn policy_files(&self) -> &[(String, String)] {
        &self.files
    }

    /// The policy files as loader input.
    pub fn policy_texts(&self) -> Vec<PolicyText> {
        self.files
            .iter()
            .map(|(name, text)| PolicyText {
                relative: name.clone(),
                display: format!("policy/{name}"),
                bytes: text.clone().into_bytes(),
            })
            .collect()
    }

    /// Where campaign `index` is written, relative to the campaigns directory.
    pub fn campaign_path(index: usize) -> String {
        format!("team-{:02}/c-{index:05}.yaml", index % 16)
    }

    /// Number of categories in the taxonomy.
    pub fn category_count(&self) -> usize {
        self.categories.len()
    }

    /// Number of purposes in the taxonomy.
    pub fn purpose_count(&self) -> usize {
        self.purposes.len()
    }

    /// Writes `DIR/policy/*.policy` and `DIR/campaigns/team-NN/c-NNNNN.yaml` for `campaigns`
    /// campaigns.
    pub fn write(&self, dir: &Path, campaigns: usize) -> std::io::Result<()> {
        let policy = dir.join("policy");
        std::fs::create_dir_all(&policy)?;
        for (name, text) in &self.files {
            std::fs::write(policy.join(name), text)?;
        }
        let root = dir.join("campaigns");
        for i in 0..campaigns {
            let path = root.join(Corpus::campaign_path(i));
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, self.campaign(i))?;
        }
        Ok(())
    }

    fn category(&self, i: usize) -> &str {
        self.categories.get(i).map_or("identity", |t| t.path.as_str())
    }

    fn purpose(&self, i: usize) -> &str {
        self.purposes.get(i).map_or("marketing", |t| t.path.as_str())
    }

    fn root_purpose(&self, name: &str) -> usize {
        self.purposes.iter().position(|t| t.path == name).unwrap_or(0)
    }

    fn core_rule(&self, i: usize) -> String {
        // Principle templates, cycled; later rounds apply the same principle to another
        // purpose root so that names and scopes stay distinct.
        let round = i / CORE_TEMPLATES;
        let root = PURPOSE_ROOTS.get(round % PURPOSE_ROOTS.len()).copied().unwrap_or("marketing");
        let cat_root = CATEGORY_ROOTS.get((i + round) % CATEGORY_ROOTS.len()).copied().unwrap_or("contact");
        let body = match i % CORE_TEMPLATES {
            0 => format!(
                "deny * for {root}\n  when basis in [contract, legal_obligation, vital_interests, public_task]\n  because \"{root} rests only on consent or legitimate interests.\"\n  cite \"GDPR Art. 6(1)\""
            ),
            1 => format!(
                "deny special for {root}\n  unless basis == consent and consent.double_opt_in\n  because \"Special categories need explicit consent.\"\n  cite \"GDPR Art. 9(2)(a)\""
            ),
            2 => format!(
                "deny campaign for {root}\n  unless rights.unsubscribe\n  because \"Every message must carry a one-click unsubscribe link.\"\n  cite \"GDPR Art. 21(2)\""
            ),
            3 => format!(
                "deny campaign for {root}\n  unless all processors (region in eea or region in adequate or safeguard in safeguards)\n  because \"Transfers outside the EEA need adequacy or safeguards.\"\n  cite \"GDPR Art. 44-46\""
            ),
            4 => format!(
                "retain * for {root} at most 36 months\n  because \"Nothing is kept longer than three years for {root}.\"\n  cite \"GDPR Art. 5(1)(e)\""
            ),
            5 => format!(
                "warn campaign for {root}\n  when audience.min_age < 18\n  because \"Campaigns that may reach minors need review.\"\n  cite \"GDPR Recital 38\""
            ),
            6 => format!(
                "deny {cat_root} for {root}\n  when audience.min_age < 16 and basis == consent\n  because \"Children under 16 cannot consent alone.\"\n  cite \"GDPR Art. 8(1)\""
            ),
            7 => format!(
                "deny * for {root}\n  when consent.withdrawal is set and not (consent.withdrawal in withdrawal_routes)\n  because \"Withdrawing consent must be as easy as giving it.\"\n  cite \"GDPR Art. 7(3)\""
            ),
            8 => format!(
                "deny campaign for {root}\n  unless rights.contact is set\n  because \"People must know whom to ask about their data.\"\n  cite \"GDPR Art. 13(1)(a)\""
            ),
            9 => format!(
                "warn * for {root}\n  when labels.review is set and labels.review == pending\n  because \"Legal review of this campaign is still pending.\"\n  cite \"Internal policy 4.2\""
            ),
            10 => format!(
                "deny {cat_root} for {root}\n  unless security.monitoring\n  because \"Access to personal data must be logged and watched.\"\n  cite \"GDPR Art. 32(1)(d)\""
            ),
            _ => format!(
                "warn campaign for {root}\n  when channels overlaps electronic_mail and not consent.double_opt_in\n  because \"Single opt-in for e-mail and SMS is weak evidence of consent.\"\n  cite \"ePrivacy Directive Art. 13(1)\""
            ),
        };
        format!("rule principle_{i:02} {{\n  {body}\n}}\n\n")
    }

    fn random_category(&self, rng: &mut Rng) -> usize {
        // Specific rules name data below the roots: a second-level group or a leaf.
        loop {
            let i = rng.below(self.categories.len());
            if self.categories.get(i).is_some_and(|t| t.depth >= 2) || self.categories.len() < 2 {
                return i;
            }
        }
    }

    fn random_purpose(&self, rng: &mut Rng) -> usize {
        if rng.percent(10) {
            let root = rng.word(&PURPOSE_ROOTS);
            return self.root_purpose(root);
        }
        loop {
            let i = rng.below(self.purposes.len());
            if self.purposes.get(i).is_some_and(|t| t.depth >= 2) || self.purposes.len() < 2 {
                return i;
            }
        }
    }

    fn specific_rule(&mut self, rng: &mut Rng, i: usize) -> String {
        let kind = rng.below(100);
        let ncat = if rng.percent(70) { 1 } else { rng.range(2, 3) };
        let mut cats: Vec<usize> = (0..ncat).map(|_| self.random_category(rng)).collect();
        cats.sort_unstable();
        cats.dedup();
        let mut purps: Vec<usize> =
            (0..if rng.percent(80) { 1 } else { 2 }).map(|_| self.random_purpose(rng)).collect();
        purps.sort_unstable();
        purps.dedup();
        let cat_text = cats.iter().map(|&c| self.category(c)).collect::<Vec<_>>().join(", ");
        let purp_text = purps.iter().map(|&p| self.purpose(p)).collect::<Vec<_>>().join(", ");
        let brand = rng.below(BRANDS);
        let (name, head, cond) = if kind < 45 {
            let cond = match rng.below(6) {
                0 | 1 => String::new(),
                2 => "when basis == consent".into(),
                3 => "when basis in [consent, legitimate_interests]".into(),
                4 => "when audience.regions within eea".into(),
                _ => "when consent.source is set or basis == contract".into(),
            };
            for &p in &purps {
                self.note_allow(&cats, p);
            }
            ("allow", format!("allow {cat_text} for {purp_text}"), cond)
        } else if kind < 65 {
            let cond = match rng.below(6) {
                0 => format!("when labels.brand == b{brand:02} and audience.min_age < 18"),
                1 => "when basis == legitimate_interests and not consent.double_opt_in".into(),
                2 => "when retention > 24 months and source == partner_list".into(),
                3 => "when channels contains phone and not rights.unsubscribe".into(),
                4 => "when audience.regions overlaps [US, IN, BR] and not any processors (safeguard in safeguards)"
                    .into(),
                _ => format!("when labels.brand == b{brand:02} and source in [partner_list, app]"),
            };
            ("deny", format!("deny {cat_text} for {purp_text}"), cond)
        } else if kind < 77 {
            let cond = match rng.below(4) {
                0 => "when audience.min_age < 21".into(),
                1 => "when channels contains sms".into(),
                2 => format!("when labels.brand == b{brand:02}"),
                _ => "when any data (category under special)".into(),
            };
            ("warn", format!("warn {cat_text} for {purp_text}"), cond)
        } else if kind < 92 {
            let months = rng.word(&["6", "12", "13", "18", "24", "30"]);
            let cond = match rng.below(3) {
                0 => String::new(),
                1 => format!("when labels.brand == b{brand:02}"),
                _ => "unless basis == consent".into(),
            };
            ("retain", format!("retain {cat_text} for {purp_text} at most {months} months"), cond)
        } else {
            let (effect, cond) = match rng.below(4) {
                0 => ("deny", format!("when labels.brand == b{brand:02} and not consent.double_opt_in")),
                1 => ("deny", "when audience.regions overlaps [US, CA] and not (any processors (dpa))".into()),
                2 => ("warn", format!("when labels.brand == b{brand:02} and channels contains push")),
                _ => ("warn", "when audience.subjects is empty".into()),
            };
            ("campaign", format!("{effect} campaign for {purp_text}"), cond)
        };
        let because = match name {
            "allow" => format!("{purp_text} may use {cat_text}."),
            "deny" => format!("{cat_text} may not be used for {purp_text} here."),
            "warn" => format!("Check how {cat_text} is used for {purp_text}."),
            "retain" => format!("{cat_text} is not kept longer for {purp_text}."),
            _ => format!("Campaign rule for {purp_text}."),
        };
        let cond = if cond.is_empty() { String::new() } else { format!("  {cond}\n") };
        format!(
            "rule {name}_{i:05} {{\n  {head}\n{cond}  because \"{because}\"\n  cite \"Policy handbook {}.{}\"\n}}\n\n",
            i % 97,
            i % 13
        )
    }

    fn note_allow(&mut self, cats: &[usize], purpose: usize) {
        let allow = Allow { categories: cats.to_vec() };
        // The rule covers the purpose and everything below it in the tree.
        let mut stack = vec![purpose];
        while let Some(p) = stack.pop() {
            if let Some(list) = self.allows_by_purpose.get_mut(p) {
                list.push(allow.clone());
            }
            if let Some(t) = self.purposes.get(p) {
                stack.extend(t.children.iter().copied());
            }
        }
    }

    /// A node at or below `node` in the tree (not following `under`).
    fn below(tax: &[Taxon], node: usize, rng: &mut Rng) -> usize {
        let mut cur = node;
        while let Some(t) = tax.get(cur) {
            if t.children.is_empty() || rng.percent(30) {
                break;
            }
            cur = t.children.get(rng.below(t.children.len())).copied().unwrap_or(cur);
        }
        cur
    }

    fn leafish_purpose(&self, rng: &mut Rng) -> usize {
        // A purpose some allow rule covers, when there is one.
        let covered: Vec<usize> = (0..self.purposes.len())
            .filter(|&p| self.allows_by_purpose.get(p).is_some_and(|a| !a.is_empty()))
            .collect();
        match rng.pick(&covered) {
            Some(&p) => p,
            None => Corpus::below(&self.purposes, self.root_purpose("marketing"), rng),
        }
    }

    fn use_category(&self, rng: &mut Rng, purpose: usize) -> usize {
        let allows = self.allows_by_purpose.get(purpose).map_or(&[][..], Vec::as_slice);
        if !allows.is_empty() && rng.percent(92) {
            if let Some(a) = rng.pick(allows) {
                if let Some(&c) = rng.pick(&a.categories) {
                    return Corpus::below(&self.categories, c, rng);
                }
            }
        }
        self.random_category(rng)
    }

    /// The text of campaign `index`.
    pub fn campaign(&self, index: usize) -> String {
        let mut rng = Rng::new(self.seed, index as u64 + 1);
        let mut s = String::with_capacity(1024);
        let purpose = self.leafish_purpose(&mut rng);
        let basis = match rng.below(20) {
            0..=15 => "consent",
            16..=18 => "legitimate_interests",
            _ => "contract",
        };
        let team = index % 16;
        let _ = writeln!(s, "campaign: c-{index:05}");
        let _ = writeln!(s, "name: Campaign {index} of team {team}");
        let _ = writeln!(s, "owner: team-{team:02}");
        let _ = writeln!(s, "purpose: {}", self.purpose(purpose));
        let _ = writeln!(s, "basis: {basis}");
        let mut channels: Vec<&str> = (0..rng.range(1, 2)).map(|_| rng.word(&CHANNELS)).collect();
        channels.dedup();
        let _ = writeln!(s, "channels: [{}]", channels.join(", "));
        let mut regions: Vec<String> = (0..rng.range(1, 3)).map(|_| format!("\"{}\"", rng.word(&EEA))).collect();
        if rng.percent(8) {
            regions.push(rng.word(&ELSEWHERE).to_string());
        }
        regions.dedup();
        let age = *rng.pick(&[18, 18, 18, 18, 16, 21, 13]).unwrap_or(&18);
        let _ = write!(
            s,
            "audience:\n  regions: [{}]\n  min_age: {age}\n  subjects: [{}]\n  segments: [\"segment-{}\"]\n",
            regions.join(", "),
            rng.word(&["customer", "subscriber", "prospect"]),
            rng.below(40)
        );
        let _ = write!(
            s,
            "consent:\n  source: signup-form-v{}\n  double_opt_in: {}\n  withdrawal: {}\n",
            rng.range(1, 5),
            rng.percent(85),
            if rng.percent(95) { "one-click-link" } else { "write-a-letter" }
        );
        s.push_str("data:\n");
        for _ in 0..rng.range(5, 20) {
            let own_purpose = if rng.percent(10) { Some(self.leafish_purpose(&mut rng)) } else { None };
            let category = self.use_category(&mut rng, own_purpose.unwrap_or(purpose));
            let _ = writeln!(s, "  - category: {}", self.category(category));
            if let Some(p) = own_purpose {
                let _ = writeln!(s, "    purpose: {}", self.purpose(p));
            }
            if rng.percent(93) {
                let _ = writeln!(s, "    retention: {} months", rng.word(&["3", "6", "12", "12", "13", "24", "36"]));
            }
            if rng.percent(70) {
                let source = if rng.percent(95) { rng.word(&SOURCES[..5]) } else { "partner_list" };
                let _ = writeln!(s, "    source: {source}");
            }
        }
        let processors = rng.below(3);
        if processors > 0 {
            s.push_str("processors:\n");
            for k in 0..processors {
                let region = if rng.percent(85) { rng.word(&EEA) } else { rng.word(&ELSEWHERE) };
                let _ = write!(s, "  - name: Vendor {k} of team {team}\n    region: \"{region}\"\n    dpa: true\n");
                if rng.percent(50) {
                    let _ = writeln!(s, "    safeguard: {}", rng.word(&["scc", "bcr"]));
                }
            }
        }
        let _ = write!(
            s,
            "security:\n  encryption: [at_rest, in_transit]\n  access: [crm-admin]\n  monitoring: {}\n",
            rng.percent(95)
        );
        let _ = write!(s, "rights:\n  unsubscribe: {}\n", rng.percent(94));
        if rng.percent(97) {
            let _ = writeln!(s, "  contact: privacy@team-{team:02}.example");
        }
        let _ = write!(
            s,
            "labels:\n  brand: b{:02}\n  tier: {}\n",
            rng.below(BRANDS),
            rng.word(&["gold", "silver", "bronze"])
        );
        if rng.percent(5) {
            s.push_str("  review: pending\n");
        }
        s
    }
}

const CORE_TEMPLATES: usize = 12;

fn vocabulary() -> String {
    let mut s = String::from("policy \"synthetic benchmark policy\" version \"1\"\n\n");
    let _ = writeln!(s, "basis {}", BASES.join(", "));
    let _ = writeln!(s, "channel {}", CHANNELS.join(", "));
    let _ = writeln!(s, "set eea = [{}]", EEA.join(", "));
    s.push_str("set adequate = [AD, AR, CA, CH, GB, IL, JP, KR, NZ, UY]\n");
    s.push_str("set safeguards = [scc, bcr]\n");
    s.push_str("set withdrawal_routes = [one-click-link, preference-centre, reply-stop, app-settings]\n");
    s.push_str("set electronic_mail = [email, sms]\n");
    s
}

fn unique_word(rng: &mut Rng, used: &[String]) -> String {
    for _ in 0..8 {
        let w = rng.word(&WORDS);
        if !used.iter().any(|u| u == w) {
            return w.to_string();
        }
    }
    let w = rng.word(&WORDS);
    let mut n = 2;
    loop {
        let candidate = format!("{w}_{n}");
        if !used.contains(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

fn add_children(tax: &mut Vec<Taxon>, parent: usize, count: usize, rng: &mut Rng) -> Vec<usize> {
    let mut names: Vec<String> = Vec::new();
    let mut ids = Vec::new();
    let (prefix, depth) = tax.get(parent).map_or((String::new(), 1), |t| (t.path.clone(), t.depth + 1));
    for _ in 0..count {
        let w = unique_word(rng, &names);
        names.push(w.clone());
        let id = tax.len();
        tax.push(Taxon {
            path: format!("{prefix}.{w}"),
            depth,
            children: Vec::new(),
            under: None,
            label: rng.percent(30),
        });
        if let Some(p) = tax.get_mut(parent) {
            p.children.push(id);
        }
        ids.push(id);
    }
    ids
}

fn root(tax: &mut Vec<Taxon>, name: &str) -> usize {
    tax.push(Taxon { path: name.into(), depth: 1, children: Vec::new(), under: None, label: true });
    tax.len() - 1
}

fn category_taxonomy(rng: &mut Rng) -> Vec<Taxon> {
    let mut tax = Vec::new();
    let special = root(&mut tax, "special");
    let mut special_children = Vec::new();
    for name in SPECIAL {
        let id = tax.len();
        tax.push(Taxon { path: format!("special.{name}"), depth: 2, children: Vec::new(), under: None, label: true });
        if let Some(s) = tax.get_mut(special) {
            s.children.push(id);
        }
        special_children.push(id);
    }
    for name in CATEGORY_ROOTS {
        let r = root(&mut tax, name);
        for child in add_children(&mut tax, r, rng.range(4, 6), rng) {
            for grandchild in add_children(&mut tax, child, rng.range(2, 4), rng) {
                if rng.percent(20) {
                    add_children(&mut tax, grandchild, rng.range(2, 3), rng);
                }
            }
        }
    }
    // Some data reveals a special category: an extra parent through `under`.
    for i in 0..tax.len() {
        let deep = tax.get(i).is_some_and(|t| t.depth >= 3);
        if deep && rng.percent(4) {
            let under = rng.pick(&special_children).copied();
            if let Some(t) = tax.get_mut(i) {
                t.under = under;
            }
        }
    }
    tax
}

fn purpose_taxonomy(rng: &mut Rng) -> Vec<Taxon> {
    let mut tax = Vec::new();
    for name in PURPOSE_ROOTS {
        let r = root(&mut tax, name);
        for child in add_children(&mut tax, r, rng.range(4, 7), rng) {
            if rng.percent(25) {
                add_children(&mut tax, child, rng.range(2, 3), rng);
            }
        }
    }
    tax
}

fn taxonomy_text(keyword: &str, tax: &[Taxon]) -> String {
    fn emit(out: &mut String, keyword: &str, tax: &[Taxon], node: usize, indent: usize) {
        let Some(t) = tax.get(node) else { return };
        let name = if indent == 0 { t.path.as_str() } else { t.path.rsplit('.').next().unwrap_or("") };
        let _ = write!(out, "{:indent$}{keyword} {name}", "", indent = indent * 2);
        if t.label {
            let _ = write!(out, " \"{}\"", name.replace('_', " "));
        }
        if let Some(u) = t.under.and_then(|u| tax.get(u)) {
            let _ = write!(out, " under {}", u.path);
        }
        if t.children.is_empty() {
            out.push('\n');
            return;
        }
        out.push_str(" {\n");
        for &c in &t.children {
            emit(out, keyword, tax, c, indent + 1);
        }
        let _ = writeln!(out, "{:indent$}}}", "", indent = indent * 2);
    }
    let mut out = String::new();
    for (i, t) in tax.iter().enumerate() {
        if t.depth == 1 {
            emit(&mut out, keyword, tax, i, 0);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn a_corpus_is_valid_and_deterministic() {
        let corpus = Corpus::new(300, 42);
        let again = Corpus::new(300, 42);
        assert_eq!(corpus.policy_files(), again.policy_files());
        assert_eq!(corpus.campaign(17), again.campaign(17));
        assert_ne!(corpus.campaign(17), Corpus::new(300, 43).campaign(17));
        let policy = match crate::policy::load_texts(corpus.policy_texts()) {
            Ok(p) => p,
            Err(e) => panic!("{:?}", e.problems),
        };
        assert_eq!(policy.rules.len(), 300);
        assert!((200..=500).contains(&policy.categories.len()), "{} categories", policy.categories.len());
        assert!((20..=99).contains(&policy.purposes.len()), "{} purposes", policy.purposes.len());
        let compiled = crate::eval::CompiledPolicy::new(policy);
        let mut allowed = 0;
        for i in 0..100 {
            let text = corpus.campaign(i);
            let file = SourceFile::new("c.yaml", text.as_str());
            let campaign = match crate::campaign::read(crate::source::FileId(0), &file, &compiled.policy) {
                Ok(c) => c,
                Err(e) => panic!("{:?}\n{text}", e.problems),
            };
            assert!((5..=20).contains(&campaign.data.len()));
            if compiled.decide(&campaign).decision == crate::eval::Decision::Allow {
                allowed += 1;
            }
        }
        assert!(allowed > 0, "no generated campaign is allowed");
    }
}

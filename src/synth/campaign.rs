//! Generated campaign files: 5 to 20 uses, mostly of data some allow rule covers.

use std::fmt::Write as _;

use super::rng::Rng;
use super::taxonomy::below;
use super::words::*;
use super::Corpus;

impl Corpus {
    fn leafish_purpose(&self, rng: &mut Rng) -> usize {
        // A purpose some allow rule covers, when there is one.
        let covered: Vec<usize> = (0..self.purposes.len())
            .filter(|&p| self.allows_by_purpose.get(p).is_some_and(|a| !a.is_empty()))
            .collect();
        match rng.pick(&covered) {
            Some(&p) => p,
            None => below(&self.purposes, self.root_purpose("marketing"), rng),
        }
    }

    fn use_category(&self, rng: &mut Rng, purpose: usize) -> usize {
        let allows = self.allows_by_purpose.get(purpose).map_or(&[][..], Vec::as_slice);
        if !allows.is_empty() && rng.percent(92) {
            if let Some(a) = rng.pick(allows) {
                if let Some(&c) = rng.pick(&a.categories) {
                    return below(&self.categories, c, rng);
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

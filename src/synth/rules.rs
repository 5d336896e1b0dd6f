//! Generated rules: the bounded core of principles and the specific rules.

use std::fmt::Write as _;

use super::rng::Rng;
use super::words::*;
use super::{Allow, Corpus};

impl Corpus {
    pub(super) fn core_rule(&self, i: usize) -> String {
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

    pub(super) fn random_category(&self, rng: &mut Rng) -> usize {
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

    pub(super) fn specific_rule(&mut self, rng: &mut Rng, i: usize) -> String {
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
}

const CORE_TEMPLATES: usize = 12;

pub(super) fn vocabulary() -> String {
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

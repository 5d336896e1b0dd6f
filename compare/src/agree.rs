//! The agreement check that comes before any timing: every engine must decide every use, and
//! every campaign's campaign-level rules, exactly as lagom does.

use cedar_policy::Decision as CedarDecision;
use lagom::eval::Decision;

use crate::cedar::Cedar;
use crate::rego::{Interpreter, Vm};
use crate::workload::{lagom_decisions, Workload};

/// How much was compared.
#[derive(Clone, Copy, Debug, Default)]
pub struct Agreement {
    /// Uses compared (each against every engine).
    pub uses: usize,
    /// Of which lagom allows.
    pub allowed: usize,
    /// (campaign, effective purpose) requests compared for campaign-level rules.
    pub campaign_requests: usize,
    /// Campaigns that a campaign-level rule blocks.
    pub campaigns_blocked: usize,
}

/// The engines under comparison.
pub struct Engines<'a> {
    /// Cedar.
    pub cedar: &'a Cedar,
    /// regorus's interpreter.
    pub interpreter: &'a mut Interpreter,
    /// regorus's RVM, when it compiled the policy.
    pub vm: Option<&'a mut Vm>,
}

const SHOWN: usize = 10;

/// Compares every decision; on any disagreement returns a report of (up to [`SHOWN`] of)
/// them.
pub fn check(w: &Workload, e: &mut Engines<'_>) -> Result<Agreement, String> {
    let mut a = Agreement::default();
    let mut problems: Vec<String> = Vec::new();
    let mut disagreements = 0usize;
    let started = std::time::Instant::now();
    for (i, c) in w.campaigns.iter().enumerate() {
        if i > 0 && i % 50 == 0 && started.elapsed().as_secs() >= 5 {
            eprintln!("    {i} of {} campaigns checked", w.campaigns.len());
        }
        let (Some(expected), Some(requests)) = (w.expected.get(i), e.cedar.requests.get(i)) else {
            return Err(format!("campaign {i} has no reference decision or no Cedar requests"));
        };
        let (lean_uses, lean_blocked) = lagom_decisions(&w.lean, c);
        let (rego_uses, rego_blocked) = e.interpreter.decisions(i).map_err(|err| format!("regorus: {err}"))?;
        let (vm_uses, vm_blocked) = match e.vm.as_deref_mut() {
            Some(vm) => {
                let (u, b) = vm.decisions(i).map_err(|err| format!("regorus RVM: {err}"))?;
                (Some(u), Some(b))
            }
            None => (None, None),
        };
        let mut problem = |what: String| {
            disagreements += 1;
            if problems.len() < SHOWN {
                problems.push(what);
            }
        };
        for (u, (decision, rules)) in expected.uses.iter().enumerate() {
            a.uses += 1;
            let want = *decision == Decision::Allow;
            a.allowed += usize::from(want);
            let resp = requests.uses.get(u).map(|r| e.cedar.respond(r));
            let cedar = resp.as_ref().map(|r| r.decision() == CedarDecision::Allow);
            let cedar_errors = resp.as_ref().map(|r| e.cedar.reasons(r).1).unwrap_or_default();
            let lean = lean_uses.get(u).map(|d| *d == Decision::Allow);
            let rego = rego_uses.get(u).copied();
            let vm = vm_uses.as_ref().map(|v| v.get(u).copied());
            let agree = lean == Some(want)
                && cedar == Some(want)
                && cedar_errors.is_empty()
                && rego == Some(want)
                && vm.is_none_or(|v| v == Some(want));
            if !agree {
                let data_use = c.data.get(u);
                let category = data_use.map_or("?", |d| w.policy.policy.category_path(d.category.value));
                let purpose = data_use
                    .and_then(|d| d.purpose.as_ref().or(c.purpose.as_ref()))
                    .map_or("?", |p| w.policy.policy.purpose_path(p.value));
                let cedar_rules = resp.as_ref().map(|r| e.cedar.reasons(r).0).unwrap_or_default();
                problem(format!(
                    "campaign {} use {u} ({category} for {purpose}): lagom {} by {rules:?}; lagom without warn rules \
                     {lean:?}; Cedar {cedar:?} by {cedar_rules:?}, errors {cedar_errors:?}; regorus {rego:?} ({}); \
                     RVM {vm:?}",
                    c.id_str(),
                    decision.as_str(),
                    e.interpreter.sets(i, Some(u)).join(", "),
                ));
            }
        }
        let want = expected.campaign_blocked();
        a.campaign_requests += requests.campaign.len();
        a.campaigns_blocked += usize::from(want);
        let cedar_blocked = requests.campaign.iter().any(|r| e.cedar.respond(r).decision() == CedarDecision::Deny);
        let cedar_errors: Vec<String> =
            requests.campaign.iter().flat_map(|r| e.cedar.reasons(&e.cedar.respond(r)).1).collect();
        if lean_blocked != want
            || cedar_blocked != want
            || !cedar_errors.is_empty()
            || rego_blocked != want
            || vm_blocked.is_some_and(|b| b != want)
        {
            let cedar_rules: Vec<String> =
                requests.campaign.iter().flat_map(|r| e.cedar.reasons(&e.cedar.respond(r)).0).collect();
            problem(format!(
                "campaign {} campaign-level: lagom blocked={want} by {:?}; lagom without warn rules {lean_blocked}; \
                 Cedar {cedar_blocked} by {cedar_rules:?}, errors {cedar_errors:?}; regorus {rego_blocked} ({}); RVM \
                 {vm_blocked:?}",
                c.id_str(),
                expected.campaign_rules,
                e.interpreter.sets(i, None).join(", "),
            ));
        }
    }
    if disagreements > 0 {
        return Err(format!(
            "{disagreements} disagreement(s) at R = {}; the first {}:\n  {}",
            w.rules,
            problems.len(),
            problems.join("\n  ")
        ));
    }
    Ok(a)
}

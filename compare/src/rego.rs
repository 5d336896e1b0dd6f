//! The policy as Rego (package `lagom`), evaluated per data use by regorus.
//!
//! * Every lagom rule becomes one or more bodies of a partial set rule: `allow contains "name"`,
//!   `deny contains "name"` (deny and retain rules) or `campaign_deny contains "name"`. A body
//!   is a conjunction, so a rule's formula is put into disjunctive normal form, one body per
//!   disjunct; `every` over a disjunction calls a helper function with one body per disjunct.
//! * Scope: the input carries the use's category and effective purpose as sets of their
//!   ancestors (`input.category_in`, `input.purpose_in`, reflexive), so "under" is a lookup.
//! * A field the campaign does not declare is absent from the input, so a test of it is
//!   undefined and its body fails, which is what "true" needs; the "not false" formulas test
//!   absence explicitly (`object.get(…, null) == null`).
//! * `allowed` is `count(deny) == 0` and `count(allow) > 0`: the per-use decision;
//!   `campaign_blocked` is `count(campaign_deny) > 0`, asked once per (campaign, purpose).
//! * Named lists become constant sets (`list_N := {…}`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::Arc;

use lagom::campaign::{Campaign, DataUse};
use lagom::policy::fields::Field;
use lagom::policy::taxonomy::{TaxonId, Taxonomy};
use lagom::policy::{CheckedPolicy, Ordering};
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::program::Program;
use regorus::rvm::vm::RegoVM;
use regorus::{Engine, Value};

use crate::cedar::effective_purposes;
use crate::fields::{self, Val, PROCESSOR_FIELDS};
use crate::logic::{always_present, Formula, Kind, Lit, Prim, Rule};

/// The per-use entry point.
pub const ALLOWED: &str = "data.lagom.allowed";
/// The per-(campaign, purpose) entry point.
pub const CAMPAIGN_BLOCKED: &str = "data.lagom.campaign_blocked";

/// Rules per Rego module, as lagom's generator puts 1,000 rules per policy file (and so that
/// every module stays within regorus's default limits of 20,000 lines and 1 MiB per file).
const RULES_PER_MODULE: usize = 1_000;

const PACKAGE: &str = "package lagom\n\nimport rego.v1\n\n";

/// The Rego modules (file name, text) of the translated rules: `lagom.rego` with the decision
/// rules, the constant sets and the helper functions, then the rules, [`RULES_PER_MODULE`] a
/// module.
pub fn policy_modules(rules: &[Rule]) -> Result<Vec<(String, String)>, String> {
    let mut e = Emitter::default();
    let mut modules = Vec::new();
    let mut seen = BTreeSet::new();
    for (n, chunk) in rules.chunks(RULES_PER_MODULE).enumerate() {
        let mut text = String::with_capacity(chunk.len() * 300);
        text.push_str(PACKAGE);
        for r in chunk {
            let set = match r.kind {
                Kind::Allow => "allow",
                Kind::Block => "deny",
                Kind::CampaignBlock => "campaign_deny",
            };
            seen.insert(set);
            let mut scope = Vec::new();
            scope.extend(e.scope("category_in", r.categories.as_deref(), "c"));
            scope.extend(e.scope("purpose_in", r.purposes.as_deref(), "p"));
            for body in e.bodies(&r.when, None)? {
                let _ = writeln!(text, "{set} contains {} if {{", string(&r.name));
                for line in scope.iter().chain(&body) {
                    let _ = writeln!(text, "\t{line}");
                }
                text.push_str("}\n\n");
            }
        }
        modules.push((format!("rules-{n:03}.rego"), text));
    }
    let mut head = String::from(PACKAGE);
    head.push_str(
        "default allowed := false\n\nallowed if {\n\tcount(deny) == 0\n\tcount(allow) > 0\n}\n\n\
         default campaign_blocked := false\n\ncampaign_blocked if count(campaign_deny) > 0\n\n",
    );
    for set in ["allow", "deny", "campaign_deny"] {
        if !seen.contains(set) {
            // The set must exist even when no rule adds to it.
            let _ = writeln!(head, "{set} contains \"\" if false\n");
        }
    }
    let mut lists: Vec<(&String, &Vec<Lit>)> = e.lists.iter().map(|(l, n)| (n, l)).collect();
    lists.sort_by_key(|(n, _)| (n.len(), n.as_str()));
    for (name, list) in lists {
        let items: Vec<String> = list.iter().map(lit).collect();
        let _ = writeln!(head, "{name} := {{{}}}\n", items.join(", "));
    }
    let mut helpers: Vec<(&String, &Vec<Vec<String>>)> = e.helpers.iter().map(|(b, n)| (n, b)).collect();
    helpers.sort_by_key(|(n, _)| (n.len(), n.as_str()));
    for (name, bodies) in helpers {
        for b in bodies {
            let _ = writeln!(head, "{name}(x) if {{\n\t{}\n}}\n", b.join("\n\t"));
        }
    }
    modules.insert(0, ("lagom.rego".to_string(), head));
    Ok(modules)
}

fn string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

fn lit(l: &Lit) -> String {
    match l {
        Lit::Text(t) => string(t),
        Lit::Bool(b) => b.to_string(),
        Lit::Int(n) => n.to_string(),
    }
}

fn complement(ord: Ordering) -> Ordering {
    match ord {
        Ordering::Lt => Ordering::Ge,
        Ordering::Le => Ordering::Gt,
        Ordering::Gt => Ordering::Le,
        Ordering::Ge => Ordering::Lt,
    }
}

/// Collects the constant sets and helper functions while rules are emitted.
#[derive(Default)]
struct Emitter {
    lists: BTreeMap<Vec<Lit>, String>,
    /// Helper functions by their bodies.
    helpers: BTreeMap<Vec<Vec<String>>, String>,
}

impl Emitter {
    fn list(&mut self, ls: &[Lit]) -> String {
        let n = self.lists.len();
        self.lists.entry(ls.to_vec()).or_insert_with(|| format!("list_{n}")).clone()
    }

    /// Scope lines: the use's category (or purpose) is under one of the targets.
    fn scope(&mut self, ancestors: &str, targets: Option<&[String]>, var: &str) -> Vec<String> {
        match targets {
            None => Vec::new(),
            Some([one]) => vec![format!("input.{ancestors}[{}]", string(one))],
            Some(many) => {
                let items: Vec<String> = many.iter().map(|t| string(t)).collect();
                vec![format!("some {var} in [{}]", items.join(", ")), format!("input.{ancestors}[{var}]")]
            }
        }
    }

    /// How a field is read, and its object and key for `object.get`.
    fn access(field: &Field, elem: Option<&str>) -> Result<(String, String, String), String> {
        Ok(match (field, elem) {
            (Field::Label(key), None) => (format!("input.labels[{}]", string(key)), "input.labels".into(), string(key)),
            (_, None) => {
                let a = fields::attribute(field)?;
                (format!("input.{a}"), "input".into(), string(a))
            }
            (_, Some(e)) => {
                let a = fields::attribute(field)?;
                (format!("{e}.{a}"), e.to_string(), string(a))
            }
        })
    }

    fn test(&mut self, field: &Field, p: &Prim, holds: bool, elem: Option<&str>) -> Result<Vec<String>, String> {
        let (v, _, _) = Emitter::access(field, elem)?;
        // A test that holds is undefined, so false, on an absent field; a failing one is written
        // positively where Rego can (`!=`, the complementary comparison, counts), else as `not`
        // after a presence check.
        let guard_and_not = |positive: String| {
            let mut lines = Vec::new();
            if !always_present(field) {
                lines.push(format!("{v} != null"));
            }
            lines.push(format!("not {positive}"));
            lines
        };
        Ok(match (p, holds) {
            (Prim::Eq(l), true) => vec![format!("{v} == {}", lit(l))],
            (Prim::Eq(l), false) => vec![format!("{v} != {}", lit(l))],
            (Prim::In(ls), true) => vec![format!("{v} in {}", self.list(ls))],
            (Prim::In(ls), false) => {
                let list = self.list(ls);
                guard_and_not(format!("{v} in {list}"))
            }
            (Prim::Cmp(ord, n), true) => vec![format!("{v} {} {n}", ord.symbol())],
            (Prim::Cmp(ord, n), false) => vec![format!("{v} {} {n}", complement(*ord).symbol())],
            (Prim::Truthy, true) => vec![format!("{v} == true")],
            (Prim::Truthy, false) => vec![format!("{v} == false")],
            (Prim::Contains(l), true) => vec![format!("{} in {v}", lit(l))],
            (Prim::Contains(l), false) => guard_and_not(format!("{} in {v}", lit(l))),
            (Prim::Within(ls), true) => vec![format!("count({v} - {}) == 0", self.list(ls))],
            (Prim::Within(ls), false) => vec![format!("count({v} - {}) > 0", self.list(ls))],
            (Prim::Overlaps(ls), true) => vec![format!("count({v} & {}) > 0", self.list(ls))],
            (Prim::Overlaps(ls), false) => vec![format!("count({v} & {}) == 0", self.list(ls))],
            (Prim::Empty, true) => vec![format!("count({v}) == 0")],
            (Prim::Empty, false) => vec![format!("count({v}) > 0")],
        })
    }

    /// The formula in disjunctive normal form: each inner list is one body's lines.
    fn bodies(&mut self, f: &Formula, elem: Option<&str>) -> Result<Vec<Vec<String>>, String> {
        Ok(match f {
            Formula::Const(true) => vec![Vec::new()],
            Formula::Const(false) => Vec::new(),
            Formula::Or(parts) => {
                let mut out = Vec::new();
                for p in parts {
                    out.extend(self.bodies(p, elem)?);
                }
                out
            }
            Formula::And(parts) => {
                let mut out = vec![Vec::new()];
                for p in parts {
                    let alternatives = self.bodies(p, elem)?;
                    let mut next = Vec::with_capacity(out.len() * alternatives.len());
                    for prefix in &out {
                        for alt in &alternatives {
                            next.push(prefix.iter().chain(alt).cloned().collect());
                        }
                    }
                    out = next;
                }
                out
            }
            Formula::Present(field) => vec![vec![format!("{} != null", Emitter::access(field, elem)?.0)]],
            Formula::Absent(field) => {
                let (_, object, key) = Emitter::access(field, elem)?;
                vec![vec![format!("object.get({object}, {key}, null) == null")]]
            }
            Formula::Test { field, prim, holds } => vec![self.test(field, prim, *holds, elem)?],
            Formula::Some { list, body } | Formula::Every { list, body } => {
                if elem.is_some() {
                    return Err("nested quantifiers are not translated".into());
                }
                let (l, _, _) = Emitter::access(list, None)?;
                let inner = self.bodies(body, Some("x"))?;
                if matches!(f, Formula::Some { .. }) {
                    inner.into_iter().map(|b| std::iter::once(format!("some x in {l}")).chain(b).collect()).collect()
                } else {
                    let check = match inner.as_slice() {
                        [] => format!("count({l}) == 0"),
                        [one] if one.is_empty() => format!("is_array({l})"),
                        [one] => format!("every x in {l} {{ {} }}", one.join("; ")),
                        many => {
                            let n = self.helpers.len();
                            let name = self.helpers.entry(many.to_vec()).or_insert_with(|| format!("each_{n}"));
                            format!("every x in {l} {{ {name}(x) }}")
                        }
                    };
                    vec![vec![format!("is_array({l})"), check]]
                }
            }
        })
    }
}

/// Reflexive ancestors of a node, as a set of paths.
fn ancestors<Id: TaxonId>(tax: &Taxonomy<Id>, id: Id) -> Value {
    let set: BTreeSet<Value> = tax
        .ids_at(tax.ancestor_bits(id).into_iter().flat_map(|s| s.ones()))
        .map(|a| Value::from(tax.path(a)))
        .collect();
    Value::from(set)
}

fn value(v: &Val<'_>) -> Option<Value> {
    Some(match v {
        Val::Absent => return None,
        Val::Text(t) => Value::from(*t),
        Val::Bool(b) => Value::from(*b),
        Val::Int(n) => Value::from(*n),
        Val::List(items) => Value::from(items.iter().map(|s| Value::from(*s)).collect::<BTreeSet<Value>>()),
    })
}

/// The input of one request: a use's (with its category) or the campaign's at one purpose.
fn input(policy: &CheckedPolicy, c: &Campaign, data_use: Option<&DataUse>, purpose: &str) -> Result<Value, String> {
    let mut m: BTreeMap<Value, Value> = BTreeMap::new();
    let pid = policy.purposes.lookup(purpose).ok_or("unknown purpose")?;
    m.insert(Value::from("purpose_in"), ancestors(&policy.purposes, pid));
    if let Some(u) = data_use {
        m.insert(Value::from("category_in"), ancestors(&policy.categories, u.category.value));
    }
    for field in fields::request_fields() {
        let f = &field;
        if let Some(v) = value(&fields::value(c, data_use, f)) {
            m.insert(Value::from(fields::attribute(f)?), v);
        }
    }
    let labels: BTreeMap<Value, Value> =
        c.labels.iter().map(|(k, v)| (Value::from(k.as_str()), Value::from(v.value.as_str()))).collect();
    m.insert(Value::from("labels"), Value::from(labels));
    if let Some(ps) = &c.processors {
        let mut list = Vec::with_capacity(ps.len());
        for p in ps {
            let mut o = BTreeMap::new();
            for f in &PROCESSOR_FIELDS {
                if let Some(v) = value(&fields::processor_value(p, f)) {
                    o.insert(Value::from(fields::attribute(f)?), v);
                }
            }
            list.push(Value::from(o));
        }
        m.insert(Value::from("processors"), Value::from(list));
    }
    Ok(Value::from(m))
}

/// One campaign's inputs (values are reference-counted: clones are cheap).
#[derive(Clone)]
pub struct Inputs {
    /// One per use, in file order.
    pub uses: Vec<Value>,
    /// One per distinct effective purpose.
    pub campaign: Vec<Value>,
}

/// Builds every campaign's inputs.
pub fn inputs(policy: &CheckedPolicy, campaigns: &[Campaign]) -> Result<Vec<Inputs>, String> {
    let mut out = Vec::with_capacity(campaigns.len());
    for c in campaigns {
        fields::check_present(c)?;
        let default_purpose = c.purpose.as_ref().map(|p| p.value).ok_or("campaign without a purpose")?;
        let mut uses = Vec::with_capacity(c.data.len());
        for u in &c.data {
            let purpose = policy.purpose_path(u.purpose.as_ref().map_or(default_purpose, |p| p.value));
            uses.push(input(policy, c, Some(u), purpose)?);
        }
        let campaign =
            effective_purposes(policy, c).into_iter().map(|p| input(policy, c, None, p)).collect::<Result<_, _>>()?;
        out.push(Inputs { uses, campaign });
    }
    Ok(out)
}

/// An engine with the modules added (parsed).
fn engine(modules: &[(String, String)]) -> Result<Engine, String> {
    let mut engine = Engine::new();
    for (name, text) in modules {
        engine.add_policy(name.clone(), text.clone()).map_err(|e| format!("regorus rejects {name}: {e}"))?;
    }
    Ok(engine)
}

/// regorus's interpreter with the policy added and prepared (its policy load).
pub fn load_interpreter(modules: &[(String, String)]) -> Result<Engine, String> {
    let mut engine = engine(modules)?;
    // Compiling an entry point runs the analysis and scheduling that evaluation needs.
    engine.compile_with_entrypoint(&ALLOWED.into()).map_err(|e| e.to_string())?;
    Ok(engine)
}

/// The policy compiled to an RVM program with both entry points (`ALLOWED` is 0).
pub fn load_rvm(modules: &[(String, String)]) -> Result<Arc<Program>, String> {
    let mut engine = engine(modules)?;
    let compiled = engine.compile_with_entrypoint(&ALLOWED.into()).map_err(|e| e.to_string())?;
    Compiler::compile_from_policy(&compiled, &[ALLOWED, CAMPAIGN_BLOCKED]).map_err(|e| e.to_string())
}

fn truth(v: Result<Value, impl std::fmt::Display>) -> Result<bool, String> {
    match v {
        Ok(Value::Bool(b)) => Ok(b),
        Ok(other) => Err(format!("expected a boolean, got {other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

/// The interpreter: `set_input` then `eval_rule` per request.
pub struct Interpreter {
    engine: Engine,
    /// Per campaign.
    pub inputs: Vec<Inputs>,
}

impl Interpreter {
    /// Loads the policy; takes the prebuilt inputs.
    pub fn new(modules: &[(String, String)], inputs: Vec<Inputs>) -> Result<Interpreter, String> {
        Ok(Interpreter { engine: load_interpreter(modules)?, inputs })
    }

    fn eval(&mut self, input: &Value, rule: &str) -> Result<bool, String> {
        self.engine.set_input(input.clone());
        truth(self.engine.eval_rule(rule.to_string()))
    }

    /// Per-use decisions (true: allowed) and whether a campaign-level rule blocks campaign `i`.
    pub fn decisions(&mut self, i: usize) -> Result<(Vec<bool>, bool), String> {
        let Some(inputs) = self.inputs.get(i) else { return Err("no such campaign".into()) };
        let (uses, campaign) = (inputs.uses.clone(), inputs.campaign.clone());
        let allowed = uses.iter().map(|v| self.eval(v, ALLOWED)).collect::<Result<Vec<_>, _>>()?;
        let mut blocked = false;
        for v in &campaign {
            blocked |= self.eval(v, CAMPAIGN_BLOCKED)?;
        }
        Ok((allowed, blocked))
    }

    /// The rules in `allow`, `deny` (use `u`) and `campaign_deny` (each purpose) of campaign `i`.
    pub fn sets(&mut self, i: usize, u: Option<usize>) -> Vec<String> {
        let Some(inputs) = self.inputs.get(i) else { return Vec::new() };
        let picked: Vec<(Value, &str)> = match u {
            Some(u) => inputs.uses.get(u).map(|v| vec![(v.clone(), "allow"), (v.clone(), "deny")]).unwrap_or_default(),
            None => inputs.campaign.iter().map(|v| (v.clone(), "campaign_deny")).collect(),
        };
        let mut out = Vec::new();
        for (v, set) in picked {
            self.engine.set_input(v);
            let r = self.engine.eval_rule(format!("data.lagom.{set}"));
            out.push(format!("{set} = {}", r.map_or_else(|e| e.to_string(), |v| v.to_json_str().unwrap_or_default())));
        }
        out
    }

    /// Blocked uses of campaign `i`, plus 1 when a campaign-level rule blocks it (the timed
    /// loop; an evaluation error counts as a block, and the agreement check has ruled errors
    /// out).
    pub fn decide(&mut self, i: usize) -> usize {
        let Some(inputs) = self.inputs.get(i) else { return 0 };
        let mut blocked = 0;
        for v in &inputs.uses {
            self.engine.set_input(v.clone());
            blocked += usize::from(!matches!(self.engine.eval_rule(ALLOWED.to_string()), Ok(Value::Bool(true))));
        }
        let mut campaign = false;
        for v in &inputs.campaign {
            self.engine.set_input(v.clone());
            campaign |= !matches!(self.engine.eval_rule(CAMPAIGN_BLOCKED.to_string()), Ok(Value::Bool(false)));
        }
        blocked + usize::from(campaign)
    }
}

/// The RVM: one VM with the program loaded; `set_input` then execute an entry point by index.
pub struct Vm {
    vm: RegoVM,
    /// Per campaign.
    pub inputs: Vec<Inputs>,
}

impl Vm {
    /// Loads the program into a VM; takes the prebuilt inputs.
    pub fn new(program: Arc<Program>, inputs: Vec<Inputs>) -> Result<Vm, String> {
        let mut vm = RegoVM::new();
        vm.load_program(program);
        // The default cap of 25,000 instructions per evaluation is a guard for untrusted
        // policies; deciding a use against thousands of rules needs more.
        vm.set_max_instructions(usize::MAX);
        vm.set_data(Value::new_object()).map_err(|e| e.to_string())?;
        Ok(Vm { vm, inputs })
    }

    fn eval(&mut self, input: &Value, entry: usize) -> Result<bool, String> {
        self.vm.set_input(input.clone());
        truth(self.vm.execute_entry_point_by_index(entry))
    }

    /// Per-use decisions (true: allowed) and whether a campaign-level rule blocks campaign `i`.
    pub fn decisions(&mut self, i: usize) -> Result<(Vec<bool>, bool), String> {
        let Some(inputs) = self.inputs.get(i) else { return Err("no such campaign".into()) };
        let (uses, campaign) = (inputs.uses.clone(), inputs.campaign.clone());
        let allowed = uses.iter().map(|v| self.eval(v, 0)).collect::<Result<Vec<_>, _>>()?;
        let mut blocked = false;
        for v in &campaign {
            blocked |= self.eval(v, 1)?;
        }
        Ok((allowed, blocked))
    }

    /// Blocked uses of campaign `i`, plus 1 when a campaign-level rule blocks it (the timed loop).
    pub fn decide(&mut self, i: usize) -> usize {
        let Some(inputs) = self.inputs.get(i) else { return 0 };
        let mut blocked = 0;
        for v in &inputs.uses {
            self.vm.set_input(v.clone());
            blocked += usize::from(!matches!(self.vm.execute_entry_point_by_index(0), Ok(Value::Bool(true))));
        }
        let mut campaign = false;
        for v in &inputs.campaign {
            self.vm.set_input(v.clone());
            campaign |= !matches!(self.vm.execute_entry_point_by_index(1), Ok(Value::Bool(false)));
        }
        blocked + usize::from(campaign)
    }
}

//! The policy as Cedar: one policy per lagom rule, taxonomies as entity hierarchies, one
//! request per data use and one per (campaign, effective purpose) for campaign-level rules.
//!
//! * Entities: `Category::"path"` and `Purpose::"path"` with their taxonomy parents (so `in`
//!   is lagom's ⊑), `Use::"campaign#i"` whose parent is the use's category, `Campaign::"id"`.
//! * Per use: principal `Campaign`, action `Action::"use"`, resource the `Use`; the context holds
//!   the effective purpose (`context.purpose`, a `Purpose` entity), the effective basis, the
//!   retention in twelfths of a day, the source, every campaign-wide field, `labels` as a
//!   record and the processors as a record of slots `p0`, `p1` (Cedar has no quantifiers).
//! * `allow` is `permit`; `deny` and `retain` are `forbid`, a retain one applying only when the
//!   retention is absent or over its limit. Forbid overrides permit and nothing permitted is
//!   denied, which is lagom's per-use decision.
//! * Per (campaign, purpose): action `Action::"campaign"`, resource the `Campaign`; one
//!   unconditional `permit` and a `forbid` per campaign-level deny rule.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid, PolicySet, Request, Response,
    RestrictedExpression,
};
use lagom::campaign::{Campaign, Processor};
use lagom::policy::fields::Field;
use lagom::policy::taxonomy::{TaxonId, Taxonomy};
use lagom::policy::{CheckedPolicy, PurposeId};

use crate::fields::{self, Val, PROCESSOR_FIELDS, PROCESSOR_SLOTS};
use crate::logic::{always_present, Formula, Kind, Lit, Prim, Rule};

/// The Cedar policy text of the translated rules.
pub fn policy_text(rules: &[Rule]) -> Result<String, String> {
    let mut out = String::with_capacity(rules.len() * 300);
    out.push_str(
        "@rule(\"campaign-level baseline\")\npermit (principal, action == Action::\"campaign\", resource);\n\n",
    );
    for r in rules {
        let effect = if r.kind == Kind::Allow { "permit" } else { "forbid" };
        let action = if r.kind == Kind::CampaignBlock { "campaign" } else { "use" };
        let mut conds = Vec::new();
        let resource = match r.categories.as_deref() {
            Some([one]) => format!("resource in {}", uid_text("Category", one)),
            Some(many) => {
                let list: Vec<String> = many.iter().map(|c| uid_text("Category", c)).collect();
                conds.push(format!("resource in [{}]", list.join(", ")));
                "resource".to_string()
            }
            None => "resource".to_string(),
        };
        match r.purposes.as_deref() {
            Some([one]) => conds.push(format!("context.purpose in {}", uid_text("Purpose", one))),
            Some(many) => {
                let list: Vec<String> = many.iter().map(|p| uid_text("Purpose", p)).collect();
                conds.push(format!("context.purpose in [{}]", list.join(", ")));
            }
            None => {}
        }
        match &r.when {
            Formula::Const(true) => {}
            f => conds.push(expr(f, None)?),
        }
        let _ =
            write!(out, "@rule({})\n{effect} (principal, action == Action::\"{action}\", {resource})", string(&r.name));
        if !conds.is_empty() {
            let _ = write!(out, "\nwhen {{ {} }}", conds.join(" && "));
        }
        out.push_str(";\n\n");
    }
    Ok(out)
}

fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn uid_text(kind: &str, id: &str) -> String {
    format!("{kind}::{}", string(id))
}

fn lit(l: &Lit) -> String {
    match l {
        Lit::Text(t) => string(t),
        Lit::Bool(b) => b.to_string(),
        Lit::Int(n) => n.to_string(),
    }
}

fn lits(ls: &[Lit]) -> String {
    format!("[{}]", ls.iter().map(lit).collect::<Vec<_>>().join(", "))
}

/// How a field is read and how its presence is tested; `elem` is the processor slot inside a
/// quantifier.
fn access(field: &Field, elem: Option<&str>) -> Result<(String, String), String> {
    Ok(match (field, elem) {
        (Field::Label(key), None) => {
            (format!("context.labels[{}]", string(key)), format!("context.labels has {}", string(key)))
        }
        (_, None) => {
            let a = fields::attribute(field)?;
            (format!("context.{a}"), format!("context has {a}"))
        }
        (_, Some(e)) => {
            let a = fields::attribute(field)?;
            (format!("{e}.{a}"), format!("{e} has {a}"))
        }
    })
}

fn prim(p: &Prim, v: &str) -> String {
    match p {
        Prim::Eq(l) => format!("{v} == {}", lit(l)),
        Prim::In(ls) => format!("{}.contains({v})", lits(ls)),
        Prim::Cmp(ord, n) => format!("{v} {} {n}", ord.symbol()),
        Prim::Truthy => format!("{v} == true"),
        Prim::Contains(l) => format!("{v}.contains({})", lit(l)),
        Prim::Within(ls) => format!("{}.containsAll({v})", lits(ls)),
        Prim::Overlaps(ls) => format!("{v}.containsAny({})", lits(ls)),
        Prim::Empty => format!("{v}.isEmpty()"),
    }
}

/// The test, or its negation.
fn test(p: &Prim, v: &str, holds: bool) -> String {
    if holds {
        prim(p, v)
    } else {
        format!("!({})", prim(p, v))
    }
}

/// The Cedar expression of a formula.
fn expr(f: &Formula, elem: Option<&str>) -> Result<String, String> {
    Ok(match f {
        Formula::Const(b) => b.to_string(),
        Formula::And(parts) => {
            let ps = parts.iter().map(|p| expr(p, elem)).collect::<Result<Vec<_>, _>>()?;
            format!("({})", ps.join(" && "))
        }
        Formula::Or(parts) => {
            // "Absent, or the test holds": the test needs no presence guard of its own.
            if let [Formula::Absent(absent), Formula::Test { field, prim: p, holds }] = parts.as_slice() {
                if absent == field {
                    let (v, has) = access(field, elem)?;
                    return Ok(format!("(!({has}) || {})", test(p, &v, *holds)));
                }
            }
            let ps = parts.iter().map(|p| expr(p, elem)).collect::<Result<Vec<_>, _>>()?;
            format!("({})", ps.join(" || "))
        }
        Formula::Present(field) => access(field, elem)?.1,
        Formula::Absent(field) => format!("!({})", access(field, elem)?.1),
        Formula::Test { field, prim: p, holds } => {
            let (v, has) = access(field, elem)?;
            if always_present(field) {
                test(p, &v, *holds)
            } else {
                format!("({has} && {})", test(p, &v, *holds))
            }
        }
        Formula::Some { list, body } | Formula::Every { list, body } => {
            if *list != Field::Processors || elem.is_some() {
                return Err(format!("quantifier over {list:?}"));
            }
            let every = matches!(f, Formula::Every { .. });
            let mut slots = Vec::new();
            for i in 0..PROCESSOR_SLOTS {
                let e = format!("context.processors.p{i}");
                let b = expr(body, Some(&e))?;
                slots.push(if every {
                    format!("(!(context.processors has p{i}) || {b})")
                } else {
                    format!("(context.processors has p{i} && {b})")
                });
            }
            let joined = slots.join(if every { " && " } else { " || " });
            format!("(context has processors && ({joined}))")
        }
    })
}

fn uid(kind: &str, id: &str) -> Result<EntityUid, String> {
    let t = EntityTypeName::from_str(kind).map_err(|e| e.to_string())?;
    Ok(EntityUid::from_type_name_and_id(t, EntityId::new(id)))
}

/// The taxonomy entities: categories and purposes with their direct parents.
pub fn taxonomy_entities(policy: &CheckedPolicy) -> Result<Vec<Entity>, String> {
    let mut out = Vec::new();
    entities_of("Category", &policy.categories, &mut out)?;
    entities_of("Purpose", &policy.purposes, &mut out)?;
    Ok(out)
}

fn entities_of<Id: TaxonId>(kind: &str, tax: &Taxonomy<Id>, out: &mut Vec<Entity>) -> Result<(), String> {
    for id in tax.ids() {
        let node = tax.node(id).ok_or("taxonomy node missing")?;
        let parents = node.parents.iter().map(|p| uid(kind, tax.path(*p))).collect::<Result<HashSet<_>, _>>()?;
        out.push(Entity::new_no_attrs(uid(kind, &node.path)?, parents));
    }
    Ok(())
}

/// Parses the policy text and builds the taxonomy entities (Cedar's policy load).
pub fn load(text: &str, taxonomy: Vec<Entity>) -> Result<(PolicySet, Entities), String> {
    let policies = PolicySet::from_str(text).map_err(|e| format!("Cedar rejects the translated policy: {e:?}"))?;
    let entities = Entities::from_entities(taxonomy, None).map_err(|e| e.to_string())?;
    Ok((policies, entities))
}

fn value(v: &Val<'_>) -> Option<RestrictedExpression> {
    Some(match v {
        Val::Absent => return None,
        Val::Text(t) => RestrictedExpression::new_string((*t).to_string()),
        Val::Bool(b) => RestrictedExpression::new_bool(*b),
        Val::Int(n) => RestrictedExpression::new_long(*n),
        Val::List(items) => {
            RestrictedExpression::new_set(items.iter().map(|s| RestrictedExpression::new_string((*s).to_string())))
        }
    })
}

fn processor_record(p: &Processor) -> Result<RestrictedExpression, String> {
    let attrs = PROCESSOR_FIELDS
        .iter()
        .filter_map(|f| value(&fields::processor_value(p, f)).map(|v| fields::attribute(f).map(|a| (a.to_string(), v))))
        .collect::<Result<Vec<_>, _>>()?;
    RestrictedExpression::new_record(attrs).map_err(|e| e.to_string())
}

/// The context of a request: the campaign's fields, a use's if there is one, the purpose.
fn context(c: &Campaign, data_use: Option<&lagom::campaign::DataUse>, purpose: &str) -> Result<Context, String> {
    let mut pairs = vec![("purpose".to_string(), RestrictedExpression::new_entity_uid(uid("Purpose", purpose)?))];
    for field in fields::request_fields() {
        let f = &field;
        if let Some(v) = value(&fields::value(c, data_use, f)) {
            pairs.push((fields::attribute(f)?.to_string(), v));
        }
    }
    let labels = c.labels.iter().map(|(k, v)| (k.clone(), RestrictedExpression::new_string(v.value.clone())));
    pairs.push(("labels".into(), RestrictedExpression::new_record(labels).map_err(|e| e.to_string())?));
    if let Some(ps) = &c.processors {
        let slots = ps
            .iter()
            .enumerate()
            .map(|(i, p)| processor_record(p).map(|r| (format!("p{i}"), r)))
            .collect::<Result<Vec<_>, _>>()?;
        pairs.push(("processors".into(), RestrictedExpression::new_record(slots).map_err(|e| e.to_string())?));
    }
    Context::from_pairs(pairs).map_err(|e| e.to_string())
}

/// One campaign's requests.
pub struct Requests {
    /// One per use, in file order.
    pub uses: Vec<Request>,
    /// One per distinct effective purpose, for the campaign-level rules.
    pub campaign: Vec<Request>,
}

/// Cedar, loaded, with every request built.
pub struct Cedar {
    /// The policies.
    pub policies: PolicySet,
    /// Taxonomy, campaign and use entities.
    pub entities: Entities,
    /// Per campaign.
    pub requests: Vec<Requests>,
    authorizer: Authorizer,
}

/// The distinct effective purposes of a campaign, as paths.
pub fn effective_purposes<'a>(policy: &'a CheckedPolicy, c: &Campaign) -> Vec<&'a str> {
    let mut ids: Vec<PurposeId> = c.purpose.iter().map(|p| p.value).collect();
    ids.extend(c.data.iter().filter_map(|u| u.purpose.as_ref()).map(|p| p.value));
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter().map(|p| policy.purposes.path(p)).collect()
}

impl Cedar {
    /// Loads the policy and builds the entities and requests for the campaigns.
    pub fn new(text: &str, policy: &CheckedPolicy, campaigns: &[Campaign]) -> Result<Cedar, String> {
        let (policies, _) = load(text, Vec::new())?;
        let mut entities = taxonomy_entities(policy)?;
        let use_action = uid("Action", "use")?;
        let campaign_action = uid("Action", "campaign")?;
        let mut requests = Vec::with_capacity(campaigns.len());
        for c in campaigns {
            fields::check_present(c)?;
            let principal = uid("Campaign", c.id_str())?;
            entities.push(Entity::new_no_attrs(principal.clone(), HashSet::new()));
            let default_purpose = c.purpose.as_ref().map(|p| p.value).ok_or("campaign without a purpose")?;
            let mut uses = Vec::with_capacity(c.data.len());
            for (i, u) in c.data.iter().enumerate() {
                let resource = uid("Use", &format!("{}#{i}", c.id_str()))?;
                let category = uid("Category", policy.category_path(u.category.value))?;
                entities.push(Entity::new_no_attrs(resource.clone(), HashSet::from([category])));
                let purpose = policy.purpose_path(u.purpose.as_ref().map_or(default_purpose, |p| p.value));
                let ctx = context(c, Some(u), purpose)?;
                uses.push(
                    Request::new(principal.clone(), use_action.clone(), resource, ctx, None)
                        .map_err(|e| e.to_string())?,
                );
            }
            let mut campaign = Vec::new();
            for purpose in effective_purposes(policy, c) {
                let ctx = context(c, None, purpose)?;
                campaign.push(
                    Request::new(principal.clone(), campaign_action.clone(), principal.clone(), ctx, None)
                        .map_err(|e| e.to_string())?,
                );
            }
            requests.push(Requests { uses, campaign });
        }
        let entities = Entities::from_entities(entities, None).map_err(|e| e.to_string())?;
        Ok(Cedar { policies, entities, requests, authorizer: Authorizer::new() })
    }

    /// The response to a request.
    pub fn respond(&self, r: &Request) -> Response {
        self.authorizer.is_authorized(r, &self.policies, &self.entities)
    }

    /// Blocked uses of campaign `i`, plus 1 when a campaign-level rule blocks it (the timed
    /// loop).
    pub fn decide(&self, i: usize) -> usize {
        let Some(rs) = self.requests.get(i) else { return 0 };
        let mut blocked = 0;
        for r in &rs.uses {
            blocked += usize::from(self.respond(r).decision() == Decision::Deny);
        }
        let mut campaign = false;
        for r in &rs.campaign {
            campaign |= self.respond(r).decision() == Decision::Deny;
        }
        blocked + usize::from(campaign)
    }

    /// The `@rule` names of the policies that determined a response, and its errors.
    pub fn reasons(&self, resp: &Response) -> (Vec<String>, Vec<String>) {
        let mut names: Vec<String> = resp
            .diagnostics()
            .reason()
            .map(|id| self.policies.annotation(id, "rule").map_or_else(|| id.to_string(), str::to_string))
            .collect();
        names.sort();
        (names, resp.diagnostics().errors().map(|e| e.to_string()).collect())
    }
}

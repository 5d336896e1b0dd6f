//! The campaign facts that Cedar requests and Rego inputs carry: one attribute per lagom field
//! that conditions can read, with the same names in both engines.

use lagom::campaign::{Campaign, DataUse, Located, Processor};
use lagom::policy::fields::{Field, CAMPAIGN_VALUE_FIELDS};

use crate::logic::always_present;

/// A field's value, engine-neutral.
#[derive(Clone, Debug)]
pub enum Val<'a> {
    /// Not declared.
    Absent,
    /// Text or symbol.
    Text(&'a str),
    /// Boolean.
    Bool(bool),
    /// Integer (durations in twelfths of a day).
    Int(i64),
    /// A list of text values.
    List(Vec<&'a str>),
}

/// The scalar and list fields every request carries (labels, processors, the purpose and the
/// category go separately): lagom's campaign-wide value fields, then the basis (the use's own
/// if it has one, else the campaign's), retention and source (per use; absent at campaign
/// level).
pub fn request_fields() -> impl Iterator<Item = Field> {
    CAMPAIGN_VALUE_FIELDS.into_iter().chain([Field::Basis, Field::Retention, Field::Source])
}

/// The processor fields.
pub const PROCESSOR_FIELDS: [Field; 4] =
    [Field::ProcessorName, Field::ProcessorRegion, Field::ProcessorSafeguard, Field::ProcessorDpa];

/// The attribute name of a field in Cedar contexts and Rego inputs (labels live in a `labels`
/// record, the effective purpose and the category are passed separately).
pub fn attribute(field: &Field) -> Result<&'static str, String> {
    Ok(match field {
        Field::Campaign => "campaign",
        Field::Name | Field::ProcessorName => "name",
        Field::Owner => "owner",
        Field::Basis => "basis",
        Field::Retention => "retention",
        Field::Source => "source",
        Field::Channels => "channels",
        Field::Regions => "regions",
        Field::MinAge => "min_age",
        Field::Subjects => "subjects",
        Field::Segments => "segments",
        Field::ConsentSource => "consent_source",
        Field::DoubleOptIn => "double_opt_in",
        Field::Withdrawal => "withdrawal",
        Field::Processors => "processors",
        Field::Encryption => "encryption",
        Field::Access => "access",
        Field::Monitoring => "monitoring",
        Field::Unsubscribe => "unsubscribe",
        Field::Contact => "contact",
        Field::RightsAccess => "rights_access",
        Field::Erasure => "erasure",
        Field::Rectification => "rectification",
        Field::ProcessorRegion => "region",
        Field::ProcessorSafeguard => "safeguard",
        Field::ProcessorDpa => "dpa",
        Field::Purpose | Field::Category | Field::Data | Field::Label(_) => {
            return Err(format!("{field:?} has no plain attribute"))
        }
    })
}

fn text(v: &Option<Located<String>>) -> Val<'_> {
    v.as_ref().map_or(Val::Absent, |l| Val::Text(&l.value))
}

fn boolean(v: &Option<Located<bool>>) -> Val<'static> {
    v.as_ref().map_or(Val::Absent, |l| Val::Bool(l.value))
}

fn list(v: &Option<Vec<Located<String>>>) -> Val<'_> {
    v.as_ref().map_or(Val::Absent, |l| Val::List(l.iter().map(|x| x.value.as_str()).collect()))
}

/// The value of a campaign-wide field, or of a per-use field of `data_use` (absent without one).
pub fn value<'a>(c: &'a Campaign, data_use: Option<&'a DataUse>, field: &Field) -> Val<'a> {
    match field {
        Field::Campaign => text(&c.id),
        Field::Name => text(&c.name),
        Field::Owner => text(&c.owner),
        Field::Channels => list(&c.channels),
        Field::Regions => list(&c.regions),
        Field::MinAge => c.min_age.as_ref().map_or(Val::Absent, |l| Val::Int(l.value)),
        Field::Subjects => list(&c.subjects),
        Field::Segments => list(&c.segments),
        Field::ConsentSource => text(&c.consent_source),
        Field::DoubleOptIn => boolean(&c.double_opt_in),
        Field::Withdrawal => text(&c.withdrawal),
        Field::Encryption => list(&c.encryption),
        Field::Access => list(&c.access),
        Field::Monitoring => boolean(&c.monitoring),
        Field::Unsubscribe => boolean(&c.unsubscribe),
        Field::Contact => text(&c.contact),
        Field::RightsAccess => text(&c.rights_access),
        Field::Erasure => text(&c.erasure),
        Field::Rectification => text(&c.rectification),
        Field::Label(key) => c.labels.get(key).map_or(Val::Absent, |l| Val::Text(&l.value)),
        Field::Retention => match data_use.and_then(|u| u.retention.as_ref()) {
            Some(r) => i64::try_from(r.value.twelfths_of_a_day).map_or(Val::Absent, Val::Int),
            None => Val::Absent,
        },
        Field::Source => data_use.map_or(Val::Absent, |u| text(&u.source)),
        Field::Basis => match data_use.and_then(|u| u.basis.as_ref()) {
            Some(b) => Val::Text(&b.value),
            None => text(&c.basis),
        },
        _ => Val::Absent,
    }
}

/// The value of a processor's field.
pub fn processor_value<'a>(p: &'a Processor, field: &Field) -> Val<'a> {
    match field {
        Field::ProcessorName => Val::Text(&p.name.value),
        Field::ProcessorRegion => text(&p.region),
        Field::ProcessorSafeguard => text(&p.safeguard),
        Field::ProcessorDpa => boolean(&p.dpa),
        _ => Val::Absent,
    }
}

/// Most processors a request can carry: Cedar has no quantifiers, so `any` / `all` over
/// processors are unrolled over this many slots. The generator writes at most 2.
pub const PROCESSOR_SLOTS: usize = 2;

/// Checks that the campaign declares every field the translations assume present, has an
/// effective purpose for every use, and has at most [`PROCESSOR_SLOTS`] processors.
pub fn check_present(c: &Campaign) -> Result<(), String> {
    let id = c.id_str();
    let mut fields: Vec<Field> = request_fields().collect();
    fields.extend([Field::Label("brand".into()), Field::Label("tier".into())]);
    for f in fields.iter().filter(|f| always_present(f)) {
        if matches!(value(c, None, f), Val::Absent) {
            return Err(format!("campaign {id} does not declare {f:?}, which the translations assume present"));
        }
    }
    if c.purpose.is_none() {
        return Err(format!("campaign {id} has no purpose"));
    }
    let processors = c.processors.as_deref().unwrap_or_default();
    if processors.len() > PROCESSOR_SLOTS {
        return Err(format!(
            "campaign {id} has {} processors; the Cedar unrolling has {PROCESSOR_SLOTS}",
            processors.len()
        ));
    }
    for p in processors {
        for f in PROCESSOR_FIELDS.iter().filter(|f| always_present(f)) {
            if matches!(processor_value(p, f), Val::Absent) {
                return Err(format!("a processor of campaign {id} does not declare {f:?}"));
            }
        }
    }
    Ok(())
}

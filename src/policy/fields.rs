//! The fixed vocabulary of campaign fields usable in conditions (spec 2.2) and their types.

use crate::diagnostic::join_list;

/// The type of a single value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarType {
    /// Free text or a free symbol (`owner`, `audience.regions` elements, labels).
    Text,
    /// `true` / `false`.
    Bool,
    /// An integer.
    Int,
    /// A retention period.
    Duration,
    /// A declared purpose.
    Purpose,
    /// A declared category.
    Category,
    /// A declared lawful basis.
    Basis,
    /// A channel (declared, when the policy declares any).
    Channel,
}

impl ScalarType {
    /// How the type is named in messages.
    pub fn describe(self) -> &'static str {
        match self {
            ScalarType::Text => "text",
            ScalarType::Bool => "true or false",
            ScalarType::Int => "a number",
            ScalarType::Duration => "a duration",
            ScalarType::Purpose => "a purpose",
            ScalarType::Category => "a category",
            ScalarType::Basis => "a lawful basis",
            ScalarType::Channel => "a channel",
        }
    }
}

/// Objects that `any` / `all` range over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    /// Elements of `processors`.
    Processor,
    /// Elements of `data`.
    DataUse,
}

/// The type of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// One value.
    Scalar(ScalarType),
    /// A list of values.
    List(ScalarType),
    /// A list of objects.
    Objects(ObjectKind),
}

impl FieldType {
    /// How the type is named in messages.
    pub fn describe(self) -> String {
        match self {
            FieldType::Scalar(s) => s.describe().to_string(),
            FieldType::List(s) => format!("a list of {}", plural(s)),
            FieldType::Objects(ObjectKind::Processor) => "a list of processors".into(),
            FieldType::Objects(ObjectKind::DataUse) => "a list of data uses".into(),
        }
    }
}

fn plural(s: ScalarType) -> &'static str {
    match s {
        ScalarType::Text => "text values",
        ScalarType::Channel => "channels",
        ScalarType::Purpose => "purposes",
        ScalarType::Category => "categories",
        ScalarType::Basis => "lawful bases",
        ScalarType::Bool => "booleans",
        ScalarType::Int => "numbers",
        ScalarType::Duration => "durations",
    }
}

/// A field of a campaign or of one data use.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// `campaign` (the id).
    Campaign,
    /// `name`.
    Name,
    /// `owner`.
    Owner,
    /// `purpose` (effective).
    Purpose,
    /// `basis` (effective).
    Basis,
    /// `category` (data use only).
    Category,
    /// `retention` (data use only).
    Retention,
    /// `source` (data use only).
    Source,
    /// `channels`.
    Channels,
    /// `audience.regions`.
    Regions,
    /// `audience.min_age`.
    MinAge,
    /// `audience.subjects`.
    Subjects,
    /// `audience.segments`.
    Segments,
    /// `consent.source`.
    ConsentSource,
    /// `consent.double_opt_in`.
    DoubleOptIn,
    /// `consent.withdrawal`.
    Withdrawal,
    /// `processors`.
    Processors,
    /// `security.encryption`.
    Encryption,
    /// `security.access`.
    Access,
    /// `security.monitoring`.
    Monitoring,
    /// `rights.unsubscribe`.
    Unsubscribe,
    /// `rights.contact`.
    Contact,
    /// `rights.access`.
    RightsAccess,
    /// `rights.erasure`.
    Erasure,
    /// `rights.rectification`.
    Rectification,
    /// `data`.
    Data,
    /// `labels.KEY`.
    Label(String),
    /// `name` of a processor.
    ProcessorName,
    /// `region` of a processor.
    ProcessorRegion,
    /// `safeguard` of a processor.
    ProcessorSafeguard,
    /// `dpa` of a processor.
    ProcessorDpa,
}

/// The campaign-wide fields that hold one value or a list of texts: every field of a campaign
/// but `purpose` and `basis` (which a use may override), `processors`, `data` and labels.
pub const CAMPAIGN_VALUE_FIELDS: [Field; 19] = [
    Field::Campaign,
    Field::Name,
    Field::Owner,
    Field::Channels,
    Field::Regions,
    Field::MinAge,
    Field::Subjects,
    Field::Segments,
    Field::ConsentSource,
    Field::DoubleOptIn,
    Field::Withdrawal,
    Field::Encryption,
    Field::Access,
    Field::Monitoring,
    Field::Unsubscribe,
    Field::Contact,
    Field::RightsAccess,
    Field::Erasure,
    Field::Rectification,
];

/// Where a condition is evaluated, which decides the fields it may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// A per-use rule.
    Use,
    /// A campaign-level rule.
    Campaign,
    /// Inside `any processors (…)`.
    Processor,
    /// Inside `any data (…)`.
    DataUse,
}

const TOP: [(&str, Field, FieldType); 25] = {
    use FieldType::{List, Objects, Scalar};
    use ScalarType::*;
    [
        ("campaign", Field::Campaign, Scalar(Text)),
        ("name", Field::Name, Scalar(Text)),
        ("owner", Field::Owner, Scalar(Text)),
        ("purpose", Field::Purpose, Scalar(Purpose)),
        ("basis", Field::Basis, Scalar(Basis)),
        ("category", Field::Category, Scalar(Category)),
        ("retention", Field::Retention, Scalar(Duration)),
        ("source", Field::Source, Scalar(Text)),
        ("channels", Field::Channels, List(Channel)),
        ("audience.regions", Field::Regions, List(Text)),
        ("audience.min_age", Field::MinAge, Scalar(Int)),
        ("audience.subjects", Field::Subjects, List(Text)),
        ("audience.segments", Field::Segments, List(Text)),
        ("consent.source", Field::ConsentSource, Scalar(Text)),
        ("consent.double_opt_in", Field::DoubleOptIn, Scalar(Bool)),
        ("consent.withdrawal", Field::Withdrawal, Scalar(Text)),
        ("processors", Field::Processors, Objects(ObjectKind::Processor)),
        ("security.encryption", Field::Encryption, List(Text)),
        ("security.access", Field::Access, List(Text)),
        ("security.monitoring", Field::Monitoring, Scalar(Bool)),
        ("rights.unsubscribe", Field::Unsubscribe, Scalar(Bool)),
        ("rights.contact", Field::Contact, Scalar(Text)),
        ("rights.access", Field::RightsAccess, Scalar(Text)),
        ("rights.erasure", Field::Erasure, Scalar(Text)),
        ("rights.rectification", Field::Rectification, Scalar(Text)),
    ]
};

const PROCESSOR: [(&str, Field, FieldType); 4] = [
    ("name", Field::ProcessorName, FieldType::Scalar(ScalarType::Text)),
    ("region", Field::ProcessorRegion, FieldType::Scalar(ScalarType::Text)),
    ("safeguard", Field::ProcessorSafeguard, FieldType::Scalar(ScalarType::Text)),
    ("dpa", Field::ProcessorDpa, FieldType::Scalar(ScalarType::Bool)),
];

const DATA_USE: [(&str, Field, FieldType); 5] = [
    ("category", Field::Category, FieldType::Scalar(ScalarType::Category)),
    ("purpose", Field::Purpose, FieldType::Scalar(ScalarType::Purpose)),
    ("basis", Field::Basis, FieldType::Scalar(ScalarType::Basis)),
    ("retention", Field::Retention, FieldType::Scalar(ScalarType::Duration)),
    ("source", Field::Source, FieldType::Scalar(ScalarType::Text)),
];

impl Field {
    /// The field as a condition names it: `audience.regions`, `labels.lia`, a processor's
    /// `region`.
    pub fn path(&self) -> String {
        if let Field::Label(key) = self {
            return format!("labels.{key}");
        }
        if *self == Field::Data {
            return "data".into();
        }
        let named = TOP.iter().chain(&PROCESSOR).find(|(_, f, _)| f == self);
        named.map_or_else(String::new, |(name, _, _)| (*name).to_string())
    }

    /// The field as a campaign file's keys lead to it, for messages about a campaign's value:
    /// [`Field::path`], but a processor's `region` is `processors.region`.
    pub fn campaign_key(&self) -> String {
        match self {
            Field::ProcessorName | Field::ProcessorRegion | Field::ProcessorSafeguard | Field::ProcessorDpa => {
                format!("processors.{}", self.path())
            }
            _ => self.path(),
        }
    }
}

/// Why a field path cannot be used where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldError {
    /// No such field; the fields of the context, with their types, for the help.
    Unknown(Vec<(&'static str, FieldType)>),
    /// A per-use field in a campaign-level rule.
    UseOnly,
}

/// Resolves a field path in a context.
pub fn resolve(path: &str, ctx: Context) -> Result<(Field, FieldType), FieldError> {
    let table: &[(&str, Field, FieldType)] = match ctx {
        Context::Use | Context::Campaign => &TOP,
        Context::Processor => &PROCESSOR,
        Context::DataUse => &DATA_USE,
    };
    if let Some((_, field, ty)) = table.iter().find(|(name, _, _)| *name == path) {
        if ctx == Context::Campaign && matches!(field, Field::Category | Field::Retention | Field::Source) {
            return Err(FieldError::UseOnly);
        }
        return Ok((field.clone(), *ty));
    }
    if path == "data" && matches!(ctx, Context::Use | Context::Campaign) {
        return Ok((Field::Data, FieldType::Objects(ObjectKind::DataUse)));
    }
    if let Some(key) = path.strip_prefix("labels.") {
        if matches!(ctx, Context::Use | Context::Campaign) && !key.is_empty() && !key.contains('.') {
            return Ok((Field::Label(key.to_string()), FieldType::Scalar(ScalarType::Text)));
        }
    }
    let mut names: Vec<(&'static str, FieldType)> = table.iter().map(|(n, _, t)| (*n, *t)).collect();
    if matches!(ctx, Context::Use | Context::Campaign) {
        names.push(("data", FieldType::Objects(ObjectKind::DataUse)));
    }
    Err(FieldError::Unknown(names))
}

/// What the place a field is named in needs of it, so that an unknown field is only ever
/// told a field that fits there: `unless rights.optout` needs true or false, and was told
/// `rights.contact` (text), whose `is set` then let a campaign with `unsubscribe: false` pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Any field (`is set`, `==` with a word or text).
    Any,
    /// A field of this one type (`rights.x` alone: a boolean; `> 5`: a number).
    Scalar(ScalarType),
    /// A list of values (`contains`, `within`, `overlaps`).
    List,
    /// A list (`is empty`).
    AnyList,
    /// A list of objects (`any` / `all`).
    Objects,
    /// A category or purpose (`under`).
    Taxonomy,
}

impl Need {
    /// Whether a field of type `ty` may stand where this is needed.
    pub fn fits(self, ty: FieldType) -> bool {
        match self {
            Need::Any => true,
            Need::Scalar(s) => ty == FieldType::Scalar(s),
            Need::List => matches!(ty, FieldType::List(_)),
            Need::AnyList => matches!(ty, FieldType::List(_) | FieldType::Objects(_)),
            Need::Objects => matches!(ty, FieldType::Objects(_)),
            Need::Taxonomy => {
                matches!(ty, FieldType::Scalar(ScalarType::Category) | FieldType::Scalar(ScalarType::Purpose))
            }
        }
    }
}

impl Need {
    /// What is needed, in words, for a help line; `None` for any field.
    fn describe(self) -> Option<String> {
        match self {
            Need::Any => None,
            Need::Scalar(s) => Some(s.describe().to_string()),
            Need::List | Need::AnyList => Some("a list".into()),
            Need::Objects => Some("a list of objects".into()),
            Need::Taxonomy => Some("a category or purpose".into()),
        }
    }
}

/// The help line for an unknown field, given the fields of its context: the fields it
/// misspells that fit where it stands (all of them, when several do), else the fields of
/// its section with their types. A field is never suggested for looking alike alone: a
/// different word (`rights.optout` is not `rights.contact`, `rights.deletion` not
/// `rights.rectification`) is a different right, and following such a help changes what
/// the rule tests.
pub fn unknown_help(text: &str, need: Need, fields: &[(&'static str, FieldType)]) -> String {
    // `region == US`, `dpa == false` outside `any processors (…)`: a field of each processor,
    // which no look-alike of the campaign's (`audience.regions`, a list) replaces.
    if !text.contains('.') && resolve(text, Context::Processor).is_ok() && resolve(text, Context::Use).is_err() {
        let also = if text == "region" {
            "; the campaign's own regions are the list `audience.regions`, tested with `contains` (`audience.regions contains …`)"
        } else {
            ""
        };
        return format!(
            "`{text}` is a field of each processor: test it inside `any processors ({text} …)` for some processor, \
             or `all processors (…)` for every one (`not all processors ({text} …)`: not every one){also}"
        );
    }
    let quoted = |names: &[&str]| join_list(&names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>(), "or");
    let fitting: Vec<&str> = fields.iter().filter(|(_, t)| need.fits(*t)).map(|(n, _)| *n).collect();
    let close: Vec<&str> = fitting.iter().copied().filter(|f| is_misspelling(text, f)).collect();
    if !close.is_empty() {
        return format!("did you mean {}?", quoted(&close));
    }
    let last = |f: &'static str| f.rsplit_once('.').map(|(_, l)| l);
    if let Some((_, leaf)) = text.rsplit_once('.') {
        let moved: Vec<&str> = fitting.iter().copied().filter(|f| last(f) == Some(leaf)).collect();
        if !moved.is_empty() {
            return format!("did you mean {}? `{leaf}` is a field of another section", quoted(&moved));
        }
    } else {
        let full: Vec<&str> =
            fitting.iter().copied().filter(|f| last(f).is_some_and(|l| is_misspelling(text, l))).collect();
        if !full.is_empty() {
            return format!("did you mean {}? A field of a section is written with the section's name", quoted(&full));
        }
    }
    let needs = need.describe().map(|n| format!("; here it needs one that is {n}")).unwrap_or_default();
    let typed = |names: &[&(&str, FieldType)]| {
        names.iter().map(|(n, t)| format!("`{n}` ({})", t.describe())).collect::<Vec<_>>().join(", ")
    };
    if let Some((section, _)) = text.split_once('.') {
        let sections = ["audience", "consent", "security", "rights"];
        if let Some(section) = sections.iter().find(|s| is_misspelling(section, s)) {
            let of: Vec<&(&str, FieldType)> =
                fields.iter().filter(|(n, _)| n.split_once('.').is_some_and(|(s, _)| s == *section)).collect();
            return format!("the fields of `{section}` are: {}{needs}", typed(&of));
        }
    }
    let fit: Vec<&(&str, FieldType)> = fields.iter().filter(|(_, t)| need.fits(*t)).collect();
    match need.describe() {
        Some(n) if !fit.is_empty() && fit.len() <= 8 => {
            let names: Vec<String> = fit.iter().map(|(f, _)| format!("`{f}`")).collect();
            format!("the fields that are {n}: {}", names.join(", "))
        }
        _ if fields.len() <= 8 => format!("the fields are: {}", typed(&fields.iter().collect::<Vec<_>>())),
        _ => format!(
            "use one of the {} fields (`audience.…`, `consent.…`, `security.…`, `rights.…` and `labels.KEY` among \
             them){needs}",
            fields.len()
        ),
    }
}

/// Words one or two edits from a word of the field names that mean something else: a field
/// written with one of them (`rights.subscribe`, `rights.contract`, `consent.double_opt_out`,
/// `dpo`) is a different thing asked for, not a misspelling, and is never told the field it
/// looks like. The vocabulary is fixed, so its near neighbours can be listed.
const OTHER_WORDS: [&str; 21] = [
    "subscribe",
    "subscribed",
    "subscription",
    "out",
    "contract",
    "contracts",
    "detention",
    "decryption",
    "dpo",
    "ratification",
    "objects",
    "course",
    "legion",
    "legions",
    "withdrawn",
    "date",
    "dates",
    "max",
    "game",
    "same",
    "sender",
];

/// Whether `written` is a misspelling of the field `field`: each dot-separated part at most
/// one edit from the field's (two for a part of eight characters or more), two at most in
/// all, and no word of it one of `OTHER_WORDS` or another word of the field names.
pub(crate) fn is_misspelling(written: &str, field: &str) -> bool {
    let (written, field) = (written.to_lowercase(), field.to_lowercase());
    let (parts, field_parts): (Vec<&str>, Vec<&str>) = (written.split('.').collect(), field.split('.').collect());
    if parts.len() != field_parts.len() {
        return false;
    }
    let mut total = 0;
    for (w, f) in parts.iter().zip(&field_parts) {
        if w == f {
            continue;
        }
        let edits = strsim::osa_distance(w, f);
        let allowed = if f.chars().count() >= 8 { 2 } else { 1 };
        if edits > allowed || other_word(w, f) {
            return false;
        }
        total += edits;
    }
    total <= 2
}

/// Whether a part written has a word (split at `_` and `-`) that is not the field part's and
/// means something else: one of [`OTHER_WORDS`], or a word of another field's name.
fn other_word(written: &str, field: &str) -> bool {
    // A word and its plural are one word: `audience.region` is `audience.regions` misspelt.
    let same = |a: &str, b: &str| a == b || a.strip_suffix('s') == Some(b) || b.strip_suffix('s') == Some(a);
    let field_words: Vec<&str> = field.split(['_', '-']).collect();
    let vocabulary = || TOP.iter().chain(&PROCESSOR).chain(&DATA_USE).flat_map(|(n, _, _)| n.split(['.', '_']));
    written
        .split(['_', '-'])
        .filter(|w| !field_words.iter().any(|f| same(w, f)))
        .any(|w| OTHER_WORDS.contains(&w) || vocabulary().any(|v| same(w, v)))
}

/// Whether a word is one other languages use for "no value" (`null`, `nil`, `undefined`, in
/// any case). The language has none: a missing field is tested with `is not set`, and
/// `field == null` compares with the text "null" (a lint warns), or is a type error on a field
/// that holds no text.
pub fn is_null_word(word: &str) -> bool {
    ["null", "nil", "undefined"].iter().any(|n| word.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn use_only_fields_are_rejected_at_campaign_level() {
        assert_eq!(resolve("retention", Context::Campaign), Err(FieldError::UseOnly));
        assert!(resolve("retention", Context::Use).is_ok());
    }

    #[test]
    fn every_field_has_the_path_that_resolves_to_it() {
        let fields = TOP
            .iter()
            .map(|(_, f, _)| (f, Context::Use))
            .chain(PROCESSOR.iter().map(|(_, f, _)| (f, Context::Processor)));
        for (field, ctx) in fields.chain([(&Field::Data, Context::Use), (&Field::Label("lia".into()), Context::Use)]) {
            assert_eq!(resolve(&field.path(), ctx).map(|r| r.0).as_ref(), Ok(field));
        }
    }

    #[test]
    fn labels_take_any_key_and_elements_have_their_own_fields() {
        assert_eq!(resolve("labels.lia", Context::Use).map(|r| r.0), Ok(Field::Label("lia".into())));
        assert_eq!(resolve("region", Context::Processor).map(|r| r.0), Ok(Field::ProcessorRegion));
        assert!(matches!(resolve("region", Context::Use), Err(FieldError::Unknown(_))));
    }

    fn help(text: &str, need: Need) -> String {
        match resolve(text, Context::Use) {
            Err(FieldError::Unknown(fields)) => unknown_help(text, need, &fields),
            other => panic!("{text} resolved: {other:?}"),
        }
    }

    /// Following "did you mean `rights.contact`?" for `unless rights.optout`, and then
    /// "compare it, e.g. `rights.contact is set`", let a campaign with `unsubscribe: false`
    /// pass: a field that differs in meaning is never suggested, only listed with its type.
    #[test]
    fn a_field_of_another_meaning_is_never_suggested() {
        let bare = Need::Scalar(ScalarType::Bool);
        for (text, need) in [
            ("rights.optout", bare),
            ("rights.opt_out", bare),
            ("rights.deletion", Need::Any),
            ("consent.optin", bare),
            ("rights.subscribe", bare),
            ("rights.contract", Need::Any),
            ("consent.double_opt_out", bare),
        ] {
            let help = help(text, need);
            assert!(!help.starts_with("did you mean"), "{text}: {help}");
            assert!(help.starts_with("the fields of `"), "{text}: {help}");
        }
        assert_eq!(
            help("rights.optout", bare),
            "the fields of `rights` are: `rights.unsubscribe` (true or false), `rights.contact` (text), \
             `rights.access` (text), `rights.erasure` (text), `rights.rectification` (text); here it needs one \
             that is true or false"
        );
    }

    /// A processor's field named outside `any processors (…)` is told so, not a campaign
    /// field that looks alike (`audience.regions`, a list) or unrelated true/false fields.
    #[test]
    fn a_processor_field_outside_its_list_is_told_where_it_belongs() {
        let fields = match resolve("x", Context::Use) {
            Err(FieldError::Unknown(f)) => f,
            _ => panic!("x resolved"),
        };
        for (name, need) in [("region", Need::Any), ("dpa", Need::Scalar(ScalarType::Bool))] {
            let help = unknown_help(name, need, &fields);
            assert!(help.starts_with(&format!("`{name}` is a field of each processor")), "{help}");
            assert!(help.contains(&format!("any processors ({name} …)")), "{help}");
        }
        assert!(unknown_help("region", Need::Any, &fields).contains("audience.regions contains"));
    }

    /// A real misspelling is still told its field, but only one that fits the test.
    #[test]
    fn a_misspelt_field_is_told_the_field_that_fits_the_test() {
        let bare = Need::Scalar(ScalarType::Bool);
        assert_eq!(help("rights.unsubscrib", bare), "did you mean `rights.unsubscribe`?");
        assert_eq!(help("rigths.unsubscribe", bare), "did you mean `rights.unsubscribe`?");
        assert_eq!(help("audience.min_ag", Need::Scalar(ScalarType::Int)), "did you mean `audience.min_age`?");
        assert_eq!(help("audience.region", Need::List), "did you mean `audience.regions`?");
        assert_eq!(help("consent.double_optin", bare), "did you mean `consent.double_opt_in`?");
        // `rights.acess` alone is a text: no boolean is one edit away, so none is told.
        assert!(help("rights.acess", bare).starts_with("the fields of `rights`"));
        assert_eq!(help("rights.acess", Need::Any), "did you mean `rights.access`?");
    }

    #[test]
    fn misspellings_are_small_edits_of_the_same_words() {
        assert!(is_misspelling("rights.unsubscibe", "rights.unsubscribe"));
        assert!(is_misspelling("Rights.Unsubscribe", "rights.unsubscribe"));
        assert!(!is_misspelling("rights.optout", "rights.contact"));
        assert!(!is_misspelling("rights.dpo", "rights.dpa"));
        assert!(!is_misspelling("audience.max_age", "audience.min_age"));
        assert!(!is_misspelling("rights.rectification", "rights.ratification"));
        assert!(is_misspelling("audience.region", "audience.regions"));
    }
}

//! The fixed vocabulary of campaign fields usable in conditions (spec 2.2) and their types.

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
    /// No such field; the candidates for a suggestion.
    Unknown(Vec<&'static str>),
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
    let mut names: Vec<&'static str> = table.iter().map(|(n, _, _)| *n).collect();
    if matches!(ctx, Context::Use | Context::Campaign) {
        names.push("data");
    }
    Err(FieldError::Unknown(names))
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
}

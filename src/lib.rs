//! lagom: policy-as-code for marketing data.
//!
//! The pipeline, one module per stage:
//! text → [`syntax`] (AST with spans) → [`policy`] (checked policy) → [`eval`] (compiled
//! policy, decisions) → [`report`] (human, JSON, SARIF, JUnit, GitHub; explain and diff
//! traces). [`campaign`] reads campaign YAML against a checked policy and [`batch`] runs many
//! campaign files at once; [`lint`], [`fmt`], [`suite`] and [`diff`] serve policy authors.
//!
//! ```
//! use lagom::source::SourceFile;
//! let text = br#"
//! policy "demo"
//! basis consent
//! category contact { category email }
//! purpose marketing { purpose newsletter }
//! rule newsletter { allow contact.email for marketing.newsletter when basis == consent }
//! "#;
//! let policy = lagom::policy::load_texts(vec![lagom::policy::PolicyText {
//!     relative: "demo.policy".into(), display: "demo.policy".into(), bytes: text.to_vec(),
//! }]).unwrap();
//! let compiled = lagom::eval::CompiledPolicy::new(policy);
//! let mut sources = compiled.policy.sources.clone();
//! let yaml = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n";
//! let file = SourceFile::new("c.yaml", yaml);
//! let campaign = lagom::campaign::read(sources.add(file.clone()), &file, &compiled.policy).unwrap();
//! let decision = compiled.decide(&campaign);
//! assert_eq!(decision.decision, lagom::eval::Decision::Allow);
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::string_slice)
)]
// `print!` and `eprint!` panic on a closed pipe; the library returns text and never prints.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]
#![warn(missing_docs, unreachable_pub)]

pub mod batch;
pub mod campaign;
pub(crate) mod chars;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod files;
pub mod fmt;
pub mod lint;
pub mod policy;
pub mod report;
pub mod source;
pub mod suite;
pub mod syntax;
pub mod synth;

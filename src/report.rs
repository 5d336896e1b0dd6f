//! Stage 6: decisions and problems to text. The only code that formats for people or tools;
//! it never re-derives a decision.

mod chunks;
pub mod diff;
pub mod explain;
pub mod github;
pub mod human;
pub mod items;
pub mod json;
pub mod junit;
mod message;
mod pretty;
pub mod sarif;
pub mod schema;
pub mod suite;

pub use message::{finding_message, retention_text, Summary};

//! Stage 6: decisions and problems to text. The only code that formats for people or tools;
//! it never re-derives a decision.

pub mod diff;
pub mod human;
pub mod json;
mod message;
pub mod suite;

pub use message::{finding_message, Summary};

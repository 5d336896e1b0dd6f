//! Stage 1: policy text to an abstract syntax tree with spans, and nothing else. Names are not
//! resolved and types are not checked here; `policy` does that.

pub mod ast;
mod code;
pub mod comments;
mod errors;
mod parser;
mod pieces;
pub mod spanless;

pub use parser::parse_file;

/// The limit on nesting of expressions and taxonomy braces, so hostile input cannot exhaust
/// the stack of the parser or of later recursive stages.
pub const MAX_NESTING: usize = 64;

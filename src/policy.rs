//! Stage 2: parsed files to a checked policy: name resolution, the taxonomy DAG, type checking.

mod check;
pub mod fields;
mod load;
pub mod model;
mod scope_size;
mod sets;
pub mod taxonomy;
mod typecheck;

pub use check::MAX_TAXONOMY_NODES;
pub use load::{
    is_policy_file, load_default, load_paths, load_paths_with_limit, load_texts, reads, LeftOut, PolicyError,
    PolicyText, MAX_POLICY_FILE_BYTES, MAX_POLICY_TOTAL_BYTES,
};
pub(crate) use load::{not_utf8, POLICY_EXTENSIONS, POLICY_FILE};
pub use model::*;
pub use scope_size::MAX_SCOPE_PAIRS;

//! Streaming a run's report: campaigns are rendered in parallel a chunk at a time (as the
//! results hand them over, decided) and written in file order, so a report of any size is
//! never held whole.

use rayon::prelude::*;

use crate::batch::{CampaignResult, Results, Tally};

/// Renders every campaign with `render` (in parallel) and hands the parts to `write` in order;
/// returns the results' tally of every campaign written.
pub(super) fn write_chunked<T: Send>(
    results: &dyn Results,
    render: impl Fn(&CampaignResult) -> T + Sync,
    mut write: impl FnMut(T) -> std::io::Result<()>,
) -> std::io::Result<Tally> {
    results.each_chunk(&mut |chunk| {
        let parts: Vec<T> = chunk.par_iter().map(&render).collect();
        parts.into_iter().try_for_each(&mut write)
    })
}

//! Streaming a batch's report: campaigns are rendered in parallel a chunk at a time and
//! written in file order, so a report of any size is never held whole.

use rayon::prelude::*;

use crate::batch::CampaignResult;

/// Campaigns rendered at once: enough for every core, few enough to keep memory flat however
/// many campaigns a run has.
const CAMPAIGNS_PER_CHUNK: usize = 256;

/// Renders every campaign with `render` (in parallel) and hands the parts to `write` in order.
pub(super) fn write_chunked<T: Send>(
    results: &[CampaignResult],
    render: impl Fn(&CampaignResult) -> T + Sync,
    mut write: impl FnMut(T) -> std::io::Result<()>,
) -> std::io::Result<()> {
    for chunk in results.chunks(CAMPAIGNS_PER_CHUNK) {
        let parts: Vec<T> = chunk.par_iter().map(&render).collect();
        parts.into_iter().try_for_each(&mut write)?;
    }
    Ok(())
}

//! Stages 4 and 5: the checked policy compiled into a rule index, and the decision procedure
//! of spec section 3. Pure: no I/O, no text formatting.

mod campaign_index;
mod compile;
mod condition;
mod decide;
pub mod decision;
mod evidence;
mod explain;
mod facts;
mod index;
mod limit;
pub mod oracle;
mod program;
mod spelling;
mod truth;

pub use compile::{CompiledPolicy, FEW_CAMPAIGNS};
pub(crate) use condition::test_value;
pub use condition::{NoObserver, Observe, Val};
pub use decide::{Applied, CampaignVerdict, UseVerdict};
pub use decision::*;
pub use explain::{
    Closeness, Connective, Explanation, NearMiss, RuleTrace, RuleVerdict, Seen, TestTrace, TraceNode, UseTrace,
};
pub use facts::Facts;
pub use limit::{TooLarge, MAX_CAMPAIGN_PAIRS};
pub use spelling::ComparedTexts;
pub use truth::Truth;

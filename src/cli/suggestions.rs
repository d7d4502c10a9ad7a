//! The actions a command shows go through the ledger: recorded once per episode, and the
//! held-back ones left out of what is printed.

use super::Context;
use crate::domain::Scores;
use crate::store::{ShownActions, Store};

/// Records the first `max` shown actions of each of `scores` and keeps only the shown ones in
/// their `actions`.
pub fn show_through_ledger(
    ctx: &Context,
    store: &Store,
    mut scores: Vec<&mut Scores>,
    max: usize,
) -> anyhow::Result<()> {
    let shown: Vec<ShownActions> = scores
        .iter()
        .map(|s| ShownActions {
            contact: s.contact_id,
            stage: s.stage,
            actions: s.actions.clone(),
            max,
        })
        .collect();
    let visible = store.record_shown(ctx.today, &shown)?;
    for (s, actions) in scores.iter_mut().zip(visible) {
        s.actions = actions;
    }
    Ok(())
}

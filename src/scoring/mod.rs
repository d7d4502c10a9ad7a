//! The scoring engine: pure functions from contact histories to scores (see docs/scoring.md for
//! every definition). No SQL and no terminal here; the store feeds histories in and persists
//! `Models` (as JSON) and `Scores`.

mod churn_fit;
mod churn_text;
mod engine;
mod exact;
mod kmeans;
mod segment_names;
mod segments_fit;
mod stats;
mod summary;

pub mod beta;
pub mod calibration;
pub mod churn;
pub mod clv;
pub mod evaluate;
pub mod evaluate_lists;
pub mod features;
pub mod items;
pub mod ledger;
pub mod lifecycle;
pub mod loyalty;
pub mod optimise;
pub mod overview;
pub mod rhythm;
pub mod satisfaction;
pub mod segments;
pub mod similarity;
pub mod spend;
mod stage_moves;

pub use churn::ChurnModel;
pub use engine::{
    fit, fit_with_previous, score, score_all, Fitter, ModelQuality, Models, MODEL_FORMAT,
};
pub use features::{features, Features};
pub use items::ItemModel;
pub use rhythm::Rhythm;
pub use segments::{Segment, SegmentModel};
pub use similarity::{cosine, most_alike, similar_clients, BasketScorer};
pub use stats::auc;
pub use summary::{summarise_segments, SegmentSummary};

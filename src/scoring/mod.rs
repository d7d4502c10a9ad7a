//! The scoring engine: pure functions from contact histories to scores (see DESIGN.md, "Scores —
//! exact definitions"). No SQL and no terminal here; the store feeds histories in and persists
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
pub mod churn;
pub mod clv;
pub mod evaluate;
pub mod features;
pub mod items;
pub mod ledger;
pub mod lifecycle;
pub mod loyalty;
pub mod satisfaction;
pub mod segments;
pub mod similarity;

pub use churn::ChurnModel;
pub use engine::{fit, fit_with_previous, score, score_all, Fitter, ModelQuality, Models};
pub use features::{features, Features};
pub use items::ItemModel;
pub use segments::{Segment, SegmentModel};
pub use similarity::{cosine, similar_clients};
pub use stats::auc;
pub use summary::{summarise_segments, SegmentSummary};

//! The engine: `fit` learns the models over everyone; `score` rates one contact from its own
//! history and the stored models only, so an incremental re-score after a new purchase or
//! feedback entry is exactly what a full re-score with the same models would give.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::domain::{ChurnSource, ContactHistory, ContactId, Scores};

use super::calibration::Calibration;
use super::churn::ChurnModel;
use super::churn_fit::{churn_example, fit_churn, ChurnExample};
use super::churn_text::lead_text;
use super::clv::{clv, purchase_days_a_year, ClvInputs};
use super::features::{features, Features};
use super::items::{fit_items, items_of, Baskets, ItemModel};
use super::lifecycle::{stage, StageInputs};
use super::loyalty::loyalty;
use super::rhythm::{Rhythm, Window};
use super::segments::{rfm_point, SegmentModel};
use super::segments_fit::fit_segments;
use super::spend::{SpendModel, SpendSample};
use crate::domain::Reason;

/// Models saved in an older shape than this are refitted rather than read (their numbers mean
/// something else: format 2 is the rhythm-relative churn window and the spend model).
pub const MODEL_FORMAT: u32 = 2;

/// How good the fitted models are, for the UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelQuality {
    pub churn_source: ChurnSource,
    /// Held-out AUC of the churn model (None for the rule or a one-class hold-out).
    pub churn_auc: Option<f64>,
    /// Held-out AUC of "days since last purchase" alone: what the model has to beat.
    pub churn_baseline_auc: Option<f64>,
    /// Labelled clients the churn model learnt from.
    pub churn_training_size: usize,
    /// Share of those who did not buy again within the horizon.
    pub churn_rate: Option<f64>,
    /// Why the rule is used (empty for a fitted model).
    pub churn_note: String,
    /// Held-out calibration of the churn probabilities.
    pub churn_calibration: Option<Calibration>,
    /// The business's typical days between purchases, which windows and stages are measured in.
    pub typical_interval_days: f64,
    pub silhouette: Option<f64>,
    pub inertia: Option<f64>,
    /// Number of segments (0 before anyone has bought).
    pub k: usize,
    /// Items in the recommendation model.
    pub items: usize,
}

/// Everything `score` needs, stored by the store as JSON (see `to_json` / `from_json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Models {
    /// The shape these models were saved in (see [`MODEL_FORMAT`]); 0 for the first versions.
    #[serde(default)]
    pub format: u32,
    /// Set by the store when saved; 0 until then.
    pub version: i64,
    pub fitted_as_of: NaiveDate,
    /// Contacts the models were fitted over.
    pub training_size: usize,
    pub segments: SegmentModel,
    pub churn: ChurnModel,
    pub spend: SpendModel,
    pub items: ItemModel,
    pub quality: ModelQuality,
}

impl Models {
    /// JSON text in which every model number survives the round trip exactly.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("models contain only serialisable plain data")
    }

    /// Whether saved models are in this version's shape, without parsing them all: `format` is
    /// the first field serialised.
    pub fn is_current(text: &str) -> bool {
        text.starts_with(&format!("{{\"format\":{},", MODEL_FORMAT))
    }

    pub fn from_json(text: &str) -> Result<Models, String> {
        let models: Models = serde_json::from_str(text)
            .map_err(|e| format!("stored models cannot be read ({}); refit them", e))?;
        if models.format != MODEL_FORMAT {
            return Err(format!(
                "the stored models were fitted by another version of Rapport (format {}, this one reads {}); refit them",
                models.format, MODEL_FORMAT
            ));
        }
        Ok(models)
    }
}

/// Full refit over everyone, as of `today` (later events are ignored).
pub fn fit(histories: &[ContactHistory], today: NaiveDate, cfg: &Config) -> Models {
    fit_with_previous(histories, today, cfg, None)
}

/// Full refit that keeps segment ids of `previous` for the clusters that match them.
pub fn fit_with_previous(
    histories: &[ContactHistory],
    today: NaiveDate,
    cfg: &Config,
    previous: Option<&Models>,
) -> Models {
    let rhythm = Rhythm::learn(histories.iter().map(|h| {
        let f = features(h, today, cfg);
        (f.interval_mean, f.frequency)
    }));
    let mut fitter = Fitter::new(today, cfg, rhythm);
    histories.iter().for_each(|h| fitter.add(h));
    fitter.finish(previous)
}

/// Gathers what the models learn from, one client at a time, so a refit never has to hold every
/// history at once (100,000 clients are about ten million interactions).
pub struct Fitter<'c> {
    today: NaiveDate,
    cfg: &'c Config,
    window: Window,
    spend: Vec<SpendSample>,
    /// What scoring each client needs, so a refit reads the histories once.
    clients: Vec<Scorable>,
    churn: Vec<ChurnExample>,
    /// Buyers' log-RFM points as of today, with their contact.
    rfm: Vec<(ContactId, [f64; 3])>,
    baskets: Baskets,
}

impl<'c> Fitter<'c> {
    /// A fitter for `today`; `rhythm` is the business's, learnt beforehand (it sets every
    /// client's training window, see [`Rhythm::learn`] and [`Rhythm::from_spans`]).
    pub fn new(today: NaiveDate, cfg: &'c Config, rhythm: Rhythm) -> Self {
        Fitter {
            today,
            cfg,
            window: Window::new(&cfg.churn, rhythm),
            spend: Vec::new(),
            clients: Vec::new(),
            churn: Vec::new(),
            rfm: Vec::new(),
            baskets: Baskets::default(),
        }
    }

    pub fn add(&mut self, h: &ContactHistory) {
        self.churn
            .extend(churn_example(h, self.today, &self.window, self.cfg));
        let features = features(h, self.today, self.cfg);
        if !features.is_lead() {
            self.spend.push(SpendSample {
                contact_id: h.contact_id,
                days: features.frequency,
                mean: features.avg_spend / 100.0,
            });
        }
        if let Some(p) = rfm_point(&features) {
            self.rfm.push((h.contact_id, p));
        }
        let items = self.baskets.add(h, self.today);
        self.clients.push(Scorable {
            contact_id: h.contact_id,
            features,
            items,
        });
    }

    /// Fits the models on every client added.
    pub fn finish(&mut self, previous: Option<&Models>) -> Models {
        // Contact-id order makes every fit independent of the order clients were added in.
        self.churn.sort_by_key(|e| e.contact_id);
        self.rfm.sort_by_key(|(id, _)| *id);
        self.spend.sort_by_key(|s| s.contact_id);
        let (today, cfg) = (self.today, self.cfg);
        let churn = fit_churn(&self.churn, self.window, cfg);
        let spend = SpendModel::fit(&self.spend);
        let (ids, points): (Vec<ContactId>, Vec<[f64; 3]>) = self.rfm.iter().copied().unzip();
        let segments = fit_segments(&points, &ids, &cfg.segments, previous.map(|m| &m.segments));
        let items = fit_items(&self.baskets);
        Models {
            format: MODEL_FORMAT,
            version: 0,
            fitted_as_of: today,
            training_size: self.clients.len(),
            quality: ModelQuality {
                churn_source: churn.model.source,
                churn_auc: churn.auc,
                churn_baseline_auc: churn.baseline_auc,
                churn_training_size: churn.labelled,
                churn_rate: churn.churn_rate,
                churn_note: churn.model.note.clone(),
                churn_calibration: churn.calibration,
                typical_interval_days: self.window.rhythm.typical_interval_days,
                silhouette: segments.silhouette,
                inertia: segments.inertia,
                k: segments.k,
                items: items.items.len(),
            },
            segments: segments.model,
            churn: churn.model,
            spend,
            items,
        }
    }

    /// Every client added, scored with `models`: what [`score`] gives from their histories.
    pub fn scores<'a>(&'a self, models: &'a Models) -> impl Iterator<Item = Scores> + 'a {
        self.clients.iter().map(|c| {
            let owned = self.baskets.names_of(&c.items);
            score_features(c.contact_id, &c.features, &owned, models, self.cfg)
        })
    }
}

/// One client's scoring inputs as of the fit date.
struct Scorable {
    contact_id: ContactId,
    features: Features,
    items: Vec<u32>,
}

/// Scores one contact as of `today` from its own history and the stored models; cost is linear
/// in that contact's history and independent of everyone else.
pub fn score(history: &ContactHistory, models: &Models, today: NaiveDate, cfg: &Config) -> Scores {
    let f = features(history, today, cfg);
    score_features(
        history.contact_id,
        &f,
        &items_of(history, today),
        models,
        cfg,
    )
}

/// Full re-score: every contact with the same stored models.
pub fn score_all(
    histories: &[ContactHistory],
    models: &Models,
    today: NaiveDate,
    cfg: &Config,
) -> Vec<Scores> {
    histories
        .iter()
        .map(|h| score(h, models, today, cfg))
        .collect()
}

fn score_features(
    contact_id: ContactId,
    f: &Features,
    owned_items: &[&str],
    models: &Models,
    cfg: &Config,
) -> Scores {
    let churn = models.churn.estimate(f);
    let loyalty = loyalty(f, &cfg.loyalty);
    let rhythm = models.churn.window.rhythm;
    let rhythm_days = rhythm.of_client(f);
    let clv = match &churn {
        Some(c) => clv(
            ClvInputs {
                spend_per_day: models.spend.expected(f.frequency, f.avg_spend / 100.0),
                purchase_days_a_year: purchase_days_a_year(
                    f.frequency,
                    f.tenure_days,
                    rhythm.typical_interval_days,
                ),
                churn_probability: c.probability,
            },
            &cfg.clv,
        ),
        None => 0.0,
    };
    let stage = stage(
        StageInputs {
            recency_days: f.recency_days,
            tenure_days: f.tenure_days,
            churn_probability: churn.as_ref().map(|c| c.probability),
            loyalty,
            rhythm_days,
            typical_interval_days: rhythm.typical_interval_days,
            usual_interval_days: f.interval_mean,
            satisfaction: f.satisfaction,
        },
        &cfg.stages,
        &cfg.churn,
    );
    let segment = models.segments.predict(f);
    let reasons = match &churn {
        Some(c) => c.reasons.clone(),
        None => vec![Reason {
            feature: "lead".into(),
            weight: 0.0,
            text: lead_text(f, cfg.stages.lead_follow_up_days),
        }],
    };
    Scores {
        contact_id,
        as_of: f.as_of,
        model_version: models.version,
        stage,
        segment_id: segment.map(|s| s.id),
        segment_name: segment.map(|s| s.name.clone()),
        churn_probability: churn.as_ref().map(|c| c.probability),
        churn_window_days: churn.as_ref().map(|c| c.window_days),
        churn_source: models.churn.source,
        clv,
        satisfaction: f.satisfaction,
        loyalty,
        recency_days: f.recency_days,
        frequency: i64::from(f.frequency),
        monetary: f.monetary,
        usual_interval_days: f.interval_mean,
        churn_reasons: reasons,
        actions: cfg.actions.for_stage(stage).to_vec(),
        next_offer: models.items.offer_for(owned_items),
    }
}

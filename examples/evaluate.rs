//! Rapport's churn and CLV rankings on data with a known future, against the baselines they have
//! to beat and against a BG/NBD model (Fader, Hardie & Lee 2005), printed as a Markdown table.
//!
//! The models are fitted as of a cutoff, everyone is scored as of that day, and the rankings are
//! checked against what really happened next:
//! - churn: ROC AUC of "no purchase in the 90 days after the cutoff" (clients with a purchase
//!   before it); baseline: days since the last purchase;
//! - CLV: share of all next-year revenue captured by the top 10 % of clients; baseline: total spent
//!   so far.
//!
//! ```text
//! cargo run --release --example evaluate                       # demo, 10,000 contacts
//! cargo run --release --example evaluate -- --contacts 2000 --seed 3
//! cargo run --release --example evaluate -- --retail           # retail-like log (see below)
//! cargo run --release --example evaluate -- --retail --cohort  # the CDNOW design (see below)
//! cargo run --release --example evaluate -- --log purchases.csv [--cutoff 2011-03-09]
//! ```
//!
//! `--log` reads a real purchase log: a CSV file with a header naming a customer column
//! (`customer`, `customer_id`, `Customer ID`, `CustomerID`, `client`, `contact`), a date column
//! (`date`, `InvoiceDate`, `order_date`, `occurred_at`; `YYYY-MM-DD[ hh:mm]`, `YYYYMMDD` or
//! `M/D/YYYY[ h:mm]`) and either an amount column (`amount`, `revenue`, `sales`, `total`,
//! `value`) or `Quantity` × `Price`/`UnitPrice`, in major units. Rows without a customer are
//! skipped (guest checkouts) and so are negative rows (returns and cancellations, which are not
//! visits); zero-amount rows and several rows on one day are kept, as the CRM would keep them.
//! The CDNOW master file (`id YYYYMMDD quantity amount`, whitespace-separated, no header) is
//! read as well. The default cutoff is one year before the last date, so the whole revenue year
//! is observed (the CDNOW study cuts at `--cutoff 1997-09-30`).
//!
//! `--retail` generates a log by the BG/NBD process itself with the parameters published for the
//! CDNOW data (r = 0.243, α = 4.414, a = 0.793, b = 2.426, weeks) and gamma–gamma spend, customers
//! arriving over two years, each visit split into several line items and a few zero-amount rows:
//! the conditions under which BG/NBD is the true model, so it is the hard case for Rapport.
//! With `--cohort` every customer makes a first purchase in the first 12 weeks of a 78-week log
//! cut at week 39, as in the CDNOW study (so "next-year revenue" covers 39 weeks).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use chrono::{Duration, NaiveDate};
use clap::Parser;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rapport::config::Config;
use rapport::demo::history::{histories, purchases_of};
use rapport::demo::{generate, simulate_future, DemoContact, DemoSpec};
use rapport::domain::{ContactHistory, PurchaseEvent};
use rapport::scoring::evaluate::{
    as_of, evaluate_fitted, outcome_after, roc_auc, top_share, Comparison, Evaluation, Outcome,
    FIXED_HORIZON_DAYS, REVENUE_DAYS, TOP_FRACTION,
};
use rapport::scoring::fit;
use rapport::scoring::optimise::{ln_gamma, minimise};

#[derive(Parser)]
#[command(about = "Rapport's churn and CLV rankings against baselines and BG/NBD")]
struct Args {
    /// Contacts to generate (demo and --retail).
    #[arg(long, default_value_t = 10_000)]
    contacts: usize,
    /// Generator seed (demo and --retail).
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Generate a retail-like purchase log by the BG/NBD process instead of the demo.
    #[arg(long, conflicts_with = "log")]
    retail: bool,
    /// With --retail: one cohort, first purchases in weeks 1–12, cutoff at week 39 of 78.
    #[arg(long, requires = "retail")]
    cohort: bool,
    /// Evaluate on a real purchase log (CSV with a header).
    #[arg(long)]
    log: Option<PathBuf>,
    /// Cutoff date for --log (default: one year before the last date).
    #[arg(long)]
    cutoff: Option<NaiveDate>,
}

/// Histories as of the cutoff and what each client did after it.
struct Data {
    title: String,
    cutoff: NaiveDate,
    past: Vec<ContactHistory>,
    outcomes: Vec<Outcome>,
    /// Days of the revenue window the data actually covers.
    revenue_days_seen: i64,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let cfg = Config::default();
    let data = if let Some(path) = &args.log {
        from_log(path, args.cutoff)?
    } else if args.retail {
        let cutoff = NaiveDate::from_ymd_opt(2026, 6, 30).expect("valid date");
        let (start, arrivals, end) = if args.cohort {
            (
                cutoff - Duration::weeks(39),
                84,
                cutoff + Duration::weeks(39),
            )
        } else {
            let end = cutoff + Duration::days(i64::from(REVENUE_DAYS));
            (cutoff - Duration::days(730), 730, end)
        };
        let title = format!(
            "retail-like log by the BG/NBD process{}, {} customers (seed {})",
            if args.cohort {
                " (one cohort, CDNOW design)"
            } else {
                ""
            },
            args.contacts,
            args.seed
        );
        let log = retail_log(args.contacts, args.seed, start, arrivals, end);
        split(title, group_log(log), cutoff, Some(end))
    } else {
        from_demo(args.contacts, args.seed, &cfg)
    };

    let started = Instant::now();
    let models = fit(&data.past, data.cutoff, &cfg);
    let fit_seconds = started.elapsed().as_secs_f64();
    let seen = u32::try_from(data.revenue_days_seen).unwrap_or(REVENUE_DAYS);
    let e = evaluate_fitted(&data.past, &data.outcomes, &models, data.cutoff, &cfg, seen);

    let started = Instant::now();
    let bg = BgNbd::evaluate(&data, &e);
    let bg_seconds = started.elapsed().as_secs_f64();

    print_report(&data, &e, &bg, fit_seconds, bg_seconds, &models.quality);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Data sources

fn from_demo(contacts: usize, seed: u64, cfg: &Config) -> Data {
    let spec = DemoSpec {
        contacts,
        seed,
        today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date"),
        dimensions: cfg
            .dimension_names()
            .into_iter()
            .map(String::from)
            .collect(),
    };
    let cutoff = spec.today;
    let until = cutoff + Duration::days(i64::from(REVENUE_DAYS));
    let people: Vec<DemoContact> = generate(&spec).collect();
    let outcomes = people
        .iter()
        .map(|c| {
            let future = purchases_of(&simulate_future(c, &spec, until));
            outcome_after(&future, cutoff, FIXED_HORIZON_DAYS, REVENUE_DAYS)
        })
        .collect();
    let past = histories(&people)
        .iter()
        .map(|h| as_of(h, cutoff))
        .collect();
    Data {
        title: format!("demo, {contacts} contacts (seed {seed}), future from simulate_future"),
        cutoff,
        past,
        outcomes,
        revenue_days_seen: i64::from(REVENUE_DAYS),
    }
}

/// One purchase row of a log: customer key, date, amount in minor units.
type Row = (String, NaiveDate, i64);

/// Whole purchase histories per customer (date-ordered), in order of first appearance.
fn group_log(rows: Vec<Row>) -> Vec<ContactHistory> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<ContactHistory> = Vec::new();
    for (customer, date, amount) in rows {
        let i = *index.entry(customer).or_insert_with(|| {
            out.push(ContactHistory {
                contact_id: out.len() as i64 + 1,
                ..Default::default()
            });
            out.len() - 1
        });
        out[i].purchases.push(PurchaseEvent {
            date,
            amount,
            item: None,
        });
    }
    for h in &mut out {
        h.purchases.sort_by_key(|p| p.date);
        h.created_on = h.purchases.first().map(|p| p.date);
    }
    out
}

/// Histories as of the cutoff (default: a year before the last purchase) and their outcomes.
fn split(
    title: String,
    full: Vec<ContactHistory>,
    cutoff: NaiveDate,
    last: Option<NaiveDate>,
) -> Data {
    let outcomes = full
        .iter()
        .map(|h| outcome_after(&h.purchases, cutoff, FIXED_HORIZON_DAYS, REVENUE_DAYS))
        .collect();
    let past = full.iter().map(|h| as_of(h, cutoff)).collect();
    let seen = last.map_or(i64::from(REVENUE_DAYS), |l| {
        (l - cutoff).num_days().min(i64::from(REVENUE_DAYS))
    });
    Data {
        title,
        cutoff,
        past,
        outcomes,
        revenue_days_seen: seen,
    }
}

fn from_log(path: &PathBuf, cutoff: Option<NaiveDate>) -> Result<Data> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let log = read_log(&String::from_utf8_lossy(&bytes))?;
    let Some(last) = log.rows.iter().map(|r| r.1).max() else {
        bail!("{} holds no purchase with a customer", path.display());
    };
    let cutoff = cutoff.unwrap_or(last - Duration::days(i64::from(REVENUE_DAYS)));
    let title = format!(
        "{}: {} rows kept ({} zero-amount), {} without a customer and {} returns skipped",
        path.display(),
        log.rows.len(),
        log.zero,
        log.guests,
        log.returns
    );
    Ok(split(title, group_log(log.rows), cutoff, Some(last)))
}

/// The purchase rows of a log and what was left out.
#[derive(Debug, Default)]
struct Log {
    rows: Vec<Row>,
    /// Rows without a customer (skipped).
    guests: usize,
    /// Negative rows: returns and cancellations (skipped).
    returns: usize,
    /// Zero-amount rows (kept).
    zero: usize,
}

impl Log {
    fn push(&mut self, customer: &str, day: NaiveDate, major: f64) {
        if customer.is_empty() {
            self.guests += 1;
            return;
        }
        let minor = (major * 100.0).round() as i64;
        if minor < 0 {
            self.returns += 1;
            return;
        }
        self.zero += usize::from(minor == 0);
        // "12346.0" and "12346" are the same customer.
        let key = customer.strip_suffix(".0").unwrap_or(customer);
        self.rows.push((key.to_string(), day, minor));
    }
}

/// A CSV log with a header, or the CDNOW master file (`id YYYYMMDD quantity amount`, no header).
fn read_log(text: &str) -> Result<Log> {
    let is_cdnow_row = |line: &str| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        fields.len() == 4 && fields[1].len() == 8 && fields[1].bytes().all(|b| b.is_ascii_digit())
    };
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    if is_cdnow_row(first) {
        return read_cdnow(text);
    }
    // The copy inside the `lifetimes` package starts with a header line of its own.
    if first.split_whitespace().next() == Some("customer_id")
        && lines.next().is_some_and(is_cdnow_row)
    {
        return read_cdnow(&text[first.len()..]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| {
            h.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .collect();
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let customer = find(&[
        "customer",
        "customerid",
        "client",
        "clientid",
        "contact",
        "contactid",
        "userid",
    ])
    .context("no customer column (customer, customer_id, Customer ID, client, contact)")?;
    let date = find(&[
        "date",
        "invoicedate",
        "orderdate",
        "occurredat",
        "timestamp",
    ])
    .context("no date column (date, InvoiceDate, order_date, occurred_at)")?;
    let amount = find(&["amount", "revenue", "sales", "total", "value", "spend"]);
    let quantity = find(&["quantity", "qty"]);
    let price = find(&["price", "unitprice"]);
    if amount.is_none() && (quantity.is_none() || price.is_none()) {
        bail!("no amount column (amount, revenue, total) and no Quantity with Price");
    }
    let mut log = Log::default();
    for (line, record) in reader.records().enumerate() {
        let record = record?;
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let number = |i: usize| -> Result<f64> {
            field(i)
                .parse::<f64>()
                .with_context(|| format!("row {}: '{}' is not a number", line + 2, field(i)))
        };
        let major = match amount {
            Some(a) => number(a)?,
            None => number(quantity.expect("checked"))? * number(price.expect("checked"))?,
        };
        let day = parse_date(field(date))
            .with_context(|| format!("row {}: cannot read the date '{}'", line + 2, field(date)))?;
        log.push(field(customer), day, major);
    }
    Ok(log)
}

fn read_cdnow(text: &str) -> Result<Log> {
    let mut log = Log::default();
    for (line, row) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let fields: Vec<&str> = row.split_whitespace().collect();
        let (Some(id), Some(day), Some(amount)) = (fields.first(), fields.get(1), fields.get(3))
        else {
            bail!("line {}: expected 'id YYYYMMDD quantity amount'", line + 1);
        };
        let day = parse_date(day)
            .with_context(|| format!("line {}: cannot read the date '{day}'", line + 1))?;
        let major: f64 = amount
            .parse()
            .with_context(|| format!("line {}: '{amount}' is not a number", line + 1))?;
        log.push(id.trim_start_matches('0'), day, major);
    }
    Ok(log)
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    let day = text.split([' ', 'T']).next()?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(day, "%Y%m%d"))
        .or_else(|_| NaiveDate::parse_from_str(day, "%m/%d/%Y"))
        .ok()
}

// ---------------------------------------------------------------------------------------------
// A retail-like log drawn from the BG/NBD process (CDNOW parameters, in weeks)

const CDNOW: [f64; 4] = [0.243, 4.414, 0.793, 2.426];
/// Gamma–gamma spend (Fader, Hardie & Lee 2005b, CDNOW): p, q, γ, in major units.
const SPEND: [f64; 3] = [6.25, 3.74, 15.44];

fn normal(rng: &mut StdRng) -> f64 {
    let (u, v): (f64, f64) = (rng.gen::<f64>().max(1e-300), rng.gen());
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Gamma(shape, scale 1) by Marsaglia & Tsang, boosted for shape < 1.
fn gamma(rng: &mut StdRng, shape: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.gen::<f64>().max(1e-300);
        return gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u: f64 = rng.gen::<f64>().max(1e-300);
        if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// Purchases from `start` to `end` of customers whose first purchase falls in the first
/// `arrivals` days.
fn retail_log(
    customers: usize,
    seed: u64,
    start: NaiveDate,
    arrivals: u32,
    end: NaiveDate,
) -> Vec<Row> {
    let mut rng = StdRng::seed_from_u64(seed);
    let [r, alpha, a, b] = CDNOW;
    let [p, q, g] = SPEND;
    let mut rows = Vec::new();
    for c in 0..customers {
        let per_day = gamma(&mut rng, r) / alpha / 7.0;
        let (x, y) = (gamma(&mut rng, a), gamma(&mut rng, b));
        let drop = x / (x + y);
        let nu = gamma(&mut rng, q) / g;
        let mut t = rng.gen_range(0.0..f64::from(arrivals));
        let span = (end - start).num_days() as f64;
        let mut repeat = false;
        while t <= span {
            let day = start + Duration::days(t as i64);
            let spend = gamma(&mut rng, p) / nu;
            let lines = rng.gen_range(1..=4);
            for _ in 0..lines {
                let share = spend / f64::from(lines);
                rows.push((c.to_string(), day, (share * 100.0).round() as i64));
            }
            if rng.gen_bool(0.03) {
                rows.push((c.to_string(), day, 0));
            }
            // BG/NBD: dropping out is possible after each repeat purchase, not after the first.
            if (repeat && rng.gen::<f64>() < drop) || per_day <= 0.0 {
                break;
            }
            repeat = true;
            t += -rng.gen::<f64>().max(1e-300).ln() / per_day;
        }
    }
    rows
}

// ---------------------------------------------------------------------------------------------
// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"), time in weeks

/// Repeat-purchase summary of one buyer as of the cutoff; a purchase day is one transaction.
#[derive(Clone, Copy)]
struct Rfm {
    /// Repeat purchase days.
    x: f64,
    /// Weeks from the first to the last purchase day.
    t_x: f64,
    /// Weeks from the first purchase day to the cutoff.
    t: f64,
    /// Mean spend per purchase day, minor units.
    spend: f64,
}

fn rfm(h: &ContactHistory, cutoff: NaiveDate) -> Rfm {
    let mut days: Vec<NaiveDate> = h
        .purchases
        .iter()
        .filter(|p| p.date <= cutoff)
        .map(|p| p.date)
        .collect();
    days.dedup();
    let spent: i64 = h
        .purchases
        .iter()
        .filter(|p| p.date <= cutoff)
        .map(|p| p.amount.max(0))
        .sum();
    let first = days[0];
    let weeks = |d: NaiveDate| (d - first).num_days() as f64 / 7.0;
    Rfm {
        x: (days.len() - 1) as f64,
        t_x: weeks(*days.last().expect("a buyer")),
        t: weeks(cutoff),
        spend: spent as f64 / days.len() as f64,
    }
}

/// Gauss hypergeometric ₂F₁(a, b; c; z) for 0 ≤ z < 1, by its series.
fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let (mut term, mut sum) = (1.0, 1.0);
    for k in 0..100_000 {
        let k = f64::from(k);
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if term.abs() < 1e-15 * sum.abs() {
            break;
        }
    }
    sum
}

/// ln(e^x + e^y) without overflow.
fn log_add(x: f64, y: f64) -> f64 {
    let m = x.max(y);
    m + ((x - m).exp() + (y - m).exp()).ln()
}

/// The BG/NBD log-likelihood of one buyer (equation 6 of the paper).
fn log_likelihood([r, alpha, a, b]: [f64; 4], c: &Rfm, fixed: f64) -> f64 {
    let x = c.x;
    let a1 = ln_gamma(r + x) + fixed;
    let a2 = ln_gamma(b + x) - ln_gamma(a + b + x);
    let a3 = -(r + x) * (alpha + c.t).ln();
    if x > 0.0 {
        let a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + c.t_x).ln();
        a1 + a2 + log_add(a3, a4)
    } else {
        a1 + a2 + a3
    }
}

fn total_log_likelihood(params: [f64; 4], data: &[Rfm]) -> f64 {
    let [r, alpha, a, b] = params;
    // The parts that do not depend on the buyer.
    let fixed = -ln_gamma(r) + r * alpha.ln() + ln_gamma(a + b) - ln_gamma(b);
    data.iter().map(|c| log_likelihood(params, c, fixed)).sum()
}

/// E[transactions in the next `weeks`] of a buyer (equation 10 of the paper).
fn expected_transactions([r, alpha, a, b]: [f64; 4], c: &Rfm, weeks: f64) -> f64 {
    let x = c.x;
    let z = weeks / (alpha + c.t + weeks);
    let ratio = ((alpha + c.t) / (alpha + c.t + weeks)).powf(r + x);
    let numerator =
        (a + b + x - 1.0) / (a - 1.0) * (1.0 - ratio * hyp2f1(r + x, b + x, a + b + x - 1.0, z));
    let denominator = if x > 0.0 {
        1.0 + a / (b + x - 1.0) * ((alpha + c.t) / (alpha + c.t_x)).powf(r + x)
    } else {
        1.0
    };
    (numerator / denominator).max(0.0)
}

struct BgNbd {
    params: [f64; 4],
    log_likelihood: f64,
    churn: Option<f64>,
    churn_fixed: Option<f64>,
    churn_recent: Option<f64>,
    capture: Option<f64>,
}

impl BgNbd {
    /// Fits r, α, a, b (over their logarithms) on the buyers as of the cutoff and ranks them.
    fn fit(data: &[Rfm]) -> ([f64; 4], f64) {
        let objective = |theta: &[f64; 4]| {
            let params = theta.map(f64::exp);
            let ll = total_log_likelihood(params, data);
            if ll.is_finite() {
                -ll
            } else {
                f64::INFINITY
            }
        };
        let (theta, best) = minimise(objective, [0.0f64, 1.0, 0.0, 0.0], 0.5, 2_000, 5);
        (theta.map(f64::exp), -best)
    }

    fn evaluate(d: &Data, e: &Evaluation) -> BgNbd {
        let buyers: Vec<Rfm> = e
            .buyer_index
            .iter()
            .map(|i| rfm(&d.past[*i], d.cutoff))
            .collect();
        let (params, log_likelihood) = BgNbd::fit(&buyers);
        let horizon_weeks = f64::from(FIXED_HORIZON_DAYS) / 7.0;
        let year_weeks = f64::from(REVENUE_DAYS) / 7.0;
        // Churn score: fewer expected purchase days in the client's window = likelier to lapse
        // in it; the same over the fixed 90 days for the earlier label.
        let churn: Vec<f64> = buyers
            .iter()
            .zip(&e.windows)
            .map(|(c, w)| -expected_transactions(params, c, f64::from(*w) / 7.0))
            .collect();
        let churn_fixed: Vec<f64> = buyers
            .iter()
            .map(|c| -expected_transactions(params, c, horizon_weeks))
            .collect();
        let value: Vec<f64> = buyers
            .iter()
            .map(|c| expected_transactions(params, c, year_weeks) * c.spend)
            .collect();
        let outcomes: Vec<&Outcome> = e.buyer_index.iter().map(|i| &d.outcomes[*i]).collect();
        let labels = e.lapsed.clone();
        let fixed_labels: Vec<bool> = outcomes.iter().map(|o| !o.bought_within_horizon).collect();
        let revenue: Vec<f64> = outcomes.iter().map(|o| o.revenue).collect();
        let recent: Vec<usize> = (0..buyers.len())
            .filter(|k| (buyers[*k].t - buyers[*k].t_x) * 7.0 <= horizon_weeks * 7.0 + 1e-9)
            .collect();
        let pick = |v: &[f64], idx: &[usize]| idx.iter().map(|k| v[*k]).collect::<Vec<_>>();
        let recent_labels: Vec<bool> = recent.iter().map(|k| labels[*k]).collect();
        BgNbd {
            params,
            log_likelihood,
            churn: roc_auc(&churn, &labels),
            churn_fixed: roc_auc(&churn_fixed, &fixed_labels),
            churn_recent: roc_auc(&pick(&churn, &recent), &recent_labels),
            capture: top_share(&value, &revenue, TOP_FRACTION),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Report

fn median(values: &[u32]) -> u32 {
    let mut v = values.to_vec();
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

fn print_report(
    d: &Data,
    e: &Evaluation,
    bg: &BgNbd,
    fit_seconds: f64,
    bg_seconds: f64,
    quality: &rapport::scoring::ModelQuality,
) {
    let f = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{x:.3}"));
    let pct = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{:.1} %", 100.0 * x));
    let verdict = |c: &Comparison| {
        if c.rapport_wins() {
            "Rapport"
        } else {
            "baseline"
        }
    };
    println!("Data: {}", d.title);
    println!(
        "Cutoff {}: {} contacts, {} with a purchase before it (evaluated); {} did not buy within their own window.",
        e.cutoff,
        e.contacts,
        e.buyers,
        pct(e.churn_rate)
    );
    if d.revenue_days_seen < i64::from(REVENUE_DAYS) {
        println!(
            "Warning: the data ends {} days after the cutoff; \"next-year revenue\" covers only those days.",
            d.revenue_days_seen
        );
    }
    println!(
        "Churn model: {:?}{}",
        quality.churn_source,
        if quality.churn_note.is_empty() {
            String::new()
        } else {
            format!(" ({})", quality.churn_note)
        }
    );
    println!();
    println!("| Measure | Rapport | Baseline | BG/NBD | Better than baseline |");
    println!("|---|---:|---:|---:|---|");
    let row =
        |measure: String, c: &Comparison, bg: Option<f64>, show: &dyn Fn(Option<f64>) -> String| {
            println!(
                "| {} | {} | {} | {} | {} |",
                measure,
                show(c.rapport),
                show(c.baseline),
                show(bg),
                verdict(c)
            );
        };
    row(
        format!(
            "Churn ROC AUC, all {} buyers (baseline: days since last purchase)",
            e.churn.clients
        ),
        &e.churn,
        bg.churn,
        &f,
    );
    row(
        "Churn ROC AUC against the earlier label (no purchase in the next 90 days)".into(),
        &e.churn_fixed,
        bg.churn_fixed,
        &f,
    );
    row(
        format!(
            "Churn ROC AUC, {} recent buyers (last purchase ≤ 90 days)",
            e.churn_recent.clients
        ),
        &e.churn_recent,
        bg.churn_recent,
        &f,
    );
    row(
        "Next-year revenue captured by the top 10 % (baseline: total spent so far)".into(),
        &e.clv,
        bg.capture,
        &pct,
    );
    println!(
        "| Fit time | {:.2} s | – | {:.2} s | |",
        fit_seconds, bg_seconds
    );
    println!();
    println!(
        "Best possible top-10 % capture (ranked by the future itself): {}.",
        pct(e.clv_oracle)
    );
    if let Some(c) = &e.calibration {
        println!(
            "Calibration against the real future: mean predicted {} vs {} observed, error {:.3} \
             (held-out estimate at fit time: {}).",
            pct(Some(c.mean_predicted)),
            pct(Some(c.observed_rate)),
            c.error,
            quality
                .churn_calibration
                .map_or("–".to_string(), |h| format!("{:.3}", h.error))
        );
    }
    println!();
    println!("| Stage at the cutoff | Buyers | Share | Lapsed within their window |");
    println!("|---|---:|---:|---:|");
    for s in &e.lists.stages {
        println!(
            "| {} | {} | {} | {} |",
            s.stage,
            s.clients,
            pct(Some(e.lists.share(s.stage))),
            pct(s.lapse_rate)
        );
    }
    println!(
        "At risk holds {} repeat buyers; {} of them bought within their usual interval and are not unhappy.",
        e.lists.at_risk_repeat, e.lists.at_risk_within_rhythm
    );
    println!(
        "Windows: median {} days (clients usually buy every {:.0} days).",
        median(&e.windows),
        quality.typical_interval_days
    );
    let [r, alpha, a, b] = bg.params;
    println!(
        "BG/NBD column: Fader, Hardie & Lee (2005), fitted by maximum likelihood (Nelder–Mead) on the same buyers \
         as of the cutoff, a purchase day counting as one transaction, weeks: r = {r:.3}, α = {alpha:.3}, a = {a:.3}, \
         b = {b:.3} (log-likelihood {:.1}); churn score = fewer expected purchase days in the client's window, \
         CLV = expected purchase days in the next year × the buyer's mean spend per purchase day.",
        bg.log_likelihood
    );
    println!(
        "Rapport fit time covers the whole fit (churn model with its hold-out, segments, recommendations)."
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_keep_zero_and_same_day_rows_and_skip_guests_and_returns() {
        // Online Retail II's columns and date format.
        let csv = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n\
                   489434,85048,LIGHTS,12,2009-12-01 07:45:00,6.95,13085.0,United Kingdom\n\
                   489434,79323P,\"PINK, CHERRY\",12,2009-12-01 07:45:00,6.75,13085.0,United Kingdom\n\
                   489435,22350,CAT BOWL,12,2009-12-01 07:46:00,0,13085,United Kingdom\n\
                   C489449,22087,PAPER BUNTING,-12,2009-12-01 10:33:00,2.95,16321.0,Australia\n\
                   489436,48173C,DOOR MAT,10,2009-12-02 09:06:00,5.95,,United Kingdom\n";
        let log = read_log(csv).unwrap();
        assert_eq!(
            (log.rows.len(), log.zero, log.guests, log.returns),
            (3, 1, 1, 1)
        );
        let day = NaiveDate::from_ymd_opt(2009, 12, 1).unwrap();
        assert_eq!(log.rows[1], ("13085".to_string(), day, 8_100));
        let histories = group_log(log.rows);
        assert_eq!(histories.len(), 1);
        assert_eq!(histories[0].purchases.len(), 3);
        // The UCI Online Retail date format and the CDNOW master file.
        let old = "CustomerID,InvoiceDate,Quantity,UnitPrice\n12346,1/18/2011 10:01,74215,1.04\n";
        assert_eq!(
            read_log(old).unwrap().rows[0].1,
            NaiveDate::from_ymd_opt(2011, 1, 18).unwrap()
        );
        let cdnow = "00001 19970101 1 11.77\n00002 19970112 1 12.00\n00002 19970112 5 77.00\n";
        let log = read_log(cdnow).unwrap();
        assert_eq!(log.rows.len(), 3);
        let with_header = format!(" customer_id  date number_of_cds  dollar_value\n{cdnow}");
        assert_eq!(read_log(&with_header).unwrap().rows, log.rows);
        assert_eq!(
            log.rows[2],
            (
                "2".to_string(),
                NaiveDate::from_ymd_opt(1997, 1, 12).unwrap(),
                7_700
            )
        );
        assert!(read_log("name,when\nAna,2020-01-01\n").is_err());
    }

    #[test]
    fn hyp2f1_matches_closed_forms() {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z.
        let z: f64 = 0.6;
        assert!((hyp2f1(1.0, 1.0, 2.0, z) + (1.0 - z).ln() / z).abs() < 1e-12);
    }

    /// Customers drawn from the BG/NBD process in continuous time, observed for 39 weeks: the fit
    /// must find the parameters they were drawn with, and the expected purchases of the next 52
    /// weeks must add up to what they really made.
    #[test]
    fn bgnbd_recovers_its_parameters_and_predicts_the_next_year() {
        let truth = [0.5, 6.0, 0.8, 2.5];
        let [r, alpha, a, b] = truth;
        let mut rng = StdRng::seed_from_u64(1);
        let mut future = 0.0;
        let data: Vec<Rfm> = (0..4_000)
            .map(|_| {
                let rate = gamma(&mut rng, r) / alpha;
                let (x, y) = (gamma(&mut rng, a), gamma(&mut rng, b));
                let drop = x / (x + y);
                let (mut t, mut repeats, mut last) = (0.0, 0.0, 0.0);
                // Active until the first repeat; may drop out after each repeat (not at the start).
                loop {
                    t += -rng.gen::<f64>().max(1e-300).ln() / rate;
                    if t > 39.0 + 52.0 {
                        break;
                    }
                    if t > 39.0 {
                        future += 1.0;
                    } else {
                        repeats += 1.0;
                        last = t;
                    }
                    if rng.gen::<f64>() < drop {
                        break;
                    }
                }
                Rfm {
                    x: repeats,
                    t_x: last,
                    t: 39.0,
                    spend: 1.0,
                }
            })
            .collect();
        let (fitted, _) = BgNbd::fit(&data);
        for (f, t) in fitted.iter().zip(truth) {
            assert!(
                (f / t - 1.0).abs() < 0.2,
                "fitted {fitted:?}, truth {truth:?}"
            );
        }
        let predicted: f64 = data
            .iter()
            .map(|c| expected_transactions(fitted, c, 52.0))
            .sum();
        assert!(
            (predicted / future - 1.0).abs() < 0.1,
            "predicted {predicted}, real {future}"
        );
        // A buyer with no repeat is expected to buy less than a frequent, recent one.
        let quiet = Rfm {
            x: 0.0,
            t_x: 0.0,
            t: 39.0,
            spend: 1.0,
        };
        let busy = Rfm {
            x: 8.0,
            t_x: 38.0,
            t: 39.0,
            spend: 1.0,
        };
        let (q, b) = (
            expected_transactions(fitted, &quiet, 52.0),
            expected_transactions(fitted, &busy, 52.0),
        );
        assert!(0.0 < q && q < b, "{q} {b}");
    }
}

//! The summary: three to five plain sentences, each with its numbers — the
//! headline KPIs' significant moves with their drivers first, then the
//! largest other findings, then headline values to make up three.

use crate::engine::time::Calendar;

use super::super::words;
use super::Headline;
use super::findings::{Finding, FindingKind};
use super::period::ReviewPeriod;
use super::series::Series;

/// Most and fewest sentences.
const MOST: usize = 5;
const FEWEST: usize = 3;

/// What the summary is written from.
pub struct Story<'a> {
    /// Every KPI's series.
    pub series: &'a [Series<'a>],
    /// The headlines.
    pub headlines: &'a [Headline],
    /// The ranked findings.
    pub findings: &'a [Finding],
    /// Grain.
    pub calendar: Calendar,
    /// The review period.
    pub review: ReviewPeriod,
    /// Currency of amounts.
    pub currency: Option<&'a str>,
}

/// The summary sentences.
pub fn sentences(story: &Story) -> Vec<String> {
    let top = |id: &Option<String>| story.headlines.iter().any(|h| Some(&h.kpi) == id.as_ref());
    let mut out: Vec<String> = Vec::new();
    let mut told: Vec<&str> = Vec::new();
    // The headline KPIs' moves, with their drivers.
    for f in story
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Move && f.segment.is_none() && top(&f.kpi))
        .take(2)
    {
        out.push(f.sentence.clone());
        told.extend(f.kpi.as_deref());
    }
    // The largest other findings of headline KPIs, one about data at most.
    let mut data = 0;
    for f in story.findings {
        if out.len() >= 4 {
            break;
        }
        let about_top = f.kind == FindingKind::DataQuality || top(&f.kpi);
        if !about_top
            || out.contains(&f.sentence)
            || (f.kind == FindingKind::Move && f.segment.is_none())
        {
            continue;
        }
        if f.kind == FindingKind::DataQuality {
            if data > 0 {
                continue;
            }
            data += 1;
        }
        out.push(f.sentence.clone());
        told.extend(f.kpi.as_deref());
    }
    // Headline values, until there are enough.
    for h in story.headlines {
        if out.len() >= FEWEST {
            break;
        }
        if told.contains(&h.kpi.as_str()) {
            continue;
        }
        if let Some(s) = headline_sentence(story, h) {
            out.push(s);
            told.push(&h.kpi);
        }
    }
    if out.is_empty() {
        out.push(format!(
            "No KPI has data for {}.",
            words::period(story.calendar, story.review.id)
        ));
    }
    out.truncate(MOST);
    out
}

/// One headline as a sentence: its value, the period it is for and how it
/// compares, never a maturing value as a change.
fn headline_sentence(story: &Story, h: &Headline) -> Option<String> {
    let s = story.series.iter().find(|s| s.kpi.id == h.kpi)?;
    let v = h.value?;
    let k = s.kpi;
    let cur = story.currency;
    let name = words::capitalised(&words::in_sentence(&k.name));
    let period_id = s.id(h.period.as_deref()?)?;
    let period = words::period(story.calendar, period_id);
    let value = words::value(k.unit, v, cur);
    if let Some(m) = &h.maturing {
        let so_far = m
            .value
            .map(|x| {
                format!(
                    "; {} so far for {} (still maturing)",
                    words::value(k.unit, x, cur),
                    words::period(story.calendar, story.review.id)
                )
            })
            .unwrap_or_default();
        return Some(format!(
            "{name} was {value} {}, the latest complete{so_far}.",
            super::phrases::cohort(story.calendar, period_id)
        ));
    }
    if let (Some(f), true) = (h.forecast, story.review.running) {
        let target = match (h.target, h.status) {
            (Some(t), Some(st)) => format!(
                " against a target of {} ({})",
                words::value(k.unit, t, cur),
                if st == super::super::Status::OnTrack {
                    "on track"
                } else {
                    "off track"
                }
            ),
            _ => String::new(),
        };
        return Some(format!(
            "{name} is {value} so far in {period}, on course for {}{target}.",
            words::value(k.unit, f, cur)
        ));
    }
    let compared = match h.previous {
        Some(p) => format!(
            ", against {} in {}",
            words::value(k.unit, p, cur),
            words::period(story.calendar, period_id - 1)
        ),
        None => String::new(),
    };
    let target = match (h.target, h.status) {
        (Some(t), Some(st)) => format!(
            "; {} its {} target",
            if st == super::super::Status::OnTrack {
                "on track for"
            } else {
                "off track for"
            },
            words::value(k.unit, t, cur)
        ),
        _ => String::new(),
    };
    Some(format!("{name} was {value} in {period}{compared}{target}."))
}

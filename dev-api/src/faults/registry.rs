//! The active faults, in the order they were added, and which one a request meets.
//!
//! Faults are tried in order of addition among those whose endpoint equals the request's
//! `"<METHOD> <path>"`: a count fault always fires (and is removed once its count reaches 0),
//! a probability fault fires when its roll hits (and is kept either way). The first fault that
//! fires applies; if none does, the request is answered normally.

use std::sync::{Mutex, MutexGuard, PoisonError};

use rand::Rng;
use serde::Serialize;

use super::canned::CannedAnswer;
use super::kind::FaultKind;
use super::spec::{FaultSpec, Oversize, Trigger};

/// A fault that fired on a request: what to do to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fired {
    /// The fault's kind.
    pub(crate) kind: FaultKind,
    /// Delay before applying it.
    pub(crate) latency_ms: Option<u64>,
    /// `Retry-After` seconds (`rate429`).
    pub(crate) retry_after_secs: Option<u64>,
    /// What to send (`answer`).
    pub(crate) answer: Option<CannedAnswer>,
    /// The body (`oversize`).
    pub(crate) oversize: Option<Oversize>,
}

/// An active fault as `GET /__dev/faults` shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FaultView {
    /// Its id, as answered when it was added.
    id: u64,
    /// `"<METHOD> <path>"`.
    endpoint: String,
    /// The kind's name.
    fault: &'static str,
    /// Requests it will still fire on (`null` for probability faults).
    remaining: Option<u64>,
    /// Its probability (`null` for count faults).
    probability: Option<f64>,
    /// Delay before the fault, if any.
    latency_ms: Option<u64>,
    /// `Retry-After` seconds (`rate429` only).
    retry_after: Option<u64>,
    /// The body's size (`oversize` only; absent for the others).
    #[serde(skip_serializing_if = "Option::is_none")]
    bytes: Option<u64>,
    /// Whether the body is sent chunked (`oversize` only; absent for the others).
    #[serde(skip_serializing_if = "Option::is_none")]
    chunked: Option<bool>,
    /// How many requests it has fired on so far.
    fired: u64,
    /// The status, content type and body of an `answer` fault (absent for other kinds).
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<CannedAnswer>,
}

#[derive(Debug)]
struct Active {
    id: u64,
    spec: FaultSpec,
    fired: u64,
}

#[derive(Debug, Default)]
struct Table {
    /// The id the next fault gets (ids start at 1 and are never reused).
    last_id: u64,
    active: Vec<Active>,
}

/// The registry of active faults.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    table: Mutex<Table>,
}

impl Registry {
    /// Adds a fault after the existing ones; answers its id.
    pub(crate) fn add(&self, spec: FaultSpec) -> u64 {
        let mut table = self.lock();
        table.last_id += 1;
        let id = table.last_id;
        table.active.push(Active { id, spec, fired: 0 });
        id
    }

    /// The active faults, oldest first.
    pub(crate) fn list(&self) -> Vec<FaultView> {
        self.lock()
            .active
            .iter()
            .map(|active| {
                let (remaining, probability) = match active.spec.trigger {
                    Trigger::Count(count) => (Some(count), None),
                    Trigger::Probability(probability) => (None, Some(probability)),
                };
                FaultView {
                    id: active.id,
                    endpoint: active.spec.endpoint.clone(),
                    fault: active.spec.kind.name(),
                    remaining,
                    probability,
                    latency_ms: active.spec.latency_ms,
                    retry_after: active.spec.retry_after_secs,
                    bytes: active.spec.oversize.map(|o| o.bytes),
                    chunked: active.spec.oversize.map(|o| o.chunked),
                    fired: active.fired,
                    answer: active.spec.answer.clone(),
                }
            })
            .collect()
    }

    /// Removes every fault.
    pub(crate) fn clear(&self) {
        self.lock().active.clear();
    }

    /// The fault a request to `endpoint` meets, if any, using up one of its count.
    pub(crate) fn take(&self, endpoint: &str) -> Option<Fired> {
        let mut table = self.lock();
        let mut rng = rand::thread_rng();
        let index = table.active.iter().position(|active| {
            active.spec.endpoint == endpoint
                && match active.spec.trigger {
                    Trigger::Count(_) => true,
                    Trigger::Probability(probability) => rng.gen_range(0.0..1.0) < probability,
                }
        })?;
        let active = table.active.get_mut(index)?;
        active.fired += 1;
        let fired = Fired {
            kind: active.spec.kind,
            latency_ms: active.spec.latency_ms,
            retry_after_secs: active.spec.retry_after_secs,
            answer: active.spec.answer.clone(),
            oversize: active.spec.oversize,
        };
        if let Trigger::Count(count) = &mut active.spec.trigger {
            *count = count.saturating_sub(1);
            if *count == 0 {
                table.active.remove(index);
            }
        }
        Some(fired)
    }

    /// The table, even after a poisoning panic (each update leaves it whole).
    fn lock(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

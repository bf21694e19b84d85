//! The request timeline: what the client did, as short lines for the page,
//! in a bounded buffer (the page can stay open for days of token renewals
//! without growing). Pure: tested natively.

use crate::auth::{ClientEvent, RenewReason};
use std::collections::VecDeque;

/// How many entries the timeline keeps.
pub const CAPACITY: usize = 50;

/// What kind of line an entry is, for styling and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// An HTTP request (and, once answered, its status).
    Request,
    /// A renewal step: started, done, failed, adopted, not replayed.
    Session,
    /// Something went wrong.
    Problem,
}

impl EntryKind {
    /// A CSS-friendly name.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Request => "request",
            EntryKind::Session => "session",
            EntryKind::Problem => "problem",
        }
    }
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Wall-clock ms when it happened.
    pub at: f64,
    /// What kind of line.
    pub kind: EntryKind,
    /// The text.
    pub text: String,
    request_id: Option<u64>,
}

/// The newest [`CAPACITY`] entries, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    entries: VecDeque<Entry>,
}

impl Timeline {
    /// The entries, oldest first.
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &Entry> + ExactSizeIterator {
        self.entries.iter()
    }

    /// Adds a line the client did not report (e.g. a token from another tab).
    pub fn note(&mut self, at: f64, kind: EntryKind, text: impl Into<String>) {
        self.push(Entry {
            at,
            kind,
            text: text.into(),
            request_id: None,
        });
    }

    /// Records a client event: a response is folded into its request's line.
    pub fn record(&mut self, at: f64, event: &ClientEvent) {
        let (kind, text, request_id) = match event {
            ClientEvent::Request {
                id,
                method,
                url,
                replay,
                bearer,
            } => {
                let mut text = format!("{method} {url}");
                if *replay {
                    text.push_str(" (replay)");
                }
                if !bearer {
                    text.push_str(" (no token)");
                }
                (EntryKind::Request, text, Some(*id))
            }
            ClientEvent::Response { id, status } => {
                if let Some(entry) = self
                    .entries
                    .iter_mut()
                    .rev()
                    .find(|e| e.request_id == Some(*id))
                {
                    entry.text.push_str(&format!(" → {status}"));
                    if *status >= 400 {
                        entry.kind = EntryKind::Problem;
                    }
                }
                return;
            }
            ClientEvent::Failed { id, message } => {
                if let Some(entry) = self
                    .entries
                    .iter_mut()
                    .rev()
                    .find(|e| e.request_id == Some(*id))
                {
                    entry.text.push_str(&format!(" → failed: {message}"));
                    entry.kind = EntryKind::Problem;
                }
                return;
            }
            ClientEvent::Renewing(RenewReason::Rejected) => (
                EntryKind::Session,
                "token refused (401): logging in again".into(),
                None,
            ),
            ClientEvent::Renewing(RenewReason::Ahead) => (
                EntryKind::Session,
                "token close to expiry: renewing ahead".into(),
                None,
            ),
            ClientEvent::Renewed(RenewReason::Rejected) => (
                EntryKind::Session,
                "new token stored; repeating the request".into(),
                None,
            ),
            ClientEvent::Renewed(RenewReason::Ahead) => {
                (EntryKind::Session, "renewed ahead of expiry".into(), None)
            }
            ClientEvent::RenewFailed(message) => (
                EntryKind::Problem,
                format!("renewal failed: {message}"),
                None,
            ),
            ClientEvent::Adopted => (
                EntryKind::Session,
                "used a newer token already stored (no login)".into(),
                None,
            ),
            ClientEvent::NotReplayed(method) => (
                EntryKind::Session,
                format!("{method} not repeated: it is not idempotent"),
                None,
            ),
            ClientEvent::LoggedIn => (EntryKind::Session, "logged in".into(), None),
            ClientEvent::LoggedOut => (EntryKind::Session, "logged out".into(), None),
        };
        self.push(Entry {
            at,
            kind,
            text,
            request_id,
        });
    }

    fn push(&mut self, entry: Entry) {
        if self.entries.len() == CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Method;

    fn request(id: u64, replay: bool) -> ClientEvent {
        ClientEvent::Request {
            id,
            method: Method::Get,
            url: "/api:data/customers".into(),
            replay,
            bearer: true,
        }
    }

    #[test]
    fn a_401_renewal_reads_as_a_story() {
        let mut t = Timeline::default();
        for event in [
            request(1, false),
            ClientEvent::Response { id: 1, status: 401 },
            ClientEvent::Renewing(RenewReason::Rejected),
            ClientEvent::Request {
                id: 2,
                method: Method::Post,
                url: "/login".into(),
                replay: false,
                bearer: false,
            },
            ClientEvent::Response { id: 2, status: 200 },
            ClientEvent::Renewed(RenewReason::Rejected),
            request(3, true),
            ClientEvent::Response { id: 3, status: 200 },
        ] {
            t.record(0.0, &event);
        }
        let lines: Vec<_> = t.entries().map(|e| (e.kind, e.text.as_str())).collect();
        assert_eq!(
            lines,
            [
                (EntryKind::Problem, "GET /api:data/customers → 401"),
                (EntryKind::Session, "token refused (401): logging in again"),
                (EntryKind::Request, "POST /login (no token) → 200"),
                (
                    EntryKind::Session,
                    "new token stored; repeating the request"
                ),
                (EntryKind::Request, "GET /api:data/customers (replay) → 200"),
            ]
        );
    }

    #[test]
    fn the_timeline_is_bounded() {
        let mut t = Timeline::default();
        for id in 0..1_000u32 {
            t.record(f64::from(id), &request(u64::from(id), false));
        }
        assert_eq!(t.entries().len(), CAPACITY);
        assert_eq!(
            t.entries().next().unwrap().at,
            950.0,
            "the oldest are dropped"
        );
    }
}

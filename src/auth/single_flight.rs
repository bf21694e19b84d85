//! One renewal at a time in this tab, and what the requests queued behind
//! it learn from it.
//!
//! Renewals (and form logins) queue on one async mutex. A request that
//! queued while a renewal was running and sees it fail fails with the same
//! error instead of trying again at once: twenty requests refused during an
//! outage of the login endpoint cost one login, not twenty. A request that
//! queued behind a renewal that succeeded runs its own work, which finds the
//! new token in the store and uses it.

use super::error::ApiError;
use futures::lock::{Mutex, MutexGuard};
use std::cell::{Cell, RefCell};
use std::future::Future;

/// The renewal mutex, with a count of finished renewals and the last one's
/// failure.
#[derive(Debug, Default)]
pub struct SingleFlight {
    lock: Mutex<()>,
    /// Counts finished runs, so a waiter can tell whether one finished
    /// while it queued.
    finished: Cell<u64>,
    last_failure: RefCell<Option<ApiError>>,
}

impl SingleFlight {
    /// Runs `work` once every earlier run has finished, unless a run that
    /// finished while this one queued failed: then its error, without
    /// running `work`.
    pub async fn run<T, F>(&self, work: impl FnOnce() -> F) -> Result<T, ApiError>
    where
        F: Future<Output = Result<T, ApiError>>,
    {
        let queued_at = self.finished.get();
        let _turn = self.lock.lock().await;
        let failure = self.last_failure.borrow().clone();
        if let (true, Some(failure)) = (self.finished.get() != queued_at, failure) {
            return Err(failure);
        }
        let result = work().await;
        self.finished.set(self.finished.get() + 1);
        *self.last_failure.borrow_mut() = result.as_ref().err().cloned();
        result
    }

    /// Waits for every run to finish and holds off new ones while the guard
    /// lives (a form login).
    pub async fn hold(&self) -> MutexGuard<'_, ()> {
        self.lock.lock().await
    }

    /// Forgets the last failure: after a form login, nobody should fail
    /// with an older renewal's error.
    pub fn clear_failure(&self) {
        self.last_failure.borrow_mut().take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use futures::future::join;

    fn offline() -> ApiError {
        ApiError::Network {
            url: "/login".into(),
            detail: "offline".into(),
        }
    }

    /// Yields `n` times, so concurrent runs interleave.
    async fn yield_times(n: u32) {
        for _ in 0..n {
            let mut yielded = false;
            futures::future::poll_fn(|cx| {
                if yielded {
                    std::task::Poll::Ready(())
                } else {
                    yielded = true;
                    cx.waker().wake_by_ref();
                    std::task::Poll::Pending
                }
            })
            .await;
        }
    }

    #[test]
    fn a_run_queued_behind_a_failed_run_fails_with_its_error_without_running() {
        let flight = SingleFlight::default();
        let ran = Cell::new(0);
        let first = flight.run(|| async {
            ran.set(ran.get() + 1);
            yield_times(3).await;
            Err::<(), _>(offline())
        });
        let second = flight.run(|| async {
            ran.set(ran.get() + 1);
            Ok(())
        });
        let (a, b) = block_on(join(first, second));
        assert_eq!((a, b), (Err(offline()), Err(offline())));
        assert_eq!(ran.get(), 1);
    }

    #[test]
    fn a_run_queued_behind_a_successful_run_runs_its_own_work() {
        let flight = SingleFlight::default();
        let ran = Cell::new(0);
        let first = flight.run(|| async {
            ran.set(ran.get() + 1);
            yield_times(3).await;
            Ok(1)
        });
        let second = flight.run(|| async {
            ran.set(ran.get() + 1);
            Ok(2)
        });
        assert_eq!(block_on(join(first, second)), (Ok(1), Ok(2)));
        assert_eq!(ran.get(), 2);
    }

    #[test]
    fn a_run_after_a_failure_that_it_did_not_wait_for_tries_again() {
        let flight = SingleFlight::default();
        assert_eq!(
            block_on(flight.run(|| async { Err::<(), _>(offline()) })),
            Err(offline())
        );
        assert_eq!(block_on(flight.run(|| async { Ok(()) })), Ok(()));
    }

    #[test]
    fn a_cleared_failure_is_not_handed_to_waiters() {
        let flight = SingleFlight::default();
        let first = async {
            let result = flight
                .run(|| async {
                    yield_times(2).await;
                    Err::<u8, _>(offline())
                })
                .await;
            flight.clear_failure();
            result
        };
        let second = flight.run(|| async { Ok(2) });
        assert_eq!(block_on(join(first, second)), (Err(offline()), Ok(2)));
    }

    #[test]
    fn a_hold_makes_runs_wait() {
        let flight = SingleFlight::default();
        let order = RefCell::new(Vec::new());
        let holder = async {
            let _held = flight.hold().await;
            yield_times(3).await;
            order.borrow_mut().push("held");
        };
        let runner = async {
            yield_times(1).await;
            flight
                .run(|| async {
                    order.borrow_mut().push("ran");
                    Ok(())
                })
                .await
        };
        let ((), ran) = block_on(join(holder, runner));
        assert_eq!(ran, Ok(()));
        assert_eq!(*order.borrow(), ["held", "ran"]);
    }
}

//! Each transition of the page state machine, driven by events at set times.

use super::*;

/// Rows are a label in these tests.
type Page = PageState<&'static str>;

const URL: &str = "/api:data/customers";

fn network() -> LoadFailure {
    LoadFailure::Api(ApiError::Network {
        url: URL.into(),
        detail: "Failed to fetch".into(),
    })
}

fn status(status: u16) -> LoadFailure {
    LoadFailure::Api(ApiError::Http {
        status,
        message: format!("HTTP {status}"),
    })
}

fn rate_limited(retry_after_s: Option<u32>) -> LoadFailure {
    LoadFailure::Api(ApiError::RateLimited {
        message: "Whoa".into(),
        retry_after_s,
    })
}

fn needs_login() -> ApiError {
    ApiError::NeedsLogin("Your session has expired. Log in again to continue.".into())
}

fn start(generation: u64) -> Effect {
    Effect::StartRequest {
        generation,
        url: URL.into(),
        replay: true,
    }
}

/// A signed-in page with `rows` loaded by its first load.
fn showing(rows: &'static str) -> Page {
    let mut page = Page::new(URL, true);
    page.handle(Event::Opened, 0.0);
    answer(&mut page, Ok(rows), 0.0);
    page
}

/// Answers the current load, which sent one request.
fn answer(page: &mut Page, result: Result<&'static str, LoadFailure>, now: f64) -> Vec<Effect> {
    answer_after(page, 1, result, now)
}

/// Answers the current load, which sent `sent` requests.
fn answer_after(
    page: &mut Page,
    sent: u32,
    result: Result<&'static str, LoadFailure>,
    now: f64,
) -> Vec<Effect> {
    let generation = page.generation();
    page.handle(
        Event::Loaded {
            generation,
            sent,
            result,
        },
        now,
    )
}

fn logged_in(identity: &str) -> Event<&'static str> {
    Event::LoggedIn {
        identity: identity.into(),
        storage_warning: None,
    }
}

#[test]
fn a_stored_token_loads_at_once_and_none_shows_the_form() {
    let mut page = Page::new(URL, true);
    assert_eq!(page.handle(Event::Opened, 0.0), [start(1)]);
    assert!(page.signed_in());
    assert_eq!(page.phase(), &LoadPhase::Loading);

    let mut page = Page::new(URL, false);
    assert_eq!(page.handle(Event::Opened, 0.0), []);
    assert!(!page.signed_in());
    assert_eq!(page.phase(), &LoadPhase::Idle);
}

#[test]
fn rows_show_are_prepared_in_idle_time_and_the_renewal_is_rescheduled() {
    let mut page = Page::new(URL, true);
    page.handle(Event::Opened, 0.0);
    let effects = answer(&mut page, Ok("first"), 0.0);
    assert_eq!(
        effects,
        [
            Effect::PrepareRows { generation: 1 },
            Effect::ScheduleRenewal
        ]
    );
    assert_eq!(page.rows(), Some(&"first"));
    assert_eq!(page.phase(), &LoadPhase::Idle);
    assert!(!page.is_stale());
}

#[test]
fn a_newer_load_aborts_the_one_in_flight_and_its_late_answer_is_dropped() {
    let mut page = Page::new(URL, true);
    page.handle(Event::Opened, 0.0);
    assert_eq!(
        page.handle(Event::Load, 0.0),
        [Effect::AbortCurrent, start(2)],
        "Refresh while loading"
    );
    let late = page.handle(
        Event::Loaded {
            generation: 1,
            sent: 1,
            result: Ok("old"),
        },
        0.0,
    );
    assert_eq!(late, []);
    assert_eq!(page.rows(), None, "the superseded answer never shows");
    assert_eq!(page.phase(), &LoadPhase::Loading);
    answer(&mut page, Ok("new"), 0.0);
    assert_eq!(page.rows(), Some(&"new"));
}

#[test]
fn a_second_answer_for_the_same_load_changes_nothing() {
    let mut page = showing("first");
    let effects = page.handle(
        Event::Loaded {
            generation: page.generation(),
            sent: 1,
            result: Err(status(500)),
        },
        0.0,
    );
    assert_eq!(effects, []);
    assert_eq!(page.phase(), &LoadPhase::Idle);
}

#[test]
fn a_refresh_after_an_idle_or_failed_load_aborts_nothing() {
    let mut page = showing("first");
    assert_eq!(page.handle(Event::Load, 0.0), [start(2)]);
    answer(&mut page, Err(status(500)), 0.0);
    assert_eq!(page.handle(Event::Load, 0.0), [start(3)]);
}

#[test]
fn a_failed_refresh_keeps_the_last_rows_marked_stale() {
    let mut page = showing("good");
    page.handle(Event::Load, 0.0);
    assert!(!page.is_stale(), "loading is not stale");
    let effects = answer(&mut page, Err(status(500)), 0.0);
    assert_eq!(
        effects,
        [Effect::ScheduleRenewal],
        "a 500 waits for the user"
    );
    assert_eq!(page.phase(), &LoadPhase::Failed("HTTP 500".into()));
    assert_eq!(page.rows(), Some(&"good"));
    assert!(page.is_stale());

    page.handle(Event::Load, 0.0);
    answer(&mut page, Err(LoadFailure::Data("not a table".into())), 0.0);
    assert_eq!(page.phase(), &LoadPhase::Failed("not a table".into()));
    assert_eq!(page.rows(), Some(&"good"));
    assert!(page.is_stale());

    page.handle(Event::Load, 0.0);
    answer(&mut page, Err(network()), 0.0);
    assert!(matches!(page.phase(), LoadPhase::Retrying { .. }));
    assert!(page.is_stale(), "retrying is stale too");

    page.handle(Event::Load, 0.0);
    answer(&mut page, Ok("fresh"), 0.0);
    assert!(!page.is_stale());
}

#[test]
fn a_first_load_that_fails_is_not_stale() {
    let mut page = Page::new(URL, true);
    page.handle(Event::Opened, 0.0);
    answer(&mut page, Err(status(500)), 0.0);
    assert!(!page.is_stale(), "no rows: nothing to mark");
}

#[test]
fn transient_failures_retry_by_themselves_five_times_then_wait() {
    let mut page = Page::new(URL, true);
    let mut now = 1_000.0;
    let mut requests = page
        .handle(Event::Opened, now)
        .iter()
        .filter(|e| matches!(e, Effect::StartRequest { .. }))
        .count();
    let mut waits = Vec::new();
    // Bounded, so a retry that never stops fails here rather than hangs.
    for _ in 0..10 {
        let effects = answer(&mut page, Err(network()), now);
        let Some(at) = effects.iter().find_map(|e| match e {
            Effect::ScheduleRetry { at } => Some(*at),
            _ => None,
        }) else {
            break;
        };
        assert_eq!(
            page.phase(),
            &LoadPhase::Retrying {
                message: "Could not reach /api:data/customers: Failed to fetch. Check that the server is running and reachable.".into(),
                at
            }
        );
        waits.push(at - now);
        now = at;
        let effects = page.handle(Event::RetryDue, now);
        let generation = page.generation();
        assert!(
            matches!(effects[..], [Effect::StartRequest { generation: g, .. }] if g == generation),
            "the timer fired: nothing to cancel: {effects:?}"
        );
        requests += 1;
    }
    assert_eq!(waits, [2_000.0, 4_000.0, 8_000.0, 16_000.0, 30_000.0]);
    assert_eq!(requests, 6, "one user action: at most six data requests");
    assert!(matches!(page.phase(), LoadPhase::Failed(_)));
}

#[test]
fn gateway_errors_and_timeouts_retry_and_other_statuses_do_not() {
    for (failure, retries) in [
        (status(502), true),
        (status(503), true),
        (status(504), true),
        (
            LoadFailure::Api(ApiError::Timeout {
                url: URL.into(),
                ms: 15_000,
            }),
            true,
        ),
        (status(500), false),
        (status(404), false),
    ] {
        let mut page = Page::new(URL, true);
        page.handle(Event::Opened, 0.0);
        let effects = answer(&mut page, Err(failure.clone()), 0.0);
        assert_eq!(
            effects.contains(&Effect::ScheduleRetry { at: 2_000.0 }),
            retries,
            "{failure:?}"
        );
    }
}

#[test]
fn a_429_retries_once_after_its_retry_after_of_at_most_30_s() {
    let mut page = Page::new(URL, true);
    page.handle(Event::Opened, 0.0);
    let effects = answer(&mut page, Err(rate_limited(Some(30))), 500.0);
    assert_eq!(
        effects,
        [
            Effect::ScheduleRetry { at: 30_500.0 },
            Effect::ScheduleRenewal
        ]
    );
    page.handle(Event::RetryDue, 30_500.0);
    let effects = answer(&mut page, Err(rate_limited(Some(1))), 31_000.0);
    assert_eq!(effects, [Effect::ScheduleRenewal], "once per user action");
    assert!(matches!(page.phase(), LoadPhase::Failed(_)));

    page.handle(Event::Load, 40_000.0);
    answer(&mut page, Err(rate_limited(Some(31))), 40_000.0);
    assert!(
        matches!(page.phase(), LoadPhase::Failed(_)),
        "31 s is the user's call"
    );

    page.handle(Event::Load, 50_000.0);
    answer(&mut page, Err(rate_limited(None)), 50_000.0);
    assert!(matches!(page.phase(), LoadPhase::Retrying { at, .. } if *at == 52_000.0));
}

#[test]
fn retry_now_cancels_the_timer_and_starts_a_new_count() {
    let mut page = Page::new(URL, true);
    page.handle(Event::Opened, 0.0);
    for _ in 0..4 {
        answer(&mut page, Err(network()), 0.0);
        page.handle(Event::RetryDue, 0.0);
    }
    answer(&mut page, Err(network()), 0.0);
    assert!(matches!(page.phase(), LoadPhase::Retrying { at, .. } if *at == 30_000.0));
    let generation = page.generation();
    assert_eq!(
        page.handle(Event::Load, 1.0),
        [Effect::CancelRetry, start(generation + 1)]
    );
    let effects = answer(&mut page, Err(network()), 1.0);
    assert!(
        effects.contains(&Effect::ScheduleRetry { at: 2_001.0 }),
        "the user's Retry starts over at 2 s: {effects:?}"
    );
}

#[test]
fn a_retry_timer_that_fires_when_no_retry_is_waiting_does_nothing() {
    let mut page = showing("rows");
    assert_eq!(page.handle(Event::RetryDue, 0.0), []);
    page.handle(Event::Load, 0.0);
    assert_eq!(page.handle(Event::RetryDue, 0.0), [], "loading");
    answer(&mut page, Err(status(500)), 0.0);
    assert_eq!(
        page.handle(Event::RetryDue, 0.0),
        [],
        "failed, waiting for the user"
    );
}

#[test]
fn coming_back_online_or_visible_retries_at_once_and_renews_when_visible() {
    let mut page = Page::new(URL, true);
    page.handle(Event::Opened, 0.0);
    answer(&mut page, Err(network()), 0.0);
    page.handle(Event::RetryDue, 2_000.0);
    answer(&mut page, Err(network()), 2_000.0);
    let generation = page.generation();
    assert_eq!(
        page.handle(Event::Wake { hidden: false }, 3_000.0),
        [
            Effect::RefreshSession,
            Effect::Renew,
            Effect::CancelRetry,
            start(generation + 1)
        ]
    );
    let effects = answer(&mut page, Err(network()), 3_000.0);
    assert!(
        effects.contains(&Effect::ScheduleRetry { at: 11_000.0 }),
        "the try a wake-up brought forward is the action's third: the backoff goes on (8 s): {effects:?}"
    );
    assert_eq!(
        page.handle(Event::Wake { hidden: true }, 4_000.0),
        [
            Effect::RefreshSession,
            Effect::CancelRetry,
            start(generation + 2)
        ],
        "a hidden tab does not renew, but retries"
    );
}

#[test]
fn waking_with_nothing_to_retry_only_rechecks_the_session() {
    let mut page = showing("rows");
    assert_eq!(
        page.handle(Event::Wake { hidden: false }, 0.0),
        [Effect::RefreshSession, Effect::Renew]
    );
    let mut page = Page::new(URL, false);
    assert_eq!(
        page.handle(Event::Wake { hidden: false }, 0.0),
        [Effect::RefreshSession],
        "signed out: nothing to renew"
    );
}

#[test]
fn server_pages_change_the_url_and_refresh_keeps_the_page() {
    let mut page = showing("page 1");
    let effects = page.handle(
        Event::LoadPage {
            page: 3,
            per_page: 50,
        },
        0.0,
    );
    let url = format!("{URL}?page=3&per_page=50");
    assert_eq!(
        effects,
        [Effect::StartRequest {
            generation: 2,
            url: url.clone(),
            replay: true,
        }]
    );
    assert_eq!(page.url(), url);
    answer(&mut page, Ok("page 3"), 0.0);
    assert_eq!(
        page.handle(Event::Load, 0.0),
        [Effect::StartRequest {
            generation: 3,
            url,
            replay: true,
        }]
    );
    page.handle(
        Event::LoadPage {
            page: 1,
            per_page: 25,
        },
        0.0,
    );
    assert_eq!(page.url(), format!("{URL}?page=1&per_page=25"));
}

#[test]
fn an_answer_that_needs_a_login_shows_the_form_with_its_reason_and_keeps_the_rows() {
    let mut page = showing("mine");
    page.handle(Event::Load, 0.0);
    let effects = answer(&mut page, Err(LoadFailure::Api(needs_login())), 0.0);
    assert_eq!(effects, [Effect::CancelRenewal, Effect::RefreshSession]);
    assert!(!page.signed_in());
    assert_eq!(
        page.login_notice(),
        Some("Your session has expired. Log in again to continue.")
    );
    assert_eq!(page.phase(), &LoadPhase::Idle);
    assert_eq!(
        page.rows(),
        Some(&"mine"),
        "kept for the same user's return"
    );
}

#[test]
fn logging_in_shows_the_table_clears_the_notice_and_loads() {
    let mut page = Page::new(URL, false);
    page.handle(Event::Opened, 0.0);
    page.handle(Event::LoggedOutElsewhere, 0.0);
    let effects = page.handle(
        Event::LoggedIn {
            identity: "demo@tokengrid.dev".into(),
            storage_warning: Some("kept in memory only".into()),
        },
        0.0,
    );
    assert_eq!(effects, [start(1)]);
    assert!(page.signed_in());
    assert_eq!(page.login_notice(), None);
    assert_eq!(page.identity(), Some("demo@tokengrid.dev"));
    assert_eq!(page.storage_warning(), Some("kept in memory only"));
    assert_eq!(page.phase(), &LoadPhase::Loading);
}

#[test]
fn a_page_can_open_on_the_form_saying_why() {
    let page =
        Page::new(URL, false).with_login_notice(Some("The stored token is too long.".into()));
    assert!(!page.signed_in());
    assert_eq!(page.login_notice(), Some("The stored token is too long."));
    let mut page = page;
    page.handle(logged_in("alice@example.com"), 0.0);
    assert_eq!(page.login_notice(), None, "a login clears it");
}

#[test]
fn rows_are_cleared_when_another_user_logs_in() {
    let mut page = Page::new(URL, false);
    page.handle(logged_in("alice@example.com"), 0.0);
    answer(&mut page, Ok("alice's rows"), 0.0);
    page.handle(Event::Renewed(Err(needs_login())), 0.0);
    assert_eq!(page.rows(), Some(&"alice's rows"));

    page.handle(logged_in("bob@example.com"), 0.0);
    assert_eq!(page.rows(), None, "Bob never sees Alice's rows");
    assert_eq!(page.identity(), Some("bob@example.com"));
}

#[test]
fn rows_loaded_from_a_stored_token_are_cleared_when_anyone_logs_in() {
    // After a reload the rows come from the stored token: whose they are
    // is unknown, so a login by anyone clears them before its own load.
    let mut page = showing("someone's rows");
    page.handle(Event::Renewed(Err(needs_login())), 0.0);
    assert_eq!(page.rows(), Some(&"someone's rows"));

    page.handle(logged_in("bob@example.com"), 0.0);
    assert_eq!(page.rows(), None, "Bob never sees rows that may not be his");
}

#[test]
fn rows_stay_when_the_same_user_logs_in_again() {
    let mut page = Page::new(URL, false);
    page.handle(logged_in("alice@example.com"), 0.0);
    answer(&mut page, Ok("alice's rows"), 0.0);
    page.handle(Event::Renewed(Err(needs_login())), 0.0);
    page.handle(logged_in("alice@example.com"), 0.0);
    assert_eq!(
        page.rows(),
        Some(&"alice's rows"),
        "shown again while it reloads"
    );
}

#[test]
fn logging_out_aborts_the_load_in_flight_and_forgets_rows_and_user() {
    let mut page = Page::new(URL, false);
    page.handle(logged_in("alice@example.com"), 0.0);
    answer(&mut page, Ok("alice's rows"), 0.0);
    page.handle(Event::Load, 0.0);
    let loading = page.generation();
    assert_eq!(
        page.handle(Event::LoggedOut, 0.0),
        [
            Effect::AbortCurrent,
            Effect::CancelRenewal,
            Effect::RefreshSession
        ]
    );
    assert!(!page.signed_in());
    assert_eq!(page.login_notice(), None);
    assert_eq!(page.rows(), None);
    assert_eq!(page.identity(), None);
    assert_eq!(page.phase(), &LoadPhase::Idle);
    let late = page.handle(
        Event::Loaded {
            generation: loading,
            sent: 1,
            result: Ok("alice's rows again"),
        },
        0.0,
    );
    assert_eq!(late, []);
    assert_eq!(
        page.rows(),
        None,
        "an answer that slipped through is dropped"
    );
}

#[test]
fn logging_out_while_a_retry_waits_cancels_it() {
    let mut page = showing("rows");
    page.handle(Event::Load, 0.0);
    answer(&mut page, Err(network()), 0.0);
    assert_eq!(
        page.handle(Event::LoggedOut, 0.0),
        [
            Effect::CancelRetry,
            Effect::CancelRenewal,
            Effect::RefreshSession
        ]
    );
    assert_eq!(page.handle(Event::RetryDue, 2_000.0), []);
}

#[test]
fn logging_out_in_another_tab_signs_this_one_out_with_a_notice() {
    let mut page = showing("rows");
    page.handle(Event::Load, 0.0);
    assert_eq!(
        page.handle(Event::LoggedOutElsewhere, 0.0),
        [
            Effect::AbortCurrent,
            Effect::CancelRenewal,
            Effect::RefreshSession
        ]
    );
    assert!(!page.signed_in());
    assert_eq!(page.login_notice(), Some(LOGGED_OUT_ELSEWHERE));
    assert_eq!(page.rows(), None);

    let mut page = Page::new(URL, false);
    assert_eq!(page.handle(Event::LoggedOutElsewhere, 0.0), []);
    assert_eq!(page.login_notice(), None, "already on the form: no notice");
}

#[test]
fn a_token_from_another_tab_opens_the_table_or_reschedules_the_renewal() {
    let mut page = Page::new(URL, false);
    page.handle(Event::LoggedOutElsewhere, 0.0);
    page.handle(Event::Renewed(Err(needs_login())), 0.0);
    assert!(page.login_notice().is_some());
    assert_eq!(
        page.handle(Event::TokenStoredElsewhere { has_token: true }, 0.0),
        [Effect::RefreshSession, start(2)]
    );
    assert!(page.signed_in());
    assert_eq!(page.login_notice(), None);

    assert_eq!(
        page.handle(Event::TokenStoredElsewhere { has_token: true }, 0.0),
        [Effect::RefreshSession, Effect::ScheduleRenewal],
        "already signed in: adopt it and renew on its schedule"
    );

    let mut page = Page::new(URL, false);
    assert_eq!(
        page.handle(Event::TokenStoredElsewhere { has_token: false }, 0.0),
        [Effect::RefreshSession, Effect::ScheduleRenewal],
        "an unusable token does not open the table"
    );
    assert!(!page.signed_in());
}

#[test]
fn the_page_going_away_aborts_the_load_and_clears_every_timer() {
    let mut page = Page::new(URL, true);
    page.handle(Event::Opened, 0.0);
    assert_eq!(
        page.handle(Event::Unload, 0.0),
        [Effect::AbortCurrent, Effect::CancelRenewal]
    );
    assert_eq!(
        answer(&mut page, Ok("late"), 0.0),
        [],
        "nothing is loading any more"
    );

    let mut page = Page::new(URL, true);
    page.handle(Event::Opened, 0.0);
    answer(&mut page, Err(network()), 0.0);
    assert_eq!(
        page.handle(Event::Unload, 0.0),
        [Effect::CancelRetry, Effect::CancelRenewal]
    );
    assert_eq!(page.handle(Event::RetryDue, 2_000.0), []);
}

#[test]
fn the_renewal_timer_renews_in_a_visible_tab_and_waits_in_a_hidden_one() {
    let mut page = showing("rows");
    assert_eq!(
        page.handle(Event::RenewalDue { hidden: false }, 0.0),
        [Effect::Renew]
    );
    assert_eq!(page.handle(Event::RenewalDue { hidden: true }, 0.0), []);
}

#[test]
fn after_a_renewal_the_next_is_scheduled_unless_a_login_is_needed() {
    let mut page = showing("rows");
    assert_eq!(
        page.handle(Event::Renewed(Ok(())), 0.0),
        [Effect::ScheduleRenewal]
    );
    assert_eq!(
        page.handle(Event::Renewed(Err(status(503).into_api())), 0.0),
        [Effect::ScheduleRenewal],
        "a failed renewal ahead is tried again on the client's schedule"
    );
    assert!(page.signed_in());
    assert_eq!(
        page.handle(Event::TokenChanged, 0.0),
        [Effect::ScheduleRenewal]
    );

    page.handle(Event::Load, 0.0);
    assert_eq!(
        page.handle(Event::Renewed(Err(needs_login())), 0.0),
        [
            Effect::AbortCurrent,
            Effect::CancelRenewal,
            Effect::RefreshSession
        ]
    );
    assert!(!page.signed_in());
    assert_eq!(
        page.login_notice(),
        Some("Your session has expired. Log in again to continue.")
    );
}

#[test]
fn each_load_prepares_only_its_own_rows() {
    let mut page = showing("first");
    page.handle(Event::Load, 0.0);
    let effects = answer(&mut page, Ok("second"), 0.0);
    assert_eq!(effects[0], Effect::PrepareRows { generation: 2 });
    assert_eq!(page.generation(), 2);
}

#[test]
fn timer_delays_count_from_now_and_never_go_negative() {
    assert_eq!(delay_ms(1_500.0, 1_000.0), 500);
    assert_eq!(delay_ms(1_000.0, 1_000.0), 0);
    assert_eq!(delay_ms(1_000.0, 5_000.0), 0, "overdue: at once");
    assert_eq!(delay_ms(1e12, 0.0), u32::MAX);
}

impl LoadFailure {
    fn into_api(self) -> ApiError {
        match self {
            LoadFailure::Api(error) => error,
            LoadFailure::Data(message) => panic!("not an API error: {message}"),
        }
    }
}

/// Drives the current action to its end: every try fails with `failure`
/// after sending `sent` requests, and each retry is due at once. Returns
/// the requests sent and the `replay` flag of each try.
fn fail_every_try(
    page: &mut Page,
    sent: impl Fn(bool) -> u32,
    failure: fn() -> LoadFailure,
) -> (u32, Vec<bool>) {
    let mut total = 0;
    let mut replays = Vec::new();
    let mut now = 0.0;
    let mut effects = page.handle(Event::Load, now);
    while let Some(replay) = effects.iter().find_map(|e| match e {
        Effect::StartRequest { replay, .. } => Some(*replay),
        _ => None,
    }) {
        assert!(replays.len() < 20, "the action never ends");
        replays.push(replay);
        let n = sent(replay);
        total += n;
        now += 1_000.0;
        answer_after(page, n, Err(failure()), now);
        effects = page.handle(Event::RetryDue, now);
    }
    (total, replays)
}

fn unavailable() -> LoadFailure {
    status(503)
}

#[test]
fn an_action_whose_every_try_is_replayed_still_sends_six_requests_at_most() {
    // A server answering 503 to a token's first use and 401 after: every
    // retry meets a 401, renews, and replays into a 503.
    let mut page = showing("rows");
    let (total, replays) =
        fail_every_try(&mut page, |replay| if replay { 2 } else { 1 }, unavailable);
    assert_eq!(total, retry::MAX_REQUESTS_PER_ACTION);
    assert_eq!(replays, [true, true, true], "three tries of two requests");
    assert!(
        matches!(page.phase(), LoadPhase::Failed(_)),
        "then the Retry button"
    );
    assert!(page.is_stale(), "the last good rows stay");
}

#[test]
fn the_try_with_one_request_left_may_not_replay() {
    let mut page = showing("rows");
    // Two requests, then one (the replay answered), then two: five spent.
    let spent = std::cell::Cell::new(0);
    let pattern = [2, 1, 2];
    let (total, replays) = fail_every_try(
        &mut page,
        |replay| {
            let i = spent.get();
            spent.set(i + 1);
            if replay {
                pattern.get(i).copied().unwrap_or(1)
            } else {
                1
            }
        },
        unavailable,
    );
    assert_eq!(
        replays,
        [true, true, true, false],
        "the fourth try has one request left"
    );
    assert_eq!(total, 6);
}

#[test]
fn plain_transient_failures_still_get_six_tries() {
    let mut page = showing("rows");
    let (total, replays) = fail_every_try(&mut page, |_| 1, network);
    assert_eq!(total, 6);
    assert_eq!(replays, [true, true, true, true, true, false]);
}

#[test]
fn waking_up_again_and_again_never_adds_requests_to_the_action() {
    let mut page = showing("rows");
    let mut starts = 0;
    let mut effects = page.handle(Event::Load, 0.0);
    for i in 0..40 {
        let now = f64::from(i) * 100.0;
        if effects
            .iter()
            .any(|e| matches!(e, Effect::StartRequest { .. }))
        {
            starts += 1;
            answer(&mut page, Err(network()), now);
        }
        // Online, offline, visible, hidden: every one wakes the page.
        effects = page.handle(Event::Wake { hidden: i % 2 == 0 }, now);
    }
    assert_eq!(
        starts, 6,
        "one budget for the action, however often the page wakes"
    );
    assert!(matches!(page.phase(), LoadPhase::Failed(_)));
    let effects = page.handle(Event::Load, 5_000.0);
    assert!(
        effects.contains(&start(page.generation())),
        "the user's next action starts a new budget: {effects:?}"
    );
}

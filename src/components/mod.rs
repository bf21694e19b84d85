//! Page pieces: the login form, the session bar, the load status, the
//! request timeline and the configuration problem panel. Each takes the
//! signals it shows and the callbacks it calls as props, holds no logic of
//! its own beyond wiring, and can be mounted alone (`tests/browser_components.rs`).
//! They are built with [`crate::dom`]: static markup from templates, kept up to
//! date by a few render effects, so the bundle carries one small copy of
//! that code rather than one copy of Leptos' renderer per `view!` shape.

mod config_problem;
mod load_status;
mod login_form;
mod session_bar;
mod timeline_panel;

pub use config_problem::ConfigProblem;
pub use load_status::LoadStatus;
pub use login_form::{LogIn, LoginForm};
pub use session_bar::SessionBar;
pub use timeline_panel::TimelinePanel;

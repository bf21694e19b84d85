//! Page pieces: the login form, the session bar, the load status, the
//! request timeline and the configuration problem panel. Each reads the [`Controller`](crate::app::Controller)
//! from context and holds no logic of its own beyond wiring.

mod config_problem;
mod load_status;
mod login_form;
mod session_bar;
mod timeline_panel;

pub use config_problem::ConfigProblem;
pub use load_status::LoadStatus;
pub use login_form::LoginForm;
pub use session_bar::SessionBar;
pub use timeline_panel::TimelinePanel;

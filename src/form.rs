//! Checking the login form before anything is sent. Pure: tested natively.

/// A login form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The email (or user name) input.
    Identity,
    /// The password input.
    Password,
}

/// The problems with what was typed, in form order; empty when it may be sent.
pub fn validate_login(
    identity: &str,
    password: &str,
    identity_is_email: bool,
) -> Vec<(Field, &'static str)> {
    let mut problems = Vec::new();
    let identity = identity.trim();
    if identity.is_empty() {
        problems.push((
            Field::Identity,
            if identity_is_email {
                "Enter your email address."
            } else {
                "Enter your user name."
            },
        ));
    } else if identity_is_email && !looks_like_email(identity) {
        problems.push((
            Field::Identity,
            "Enter an email address like name@example.com.",
        ));
    }
    if password.is_empty() {
        problems.push((Field::Password, "Enter your password."));
    }
    problems
}

/// One `@`, something before it, a dot inside the part after it, no spaces.
fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
        && !text.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_and_malformed_emails_are_refused_with_a_message_each() {
        assert_eq!(
            validate_login("", "", true),
            [
                (Field::Identity, "Enter your email address."),
                (Field::Password, "Enter your password.")
            ]
        );
        for bad in [
            "demo",
            "demo@",
            "@example.com",
            "demo@example",
            "demo@@example.com",
            "de mo@example.com",
            "demo@example.",
        ] {
            assert_eq!(
                validate_login(bad, "pw", true),
                [(
                    Field::Identity,
                    "Enter an email address like name@example.com."
                )],
                "{bad}"
            );
        }
        assert!(validate_login("  demo@tokengrid.dev ", "pw", true).is_empty());
        assert_eq!(
            validate_login(" ", "pw", false),
            [(Field::Identity, "Enter your user name.")]
        );
        assert!(
            validate_login("admin", "pw", false).is_empty(),
            "user names are not emails"
        );
        assert!(
            validate_login("a@b.co", " ", true).is_empty(),
            "a password of spaces is the user's business"
        );
    }
}

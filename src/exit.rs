//! The exit statuses of the `sfbtriage` command, in one place (README's "Exit status" lists
//! the same, and a test keeps the two in agreement).

/// How `sfbtriage` ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The command did its job, whether or not a cause was found.
    Done = 0,
    /// `rules test` found a failing example.
    ExamplesFailed = 1,
    /// A usage error, a broken rule file (the message names file and line), no input could be
    /// read at all, or `batch` found no bundle.
    Unusable = 2,
}

impl Exit {
    /// Every status, in code order.
    pub const ALL: [Exit; 3] = [Exit::Done, Exit::ExamplesFailed, Exit::Unusable];

    /// The numeric status.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// What it means, as README says it.
    pub fn meaning(self) -> &'static str {
        match self {
            Exit::Done => "the command did its job (whether or not a cause was found)",
            Exit::ExamplesFailed => {
                "`rules test` found a failing example or a rule without a positive or a negative example"
            }
            Exit::Unusable => {
                "usage error, a broken rule file (the message names file and line), no input could be read at all, or `batch` found no bundle"
            }
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e.code())
    }
}

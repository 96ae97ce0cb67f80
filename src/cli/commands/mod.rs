//! The subcommands, one file each; `cli` parses the arguments and calls them. Each returns the
//! exit code (`cli::EXIT_OK`, `EXIT_FINDINGS`, `EXIT_USAGE`).

pub mod authoring;
pub mod explain;
pub mod lint;
pub mod render;
pub mod review;

//! The `nianbao` command. All of the work is in the library; see `cli`.

fn main() -> std::process::ExitCode {
    nianbao::cli::main()
}

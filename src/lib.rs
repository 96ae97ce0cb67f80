//! nianbao (年报): author and lint Chinese government information-disclosure annual reports
//! (政府信息公开工作年度报告).
//!
//! The data flow: editions (`rules/editions/*.yaml`, [`edition`]) describe the official format.
//! A data file is loaded into a [`report::Report`] ([`data`]) and rendered ([`render`]). A
//! report in any format goes through three stages, each unaware of the ones after it:
//! [`input`] (any file → a [`input::Document`]: text, tables, positions), [`reading`] (a
//! document → a [`reading::Reading`]: year, edition, agency, sections, tables, prose) and
//! [`rules`] (a reading → diagnostics). [`extract`] turns a reading into a report. Every finding
//! is a [`diagnostics::Diagnostic`] pointing into the file it is about. [`lint`] checks one
//! file's bytes and renders its findings; [`api`] is what the web page (and any integrator)
//! calls.
//!
//! The library does no file, process, thread or terminal I/O, so that it builds for
//! WebAssembly (`--no-default-features`). The command line — arguments, walking folders,
//! `nianbao.toml` discovery and globs, baselines, progress, threads, `pdftotext`, the
//! `review` command — is the `cli` folder, behind the default `cli` feature; nothing outside
//! it uses it.

pub mod api;
pub mod balance;
pub mod carry;
#[cfg(feature = "cli")]
pub mod cli;
pub mod corpus;
pub mod data;
pub mod detect;
pub mod diagnostics;
pub mod edition;
pub mod extract;
pub mod gate;
pub mod init;
pub mod input;
pub mod lint;
pub mod messages;
pub mod reading;
pub mod render;
pub mod report;
pub mod rules;
pub mod testdata;

//! nianbao (年报): author and lint Chinese government information-disclosure annual reports
//! (政府信息公开工作年度报告).
//!
//! The data flow: editions (`rules/editions/*.yaml`, [`edition`]) describe the official format.
//! A data file is loaded into a [`report::Report`] ([`data`]) and rendered ([`render`]). A
//! report in any format goes through three stages, each unaware of the ones after it:
//! [`input`] (any file → a [`input::Document`]: text, tables, positions), [`reading`] (a
//! document → a [`reading::Reading`]: year, edition, agency, sections, tables, prose) and
//! [`rules`] (a reading → diagnostics). [`extract`] turns a reading into a report. Every finding
//! is a [`diagnostics::Diagnostic`] pointing into the file it is about; [`cli`], [`runner`] and
//! [`files`] are the command line around it.

pub mod balance;
pub mod baseline;
pub mod carry;
pub mod cli;
pub mod cli_zh;
pub mod corpus;
pub mod data;
pub mod detect;
pub mod diagnostics;
pub mod edition;
pub mod extract;
pub mod files;
pub mod gate;
pub mod init;
pub mod input;
pub mod messages;
pub mod output;
pub mod reading;
pub mod render;
pub mod report;
pub mod review;
pub mod rules;
pub mod runner;
pub mod testdata;
pub mod timing;

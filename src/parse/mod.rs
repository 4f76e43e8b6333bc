//! Parsers: text of one member → typed records that borrow from it.
//!
//! [`uccapi`] reads the client trace log, [`sip`] reads one SIP message and its Microsoft
//! diagnostic headers (shared with every other source that embeds SIP text). Windows events
//! come from [`evtx`] (binary logs), [`eventxml`] (Event Viewer XML exports) and the text
//! exports — [`evcsv`] (Event Viewer CSV / tab-delimited text), [`wevtutil`] (`wevtutil qe
//! /f:text`), [`evcopy`] ("Copy details as text"), [`psjson`], [`pscsv`] and [`pslist`]
//! (PowerShell `ConvertTo-Json`, `Export-Csv`, `Format-List`), with what they share in
//! [`eventtext`] — and all share one model, [`winevent::WinEvent`]. [`powershell`] reads
//! transcripts and console captures into records with wrapped lines joined; [`cmdout`] reads
//! `nslookup`, `ipconfig`, `netsh winhttp`, `systeminfo` output and registry exports,
//! recognised by content; [`msoidsvc`] reads Sign-in Assistant (IDCRL) traces. Parsers never fail on content: what they do not understand stays
//! text and is counted.

pub mod cmdout;
pub mod evcopy;
pub mod evcsv;
pub mod eventtext;
pub mod eventxml;
pub mod evtx;
pub mod msoidsvc;
pub mod powershell;
pub mod pscsv;
pub mod psjson;
pub mod pslist;
pub mod sip;
pub mod uccapi;
pub mod wevtutil;
pub mod winevent;

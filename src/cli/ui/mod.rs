//! What commands share to talk to people: output formats and tables,
//! record views, graphs, prompts, progress, input and duration parsing,
//! and riding out a lost connection.

pub mod confirm;
pub mod duration;
pub mod graph;
pub mod input;
pub mod logging;
pub mod number;
pub mod output;
pub mod progress;
pub mod reconnect;
pub mod time;
pub mod transfer;
pub mod view;

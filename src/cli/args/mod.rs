//! Argument groups several commands share (flattened into their clap
//! structs), with their conversion to the library's option types.

pub mod ambiguity;
pub mod selection;
pub mod write;

//! Monitoring over time (SPEC §10): the history of snapshots a score run (or an import of the
//! portal's published figures) records, the change since the previous snapshot, the alerts of
//! the catalogue evaluated on it, and the morning digest. Reads and writes the history
//! directory only; scoring is `score`'s, rendering `report`'s.

pub mod alerts;
pub mod change;
pub mod digest;
pub mod fingerprint;
pub mod monitor;
pub mod published;
pub mod snapshot;
pub mod store;

pub use snapshot::{Key, Row, Source};
pub use store::History;

//! What every target shares: a panic hook that lets chitieu catch the panics of the readers
//! below it (its promise: a located error, never a panic) while still logging, once per place,
//! where one happened. A panic that escapes chitieu still aborts the run as a crash: libfuzzer's
//! glue catches it and aborts.

use std::collections::HashSet;
use std::sync::{Mutex, Once};

pub fn quiet_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);
        std::panic::set_hook(Box::new(|info| {
            let place = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            if let Ok(mut seen) = SEEN.lock() {
                if seen.get_or_insert_with(HashSet::new).insert(place.clone()) {
                    eprintln!("chitieu-fuzz: panic at {place}: {info}");
                }
            }
        }));
    });
}

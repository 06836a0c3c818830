//! The card values made last on this thread, for the next page to reuse.
//!
//! No card's template value is kept for the whole build (Tera's maps were
//! most of its memory); an entry page reads those of the entries around it
//! (`nav`: seven around, the previous and next, those on its track), and
//! entry pages are rendered in order on each thread, so the next page
//! reads mostly the same ones. A few per thread are kept here, keyed by
//! the set of cards they were made from and the position.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many values each thread keeps: the entries around one page and its
/// track's neighbours, with room to spare.
const KEPT: usize = 16;

/// A number for each set of cards made in this process, so that a value
/// made from one set is never taken for another's.
pub fn new_set() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

thread_local! {
    static RECENT: RefCell<Recent> = RefCell::new(Recent::default());
}

#[derive(Default)]
struct Recent {
    slots: Vec<(u64, usize, tera::Value)>,
    next: usize,
}

/// The value of card `pos` of set `set`, from this thread's recent ones or
/// made by `make` (and kept in place of the oldest).
pub fn value(set: u64, pos: usize, make: impl FnOnce() -> tera::Value) -> tera::Value {
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        if let Some((_, _, v)) = recent.slots.iter().find(|(s, p, _)| *s == set && *p == pos) {
            return v.clone();
        }
        let v = make();
        if recent.slots.len() < KEPT {
            recent.slots.push((set, pos, v.clone()));
        } else {
            let i = recent.next;
            recent.slots[i] = (set, pos, v.clone());
            recent.next = (i + 1) % KEPT;
        }
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_made_once_while_recent_and_never_shared_between_sets() {
        let (a, b) = (new_set(), new_set());
        let made = std::cell::Cell::new(0);
        let make = |n: u64| {
            made.set(made.get() + 1);
            tera::Value::from(n)
        };
        assert_eq!(value(a, 1, || make(1)), tera::Value::from(1u64));
        assert_eq!(value(a, 1, || make(9)), tera::Value::from(1u64));
        assert_eq!(made.get(), 1);
        assert_eq!(value(b, 1, || make(2)), tera::Value::from(2u64));
        assert_eq!(made.get(), 2);
        // Pushed out by KEPT newer ones, it is made again.
        for pos in 2..2 + KEPT {
            value(a, pos, || make(0));
        }
        value(a, 1, || make(1));
        assert_eq!(made.get(), 3 + KEPT);
    }
}

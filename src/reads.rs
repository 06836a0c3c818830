//! Which entries the work on this thread read: while a page's data is built
//! under [`recorded`], every read of an entry's content (its fields, its
//! card) notes the entry's position. A rebuild then knows what each page
//! depends on from what it read, not from a list kept by hand. Outside
//! [`recorded`] a note costs one thread-local look.

use std::cell::{Cell, RefCell};

thread_local! {
    static READS: RefCell<Option<Vec<u32>>> = const { RefCell::new(None) };
    /// How many recordings are under way on this thread: while none is, a
    /// note returns after one look at a plain cell (most reads of a
    /// rebuild are made outside any, millions of them at 200,000 entries;
    /// a count shared by the threads would be written by all of them).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Notes that the entry at `pos` was read.
pub fn note(pos: usize) {
    if DEPTH.with(Cell::get) == 0 {
        return;
    }
    READS.with(|reads| {
        if let Some(list) = reads.borrow_mut().as_mut() {
            list.push(pos as u32);
        }
    });
}

/// Runs `work` on this thread and returns what it made with the positions
/// of the entries it read, sorted and once each. `work` must not hand
/// reads to other threads.
pub fn recorded<R>(work: impl FnOnce() -> R) -> (R, Vec<u32>) {
    /// Counts a recording while it lasts, also when `work` panics.
    struct Counted;
    impl Drop for Counted {
        fn drop(&mut self) {
            DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
        }
    }
    DEPTH.with(|d| d.set(d.get() + 1));
    let counted = Counted;
    let outer = READS.with(|reads| reads.borrow_mut().replace(Vec::new()));
    let made = work();
    drop(counted);
    let mut list = READS
        .with(|reads| std::mem::replace(&mut *reads.borrow_mut(), outer))
        .unwrap_or_default();
    list.sort_unstable();
    list.dedup();
    (made, list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_recorded_only_inside_and_nest() {
        note(9);
        let ((), outer) = recorded(|| {
            note(3);
            let ((), inner) = recorded(|| note(5));
            assert_eq!(inner, [5]);
            note(1);
            note(3);
        });
        assert_eq!(outer, [1, 3]);
    }
}

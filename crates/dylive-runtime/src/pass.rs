//! The state of a decode in progress on this thread: whether one of the
//! passes of [`crate::from_slice`] runs, and whether it keeps values of
//! another kind than the schema says (see [`crate::Field::Other`]).

use std::cell::Cell;

thread_local! {
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    static TOLERANT: Cell<bool> = const { Cell::new(false) };
    static FATAL: Cell<bool> = const { Cell::new(false) };
}

/// Runs `decode` as one pass: `tolerant` keeps kind drift instead of
/// failing. The previous state comes back afterwards, even on a panic.
pub(crate) fn run<T>(tolerant: bool, decode: impl FnOnce() -> T) -> T {
    struct Restore(bool, bool, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            ACTIVE.set(self.0);
            TOLERANT.set(self.1);
            FATAL.set(self.2);
        }
    }
    let _restore = Restore(ACTIVE.replace(true), TOLERANT.replace(tolerant), FATAL.replace(false));
    decode()
}

/// True while a pass runs, so that a nested object does not start passes
/// of its own.
pub(crate) fn active() -> bool {
    ACTIVE.get()
}

/// True while the pass keeps values of another kind.
pub(crate) fn tolerant() -> bool {
    TOLERANT.get()
}

/// Marks an error that no kept value can mend (a repeated property).
pub(crate) fn mark_fatal() {
    FATAL.set(true);
}

/// True once an error that no kept value can mend happened in this pass.
pub(crate) fn fatal() -> bool {
    FATAL.get()
}

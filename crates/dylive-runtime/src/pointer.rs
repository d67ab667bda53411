//! JSON Pointer (RFC 6901) steps: `~` is written `~0` and `/` is `~1`.

use std::borrow::Cow;

/// Appends `/key` to `pointer`, escaped.
///
/// ```
/// let mut pointer = String::from("/data");
/// dylive_runtime::pointer::push_key(&mut pointer, "a/b~c");
/// assert_eq!(pointer, "/data/a~1b~0c");
/// ```
pub fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    if key.contains(['~', '/']) {
        for c in key.chars() {
            match c {
                '~' => pointer.push_str("~0"),
                '/' => pointer.push_str("~1"),
                c => pointer.push(c),
            }
        }
    } else {
        pointer.push_str(key);
    }
}

/// The key a pointer's step names, unescaped.
///
/// ```
/// assert_eq!(dylive_runtime::pointer::unescape("a~1b~0c"), "a/b~c");
/// assert_eq!(dylive_runtime::pointer::unescape("~01"), "~1");
/// ```
pub fn unescape(step: &str) -> Cow<'_, str> {
    if step.contains('~') {
        Cow::Owned(step.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(step)
    }
}

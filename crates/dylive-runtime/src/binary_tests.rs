//! Helpers of the unit tests that carry values through CBOR and MessagePack.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The value encoded as CBOR.
pub fn to_cbor<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = Vec::new();
    ciborium::into_writer(value, &mut bytes).expect("encodes as CBOR");
    bytes
}

/// A value decoded from CBOR; the error as text.
pub fn from_cbor<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    ciborium::from_reader(bytes).map_err(|error| error.to_string())
}

/// A value decoded from MessagePack; the error as text.
pub fn from_msgpack<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    rmp_serde::from_slice(bytes).map_err(|error| error.to_string())
}

/// The value as a CBOR item, to see the form it takes.
pub fn cbor_item<T: Serialize>(value: &T) -> ciborium::Value {
    from_cbor(&to_cbor(value)).expect("a CBOR item")
}

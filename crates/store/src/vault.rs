//! Personal data sealed at rest (UU 27/2022 PDP): NIK and NPWP are stored encrypted with the
//! data key from the configuration, never in clear.
//!
//! XChaCha20-Poly1305 with a random 24-byte nonce per value (large enough that random nonces
//! never collide), and beside each sealed value a keyed hash (HMAC-SHA256, its own sub-key) so
//! that "who else has this NIK" is an indexed equality without decrypting the table. Both
//! sub-keys are derived from the one configured key, so operators handle a single secret.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::StoreError;

/// The configured 32-byte key, in hex (64 characters).
#[derive(Clone)]
pub struct DataKey([u8; 32]);

impl DataKey {
    pub fn parse_hex(hex_key: &str) -> Result<Self, StoreError> {
        let bytes = hex::decode(hex_key.trim())
            .map_err(|_| StoreError::Config("the data key must be 64 hexadecimal characters".into()))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| StoreError::Config("the data key must be 32 bytes (64 hexadecimal characters)".into()))?;
        Ok(Self(key))
    }

    /// A fresh random key, for `sinergi` to write into the data folder on first start.
    pub fn generate() -> Self {
        Self(XChaCha20Poly1305::generate_key(&mut OsRng).into())
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(••••)")
    }
}

pub struct Vault {
    cipher: XChaCha20Poly1305,
    index_key: [u8; 32],
}

type HmacSha256 = Hmac<Sha256>;

fn derive(key: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

impl Vault {
    pub fn new(key: &DataKey) -> Self {
        let enc = derive(&key.0, b"sinergi/seal/v1");
        Self { cipher: XChaCha20Poly1305::new(&enc.into()), index_key: derive(&key.0, b"sinergi/index/v1") }
    }

    /// `nonce || ciphertext`, base64.
    pub fn seal(&self, plain: &str) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        // Encryption only fails for messages beyond 256 GiB.
        let sealed = self.cipher.encrypt(&nonce, plain.as_bytes()).expect("a short value always encrypts");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        STANDARD_NO_PAD.encode(out)
    }

    pub fn open(&self, sealed: &str) -> Result<String, StoreError> {
        let bad = || StoreError::Config("a sealed value does not open with this data key".into());
        let bytes = STANDARD_NO_PAD.decode(sealed).map_err(|_| bad())?;
        if bytes.len() < 24 {
            return Err(bad());
        }
        let (nonce, body) = bytes.split_at(24);
        let plain = self.cipher.decrypt(XNonce::from_slice(nonce), body).map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }

    /// The keyed hash used to find equal values (hex, 128 bits are plenty for equality).
    pub fn index(&self, plain: &str) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.index_key).expect("HMAC takes keys of any length");
        mac.update(plain.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_open_and_never_repeat() {
        let vault = Vault::new(&DataKey::generate());
        let a = vault.seal("3604124512850004");
        let b = vault.seal("3604124512850004");
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(!a.contains("3604124512850004"));
        assert_eq!(vault.open(&a).unwrap(), "3604124512850004");
        assert_eq!(vault.index("3604124512850004"), vault.index("3604124512850004"));
        assert_ne!(vault.index("3604124512850004"), vault.index("3604124512850005"));
    }

    #[test]
    fn another_key_cannot_open() {
        let sealed = Vault::new(&DataKey::generate()).seal("3604124512850004");
        assert!(Vault::new(&DataKey::generate()).open(&sealed).is_err());
        assert!(Vault::new(&DataKey::generate()).open("not base64!").is_err());
    }

    #[test]
    fn keys_parse_from_hex() {
        let key = DataKey::generate();
        assert_eq!(DataKey::parse_hex(&key.to_hex()).unwrap().0, key.0);
        assert!(DataKey::parse_hex("abcd").is_err());
        assert_eq!(format!("{key:?}"), "DataKey(••••)");
    }
}

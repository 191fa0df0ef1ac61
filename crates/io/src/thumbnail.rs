//! Small JPEG thumbnails of uploaded photos, for lists and the public CSR page: a 10 MB phone
//! photo is far too heavy for a page read on a phone connection.
//!
//! The bytes come from whoever uploaded them, so decoding is bounded (dimensions and memory)
//! and any failure, including a panic inside a decoder on a crafted file, means "no
//! thumbnail": the caller then shows the original by name.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// The largest side we agree to decode. Phone cameras reach about 8,000 px; beyond that a
/// file is more likely a decompression bomb than a photo.
const MAX_SIDE: u32 = 12_000;
/// Memory the decoder may hold at once: a 12,000 × 8,000 RGB image is about 290 MB, so this
/// keeps the worst case of two concurrent uploads well inside a small server.
const MAX_ALLOC: u64 = 320 * 1024 * 1024;
const QUALITY: u8 = 80;

/// A JPEG whose longer side is at most `max_side` pixels (never enlarged), upright as the
/// camera meant it (EXIF orientation applied); `None` when `bytes` are not a JPEG or PNG this
/// decoder can read within its limits.
pub fn jpeg_thumbnail(bytes: &[u8], max_side: u32) -> Option<Vec<u8>> {
    if max_side == 0 {
        return None;
    }
    // The decoders are meant not to panic on bad input; if one does anyway, the upload
    // should lose its thumbnail, not take the request down with it.
    catch_unwind(AssertUnwindSafe(|| thumbnail(bytes, max_side))).ok().flatten()
}

fn thumbnail(bytes: &[u8], max_side: u32) -> Option<Vec<u8>> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok()?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png)) {
        return None;
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().ok()?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).ok()?;
    img.apply_orientation(orientation);
    let small = if img.width() > max_side || img.height() > max_side { img.thumbnail(max_side, max_side) } else { img };
    // JPEG has no alpha channel: a transparent PNG is flattened (transparent parts turn
    // black in the worst case, acceptable for a photo preview).
    let rgb = DynamicImage::ImageRgb8(small.to_rgb8());
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, QUALITY).encode_image(&rgb).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb, Rgba};

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = ImageBuffer::from_fn(width, height, |x, y| Rgba([(x % 256) as u8, (y % 256) as u8, 90, 200]));
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgba8(img).write_to(&mut out, ImageFormat::Png).expect("png");
        out.into_inner()
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = ImageBuffer::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, 120, (y % 256) as u8]));
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90).encode_image(&DynamicImage::ImageRgb8(img)).expect("jpeg");
        out
    }

    fn size_of(jpeg: &[u8]) -> (u32, u32) {
        let img = image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).expect("a JPEG came out");
        (img.width(), img.height())
    }

    #[test]
    fn shrinks_a_jpeg_keeping_its_shape() {
        let thumb = jpeg_thumbnail(&jpeg(1200, 800), 320).expect("thumbnail");
        assert_eq!(size_of(&thumb), (320, 213));
    }

    #[test]
    fn turns_a_png_into_a_jpeg_and_never_enlarges() {
        let thumb = jpeg_thumbnail(&png(300, 500), 320).expect("thumbnail");
        assert!(thumb.starts_with(&[0xFF, 0xD8]), "JPEG signature");
        assert_eq!(size_of(&thumb), (192, 320));
        let small = jpeg_thumbnail(&png(40, 20), 320).expect("thumbnail");
        assert_eq!(size_of(&small), (40, 20));
    }

    #[test]
    fn refuses_what_is_not_a_readable_photo() {
        assert!(jpeg_thumbnail(b"", 320).is_none());
        assert!(jpeg_thumbnail(b"%PDF-1.4\n%%EOF\n", 320).is_none());
        assert!(jpeg_thumbnail(&png(10, 10), 0).is_none());
        // A real PNG cut in half, and a PNG signature followed by garbage.
        let full = png(64, 64);
        assert!(jpeg_thumbnail(&full[..full.len() / 2], 320).is_none());
        let mut fake = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        fake.extend_from_slice(&[0xFF; 64]);
        assert!(jpeg_thumbnail(&fake, 320).is_none());
        // A JPEG start with nothing behind it.
        assert!(jpeg_thumbnail(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'], 320).is_none());
    }

    #[test]
    fn refuses_a_header_that_claims_a_giant_image() {
        // A valid 1 × 1 PNG whose header is rewritten to claim 60,000 × 60,000 pixels: the
        // limits stop it before anything that size is allocated.
        let mut bomb = png(1, 1);
        // IHDR data starts after the 8-byte signature, 4-byte length and 4-byte type.
        bomb[16..20].copy_from_slice(&60_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&60_000u32.to_be_bytes());
        assert!(jpeg_thumbnail(&bomb, 320).is_none());
    }

    #[test]
    fn survives_random_bytes_after_a_signature() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for round in 0..200 {
            let mut bytes = if round % 2 == 0 { jpeg(32, 32) } else { png(32, 32) };
            // Flip a handful of bytes past the signature, xorshift-chosen.
            for _ in 0..8 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = 8 + (seed as usize) % (bytes.len() - 8);
                bytes[at] ^= (seed >> 32) as u8 | 1;
            }
            let _ = jpeg_thumbnail(&bytes, 64);
        }
    }
}

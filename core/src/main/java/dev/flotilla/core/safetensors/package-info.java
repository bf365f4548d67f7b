/**
 * A streaming, validating reader and writer of the safetensors format: an 8-byte little-endian
 * header length {@code N}, {@code N} bytes of JSON header, then the raw data buffer. Files may
 * exceed 2 GiB; F32, F16 and BF16 convert exactly to float32.
 */
package dev.flotilla.core.safetensors;

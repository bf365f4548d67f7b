package dev.flotilla.aggregator;

/** A client's upload that cannot be aggregated; the message is recorded in the manifest. */
final class RejectedUploadException extends Exception {
  RejectedUploadException(String reason) {
    super(reason);
  }
}

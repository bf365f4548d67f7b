package dev.flotilla.core.workload;

import java.io.IOException;
import java.util.List;

/**
 * Signs single-object URLs with the Federation's credential, and lists what a granted prefix holds
 * now (the operator's or the local runtime's store: workloads never hold the credential).
 */
public interface GrantSigner {
  /** A presigned URL to read ({@code write} false) or write one object, valid until the expiry. */
  String sign(String bucket, String key, boolean write) throws IOException;

  /** The keys under {@code prefix} of {@code bucket}. */
  List<String> list(String bucket, String prefix) throws IOException;
}

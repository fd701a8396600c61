package org.byov.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured bearer tokens, keyed by the SHA-256 of the token so that the secrets themselves
 * are neither kept nor compared character by character.
 */
public final class TokenRegistry {

  /**
   * One digest per thread, so that hashing the token of each request skips the provider lookup of
   * {@link MessageDigest#getInstance}. {@link MessageDigest#digest(byte[])} resets it after use.
   */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(TokenRegistry::newSha256);

  private static final HexFormat HEX = HexFormat.of();

  private final Map<String, Caller> callersByTokenHash;

  private TokenRegistry(Map<String, Caller> callersByTokenHash) {
    this.callersByTokenHash = Map.copyOf(callersByTokenHash);
  }

  /**
   * Builds the registry from the properties. A token without roles, a duplicate token or a
   * malformed token-list entry is a configuration error; its message names the caller, never the
   * token.
   */
  public static TokenRegistry from(ByovSecurityProperties properties) {
    Map<String, Caller> callers = new HashMap<>();
    for (ByovSecurityProperties.TokenEntry entry : properties.getTokens()) {
      add(callers, entry.getName(), entry.getToken(), entry.getRoles());
    }
    String list = properties.getTokenList();
    if (list != null && !list.isBlank()) {
      int index = 0;
      for (String item : list.split(",")) {
        index++;
        if (item.isBlank()) {
          continue;
        }
        String[] parts = item.trim().split(":", -1);
        if (parts.length != 3) {
          throw new IllegalArgumentException(
              "byov.security.token-list entry " + index
                  + " is malformed; use name:token:role+role");
        }
        add(callers, parts[0], parts[1], List.of(parts[2].split("\\+")));
      }
    }
    return new TokenRegistry(callers);
  }

  /** Returns the caller a token belongs to, if any. */
  public Optional<Caller> authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(callersByTokenHash.get(sha256(token)));
  }

  /** Returns the number of configured tokens. */
  public int size() {
    return callersByTokenHash.size();
  }

  private static void add(
      Map<String, Caller> callers, String name, String token, List<String> roleNames) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("A byov.security token has no name; give each token one");
    }
    if (token == null || token.length() < 8) {
      throw new IllegalArgumentException(
          "The token of caller '" + name + "' is missing or shorter than 8 characters");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String roleName : roleNames) {
      if (!roleName.isBlank()) {
        roles.add(Role.parse(roleName));
      }
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("The token of caller '" + name + "' has no roles");
    }
    if (callers.putIfAbsent(sha256(token), new Caller(name.trim(), roles)) != null) {
      throw new IllegalArgumentException(
          "The token of caller '" + name + "' is configured twice; give each caller its own");
    }
  }

  private static String sha256(String token) {
    byte[] hash = SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8));
    return HEX.formatHex(hash);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

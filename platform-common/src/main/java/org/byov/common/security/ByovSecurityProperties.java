package org.byov.common.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bearer tokens a service accepts, bound from {@code byov.security.*}. Tokens come from the list
 * {@code byov.security.tokens[i].{name,token,roles}}, from the compact string {@code
 * byov.security.token-list} ({@code name:token:role+role,name2:token2:role}, convenient for one
 * environment variable that a Kubernetes Secret fills), or from both.
 */
@ConfigurationProperties("byov.security")
public class ByovSecurityProperties {

  /** Whether bearer-token security is on; turn it off only on a trusted single-user machine. */
  private boolean enabled = true;

  /** Tokens with their caller name and roles. */
  private List<TokenEntry> tokens = new ArrayList<>();

  /** Compact token list: {@code name:token:role+role} entries separated by commas. */
  private String tokenList = "";

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public List<TokenEntry> getTokens() {
    return tokens;
  }

  public void setTokens(List<TokenEntry> tokens) {
    this.tokens = tokens;
  }

  public String getTokenList() {
    return tokenList;
  }

  public void setTokenList(String tokenList) {
    this.tokenList = tokenList;
  }

  /** One configured token. */
  public static class TokenEntry {

    /** Caller name: it scopes idempotency keys and appears in logs and audit rows. */
    private String name;

    /** The secret bearer token. */
    private String token;

    /** Roles of the token: admin, runs, inference, worker, metrics. */
    private List<String> roles = new ArrayList<>();

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getToken() {
      return token;
    }

    public void setToken(String token) {
      this.token = token;
    }

    public List<String> getRoles() {
      return roles;
    }

    public void setRoles(List<String> roles) {
      this.roles = roles;
    }

    @Override
    public String toString() {
      return "TokenEntry[name=" + name + ", roles=" + roles + "]";
    }
  }
}

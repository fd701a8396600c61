package org.byov.inference.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rejects a request body over {@code maxBodyBytes} with 413 before anything parses it: from the
 * Content-Length header when there is one, else by reading at most {@code maxBodyBytes + 1}
 * bytes of a chunked body into memory.
 */
public class BodySizeLimitFilter extends OncePerRequestFilter {

  private final long maxBodyBytes;

  public BodySizeLimitFilter(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws ServletException, IOException {
    long declared = request.getContentLengthLong();
    if (declared > maxBodyBytes) {
      reject(response, declared + " bytes");
      return;
    }
    if (declared < 0 && hasBody(request)) {
      byte[] body = readAtMost(request.getInputStream(), maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        reject(response, "more than " + maxBodyBytes + " bytes");
        return;
      }
      chain.doFilter(new CachedBodyRequest(request, body), response);
      return;
    }
    chain.doFilter(request, response);
  }

  private static boolean hasBody(HttpServletRequest request) {
    return request.getHeader("Transfer-Encoding") != null;
  }

  private static byte[] readAtMost(InputStream input, long limit) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    byte[] chunk = new byte[64 * 1024];
    int read;
    while (buffer.size() < limit && (read = input.read(chunk, 0,
        (int) Math.min(chunk.length, limit - buffer.size()))) != -1) {
      buffer.write(chunk, 0, read);
    }
    return buffer.toByteArray();
  }

  private void reject(HttpServletResponse response, String size) throws IOException {
    String detail = "The request body is " + size + ", over the limit of " + maxBodyBytes
        + " bytes (byov.inference.limits.max-body-bytes); send fewer or smaller images";
    response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setHeader("Connection", "close");
    String json = "{\"type\":\"about:blank\",\"title\":\"Input too large\",\"status\":413,"
        + "\"detail\":\"" + detail + "\",\"field\":\"body\"}";
    response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A request whose body was already read into memory. */
  private static final class CachedBodyRequest extends HttpServletRequestWrapper {

    private final byte[] body;

    CachedBodyRequest(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream input = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return input.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return input.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return input.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("The body is already in memory");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }

    @Override
    public int getContentLength() {
      return body.length;
    }
  }
}

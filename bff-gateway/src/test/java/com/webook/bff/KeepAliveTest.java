package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request refused before its handler reads the body (the login check's 401) must leave the
 * keep-alive connection usable: clients reuse connections, and a connection the server drops
 * silently fails the client's next request. Drives a raw socket so the body arrives late.
 */
class KeepAliveTest {
  private final TestBff bff = TestBff.inMemory();

  @AfterEach
  void close() {
    bff.close();
  }

  @Test
  void aRefusedRequestWithALateBodyLeavesTheConnectionUsable() throws Exception {
    int port = bff.uri("/").getPort();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      String body = "{\"nickname\":\"x\"}";
      out.write(
          ("POST /users/edit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      Thread.sleep(200); // the body comes later, as it may on a real network
      out.write(body.getBytes(StandardCharsets.UTF_8));
      out.flush();
      Response first = read(in);
      assertThat(first.status()).isEqualTo(401);

      out.write("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      Response second = read(in);
      assertThat(second.status()).as("the same connection serves the next request").isEqualTo(200);
      assertThat(second.body()).isEqualTo("hello");
    }
  }

  /**
   * A body over the route's cap is read and dropped before the 413 goes out: the client, still
   * sending, receives the answer (a server that closes with body bytes unread resets the connection
   * and the answer with it), and the connection serves the next request.
   */
  @Test
  void anOversizedBodyIsReadAndRefusedAndTheConnectionServesTheNextRequest() throws Exception {
    int port = bff.uri("/").getPort();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] body = new byte[2 * 1024 * 1024];
      Arrays.fill(body, (byte) ' ');
      out.write(
          ("POST /users/edit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      Response refused = read(in);
      assertThat(refused.status()).isEqualTo(413);
      assertThat(refused.body()).isEqualTo("{\"code\":4,\"msg\":\"请求体过大\",\"data\":null}");

      out.write("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(read(in).status())
          .as("the same connection serves the next request")
          .isEqualTo(200);
    }
  }

  /**
   * A body announced larger than {@code http.maxDiscardBytes} is not read at all: 413 at once, and
   * the connection closed, before the client sent a byte of it.
   */
  @Test
  void aBodyAnnouncedBeyondWhatIsWorthReadingIsRefusedAtOnceAndTheConnectionClosed()
      throws Exception {
    int port = bff.uri("/").getPort();
    long announced = bff.config.http().maxDiscardBytes() + 1;
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /articles/edit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                  + announced
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      Response r = readResponse(socket.getInputStream());
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.close()).as("Connection: close").isTrue();
    }
  }

  private record Response(int status, String body, boolean close) {}

  /** Reads one response (status line, headers, a Content-Length body) byte by byte. */
  private static Response readResponse(InputStream in) throws Exception {
    String statusLine = line(in);
    assertThat(statusLine).as("a response on this connection").isNotNull();
    int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
    int length = 0;
    boolean close = false;
    for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
      close |= lower.startsWith("connection:") && lower.contains("close");
    }
    return new Response(status, new String(in.readNBytes(length), StandardCharsets.UTF_8), close);
  }

  /** A response after which the server keeps the connection. */
  private static Response read(InputStream in) throws Exception {
    Response r = readResponse(in);
    assertThat(r.close()).as("the server keeps the connection").isFalse();
    return r;
  }

  /** One CRLF-terminated header line, or null at the end of the stream. */
  private static String line(InputStream in) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }
}

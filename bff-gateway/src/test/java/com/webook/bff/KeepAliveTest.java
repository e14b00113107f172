package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
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

  private record Response(int status, String body) {}

  private static Response read(BufferedReader in) throws Exception {
    String statusLine = in.readLine();
    assertThat(statusLine).as("a response on this connection").isNotNull();
    int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
    int length = 0;
    boolean close = false;
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
      close |= lower.startsWith("connection:") && lower.contains("close");
    }
    assertThat(close).as("the server keeps the connection").isFalse();
    char[] buf = new char[length];
    int read = 0;
    while (read < length) {
      read += in.read(buf, read, length - read);
    }
    return new Response(status, new String(buf));
  }
}

package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.webook.api.article.v1.Article;
import com.webook.api.article.v1.Author;
import com.webook.api.intr.v1.Interactive;
import com.webook.api.ranking.v1.TopNResponse;
import com.webook.testsupport.TestStack;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An article's life through real HTTP: in-process BFF (built as BffApp builds it), fake article-svc
 * and interactive-svc over gRPC, real Redis for sessions and the IP limit. An author drafts, edits,
 * lists and publishes; a reader reads it with counters; the author withdraws it and logs out. A
 * reader reads the hot list (fake ranking-svc) until logging out.
 */
class ArticleFlowIT {
  private static final String PASSWORD = "hello#world123";
  private static TestBff bff;

  @BeforeAll
  static void start() {
    bff = TestBff.onStackRedis(Map.of("WEBOOK_ARTICLES_COUNTERS_TIMEOUT", "2s"));
  }

  @AfterAll
  static void stop() {
    bff.close();
  }

  private static HttpResponse<String> post(String token, String path, String body) {
    return bff.post(path, body, "Authorization", "Bearer " + token);
  }

  private static HttpResponse<String> get(String token, String path) {
    return bff.get(path, "Authorization", "Bearer " + token);
  }

  @Test
  void draftEditListPublishReadWithdrawLogout() {
    String author =
        TestBff.accessToken(bff.signupAndLogin(TestStack.unique("author") + "@test.com", PASSWORD));
    long authorId = JWT.decode(author).getClaim("Uid").asLong();
    String reader =
        TestBff.accessToken(bff.signupAndLogin(TestStack.unique("reader") + "@test.com", PASSWORD));
    long readerId = JWT.decode(reader).getClaim("Uid").asLong();
    bff.articleSvc.authorName(authorId, "作者");

    // A draft, then an edit of it: the same id, as a number.
    JsonNode created =
        TestBff.json(
            post(author, "/articles/edit", "{\"title\":\"初稿\",\"content\":\"<p>你好</p>\"}"));
    assertThat(created.get("code").asInt()).isZero();
    long id = created.get("data").asLong();
    assertThat(
            post(
                    author,
                    "/articles/edit",
                    "{\"id\":" + id + ",\"title\":\"二稿\",\"content\":\"<p>你好，世界</p>\"}")
                .body())
        .isEqualTo("{\"code\":0,\"msg\":\"\",\"data\":" + id + "}");

    // Readers do not see drafts; the author lists and reads it.
    assertThat(get(reader, "/articles/pub/" + id).body()).isEqualTo(TestBff.envelope(4, "文章不存在"));
    JsonNode list = TestBff.json(post(author, "/articles/list", "{\"offset\":0,\"limit\":10}"));
    assertThat(list.get("data")).hasSize(1);
    JsonNode item = ArticleVos.assertShape(list.get("data").get(0), ArticleVos.LIST_ITEM);
    assertThat(item.get("title").textValue()).isEqualTo("二稿");
    assertThat(item.get("status").intValue()).isEqualTo(1);
    assertThat(get(author, "/articles/detail/" + id).body()).contains("你好，世界");
    assertThat(get(reader, "/articles/detail/" + id).body())
        .as("someone else's draft")
        .isEqualTo(TestBff.envelope(4, "输入有误"));

    // Published, a reader sees it with the author's name and their counters.
    assertThat(
            post(
                    author,
                    "/articles/publish",
                    "{\"id\":" + id + ",\"title\":\"定稿\",\"content\":\"<p>你好，世界</p>\"}")
                .body())
        .isEqualTo("{\"code\":0,\"msg\":\"\",\"data\":" + id + "}");
    bff.interactiveSvc.counters(
        "article",
        id,
        readerId,
        Interactive.newBuilder().setReadCnt(1).setLikeCnt(2).setLiked(true).build());
    JsonNode view =
        ArticleVos.assertShape(
            TestBff.json(get(reader, "/articles/pub/" + id)).get("data"), ArticleVos.READER_VIEW);
    assertThat(view.get("title").textValue()).isEqualTo("定稿");
    assertThat(view.get("author").textValue()).isEqualTo("作者");
    assertThat(view.get("authorId").longValue()).isEqualTo(authorId);
    assertThat(view.get("status").intValue()).isEqualTo(2);
    assertThat(view.get("readCnt").longValue()).isEqualTo(1);
    assertThat(view.get("likeCnt").longValue()).isEqualTo(2);
    assertThat(view.get("liked").booleanValue()).isTrue();
    assertThat(view.get("collected").booleanValue()).isFalse();

    // Withdrawn: gone for readers, private for the author.
    assertThat(post(reader, "/articles/withdraw", "{\"id\":" + id + "}").body())
        .as("only the author withdraws")
        .isEqualTo(TestBff.envelope(402001, "文章不存在"));
    assertThat(post(author, "/articles/withdraw", "{\"id\":" + id + "}").body())
        .isEqualTo(TestBff.envelope(0, "OK"));
    assertThat(get(reader, "/articles/pub/" + id).body()).isEqualTo(TestBff.envelope(4, "文章不存在"));
    assertThat(
            TestBff.json(get(author, "/articles/detail/" + id)).get("data").get("status").asInt())
        .isEqualTo(3);

    // Logged out (the session in Redis), every article route is 401 for that token.
    assertThat(post(author, "/users/logout", "{}").statusCode()).isEqualTo(200);
    assertThat(get(author, "/articles/detail/" + id).statusCode()).isEqualTo(401);
    assertThat(post(author, "/articles/list", "{\"offset\":0,\"limit\":10}").statusCode())
        .isEqualTo(401);
  }

  @Test
  void aReaderSeesTheHotListUntilLoggingOut() {
    String reader =
        TestBff.accessToken(bff.signupAndLogin(TestStack.unique("hot") + "@test.com", PASSWORD));
    bff.rankingSvc.topN(
        TopNResponse.newBuilder()
            .addArticles(
                Article.newBuilder()
                    .setId(77)
                    .setTitle("热门")
                    .setAbstract("摘要")
                    .setStatus(2)
                    .setAuthor(Author.newBuilder().setId(5).setName("作者"))
                    .setUtime(FakeArticleSvc.ts(Instant.parse("2024-05-06T07:08:09Z"))))
            .putIntrs(77, Interactive.newBuilder().setBizId(77).setReadCnt(9).setLikeCnt(3).build())
            .build());

    JsonNode body = TestBff.json(get(reader, "/ranking/topN"));
    assertThat(body.get("code").intValue()).as("%s", body).isZero();
    assertThat(body.get("data")).hasSize(1);
    JsonNode hot = ArticleVos.assertShape(body.get("data").get(0), ArticleVos.HOT_ITEM);
    assertThat(hot.get("id").longValue()).isEqualTo(77);
    assertThat(hot.get("author").textValue()).isEqualTo("作者");
    assertThat(hot.get("authorId").longValue()).isEqualTo(5);
    assertThat(hot.get("likeCnt").longValue()).isEqualTo(3);
    assertThat(hot.get("readCnt").longValue()).isEqualTo(9);
    assertThat(hot.get("utime").textValue()).isEqualTo("2024-05-06 15:08:09");

    assertThat(post(reader, "/users/logout", "{}").statusCode()).isEqualTo(200);
    assertThat(get(reader, "/ranking/topN").statusCode()).isEqualTo(401);
  }
}

package com.webook.ranking.repository.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.ranking.domain.Candidate;
import com.webook.ranking.domain.Counts;
import com.webook.ranking.domain.HotArticle;
import com.webook.ranking.domain.HotList;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HotListJsonTest {
  private final HotListJson json = new HotListJson();

  @Test
  void roundTripsAList() {
    HotList list =
        new HotList(
            List.of(
                new HotArticle(
                    new Candidate(7, "标题", "摘要 <b>x</b>", 3, "作者", Instant.ofEpochMilli(1234)),
                    new Counts(10, 4, 1),
                    1.25),
                new HotArticle(
                    new Candidate(2, "t", "", 5, "", Instant.ofEpochMilli(99)),
                    new Counts(0, 0, 0),
                    -0.5)),
            Instant.ofEpochMilli(5000));
    assertThat(json.read(json.write(list))).isEqualTo(list);
    assertThat(json.read(json.write(HotList.NONE)).none()).isTrue();
  }

  @Test
  void ignoresUnknownFieldsAndRejectsMissingOnes() {
    assertThat(json.read("{\"computedAt\":1,\"articles\":[],\"newField\":true}").articles())
        .isEmpty();
    assertThatThrownBy(() -> json.read("{\"articles\":[]}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> json.read("{\"computedAt\":1,\"articles\":[{\"id\":1}]}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> json.read("not json")).isInstanceOf(IllegalArgumentException.class);
  }
}

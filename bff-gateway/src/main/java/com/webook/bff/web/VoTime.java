package com.webook.bff.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Times in VOs (SPEC §2.1): {@code "2006-01-02 15:04:05"} and dates {@code "2006-01-02"}, in the
 * configured zone ({@code http.zone}). Birthdays are stored as the instant their day starts in that
 * zone, so writing and reading one gives back the same date. Immutable.
 */
public final class VoTime {
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd");

  private final ZoneId zone;

  public VoTime(ZoneId zone) {
    this.zone = zone;
  }

  public ZoneId zone() {
    return zone;
  }

  public String dateTime(Instant t) {
    return DATE_TIME.format(t.atZone(zone));
  }

  public String date(Instant t) {
    return DATE.format(t.atZone(zone));
  }

  public Instant startOf(LocalDate day) {
    return day.atStartOfDay(zone).toInstant();
  }
}

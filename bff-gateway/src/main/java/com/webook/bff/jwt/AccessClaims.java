package com.webook.bff.jwt;

import java.time.Instant;

/** The verified content of an access token: who, which login session, which browser, until when. */
public record AccessClaims(long uid, String ssid, String userAgent, Instant expiresAt) {}

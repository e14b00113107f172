package com.webook.bff.jwt;

import java.time.Instant;

/** The verified content of a refresh token. */
public record RefreshClaims(long uid, String ssid, Instant expiresAt) {}

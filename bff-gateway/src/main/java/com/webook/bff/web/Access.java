package com.webook.bff.web;

import io.javalin.security.RouteRole;

/** Who may call a route: everyone, or only holders of a valid access token (SPEC §2.2). */
public enum Access implements RouteRole {
  PUBLIC,
  LOGGED_IN
}

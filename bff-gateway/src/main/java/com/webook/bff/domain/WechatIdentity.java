package com.webook.bff.domain;

/** Who logged in through WeChat: the open id (per app) and the union id (per WeChat account). */
public record WechatIdentity(String openId, String unionId) {}
